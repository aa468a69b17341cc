"""The SQL store (SQLite by default, PostgreSQL in production): the only writer.

- `engine`: one engine per URL, migrations (Alembic, `migrations/`), `StoreUnavailable`.
- `schema`: the tables.
- `setup`: `init_store`, the catalog table, the import log (`logged_import`).
- `areas`, `boundaries`: the reference areas and boundary shapes in the store.
- `imports`: a values file checked whole, then written in one logged transaction.
- `boundary_import`: a boundary file read, matched, simplified and written all or nothing.
- `values`: set-based writes keeping every superseded value; a value's history.
- `rollups`: cluster, region and country values aggregated from their provinces.
- `frames`: reading values into DataFrames for the query layer.
- `demo`: deterministic, plausible demo values.
"""

__all__ = ["areas", "boundaries", "boundary_import", "demo", "engine", "frames", "imports", "rollups", "schema",
           "setup", "values"]
