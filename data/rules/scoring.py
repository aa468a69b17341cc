"""How KPI values become scores, statuses and ranks. Pure functions, no SQL (roll-ups of
values to clusters, regions and the country are the store's: `data.store.rollups`).

Every view — pages, the wall screen, the ESR — gets its numbers through the query layer,
which calls these functions, so a number is computed one way only.

OPDC scoring: the catalog gives the values that earn scores 1..5; a value in between is
interpolated linearly and the score is clipped to 1..5; for a lower-is-better KPI the
thresholds decrease. A goal's score is the weighted mean of the scores of its KPIs that have
data; missing KPIs are reported through the coverage, never counted as zero.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from data.rules.catalog import KPI, Direction, StatusRule
from data.rules.periods import Period

ON_TARGET, WATCH, OFF_TARGET, NO_DATA, NOT_SCORED = "on_target", "watch", "off_target", "no_data", "not_scored"
INSUFFICIENT = "insufficient_data"  # a goal or overall score resting on too little of its weight
RANKED_STATUSES = (ON_TARGET, WATCH, OFF_TARGET)
FRESH, DUE, OVERDUE, MISSING = "fresh", "due", "overdue", "missing"
IMPROVING, WORSENING, STABLE = "improving", "worsening", "stable"

# How long a source takes to publish after a period ends, by how often it publishes.
PUBLICATION_LAG_DAYS = {"daily": 2, "weekly": 7, "monthly": 30, "quarterly": 60, "annual": 180, "biennial": 365}


# --------------------------------------------------------------------------- one value


SCORE_DECIMALS = 2  # scores are shown with two decimals, and judged on what is shown


def opdc_score(values, thresholds: Sequence[float] | None, direction: Direction):
    """Scores 1..5 for `values` (scalar or array), rounded to the two decimals every view shows
    (so a status never disagrees with the score beside it); NaN where missing or unscored."""
    array = np.asarray(values, dtype=float)
    if thresholds is None or direction is Direction.context:
        return np.full(array.shape, np.nan) if array.shape else math.nan
    points = np.asarray(thresholds, dtype=float)
    scores = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    if direction is Direction.lower_better:
        points, scores = points[::-1], scores[::-1]
    result = np.round(np.interp(array, points, scores), SCORE_DECIMALS)  # flat (clipped) outside the thresholds
    result = np.where(np.isnan(array), np.nan, result)
    return float(result) if result.shape == () else result


def status_of(scores, rule: StatusRule, scored: bool = True):
    """Status per score: on target, watch, off target, no data (or not scored)."""
    array = np.asarray(scores, dtype=float)
    if not scored:
        result = np.where(np.isnan(array), NO_DATA, NOT_SCORED)
    else:
        result = np.select(
            [np.isnan(array), array >= rule.on_target, array >= rule.watch],
            [NO_DATA, ON_TARGET, WATCH],
            default=OFF_TARGET,
        )
    return str(result) if result.shape == () else result


def achievement_pct(values, targets, direction: Direction):
    """Achievement against target in %: value/target when higher is better, target/value when lower is."""
    value = np.asarray(values, dtype=float)
    target = np.asarray(targets, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if direction is Direction.lower_better:
            result = np.where(value > 0, target / value * 100.0, np.where(value == 0, np.inf, np.nan))
            result = np.where(np.isnan(target), np.nan, result)
        elif direction is Direction.higher_better:
            result = np.where(target != 0, value / target * 100.0, np.nan)
        else:
            result = np.full(np.broadcast(value, target).shape, np.nan)
    return float(result) if np.ndim(result) == 0 else result


def better_than_target(values, targets, direction: Direction):
    """1.0 where the value is on the good side of its target (or on it), 0.0 where short of it, NaN
    where either is missing or the KPI has no better direction."""
    value = np.asarray(values, dtype=float)
    target = np.asarray(targets, dtype=float)
    if direction is Direction.context:
        result = np.full(np.broadcast(value, target).shape, np.nan)
    else:
        good = value >= target if direction is Direction.higher_better else value <= target
        result = np.where(np.isnan(value) | np.isnan(target), np.nan, good.astype(float))
    return float(result) if np.ndim(result) == 0 else result


def trend_of(values: Sequence[float], direction: Direction, tolerance: float = 0.01) -> str:
    """Improving, worsening or stable over `values` (oldest first), by the least-squares slope
    relative to the mean level; fewer than 2 points is stable."""
    series = np.asarray([v for v in values if v is not None and not np.isnan(v)], dtype=float)
    if len(series) < 2:
        return STABLE
    slope = np.polyfit(np.arange(len(series)), series, 1)[0]
    scale = abs(series.mean()) or 1.0
    relative = slope / scale
    if abs(relative) < tolerance or direction is Direction.context:
        return STABLE
    better = relative > 0 if direction is Direction.higher_better else relative < 0
    return IMPROVING if better else WORSENING


# --------------------------------------------------------------------------- goals


def goal_scores(frame: pd.DataFrame, kpis: Sequence[KPI]) -> pd.DataFrame:
    """Per goal: weighted mean of the KPI scores present, re-normalised over the weights present.

    `frame` has columns kpi_id and score (NaN = no data) for one area. Returns goal, score,
    coverage, kpis_present, kpis_scored and missing (a tuple of KPI ids).
    """
    frame = frame.assign(area_code="_")
    result = goal_scores_by_area(frame, kpis)
    return result.drop(columns="area_code").reset_index(drop=True)


def goal_scores_by_area(frame: pd.DataFrame, kpis: Sequence[KPI]) -> pd.DataFrame:
    """`goal_scores` for many areas at once: `frame` has area_code, kpi_id and score (one row per
    area and KPI). Rows sorted by area and goal; a goal without scored KPIs has no row.

    Done on one area × KPI matrix with numpy: the grid, merges and named aggregations it
    replaces cost ~40 ms for the 77 provinces, on every cold province-level page."""
    scored = [k for k in kpis if k.scored]
    areas = np.sort(frame["area_code"].unique().astype(object))
    column = {k.id: i for i, k in enumerate(scored)}
    matrix = np.full((len(areas), len(scored)), np.nan)
    rows = frame[frame["kpi_id"].isin(column.keys())]
    if len(rows):
        matrix[np.searchsorted(areas, rows["area_code"].to_numpy(object)), rows["kpi_id"].map(column).to_numpy(int)] = (
            pd.to_numeric(rows["score"], errors="coerce").to_numpy(float)
        )
    present = ~np.isnan(matrix)
    weights = np.array([k.weight for k in scored], dtype=float)
    ids = np.array([k.id for k in scored], dtype=object)
    goal_of = np.array([k.goal for k in scored], dtype=object)
    parts = []
    for goal in sorted(set(goal_of)):
        cols = np.flatnonzero(goal_of == goal)
        w, here = weights[cols], present[:, cols]
        weight_present = (here * w).sum(axis=1)
        weight_all = w.sum()
        total = (np.where(here, matrix[:, cols], 0.0) * w).sum(axis=1)
        parts.append(
            pd.DataFrame(
                {
                    "area_code": areas,
                    "goal": goal,
                    "score": np.round(
                        np.where(weight_present > 0, total / np.where(weight_present > 0, weight_present, 1), np.nan),
                        SCORE_DECIMALS,
                    ),
                    "coverage": weight_present / weight_all if weight_all > 0 else np.zeros(len(areas)),
                    "kpis_present": here.sum(axis=1).astype(int),
                    "kpis_scored": np.full(len(areas), len(cols), dtype=np.int64),
                    "missing": [tuple(ids[cols][~row]) for row in here],
                }
            )
        )
    columns = ["area_code", "goal", "score", "coverage", "kpis_present", "kpis_scored", "missing"]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True).sort_values(["area_code", "goal"], kind="stable", ignore_index=True)
    return out[columns]


def gated_status(scores, coverage, rule: StatusRule):
    """The status of goal or overall scores: by the score, unless its coverage (0-1, the share of
    its weight with data) is below the rule's `min_coverage`: then "insufficient data" (or "no
    data" when nothing at all is there)."""
    status = np.asarray(status_of(scores, rule), dtype=object)
    covered = np.asarray(coverage, dtype=float)
    short = (np.nan_to_num(covered, nan=0.0) * 100.0 < rule.min_coverage - 1e-9) & (status != NO_DATA)
    result = np.where(short, INSUFFICIENT, status)
    return str(result) if result.shape == () else result


