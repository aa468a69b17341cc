"""Imports that never corrupt and that guide real files (issue 14, points 2-5): repeated columns,
plausibility from the catalog, the year window and calendar years, "did you mean", column maps,
columns left out, dry runs, and a 'failed' row in the import log for every failure, a locked
store included. On SQLite and PostgreSQL (`store`)."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from data.files.values_file import ImportOptions, ValueImportError, default_year_rules
from data.rules.periods import Period
from data.store.imports import import_values_file
from data.store.schema import ImportLog
from helpers import import_log, stored, value, write


def refused(store, catalog, path, **options) -> ValueImportError:
    with pytest.raises(ValueImportError) as caught:
        import_values_file(store, path, catalog, "tester", **options)
    return caught.value


def reasons(error: ValueImportError) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.reason) for e in error.errors]


def test_imp001_a_repeated_column_is_refused_and_nothing_is_written(store, catalog, tmp_path):
    error = refused(store, catalog, write(tmp_path, "rep.csv", "area,period,ita_score,ita_score\n50,2568,11,99\n"))
    assert reasons(error) == [(1, "ita_score", "column 'ita_score' appears twice (columns 3 and 4); keep one")]
    english = catalog.by_id()["ita_score"].name.en  # the same KPI by its name
    same_kpi = refused(
        store, catalog, write(tmp_path, "two.csv", f'area,period,ita_score,"{english}"\n50,2568,11,99\n')
    )
    assert "both give KPI 'ita_score'" in same_kpi.errors[0].reason
    assert stored(store) == [] and import_log(store)[-1][:2] == ("failed", "two.csv")


@pytest.mark.parametrize(
    "row, column, words",
    [
        ("ita_score,50,2568,150", "value", "value 150 is outside the valid range of KPI 'ita_score': 0 to 100"),
        ("road_deaths,50,2568,-5", "value", "value -5 is outside the valid range of KPI 'road_deaths': at least 0"),
        ("road_deaths,50,2568,1e308", "value", "value 1e+308 is outside the valid range"),
        ("gpp_real_growth,50,2568,-120", "value", "value -120 is outside the valid range of KPI 'gpp_real_growth'"),
        ("ita_score,50,2568,12 34", "value", "'12 34' is not a number"),
    ],
)
def test_imp002_values_outside_a_kpis_valid_range_are_refused(store, catalog, tmp_path, row, column, words):
    error = refused(store, catalog, write(tmp_path, "v.csv", f"kpi_id,area,period,value\n{row}\n"))
    assert [(e.row, e.column) for e in error.errors] == [(2, column)] and words in error.errors[0].reason


def test_imp003_implausible_values_warn_and_import_unless_strict(store, catalog, tmp_path):
    path = write(
        tmp_path,
        "w.csv",
        "kpi_id,area,period,value\n"
        "household_income_avg,50,2568,0\n"  # 0: not surveyed?
        "road_deaths_per_100k,51,2568,250\n"  # far above 8-65
        "gpp_real_growth,52,2568,-3.5\n"  # a fall, typical
        "road_deaths,5001,2568,0\n",
    )  # a district with none: fine
    counts = import_values_file(store, path, catalog, "tester")
    found = [(w.row, w.reason.split(" ")[0]) for w in counts["warnings"]]
    assert found == [(2, "0"), (3, "250")]
    assert "leave the cell empty" in counts["warnings"][0].reason and "typical range" in counts["warnings"][1].reason
    assert counts["inserted"] == 4 and value(store, "household_income_avg", "50", Period.year(2568)) == 0.0
    strict = write(tmp_path, "w2.csv", "kpi_id,area,period,value\nroad_deaths_per_100k,58,2568,250\n")
    error = refused(store, catalog, strict, options=ImportOptions(years=default_year_rules(), strict=True))
    assert (
        "typical range" in error.errors[0].reason
        and value(store, "road_deaths_per_100k", "58", Period.year(2568)) is None
    )


@pytest.mark.parametrize(
    "text, words",
    [
        ("2368", "'2368' is neither a BE year (2500-"),
        ("2399", "'2399' is neither a BE year"),
        ("2999", "fiscal year 2999 is outside the years accepted"),
        ("25680", "is not a period (a five-digit number is no year"),
        ("มี.ค. 99", "fiscal year 2599 is outside the years accepted"),
        ("2022", "'2022' is a Christian-era year: is it a fiscal year (write FY2022 or 2565) or a calendar year"),
    ],
)
def test_imp004_years_outside_the_window_or_ambiguous_are_refused(store, catalog, tmp_path, text, words):
    kpi = "thaid_registered" if "มี.ค." in text else "ita_score"
    error = refused(store, catalog, write(tmp_path, "y.csv", f"kpi_id,area,period,value\n{kpi},50,{text},80\n"))
    assert words in error.errors[0].reason, error.errors[0].reason


def test_imp005_calendar_years_are_stored_by_a_rule_the_report_prints(store, catalog, tmp_path):
    path = write(tmp_path, "cy.csv", "province,year,ita_score\nChiang Mai,2019,81\nLamphun,CY2565,77\n")
    counts = import_values_file(
        store,
        path,
        catalog,
        "tester",
        options=ImportOptions(years=default_year_rules(calendar=True, plain_ce="calendar")),
    )
    assert (
        value(store, "ita_score", "50", Period.year(2562)) == 81
        and value(store, "ita_score", "51", Period.year(2565)) == 77
    )
    assert any("CY 2562 (Jan-Dec 2562) -> FY 2562 (Oct 2561-Sep 2562)" in note for note in counts["notes"])
    explicit = write(tmp_path, "cy2.csv", "kpi_id,area,period,value\nita_score,52,ปีปฏิทิน 2566,70\n")
    counts = import_values_file(store, explicit, catalog, "tester")  # a written calendar year needs no option
    assert value(store, "ita_score", "52", Period.year(2566)) == 70 and counts["notes"]


def test_imp006_a_period_of_the_wrong_kind_names_the_kpi(store, catalog, tmp_path):
    error = refused(store, catalog, write(tmp_path, "q.csv", "kpi_id,area,period,value\nunemployment_rate,50,2568,1\n"))
    assert error.errors[0].reason.startswith("KPI 'unemployment_rate' is reported by quarter: '2568' is a fiscal year")


def test_imp007_unknown_columns_and_areas_get_did_you_mean_and_the_known_columns_once(store, catalog, tmp_path):
    path = write(
        tmp_path, "panel.csv", "province,year,HH_Income_Avg,Unemployed (%),Pop_total\nChiang Maii,2565,1,1,1\n"
    )
    error = refused(store, catalog, path)
    text = str(error)
    assert "'HH_Income_Avg': unknown KPI id (or unknown column); did you mean 'household_income_avg'" in text
    assert "'Unemployed (%)': unknown KPI id (or unknown column); did you mean 'unemployment_rate'" in text
    assert text.count("known columns:") == 1
    areas = refused(
        store, catalog, write(tmp_path, "a.csv", "kpi_id,area,period,value\nita_score,Chiang Maii,2565,1\n")
    )
    assert "no area is named 'Chiang Maii'; did you mean 'Chiang Mai' (50)" in areas.errors[0].reason


def test_imp008_a_column_map_and_columns_left_out_import_a_real_panel(store, catalog, tmp_path):
    path = write(
        tmp_path,
        "panel.csv",
        "province,fiscal_year,HH_Income_Avg,Unemployed (%),Notes_2\n"
        "Chiang Mai,2565,21000,1.2,x\nLamphun,2565,19000,0.8,y\n",
    )
    mapped = ImportOptions(
        years=default_year_rules(),
        column_map={"hhincomeavg": "household_income_avg"},
        ignore=frozenset({"unemployed"}),
        ignore_unknown=True,
    )
    counts = import_values_file(store, path, catalog, "tester", options=mapped)
    assert counts["inserted"] == 2 and value(store, "household_income_avg", "51", Period.year(2565)) == 19000
    assert any("left out as asked: 'Unemployed (%)'" in note for note in counts["notes"])
    assert [(w.column, w.reason.split(":")[0]) for w in counts["warnings"]] == [
        ("Notes_2", "not a KPI or a known column")
    ]


def test_imp009_dry_run_counts_per_kpi_and_writes_only_the_log_row(store, catalog, tmp_path):
    first = write(tmp_path, "a.csv", "kpi_id,area,period,value\nita_score,50,2568,80\nita_score,51,2568,70\n")
    import_values_file(store, first, catalog, "tester")
    before = stored(store)
    second = write(
        tmp_path,
        "b.csv",
        "kpi_id,area,period,value\nita_score,50,2568,80\nita_score,51,2568,75\n"
        "ita_score,52,2568,60\nroad_deaths,50,2568,100\n",
    )
    counts = import_values_file(store, second, catalog, "tester", dry_run=True)
    assert counts["by_kpi"] == {
        "ita_score": {"inserted": 1, "revised": 1, "unchanged": 1},
        "road_deaths": {"inserted": 1, "revised": 0, "unchanged": 0},
    }
    assert (counts["inserted"], counts["revised"], counts["unchanged"]) == (2, 1, 1)
    assert stored(store) == before
    with store.connect() as connection:
        last = connection.execute(
            select(ImportLog.status, ImportLog.inserted, ImportLog.message).order_by(ImportLog.id.desc()).limit(1)
        ).one()
    assert last[0] == "dry-run" and last[1] == 2 and "dry run: nothing was written" in last[2]


def test_imp010_the_cli_reads_a_map_file_and_prints_the_dry_run(store, catalog, tmp_path, monkeypatch):
    from cli.main import poc

    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    from data.store.engine import get_engine
    from settings import get_settings

    get_settings.cache_clear()
    get_engine.cache_clear()
    panel = write(tmp_path, "panel.csv", "province,fiscal_year,HH_Income_Avg\nChiang Mai,2565,21000\nLamphun,2565,0\n")
    mapping = write(tmp_path, "map.yaml", "HH_Income_Avg: household_income_avg\n")
    result = CliRunner().invoke(poc, ["import-values", str(panel), "--map", str(mapping), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output and "would be" in result.output
    assert "household_income_avg" in result.output and "0 is implausible" in result.output
    assert stored(store) == []
    get_settings.cache_clear()
    get_engine.cache_clear()


def test_imp011_a_locked_store_waits_then_fails_with_a_message_and_a_failed_log_row(catalog, tmp_path, monkeypatch):
    from cli.main import poc
    from data.store.engine import command_engine, get_engine, make_engine
    from settings import get_settings
    from stores import initialise

    path = tmp_path / "locked.sqlite"
    initialise(make_engine(f"sqlite:///{path}"), catalog).dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("POC_IMPORT_LOCK_WAIT", "1")
    get_settings.cache_clear()
    get_engine.cache_clear()
    values = write(tmp_path, "v.csv", "kpi_id,area,period,value\nita_score,50,2568,80\n")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the store
    holder.execute("UPDATE meta SET value = value WHERE key = 'data_version'")
    try:
        result = CliRunner().invoke(poc, ["import-values", str(values)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        "nothing was imported: the store is locked by another writer; waited 1 s (POC_IMPORT_LOCK_WAIT)"
        in result.output
    )
    command_engine().dispose()
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT count(*) FROM kpi_value").fetchone()[0] == 0
    get_settings.cache_clear()
    get_engine.cache_clear()
