"""The store unreachable, locked or hung: pages answer with a plain message (or with the last
good data from the cache and its age), never a blank page or a traceback, and recover by
themselves when the store is back.

SQLite: a store file that is missing, and a store locked by another process. PostgreSQL: an
instance of our own (initdb into a temporary folder, another port; the machine's server is
never touched), stopped, and frozen with SIGSTOP (a hung server: connect and statement limits
and the watchdog must free the request).
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from data.query import cache as cache_module
from data.store.engine import get_engine, make_engine
from helpers import dash_app, reset_caches, router
from stores import cut, initialise, source, write_store

LIMITS = {"POC_STORE_TIMEOUT": "1", "POC_STATEMENT_TIMEOUT": "2", "POC_STORE_RETRY": "0"}
UNAVAILABLE = "ขณะนี้เชื่อมต่อคลังข้อมูลไม่ได้"
STALE = "คลังข้อมูลไม่ตอบสนอง — แสดงข้อมูลที่บันทึกไว้เมื่อ"
PROVINCES = ("50", "51", "52", "58")  # cluster 1


def small_store(engine, catalog) -> None:
    initialise(engine, catalog)
    yearly = [k.id for k in catalog.kpis if k.period_type.value == "year"][:6]
    write_store(
        engine,
        catalog,
        cut(source(engine, catalog), kpis=yearly, provinces=PROVINCES, years=range(2564, 2569), districts=False),
    )


def answer(client, path: str, search: str = "", limit_s: float = 60.0) -> tuple[str, float]:
    """The page as the browser gets it, and how long it took; fails if the request hangs."""
    result: dict = {}

    def run():
        started = time.monotonic()
        result["page"] = router(client, path, search)
        result["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(limit_s)  # a guard against a hang, not a speed target
    assert "page" in result, f"{path}{search} did not answer within {limit_s} s"
    return result["page"], result["seconds"]


@pytest.fixture
def serving(monkeypatch):
    """Point the app at a store URL with short limits; caches and engines fresh each time."""

    def use(url: str):
        monkeypatch.setenv("DATABASE_URL", url)
        for name, value in LIMITS.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(cache_module, "VERSION_CHECK_SECONDS", 0.0)  # every request asks the store
        reset_caches()
        dash_app()
        return dash_app().server.test_client()

    yield use
    get_engine().dispose()
    reset_caches()


def no_tracebacks(caplog) -> None:
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert "Traceback" not in caplog.text


# =========================================================================== SQLite


def test_out001_a_missing_store_file_gives_a_message_never_a_new_empty_store(tmp_path, serving, caplog):
    missing = tmp_path / "gone" / "poc.sqlite"
    client = serving(f"sqlite:///{missing}")
    caplog.set_level(logging.WARNING)
    for path in ("/", "/province/50", "/cluster/1", "/district/5001", "/kpi/road_deaths", "/data"):
        page, _ = answer(client, path)
        assert UNAVAILABLE in page and "หน้านี้จะลองใหม่เองทุก 15 วินาที" in page, path
        assert '"id": "store-retry"' in page  # the page reloads itself
    english, _ = answer(client, "/province/50", "?lang=en")
    assert "The data store cannot be reached just now" in english
    assert not missing.exists() and not missing.parent.exists()  # the dashboard never creates a store
    wall = client.get("/wall/data?province=50")
    assert wall.status_code == 503 and wall.get_json()["message"] == "เชื่อมต่อคลังข้อมูลไม่ได้"
    no_tracebacks(caplog)


def test_out002_a_locked_store_answers_from_the_cache_with_its_age_then_recovers(tmp_path, catalog, serving, caplog):
    path = tmp_path / "poc.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    small_store(engine, catalog)
    engine.dispose()
    client = serving(f"sqlite:///{path}")
    fresh, _ = answer(client, "/province/50")
    assert "จังหวัดเชียงใหม่" in fresh and STALE not in fresh

    get_engine().dispose()  # the app's pooled connections let go, as they do between requests
    holder = sqlite3.connect(path, isolation_level=None, timeout=10)  # another process's exclusive lock
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE meta SET value = value WHERE key = 'data_version'")
    caplog.set_level(logging.WARNING)
    try:
        stale, seconds = answer(client, "/province/50")
        print(f"locked store: province page from the cache in {seconds:.2f} s")
        assert STALE in stale and "นาทีที่แล้ว" in stale and "จังหวัดเชียงใหม่" in stale
        never_seen, _ = answer(client, "/province/51")  # nothing cached for it
        assert UNAVAILABLE in never_seen
    finally:
        holder.execute("ROLLBACK")
        holder.execute("PRAGMA locking_mode=NORMAL")
        holder.execute("SELECT 1").fetchall()  # NORMAL takes effect at the next access
        holder.close()
    back, _ = answer(client, "/province/51")
    assert "จังหวัดลำพูน" in back and UNAVAILABLE not in back and STALE not in back
    no_tracebacks(caplog)


# =========================================================================== PostgreSQL of our own


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnPostgres:
    """A throw-away PostgreSQL server in a temporary folder, run as the postgres user."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, _free_port()
        self.data = folder / "data"
        self.frozen: list[int] = []

    def _as_postgres(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *command], check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        self._as_postgres(
            _bin("pg_ctl"),
            "-D",
            str(self.data),
            "-w",
            "-l",
            str(self.folder / "log"),
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )

    def stop(self) -> None:
        self.resume()
        self._as_postgres(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    def pids(self) -> list[int]:
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                children.append(int(stat.split("/")[2]))
        return [postmaster, *children]

    def freeze(self) -> None:
        self.frozen = self.pids()
        for pid in self.frozen:
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self.frozen:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        self.frozen = []

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture(scope="module")
def own_postgres(tmp_path_factory):
    if not _bin("initdb") or not _bin("pg_ctl"):
        if os.environ.get("CI"):
            raise RuntimeError("initdb and pg_ctl are needed (postgresql package)")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not installed")
    server = OwnPostgres(Path(f"/tmp/poc-outage-{os.getpid()}"))
    server.init()
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.mark.postgres
def test_out010_postgres_stopped_then_started_again(own_postgres, catalog, serving, caplog):
    engine = make_engine(own_postgres.url)
    small_store(engine, catalog)
    engine.dispose()
    client = serving(own_postgres.url)
    fresh, _ = answer(client, "/cluster/1")
    assert "ภาคเหนือตอนบน 1" in fresh and STALE not in fresh
    caplog.set_level(logging.WARNING)
    own_postgres.stop()
    try:
        stale, seconds = answer(client, "/cluster/1")
        print(f"stopped server: cluster page from the cache in {seconds:.2f} s")
        assert STALE in stale and "ภาคเหนือตอนบน 1" in stale
        missing, seconds = answer(client, "/province/58", "?lang=en")
        print(f"stopped server: uncached page in {seconds:.2f} s")
        assert "The data store cannot be reached just now" in missing
        assert client.get("/wall/data?cluster=1").status_code == 503
    finally:
        own_postgres.start()
    back, _ = answer(client, "/province/58")
    assert "จังหวัดแม่ฮ่องสอน" in back and STALE not in back and UNAVAILABLE not in back
    no_tracebacks(caplog)


@pytest.mark.postgres
def test_out011_a_hung_postgres_frees_the_request_within_its_limits_and_recovers(
    own_postgres, catalog, serving, caplog
):
    engine = make_engine(own_postgres.url)
    small_store(engine, catalog)
    engine.dispose()
    client = serving(own_postgres.url)
    fresh, _ = answer(client, "/province/50")
    assert "จังหวัดเชียงใหม่" in fresh
    caplog.set_level(logging.WARNING)
    own_postgres.freeze()  # the server and its backends stop answering, connections stay open
    try:
        stale, seconds = answer(client, "/province/50")
        print(f"hung server: province page from the cache in {seconds:.2f} s")
        assert STALE in stale and "จังหวัดเชียงใหม่" in stale
        unseen, seconds = answer(client, "/province/52")
        print(f"hung server: uncached page in {seconds:.2f} s")
        assert UNAVAILABLE in unseen
        wall = client.get("/wall/data?province=52")
        assert wall.status_code == 503
    finally:
        own_postgres.resume()
    back, _ = answer(client, "/province/52")
    assert "จังหวัดลำปาง" in back and STALE not in back and UNAVAILABLE not in back
    no_tracebacks(caplog)
