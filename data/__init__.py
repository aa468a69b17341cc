"""The data layer: everything the dashboard knows, and the only code that speaks SQL.

- `data.rules`: the domain's rules, pure Python (the KPI catalog, Thai fiscal periods, scoring,
  administrative areas and clusters, province reference facts). No SQL, no files of values.
- `data.files`: reading files people bring (CSV/XLSX of KPI values) into checked rows. No SQL.
- `data.store`: the SQL store: engine and migrations, schema, writing imports and roll-ups,
  the demo generator, and the frames the query layer reads.
- `data.query`: the read border. Every page, callback, report and the wall read the store
  through its named, cached functions, and meet its named errors (`UnknownArea`, `UnknownKpi`,
  `StoreUnavailable`).

Each package may import the ones listed before it, never one after (`tests/test_architecture.py`).
"""
