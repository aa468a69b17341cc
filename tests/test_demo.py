"""Demo data: deterministic, complete, labelled, and consistent across levels like real data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from data.rules.catalog import AggregationMethod
from data.store.demo import demo_plan, generate_demo_frame
from data.store.schema import ImportLog, KpiValue

AS_OF = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def demo(catalog, areas):
    return generate_demo_frame(catalog, areas, demo_plan(AS_OF))


def test_dem001_five_fiscal_years_ending_with_the_running_one():
    plan = demo_plan(AS_OF)
    assert (plan.first_fiscal_year, plan.last_fiscal_year) == (2566, 2570)


def test_dem002_every_kpi_has_values_in_every_province(demo, catalog):
    provinces = demo[demo.area_code.str.len() == 2]
    per_kpi = provinces.groupby("kpi_id").area_code.nunique()
    assert set(per_kpi.index) == {kpi.id for kpi in catalog.kpis}
    assert per_kpi.min() == 77


def test_dem003_values_reach_each_kpis_finest_level_and_no_further(demo, catalog):
    widths = demo.assign(width=demo.area_code.str.len()).groupby("kpi_id").width.max()
    expected = {"province": 2, "district": 4, "subdistrict": 6}
    assert {kpi.id: expected[kpi.finest_level] for kpi in catalog.kpis} == widths.to_dict()


def test_dem004_every_row_is_marked_demo(demo):
    assert demo.is_demo.all()
    assert demo.source.str.contains("demo").all()


def test_dem005_is_deterministic(catalog, areas, demo):
    again = generate_demo_frame(catalog, areas, demo_plan(AS_OF))
    pd.testing.assert_frame_equal(demo, again)


def test_dem006_sum_kpis_provinces_equal_their_districts(demo, catalog):
    for kpi in catalog.kpis:
        if kpi.aggregation.method is not AggregationMethod.sum or kpi.finest_level == "province":
            continue
        rows = demo[(demo.kpi_id == kpi.id) & (demo.fiscal_year == 2568)]
        districts = rows[rows.area_code.str.len() == 4]
        by_province = districts.groupby(districts.area_code.str[:2]).value.sum()
        provinces = rows[rows.area_code.str.len() == 2].groupby("area_code").value.sum()
        common = by_province.index.intersection(provinces.index)
        # rounding each district to the KPI's decimals moves the sum by at most half a unit each
        tolerance = districts.groupby(districts.area_code.str[:2]).size()[common] * 0.5 * 10**-kpi.decimals + 1e-6
        assert (abs(by_province[common] - provinces[common]) <= tolerance).all(), kpi.id


def test_dem007_ratios_agree_with_their_parts_at_province_level(demo, catalog):
    by_id = catalog.by_id()
    checked = 0
    for kpi in catalog.kpis:
        agg = kpi.aggregation
        if agg.method is not AggregationMethod.ratio:
            continue
        num, den = by_id[agg.numerator_kpi], by_id[agg.denominator_kpi]
        if not (num.period_type == den.period_type == kpi.period_type):
            continue
        keys = ["area_code", "fiscal_year", "period_no"]
        frame = (
            demo[demo.kpi_id == kpi.id][keys + ["value"]]
            .merge(demo[demo.kpi_id == num.id][keys + ["value"]], on=keys, suffixes=("", "_num"))
            .merge(demo[demo.kpi_id == den.id][keys + ["value"]].rename(columns={"value": "value_den"}), on=keys)
        )
        frame = frame[(frame.area_code.str.len() == 2) & (frame.value_den > 0)]
        expected = frame.value_num / frame.value_den * agg.scale
        assert np.allclose(frame.value, expected, rtol=0.02, atol=10**-kpi.decimals), kpi.id
        checked += 1
    assert checked >= 8


def test_dem008_shares_stay_between_0_and_100(demo, catalog):
    for kpi in catalog.kpis:
        low, high = kpi.typical_range
        if kpi.unit.en in ("%", "percent") and 0 <= low and high <= 100:
            values = demo.loc[demo.kpi_id == kpi.id, "value"]
            assert values.between(0, 100).all(), kpi.id


def test_dem009_poc_demo_fills_the_store_once(tmp_path, monkeypatch):
    import settings
    from cli.main import poc
    from data.store.engine import get_engine

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    settings.get_settings.cache_clear()
    try:
        runner = CliRunner()
        result = runner.invoke(poc, ["init"])
        assert result.exit_code == 0, result.output
        assert "8,466 areas" in result.output
        result = runner.invoke(poc, ["demo", "--as-of", AS_OF.isoformat()])
        assert result.exit_code == 0, result.output
        assert "FY 2566–2570" in result.output
        again = runner.invoke(poc, ["demo", "--if-empty"])
        assert "demo data not added" in again.output
        engine = get_engine(url)
        with engine.connect() as connection:
            total = connection.execute(select(func.count()).select_from(KpiValue)).scalar_one()
            demo_rows = connection.execute(
                select(func.count()).select_from(KpiValue).where(KpiValue.is_demo)
            ).scalar_one()
            log = connection.execute(select(ImportLog.kind, ImportLog.status, ImportLog.inserted)).all()
        assert total == demo_rows > 500_000
        assert log == [("demo", "ok", total)]
    finally:
        settings.get_settings.cache_clear()
