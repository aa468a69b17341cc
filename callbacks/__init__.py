"""The browser's interactions, registered with Dash when this package is imported (`app.create_app`):
the URL state (`navigation`), the KPI table downloads (`kpi_download`), the ESR and snapshot
downloads (`esr`), the store-retry timer (`store_retry`) and the wall screen's JSON (`wall`)."""

from callbacks import esr, kpi_download, navigation, store_retry, wall  # noqa: F401  (registers their callbacks)
