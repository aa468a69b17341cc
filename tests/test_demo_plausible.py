"""Demo values a Thai analyst would not dismiss on sight: provinces sized by their real registered
population and land area, money and counts of realistic national magnitude, rates inside the
catalog's typical ranges, and fiscal-year-to-date totals that grow through the year against the
cabinet's cumulative disbursement schedule (issue 15, points 1 and 8)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data.rules.catalog import AggregationMethod
from data.rules.province_facts import facts_as_of, load_province_facts
from data.store.demo import demo_plan, generate_demo_frame
from settings import PROJECT_ROOT

AS_OF = dt.date(2026, 11, 21)  # FY 2568-2570: the latest year ends FY 2569, the latest quarter FY 2569 Q4
NEWEST_YEAR = 2569  # the newest fiscal year of an annual KPI (a few provinces are late with it)
FULL_YEAR = 2568  # a complete fiscal year: every province, every month and quarter
NATIONAL_POPULATION = 66_171_439  # DOPA, 31 Dec 2564
LAMPANG, CHIANG_MAI, BANGKOK = "52", "50", "10"


@pytest.fixture(scope="module")
def provinces(catalog, areas):
    """The province rows of a two-year demo (generated once for the module)."""
    frame = generate_demo_frame(catalog, areas, demo_plan(AS_OF, years=3))
    return frame[frame.area_code.str.len() == 2].reset_index(drop=True)


@pytest.fixture(scope="module")
def facts():
    return load_province_facts()


def values(provinces: pd.DataFrame, kpi_id: str, year: int, period_no: int | None = None) -> pd.Series:
    """One KPI's province values of a fiscal year (and period), indexed by province code."""
    rows = provinces[(provinces.kpi_id == kpi_id) & (provinces.fiscal_year == year)]
    if period_no is not None:
        rows = rows[rows.period_no == period_no]
    return rows.set_index("area_code").value


def by_period(provinces: pd.DataFrame, kpi_id: str, year: int) -> pd.DataFrame:
    """Provinces × period numbers of one KPI in one fiscal year."""
    rows = provinces[(provinces.kpi_id == kpi_id) & (provinces.fiscal_year == year)]
    return rows.pivot(index="area_code", columns="period_no", values="value")


# ------------------------------------------------------------------------- the reference table


def test_dpl001_reference_table_has_the_77_provinces_the_store_knows(facts, areas):
    province_rows = areas[areas.level == "province"].set_index("code")
    assert len(facts) == 77
    assert set(facts.index) == set(province_rows.index)
    assert (facts.name_th == province_rows.name_th.reindex(facts.index)).all()
    assert not facts.name_th.str.contains("#").any()


def test_dpl002_reference_population_sums_to_the_gazette_total_and_states_its_date(facts):
    assert int(facts.registered_population.sum()) == NATIONAL_POPULATION
    assert facts_as_of() == dt.date(2021, 12, 31)
    assert facts.loc[LAMPANG, "registered_population"] == 724_678
    assert facts.loc[CHIANG_MAI, "registered_population"] == 1_789_385
    assert facts.area_km2.sum() == pytest.approx(513_119.5, abs=1)
    assert (facts.area_km2 > 0).all()


def test_dpl003_reference_file_names_its_source_in_the_file():
    head = [
        line
        for line in (PROJECT_ROOT / "data" / "reference" / "province_facts.csv")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.startswith("#")
    ]
    text = "\n".join(head)
    for needed in ("DOPA", "31 Dec 2021", "2564", "ทำเนียบท้องที่ พุทธศักราช 2546", "as_of: 2021-12-31"):
        assert needed in text, needed


# ------------------------------------------------------------------------- sizes


