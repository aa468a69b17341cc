"""The fields of one KPI value as a file of values supplies it (the store fills the rest)."""

VALUE_COLUMNS = (
    "kpi_id",
    "area_code",
    "period_type",
    "fiscal_year",
    "period_no",
    "value",
    "target",
    "source",
    "is_preliminary",
    "is_revised",
    "is_demo",
)
"""The columns an import supplies for each value row (the rest is filled by the store)."""
