"""The query layer (`data.query`) against a real store, on SQLite and PostgreSQL.

Each test writes a tiny dataset through `logged_import` + `write_values` (so the store's
data_version moves as it does in production) and asserts on what a user would see: values,
targets, scores, statuses, ranks, coverage, freshness, labels. Expected numbers are worked
out by hand in the comments from the thresholds in `kpi_definitions.yaml`; the tests never
call the scoring code to produce an expected value.

Dates: TODAY = 21 Nov 2026 lies in FY 2570 (Oct 2026 - Sep 2027), so as of TODAY the latest
ended fiscal year is FY 2569 (Oct 2025 - Sep 2026), the latest ended quarter Q4/2569
(Jul-Sep 2026) and the latest ended month Oct 2026 (FY 2570 month 1).
"""

from __future__ import annotations

import datetime as dt
import math

import geothai
import numpy as np
import pandas as pd
import pytest

from data import query as queries
from data.query import cache as cache_module
from data.query import periods as query_periods
from data.query import quality as query_quality
from data.query import reference as query_areas
from data.query import rows as query_rows
from data.query import scores as query_scores
from data.rules.catalog import get_catalog
from data.rules.periods import Period
from data.store.schema import VALUE_COLUMNS
from data.store.setup import logged_import
from data.store.values import write_values

TODAY = dt.date(2026, 11, 21)
CLUSTER_1 = {"50", "51", "52", "58"}
REDIS_URL = "redis://127.0.0.1:6379/15"


# --------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _fresh_cache():
    """`store` wipes values between tests, and SQLite reuses import ids (hence data_version
    values) after the wipe, so a cached answer of an earlier test could match: start clean."""
    cache_module.invalidate()
    yield
    cache_module.invalidate()


def Y(fiscal_year: int) -> Period:
    return Period("Y", fiscal_year, 0)


def Q(fiscal_year: int, quarter: int) -> Period:
    return Period("Q", fiscal_year, quarter)


def M(fiscal_year: int, month: int) -> Period:
    return Period("M", fiscal_year, month)


def v(kpi_id: str, area_code: str, period: Period, value: float, target: float | None = None) -> dict:
    return dict(
        kpi_id=kpi_id,
        area_code=area_code,
        period_type=period.period_type,
        fiscal_year=period.fiscal_year,
        period_no=period.period_no,
        value=float(value),
        target=np.nan if target is None else float(target),
        source=None,
        is_preliminary=False,
        is_revised=False,
        is_demo=False,
    )


def load(store, rows: list[dict]) -> None:
    """Import `rows` the way every import does: one logged transaction that bumps data_version."""
    frame = pd.DataFrame(rows, columns=list(VALUE_COLUMNS))
    with logged_import(store, "values", "test", "tester") as (connection, counts):
        result = write_values(connection, frame, counts["import_id"], "tester")
        counts.update(rows_read=len(frame), **result)


def by_kpi(frame: pd.DataFrame) -> pd.DataFrame:
    assert not frame["kpi_id"].duplicated().any()
    return frame.set_index("kpi_id")


def by_area(frame: pd.DataFrame) -> pd.DataFrame:
    assert not frame["area_code"].duplicated().any()
    return frame.set_index("area_code")


