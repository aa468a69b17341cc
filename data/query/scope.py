"""Who reads, and the errors of the read border: a viewer's `Scope` (what they may see), the
viewer of this request (`viewer_scope`), and the named errors every caller meets (`UnknownArea`,
`NotAllowed`, `UnknownKpi`, `StoreUnavailable`).

Every query function takes `scope` last; left out (None), it is the viewer of the request being
answered (`set_viewer`, done by the web layer for each request). Outside any request (the CLI,
`poc esr`, tests) it is `EVERYTHING`: the operator at the machine sees the whole store. Inside a
request whose viewer is not known it is `NOBODY`: denied by default.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine  # noqa: F401  (the store's handle, as callers name its type)

from data.rules.catalog import KPI, Catalog

# the store's handle for this process, and the errors of a store that cannot answer, as callers meet them
from data.store.engine import UNAVAILABLE_ERRORS, StoreUnavailable, get_engine  # noqa: F401


@dataclass(frozen=True)
class Scope:
    """What a viewer may see.

    `province_codes`: the provinces held, each with every district and subdistrict below it;
    None = the whole country. `held`: the roll-up areas held whole (clusters, regions, "TH").
    `rollups`: whether the published roll-ups of areas not held (the country's, a region's, a
    cluster's figures, stored by imports) are shown. `restricted`: whether KPIs marked
    `restricted` are shown, and then only for areas held. `kpi_ids`: None = every KPI."""

    province_codes: frozenset[str] | None = None
    held: frozenset[str] = frozenset()
    rollups: bool = True
    restricted: bool = True
    kpi_ids: frozenset[str] | None = None

    def __repr__(self) -> str:  # the same text in every process: it is part of cache keys
        provinces = "*" if self.province_codes is None else ",".join(sorted(self.province_codes))
        kpis = "*" if self.kpi_ids is None else ",".join(sorted(self.kpi_ids))
        return f"Scope({provinces}|{','.join(sorted(self.held))}|{int(self.rollups)}{int(self.restricted)}|{kpis})"

    @property
    def everything(self) -> bool:
        return self.province_codes is None

    def holds(self, code: str) -> bool:
        """Whether the area is inside the scope (a province held, or below one; a roll-up held whole)."""
        if self.province_codes is None:
            return True
        code = str(code)
        return code[:2] in self.province_codes if code[:2].isdigit() else code in self.held

    def holds_all(self, codes: pd.Series) -> pd.Series:
        """`holds` of every code of `codes` at once (a boolean Series on the same index)."""
        if self.province_codes is None:
            return pd.Series(True, index=codes.index)
        text = codes.astype(str)
        prefix = text.str[:2]
        numeric = prefix.str.isdigit()
        return (numeric & prefix.isin(self.province_codes)) | (~numeric & text.isin(self.held))

    def allows_area(self, code: str) -> bool:
        """Whether anything of the area may be shown: held, or a roll-up's published figures."""
        return self.holds(code) or (self.rollups and not str(code)[:2].isdigit())

    def shows_kpi(self, kpi: KPI, area_code: str | None = None) -> bool:
        if self.kpi_ids is not None and kpi.id not in self.kpi_ids:
            return False
        if not kpi.restricted:
            return True
        return self.restricted and (self.holds(area_code) if area_code is not None else True)

    def kpi_view(self) -> Scope:
        """Every area, with this scope's KPIs: what ranks and the published roll-ups are computed over."""
        return Scope(restricted=self.restricted, kpi_ids=self.kpi_ids)

    def require(self, code: str) -> None:
        """NotAllowed unless the area's figures may be shown to this scope."""
        if not self.allows_area(code):
            raise NotAllowed(code)

    def kpis(self, catalog: Catalog, area_code: str | None = None) -> list[KPI]:
        """The catalog's KPIs this scope shows (for `area_code`: restricted ones only where it holds the area)."""
        return [k for k in catalog.kpis if self.shows_kpi(k, area_code)]


EVERYTHING = Scope()
PUBLIC = EVERYTHING  # the name the query functions' callers knew
NOBODY = Scope(province_codes=frozenset(), rollups=False, restricted=False, kpi_ids=frozenset())


@dataclass(frozen=True)
class Viewer:
    """Who is asking: an account (`kind` "account"), a wall screen by its kiosk token ("kiosk"),
    the operator at the machine ("operator": the CLI, outside any request) or nobody signed in
    ("anonymous"). `may` holds the permissions of the role (data.rules.roles)."""

    name: str
    role: str
    may: frozenset[str]
    scope: Scope
    kind: str = "account"
    areas: tuple[str, ...] = ()

    def can(self, permission: str) -> bool:
        return permission in self.may or "*" in self.may  # "*": the operator, who may do everything


OPERATOR = Viewer("operator", "operator", frozenset({"*"}), EVERYTHING, "operator", ("TH",))
ANONYMOUS = Viewer("", "", frozenset(), NOBODY, "anonymous")


_viewer: contextvars.ContextVar[Viewer | None] = contextvars.ContextVar("poc_viewer", default=None)


def viewer() -> Viewer:
    """The viewer of the request being answered; the operator outside any request."""
    current = _viewer.get()
    return OPERATOR if current is None else current


def can(permission: str) -> bool:
    """Whether the viewer may do `permission` (the operator may do everything)."""
    return viewer().can(permission)


def viewer_key() -> str:
    """What of the viewer an answer may depend on (its kind, scope and permissions), as cache keys carry it."""
    current = viewer()
    return f"{current.kind}|{current.scope!r}|{','.join(sorted(current.may))}"


def viewer_scope(scope: Scope | None = None) -> Scope:
    """`scope` when given, else the scope of the request being answered (EVERYTHING outside any request)."""
    return scope if scope is not None else viewer().scope


def set_viewer(who: Viewer) -> contextvars.Token:
    return _viewer.set(who)


def reset_viewer(token: contextvars.Token) -> None:
    _viewer.reset(token)


class UnknownArea(LookupError):
    """No area has this code (pages show a clear 'not found' page)."""


class NotAllowed(LookupError):
    """The area exists but lies outside the viewer's scope (pages show 'ไม่มีสิทธิ์เข้าถึง / Not allowed')."""


class UnknownKpi(LookupError):
    """No KPI has this id."""
