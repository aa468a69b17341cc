"""Deterministic, plausible demo values for every KPI, area and period of five fiscal years.

Values are generated at each KPI's finest published level and rolled up by the KPI's own
aggregation rule, so a province's demo value agrees with its districts the same way real
data would. Every row is marked `is_demo`, so the UI can label it. The same inputs always
give the same values (seeded by KPI and area codes, never by the clock).
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from data.areas import area_frame
from data.catalog import KPI, AggregationMethod, Catalog, Direction
from data.periods import Period, fiscal_year_of, thai_today
from data.schema import VALUE_COLUMNS
from data.store import PERIOD_TYPE_CODES, logged_import

LEVEL_ORDER = ("province", "district", "subdistrict")
DEMO_SOURCE = "ข้อมูลสาธิต (demo)"


def _seed(*parts: str) -> int:
    return zlib.crc32("|".join(parts).encode("utf-8"))


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


class _Areas:
    """Area codes per level and child→parent links, with deterministic population-like weights."""

    def __init__(self, frame: pd.DataFrame):
        self.codes = {level: frame.loc[frame.level == level, "code"].to_numpy() for level in LEVEL_ORDER}
        self.parent = dict(zip(frame.code, frame.parent_code))
        self.province_of = dict(zip(frame.code, frame.province_code))
        self.weight = {
            code: float(np.random.default_rng(_seed("pop", code)).lognormal(0.0, 0.6))
            for code in frame.code
        }

    def levels_for(self, kpi: KPI) -> list[str]:
        return list(LEVEL_ORDER[: LEVEL_ORDER.index(kpi.finest_level) + 1])


def _clip(kpi: KPI, values: np.ndarray) -> np.ndarray:
    """Keep values physically possible: no negative counts, no share above 100 %."""
    low, high = kpi.typical_range
    if kpi.aggregation.method is AggregationMethod.sum:
        return np.clip(values, 0.0, None)
    percent = "%" in kpi.unit.en or "percent" in kpi.unit.en.lower()
    floor = low - 0.1 * (high - low) if low < 0 else 0.8 * low
    ceiling = 100.0 if percent and 0 <= low and high <= 100 else high * 1.1
    return np.clip(values, floor, ceiling)


def _at_score(thresholds: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The value that earns each score: linear between thresholds, extended past scores 1 and 5."""
    values = np.interp(scores, [1, 2, 3, 4, 5], thresholds)
    values = np.where(scores < 1, thresholds[0] - (1 - scores) * (thresholds[1] - thresholds[0]), values)
    return np.where(scores > 5, thresholds[4] + (scores - 5) * (thresholds[4] - thresholds[3]), values)


def _province_levels(kpi: KPI, provinces: np.ndarray, periods: list[Period]) -> np.ndarray:
    """A provinces × periods matrix of plausible province values with a trend and some noise."""
    low, high = kpi.typical_range
    rng = np.random.default_rng(_seed("province", kpi.id))
    position = np.array([np.random.default_rng(_seed("standing", code)).beta(2.2, 2.2) for code in provinces])
    position = 0.6 * position + 0.4 * rng.beta(2.0, 2.0, size=len(provinces))
    if kpi.thresholds is not None:
        # scored KPIs sit around their own thresholds, so the demo shows every status
        base = _at_score(np.asarray(kpi.thresholds, dtype=float), 0.6 + 4.8 * position)
    elif low > 0 and high / low > 20:  # counts and money spread over orders of magnitude
        base = np.exp(np.log(low) + (np.log(high) - np.log(low)) * position)
    else:
        base = low + (high - low) * position
    improving = 1.0 if kpi.direction is not Direction.lower_better else -1.0
    trend = rng.normal(0.02 * improving, 0.03, size=len(provinces))
    years = np.array([p.fiscal_year - periods[0].fiscal_year for p in periods], dtype=float) if periods else np.zeros(0)
    matrix = base[:, None] * (1.0 + trend[:, None] * years[None, :])
    if periods and periods[0].period_type in ("Q", "M"):
        season = np.array([p.period_no for p in periods], dtype=float)
        cycle = 12.0 if periods[0].period_type == "M" else 4.0
        matrix *= 1.0 + 0.08 * np.sin(2 * np.pi * season / cycle)[None, :]
    matrix *= rng.normal(1.0, 0.04, size=matrix.shape)
    if kpi.cumulative and periods and periods[0].period_type in ("Q", "M"):
        per_year = 4 if periods[0].period_type == "Q" else 12
        share = np.array([p.period_no / per_year for p in periods]) ** 0.85
        matrix = np.minimum(matrix * share[None, :], high)
    return _clip(kpi, matrix)


