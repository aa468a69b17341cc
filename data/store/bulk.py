"""Fast bulk insert of plain tuples, the one way the store loads many rows at once.

PostgreSQL: COPY through psycopg's C writer. SQLite: one `executemany` of the table's Core
insert with positional parameters, handed straight to the driver (SQLAlchemy's per-row
parameter processing costs more than the insert itself). Rows hold plain Python values in
the order of `columns`; on SQLite booleans should be ints (exact types bind fastest).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Table


def insert_rows(connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert `rows` (tuples in `columns` order) into `table` in the caller's transaction."""
    columns = list(columns)
    driver_connection = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with driver_connection.cursor() as cursor:
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    statement = table.insert().compile(dialect=connection.dialect, column_keys=columns)
    order = statement.positiontup
    if order is None or sorted(order) != sorted(columns):
        connection.execute(table.insert(), [dict(zip(columns, row)) for row in rows])
        return
    if order != columns:  # the compiled statement lists columns in table order
        positions = [columns.index(name) for name in order]
        rows = (tuple(row[p] for p in positions) for row in rows)
    cursor = driver_connection.cursor()
    try:
        cursor.executemany(str(statement), rows)
    finally:
        cursor.close()
