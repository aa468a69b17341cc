"""Every demo KPI's values at each of its levels, consistent across levels and KPIs.

A KPI is drawn at province level, split down to its finest level and rolled back up by its own
aggregation rule. Ratio KPIs stay consistent with their parts: the ratio is drawn, then the free
part is derived from it (resolved = rate × received / 100), and the ratio of every level is
recomputed from the rounded parts, exactly as real aggregation would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from data.rules.catalog import KPI, AggregationMethod, Catalog, Direction
from data.rules.periods import Period
from data.store.demo_areas import DemoAreas, Series, seed
from data.store.demo_profiles import ANCHORS, VERSUS_SCHEDULE, steady_split
from data.store.demo_provinces import clip, province_levels, running_max


def split(areas: DemoAreas, kpi: KPI, parent_codes: np.ndarray, parent_values: np.ndarray, level: str):
    """Child codes and a children × periods matrix derived from the parents' values."""
    children = areas.codes[level]
    rows = areas.parent_rows(children, parent_codes)  # empty: a store without districts
    weights = np.array([areas.weight[c] for c in children])
    rng = np.random.default_rng(seed(level, kpi.id))
    if kpi.aggregation.method is AggregationMethod.sum:
        # the children add up to their parent exactly; a steady sum (an area, a population) is
        # split the same way every period
        noise = 0.0 if steady_split(kpi.id) else 0.03
        raw = weights[:, None] * rng.normal(1.0, noise, size=(len(children), parent_values.shape[1])).clip(0.5, None)
        totals = np.zeros((len(parent_codes), parent_values.shape[1]))
        np.add.at(totals, rows, raw)
        values = parent_values[rows] * raw / totals[rows]
    else:
        spread = 0.12 if kpi.direction is not Direction.context else 0.05
        standing = rng.normal(1.0, spread, size=len(children))
        values = (
            parent_values[rows]
            * standing[:, None]
            * rng.normal(1.0, 0.03, size=(len(children), parent_values.shape[1]))
        )
    return children, clip(kpi, values)


def roll_up(
    areas: DemoAreas,
    kpi: KPI,
    child_codes: np.ndarray,
    child_values: np.ndarray,
    parent_codes: np.ndarray,
    level_values: dict[str, dict[str, np.ndarray]],
) -> np.ndarray:
    """Parent values from children by the KPI's aggregation rule (so the levels agree)."""
    rows = areas.parent_rows(child_codes, parent_codes)
    method = kpi.aggregation.method
    out = np.zeros((len(parent_codes), child_values.shape[1]))
    if method is AggregationMethod.sum:
        np.add.at(out, rows, child_values)
        return out
    if method is AggregationMethod.weighted_mean:
        weight_map = level_values.get(kpi.aggregation.weight_kpi or "", {})
        weights = np.array(
            [float(np.nanmean(weight_map[c])) if c in weight_map else areas.weight[c] for c in child_codes]
        )
        np.add.at(out, rows, child_values * weights[:, None])
        total = np.bincount(rows, weights=weights, minlength=len(parent_codes))
        with np.errstate(divide="ignore", invalid="ignore"):
            return out / total[:, None]
    return np.full_like(out, np.nan)


def independent(areas: DemoAreas, kpi: KPI, periods: list[Period], weights: Series) -> Series:
    """Values generated at province level, split down to the finest level and rolled back up."""
    levels = areas.levels_for(kpi)
    series: Series = {"province": province_levels(kpi, areas, periods)}
    for parent_level, level in zip(levels, levels[1:]):
        series[level] = split(areas, kpi, areas.codes[parent_level], series[parent_level], level)[1]
    if kpi.aggregation.method in (AggregationMethod.sum, AggregationMethod.weighted_mean):
        for child_level, parent_level in reversed(list(zip(levels[1:], levels))):
            rolled = roll_up(
                areas,
                kpi,
                areas.codes[child_level],
                series[child_level],
                areas.codes[parent_level],
                {kpi.aggregation.weight_kpi or "": weights.get(child_level, {})},
            )
            # a parent whose children are not in the areas frame keeps its own value
            has_children = ~areas.lonely(parent_level, child_level)
            series[parent_level] = np.where(has_children[:, None], rolled, series[parent_level])
    return series


def aligned(source_periods: list[Period], matrix: np.ndarray, target_periods: list[Period]) -> np.ndarray:
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