def _split(areas: _Areas, kpi: KPI, parent_codes: np.ndarray, parent_values: np.ndarray, level: str):
    """Child codes and a children × periods matrix derived from the parents' values."""
    children = areas.codes[level]
    parent_index = {code: i for i, code in enumerate(parent_codes)}
    rows = np.array([parent_index[areas.parent[c]] for c in children])
    weights = np.array([areas.weight[c] for c in children])
    rng = np.random.default_rng(_seed(level, kpi.id))
    if kpi.aggregation.method is AggregationMethod.sum:
        totals = np.bincount(rows, weights=weights, minlength=len(parent_codes))
        share = weights / totals[rows]
        values = parent_values[rows] * share[:, None] * rng.normal(1.0, 0.03, size=(len(children), parent_values.shape[1]))
    else:
        spread = 0.12 if kpi.direction is not Direction.context else 0.05
        standing = rng.normal(1.0, spread, size=len(children))
        values = parent_values[rows] * standing[:, None] * rng.normal(1.0, 0.03, size=(len(children), parent_values.shape[1]))
    return children, _clip(kpi, values)


def _roll_up(areas: _Areas, kpi: KPI, child_codes: np.ndarray, child_values: np.ndarray, parent_codes: np.ndarray,
             level_values: dict[str, dict[str, np.ndarray]]) -> np.ndarray:
    """Parent values from children by the KPI's aggregation rule (so the levels agree)."""
    parent_index = {code: i for i, code in enumerate(parent_codes)}
    rows = np.array([parent_index[areas.parent[c]] for c in child_codes])
    method = kpi.aggregation.method
    out = np.zeros((len(parent_codes), child_values.shape[1]))
    if method is AggregationMethod.sum:
        np.add.at(out, rows, child_values)
        return out
    if method is AggregationMethod.weighted_mean:
        weight_map = level_values.get(kpi.aggregation.weight_kpi or "", {})
        weights = np.array([float(np.nanmean(weight_map[c])) if c in weight_map else areas.weight[c] for c in child_codes])
        np.add.at(out, rows, child_values * weights[:, None])
        total = np.bincount(rows, weights=weights, minlength=len(parent_codes))
        return out / total[:, None]
    return np.full_like(out, np.nan)


Series = dict[str, np.ndarray]  # level -> areas × periods matrix, rows in `_Areas.codes[level]` order


def _independent(areas: _Areas, kpi: KPI, periods: list[Period], weights: dict[str, Series]) -> Series:
    """Values generated at province level, split down to the finest level and rolled back up."""
    levels = areas.levels_for(kpi)
    series: Series = {"province": _province_levels(kpi, areas.codes["province"], periods)}
    for parent_level, level in zip(levels, levels[1:]):
        series[level] = _split(areas, kpi, areas.codes[parent_level], series[parent_level], level)[1]
    if kpi.aggregation.method in (AggregationMethod.sum, AggregationMethod.weighted_mean):
        for child_level, parent_level in reversed(list(zip(levels[1:], levels))):
            series[parent_level] = _roll_up(areas, kpi, areas.codes[child_level], series[child_level],
                                            areas.codes[parent_level],
                                            {kpi.aggregation.weight_kpi or "": weights.get(child_level, {})})
    return series


def _aligned(source_periods: list[Period], matrix: np.ndarray, target_periods: list[Period]) -> np.ndarray:
    """`matrix` (over `source_periods`) re-indexed to `target_periods`: the same period, or else the
    latest source period that started on or before it (an annual population for each month)."""
    index = {p: i for i, p in enumerate(source_periods)}
    columns = []
    for period in target_periods:
        if period in index:
            columns.append(index[period])
            continue
        earlier = [i for i, p in enumerate(source_periods) if p.start <= period.start]
        columns.append(earlier[-1] if earlier else 0)
    return matrix[:, columns]


def _sum_up(areas: _Areas, levels: list[str], finest: np.ndarray, finest_level: str) -> Series:
    """A count known at `finest_level`, summed to the coarser levels."""
    series: Series = {finest_level: finest}
    position = levels.index(finest_level)
    for child_level, parent_level in reversed(list(zip(levels[1:position + 1], levels[:position]))):
        parents = areas.codes[parent_level]
        parent_index = {code: i for i, code in enumerate(parents)}
        rows = np.array([parent_index[areas.parent[c]] for c in areas.codes[child_level]])
        out = np.zeros((len(parents), series[child_level].shape[1]))
        np.add.at(out, rows, series[child_level])
        series[parent_level] = out
    return series


