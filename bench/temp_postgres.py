"""A throw-away PostgreSQL database for a benchmark run, created and dropped by the benchmark."""

from __future__ import annotations

import uuid
from typing import Callable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def postgres_database(admin_url: str, prefix: str = "poc_bench") -> tuple[str, Callable[[], None]]:
    """Create a throw-away database; return its URL and a function that drops it."""
    admin_url = make_url(admin_url)
    if admin_url.drivername == "postgresql":
        admin_url = admin_url.set(drivername="postgresql+psycopg")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin_url.set(database=name).render_as_string(hide_password=False), drop