def sum_up(areas: DemoAreas, levels: list[str], finest: np.ndarray, finest_level: str) -> Series:
    """A count known at `finest_level`, summed to the coarser levels."""
    series: Series = {finest_level: finest}
    position = levels.index(finest_level)
    for child_level, parent_level in reversed(list(zip(levels[1 : position + 1], levels[:position]))):
        parents = areas.codes[parent_level]
        rows = areas.parent_rows(areas.codes[child_level], parents)
        out = np.zeros((len(parents), series[child_level].shape[1]))
        np.add.at(out, rows, series[child_level])
        series[parent_level] = out
    return series


@dataclass
class _Drawn:
    """The demo's values drawn so far: per KPI, its areas × periods matrix at each level."""

    areas: DemoAreas
    periods: dict[str, list[Period]]
    by_id: dict[str, KPI]
    series: dict[str, Series] = field(default_factory=dict)

    def generate(self, kpi: KPI) -> None:
        """Draw `kpi` on its own, weighted by its weight KPI if that is drawn already."""
        weights = self.series.get(kpi.aggregation.weight_kpi or "", {})
        self.series[kpi.id] = independent(self.areas, kpi, self.periods[kpi.id], weights)

    def on(self, source_id: str, matrix: np.ndarray, target_id: str) -> np.ndarray:
        """`matrix` of KPI `source_id` over the periods of KPI `target_id`."""
        return aligned(self.periods[source_id], matrix, self.periods[target_id])


def generate_series(catalog: Catalog, areas: DemoAreas, periods: dict[str, list[Period]]) -> dict[str, Series]:
    """Every KPI's values per level: the anchors first, then the plain KPIs and weights, then
    each ratio's free part derived from the ratio and its other part, and finally the values
    made to agree (`_agreeing`)."""
    drawn = _Drawn(areas, periods, catalog.by_id())
    ratios = [k for k in catalog.kpis if k.aggregation.method is AggregationMethod.ratio]
    parts = {part for r in ratios for part in (r.aggregation.numerator_kpi, r.aggregation.denominator_kpi)}
    for kpi_id in ANCHORS:  # the sizes everything else is derived from
        if kpi_id in drawn.by_id:
            drawn.generate(drawn.by_id[kpi_id])
    for kpi in catalog.kpis:  # plain KPIs that nothing depends on, and weights first
        if kpi.aggregation.method is not AggregationMethod.ratio and kpi.id not in parts and kpi.id not in drawn.series:
            drawn.generate(kpi)
    _derive_parts(drawn, ratios)
    for kpi_id in parts - drawn.series.keys():
        drawn.generate(drawn.by_id[kpi_id])
    _agreeing(drawn, catalog, ratios)
    return drawn.series


def _agreeing(drawn: _Drawn, catalog: Catalog, ratios: list[KPI]) -> None:
    """Make the drawn values agree like stored ones: fiscal-year-to-date counts never falling,
    each ratio recomputed from its parts, a rate against a schedule from the scheduled rate."""
    for kpi in catalog.kpis:
        if kpi.cumulative and kpi.aggregation.method is AggregationMethod.sum and kpi.id in drawn.series:
            drawn.series[kpi.id] = _never_falling(drawn, kpi)
    for ratio in ratios:
        drawn.series[ratio.id] = _ratio_of_parts(drawn, ratio)
    for kpi_id, scheduled_id in VERSUS_SCHEDULE.items():
        if kpi_id in drawn.by_id and "province" in drawn.series.get(scheduled_id, {}):
            drawn.series[kpi_id] = {"province": _versus_schedule(drawn, kpi_id, drawn.by_id[scheduled_id])}


def _derive_parts(drawn: _Drawn, ratios: list[KPI]) -> None:
    """For each ratio with one part drawn, derive the other part from the ratio drawn on its own;
    when no ratio has a part drawn yet, draw a denominator on its own first."""
    pending = list(ratios)
    while pending:
        progressed = False
        for ratio in list(pending):
            agg = ratio.aggregation
            numerator, denominator = drawn.by_id[agg.numerator_kpi], drawn.by_id[agg.denominator_kpi]
            known = [part.id in drawn.series for part in (numerator, denominator)]
            if known == [False, False]:
                continue
            if known != [True, True]:
                free, fixed = (numerator, denominator) if known == [False, True] else (denominator, numerator)
                drawn.series[free.id] = _derived_part(drawn, ratio, free, fixed, free is numerator)
            pending.remove(ratio)
            progressed = True
        if not progressed:  # neither part known yet: draw the denominator on its own
            drawn.generate(drawn.by_id[pending[0].aggregation.denominator_kpi])


