"""Deterministic, plausible demo values for every KPI, area and period of five fiscal years.

Values are generated at each KPI's finest published level and rolled up by the KPI's own
aggregation rule, so a province's demo value agrees with its districts the same way real
data would. Every row is marked `is_demo`, so the UI can label it. The same inputs always
give the same values (seeded by KPI and area codes, never by the clock).

Provinces have their real size: the registered population and land area of
`data/reference/province_facts.csv` (DOPA, 31 Dec 2564), so money and counts are a plausible
per-capita (or per-km²) intensity × that size (`SIZES`), rates and per-capita values lie in the
catalog's typical range, fiscal-year-to-date totals grow through the year, and the disbursement
rate follows the cabinet's cumulative schedule (`KPI.target_share`).
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from data.store.areas import area_frame
from data.rules.catalog import KPI, AggregationMethod, Catalog, Direction, TargetBasis
from data.rules.periods import Period, fiscal_year_of, thai_today
from data.rules.province_facts import FACTS_FISCAL_YEAR, load_province_facts
from data.rules.catalog import VALUE_COLUMNS
from data.rules.periods import PERIOD_TYPE_CODES
from data.store.setup import logged_import

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
    """Area codes per level and child→parent links, with deterministic population-like weights,
    and each province's real size (registered population and land area, `data/province_facts`)."""

    def __init__(self, frame: pd.DataFrame):
        self.codes = {level: frame.loc[frame.level == level, "code"].to_numpy() for level in LEVEL_ORDER}
        self.parent = dict(zip(frame.code, frame.parent_code))
        self.province_of = dict(zip(frame.code, frame.province_code))
        self.weight = {
            code: float(np.random.default_rng(_seed("pop", code)).lognormal(0.0, 0.6))
            for code in frame.code
        }
        facts = load_province_facts()
        provinces = self.codes["province"]
        known = facts.reindex(provinces)
        # a province the reference table does not know gets a median province's size
        self.population = known.registered_population.fillna(facts.registered_population.median()).to_numpy(float)
        self.area = known.area_km2.fillna(facts.area_km2.median()).to_numpy(float)
        density = self.population / self.area
        self.density = density / float(np.median(facts.registered_population / facts.area_km2))
        # registered population drifts by -0.5..+0.5 % a year around the reference figure
        self.drift = np.array([np.random.default_rng(_seed("drift", code)).uniform(-0.005, 0.005) for code in provinces])

    def levels_for(self, kpi: KPI) -> list[str]:
        return list(LEVEL_ORDER[: LEVEL_ORDER.index(kpi.finest_level) + 1])

    def registered(self, periods: list[Period]) -> np.ndarray:
        """Provinces × periods: the registered population of each period's fiscal year, anchored at
        the reference figure for its fiscal year (FY 2565)."""
        years = np.array([p.fiscal_year - FACTS_FISCAL_YEAR for p in periods], dtype=float)
        return self.population[:, None] * (1.0 + self.drift[:, None]) ** years[None, :]


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


@dataclass(frozen=True)
class _Size:
    """How a summed KPI (money, counts, areas) scales with a province's size.

    A province's value is `intensity` × its registered population (basis "population") or land
    area ("area"), the intensity drawn per province around the national level given: lognormal
    with `sigma`, times its density relative to the median province raised to `density_power`
    (farms are rural, houses per person urban), clipped to `density_clip`, times the demo's
    `HUBS` factor of the `group` (Bangkok's central agencies, the tourist provinces). Provinces
    share the same draw for the same `group` (tourist visitors and income go together). The
    intensity is per period, or for a `cumulative` KPI the fiscal year's total. `growth` is the
    mean change a year (from FY 2565); `steady` values hold for the whole fiscal year (an
    allocation); `profile` is the exponent of the cumulative share of the year by period n
    ((n/12)^profile: below 1 front-loaded)."""

    intensity: float
    basis: str = "population"
    sigma: float = 0.3
    group: str | None = None
    growth: float = 0.0
    density_power: float = 0.0
    density_clip: tuple[float, float] = (0.05, 20.0)
    steady: bool = False
    profile: float = 1.0


