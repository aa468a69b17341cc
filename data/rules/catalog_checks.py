"""The checks of a catalog file beyond each KPI's own rules, each problem as "line: where: reason":
where every KPI entry sits in the file, pydantic's errors pointed at those lines, and the checks
across KPIs (duplicate ids, aggregations that name a missing KPI, goal weights that do not sum
to 100)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import yaml
from pydantic import ValidationError

from data.rules.catalog import GOALS, KPI, Catalog


def kpi_lines(text: str) -> list[int]:
    """1-based line of each entry of `kpis:`, so errors can point into the file."""
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "kpis" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def pydantic_problems(error: ValidationError, raw: dict[str, Any], lines: list[int]) -> list[str]:
    """Each of pydantic's errors at the line of its KPI, naming the KPI and the field."""
    problems = []
    for item in error.errors():
        loc = list(item["loc"])
        line, where = 1, "catalog"
        if len(loc) >= 2 and loc[0] == "kpis" and isinstance(loc[1], int):
            index = loc[1]
            entries = raw.get("kpis") or []
            kpi_id = entries[index].get("id", f"#{index + 1}") if isinstance(entries[index], dict) else f"#{index + 1}"
            line = lines[index] if index < len(lines) else 1
            where = f"KPI '{kpi_id}'"
            loc = loc[2:]
        field = ".".join(str(part) for part in loc)
        reason = item["msg"].removeprefix("Value error, ")
        problems.append(f"{line}: {where}: {field + ': ' if field else ''}{reason}")
    return problems


def cross_checks(catalog: Catalog, lines: list[int]) -> list[str]:
    """What no single KPI shows: ids and aggregation references first, then the goal weights."""
    return _reference_problems(catalog, lines) + _frequency_problems(catalog, lines) + _weight_problems(catalog, lines)


def _reference_problems(catalog: Catalog, lines: list[int]) -> list[str]:
    """A KPI id used twice, and an aggregation naming the KPI itself or a KPI not in the catalog."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    known = catalog.by_id()
    for index, kpi in enumerate(catalog.kpis):
        line = lines[index] if index < len(lines) else 1
        if kpi.id in seen:
            problems.append(f"{line}: KPI '{kpi.id}': duplicate id (first at line {seen[kpi.id]})")
        seen.setdefault(kpi.id, line)
        agg = kpi.aggregation
        for ref in (agg.weight_kpi, agg.numerator_kpi, agg.denominator_kpi):
            if ref == kpi.id:
                problems.append(f"{line}: KPI '{kpi.id}': aggregation refers to the KPI itself")
            elif ref is not None and ref not in known:
                problems.append(f"{line}: KPI '{kpi.id}': aggregation refers to unknown KPI '{ref}'")
    return problems


# the frequency of new values each period type has (a biennial KPI stores a year every two years)
FREQUENCIES_OF_PERIODS = {"month": ("monthly",), "quarter": ("quarterly",), "year": ("annual", "biennial")}


def _frequency_problems(catalog: Catalog, lines: list[int]) -> list[str]:
    """A KPI whose frequency disagrees with the periods its values cover (weekly values of quarters)."""
    problems: list[str] = []
    for index, kpi in enumerate(catalog.kpis):
        allowed = FREQUENCIES_OF_PERIODS[kpi.period_type.value]
        if kpi.frequency.value not in allowed:
            line = lines[index] if index < len(lines) else 1
            problems.append(
                f"{line}: KPI '{kpi.id}': frequency {kpi.frequency.value} disagrees with period_type "
                f"{kpi.period_type.value} (values of a {kpi.period_type.value} come {' or '.join(allowed)})"
            )
    return problems


def _weight_problems(catalog: Catalog, lines: list[int]) -> list[str]:
    """A goal whose KPIs' weights do not sum to 100, at the line of its first weighted KPI."""
    problems: list[str] = []
    weights: dict[str, list[tuple[int, KPI]]] = defaultdict(list)
    for index, kpi in enumerate(catalog.kpis):
        if kpi.weight:
            weights[kpi.goal].append((lines[index] if index < len(lines) else 1, kpi))
    for goal in GOALS:
        total = sum(kpi.weight for _, kpi in weights[goal])
        if abs(total - 100.0) > 1e-6:
            first = weights[goal][0][0] if weights[goal] else 1
            parts = ", ".join(f"{kpi.id} {kpi.weight:g}" for _, kpi in weights[goal]) or "no weighted KPI"
            problems.append(f"{first}: goal {goal}: weights sum to {total:g}, not 100 ({parts})")
    return problems