def test_dpl010_registered_population_is_the_real_one(provinces, facts):
    assert provinces[provinces.kpi_id == "population_registered"].fiscal_year.max() == NEWEST_YEAR
    newest = values(provinces, "population_registered", NEWEST_YEAR)
    assert len(newest) >= 70  # a few provinces are late with the latest year, realistically
    every = newest.reindex(facts.index).fillna(values(provinces, "population_registered", FULL_YEAR))
    assert abs(every.sum() / NATIONAL_POPULATION - 1) < 0.10
    # each province within a few per cent of its reference figure (a drift of 0.5 % a year at most)
    assert ((every / facts.registered_population - 1).abs() < 0.04).all()


def test_dpl011_lampang_is_smaller_than_chiang_mai(provinces):
    population = values(provinces, "population_registered", FULL_YEAR)
    assert 0.69e6 < population[LAMPANG] < 0.76e6
    assert 1.70e6 < population[CHIANG_MAI] < 1.88e6
    assert population[LAMPANG] < population[CHIANG_MAI] < population[BANGKOK]


def test_dpl012_land_area_is_the_reference_area(provinces, facts):
    area = values(provinces, "area_sq_km", FULL_YEAR).reindex(facts.index)
    # the province sums its districts' rounded areas
    assert np.allclose(area, facts.area_km2, atol=1.0)


def test_dpl013_nesdc_population_is_a_plausible_multiple_of_the_registered(provinces):
    year = FULL_YEAR
    factor = values(provinces, "population_nesdc", year) / values(provinces, "population_registered", year)
    factor = factor.dropna()
    assert factor.between(1.0, 1.5).all(), factor[~factor.between(1.0, 1.5)]


def test_dpl014_money_is_of_realistic_national_size(provinces):
    year = FULL_YEAR
    gpp = values(provinces, "gpp", year)
    assert 12e6 < gpp.sum() < 25e6  # million THB: Thailand's GDP is about 17-18 trillion
    assert 0.15 < gpp[BANGKOK] / gpp.sum() < 0.40
    allocated = values(provinces, "budget_allocated_mthb", FULL_YEAR, 4)
    assert allocated[LAMPANG] < 100_000  # million THB: not ฿987,565 M
    assert 3_000 < allocated[LAMPANG] < 40_000
    assert 15_000 < allocated[CHIANG_MAI] < 60_000
    assert allocated.sum() < 3_000_000  # the national total in the low trillions at most
    capital = values(provinces, "capital_budget_allocated_mthb", FULL_YEAR, 4)
    assert (capital < allocated.reindex(capital.index)).all()


def test_dpl015_counts_scale_with_population(provinces):
    year = FULL_YEAR
    population = values(provinces, "population_registered", year)
    births = values(provinces, "live_births", year)
    assert 350_000 < births.sum() < 650_000  # Thailand: about half a million births a year
    per_capita = (births / population).dropna()
    assert per_capita.between(0.004, 0.014).all()
    assert births[LAMPANG] < births[CHIANG_MAI]


def test_dpl016_rates_and_per_capita_values_stay_in_the_typical_range(provinces, catalog):
    for kpi in catalog.kpis:
        if kpi.aggregation.method is AggregationMethod.sum:
            continue
        low, high = kpi.typical_range
        rows = provinces[provinces.kpi_id == kpi.id]
        outside = rows[(rows.value < low) | (rows.value > high)]
        assert outside.empty, (kpi.id, outside[["area_code", "fiscal_year", "period_no", "value"]].head())


# ------------------------------------------------------------------------- through the fiscal year


def test_dpl020_cumulative_totals_grow_through_the_fiscal_year(provinces, catalog):
    checked = 0
    for kpi in catalog.kpis:
        if not kpi.cumulative or kpi.period_type.value == "year":
            continue
        table = by_period(provinces, kpi.id, FULL_YEAR)
        steps = table.diff(axis=1).iloc[:, 1:]
        assert (steps.fillna(0) >= 0).all().all(), (kpi.id, steps[(steps < 0).any(axis=1)].head())
        checked += 1
    assert checked >= 5