# Realistic national levels: GDP about 17-18 trillion THB (from GPP per capita × NESDC population),
# province budgets of a few to some tens of billions THB (Bangkok, where the central agencies sit,
# far more), about 0.5 M live births a year, 2.4 registered persons per house.
SIZES: dict[str, _Size] = {
    "households_registered": _Size(0.385, sigma=0.05, growth=0.012, density_power=0.09, density_clip=(0.8, 1.3)),
    "farm_households": _Size(0.12, sigma=0.3, growth=-0.005, density_power=-0.8, density_clip=(0.05, 1.6)),
    "otop_sales": _Size(0.0035, sigma=0.45, growth=0.04),
    "tourism_visitors": _Size(3.8, sigma=0.2, group="tourism", growth=0.03),
    "tourism_income": _Size(0.025, sigma=0.25, group="tourism", growth=0.07),
    "crime_cases_reported": _Size(3.0e-4, sigma=0.35, growth=-0.01),
    "drug_cases": _Size(4.0e-4, sigma=0.45),
    "disaster_affected_households": _Size(1.5e-3, sigma=0.9),
    "budget_allocated_mthb": _Size(0.013, sigma=0.0, group="budget", growth=0.03, steady=True),
    "capital_budget_allocated_mthb": _Size(0.0033, sigma=0.15, group="budget", growth=0.03, steady=True),
    "damrongdhama_received": _Size(0.0025, sigma=0.5, growth=0.02),
    "informal_debt_registered": _Size(0.0015, sigma=0.6, profile=0.7),
    "bmn_households_surveyed": _Size(0.17, sigma=0.15, density_power=-0.4, density_clip=(0.2, 1.3)),
    "live_births": _Size(0.0078, sigma=0.15, growth=-0.025),
    "area_sq_km": _Size(1.0, basis="area", sigma=0.0, steady=True),
}
# the sigma of a group's shared draw, and the provinces far from the national level
GROUP_SIGMA = {"tourism": 0.7, "budget": 0.25}
HUBS: dict[str, dict[str, float]] = {
    # visitors and their spending: Phuket, Krabi, Phangnga, Chon Buri, Bangkok, Chiang Mai, Surat Thani, ...
    "tourism": {"83": 8.0, "81": 4.0, "82": 3.0, "20": 3.0, "10": 3.0, "77": 2.5, "50": 2.0, "84": 2.0},
    # budget spent in the province: the central agencies in Bangkok, the regional centres
    "budget": {"10": 4.0, "50": 1.2, "40": 1.2, "90": 1.2, "65": 1.2, "30": 1.15, "34": 1.15},
    # GPP per capita: the capital and the industrial provinces of the Eastern Seaboard and the perimeter
    "economy": {"10": 4.0, "21": 5.0, "20": 2.8, "11": 2.0, "74": 2.2, "14": 2.4, "24": 2.0, "25": 1.8, "83": 1.8,
                "13": 1.5, "12": 1.2},
    # NESDC's average population over the registered one (migrant workers, non-registered residents)
    "nesdc_population": {"10": 1.45, "11": 1.3, "13": 1.3, "20": 1.35, "21": 1.35, "74": 1.35, "14": 1.2, "24": 1.2,
                         "83": 1.3, "12": 1.15},
}
FACTOR_KPIS = {"gpp_per_capita": "economy"}  # per-capita KPIs scaled by a HUBS group
# a rate against a cumulative schedule: the demo's value is the scheduled KPI's value over its target
# share of the quarter (29 % disbursed by Q4 is 29 % of the target, never 105 %)
VERSUS_SCHEDULE = {"budget_disbursement_vs_target": "budget_disbursement_pct"}
# drawn first, in this order: the real sizes the other KPIs are derived from
ANCHORS = ("population_registered", "households_registered", "area_sq_km", "population_nesdc")


