"""The domain's rules, pure Python: no SQL, no web, no files of values.

- `catalog`: the KPI catalog (`kpi_definitions.yaml`): `Catalog`, `KPI`, `get_catalog`;
  `catalog_checks`: the checks across the whole file, each problem with its line.
- `periods`: Thai fiscal periods: `Period`, `parse_period_param`/`period_param` (the URL form),
  `choose_period` (which period a view reads), `thai_today`, `LATEST`, `PERIOD_TYPE_CODES`;
  `period_text`: the forms people write in files (`parse_period`, `parse_import_period`, `YearRules`).
- `value_fields`: the key and fields of one KPI value (`VALUE_KEY`, `VALUE_COLUMNS`).
- `scoring`: values → scores, statuses, goal and overall scores, ranks.
- `areas`: provinces, districts, subdistricts and clusters (`AreaIndex`, `load_clusters`), names
  by language (`name_column`, `area_name`) and the Bangkok rule (`called_province`).
- `province_facts`: each province's registered population and land area (DOPA).
"""

__all__ = [
    "areas",
    "catalog",
    "catalog_checks",
    "period_text",
    "periods",
    "province_facts",
    "scoring",
    "value_fields",
]
