"""The SQL store (SQLite by default, PostgreSQL in production): the only writer.

- `engine`: one engine per URL, migrations (Alembic, `migrations/`), `StoreUnavailable`.
- `schema`: the tables.
- `setup`: `init_store`, the catalog table, the import log (`logged_import`).
- `areas`, `boundaries`: the reference areas and boundary shapes in the store.
- `imports`: a values file checked whole, then written in one logged transaction.
- `boundary_import`: a boundary file read, matched, simplified and written all or nothing.
- `values`: set-based writes keeping every superseded value; a value's history.
- `value_stage`: a values frame normalised, checked and loaded into the staging table.
- `value_merge`: the staged values merged with the stored ones, superseded values kept as revisions.
- `value_status`: the data page's counts per KPI, moved or recounted by every write.
- `rollups`: cluster, region and country values aggregated from their provinces.
- `frames`: reading values into DataFrames for the query layer.
- `demo`: deterministic, plausible demo values.
- `demo_areas`: the areas a demo is generated for, with each province's real size.
- `demo_profiles`: the demo's tables of realistic sizes and hub provinces.
- `demo_provinces`: demo values of the provinces, sized, in range and on schedule.
- `demo_series`: demo values split down, rolled up and kept consistent across levels and KPIs.
"""

__all__ = [
    "areas",
    "boundaries",
    "boundary_import",
    "demo",
    "demo_areas",
    "demo_profiles",
    "demo_provinces",
    "demo_series",
    "engine",
    "frames",
    "imports",
    "rollups",
    "schema",
    "setup",
    "value_merge",
    "value_stage",
    "value_status",
    "values",
]