def _hub(group: str | None, provinces: np.ndarray) -> np.ndarray:
    factors = HUBS.get(group or "", {})
    return np.array([factors.get(code, 1.0) for code in provinces])


def _fallback_size(kpi: KPI, mean_population: float) -> _Size:
    """A summed KPI the demo does not know: its typical range's middle for a mean-sized province."""
    low, high = kpi.typical_range
    middle = float(np.sqrt(max(low, high * 0.01) * high)) if high > 0 else 0.0
    return _Size(middle / mean_population, sigma=0.4)


def _within_year(periods: list[Period]) -> tuple[np.ndarray, np.ndarray]:
    """Each period's number and the count of periods in its fiscal year."""
    numbers = np.array([p.period_no for p in periods], dtype=float)
    counts = np.array([{"Q": 4, "M": 12}.get(p.period_type, 1) for p in periods], dtype=float)
    return numbers, counts


def _running_max(matrix: np.ndarray, periods: list[Period]) -> np.ndarray:
    """A fiscal-year-to-date total never falls within its fiscal year (periods in order)."""
    out = matrix.copy()
    for i in range(1, len(periods)):
        if periods[i].fiscal_year == periods[i - 1].fiscal_year:
            out[:, i] = np.fmax(out[:, i], out[:, i - 1])
    return out


def _province_sizes(kpi: KPI, areas: _Areas, periods: list[Period]) -> np.ndarray:
    """A provinces × periods matrix of a summed KPI: a per-capita (or per-km²) intensity × the
    province's real registered population (or land area), see `_Size`."""
    provinces = areas.codes["province"]
    if kpi.id == "population_registered":
        return areas.registered(periods)
    if kpi.id == "population_nesdc":
        factor = np.array([np.random.default_rng(_seed("nesdc", code)).uniform(1.02, 1.15) for code in provinces])
        factor = np.maximum(factor, _hub("nesdc_population", provinces))
        years = np.array([p.fiscal_year - FACTS_FISCAL_YEAR for p in periods], dtype=float)
        return areas.registered(periods) * factor[:, None] * (1.0 + 0.003 * years[None, :])
    size = SIZES.get(kpi.id) or _fallback_size(kpi, float(np.mean(areas.population)))
    if size.basis == "area":
        base = np.repeat(areas.area[:, None], len(periods), axis=1)
    else:
        base = areas.registered(periods)
    own = np.array([np.random.default_rng(_seed("size", kpi.id, code)).lognormal(0.0, size.sigma) for code in provinces])
    shared = np.ones(len(provinces))
    if size.group:  # a hub province takes its hub factor, the others a draw shared by the group
        sigma = GROUP_SIGMA.get(size.group, 0.3)
        hubs = HUBS.get(size.group, {})
        shared = np.array([1.0 if code in hubs else np.random.default_rng(_seed("group", size.group, code)).lognormal(0.0, sigma)
                           for code in provinces])
    density = np.clip(areas.density ** size.density_power, *size.density_clip)
    intensity = size.intensity * own * shared * density * _hub(size.group, provinces)
    rng = np.random.default_rng(_seed("province", kpi.id))
    growth = rng.normal(size.growth, 0.015, size=len(provinces)) if size.basis != "area" else np.zeros(len(provinces))
    years = np.array([p.fiscal_year - FACTS_FISCAL_YEAR for p in periods], dtype=float)
    matrix = base * intensity[:, None] * np.clip(1.0 + growth[:, None] * years[None, :], 0.3, None)
    if size.basis == "area":
        return matrix
    yearly = {year: rng.normal(1.0, 0.03, size=len(provinces)) for year in sorted({p.fiscal_year for p in periods})}
    matrix *= np.column_stack([yearly[p.fiscal_year] for p in periods]) if periods else 1.0
    if not periods or periods[0].period_type not in ("Q", "M") or size.steady:
        return _clip(kpi, matrix)
    numbers, counts = _within_year(periods)
    if kpi.cumulative:  # the fiscal year's total, reached step by step
        profile = size.profile * rng.uniform(0.9, 1.1, size=len(provinces))
        share = (numbers[None, :] / counts[None, :]) ** profile[:, None]
        noisy = share * rng.normal(1.0, 0.03, size=matrix.shape)
        noisy[:, numbers == counts] = 1.0
        return _running_max(_clip(kpi, matrix * np.minimum(noisy, 1.0)), periods)
    matrix *= 1.0 + 0.08 * np.sin(2 * np.pi * numbers / counts)[None, :]
    return _clip(kpi, matrix * rng.normal(1.0, 0.04, size=matrix.shape))


