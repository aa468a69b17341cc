"""Scores, statuses, roll-ups and ranks against hand-computed expectations."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from data.rules.catalog import KPI, Aggregation, Direction, StatusRule, Text
from data.rules.periods import Period
from data.rules.scoring import (
    DUE,
    FRESH,
    IMPROVING,
    INSUFFICIENT,
    MISSING,
    NO_DATA,
    NOT_SCORED,
    OFF_TARGET,
    ON_TARGET,
    OVERDUE,
    STABLE,
    WATCH,
    WORSENING,
    achievement_pct,
    better_than_target,
    freshness,
    gated_status,
    goal_scores,
    opdc_score,
    rank_areas,
    status_of,
    trend_of,
    with_overall,
)
from data.store.rollups import aggregate_rows

RULE = StatusRule(on_target=3.0, watch=2.0)


def kpi(
    kpi_id="kpi_k",
    goal="G1",
    direction="higher_better",
    thresholds=(60, 70, 80, 90, 100),
    weight=100.0,
    method="none",
    **aggregation,
) -> KPI:
    text = Text(th="ทดสอบ", en="test")
    return KPI(
        id=kpi_id,
        goal=goal,
        name=text,
        description=text,
        unit=text,
        direction=direction,
        aggregation=Aggregation(method=method, **aggregation),
        frequency="annual",
        period_type="year",
        finest_level="district",
        source_agency=text,
        owner=text,
        thresholds=thresholds,
        weight=weight if thresholds else 0,
        target=80 if thresholds else None,
        target_basis="period" if thresholds else None,
        typical_range=(0, 100),
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        (80, 3.0),  # exactly on threshold 3
        (75, 2.5),  # halfway between 70 (2) and 80 (3)
        (60, 1.0),  # exactly on threshold 1
        (30, 1.0),  # below threshold 1: clipped to 1
        (100, 5.0),
        (130, 5.0),  # above threshold 5: clipped to 5
        (92.5, 4.25),
    ],
)
def test_sco001_higher_is_better_linear_between_thresholds(value, expected):
    assert opdc_score(value, (60, 70, 80, 90, 100), Direction.higher_better) == pytest.approx(expected)


@pytest.mark.parametrize(
    "value, expected",
    [
        (30, 1.0),  # road deaths per 100k: 30 earns 1
        (25, 2.0),
        (22.5, 2.5),
        (20, 3.0),  # exactly on threshold 3
        (12, 4.6),  # between 15 (4) and 10 (5): 4 + (15-12)/5
        (5, 5.0),  # better than threshold 5: clipped
        (45, 1.0),  # worse than threshold 1: clipped
    ],
)
def test_sco002_lower_is_better_uses_decreasing_thresholds(value, expected):
    assert opdc_score(value, (30, 25, 20, 15, 10), Direction.lower_better) == pytest.approx(expected)


def test_sco003_missing_value_and_unscored_kpi_have_no_score():
    assert math.isnan(opdc_score(float("nan"), (1, 2, 3, 4, 5), Direction.higher_better))
    assert math.isnan(opdc_score(50, None, Direction.context))
    scores = opdc_score([80, np.nan, 95], (60, 70, 80, 90, 100), Direction.higher_better)
    assert scores[0] == 3 and math.isnan(scores[1]) and scores[2] == 4.5


@pytest.mark.parametrize(
    "score, expected",
    [
        (3.0, ON_TARGET),
        (4.9, ON_TARGET),
        (2.999, WATCH),
        (2.0, WATCH),
        (1.99, OFF_TARGET),
        (1.0, OFF_TARGET),
        (float("nan"), NO_DATA),
    ],
)
def test_sco004_status_by_the_catalog_rule(score, expected):
    assert status_of(score, RULE) == expected


def test_sco005_status_of_an_unscored_kpi():
    assert list(status_of([12.0, np.nan], RULE, scored=False)) == [NOT_SCORED, NO_DATA]


def test_sco006_stricter_rule_from_the_catalog():
    assert status_of(3.2, StatusRule(on_target=3.5, watch=2.5)) == WATCH


@pytest.mark.parametrize(
    "value, target, direction, expected",
    [
        (90, 80, Direction.higher_better, 112.5),
        (60, 80, Direction.higher_better, 75.0),
        (25, 20, Direction.lower_better, 80.0),  # 20/25: a lower-is-better KPI 25 % over target
        (16, 20, Direction.lower_better, 125.0),
    ],
)
def test_sco007_achievement_against_target(value, target, direction, expected):
    assert achievement_pct(value, target, direction) == pytest.approx(expected)


def test_sco008_missing_target_gives_no_achievement():
    assert math.isnan(achievement_pct(50, float("nan"), Direction.higher_better))
    assert math.isnan(achievement_pct(50, float("nan"), Direction.lower_better))


@pytest.mark.parametrize(
    "values, direction, expected",
    [
        ([10, 11, 12, 13], Direction.higher_better, IMPROVING),
        ([10, 11, 12, 13], Direction.lower_better, WORSENING),
        ([30, 28, 25, 21], Direction.lower_better, IMPROVING),
        ([50, 50.1, 49.9, 50], Direction.higher_better, STABLE),
        ([50], Direction.higher_better, STABLE),
    ],
)
def test_sco009_trend_is_direction_aware(values, direction, expected):
    assert trend_of(values, direction) == expected


def test_sco010_goal_score_renormalises_weights_of_kpis_present():
    kpis = [
        kpi("kpi_a", weight=50),
        kpi("kpi_b", weight=30),
        kpi("kpi_c", weight=20),
        kpi("pop", thresholds=None, direction="context"),
    ]
    frame = pd.DataFrame({"kpi_id": ["kpi_a", "kpi_b", "kpi_c", "pop"], "score": [4.0, 2.0, np.nan, np.nan]})
    goals = goal_scores(frame, kpis)
    row = goals.iloc[0]
    # (50*4 + 30*2) / (50+30) = 260/80 = 3.25; weight with data 80 of 100
    assert row.score == pytest.approx(3.25)
    assert row.coverage == pytest.approx(0.8)
    assert (row.kpis_present, row.kpis_scored, row.missing) == (2, 3, ("kpi_c",))


def test_sco011_goal_without_any_data_is_missing_not_zero():
    goals = goal_scores(pd.DataFrame({"kpi_id": ["kpi_a"], "score": [np.nan]}), [kpi("kpi_a")])
    assert math.isnan(goals.iloc[0].score) and goals.iloc[0].coverage == 0


def _goals(area: str, rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(area_code=area, goal=goal, score=score, coverage=coverage, kpis_present=1, kpis_scored=2, missing=())
            for goal, score, coverage in rows
        ]
    )


def test_sco012_overall_score_is_the_mean_of_sufficient_goals_and_its_coverage_the_mean_goal_coverage():
    goals = _goals(
        "50",
        [("G1", 4.0, 1.0), ("G2", 2.5, 0.8), ("G3", 5.0, 0.2), ("G4", 3.0, 1.0), ("G5", 3.5, 0.6), ("G6", np.nan, 0.0)],
    )
    out = with_overall(goals, RULE).set_index("goal")
    # G3 rests on 20 % of its weight: insufficient, left out of the overall mean (4 + 2.5 + 3 + 3.5) / 4
    assert out.loc["G3", "status"] == INSUFFICIENT and out.loc["G6", "status"] == NO_DATA
    assert out.loc["ALL", "score"] == pytest.approx(3.25)
    assert out.loc["ALL", "coverage"] == pytest.approx((1 + 0.8 + 0.2 + 1 + 0.6 + 0) / 6)
    assert out.loc["ALL", "status"] == ON_TARGET


@pytest.mark.parametrize(
    "coverage, expected",
    [(0.49, INSUFFICIENT), (0.4999, INSUFFICIENT), (0.50, ON_TARGET), (0.51, ON_TARGET), (0.0, NO_DATA)],
)
def test_sco012b_a_goal_below_half_its_weight_is_insufficient_data(coverage, expected):
    """A goal scored 5.00 from 2 of 7 KPIs is not "on target": below 50 % coverage it is insufficient."""
    score = 5.0 if coverage else np.nan
    assert gated_status(score, coverage, RULE) == expected


def test_sco012c_a_province_scored_on_three_kpis_is_insufficient_overall():
    """3 KPIs of 2 goals, all excellent: the overall status is insufficient data, not on target."""
    goals = _goals("52", [("G1", 5.0, 0.3), ("G2", 5.0, 0.15)] + [(g, np.nan, 0.0) for g in ("G3", "G4", "G5", "G6")])
    out = with_overall(goals, RULE).set_index("goal")
    assert out.loc["ALL", "status"] == INSUFFICIENT
    assert out.loc["ALL", "coverage"] == pytest.approx(0.45 / 6)


@pytest.mark.parametrize(
    "value, expected_score, expected_status",
    [
        (69.976, 2.0, WATCH),  # 1 + 9.976 / 10 = 1.9976: shown "2.00", so judged 2.00 (watch), not off target
        (69.94, 1.99, OFF_TARGET),
        (69.95, 2.0, WATCH),  # 1.995 → 2.00: shown 2.00, judged 2.00, watch
        (70.0, 2.0, WATCH),
        (79.949, 2.99, WATCH),
        (79.95, 3.0, ON_TARGET),
    ],
)
def test_sco014_status_agrees_with_the_score_as_shown(value, expected_score, expected_status):
    """Thresholds 60/70/80/90/100: what is shown (two decimals) is what is judged, at every threshold."""
    k = kpi("kpi_a", thresholds=(60, 70, 80, 90, 100))
    score = opdc_score(value, k.thresholds, k.direction)
    shown = f"{score:.2f}"
    assert float(shown) == score
    assert status_of(float(shown), RULE) == status_of(score, RULE)
    assert score == pytest.approx(expected_score) and status_of(score, RULE) == expected_status


def test_sco014b_every_threshold_of_a_random_value_agrees():
    rng = np.random.default_rng(7)
    k = kpi("kpi_a", thresholds=(60, 70, 80, 90, 100))
    values = np.concatenate([rng.uniform(55, 105, 2000), np.arange(59.9, 100.1, 0.001)])
    scores = opdc_score(values, k.thresholds, k.direction)
    shown = np.array([float(f"{s:.2f}") for s in scores])
    assert (status_of(shown, RULE) == status_of(scores, RULE)).all()


def test_sco015_better_than_target_depends_on_direction():
    assert better_than_target(22.0, 25.0, Direction.lower_better) == 1.0  # fewer road deaths than the target
    assert better_than_target(28.0, 25.0, Direction.lower_better) == 0.0
    assert better_than_target(28.0, 25.0, Direction.higher_better) == 1.0
    assert math.isnan(better_than_target(28.0, 25.0, Direction.context))


def value_rows(kpi_id: str, values: dict[str, float]) -> pd.DataFrame:
    """Child rows of one KPI for FY 2569, as the store's roll-up reads them."""
    return pd.DataFrame(
        {
            "kpi_id": kpi_id,
            "area_code": list(values),
            "period_type": "Y",
            "fiscal_year": 2569,
            "period_no": 0,
            "key": 256900,
            "value": list(values.values()),
            "target": np.nan,
            "is_demo": False,
            "is_preliminary": False,
        }
    )