def generate_demo_frame(catalog: Catalog, areas_frame: pd.DataFrame, plan: DemoPlan) -> pd.DataFrame:
    """All demo rows, as a DataFrame with `VALUE_COLUMNS`.

    Ratio KPIs stay consistent with their parts: the ratio is drawn, then the free part is
    derived from it (resolved = rate × received / 100), and the ratio of every coarser level is
    recomputed from the summed parts, exactly as real aggregation would do.
    """
    areas = _Areas(areas_frame)
    by_id = catalog.by_id()
    periods = {kpi.id: demo_periods(kpi, plan) for kpi in catalog.kpis}
    series: dict[str, Series] = {}
    ratios = [k for k in catalog.kpis if k.aggregation.method is AggregationMethod.ratio]
    parts = {part for r in ratios for part in (r.aggregation.numerator_kpi, r.aggregation.denominator_kpi)}

    def weights_for(kpi: KPI) -> Series:
        return series.get(kpi.aggregation.weight_kpi or "", {})

    def generate(kpi: KPI) -> None:
        series[kpi.id] = _independent(areas, kpi, periods[kpi.id], weights_for(kpi))

    for kpi in catalog.kpis:  # plain KPIs that nothing depends on, and weights first
        if kpi.aggregation.method is not AggregationMethod.ratio and kpi.id not in parts:
            generate(kpi)
    pending = list(ratios)
    while pending:
        progressed = False
        for ratio in list(pending):
            agg = ratio.aggregation
            numerator, denominator = by_id[agg.numerator_kpi], by_id[agg.denominator_kpi]
            known = [part.id in series for part in (numerator, denominator)]
            if known == [False, False]:
                continue
            if known == [True, True]:
                pending.remove(ratio)
                progressed = True
                continue
            free, fixed = (numerator, denominator) if known == [False, True] else (denominator, numerator)
            level = ratio.finest_level if ratio.finest_level in areas.levels_for(free) else free.finest_level
            drawn = _independent(areas, ratio, periods[ratio.id], {})
            rate = _aligned(periods[ratio.id], drawn[level], periods[free.id])
            base = _aligned(periods[fixed.id], series[fixed.id][level], periods[free.id])
            with np.errstate(divide="ignore", invalid="ignore"):
                value = base * rate / agg.scale if free is numerator else base * agg.scale / rate
            levels = areas.levels_for(free)
            derived = _sum_up(areas, levels, np.nan_to_num(value, nan=0.0, posinf=0.0), level)
            for finer_parent, finer in zip(levels[levels.index(level):], levels[levels.index(level) + 1:]):
                derived[finer] = _split(areas, free, areas.codes[finer_parent], derived[finer_parent], finer)[1]
            series[free.id] = derived
            pending.remove(ratio)
            progressed = True
        if not progressed:  # neither part known yet: draw the denominator on its own
            generate(by_id[pending[0].aggregation.denominator_kpi])
    for kpi_id in parts - series.keys():
        generate(by_id[kpi_id])
    for ratio in ratios:
        agg = ratio.aggregation
        numerator, denominator = series[agg.numerator_kpi], series[agg.denominator_kpi]
        computed: Series = {}
        for level in areas.levels_for(ratio):
            if level not in numerator or level not in denominator:
                continue
            # the parts are stored rounded, so the ratio is computed from the rounded parts
            num = np.round(_aligned(periods[agg.numerator_kpi], numerator[level], periods[ratio.id]),
                           by_id[agg.numerator_kpi].decimals)
            den = np.round(_aligned(periods[agg.denominator_kpi], denominator[level], periods[ratio.id]),
                           by_id[agg.denominator_kpi].decimals)
            with np.errstate(divide="ignore", invalid="ignore"):
                computed[level] = np.where(den > 0, num / den * agg.scale, np.nan)
        series[ratio.id] = computed
    frames = [frame for kpi in catalog.kpis if periods[kpi.id]
              for frame in _rows(kpi, series[kpi.id], periods[kpi.id], plan, areas)]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(VALUE_COLUMNS))
    return frame[list(VALUE_COLUMNS)]


def _rows(kpi: KPI, per_level: Series, periods: list[Period], plan: DemoPlan, areas: _Areas):
    rng = np.random.default_rng(_seed("gaps", kpi.id))
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
        frame = pd.DataFrame({
            "kpi_id": kpi.id,
            "area_code": area_col[keep],
            "period_type": latest.period_type,
            "fiscal_year": year_col[keep],
            "period_no": no_col[keep],
            "value": value_col[keep],
            "target": kpi.target if level == "province" and kpi.aggregation.method is not AggregationMethod.sum else None,
            "source": DEMO_SOURCE,
            "is_preliminary": (year_col[keep] == plan.last_fiscal_year) & (latest.period_type == "Y"),
            "is_revised": False,
            "is_demo": True,
        })
        yield frame


def fill_demo(engine: Engine, catalog: Catalog, imported_by: str, as_of: dt.date | None = None,
              progress=None) -> dict:
    """Generate and write the demo values in one logged transaction; return the counts."""
    from data.values_store import write_values

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