def _province_levels(kpi: KPI, areas: _Areas, periods: list[Period]) -> np.ndarray:
    """A provinces × periods matrix of plausible province values with a trend and some noise.

    Sums scale with the province's real size (`_province_sizes`); rates and per-capita values
    lie in the KPI's typical range (scored ones spread around their thresholds)."""
    if kpi.aggregation.method is AggregationMethod.sum:
        return _province_sizes(kpi, areas, periods)
    provinces = areas.codes["province"]
    low, high = kpi.typical_range
    rng = np.random.default_rng(_seed("province", kpi.id))
    position = np.array([np.random.default_rng(_seed("standing", code)).beta(2.2, 2.2) for code in provinces])
    position = 0.6 * position + 0.4 * rng.beta(2.0, 2.0, size=len(provinces))
    quarterly = bool(periods) and periods[0].period_type in ("Q", "M")
    if kpi.cumulative and kpi.target_basis is TargetBasis.fiscal_year and quarterly:
        return _against_schedule(kpi, periods, position, rng)
    if kpi.thresholds is not None:
        # scored KPIs sit around their own thresholds, so the demo shows every status
        base = _at_score(np.asarray(kpi.thresholds, dtype=float), 0.6 + 4.8 * position)
    elif low > 0 and high / low > 20:  # spread over orders of magnitude
        base = np.exp(np.log(low) + (np.log(high) - np.log(low)) * position)
    else:
        base = low + (high - low) * position
    base = base * _hub(FACTOR_KPIS.get(kpi.id), provinces)
    # trend, season and noise in proportion to the spread of the KPI (a coverage of 99.5 % moves by
    # tenths of a point, not by 8 %)
    spread = abs(kpi.thresholds[0] - kpi.thresholds[4]) if kpi.thresholds is not None else (high - low) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.nan_to_num(np.clip(spread / np.abs(base), 0.0, 1.0), nan=1.0)[:, None]
    improving = 1.0 if kpi.direction is not Direction.lower_better else -1.0
    trend = rng.normal(0.02 * improving, 0.03, size=len(provinces))
    years = np.array([p.fiscal_year - periods[0].fiscal_year for p in periods], dtype=float) if periods else np.zeros(0)
    change = scale * trend[:, None] * years[None, :]
    if quarterly:
        numbers, counts = _within_year(periods)
        change = change + scale * 0.08 * np.sin(2 * np.pi * numbers / counts)[None, :]
    change = change + scale * rng.normal(0.0, 0.04, size=(len(provinces), len(periods)))
    matrix = base[:, None] * np.clip(1.0 + change, 0.3, None)
    # a province's rate stays in the typical range (a hair inside, so a ratio recomputed from
    # its rounded parts does too)
    margin = 0.005 * (high - low)
    return np.clip(matrix, low + margin, high - margin)


def _against_schedule(kpi: KPI, periods: list[Period], position: np.ndarray, rng) -> np.ndarray:
    """A fiscal-year-to-date rate (the disbursement rate) that follows the catalog's cumulative
    schedule (`target_share`), some provinces ahead and some behind, never falling within a year
    and ending the year a little short of the whole target (nobody disburses above 100 %)."""
    low, high = kpi.typical_range
    target = kpi.target if kpi.target is not None else high
    share = np.array([kpi.target_share(p.period_type, p.period_no) for p in periods])
    years = sorted({p.fiscal_year for p in periods})
    standing = 0.86 + 0.22 * position
    yearly = {year: rng.normal(0.0, 0.03, size=len(position)) for year in years}
    finish = {year: rng.uniform(0.90, 0.995, size=len(position)) for year in years}
    pace = standing[:, None] + np.column_stack([yearly[p.fiscal_year] for p in periods])
    pace = pace + rng.normal(0.0, 0.025, size=pace.shape)
    ceiling = min(target, high) * np.column_stack([finish[p.fiscal_year] for p in periods])
    matrix = np.minimum(target * share[None, :] * pace, ceiling)
    return _running_max(np.clip(matrix, low, high), periods)