def rolled_up(rows: pd.DataFrame, kpis: dict, children: list[str], expected: int) -> pd.DataFrame:
    """The province "50" rows the store's roll-up (`data.store.rollups.aggregate_rows`) makes of `rows`."""
    parents = pd.Series({code: "50" for code in children})
    return aggregate_rows(rows, kpis, parents, pd.Series({"50": expected})).set_index("kpi_id")


def test_sco013_sum_aggregation_with_one_district_missing():
    rows = value_rows("kpi_k", {"5001": 100.0, "5002": 250.0})  # 5003 reports nothing
    out = rolled_up(rows, {"kpi_k": kpi(method="sum")}, ["5001", "5002", "5003"], expected=3)
    assert out.loc["kpi_k", "value"] == 350.0 and out.loc["kpi_k", "coverage"] == pytest.approx(2 / 3)


def test_sco014_population_weighted_mean():
    rows = pd.concat(
        [value_rows("kpi_k", {"5001": 80.0, "5002": 50.0}), value_rows("pop", {"5001": 300_000.0, "5002": 100_000.0})]
    )
    kpis = {"kpi_k": kpi(method="weighted_mean", weight_kpi="pop"), "pop": kpi("pop", method="sum")}
    out = rolled_up(rows, kpis, ["5001", "5002"], expected=2)
    assert out.loc["kpi_k", "value"] == pytest.approx((80 * 3 + 50 * 1) / 4)  # 72.5


