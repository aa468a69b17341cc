"""Demo values of the provinces, the level every demo KPI is drawn at before it is split down.

Money and counts are a per-capita (or per-km²) intensity × the province's real size
(`demo_profiles.SIZES`); rates and per-capita values lie in the catalog's typical range (scored
ones spread around their thresholds); fiscal-year-to-date totals grow through the year, and a
rate against a cumulative schedule follows it (`KPI.target_share`).
"""

from __future__ import annotations

import numpy as np

from data.rules.catalog import KPI, AggregationMethod, Direction, TargetBasis
from data.rules.periods import Period
from data.rules.province_facts import FACTS_FISCAL_YEAR
from data.store.demo_areas import DemoAreas, seed
from data.store.demo_profiles import (
    FACTOR_KPIS,
    GROUP_SIGMA,
    HUBS,
    SIZES,
    Size,
    fallback_size,
    hub,
)


def clip(kpi: KPI, values: np.ndarray) -> np.ndarray:
    """Keep values physically possible: no negative counts, no share above 100 %."""
    low, high = kpi.typical_range
    if kpi.aggregation.method is AggregationMethod.sum:
        return np.clip(values, 0.0, None)
    percent = "%" in kpi.unit.en or "percent" in kpi.unit.en.lower()
    floor = low - 0.1 * (high - low) if low < 0 else 0.8 * low
    ceiling = 100.0 if percent and 0 <= low and high <= 100 else high * 1.1
    return np.clip(values, floor, ceiling)


