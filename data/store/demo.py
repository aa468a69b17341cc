"""Deterministic, plausible demo values for every KPI, area and period of five fiscal years.

Values are generated at each KPI's finest published level and rolled up by the KPI's own
aggregation rule, so a province's demo value agrees with its districts the same way real
data would. Every row is marked `is_demo`, so the UI can label it. The same inputs always
give the same values (seeded by KPI and area codes, never by the clock).

Provinces have their real size: the registered population and land area of
`data/reference/province_facts.csv` (DOPA, 31 Dec 2564), so money and counts are a plausible
per-capita (or per-km²) intensity × that size (`demo_profiles.SIZES`), rates and per-capita
values lie in the catalog's typical range, fiscal-year-to-date totals grow through the year, and
the disbursement rate follows the cabinet's cumulative schedule (`KPI.target_share`).

The provinces' values are drawn in `demo_provinces`, split down, rolled up and kept consistent
in `demo_series`; this module plans the periods, makes the rows and writes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from data.rules.catalog import KPI, AggregationMethod, Catalog
from data.rules.periods import PERIOD_TYPE_CODES, Period, fiscal_year_of, thai_today
from data.rules.value_fields import VALUE_COLUMNS
from data.store.areas import area_frame
from data.store.demo_areas import DemoAreas, Series, seed
from data.store.demo_series import generate_series
from data.store.setup import logged_import

DEMO_SOURCE = "ข้อมูลสาธิต (demo)"


@dataclass(frozen=True)
class DemoPlan:
    """What `poc demo` will generate: the fiscal years and the last period it reaches."""

    first_fiscal_year: int
    last_fiscal_year: int
    as_of: dt.date


def demo_plan(as_of: dt.date, years: int = 5) -> DemoPlan:
    """Five fiscal years ending with the one running on `as_of` (its elapsed periods only)."""
    last = fiscal_year_of(as_of)
    return DemoPlan(last - years + 1, last, as_of)


def demo_periods(kpi: KPI, plan: DemoPlan) -> list[Period]:
    """The periods of `kpi` that have ended by the plan's as-of date, respecting publication lag."""
    code = PERIOD_TYPE_CODES[kpi.period_type.value]
    counts = {"Y": 1, "Q": 4, "M": 12}[code]
    periods = []
    for year in range(plan.first_fiscal_year, plan.last_fiscal_year + 1):
        for number in range(1, counts + 1) if code != "Y" else [0]:
            period = Period(code, year, number)
            if period.end < plan.as_of:
                periods.append(period)
    if kpi.frequency.value == "biennial":
        periods = [p for p in periods if (plan.last_fiscal_year - p.fiscal_year) % 2 == 1]
    return periods


def generate_demo_frame(catalog: Catalog, areas_frame: pd.DataFrame, plan: DemoPlan) -> pd.DataFrame:
    """All demo rows, as a DataFrame with `VALUE_COLUMNS`.

    Ratio KPIs stay consistent with their parts: the ratio is drawn, then the free part is
    derived from it (resolved = rate × received / 100), and the ratio of every coarser level is
    recomputed from the summed parts, exactly as real aggregation would do (`demo_series`).
    """
    areas = DemoAreas(areas_frame)
    periods = {kpi.id: demo_periods(kpi, plan) for kpi in catalog.kpis}
    series = generate_series(catalog, areas, periods)
    frames = [
        frame
        for kpi in catalog.kpis
        if periods[kpi.id]
        for frame in _rows(kpi, series[kpi.id], periods[kpi.id], plan, areas)
    ]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(VALUE_COLUMNS))
    return frame[list(VALUE_COLUMNS)]


def _rows(kpi: KPI, per_level: Series, periods: list[Period], plan: DemoPlan, areas: DemoAreas):
    """One KPI's demo rows, a frame per level: a few areas late with the latest period, and the
    target due by each period on the provinces of a KPI that is not summed."""
    rng = np.random.default_rng(seed("gaps", kpi.id))
    latest = max(periods)
    for level, values in per_level.items():
        codes = areas.codes[level]
        n_areas, n_periods = values.shape
        area_col = np.repeat(codes, n_periods)
        year_col = np.tile([p.fiscal_year for p in periods], n_areas)
        no_col = np.tile([p.period_no for p in periods], n_areas)
        value_col = np.round(values.reshape(-1), kpi.decimals)
        # a few areas have not reported the latest period yet: realistic gaps for the quality views
        late = np.repeat(rng.random(n_areas) < (0.06 if level == "province" else 0.1), n_periods)
        is_latest = np.tile([p == latest for p in periods], n_areas)
        keep = ~(late & is_latest) & np.isfinite(value_col)
        # the period's target: a fiscal-year target's cumulative share due by the period's end
        targets = (
            None
            if kpi.target is None
            else np.tile([kpi.target * kpi.target_share(p.period_type, p.period_no) for p in periods], n_areas)
        )
        frame = pd.DataFrame(
            {
                "kpi_id": kpi.id,
                "area_code": area_col[keep],
                "period_type": latest.period_type,
                "fiscal_year": year_col[keep],
                "period_no": no_col[keep],
                "value": value_col[keep],
                "target": targets[keep]
                if targets is not None and level == "province" and kpi.aggregation.method is not AggregationMethod.sum
                else None,
                "source": DEMO_SOURCE,
                "is_preliminary": (year_col[keep] == plan.last_fiscal_year) & (latest.period_type == "Y"),
                "is_revised": False,
                "is_demo": True,
            }
        )
        yield frame


def fill_demo(engine: Engine, catalog: Catalog, imported_by: str, as_of: dt.date | None = None, progress=None) -> dict:
    """Generate and write the demo values in one logged transaction; return the counts."""
    from data.store.values import write_values

    plan = demo_plan(as_of or thai_today())
    with engine.connect() as connection:
        areas = area_frame(connection)
    if progress:
        progress("generate", 0, 1)
    frame = generate_demo_frame(catalog, areas, plan)
    if progress:
        progress("generate", 1, 1)
    label = f"demo FY{plan.first_fiscal_year}-{plan.last_fiscal_year} as of {plan.as_of.isoformat()}"
    with logged_import(engine, "demo", label, imported_by) as (connection, counts):
        counts["rows_read"] = len(frame)
        if progress:
            progress("write", 0, len(frame))
        result = write_values(connection, frame, counts["import_id"], imported_by, catalog=catalog)
        counts.update({k: result[k] for k in ("inserted", "revised", "unchanged")})
        if progress:
            progress("write", len(frame), len(frame))
        counts["message"] = label
    return {**counts, "first_fiscal_year": plan.first_fiscal_year, "last_fiscal_year": plan.last_fiscal_year}