def _part(base: np.ndarray, rate: np.ndarray, scale: float, numerator: bool) -> np.ndarray:
    """The numerator (base × rate / scale) or the denominator (base × scale / rate) of a ratio."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return base * rate / scale if numerator else base * scale / rate


def _derived_part(drawn: _Drawn, ratio: KPI, free: KPI, fixed: KPI, numerator: bool) -> Series:
    """The `free` part of `ratio` from a ratio drawn on its own and the `fixed` part, at the
    finest level they share, summed to the coarser levels and split down to the finer ones."""
    areas = drawn.areas
    scale = ratio.aggregation.scale
    level = ratio.finest_level if ratio.finest_level in areas.levels_for(free) else free.finest_level
    rates = independent(areas, ratio, drawn.periods[ratio.id], {})
    base = drawn.series[fixed.id]
    value = _part(drawn.on(fixed.id, base[level], free.id), drawn.on(ratio.id, rates[level], free.id), scale, numerator)
    levels = areas.levels_for(free)
    derived = sum_up(areas, levels, np.nan_to_num(value, nan=0.0, posinf=0.0), level)
    for coarser, finer in zip(levels[: levels.index(level)], levels[1 : levels.index(level) + 1]):
        # an area whose children are not in the areas frame: its own base × its own rate
        lonely = areas.lonely(coarser, finer)
        if lonely.any() and coarser in rates and coarser in base:
            own = _part(
                drawn.on(fixed.id, base[coarser], free.id),
                drawn.on(ratio.id, rates[coarser], free.id),
                scale,
                numerator,
            )
            derived[coarser][lonely] = np.nan_to_num(own, nan=0.0, posinf=0.0)[lonely]
    for finer_parent, finer in zip(levels[levels.index(level) :], levels[levels.index(level) + 1 :]):
        derived[finer] = split(areas, free, areas.codes[finer_parent], derived[finer_parent], finer)[1]
    return derived


def _never_falling(drawn: _Drawn, kpi: KPI) -> Series:
    """A fiscal-year-to-date count never falls (a count derived from a rate might): each level's
    running maximum, the coarser levels summed from the finest."""
    areas = drawn.areas
    levels = [level for level in areas.levels_for(kpi) if level in drawn.series[kpi.id]]
    own = {level: running_max(drawn.series[kpi.id][level], drawn.periods[kpi.id]) for level in levels}
    summed = sum_up(areas, levels, own[levels[-1]], levels[-1])
    for coarser, finer in zip(levels, levels[1:]):
        lonely = areas.lonely(coarser, finer)
        summed[coarser][lonely] = own[coarser][lonely]
    return summed


def _ratio_of_parts(drawn: _Drawn, ratio: KPI) -> Series:
    """The ratio at each level both its parts reach, computed from the parts as stored (rounded)."""
    agg = ratio.aggregation
    numerator, denominator = drawn.series[agg.numerator_kpi], drawn.series[agg.denominator_kpi]
    computed: Series = {}
    for level in drawn.areas.levels_for(ratio):
        if level not in numerator or level not in denominator:
            continue
        # the parts are stored rounded, so the ratio is computed from the rounded parts
        num = np.round(drawn.on(agg.numerator_kpi, numerator[level], ratio.id), drawn.by_id[agg.numerator_kpi].decimals)
        den = np.round(
            drawn.on(agg.denominator_kpi, denominator[level], ratio.id), drawn.by_id[agg.denominator_kpi].decimals
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            computed[level] = np.where(den > 0, num / den * agg.scale, np.nan)
    return computed


def _versus_schedule(drawn: _Drawn, kpi_id: str, scheduled: KPI) -> np.ndarray:
    """Provinces × periods: the scheduled KPI's rate over the share of its target due by each period."""
    # from the stored (rounded) rate, so the two agree to the stored decimals
    rate = np.round(drawn.on(scheduled.id, drawn.series[scheduled.id]["province"], kpi_id), scheduled.decimals)
    due = np.array(
        [
            (scheduled.target or 100.0) * scheduled.target_share(p.period_type, p.period_no)
            for p in drawn.periods[kpi_id]
        ]
    )
    return rate / due[None, :] * 100.0