def test_sco015_ratio_from_numerator_and_denominator_not_mean_of_rates():
    # district rates 10 and 40 per 100k; the province rate is (10+20)/(100k+50k)*100k = 20, not 25
    rows = pd.concat(
        [
            value_rows("kpi_k", {"5001": 10.0, "5002": 40.0}),
            value_rows("deaths", {"5001": 10.0, "5002": 20.0}),
            value_rows("population", {"5001": 100_000.0, "5002": 50_000.0}),
        ]
    )
    rule = kpi(method="ratio", numerator_kpi="deaths", denominator_kpi="population", scale=100_000)
    kpis = {"kpi_k": rule, "deaths": kpi("deaths", method="sum"), "population": kpi("population", method="sum")}
    out = rolled_up(rows, kpis, ["5001", "5002"], expected=2)
    assert out.loc["kpi_k", "value"] == pytest.approx(20.0) and out.loc["kpi_k", "coverage"] == 1.0


def test_sco016_kpi_that_is_not_aggregable_gives_no_parent_value():
    out = rolled_up(value_rows("kpi_k", {"5001": 3.0}), {"kpi_k": kpi(method="none")}, ["5001"], expected=1)
    assert "kpi_k" not in out.index


def test_sco017_ranks_and_gap_to_best_follow_direction():
    values = pd.Series({"50": 20.0, "51": 35.0, "52": 20.0, "58": np.nan})
    lower = rank_areas(values, Direction.lower_better)
    assert lower.loc["50", "rank"] == 1 and lower.loc["52", "rank"] == 1 and lower.loc["51", "rank"] == 3
    assert lower.loc["51", "gap_to_best"] == 15.0
    assert pd.isna(lower.loc["58", "rank"]) and lower.loc["50", "of"] == 3
    higher = rank_areas(values, Direction.higher_better)
    assert higher.loc["51", "rank"] == 1 and higher.loc["50", "gap_to_best"] == 15.0


