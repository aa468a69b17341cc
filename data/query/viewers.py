"""An account's scope from the areas it was given (issue 18): a province holds itself and every
district and subdistrict below it; a cluster or region holds its member provinces and itself
(and a region its clusters); "TH" holds the whole country."""

from __future__ import annotations

from sqlalchemy import Engine

from data.query.reference import all_areas
from data.query.scope import NOBODY, Scope
from data.rules.areas import COUNTRY_CODE

_memo: dict[tuple, Scope] = {}


def scope_for(engine: Engine, area_codes, restricted: bool) -> Scope:
    """The scope of an account given `area_codes`; `restricted`: whether its role may see restricted KPIs.
    Codes the store does not hold are ignored (an account whose areas are all gone sees nothing)."""
    codes = tuple(sorted({str(code).upper() for code in area_codes}))
    if COUNTRY_CODE in codes:
        return Scope(restricted=restricted)
    table = all_areas(engine)
    key = (id(table), codes, restricted)
    hit = _memo.get(key)
    if hit is not None:
        return hit
    provinces: set[str] = set()
    held: set[str] = set()
    for code in codes:
        if code not in table.index:
            continue
        level = table.loc[code, "level"]
        if level == "province":
            provinces.add(code)
        elif level in ("cluster", "region"):
            held.add(code)
            column = "cluster_code" if level == "cluster" else "region_code"
            inside = table[table[column] == code]
            provinces.update(inside.loc[inside["level"] == "province", "code"])
            held.update(inside.loc[inside["level"] == "cluster", "code"])
    if not provinces and not held:
        return NOBODY
    scope = Scope(province_codes=frozenset(provinces), held=frozenset(held), restricted=restricted)
    if len(_memo) > 1024:
        _memo.clear()
    _memo[key] = scope
    return scope