def with_overall(goals: pd.DataFrame, rule: StatusRule, goal_count: int = 6) -> pd.DataFrame:
    """Goal rows (from `goal_scores_by_area`) with their gated status, plus the overall score of
    each area as goal "ALL": the mean of the scores of its goals with sufficient data, its
    coverage the mean of the `goal_count` goals' coverage (a goal without data counts 0), so an
    area scored on a handful of KPIs is "insufficient data", however good they are."""
    goals = goals.copy()
    goals["status"] = gated_status(goals["score"].to_numpy(dtype=float), goals["coverage"].to_numpy(dtype=float), rule)
    rows = []
    for area_code, group in goals.groupby("area_code", sort=True):
        sufficient = group[group["status"].isin(RANKED_STATUSES)]
        coverage = float(group["coverage"].astype(float).sum()) / max(goal_count, len(group), 1)
        scored = sufficient if not sufficient.empty else group
        score = float(scored["score"].mean()) if scored["score"].notna().any() else math.nan
        rows.append(
            dict(
                area_code=area_code,
                goal="ALL",
                score=round(score, SCORE_DECIMALS) if not math.isnan(score) else math.nan,
                coverage=coverage,
                kpis_present=int(group["kpis_present"].sum()),
                kpis_scored=int(group["kpis_scored"].sum()),
                missing=(),
            )
        )
    overall = pd.DataFrame(
        rows, columns=["area_code", "goal", "score", "coverage", "kpis_present", "kpis_scored", "missing"]
    )
    overall["status"] = (
        gated_status(overall["score"].to_numpy(dtype=float), overall["coverage"].to_numpy(dtype=float), rule)
        if len(overall)
        else pd.Series(dtype=object)
    )
    return pd.concat([goals, overall], ignore_index=True)