def at_score(thresholds: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The value that earns each score: linear between thresholds, extended past scores 1 and 5."""
    values = np.interp(scores, [1, 2, 3, 4, 5], thresholds)
    values = np.where(scores < 1, thresholds[0] - (1 - scores) * (thresholds[1] - thresholds[0]), values)
    return np.where(scores > 5, thresholds[4] + (scores - 5) * (thresholds[4] - thresholds[3]), values)


def within_year(periods: list[Period]) -> tuple[np.ndarray, np.ndarray]:
    """Each period's number and the count of periods in its fiscal year."""
    numbers = np.array([p.period_no for p in periods], dtype=float)
    counts = np.array([{"Q": 4, "M": 12}.get(p.period_type, 1) for p in periods], dtype=float)
    return numbers, counts


def running_max(matrix: np.ndarray, periods: list[Period]) -> np.ndarray:
    """A fiscal-year-to-date total never falls within its fiscal year (periods in order)."""
    out = matrix.copy()
    for i in range(1, len(periods)):
        if periods[i].fiscal_year == periods[i - 1].fiscal_year:
            out[:, i] = np.fmax(out[:, i], out[:, i - 1])
    return out


def _years_from_facts(periods: list[Period]) -> np.ndarray:
    """Each period's fiscal years since the reference figures' (FY 2565)."""
    return np.array([p.fiscal_year - FACTS_FISCAL_YEAR for p in periods], dtype=float)


def province_levels(kpi: KPI, areas: DemoAreas, periods: list[Period]) -> np.ndarray:
    """A provinces × periods matrix of plausible province values with a trend and some noise.

    Sums scale with the province's real size (`province_sizes`); rates and per-capita values
    lie in the KPI's typical range (scored ones spread around their thresholds)."""
    if kpi.aggregation.method is AggregationMethod.sum:
        return province_sizes(kpi, areas, periods)
    provinces = areas.codes["province"]
    low, high = kpi.typical_range
    rng = np.random.default_rng(seed("province", kpi.id))
    position = np.array([np.random.default_rng(seed("standing", code)).beta(2.2, 2.2) for code in provinces])
    position = 0.6 * position + 0.4 * rng.beta(2.0, 2.0, size=len(provinces))
    quarterly = bool(periods) and periods[0].period_type in ("Q", "M")
    if kpi.cumulative and kpi.target_basis is TargetBasis.fiscal_year and quarterly:
        return against_schedule(kpi, periods, position, rng)
    base = _in_typical_range(kpi, position) * hub(FACTOR_KPIS.get(kpi.id), provinces)
    matrix = base[:, None] * np.clip(1.0 + _rate_change(kpi, base, periods, quarterly, rng), 0.3, None)
    # a province's rate stays in the typical range (a hair inside, so a ratio recomputed from
    # its rounded parts does too)
    margin = 0.005 * (high - low)
    return np.clip(matrix, low + margin, high - margin)


def _in_typical_range(kpi: KPI, position: np.ndarray) -> np.ndarray:
    """Each province's level from its standing (0..1) in the KPI's typical range."""
    low, high = kpi.typical_range
    if kpi.thresholds is not None:
        # scored KPIs sit around their own thresholds, so the demo shows every status
        return at_score(np.asarray(kpi.thresholds, dtype=float), 0.6 + 4.8 * position)
    if low > 0 and high / low > 20:  # spread over orders of magnitude
        return np.exp(np.log(low) + (np.log(high) - np.log(low)) * position)
    return low + (high - low) * position


def _rate_change(kpi: KPI, base: np.ndarray, periods: list[Period], quarterly: bool, rng) -> np.ndarray:
    """Provinces × periods: the relative change of a rate from its level by trend, season and noise."""
    low, high = kpi.typical_range
    # trend, season and noise in proportion to the spread of the KPI (a coverage of 99.5 % moves by
    # tenths of a point, not by 8 %)
    spread = abs(kpi.thresholds[0] - kpi.thresholds[4]) if kpi.thresholds is not None else (high - low) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.nan_to_num(np.clip(spread / np.abs(base), 0.0, 1.0), nan=1.0)[:, None]
    improving = 1.0 if kpi.direction is not Direction.lower_better else -1.0
    trend = rng.normal(0.02 * improving, 0.03, size=len(base))
    years = np.array([p.fiscal_year - periods[0].fiscal_year for p in periods], dtype=float) if periods else np.zeros(0)
    change = scale * trend[:, None] * years[None, :]
    if quarterly:
        numbers, counts = within_year(periods)
        change = change + scale * 0.08 * np.sin(2 * np.pi * numbers / counts)[None, :]
    return change + scale * rng.normal(0.0, 0.04, size=(len(base), len(periods)))


def against_schedule(kpi: KPI, periods: list[Period], position: np.ndarray, rng) -> np.ndarray:
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
    return running_max(np.clip(matrix, low, high), periods)


def province_sizes(kpi: KPI, areas: DemoAreas, periods: list[Period]) -> np.ndarray:
    """A provinces × periods matrix of a summed KPI: a per-capita (or per-km²) intensity × the
    province's real registered population (or land area), see `demo_profiles.Size`."""
    if kpi.id == "population_registered":
        return areas.registered(periods)
    if kpi.id == "population_nesdc":
        return _nesdc_population(areas, periods)
    size = SIZES.get(kpi.id) or fallback_size(kpi, float(np.mean(areas.population)))
    rng = np.random.default_rng(seed("province", kpi.id))
    matrix = _sized(kpi, size, areas, periods, rng)
    if size.basis == "area":
        return matrix
    yearly = {year: rng.normal(1.0, 0.03, size=len(matrix)) for year in sorted({p.fiscal_year for p in periods})}
    matrix *= np.column_stack([yearly[p.fiscal_year] for p in periods]) if periods else 1.0
    if not periods or periods[0].period_type not in ("Q", "M") or size.steady:
        return clip(kpi, matrix)
    return _through_the_year(kpi, size, matrix, periods, rng)


def _nesdc_population(areas: DemoAreas, periods: list[Period]) -> np.ndarray:
    """NESDC's average population: the registered one and the residents not registered there."""
    provinces = areas.codes["province"]
    factor = np.array([np.random.default_rng(seed("nesdc", code)).uniform(1.02, 1.15) for code in provinces])
    factor = np.maximum(factor, hub("nesdc_population", provinces))
    years = _years_from_facts(periods)
    return areas.registered(periods) * factor[:, None] * (1.0 + 0.003 * years[None, :])


def _sized(kpi: KPI, size: Size, areas: DemoAreas, periods: list[Period], rng) -> np.ndarray:
    """Provinces × periods: each province's intensity × its registered population (or land
    area), grown by its own yearly growth since the reference figures."""
    provinces = areas.codes["province"]
    if size.basis == "area":
        base = np.repeat(areas.area[:, None], len(periods), axis=1)
    else:
        base = areas.registered(periods)
    intensity = _intensity(kpi, size, areas)
    growth = rng.normal(size.growth, 0.015, size=len(provinces)) if size.basis != "area" else np.zeros(len(provinces))
    years = _years_from_facts(periods)
    return base * intensity[:, None] * np.clip(1.0 + growth[:, None] * years[None, :], 0.3, None)


def _intensity(kpi: KPI, size: Size, areas: DemoAreas) -> np.ndarray:
    """Each province's value per person (or per km²): its own draw, its group's, its density's
    and its hub's factors around the national level."""
    provinces = areas.codes["province"]
    own = np.array([np.random.default_rng(seed("size", kpi.id, code)).lognormal(0.0, size.sigma) for code in provinces])
    density = np.clip(areas.density**size.density_power, *size.density_clip)
    return size.intensity * own * _group_draw(size, provinces) * density * hub(size.group, provinces)


def _group_draw(size: Size, provinces: np.ndarray) -> np.ndarray:
    """A hub province takes its hub factor, the others a draw shared by the KPIs of the group."""
    if not size.group:
        return np.ones(len(provinces))
    sigma = GROUP_SIGMA.get(size.group, 0.3)
    hubs = HUBS.get(size.group, {})
    return np.array(
        [
            1.0 if code in hubs else np.random.default_rng(seed("group", size.group, code)).lognormal(0.0, sigma)
            for code in provinces
        ]
    )


def _through_the_year(kpi: KPI, size: Size, matrix: np.ndarray, periods: list[Period], rng) -> np.ndarray:
    """Quarterly or monthly values: a fiscal-year-to-date total reached step by step, or a
    season and some noise around the period's level."""
    numbers, counts = within_year(periods)
    if kpi.cumulative:  # the fiscal year's total, reached step by step
        profile = size.profile * rng.uniform(0.9, 1.1, size=len(matrix))
        share = (numbers[None, :] / counts[None, :]) ** profile[:, None]
        noisy = share * rng.normal(1.0, 0.03, size=matrix.shape)
        noisy[:, numbers == counts] = 1.0
        return running_max(clip(kpi, matrix * np.minimum(noisy, 1.0)), periods)
    matrix *= 1.0 + 0.08 * np.sin(2 * np.pi * numbers / counts)[None, :]
    return clip(kpi, matrix * rng.normal(1.0, 0.04, size=matrix.shape))
