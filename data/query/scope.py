"""Who reads, and the errors of the read border: a viewer's `Scope` (what they may see) and
the named errors every caller meets (`UnknownArea`, `UnknownKpi`, `StoreUnavailable`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine  # noqa: F401  (the store's handle, as callers name its type)

from data.rules.catalog import KPI, Catalog

# the store's handle for this process, and the errors of a store that cannot answer, as callers meet them
from data.store.engine import UNAVAILABLE_ERRORS, StoreUnavailable, get_engine  # noqa: F401


@dataclass(frozen=True)
class Scope:
    """What a viewer may see. `None` means everything; later, a province sees its own restricted KPIs."""

    province_codes: frozenset[str] | None = None
    kpi_ids: frozenset[str] | None = None

    def allows_area(self, code: str) -> bool:
        return self.province_codes is None or not code[:2].isdigit() or code[:2] in self.province_codes

    def kpis(self, catalog: Catalog) -> list[KPI]:
        return [k for k in catalog.kpis if self.kpi_ids is None or k.id in self.kpi_ids]


PUBLIC = Scope()


class UnknownArea(LookupError):
    """No area has this code (pages show a clear 'not found' page)."""


class UnknownKpi(LookupError):
    """No KPI has this id."""