def _split(areas: _Areas, kpi: KPI, parent_codes: np.ndarray, parent_values: np.ndarray, level: str):
    """Child codes and a children × periods matrix derived from the parents' values."""
    children = areas.codes[level]
    parent_index = {code: i for i, code in enumerate(parent_codes)}
    rows = np.array([parent_index[areas.parent[c]] for c in children], dtype=int)  # empty: a store without districts
    weights = np.array([areas.weight[c] for c in children])
    rng = np.random.default_rng(_seed(level, kpi.id))
    if kpi.aggregation.method is AggregationMethod.sum:
        # the children add up to their parent exactly; a steady sum (an area, a population) is
        # split the same way every period
        steady = kpi.id in ANCHORS or (kpi.id in SIZES and SIZES[kpi.id].steady)
        noise = 0.0 if steady else 0.03
        raw = weights[:, None] * rng.normal(1.0, noise, size=(len(children), parent_values.shape[1])).clip(0.5, None)
        totals = np.zeros((len(parent_codes), parent_values.shape[1]))
        np.add.at(totals, rows, raw)
        values = parent_values[rows] * raw / totals[rows]
    else:
        spread = 0.12 if kpi.direction is not Direction.context else 0.05
        standing = rng.normal(1.0, spread, size=len(children))
        values = parent_values[rows] * standing[:, None] * rng.normal(1.0, 0.03, size=(len(children), parent_values.shape[1]))
    return children, _clip(kpi, values)


def _roll_up(areas: _Areas, kpi: KPI, child_codes: np.ndarray, child_values: np.ndarray, parent_codes: np.ndarray,
             level_values: dict[str, dict[str, np.ndarray]]) -> np.ndarray:
    """Parent values from children by the KPI's aggregation rule (so the levels agree)."""
    parent_index = {code: i for i, code in enumerate(parent_codes)}
    rows = np.array([parent_index[areas.parent[c]] for c in child_codes], dtype=int)
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
        with np.errstate(divide="ignore", invalid="ignore"):
            return out / total[:, None]
    return np.full_like(out, np.nan)


Series = dict[str, np.ndarray]  # level -> areas × periods matrix, rows in `_Areas.codes[level]` order