def isnan(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def cluster_dataset() -> list[dict]:
    """FY 2569 values of the four provinces of cluster 1, Phayao (57, cluster 2) and Bangkok.

    province  road_deaths  population  per 100k  mmr1 %  real GPP growth %
    50            218        800,000     27.25     95         3.5
    51            120        400,000     30        90         2.0
    52             60        300,000     20        98         1.0
    58             20        100,000     20        86         4.0
    57            500      1,000,000     50        80         0.0   (cluster 2)
    10              -            -       15         -          -    (no cluster)
    """
    fy = Y(2569)
    table = {
        "50": (218, 800_000, 27.25, 95, 3.5),
        "51": (120, 400_000, 30, 90, 2.0),
        "52": (60, 300_000, 20, 98, 1.0),
        "58": (20, 100_000, 20, 86, 4.0),
        "57": (500, 1_000_000, 50, 80, 0.0),
    }
    rows = []
    for code, (deaths, population, rate, mmr, growth) in table.items():
        rows += [
            v("road_deaths", code, fy, deaths),
            v("population_registered", code, fy, population),
            v("road_deaths_per_100k", code, fy, rate),
            v("mmr1_coverage_pct", code, fy, mmr),
            v("gpp_real_growth", code, fy, growth),
        ]
    rows.append(v("road_deaths_per_100k", "10", fy, 15))
    return rows


# --------------------------------------------------------------------------- 1. scorecard


def scorecard_dataset() -> list[dict]:
    rows = [
        # lower is better, thresholds 35,30,25,20,15; the FY 2569 row carries its own target 24
        v("road_deaths_per_100k", "50", Y(2566), 28),
        v("road_deaths_per_100k", "50", Y(2567), 26),
        v("road_deaths_per_100k", "50", Y(2568), 24),
        v("road_deaths_per_100k", "50", Y(2569), 22.5, target=24),
        # higher is better, thresholds 0.5,1.5,2.5,3.5,4.5; no target in the rows (catalog: 2.5)
        v("gpp_real_growth", "50", Y(2566), 4.5),
        v("gpp_real_growth", "50", Y(2567), 4.0),
        v("gpp_real_growth", "50", Y(2568), 3.8),
        v("gpp_real_growth", "50", Y(2569), 3.5),
        # quarterly, lower is better, thresholds 2.0,1.5,1.0,0.7,0.4
        v("unemployment_rate", "50", Q(2568, 4), 1.5),
        v("unemployment_rate", "50", Q(2569, 3), 1.25),
        v("unemployment_rate", "50", Q(2569, 4), 1.1, target=1.2),
        v("unemployment_rate", "50", Q(2570, 1), 0.5),  # Oct-Dec 2026: not over on TODAY
        # higher is better, thresholds 40,50,60,70,80
        v("drug_treatment_retention", "50", Y(2569), 45),
        # a neighbour's value must not leak into province 50
        v("gpp_real_growth", "51", Y(2569), 0.1),
    ]
    return rows


def test_qry001_scorecard_value_target_score_status(store, catalog):
    load(store, scorecard_dataset())
    card = by_kpi(queries.scorecard(store, "50", today=TODAY))
    # one row per KPI of the catalog, data or not
    assert set(card.index) == {k.id for k in catalog.kpis}
    assert (card["area_code"] == "50").all()

    thresholds = {k.id: k.thresholds for k in catalog.kpis}
    assert thresholds["road_deaths_per_100k"] == (35, 30, 25, 20, 15)
    assert thresholds["gpp_real_growth"] == (0.5, 1.5, 2.5, 3.5, 4.5)
    assert thresholds["unemployment_rate"] == (2.0, 1.5, 1.0, 0.7, 0.4)
    assert thresholds["drug_treatment_retention"] == (40, 50, 60, 70, 80)

    # lower is better: 22.5 lies between 25 (score 3) and 20 (score 4) -> 3 + 2.5/5 = 3.5;
    # 3.5 >= 3 -> on target; the row's own target 24 is used; achievement 24 / 22.5 = 106.67 %
    road = card.loc["road_deaths_per_100k"]
    assert (road.fiscal_year, road.period_no, road.period_type) == (2569, 0, "Y")
    assert road.value == pytest.approx(22.5)
    assert road.target == pytest.approx(24)
    assert road.score == pytest.approx(3.5)
    assert road.status == "on_target"
    assert road.achievement == pytest.approx(24 / 22.5 * 100)

    # exactly on a threshold: 3.5 earns exactly 4; no row target -> catalog target 2.5;
    # achievement 3.5 / 2.5 = 140 %
    growth = card.loc["gpp_real_growth"]
    assert growth.value == pytest.approx(3.5)
    assert growth.score == pytest.approx(4.0)
    assert growth.status == "on_target"
    assert growth.target == pytest.approx(2.5)
    assert growth.achievement == pytest.approx(140.0)

    # quarterly, latest ended quarter Q4/2569: 1.1 between 1.5 (2) and 1.0 (3) -> 2 + 0.4/0.5 = 2.8;
    # 2 <= 2.8 < 3 -> watch; achievement (lower better) 1.2 / 1.1 = 109.09 %
    unemployment = card.loc["unemployment_rate"]
    assert (unemployment.period_type, unemployment.fiscal_year, unemployment.period_no) == ("Q", 2569, 4)
    assert unemployment.value == pytest.approx(1.1)
    assert unemployment.score == pytest.approx(2.8)
    assert unemployment.status == "watch"
    assert unemployment.achievement == pytest.approx(1.2 / 1.1 * 100)

    # 45 between 40 (1) and 50 (2) -> 1.5 < 2 -> off target; catalog target 60 -> 75 %
    drug = card.loc["drug_treatment_retention"]
    assert drug.score == pytest.approx(1.5)
    assert drug.status == "off_target"
    assert drug.target == pytest.approx(60)
    assert drug.achievement == pytest.approx(75.0)

    # no data at all: listed, with status no_data and freshness missing
    ita = card.loc["ita_score"]
    assert isnan(ita.value) and isnan(ita.score)
    assert ita.status == "no_data"
    assert ita.freshness == "missing"
    assert ita.owner_th == "สำนักงานจังหวัด"

    # a monitored (unscored) KPI is never given a score
    assert card.loc["road_deaths", "status"] == "no_data"


def test_qry002_scorecard_change_yoy_and_trend(store):
    load(store, scorecard_dataset())
    card = by_kpi(queries.scorecard(store, "50", today=TODAY))

    # quarterly: previous period Q3/2569 = 1.25 -> change -0.15 = -12 %;
    # a year earlier Q4/2568 = 1.5 -> change -0.4 = -26.67 %
    unemployment = card.loc["unemployment_rate"]
    assert unemployment.prev_value == pytest.approx(1.25)
    assert unemployment.change == pytest.approx(-0.15)
    assert unemployment.change_pct == pytest.approx(-12.0)
    assert unemployment.yoy_value == pytest.approx(1.5)
    assert unemployment.yoy_change == pytest.approx(-0.4)
    assert unemployment.yoy_change_pct == pytest.approx(-0.4 / 1.5 * 100)
    # the Q1/2570 value (period not over on TODAY) is not part of the trend either
    assert unemployment.trend_values == pytest.approx((1.5, 1.25, 1.1))

    # annual: the previous period is also the year earlier, FY 2568 = 24 -> -1.5 = -6.25 %
    road = card.loc["road_deaths_per_100k"]
    assert road.prev_value == pytest.approx(24) and road.yoy_value == pytest.approx(24)
    assert road.change == pytest.approx(-1.5)
    assert road.change_pct == pytest.approx(-6.25)
    # 28, 26, 24, 22.5: falling, and lower is better -> improving
    assert road.trend_values == pytest.approx((28, 26, 24, 22.5))
    assert road.trend == "improving"

    # 4.5, 4.0, 3.8, 3.5: falling, and higher is better -> worsening
    growth = card.loc["gpp_real_growth"]
    assert growth.trend_values == pytest.approx((4.5, 4.0, 3.8, 3.5))
    assert growth.trend == "worsening"
    assert growth.change == pytest.approx(-0.3)

    # a single point has no trend
    assert card.loc["drug_treatment_retention", "trend"] == "stable"
    assert isnan(card.loc["drug_treatment_retention", "prev_value"])


def test_qry003_scorecard_shows_latest_period_ended_by_the_selected_period(store):
    load(store, scorecard_dataset())

    # selected Q3/2569 (Apr-Jun 2026): Q4/2569 and Q1/2570 are later and ignored
    card = by_kpi(queries.scorecard(store, "50", period=Q(2569, 3)))
    unemployment = card.loc["unemployment_rate"]
    assert (unemployment.fiscal_year, unemployment.period_no) == (2569, 3)
    assert unemployment.value == pytest.approx(1.25)
    # 1.25 between 1.5 (2) and 1.0 (3) -> 2 + 0.25/0.5 = 2.5; Q2/2569 absent -> no change
    assert unemployment.score == pytest.approx(2.5)
    assert isnan(unemployment.prev_value)
    assert isnan(unemployment.yoy_value)  # Q3/2568 absent
    # annual KPIs: FY 2569 ends 30 Sep 2026, after 30 Jun 2026 -> FY 2568
    road = card.loc["road_deaths_per_100k"]
    assert (road.fiscal_year, road.value) == (2568, pytest.approx(24))
    # 24 between 25 (3) and 20 (4) -> 3 + 1/5 = 3.2; FY 2568 row has no target -> catalog 25
    assert road.score == pytest.approx(3.2)
    assert road.target == pytest.approx(25)
    assert road.trend_values == pytest.approx((28, 26, 24))
    growth = card.loc["gpp_real_growth"]
    # 3.8 between 3.5 (4) and 4.5 (5) -> 4.3
    assert (growth.fiscal_year, growth.value, growth.score) == (2568, pytest.approx(3.8), pytest.approx(4.3))
    # a KPI whose only value is later than the selected period has no data then
    assert card.loc["drug_treatment_retention", "status"] == "no_data"

    # selected FY 2567: FY 2568 and 2569 are ignored
    card = by_kpi(queries.scorecard(store, "50", period=Y(2567)))
    assert card.loc["road_deaths_per_100k", "value"] == pytest.approx(26)
    assert card.loc["gpp_real_growth", "value"] == pytest.approx(4.0)
    # the quarterly KPI: Q4/2567 is the latest quarter ended by 30 Sep 2567 (2024) -> none stored
    assert card.loc["unemployment_rate", "status"] == "no_data"

    # a month selected: Oct 2026 (FY 2570 month 1) -> latest quarter ended by 31 Oct 2026 is Q4/2569
    card = by_kpi(queries.scorecard(store, "50", period=M(2570, 1)))
    assert card.loc["unemployment_rate", "value"] == pytest.approx(1.1)
    # ... and Q1/2570 once it is over
    card = by_kpi(queries.scorecard(store, "50", period=Q(2570, 1)))
    assert card.loc["unemployment_rate", "value"] == pytest.approx(0.5)


# --------------------------------------------------------------------------- 2. goal summary


def test_qry004_goal_summary_weighted_renormalised_with_coverage(store, catalog):
    fy = Y(2569)
    load(
        store,
        [
            v("road_deaths_per_100k", "50", fy, 22.5),  # G2 w25: 3.5 (see qry001)
            v("drug_treatment_retention", "50", fy, 45),  # G2 w15: 1.5
            v("suicide_rate", "50", fy, 8.5),  # G2 w10: thresholds 10,9,8,7,6 -> 2 + 0.5 = 2.5
            v("gpp_real_growth", "50", fy, 3.5),  # G1 w15: 4.0
        ],
    )
    weights = {k.id: k.weight for k in catalog.kpis}
    assert (
        weights["road_deaths_per_100k"],
        weights["drug_treatment_retention"],
        weights["suicide_rate"],
        weights["gpp_real_growth"],
    ) == (25, 15, 10, 15)
    assert tuple(catalog.by_id()["suicide_rate"].thresholds) == (10, 9, 8, 7, 6)
    g2_scored = {k.id for k in catalog.kpis if k.goal == "G2" and k.scored}
    assert len(g2_scored) == 7
    all_scored = sum(1 for k in catalog.kpis if k.scored)

    goals = queries.goal_summary(store, "50", today=TODAY).set_index("goal")
    assert list(goals.index) == ["G1", "G2", "G3", "G4", "G5", "G6", "ALL"]

    # G2 = (3.5*25 + 1.5*15 + 2.5*10) / (25+15+10) = 135/50 = 2.7 (not 135/100 = 1.35:
    # missing KPIs are not zeros); coverage = 50/100 of the goal's weight
    g2 = goals.loc["G2"]
    assert g2.score == pytest.approx(2.7)
    assert g2.coverage == pytest.approx(0.5)
    assert (g2.kpis_present, g2.kpis_scored) == (3, 7)
    assert set(g2.missing) == g2_scored - {"road_deaths_per_100k", "drug_treatment_retention", "suicide_rate"}
    assert g2.status == "watch"

    # G1: only real GPP growth (weight 15 of 100) -> 4.0, coverage 0.15
    assert goals.loc["G1", "score"] == pytest.approx(4.0)
    assert goals.loc["G1", "coverage"] == pytest.approx(0.15)
    assert goals.loc["G1", "status"] == "insufficient_data"  # 15 % of its weight: below the 50 % minimum

    # goals without data: no score (never 0), coverage 0, no_data
    for goal in ("G3", "G4", "G5", "G6"):
        assert isnan(goals.loc[goal, "score"])
        assert goals.loc[goal, "coverage"] == 0
        assert goals.loc[goal, "status"] == "no_data"

    # ALL: the mean of the goals with sufficient data (G2 only: 2.7); coverage the mean goal
    # coverage (0.5 + 0.15) / 6: a province scored on 4 KPIs is insufficient data, not ranked
    overall = goals.loc["ALL"]
    assert overall.score == pytest.approx(2.7)
    assert overall.coverage == pytest.approx(0.65 / 6)
    assert overall.status == "insufficient_data"
    assert overall.kpis_present == 4
    assert overall.kpis_scored == all_scored
    assert not goals["is_demo"].any()


# --------------------------------------------------------------------------- 3. aggregation


def district_dataset() -> list[dict]:
    """FY 2569, province 50 has only district values; 5025 (Galyani Vadhana) is missing.

    5001: 34 deaths / 340,000 people = 10 per 100k; 5002..5024 (23 districts): 8 / 20,000 = 40.
    Province: deaths 34 + 23*8 = 218, people 340,000 + 23*20,000 = 800,000,
    ratio 218 / 800,000 * 100,000 = 27.25 (the mean of the rates would be (10 + 23*40)/24 = 38.75).
    """
    fy = Y(2569)
    rows = [
        v("road_deaths", "5001", fy, 34),
        v("population_registered", "5001", fy, 340_000),
        v("road_deaths_per_100k", "5001", fy, 10),
    ]
    for number in range(2, 25):
        code = f"50{number:02d}"
        rows += [
            v("road_deaths", code, fy, 8),
            v("population_registered", code, fy, 20_000),
            v("road_deaths_per_100k", code, fy, 40),
        ]
    return rows


def test_qry005_province_value_aggregated_from_districts(store):
    districts = [d.code for d in geothai.districts("50")]
    assert len(districts) == 25 and districts[0] == "5001" and districts[-1] == "5025"
    load(store, district_dataset())

    card = by_kpi(queries.scorecard(store, "50", today=TODAY))
    # sum: 218, coverage 24 of 25 districts
    deaths = card.loc["road_deaths"]
    assert deaths.value == pytest.approx(218)
    assert deaths.coverage == pytest.approx(24 / 25)
    assert bool(deaths.is_aggregated)
    assert isnan(deaths.target)  # a sum KPI has no catalog target
    assert card.loc["population_registered", "value"] == pytest.approx(800_000)
    # ratio: sum of numerators / sum of denominators * 100,000 = 27.25, not 38.75;
    # 27.25 between 30 (2) and 25 (3) -> 2 + 2.75/5 = 2.55 -> watch; catalog target 25
    rate = card.loc["road_deaths_per_100k"]
    assert rate.value == pytest.approx(27.25)
    assert rate.coverage == pytest.approx(24 / 25)
    assert rate.score == pytest.approx(2.55)
    assert rate.status == "watch"
    assert rate.target == pytest.approx(25)
    assert rate.achievement == pytest.approx(25 / 27.25 * 100)
    assert (rate.fiscal_year, rate.period_no) == (2569, 0)

    # the province table (ranks, maps) shows the same aggregated value
    table = queries.province_table(store, today=TODAY)
    row = table[(table.area_code == "50") & (table.kpi_id == "road_deaths_per_100k")].iloc[0]
    assert row.value == pytest.approx(27.25)
    assert row.coverage == pytest.approx(24 / 25)
    assert row.score == pytest.approx(2.55)

    # a district keeps its own value
    district = by_kpi(queries.scorecard(store, "5001", today=TODAY))
    assert district.loc["road_deaths_per_100k", "value"] == pytest.approx(10)
    # 10 < 15 -> clipped to 5
    assert district.loc["road_deaths_per_100k", "score"] == pytest.approx(5.0)


def test_qry006_cluster_scorecard_aggregates_member_provinces(store):
    load(store, cluster_dataset())
    card = by_kpi(queries.scorecard(store, "C01", today=TODAY))
    assert card["is_aggregated"].loc[["road_deaths", "road_deaths_per_100k"]].all()

    # sum over 50, 51, 52, 58 (not 57 of cluster 2): 218+120+60+20 = 418, people 1,600,000
    assert card.loc["road_deaths", "value"] == pytest.approx(418)
    assert card.loc["road_deaths", "coverage"] == pytest.approx(1.0)
    assert card.loc["population_registered", "value"] == pytest.approx(1_600_000)
    # ratio: 418 / 1,600,000 * 100,000 = 26.125 (the mean of the rates would be 24.3125);
    # 26.125 between 30 (2) and 25 (3) -> 2 + 3.875/5 = 2.775 -> watch
    rate = card.loc["road_deaths_per_100k"]
    assert rate.value == pytest.approx(26.125)
    assert rate.score == pytest.approx(2.78)  # 2.775, judged as shown: two decimals
    assert rate.status == "watch"
    # weighted mean by population: (95*0.8M + 90*0.4M + 98*0.3M + 86*0.1M) / 1.6M = 150M/1.6M = 93.75
    # (plain mean 92.25); thresholds 85,90,95,97,99 -> 2 + 3.75/5 = 2.75
    mmr = card.loc["mmr1_coverage_pct"]
    assert mmr.value == pytest.approx(93.75)
    assert mmr.score == pytest.approx(2.75)
    # not aggregable (aggregation: none): no value at cluster level
    growth = card.loc["gpp_real_growth"]
    assert isnan(growth.value)
    assert growth.status == "no_data"


def test_qry021_an_import_of_one_year_refreshes_that_year_and_keeps_the_others(store):
    load(store, cluster_dataset())  # FY 2569: cluster 1 road deaths 418, rate 26.125
    # a later import brings FY 2568 for two provinces, and the FY 2568 population of one of them
    fy68 = Y(2568)
    load(
        store,
        [
            v("road_deaths", "50", fy68, 100),
            v("road_deaths", "51", fy68, 50),
            v("population_registered", "50", fy68, 500_000),
        ],
    )
    card69 = by_kpi(queries.scorecard(store, "C01", Y(2569), today=TODAY))
    assert card69.loc["road_deaths", "value"] == pytest.approx(418)
    assert card69.loc["road_deaths_per_100k", "value"] == pytest.approx(26.125)
    card68 = by_kpi(queries.scorecard(store, "C01", Y(2568), today=TODAY))
    # 100 + 50 = 150 deaths from 2 of 4 members; the rate only where both parts exist: 100 / 500,000
    assert card68.loc["road_deaths", "value"] == pytest.approx(150)
    assert card68.loc["road_deaths", "coverage"] == pytest.approx(0.5)
    assert card68.loc["road_deaths_per_100k", "value"] == pytest.approx(20)
    # a correction of a FY 2569 part moves the FY 2569 ratio and leaves FY 2568 alone:
    # 418 / (1,600,000 - 100,000 + 500,000) * 100,000 = 20.9
    load(store, [v("population_registered", "58", Y(2569), 500_000)])
    assert by_kpi(queries.scorecard(store, "C01", Y(2569), today=TODAY)).loc[
        "road_deaths_per_100k", "value"
    ] == pytest.approx(20.9)
    assert by_kpi(queries.scorecard(store, "C01", Y(2568), today=TODAY)).loc["road_deaths", "value"] == pytest.approx(
        150
    )


def test_qry007_cluster_includes_a_member_known_only_from_its_districts(store):
    # 51, 52, 58 report at province level; 50 only through its districts (218 deaths, 800,000
    # people, see district_dataset). The cluster total is the same as when 50 reports itself.
    fy = Y(2569)
    rows = district_dataset()
    for code, (deaths, population, rate) in {
        "51": (120, 400_000, 30),
        "52": (60, 300_000, 20),
        "58": (20, 100_000, 20),
    }.items():
        rows += [
            v("road_deaths", code, fy, deaths),
            v("population_registered", code, fy, population),
            v("road_deaths_per_100k", code, fy, rate),
        ]
    load(store, rows)
    table = queries.province_table(store, today=TODAY)
    assert table[(table.kpi_id == "road_deaths") & (table.area_code == "50")].value.iloc[0] == pytest.approx(218)

    card = by_kpi(queries.scorecard(store, "C01", today=TODAY))
    assert card.loc["road_deaths", "value"] == pytest.approx(418)
    assert card.loc["road_deaths", "coverage"] == pytest.approx(1.0)
    assert card.loc["road_deaths_per_100k", "value"] == pytest.approx(26.125)


# --------------------------------------------------------------------------- 4. ranks


def test_qry008_province_table_ranks_and_gap_to_best(store):
    load(store, cluster_dataset())
    table = queries.province_table(store, today=TODAY)

    # lower is better: per 100k 52 = 20, 58 = 20, 50 = 27.25, 51 = 30 in cluster 1;
    # country adds Bangkok 15 and Phayao 50
    rate = by_area(table[table.kpi_id == "road_deaths_per_100k"])
    assert set(rate.index) == {"50", "51", "52", "58", "57", "10"}
    assert rate.loc["52", "rank_cluster"] == 1 and rate.loc["58", "rank_cluster"] == 1  # a tie shares rank 1
    assert rate.loc["50", "rank_cluster"] == 3
    assert rate.loc["51", "rank_cluster"] == 4
    assert (rate.loc[list(CLUSTER_1), "cluster_size"] == 4).all()
    assert rate.loc["50", "gap_to_best_cluster"] == pytest.approx(7.25)  # 27.25 - 20
    assert rate.loc["51", "gap_to_best_cluster"] == pytest.approx(10)
    assert rate.loc["52", "gap_to_best_cluster"] == pytest.approx(0)
    assert rate.loc["57", "rank_cluster"] == 1  # alone in cluster 2
    assert rate.loc["10", "rank_country"] == 1
    assert rate.loc["52", "rank_country"] == 2 and rate.loc["58", "rank_country"] == 2
    assert rate.loc["50", "rank_country"] == 4
    assert rate.loc["51", "rank_country"] == 5
    assert rate.loc["57", "rank_country"] == 6
    assert (rate["country_size"] == 6).all()
    assert rate.loc["50", "gap_to_best_country"] == pytest.approx(12.25)  # 27.25 - 15
    assert rate.loc["50", "cluster_code"] == "C01"

    # higher is better: growth 58 = 4.0, 50 = 3.5, 51 = 2.0, 52 = 1.0
    growth = by_area(table[table.kpi_id == "gpp_real_growth"])
    assert [growth.loc[c, "rank_cluster"] for c in ("58", "50", "51", "52")] == [1, 2, 3, 4]
    assert growth.loc["50", "gap_to_best_cluster"] == pytest.approx(0.5)
    assert growth.loc["52", "gap_to_best_cluster"] == pytest.approx(3.0)
    # 57 (0.0) is in another cluster: last in the country, first in its cluster
    assert growth.loc["57", "rank_country"] == 5 and growth.loc["57", "rank_cluster"] == 1

    # the province scorecard carries the same ranks
    card = by_kpi(queries.scorecard(store, "50", today=TODAY))
    assert card.loc["road_deaths_per_100k", "rank_cluster"] == 3
    assert card.loc["road_deaths_per_100k", "cluster_size"] == 4
    assert card.loc["road_deaths_per_100k", "rank_country"] == 4
    assert card.loc["road_deaths_per_100k", "gap_to_best_cluster"] == pytest.approx(7.25)


def test_qry009_province_goal_scores_ranks(store, monkeypatch):
    """The ranking itself, with the coverage minimum off (these provinces have a few KPIs each;
    qry009b checks they are not ranked under the catalog's 50 % minimum)."""
    catalog = get_catalog()
    lenient = catalog.model_copy(update={"status_rule": catalog.status_rule.model_copy(update={"min_coverage": 0.0})})
    for module in (query_scores, query_quality, query_rows, query_periods):  # every query module that reads the catalog
        monkeypatch.setattr(module, "get_catalog", lambda: lenient)
    load(store, cluster_dataset())
    goals = queries.province_goal_scores(store, today=TODAY)

    # G2 has one scored KPI with data here (per 100k): 50 27.25 -> 2.55, 51 30 -> 2.0,
    # 52 20 -> 4.0, 58 20 -> 4.0, 57 50 -> 1 (clipped), Bangkok 15 -> 5.0
    g2 = by_area(goals[goals.goal == "G2"])
    assert g2.loc["50", "score"] == pytest.approx(2.55)
    assert g2.loc["51", "score"] == pytest.approx(2.0)
    assert g2.loc["52", "score"] == pytest.approx(4.0)
    assert g2.loc["57", "score"] == pytest.approx(1.0)
    assert g2.loc["10", "score"] == pytest.approx(5.0)
    assert (g2.loc["52", "rank_cluster"], g2.loc["58", "rank_cluster"]) == (1, 1)
    assert (g2.loc["50", "rank_cluster"], g2.loc["51", "rank_cluster"]) == (3, 4)
    assert g2.loc["50", "gap_to_best_cluster"] == pytest.approx(1.45)  # 4.0 - 2.55
    assert g2.loc["10", "rank_country"] == 1
    assert g2.loc["50", "rank_country"] == 4
    assert g2.loc["50", "name_th"] == "เชียงใหม่"

    # ALL = mean of the goal scores present:
    #   50: G1 growth 3.5 -> 4.0; G2 2.55; G6 mmr 95 -> 3.0           -> 9.55/3 = 3.1833
    #   51: G1 2.0 -> 2.5;        G2 2.0;  G6 90 -> 2.0                -> 6.5/3  = 2.1667
    #   52: G1 1.0 -> 1.5;        G2 4.0;  G6 98 -> 4 + 1/2 = 4.5      -> 10/3   = 3.3333
    #   58: G1 4.0 -> 4.5;        G2 4.0;  G6 86 -> 1 + 1/5 = 1.2      -> 9.7/3  = 3.2333
    overall = by_area(goals[goals.goal == "ALL"])
    expected = {"50": 9.55 / 3, "51": 6.5 / 3, "52": 10 / 3, "58": 9.7 / 3}
    for code, score in expected.items():  # rounded to the two decimals shown
        assert overall.loc[code, "score"] == pytest.approx(round(score, 2))
    # the mean goal coverage: G1 growth 15 % + G2 road deaths 25 % + G6 MMR 25 % of their goals' weight, over 6 goals
    assert overall.loc["50", "coverage"] == pytest.approx((0.15 + 0.25 + 0.25) / 6)
    assert [overall.loc[c, "rank_cluster"] for c in ("52", "58", "50", "51")] == [1, 2, 3, 4]
    assert overall.loc["50", "gap_to_best_cluster"] == pytest.approx(3.33 - 3.18)
    assert overall.loc["50", "status"] == "on_target"
    assert overall.loc["51", "status"] == "watch"
    assert overall.loc["10", "rank_country"] == 1  # 5.0, on a single goal


def test_qry009b_scores_on_too_little_data_are_insufficient_and_unranked(store):
    """Under the catalog's 50 % minimum, a province scored on 3 KPIs of 3 goals says "insufficient
    data" with its coverage, and no province is ranked on such a score."""
    load(store, cluster_dataset())
    goals = queries.province_goal_scores(store, today=TODAY)
    overall = by_area(goals[goals.goal == "ALL"])
    assert set(overall["status"]) == {"insufficient_data"}
    assert overall["rank_country"].isna().all() and overall["rank_cluster"].isna().all()
    # G2 of province 50: road deaths (weight 25 of 100): coverage 0.25, a score but no status or rank
    g2 = by_area(goals[goals.goal == "G2"])
    assert g2.loc["50", "score"] == pytest.approx(2.55) and g2.loc["50", "coverage"] == pytest.approx(0.25)
    assert g2.loc["50", "status"] == "insufficient_data" and pd.isna(g2.loc["50", "rank_cluster"])


# --------------------------------------------------------------------------- 5. map values


def test_qry010_map_values_lists_every_district_of_the_province(store):
    fy = Y(2569)
    load(
        store,
        [
            v("road_deaths_per_100k", "5001", fy, 10),
            v("road_deaths_per_100k", "5002", Y(2568), 45),
            v("road_deaths_per_100k", "5002", fy, 40),
            v("road_deaths_per_100k", "5101", fy, 12),  # Lamphun: outside the map
            v("road_deaths_per_100k", "50", fy, 22.5),  # the province itself: not a district
        ],
    )
    frame = queries.map_values(store, "road_deaths_per_100k", level="district", parent="50", today=TODAY)
    expected = {d.code for d in geothai.districts("50")}
    assert set(frame["area_code"]) == expected and len(frame) == 25
    frame = by_area(frame)
    assert (frame["kpi_id"] == "road_deaths_per_100k").all()
    # 10 below 15 -> 5 (clipped); 40 above 35 -> 1 (clipped), latest year only
    assert frame.loc["5001", "value"] == pytest.approx(10)
    assert frame.loc["5001", "score"] == pytest.approx(5.0)
    assert frame.loc["5001", "status"] == "on_target"
    assert frame.loc["5002", "value"] == pytest.approx(40)
    assert frame.loc["5002", "status"] == "off_target"
    assert frame.loc["5001", "name_th"] == "เมืองเชียงใหม่"
    without = frame.drop(index=["5001", "5002"])
    assert without["value"].isna().all()
    assert (without["status"] == "no_data").all()

    # the province map has a row for each of the 77 provinces
    provinces = by_area(queries.map_values(store, "road_deaths_per_100k", today=TODAY))
    assert len(provinces) == 77
    assert provinces.loc["50", "value"] == pytest.approx(22.5)
    assert provinces.loc["51", "status"] == "no_data"


# --------------------------------------------------------------------------- 6. cluster comparison


def test_qry011_cluster_comparison_lists_the_cluster_provinces(store):
    load(store, cluster_dataset())
    frame = queries.cluster_comparison(store, 1, today=TODAY)
    assert set(frame["area_code"]) == CLUSTER_1
    assert (frame["cluster_code"] == "C01").all()
    rate = by_area(frame[frame.kpi_id == "road_deaths_per_100k"])
    assert set(rate.index) == CLUSTER_1
    assert rate.loc["51", "rank_cluster"] == 4
    assert rate.loc["51", "gap_to_best_cluster"] == pytest.approx(10)
    assert rate.loc["51", "name_th"] == "ลำพูน"
    assert rate.loc["51", "goal"] == "G2"
    assert rate.loc["51", "direction"] == "lower_better"
    assert rate.loc["51", "weight"] == 25

    # cluster 2 has data for Phayao (57) only: the other members are listed as no data, not dropped
    second = queries.cluster_comparison(store, 2, today=TODAY)
    assert set(second["area_code"]) == {"54", "55", "56", "57"}
    with_data = set(second.loc[second["status"] != "no_data", "area_code"])
    assert with_data == {"57"}


# --------------------------------------------------------------------------- 7. series


def test_qry012_series_oldest_first_with_thai_and_english_labels(store):
    load(
        store,
        [
            v("unemployment_rate", "50", Q(2569, 1), 1.4),
            v("unemployment_rate", "50", Q(2568, 2), 1.7),
            v("unemployment_rate", "50", Q(2568, 4), 1.5),
            v("unemployment_rate", "50", Q(2568, 1), 1.8),
            v("unemployment_rate", "51", Q(2568, 3), 9.9),
            v("flagship_project_progress", "50", M(2568, 4), 80),
            v("flagship_project_progress", "50", M(2568, 1), 70),
        ],
    )
    frame = queries.series(store, "unemployment_rate", "50")
    assert list(frame["label_th"]) == ["ไตรมาส 1/2568", "ไตรมาส 2/2568", "ไตรมาส 4/2568", "ไตรมาส 1/2569"]
    assert list(frame["label_en"]) == ["Q1 FY2025", "Q2 FY2025", "Q4 FY2025", "Q1 FY2026"]
    assert list(frame["value"]) == pytest.approx([1.8, 1.7, 1.5, 1.4])
    # 1.8 between 2.0 (1) and 1.5 (2) -> 1.4 off target; 1.4 between 1.5 (2) and 1.0 (3) -> 2.2 watch
    assert frame["score"].iloc[0] == pytest.approx(1.4)
    assert frame["score"].iloc[-1] == pytest.approx(2.2)
    assert list(frame["status"]) == ["off_target", "off_target", "watch", "watch"]

    # months: FY 2568 month 1 = October 2567 BE = October 2024
    months = queries.series(store, "flagship_project_progress", "50")
    assert list(months["label_th"]) == ["ต.ค. 2567", "ม.ค. 2568"]
    assert list(months["label_en"]) == ["Oct 2024", "Jan 2025"]
    assert list(months["value"]) == pytest.approx([70, 80])


def test_qry013_series_of_a_province_known_from_its_districts(store):
    rows = district_dataset()
    rows += [v("road_deaths", "5001", Y(2568), 30), v("road_deaths", "5002", Y(2568), 10)]
    load(store, rows)
    frame = queries.series(store, "road_deaths", "50")
    assert list(frame["label_th"]) == ["ปีงบประมาณ 2568", "ปีงบประมาณ 2569"]
    assert list(frame["label_en"]) == ["FY 2025", "FY 2026"]
    assert list(frame["value"]) == pytest.approx([40, 218])
    assert list(frame["coverage"]) == pytest.approx([2 / 25, 24 / 25])


# --------------------------------------------------------------------------- 8. data quality


def test_qry014_data_quality_freshness_completeness_owner(store, catalog):
    load(
        store,
        [
            # annual: interval 366 + lag 180 days after the latest year's end
            v("gpp_real_growth", "50", Y(2569), 3.5),  # ends 30 Sep 2026 -> expected by Mar 2028: fresh
            v("ita_score", "50", Y(2567), 85),  # ends 30 Sep 2024 -> expected 30 Mar 2026, due to 31 Mar 2027
            v("pmqa_score", "50", Y(2566), 300),  # ends 30 Sep 2023 -> expected 29 Mar 2025, due to 30 Mar 2026
            # monthly: interval 31 + lag 30 days
            v("flagship_project_progress", "50", M(2569, 12), 80),  # Sep 2026 -> expected 30 Nov 2026: fresh
            v("cluster_project_progress", "50", M(2569, 11), 80),  # Aug 2026 -> expected 31 Oct, due to 1 Dec
            v("uc_coverage_pct", "50", M(2569, 10), 99.5),  # Jul 2026 -> expected 30 Sep, due to 31 Oct: overdue
            # quarterly: interval 92 + lag 60 days
            v("unemployment_rate", "50", Q(2569, 2), 1.0),  # ends 31 Mar 2026 -> expected 31 Aug, due to 1 Dec
            # district level: the province value plus 20 of the 25 districts
            v("road_deaths_per_100k", "50", Y(2569), 22.5),
            *[v("road_deaths_per_100k", f"50{n:02d}", Y(2569), 20) for n in range(1, 21)],
            # an older year of the districts does not count for FY 2569
            *[v("road_deaths_per_100k", f"50{n:02d}", Y(2568), 20) for n in range(21, 26)],
        ],
    )
    quality = by_kpi(queries.data_quality(store, "50", today=TODAY))
    assert set(quality.index) == {k.id for k in catalog.kpis}
    expected = {
        "gpp_real_growth": "fresh",
        "ita_score": "due",
        "pmqa_score": "overdue",
        "flagship_project_progress": "fresh",
        "cluster_project_progress": "due",
        "uc_coverage_pct": "overdue",
        "unemployment_rate": "due",
        "road_deaths_per_100k": "fresh",
        "thaid_registration_pct": "missing",
    }
    assert {k: quality.loc[k, "freshness"] for k in expected} == expected

    # completeness: share of the province's districts reporting the period shown: 20/25
    assert quality.loc["road_deaths_per_100k", "completeness"] == pytest.approx(0.8)
    # a province-level KPI is complete when the province reports it
    assert quality.loc["gpp_real_growth", "completeness"] == pytest.approx(1.0)
    assert isnan(quality.loc["thaid_registration_pct", "completeness"])

    # ทำจริง: the owner comes from the catalog
    road = quality.loc["road_deaths_per_100k"]
    assert road.owner_th == "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัด"
    assert road.owner_en == "Provincial Disaster Prevention and Mitigation Office"
    assert quality.loc["cluster_project_progress", "owner_en"] == "Cluster Office of Strategy Management (OSM)"
    assert (road.fiscal_year, road.period_no) == (2569, 0)
    assert not pd.isna(road.last_imported_at)
    assert pd.isna(quality.loc["thaid_registration_pct", "last_imported_at"])


def test_qry015_data_quality_of_a_cluster_counts_member_provinces(store):
    fy = Y(2569)
    load(
        store,
        [v("road_deaths", code, fy, 10) for code in ("50", "51", "52")]  # 58 has not reported
        + [v("road_deaths", "57", fy, 10)],
    )  # cluster 2: not counted
    quality = by_kpi(queries.data_quality(store, "C01", today=TODAY))
    road = quality.loc["road_deaths"]
    assert (road.fiscal_year, road.period_no) == (2569, 0)
    assert road.completeness == pytest.approx(3 / 4)
    assert road.freshness == "fresh"
    card = by_kpi(queries.scorecard(store, "C01", today=TODAY))
    assert card.loc["road_deaths", "value"] == pytest.approx(30)
    assert card.loc["road_deaths", "coverage"] == pytest.approx(3 / 4)


# --------------------------------------------------------------------------- 9. cache


def test_qry016_an_import_replaces_cached_answers(store, monkeypatch):
    # the version is re-read at most once a second; read it on every call here
    monkeypatch.setattr(cache_module, "VERSION_CHECK_SECONDS", 0.0)
    load(store, [v("road_deaths_per_100k", "50", Y(2569), 22.5)])
    before = cache_module.data_version(store)
    card = by_kpi(queries.scorecard(store, "50", today=TODAY))
    assert card.loc["road_deaths_per_100k", "value"] == pytest.approx(22.5)

    # cached: served without running the query again
    with monkeypatch.context() as patch:
        patch.setattr(query_scores, "_area_rows", _must_not_run)
        again = by_kpi(queries.scorecard(store, "50", today=TODAY))
    assert again.loc["road_deaths_per_100k", "value"] == pytest.approx(22.5)

    # a corrected figure: 21 between 25 (3) and 20 (4) -> 3 + 4/5 = 3.8
    load(store, [v("road_deaths_per_100k", "50", Y(2569), 21)])
    assert cache_module.data_version(store) != before
    card = by_kpi(queries.scorecard(store, "50", today=TODAY))
    assert card.loc["road_deaths_per_100k", "value"] == pytest.approx(21)
    assert card.loc["road_deaths_per_100k", "score"] == pytest.approx(3.8)
    goals = queries.goal_summary(store, "50", today=TODAY).set_index("goal")
    assert goals.loc["G2", "score"] == pytest.approx(3.8)


def test_qry017_a_failed_import_keeps_the_cache(store, monkeypatch):
    monkeypatch.setattr(cache_module, "VERSION_CHECK_SECONDS", 0.0)
    load(store, [v("road_deaths_per_100k", "50", Y(2569), 22.5)])
    before = cache_module.data_version(store)
    with pytest.raises(RuntimeError):
        with logged_import(store, "values", "test", "tester") as (connection, counts):
            write_values(
                connection, pd.DataFrame([v("road_deaths_per_100k", "50", Y(2569), 99)]), counts["import_id"], "tester"
            )
            raise RuntimeError("the file was wrong")
    assert cache_module.data_version(store) == before
    card = by_kpi(queries.scorecard(store, "50", today=TODAY))
    assert card.loc["road_deaths_per_100k", "value"] == pytest.approx(22.5)


def test_qry022_areas_survive_an_import_and_follow_a_new_cluster_membership(store, catalog, tmp_path, monkeypatch):
    from data.store.setup import init_store
    from settings import PROJECT_ROOT

    original = PROJECT_ROOT / "data" / "clusters.yaml"
    assert "58" in queries.clusters(store).set_index("number").loc[1, "provinces"]
    # an import of values does not rebuild the areas: they are not read from the store again
    with monkeypatch.context() as patch:
        patch.setattr(query_areas, "frame_from_rows", _must_not_run)
        load(store, [v("road_deaths", "58", Y(2569), 20)])
        assert queries.areas(store).loc["58", "cluster_code"] == "C01"
    # `poc init` with a new membership (Mae Hong Son moved to cluster 2) shows at once
    moved = tmp_path / "clusters.yaml"
    moved.write_text(
        original.read_text(encoding="utf-8")
        .replace('"52", "58"]', '"52"]')
        .replace('["54", "55", "56", "57"]', '["54", "55", "56", "57", "58"]'),
        encoding="utf-8",
    )
    try:
        init_store(store, catalog, moved)
        cache_module.forget_version(store)
        assert queries.areas(store).loc["58", "cluster_code"] == "C02"
        assert "58" in queries.clusters(store).set_index("number").loc[2, "provinces"]
        assert [a.code for a in queries.breadcrumb(store, "58")] == ["TH", "R1", "C02", "58"]
    finally:
        init_store(store, catalog, original)
        cache_module.forget_version(store)
    assert queries.areas(store).loc["58", "cluster_code"] == "C01"


def _must_not_run(*args, **kwargs):
    raise AssertionError("the query ran although its answer was cached")


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    cache = cache_module.configure(redis_url=REDIS_URL)
    try:
        yield cache, client
    finally:
        cache.clear()
        client.close()
        restored = cache_module.configure(None)
        assert type(restored.cache).__name__ == "SimpleCache"
        assert cache_module.get_cache() is restored


def test_qry018_redis_cache_round_trips_answers(store, redis_cache, monkeypatch):
    cache, client = redis_cache
    assert type(cache_module.get_cache().cache).__name__ == "RedisCache"
    load(store, [v("road_deaths_per_100k", "50", Y(2569), 22.5), v("gpp_real_growth", "50", Y(2569), 3.5)])

    # a DataFrame goes into Redis and comes back equal
    probe = pd.DataFrame({"kpi_id": ["a", "b"], "value": [1.5, np.nan]})
    cache.set("probe", probe)
    assert client.exists("poc:probe")
    pd.testing.assert_frame_equal(cache.get("probe"), probe)

    first = queries.scorecard(store, "50", today=TODAY)
    assert any(key.startswith(b"poc:q:") for key in client.scan_iter("poc:q:*"))
    with monkeypatch.context() as patch:
        patch.setattr(query_scores, "_area_rows", _must_not_run)
        second = queries.scorecard(store, "50", today=TODAY)  # from Redis
    pd.testing.assert_frame_equal(first, second)
    assert by_kpi(second).loc["gpp_real_growth", "score"] == pytest.approx(4.0)

    # an import makes the Redis entries stale too
    monkeypatch.setattr(cache_module, "VERSION_CHECK_SECONDS", 0.0)
    load(store, [v("road_deaths_per_100k", "50", Y(2569), 21)])
    assert by_kpi(queries.scorecard(store, "50", today=TODAY)).loc["road_deaths_per_100k", "value"] == 21


# --------------------------------------------------------------------------- 10. unknowns


def test_qry019_unknown_area_and_kpi(store):
    for call in (
        lambda: queries.scorecard(store, "99", today=TODAY),
        lambda: queries.scorecard(store, "C99", today=TODAY),
        lambda: queries.goal_summary(store, "5099", today=TODAY),
        lambda: queries.data_quality(store, "nowhere", today=TODAY),
        lambda: queries.series(store, "road_deaths_per_100k", "99"),
        lambda: queries.cluster_comparison(store, 19, today=TODAY),
    ):
        with pytest.raises(queries.UnknownArea):
            call()
    for call in (
        lambda: queries.series(store, "no_such_kpi", "50"),
        lambda: queries.map_values(store, "no_such_kpi", today=TODAY),
    ):
        with pytest.raises(queries.UnknownKpi):
            call()
    # both are LookupErrors, so a page can catch them together
    assert issubclass(queries.UnknownArea, LookupError) and issubclass(queries.UnknownKpi, LookupError)


# --------------------------------------------------------------------------- one number, every view


def test_qry020_scorecard_map_and_ranks_show_the_same_latest_value(store):
    # the latest PMQA score of Chiang Mai is FY 2566 (overdue on TODAY); Lamphun reported FY 2569
    load(store, [v("pmqa_score", "50", Y(2566), 300), v("pmqa_score", "51", Y(2569), 250)])
    card = by_kpi(queries.scorecard(store, "50", today=TODAY))
    assert (card.loc["pmqa_score", "fiscal_year"], card.loc["pmqa_score", "value"]) == (2566, 300)
    assert card.loc["pmqa_score", "freshness"] == "overdue"
    # thresholds 200,250,300,350,400: 300 -> 3, 250 -> 2; so 50 ranks first in the cluster
    assert card.loc["pmqa_score", "rank_cluster"] == 1
    table = queries.province_table(store, today=TODAY)
    row = table[(table.kpi_id == "pmqa_score") & (table.area_code == "50")]
    assert list(row["value"]) == [300]
    shown = by_area(queries.map_values(store, "pmqa_score", today=TODAY))
    assert shown.loc["50", "value"] == pytest.approx(300)


def test_qry030_a_roll_up_without_its_denominator_names_what_it_lacks(store):
    """Four provinces of cluster 1 report road deaths per 100k but not the deaths and population
    behind the rate: the cluster and the country cannot add them up, and say which KPIs they lack."""
    fy = Y(2569)
    load(
        store,
        [
            v("road_deaths_per_100k", code, fy, rate)
            for code, rate in (("50", 27.25), ("51", 30), ("52", 20), ("58", 20))
        ]
        + [v("road_deaths", code, fy, deaths) for code, deaths in (("50", 218), ("51", 120), ("52", 60), ("58", 20))],
    )
    cluster = queries.cluster_code_of(store, 1)
    for code in (cluster, "TH"):
        card = queries.scorecard(store, code, today=TODAY).set_index("kpi_id")
        row = card.loc["road_deaths_per_100k"]
        assert isnan(row.value) and row.status == "no_data"
        assert row.missing_parts == ("population_registered",)  # the deaths are there; the denominator is not
        assert card.loc["road_deaths", "missing_parts"] == ()  # a sum adds up
    from layouts.text.format import missing_parts_text

    text = missing_parts_text(
        queries.scorecard(store, "TH", today=TODAY).set_index("kpi_id").loc["road_deaths_per_100k"].to_dict(), "th"
    )
    assert "ประชากร" in text and "คำนวณค่ารวม" in text
    # a province's own card: its own value, nothing missing
    assert queries.scorecard(store, "50", today=TODAY).set_index("kpi_id").loc["road_deaths_per_100k", "value"] == 27.25