def test_dpl021_cumulative_counts_start_small_and_reach_the_years_total(provinces):
    received = by_period(provinces, "damrongdhama_received", FULL_YEAR)
    share = (received[1] / received[12]).dropna()
    assert share.between(0.02, 0.2).all()


def test_dpl022_a_rate_is_not_lower_early_in_the_year(provinces):
    table = by_period(provinces, "damrongdhama_resolved_pct", FULL_YEAR)
    early, late = table[2], table[10]
    both = early.notna() & late.notna()
    assert early[both].median() > late[both].median() - 5
    assert (early[both] < late[both]).mean() < 0.8
    settled = by_period(provinces, "informal_debt_settled_pct", FULL_YEAR)
    assert settled[2].median() > settled[10].median() - 5


def test_dpl023_disbursement_follows_the_cabinet_schedule_with_spread(provinces, catalog):
    pct = catalog.by_id()["budget_disbursement_pct"]
    table = by_period(provinces, "budget_disbursement_pct", FULL_YEAR)
    for quarter in (1, 2, 3, 4):
        due = 100 * pct.target_share("Q", quarter)
        column = table[quarter].dropna()
        assert abs(column.median() - due) < 0.15 * due, quarter
        assert column.le(100).all()
        if quarter < 4:  # some provinces ahead of the schedule, some behind
            assert (column > due).any() and (column < due).any(), quarter


def test_dpl024_disbursement_vs_target_is_the_rate_over_the_quarters_due_share(provinces, catalog):
    pct = catalog.by_id()["budget_disbursement_pct"]
    vs = catalog.by_id()["budget_disbursement_vs_target"]
    rows = provinces[(provinces.kpi_id == "budget_disbursement_pct")][
        ["area_code", "fiscal_year", "period_no", "value"]
    ]
    rows = rows.merge(
        provinces[provinces.kpi_id == "budget_disbursement_vs_target"][
            ["area_code", "fiscal_year", "period_no", "value"]
        ],
        on=["area_code", "fiscal_year", "period_no"],
        suffixes=("_pct", "_vs"),
    )
    assert len(rows) > 200
    share = rows.period_no.map(lambda n: pct.target_share("Q", n))
    expected = (rows.value_pct / (100 * share) * 100).round(vs.decimals)
    assert (abs(rows.value_vs - expected) <= 0.05 + 1e-9).all()
    q1 = rows[(rows.period_no == 1) & (rows.fiscal_year == FULL_YEAR)].value_vs
    assert q1.nunique() > 20 and not (q1 == 40.0).any()  # not 40.0 for every province
    low, high = vs.typical_range
    assert rows.value_vs.between(low, high).all()


def test_dpl025_disbursed_money_is_the_rate_times_the_allocation(provinces):
    keys = ["area_code", "fiscal_year", "period_no"]
    frame = (
        provinces[provinces.kpi_id == "budget_disbursed_mthb"][keys + ["value"]]
        .merge(
            provinces[provinces.kpi_id == "budget_allocated_mthb"][keys + ["value"]], on=keys, suffixes=("", "_alloc")
        )
        .merge(
            provinces[provinces.kpi_id == "budget_disbursement_pct"][keys + ["value"]], on=keys, suffixes=("", "_pct")
        )
    )
    assert np.allclose(frame.value, frame.value_pct * frame.value_alloc / 100, rtol=1e-3, atol=0.1)


def test_dpl026_a_province_rows_target_is_the_periods_target(provinces, catalog):
    pct = catalog.by_id()["budget_disbursement_pct"]
    targets = provinces[provinces.kpi_id == "budget_disbursement_pct"].groupby("period_no").target.unique()
    for quarter, found in targets.items():
        assert list(found) == [pytest.approx(pct.target * pct.target_share("Q", quarter))], quarter
    assert list(targets[1]) == [pytest.approx(30.0)]
    rate = provinces[provinces.kpi_id == "damrongdhama_resolved_pct"].target.unique()
    assert list(rate) == [catalog.by_id()["damrongdhama_resolved_pct"].target]