def _independent(areas: _Areas, kpi: KPI, periods: list[Period], weights: dict[str, Series]) -> Series:
    """Values generated at province level, split down to the finest level and rolled back up."""
    levels = areas.levels_for(kpi)
    series: Series = {"province": _province_levels(kpi, areas, periods)}
    for parent_level, level in zip(levels, levels[1:]):
        series[level] = _split(areas, kpi, areas.codes[parent_level], series[parent_level], level)[1]
    if kpi.aggregation.method in (AggregationMethod.sum, AggregationMethod.weighted_mean):
        for child_level, parent_level in reversed(list(zip(levels[1:], levels))):
            rolled = _roll_up(areas, kpi, areas.codes[child_level], series[child_level], areas.codes[parent_level],
                              {kpi.aggregation.weight_kpi or "": weights.get(child_level, {})})
            # a parent whose children are not in the areas frame keeps its own value
            has_children = np.isin(areas.codes[parent_level], [areas.parent[c] for c in areas.codes[child_level]])
            series[parent_level] = np.where(has_children[:, None], rolled, series[parent_level])
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
        rows = np.array([parent_index[areas.parent[c]] for c in areas.codes[child_level]], dtype=int)
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

    for kpi_id in ANCHORS:  # the sizes everything else is derived from
        if kpi_id in by_id:
            generate(by_id[kpi_id])
    for kpi in catalog.kpis:  # plain KPIs that nothing depends on, and weights first
        if kpi.aggregation.method is not AggregationMethod.ratio and kpi.id not in parts and kpi.id not in series:
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
            for coarser, finer in zip(levels[:levels.index(level)], levels[1:levels.index(level) + 1]):
                # an area whose children are not in the areas frame: its own base × its own rate
                lonely = ~np.isin(areas.codes[coarser], [areas.parent[c] for c in areas.codes[finer]])
                if lonely.any() and coarser in drawn and coarser in series[fixed.id]:
                    own_rate = _aligned(periods[ratio.id], drawn[coarser], periods[free.id])
                    own_base = _aligned(periods[fixed.id], series[fixed.id][coarser], periods[free.id])
                    with np.errstate(divide="ignore", invalid="ignore"):
                        own = own_base * own_rate / agg.scale if free is numerator else own_base * agg.scale / own_rate
                    derived[coarser][lonely] = np.nan_to_num(own, nan=0.0, posinf=0.0)[lonely]
            for finer_parent, finer in zip(levels[levels.index(level):], levels[levels.index(level) + 1:]):
                derived[finer] = _split(areas, free, areas.codes[finer_parent], derived[finer_parent], finer)[1]
            series[free.id] = derived
            pending.remove(ratio)
            progressed = True
        if not progressed:  # neither part known yet: draw the denominator on its own
            generate(by_id[pending[0].aggregation.denominator_kpi])
    for kpi_id in parts - series.keys():
        generate(by_id[kpi_id])
    for kpi in catalog.kpis:
        if kpi.cumulative and kpi.aggregation.method is AggregationMethod.sum and kpi.id in series:
            # a fiscal-year-to-date count never falls (a count derived from a rate might)
            levels = [level for level in areas.levels_for(kpi) if level in series[kpi.id]]
            own = {level: _running_max(series[kpi.id][level], periods[kpi.id]) for level in levels}
            summed = _sum_up(areas, levels, own[levels[-1]], levels[-1])
            for coarser, finer in zip(levels, levels[1:]):
                lonely = ~np.isin(areas.codes[coarser], [areas.parent[c] for c in areas.codes[finer]])
                summed[coarser][lonely] = own[coarser][lonely]
            series[kpi.id] = summed
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
    for kpi_id, scheduled_id in VERSUS_SCHEDULE.items():
        if kpi_id in by_id and scheduled_id in series and "province" in series[scheduled_id]:
            scheduled = by_id[scheduled_id]
            # from the stored (rounded) rate, so the two agree to the stored decimals
            rate = np.round(_aligned(periods[scheduled_id], series[scheduled_id]["province"], periods[kpi_id]),
                            scheduled.decimals)
            due = np.array([(scheduled.target or 100.0) * scheduled.target_share(p.period_type, p.period_no)
                            for p in periods[kpi_id]])
            series[kpi_id] = {"province": rate / due[None, :] * 100.0}
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
        # the period's target: a fiscal-year target's cumulative share due by the period's end
        targets = None if kpi.target is None else np.tile(
            [kpi.target * kpi.target_share(p.period_type, p.period_no) for p in periods], n_areas)
        frame = pd.DataFrame({
            "kpi_id": kpi.id,
            "area_code": area_col[keep],
            "period_type": latest.period_type,
            "fiscal_year": year_col[keep],
            "period_no": no_col[keep],
            "value": value_col[keep],
            "target": targets[keep] if targets is not None and level == "province"
            and kpi.aggregation.method is not AggregationMethod.sum else None,
            "source": DEMO_SOURCE,
            "is_preliminary": (year_col[keep] == plan.last_fiscal_year) & (latest.period_type == "Y"),
            "is_revised": False,
            "is_demo": True,
        })
        yield frame


def fill_demo(engine: Engine, catalog: Catalog, imported_by: str, as_of: dt.date | None = None,
              progress=None) -> dict:
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