def ranked_score(frame: pd.DataFrame) -> pd.Series:
    """The score where it may be ranked (a status judged on enough data), else NaN: insufficient
    and missing scores stay out of ranks, best and worst lists."""
    return frame["score"].where(frame["status"].isin(RANKED_STATUSES))


# --------------------------------------------------------------------------- aggregation


# --------------------------------------------------------------------------- ranks


def rank_within(
    frame: pd.DataFrame, value: str, sign: pd.Series | float, groups: list[str], suffix: str
) -> pd.DataFrame:
    """Add rank_<suffix> (1 = best; ties share the better rank), <suffix>_size (areas ranked)
    and gap_to_best_<suffix> (distance to the best, in the value's unit, >= 0) per group.

    `sign` is +1 where higher is better and -1 where lower is better (per row or for all).
    Rows without a value get no rank; rows without a group (Bangkok has no cluster) get
    nothing. One sort of plain arrays: per-group pandas ranking costs more than the queries.
    """
    goodness = frame[value].to_numpy(dtype=float, na_value=np.nan) * (
        sign.to_numpy(dtype=float) if isinstance(sign, pd.Series) else sign
    )
    group = np.zeros(len(frame), dtype=np.int64)
    for name in groups:  # one integer per combination of the group columns; -1 without a group
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)
        group = np.where((group < 0) | (codes < 0), -1, group * (len(uniques) + 1) + codes)
    grouped = group >= 0
    valued = grouped & ~np.isnan(goodness)
    rank = np.full(len(frame), -1, dtype=np.int64)
    best = np.full(len(frame), np.nan)
    size = np.zeros(len(frame), dtype=np.int64)
    if valued.any():
        rows = np.flatnonzero(valued)
        order = rows[np.lexsort((-goodness[rows], group[rows]))]  # by group, best first
        g, v = group[order], goodness[order]
        index = np.arange(len(order))
        new_group = np.r_[True, g[1:] != g[:-1]]
        new_run = new_group | np.r_[True, v[1:] != v[:-1]]
        group_start = np.maximum.accumulate(np.where(new_group, index, 0))
        run_start = np.maximum.accumulate(np.where(new_run, index, 0))
        rank[order] = run_start - group_start + 1
        starts = np.flatnonzero(new_group)
        counts = np.diff(np.r_[starts, len(order)])
        lookup = pd.Index(g[starts])
        position = lookup.get_indexer(group)
        present = position >= 0
        size[present] = counts[position[present]]
        best[present] = v[starts][position[present]]
    frame = frame.copy()
    frame[f"rank_{suffix}"] = pd.arrays.IntegerArray(np.maximum(rank, 0), rank <= 0)  # masked: no rank
    frame[f"{suffix}_size"] = pd.arrays.IntegerArray(size, ~grouped)
    frame[f"gap_to_best_{suffix}"] = best - goodness
    return frame


def direction_sign(direction: Direction) -> float:
    """+1 when higher is better (or for context KPIs, ranked by size), -1 when lower is better."""
    return -1.0 if direction is Direction.lower_better else 1.0


def rank_areas(values: pd.Series, direction: Direction) -> pd.DataFrame:
    """Rank, gap to the best and number ranked for one set of areas (see `rank_within`)."""
    frame = pd.DataFrame({"value": values, "group": 0})
    ranked = rank_within(frame, "value", direction_sign(direction), ["group"], "x")
    return pd.DataFrame(
        {"rank": ranked["rank_x"], "gap_to_best": ranked["gap_to_best_x"], "of": ranked["x_size"]}, index=values.index
    )


# --------------------------------------------------------------------------- data quality


def freshness(latest: Period | None, frequency: str, today: dt.date, lag_days: int | None = None) -> str:
    """Fresh, due or overdue: has the source published the period after the latest one yet?

    The next period (two years on for a biennial KPI) is expected `lag` days after it ends;
    it is due for one more period's length after that, then overdue.
    """
    if latest is None:
        return MISSING
    lag = PUBLICATION_LAG_DAYS[frequency] if lag_days is None else lag_days
    following = latest.next()
    if frequency == "biennial":
        following = following.next()
    expected_by = following.end + dt.timedelta(days=lag)
    if today <= expected_by:
        return FRESH
    if today <= expected_by + (following.end - following.start):
        return DUE
    return OVERDUE
