"""The fields of one KPI value: its key (which KPI, area and period), what a file of values
supplies for it, and what the store's readers and roll-ups carry."""

VALUE_KEY = ("kpi_id", "area_code", "period_type", "fiscal_year", "period_no")
"""What names one value: a KPI, an area and a period (type, fiscal year, number)."""

VALUE_FLAGS = ("source", "is_preliminary", "is_revised", "is_demo")
"""What a file says about a value besides the number and its target."""

VALUE_COLUMNS = (*VALUE_KEY, "value", "target", *VALUE_FLAGS)
"""The columns an import supplies for each value row (the rest is filled by the store)."""
