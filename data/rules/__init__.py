"""The domain's rules, pure Python: no SQL, no web, no files of values.

- `catalog`: the KPI catalog (`kpi_definitions.yaml`): `Catalog`, `KPI`, `get_catalog`, `VALUE_COLUMNS`.
- `periods`: Thai fiscal periods: `Period`, `parse_period`, `read_period`, `thai_today`, `PERIOD_TYPE_CODES`.
- `scoring`: values → scores, statuses, goal and overall scores, ranks.
- `areas`: provinces, districts, subdistricts and clusters: `AreaIndex`, `load_clusters`, names by language.
- `province_facts`: each province's registered population and land area (DOPA).
"""

__all__ = ["areas", "catalog", "periods", "province_facts", "scoring"]
