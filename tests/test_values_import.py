"""Importing KPI value files (CSV, XLSX; long and wide) into a real store, SQLite and PostgreSQL.

Every file is written by the test itself. Assertions are on what a user sees: the counts the
import reports, the values in the store, the revision history, and the error lines naming the
file, the spreadsheet row (header = row 1) and the column.

KPIs used (from `kpi_definitions.yaml`): gpp (annual, province), unemployment_rate (quarterly,
province), dengue_cases (monthly, district), road_deaths and farm_households (annual,
district), tpmap_poor_persons (annual, subdistrict), flagship_project_progress (monthly,
province). Area codes: 10 Bangkok, 50 Chiang Mai, 5001 Mueang Chiang Mai, 500101 Si Phum,
51 Lamphun, 5101 Mueang Lamphun.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data.files.number_text import parse_numbers
from data.files.values_file import RowError, ValueImportError, parse_values_file
from data.rules.areas import AreaIndex
from data.rules.periods import Period
from data.store.imports import import_values_file
from data.store.schema import KpiValue
from data.store.values import value_counts, value_history
from helpers import import_log, stored, value, write

Y, Q, M = Period.year, Period.quarter, Period.month

LONG_CSV = """kpi_id,area,period,value,target,source
gpp,50,2568,"1,234.5",1300,NESDC
gpp,50,2567,1100,,NESDC
unemployment_rate,10,Q1/2568,1.2,,NSO LFS
dengue_cases,5001,2567-10,12,,DDC
tpmap_poor_persons,500101,2568,35,,TPMAP
"""


# --------------------------------------------------------------------------- helpers (more in helpers.py)


def run_import(store, catalog, path: Path, **options) -> dict:
    return import_values_file(store, path, catalog, "tester", **options)


def counts_of(store) -> dict[str, int]:
    with store.connect() as connection:
        return value_counts(connection)


def failure(store, catalog, path: Path) -> ValueImportError:
    with pytest.raises(ValueImportError) as caught:
        run_import(store, catalog, path)
    return caught.value


def located(error: ValueImportError) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in error.errors}


# --------------------------------------------------------------------------- shapes and formats


def test_val001_long_csv_by_codes(store, catalog, tmp_path):
    steps: list[tuple[str, int, int]] = []
    counts = run_import(
        store,
        catalog,
        write(tmp_path, "values.csv", LONG_CSV),
        progress=lambda step, done, total: steps.append((step, done, total)),
    )
    assert [step for step, _, _ in steps if step != "read"] == ["check"] * 5 + ["write"] * 2
    assert steps[-1] == ("write", 5, 5) and all(done <= total for _, done, total in steps)
    assert (counts["rows_read"], counts["inserted"], counts["revised"], counts["unchanged"]) == (5, 5, 0, 0)
    assert stored(store) == [
        ("dengue_cases", "5001", "M", 2568, 1, 12.0, None, "DDC", False, False, 1),
        ("gpp", "50", "Y", 2567, 0, 1100.0, None, "NESDC", False, False, 1),
        ("gpp", "50", "Y", 2568, 0, 1234.5, 1300.0, "NESDC", False, False, 1),
        ("tpmap_poor_persons", "500101", "Y", 2568, 0, 35.0, None, "TPMAP", False, False, 1),
        ("unemployment_rate", "10", "Q", 2568, 1, 1.2, None, "NSO LFS", False, False, 1),
    ]
    assert import_log(store) == [("ok", "values.csv", 5)]


def test_val002_wide_csv_with_names(store, catalog, tmp_path):
    # a district named "เมือง" is found through the province column; empty cells and "-" are no value
    text = (
        "จังหวัด,อำเภอ,ปีงบประมาณ,road_deaths,farm_households,gpp\n"
        'เชียงใหม่,,2568,250,"12,000","1,234.5"\n'
        "เชียงใหม่,เมืองเชียงใหม่,2568,31,800,\n"
        "ลำพูน,เมือง,2567,-,950,\n"
    )
    counts = run_import(store, catalog, write(tmp_path, "wide.csv", text))
    assert (counts["rows_read"], counts["inserted"]) == (3, 6)
    assert value(store, "road_deaths", "50", Y(2568)) == 250
    assert value(store, "farm_households", "50", Y(2568)) == 12000
    assert value(store, "gpp", "50", Y(2568)) == 1234.5
    assert value(store, "road_deaths", "5001", Y(2568)) == 31
    assert value(store, "farm_households", "5001", Y(2568)) == 800
    assert value(store, "farm_households", "5101", Y(2567)) == 950
    assert value(store, "road_deaths", "5101", Y(2567)) is None


def test_val003_xlsx_with_title_row_dates_and_percent(store, catalog, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ผลการดำเนินงาน"
    sheet.append(["รายงานผลการดำเนินงานตามตัวชี้วัด จังหวัดเชียงใหม่"])  # a title row above the header
    sheet.append(["ตัวชี้วัด", "จังหวัด", "งวด", "ผลการดำเนินงาน", "เป้าหมาย"])
    sheet.append(["gpp", "เชียงใหม่", 2568, 1234.5, 1300])
    sheet.append(["flagship_project_progress", "Chiang Mai", dt.datetime(2024, 10, 31), 0.855, None])
    sheet.cell(row=4, column=4).number_format = "0.0%"  # shown as 85.5%
    sheet.append(["unemployment_rate", 50, "ไตรมาส 2/2568", 1.75, None])
    path = tmp_path / "values.xlsx"
    workbook.save(path)
    counts = run_import(store, catalog, path)
    assert (counts["rows_read"], counts["inserted"]) == (3, 3)
    assert value(store, "gpp", "50", Y(2568)) == 1234.5
    assert value(store, "flagship_project_progress", "50", M(2568, 1)) == 85.5
    assert value(store, "unemployment_rate", "50", Q(2568, 2)) == 1.75
    with store.connect() as connection:
        assert value_history(connection, "gpp", "50", Y(2568))[0]["target"] == 1300


def test_val004_xlsx_named_sheet_and_row_numbers(store, catalog, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "README"
    workbook.active.append(["คำอธิบาย"])
    sheet = workbook.create_sheet("values")
    sheet.append(["Title"])
    sheet.append(["kpi_id", "area", "period", "value"])
    sheet.append(["gpp", "50", "2568", 1])
    sheet.append(["gpp", "51", "2568", "abc"])  # spreadsheet row 4
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    with pytest.raises(ValueImportError) as caught:
        run_import(store, catalog, path, sheet="values")
    assert [(e.file, e.row, e.column) for e in caught.value.errors] == [("book.xlsx", 4, "value")]
    with pytest.raises(ValueImportError, match="no sheet named 'nope'"):
        run_import(store, catalog, path, sheet="nope")


def test_val005_cp874_thai_names_be_years_thai_digits(store, catalog, tmp_path):
    text = (
        "จังหวัด,ปีงบประมาณ,gpp,road_deaths\n"
        'เชียงใหม่,๒๕๖๘,"๑,๒๓๔,๕๖๗.๘๙",๑๒๓\n'
        'กรุงเทพมหานคร,2567p," 987,654.3 ",\n'
        'จังหวัดลำพูน,พ.ศ. ๒๕๖๘,"๔๕,๖๗๘",๐\n'
    )
    path = write(tmp_path, "tis620.csv", text, encoding="cp874")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    counts = run_import(store, catalog, path)
    assert counts["inserted"] == 5
    assert value(store, "gpp", "50", Y(2568)) == 1234567.89
    assert value(store, "road_deaths", "50", Y(2568)) == 123
    assert value(store, "gpp", "10", Y(2567)) == 987654.3
    assert value(store, "gpp", "51", Y(2568)) == 45678
    assert value(store, "road_deaths", "51", Y(2568)) == 0
    flags = {(row[0], row[1], row[3]): row[8] for row in stored(store)}
    assert flags[("gpp", "10", 2567)] is True  # "2567p" marks a preliminary figure
    assert flags[("gpp", "50", 2568)] is False


def test_val006_utf8_with_bom(store, catalog, tmp_path):
    path = write(tmp_path, "bom.csv", "\ufeff" + LONG_CSV)
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    counts = run_import(store, catalog, path)
    assert counts["inserted"] == 5
    assert value(store, "gpp", "50", Y(2568)) == 1234.5


def test_val007_semicolons_flags_and_exact_repeats(store, catalog, tmp_path):
    text = (
        "ตัวชี้วัด;พื้นที่;ปี;ค่า;สถานะ\n"
        "gpp;50;2568;1234.5;p\n"
        "gpp;50;2568;1234.5;p\n"  # the same row again: skipped, not an error
        "gpp;51;2566;99;r\n"
        "\n"
        "gpp;52;2567;98;\n"
    )
    counts = run_import(store, catalog, write(tmp_path, "semi.csv", text))
    assert (counts["rows_read"], counts["inserted"]) == (4, 3)
    assert "repeated" in counts["message"]
    assert [(r[1], r[3], r[8], r[9]) for r in stored(store)] == [
        ("50", 2568, True, False),
        ("51", 2566, False, True),
        ("52", 2567, False, False),
    ]


# --------------------------------------------------------------------------- errors


def test_val008_one_bad_row_writes_nothing(store, catalog, tmp_path):
    run_import(store, catalog, write(tmp_path, "first.csv", LONG_CSV))
    before = stored(store)
    text = (
        "kpi_id,area,period,value\n"
        "gpp,52,2568,10\n"
        "gpp,53,2568,11\n"
        "gpp,54,2568,1O\n"  # letter O: row 4
        "gpp,55,2568,13\n"
    )
    error = failure(store, catalog, write(tmp_path, "bad.csv", text))
    assert [(e.file, e.row, e.column) for e in error.errors] == [("bad.csv", 4, "value")]
    assert "bad.csv, row 4, column 'value': '1O' is not a number" in str(error)
    assert stored(store) == before
    assert counts_of(store) == {"values": 5, "revisions": 0}
    assert import_log(store) == [("ok", "first.csv", 5), ("failed", "bad.csv", 4)]


def test_val009_every_bad_row_is_listed(store, catalog, tmp_path):
    text = (
        "kpi_id,area,period,value,target\n"
        "gpp,50,2568,1,\n"  # 2: good
        "gdp,50,2568,1,\n"  # 3: unknown KPI
        "gpp,Atlantis,2568,1,\n"  # 4: unknown area
        "gpp,51,25x8,1,\n"  # 5: unreadable period
        "gpp,52,2568,,\n"  # 6: no value
        "gpp,53,2568,1,lots\n"  # 7: target not a number
        "dengue_cases,5001,2568,3,\n"  # 8: monthly KPI given a year
        "gpp,50,2568,2,\n"  # 9: same key as row 2, other value
        "gpp,5001,2568,1,\n"  # 10: district for a province KPI
        "road_deaths,เมือง,2568,1,\n"
    )  # 11: "เมือง" without a province is ambiguous
    error = failure(store, catalog, write(tmp_path, "many.csv", text))
    assert located(error) == {
        (3, "kpi_id"),
        (4, "area"),
        (5, "period"),
        (6, "value"),
        (7, "target"),
        (8, "period"),
        (9, "value"),
        (10, "area"),
        (11, "area"),
    }
    reasons = {e.row: e.reason for e in error.errors}
    assert "unknown KPI id 'gdp'" in reasons[3]
    assert "Atlantis" in reasons[4]
    assert "a month is needed" in reasons[8]
    assert "row 2" in reasons[9]
    assert "matches" in reasons[11]
    lines = str(error).splitlines()
    assert lines[0].startswith("many.csv: 9 problem(s) in 9 row(s)")
    assert lines[1:] == [str(e) for e in sorted(error.errors, key=lambda e: e.row)]
    assert counts_of(store) == {"values": 0, "revisions": 0}


def test_val010_district_rows_for_a_province_kpi_are_rejected(store, catalog, tmp_path):
    text = "kpi_id,province,district,period,value\ngpp,เชียงใหม่,,2568,1\ngpp,เชียงใหม่,เมืองเชียงใหม่,2568,2\n"
    error = failure(store, catalog, write(tmp_path, "levels.csv", text))
    assert [(e.row, e.column) for e in error.errors] == [(3, "district")]
    assert error.errors[0].reason == "KPI 'gpp' is published down to province level; 5001 is a district"
    assert counts_of(store)["values"] == 0


def test_val011_quarterly_kpi_given_a_fiscal_year_is_rejected(store, catalog, tmp_path):
    text = "kpi_id,area,period,value\nunemployment_rate,10,Q4/2568,1.1\nunemployment_rate,10,2568,1.0\n"
    error = failure(store, catalog, write(tmp_path, "quarter.csv", text))
    assert [(e.row, e.column) for e in error.errors] == [(3, "period")]
    assert "'2568' is a fiscal year, but a quarter is needed" in error.errors[0].reason
    assert counts_of(store)["values"] == 0


def test_val012_unusable_headers(store, catalog, tmp_path):
    error = failure(store, catalog, write(tmp_path, "head.csv", "kpi_id,area,when,value,colour\ngpp,50,2568,1,red\n"))
    reasons = " | ".join(e.reason for e in error.errors)
    assert {e.row for e in error.errors} == {1}
    assert "unknown column" in reasons and "no period column" in reasons
    wide = failure(store, catalog, write(tmp_path, "wide.csv", "area,period,gpp,not_a_kpi\n50,2568,1,2\n"))
    assert [(e.row, e.column) for e in wide.errors] == [(1, "not_a_kpi"), (1, "")]
    assert wide.errors[1].reason.startswith("known columns: kpi_id, area,")  # listed once, not on every line


def test_val013_error_text_is_capped():
    errors = [RowError("big.csv", row, "value", "'x' is not a number") for row in range(2, 502)]
    lines = str(ValueImportError("big.csv", errors)).splitlines()
    assert len(lines) == 202
    assert lines[1] == "big.csv, row 2, column 'value': 'x' is not a number"
    assert lines[-1] == "... and 300 more problem(s)"


# --------------------------------------------------------------------------- re-import, revisions


def test_val014_reimporting_the_same_file_changes_nothing(store, catalog, tmp_path):
    path = write(tmp_path, "values.csv", LONG_CSV)
    run_import(store, catalog, path)
    before = stored(store)
    counts = run_import(store, catalog, path)
    assert (counts["inserted"], counts["revised"], counts["unchanged"]) == (0, 0, 5)
    assert stored(store) == before
    assert counts_of(store) == {"values": 5, "revisions": 0}


def test_val015_a_corrected_value_becomes_a_new_revision(store, catalog, tmp_path):
    first = run_import(store, catalog, write(tmp_path, "values.csv", LONG_CSV))
    corrected = LONG_CSV.replace('gpp,50,2568,"1,234.5"', 'gpp,50,2568,"1,250.0"')
    second = run_import(store, catalog, write(tmp_path, "corrected.csv", corrected))
    assert (second["inserted"], second["revised"], second["unchanged"]) == (0, 1, 4)
    with store.connect() as connection:
        history = value_history(connection, "gpp", "50", Y(2568))
    assert [(h["value"], h["revision"], h["current"], h["import_id"], h["superseded_by_import"]) for h in history] == [
        (1250.0, 2, True, second["import_id"], None),
        (1234.5, 1, False, first["import_id"], second["import_id"]),
    ]
    assert history[1]["target"] == 1300 and history[1]["source"] == "NESDC"
    assert counts_of(store) == {"values": 5, "revisions": 1}
    # a changed flag or target is a revision too; the same file again is not
    third = run_import(
        store, catalog, write(tmp_path, "flagged.csv", corrected.replace("gpp,50,2567,", "gpp,50,2567p,"))
    )
    assert (third["revised"], third["unchanged"]) == (1, 4)
    again = run_import(store, catalog, tmp_path / "flagged.csv")
    assert (again["revised"], again["unchanged"]) == (0, 5)


# --------------------------------------------------------------------------- parsing without a store


@pytest.mark.parametrize(
    "text, number",
    [
        ("1234.5", 1234.5),
        ("1,234.5", 1234.5),
        (" 1,234,567.89 ", 1234567.89),
        ("๑,๒๓๔.๕", 1234.5),
        ("85.5%", 85.5),
        ("-3", -3.0),
        ("(1,200)", -1200.0),
        ("\u22121.5", -1.5),
        ("1e3", 1000.0),
        ("0", 0.0),
    ],
)
def test_val016_numbers_as_written(text, number):
    values, empty, bad = parse_numbers(pd.Series([text], dtype=object))
    assert (values[0], empty[0], bad[0]) == (number, False, False)


@pytest.mark.parametrize("text", ["1,23", "12,5", "abc", "1.2.3", "nan", "inf", "--1"])
def test_val017_not_numbers(text):
    values, empty, bad = parse_numbers(pd.Series([text], dtype=object))
    assert bad[0] and np.isnan(values[0])


def test_val018_parsed_frame_has_the_value_columns(catalog, tmp_path):
    from data.store.schema import VALUE_COLUMNS

    parsed = parse_values_file(write(tmp_path, "values.csv", LONG_CSV), catalog, AreaIndex.from_geothai())
    assert tuple(parsed.frame.columns) == VALUE_COLUMNS
    assert (parsed.rows_read, len(parsed.frame), parsed.shape) == (5, 5, "long")
    assert parsed.frame["fiscal_year"].tolist() == [2568, 2567, 2568, 2568, 2568]


def test_val019_bulk_load_rebuilds_indexes_and_foreign_keys(store, catalog, tmp_path, monkeypatch):
    from sqlalchemy import inspect

    from data.store import values as values_store

    monkeypatch.setattr(values_store, "BULK_MIN_ROWS", 1)  # take the bulk path with a small file
    counts = run_import(store, catalog, write(tmp_path, "values.csv", LONG_CSV))
    assert counts["inserted"] == 5
    assert value(store, "gpp", "50", Y(2568)) == 1234.5
    inspector = inspect(store)
    assert {index["name"] for index in inspector.get_indexes("kpi_value")} >= {
        index.name for index in KpiValue.__table__.indexes
    }
    assert {fk["referred_table"] for fk in inspector.get_foreign_keys("kpi_value")} == {"kpi", "area", "import_log"}
    # the store now holds as many values as the next file brings: the ordinary path revises
    counts = run_import(store, catalog, write(tmp_path, "again.csv", LONG_CSV.replace("1100", "1111")))
    assert (counts["revised"], counts["unchanged"]) == (1, 4)


def test_val020_title_rows_above_the_header_keep_row_numbers(store, catalog, tmp_path):
    text = (
        "รายงานผลการดำเนินงาน ปีงบประมาณ 2568\n"
        "\n"
        "ตัวชี้วัด,จังหวัด,ปีงบประมาณ,ค่า (ล้านบาท)\n"
        "gpp,เชียงใหม่,2568,100\n"
        "gpp,ลำพูน,2568,ไม่มีข้อมูล\n"
    )
    error = failure(store, catalog, write(tmp_path, "titled.csv", text))
    assert [(e.row, e.column) for e in error.errors] == [(5, "ค่า (ล้านบาท)")]
    unreadable = failure(store, catalog, _binary(tmp_path))
    assert "neither UTF-8 nor TIS-620" in str(unreadable)
    assert import_log(store)[-1][:2] == ("failed", "binary.csv")


def _binary(folder: Path) -> Path:
    path = folder / "binary.csv"
    path.write_bytes(b"kpi_id,area,period,value\n\xdb\xfc\xff,50,2568,1\n")  # bytes no Thai encoding has
    return path