@pytest.mark.parametrize(
    "latest, frequency, today, expected",
    [
        (Period("M", 2570, 1), "monthly", dt.date(2026, 11, 21), FRESH),  # Oct 2026 data in Nov 2026
        (Period("M", 2569, 11), "monthly", dt.date(2026, 11, 21), DUE),  # Aug 2026: Sep data expected by 31 Oct
        (Period("M", 2569, 10), "monthly", dt.date(2026, 11, 21), OVERDUE),  # Jul 2026: Aug due until 1 Nov
        (Period("M", 2569, 1), "monthly", dt.date(2026, 11, 21), OVERDUE),  # Oct 2025 data a year later
        (Period("Y", 2568, 0), "annual", dt.date(2026, 11, 21), FRESH),  # FY2568 ended Sep 2025; FY2569 due Mar 2027
        (Period("Y", 2566, 0), "annual", dt.date(2026, 11, 21), OVERDUE),
        (None, "annual", dt.date(2026, 11, 21), MISSING),
    ],
)
def test_sco018_freshness_against_frequency(latest, frequency, today, expected):
    assert freshness(latest, frequency, today) == expected


def test_sco016_a_cumulative_kpi_in_month_2_is_judged_against_two_twelfths_of_its_target():
    """Closed cases: a fiscal-year target of 1,200 (thresholds 600/900/1,200/1,500/1,800), pro-rated.
    In month 2, 210 cases against 1,200 × 2/12 = 200 due: thresholds 100/150/200/250/300, so the
    score is 3 + 10/50 = 3.2, on target, and 10 cases better than target; against the full-year
    target it would have been off target (score 1)."""
    from data.rules.catalog import Catalog
    from data.store.frames import score_rows

    k = KPI(
        id="cases_closed",
        goal="G5",
        name=Text(th="ยุติ", en="closed"),
        description=Text(th="ก", en="a"),
        unit=Text(th="เรื่อง", en="cases"),
        direction="higher_better",
        aggregation=Aggregation(method="sum"),
        frequency="monthly",
        period_type="month",
        finest_level="province",
        source_agency=Text(th="ก", en="a"),
        owner=Text(th="ก", en="a"),
        thresholds=(600, 900, 1200, 1500, 1800),
        weight=100,
        target=1200,
        target_basis="fiscal_year",
        cumulative=True,
        typical_range=(0, 5000),
    )
    catalog = Catalog(as_of=dt.date(2026, 10, 1), kpis=(k,))
    rows = pd.DataFrame(
        {
            "kpi_id": ["cases_closed"] * 3,
            "area_code": ["50"] * 3,
            "period_type": ["M"] * 3,
            "fiscal_year": [2570] * 3,
            "period_no": [2, 6, 12],
            "value": [210.0, 590.0, 1100.0],
            "target": [np.nan] * 3,
        }
    )
    out = score_rows(rows, {"cases_closed": k}, catalog, "province")
    assert out["target"].tolist() == pytest.approx([200.0, 600.0, 1200.0])
    # month 6: thresholds 300/450/600/750/900, 590 → 2 + 140/150 = 2.93; month 12: 1,100 → 2 + 200/300 = 2.67
    assert out["score"].tolist() == pytest.approx([3.2, 2.93, 2.67])
    assert out["status"].tolist() == [ON_TARGET, WATCH, WATCH]
    assert out["gap"].tolist() == pytest.approx([10.0, -10.0, -100.0])
    assert out["better"].tolist() == [1.0, 0.0, 0.0]
