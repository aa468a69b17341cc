"""Connections to the store and its migrations: one engine per URL, upgraded in place by Alembic."""

from __future__ import annotations

import os
import socket
import threading
import time
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, exc, inspect
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreUnavailable(RuntimeError):
    """The store cannot answer now: down, locked, hung past its time limit, or its file gone.
    Views say so in plain words and keep showing what the cache still holds."""


# SQLAlchemy errors that mean "the store cannot answer", not "the code asked something wrong"
STORE_ERRORS = (exc.SQLAlchemyError,)  # any failure of the store (locked, gone, refused), for callers that log it
UNAVAILABLE_ERRORS = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError, exc.DisconnectionError)

_serving = False  # set by the dashboard (app.create_app): reads get the serving time limits


def serve_mode(on: bool = True) -> None:
    """Give this process's engines the dashboard's time limits (settings `store_timeout` and
    `statement_timeout`); the `poc` commands that write keep their long waits."""
    global _serving
    if _serving != on:
        _serving = on
        get_engine.cache_clear()


def _sqlite_pragmas(busy_seconds: float):
    def connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")  # first: the next ones may wait on a lock
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-131072")  # 128 MiB page cache
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    return connect


def make_engine(url: str, *, serving: bool = False) -> Engine:
    """A new engine for `url`; SQLite files get their folder created and sane pragmas.

    `serving`: the dashboard's limits. SQLite waits `store_timeout` for a lock (instead of 30 s)
    and never creates a missing file (a store that has gone is an error, not a new empty
    store); PostgreSQL connects and pings within `store_timeout`, runs each statement within
    `statement_timeout`, and a server that stops answering is cut off by a watchdog."""
    parsed = make_url(url)
    limits = _limits() if serving else None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not serving and database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        if serving and database and database != ":memory:" and not database.startswith("file:"):
            # read-write, never create: SQLite's URI form (uri=true) with mode=rw
            parsed = parsed.set(database=f"file:{quote(database)}", query={**parsed.query, "mode": "rw", "uri": "true"})
        wait = limits.store if limits else _lock_wait()
        in_memory = not database or database == ":memory:"  # one connection (SingletonThreadPool): no pool wait
        engine = create_engine(parsed, connect_args={"timeout": wait}, **({} if in_memory else {"pool_timeout": wait}))
        event.listen(engine, "connect", _sqlite_pragmas(wait))
        return engine
    if parsed.drivername == "postgresql":  # plain postgresql:// means psycopg 3 here
        parsed = parsed.set(drivername="postgresql+psycopg")
    if limits is None:
        return create_engine(parsed, pool_pre_ping=True)
    engine = create_engine(
        parsed,
        pool_timeout=limits.store,
        connect_args={
            "connect_timeout": max(1, round(limits.store)),
            "options": f"-c statement_timeout={int(limits.statement * 1000)}",
        },
    )
    _watch_connections(engine, limits)
    return engine


@dataclass(frozen=True)
class _Limits:
    store: float
    statement: float


def _lock_wait() -> float:
    """How long the `poc` commands wait for a store another writer has locked."""
    from settings import get_settings

    return get_settings().import_lock_wait


def _limits() -> _Limits:
    from settings import get_settings

    settings = get_settings()
    return _Limits(settings.store_timeout, settings.statement_timeout)


# ---------------------------------------------------------------- a server that stops answering


class _HangWatch:
    """Cuts off PostgreSQL connections whose command has run past its limit.

    statement_timeout is enforced by the server; a server that is frozen (or a network that
    drops everything) never answers, and psycopg would wait for ever, holding a server thread.
    One thread looks at every connection of the process twice a second: one busy (libpq's
    ACTIVE status) for longer than its limit has its socket shut down, so the waiting call
    fails at once with an OperationalError and the pool discards the connection."""

    def __init__(self) -> None:
        self._connections: dict[int, list] = {}  # id -> [dbapi connection, limit, busy since]
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, connection, limit: float) -> None:
        with self._lock:
            self._connections[id(connection)] = [weakref.ref(connection), limit, None]
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="store-hang-watch", daemon=True)
                self._thread.start()

    def set_limit(self, connection, limit: float) -> None:
        with self._lock:
            entry = self._connections.get(id(connection))
            if entry is not None:
                entry[1], entry[2] = limit, None

    def _run(self) -> None:
        while True:
            time.sleep(0.5)
            with self._lock:
                entries = list(self._connections.items())
            now = time.monotonic()
            for key, entry in entries:
                connection = entry[0]()
                if connection is None or connection.closed:
                    with self._lock:
                        self._connections.pop(key, None)
                    continue
                try:
                    busy = int(connection.info.transaction_status) == 1  # ACTIVE: a command is running
                except Exception:  # the connection is being closed meanwhile
                    continue
                if not busy:
                    entry[2] = None
                elif entry[2] is None:
                    entry[2] = now
                elif now - entry[2] > entry[1]:
                    _cut(connection)
                    entry[2] = None


def _cut(connection) -> None:
    """Shut the connection's socket down (both ways): libpq's wait ends with an error."""
    try:
        duplicate = socket.socket(fileno=os.dup(connection.fileno()))
    except OSError:
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()


_watch = _HangWatch()


def _watch_connections(engine: Engine, limits: _Limits) -> None:
    """Every new connection is watched; each checkout pings it within `store` seconds (a dead
    or frozen server is found in seconds, and the pool retries with a new connection), then
    lets its statements run `statement` seconds, and 2 s more before the watchdog cuts."""

    @event.listens_for(engine, "connect")
    def _connected(dbapi_connection, _record) -> None:
        _watch.add(dbapi_connection, limits.store)

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, _record, _proxy) -> None:
        _watch.set_limit(dbapi_connection, limits.store)
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as error:
            raise exc.DisconnectionError(f"the store did not answer a ping: {error}") from error
        finally:
            _watch.set_limit(dbapi_connection, limits.statement + 2.0)


def command_engine(url: str | None = None) -> Engine:
    """The engine of the `poc` commands: the writers' long lock wait, and `poc init` may create a
    SQLite file, whatever the process's serving mode (tests run commands inside an app's process)."""
    if url is None:
        from settings import get_settings

        url = get_settings().database_url
    return _command_engine(url)


@lru_cache(maxsize=8)
def _command_engine(url: str) -> Engine:
    return make_engine(url, serving=False)


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """The shared engine of this process for `url` (default: the configured DATABASE_URL)."""
    if url is None:
        from settings import get_settings

        url = get_settings().database_url
    return make_engine(url, serving=_serving)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema in place to `revision`."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def schema_ready(engine: Engine) -> bool:
    """True when the store has been initialised (the tables exist)."""
    return inspect(engine).has_table("kpi_value")


def pending_revision(engine: Engine) -> tuple[str | None, str] | None:
    """(the store's schema revision, the code's) when the store is behind the code, else None."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return None if current == head else (current, head)


def safe_url(url: str) -> str:
    """A store URL as it may be printed: its password hidden."""
    return make_url(url).render_as_string(hide_password=True)
