"""The structure of a values file, checked before any value (data/files/: tables, headers, encoding, csv and xlsx readers).

Every file is written by the test itself: CSV as bytes in the encoding under test, XLSX with
openpyxl or, where openpyxl cannot write the damage, as a zip of hand-written XML.
Assertions are on what a user sees: the file, the spreadsheet row (header = row 1), the
column and the reason of each refusal, or the text cells and row numbers read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.files import csv_shape, limits
from data.files.csv_reader import read_csv
from data.files.encoding import detect_encoding
from data.files.tables import Table, ValueImportError
from data.files.values_file import parse_values_file
from data.files.xlsx_reader import read_xlsx
from data.rules.areas import AreaIndex
from data.store.imports import import_values_file

HEADER = "kpi_id,area,period,value\n"
LONG_CSV = HEADER + 'gpp,50,2568,"1,234.5"\ngpp,50,2567,1100\nunemployment_rate,10,Q1/2568,1.2\n'
SAVE_AS = "save it from Excel as 'CSV UTF-8 (Comma delimited)' or as an .xlsx workbook"


# --------------------------------------------------------------------------- helpers


def write(folder: Path, name: str, data: str | bytes, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def read(path: Path) -> Table:
    if path.suffix == ".xlsx":
        return read_xlsx(path, path.name, None, None)
    return read_csv(path, path.name, None)


def refusal(path: Path) -> list[tuple[str, int, str, str]]:
    """(file, row, column, reason) of each problem the reader finds."""
    with pytest.raises(ValueImportError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path.name}: ")
    return [tuple(error) for error in caught.value.errors]


def cells(table: Table) -> list[list[str]]:
    return table.cells.to_numpy().tolist()


def xlsx_zip(path: Path, sheet_data: str, dimension: str | None = None, shared: list[str] | None = None) -> Path:
    """A minimal workbook written by hand: one sheet holding `sheet_data` (the <row> elements)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = (
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
    )
    links = f'<Relationship Id="rId1" Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/>'
        links += f'<Relationship Id="rId2" Type="{relations}/sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets>'
            '<sheet name="values" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}">{links}</Relationships>',
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}">'
            + (f'<dimension ref="{dimension}"/>' if dimension else "")
            + f"<sheetData>{sheet_data}</sheetData></worksheet>"
        ),
    }
    if shared is not None:
        items = "".join(f"<si><t>{text}</t></si>" for text in shared)
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{main}" count="{len(shared)}">{items}</sst>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, xml in parts.items():
            archive.writestr(part, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return path


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


XLSX_HEADER = (
    '<row r="1">'
    + text_cell("A1", "kpi_id")
    + text_cell("B1", "area")
    + text_cell("C1", "period")
    + text_cell("D1", "value")
    + "</row>"
)


def xlsx_row(number: int, value: str, kind: str = "n") -> str:
    """A data row: gpp, 50, fiscal year 2500 + number and `value` stored as a cell of type `kind` (n: number,
    s: shared text, b: boolean, d: ISO date)."""
    kind_attribute = f' t="{kind}"' if kind != "n" else ""
    return (
        f'<row r="{number}">' + text_cell(f"A{number}", "gpp") + f'<c r="B{number}"><v>50</v></c>'
        f'<c r="C{number}"><v>{2500 + number}</v></c><c r="D{number}"{kind_attribute}><v>{value}</v></c></row>'
    )


# --------------------------------------------------------------------------- cell counts


def test_tab001_a_first_row_longer_than_the_header_is_refused(tmp_path):
    # the file: "1,234" unquoted gives five cells under a four-column header
    path = write(tmp_path, "long.csv", HEADER + "ita_score,50,2568,1,234\ngpp,50,2568,2\n")
    assert refusal(path) == [
        ("long.csv", 2, "", "5 cells but the header has 4; a cell that contains a comma must be in double quotes")
    ]


def test_tab002_short_rows_and_a_truncated_file_are_refused(tmp_path):
    text = (
        "kpi_id,area,period,value,source\n"
        "gpp,50,2568,70.38,NESDC\n"
        "gpp,51,2568\n"  # row 3: a cell missing
        "gpp,52,2568,12,NESDC\n"
        "gpp,53,2568,7"
    )  # row 5: the file stops in the middle of the row
    path = write(tmp_path, "cut.csv", text)
    reason = "cells but the header has 5; a cell is missing or the row is cut short"
    assert refusal(path) == [("cut.csv", 3, "", f"3 {reason}"), ("cut.csv", 5, "", f"4 {reason}")]


def test_tab003_every_row_with_a_wrong_count_is_listed_with_the_separator(tmp_path):
    text = (
        "ตัวชี้วัด;พื้นที่;ปี;ค่า\n"
        "gpp;50;2568;1\n"
        "gpp;51;2568;1;5\n"  # 3: long
        "\n"  # 4: blank, allowed
        "gpp;52\n"  # 5: short
        "gpp;53;2568;1;;\n"
    )  # 6: trailing separators only, allowed
    assert refusal(write(tmp_path, "semi.csv", text)) == [
        ("semi.csv", 3, "", "5 cells but the header has 4; a cell that contains a semicolon must be in double quotes"),
        ("semi.csv", 5, "", "2 cells but the header has 4; a cell is missing or the row is cut short"),
    ]


def test_tab004_blank_rows_and_trailing_empty_cells_are_allowed(tmp_path):
    text = (
        HEADER
        + "gpp,50,2568,1,\n"  # 2: a trailing comma
        + "\n"  # 3: blank line
        + ",,,\n"  # 4: empty cells only
        + ",\n"  # 5: two empty cells, fewer than the header: still a blank row
        + "gpp,51,2568,2,,,\n"
    )  # 6: trailing commas
    table = read(write(tmp_path, "trailing.csv", text))
    assert table.header == ["kpi_id", "area", "period", "value"]
    assert cells(table) == [
        ["gpp", "50", "2568", "1"],
        ["", "", "", ""],
        ["", "", "", ""],
        ["", "", "", ""],
        ["gpp", "51", "2568", "2"],
    ]
    assert table.row_numbers.tolist() == [2, 3, 4, 5, 6]
    # Excel pads every row, the header too, when a cell further right was ever used
    excel = read(write(tmp_path, "excel.csv", "kpi_id,area,period,value,,\r\ngpp,50,2568,1,,\r\n"))
    assert (excel.header, cells(excel)) == (["kpi_id", "area", "period", "value"], [["gpp", "50", "2568", "1"]])
    # but a value in a cell beyond the header is a long row
    assert refusal(write(tmp_path, "beyond.csv", HEADER + "gpp,50,2568,1,,x\n")) == [
        ("beyond.csv", 2, "", "6 cells but the header has 4; a cell that contains a comma must be in double quotes")
    ]


def test_tab005_title_rows_and_multi_line_cells_keep_spreadsheet_row_numbers(tmp_path):
    text = (
        '"Report of ""KPI""\non two lines"\n'  # row 1, one cell over two lines
        "\n"  # row 2
        + HEADER  # row 3
        + "gpp,50,2568,1\n"  # row 4
        + 'gpp,51,"25\n68",2\n'  # row 5, a cell with a line break
        + "gpp,52,2568\n"
    )  # row 6: short
    assert refusal(write(tmp_path, "titled.csv", text)) == [
        ("titled.csv", 6, "", "3 cells but the header has 4; a cell is missing or the row is cut short")
    ]
    table = read(write(tmp_path, "titled_ok.csv", text.replace("gpp,52,2568\n", "gpp,52,2568,3\n")))
    assert (table.header_row, table.row_numbers.tolist()) == (3, [4, 5, 6])
    assert cells(table)[1] == ["gpp", "51", "25\n68", "2"]


def test_tab006_malformed_quotes_are_refused(tmp_path):
    assert refusal(write(tmp_path, "after.csv", HEADER + 'gpp,50,2568,1\ngpp,50,2567,"1"2\n')) == [
        (
            "after.csv",
            3,
            "",
            'text after a closing double quote; a double quote inside a quoted cell is written twice ("")',
        )
    ]
    assert refusal(write(tmp_path, "open.csv", HEADER + 'gpp,50,2568,"1\ngpp,51,2568,2\n')) == [
        ("open.csv", 2, "", "a double quote opens a cell that is never closed")
    ]


# --------------------------------------------------------------------------- limits


def test_tab007_a_200000_character_cell_is_refused_with_its_row_and_column(tmp_path):
    path = write(tmp_path, "huge.csv", HEADER + "gpp,50,2568,1\ngpp,50,2567," + "9" * 200_000 + "\n")
    assert refusal(path) == [("huge.csv", 3, "value", "the cell has 200,000 characters; at most 4,000 are read")]
    # in the rows read to find the header (the csv module's own limit is 131,072)
    path = write(tmp_path, "early.csv", "kpi_id,area,period,value\ngpp," + "5" * 200_000 + ",2568,1\n")
    assert refusal(path) == [("early.csv", 2, "area", "the cell has 200,000 characters; at most 4,000 are read")]


def test_tab008_cells_over_the_limit_anywhere(tmp_path):
    long = "x" * 4_001
    rows = "".join(f"gpp,50,{2500 + n},1\n" for n in range(20))  # past the rows read for the header
    path = write(tmp_path, "late.csv", HEADER + rows + f'gpp,50,2568,"{long}"\n')
    assert refusal(path) == [("late.csv", 22, "value", "the cell has 4,001 characters; at most 4,000 are read")]
    path = write(tmp_path, "header.csv", f"kpi_id,area,period,value,{long}\ngpp,50,2568,1,\n")
    assert refusal(path) == [("header.csv", 1, "E", "the cell has 4,001 characters; at most 4,000 are read")]
    assert read(write(tmp_path, "ok.csv", HEADER + "gpp,50,2568," + "1" * 4_000 + "\n")).cells.iloc[0, 3] == "1" * 4_000


def test_tab009_column_row_and_file_size_limits(tmp_path, monkeypatch):
    wide = ",".join(f"c{n}" for n in range(2_001))
    assert refusal(write(tmp_path, "wide.csv", f"kpi_id,area,{wide}\n1,2\n")) == [
        ("wide.csv", 1, "", "the header has 2,003 columns; at most 2,000 are read")
    ]
    assert refusal(write(tmp_path, "row.csv", HEADER + "gpp,50,2568,1" + ",1" * 2_000 + "\n")) == [
        ("row.csv", 2, "", "2,004 cells; at most 2,000 columns are read")
    ]
    monkeypatch.setattr(limits, "MAX_ROWS", 5)
    six = HEADER + "".join(f"gpp,50,{2560 + n},1\n" for n in range(6))
    assert refusal(write(tmp_path, "rows.csv", six)) == [
        ("rows.csv", 7, "", "the file has more than 5 data rows; split it into smaller files")
    ]
    assert len(read(write(tmp_path, "five.csv", six.rsplit("gpp", 1)[0])).cells) == 5
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    assert refusal(write(tmp_path, "big.csv", six)) == [
        ("big.csv", 1, "", f"the file has {len(six)} bytes; at most 100 are read: split it into smaller files")
    ]


def test_tab009b_an_over_long_line_is_refused_without_reading_it_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LINE_CHARS", 1_000)
    path = write(tmp_path, "line.csv", HEADER + "gpp,50,2568,1\n" + "gpp,50,2567," + "," * 5_000 + "\n")
    assert refusal(path) == [
        (
            "line.csv",
            3,
            "",
            "a line longer than 1,000 characters: more than 2,000 cells or cells longer than 4,000 characters",
        )
    ]
    assert len(read(write(tmp_path, "short.csv", HEADER + "gpp,50,2568," + "1" * 900 + "\n")).cells) == 1


def test_tab010_empty_and_header_only_files_are_refused(tmp_path):
    for name, data in [("empty.csv", b""), ("bom.csv", b"\xef\xbb\xbf"), ("blank.csv", b"\r\n\r\n  \r\n")]:
        assert refusal(write(tmp_path, name, data)) == [(name, 1, "", "the file is empty")]
    for name, data in [
        ("header.csv", HEADER),
        ("header_blank.csv", HEADER + "\n\n"),
        ("header_commas.csv", HEADER + ",,,\n,,,\n"),
        ("header_spaces.csv", HEADER + " , ,\t,\n  \n"),
    ]:
        assert refusal(write(tmp_path, name, data)) == [(name, 1, "", "the file has a header but no data rows")]
    late = write(tmp_path, "late.csv", "\n" * 12 + HEADER + "gpp,50,2568,1\n")
    assert refusal(late) == [("late.csv", 1, "", "the first 10 rows are blank; the header must be in one of them")]
    unknown = read(write(tmp_path, "unknown.csv", "\n\nnot,a,header\n1,2,3\n"))
    assert (unknown.header_row, unknown.header, cells(unknown)) == (3, ["not", "a", "header"], [["1", "2", "3"]])
    titled = "Report 2568\n" + HEADER
    assert refusal(write(tmp_path, "titled.csv", titled)) == [
        ("titled.csv", 2, "", "the file has a header but no data rows")
    ]


def test_tab011_a_header_only_file_is_logged_failed(store, catalog, tmp_path):
    from sqlalchemy import select

    from data.store.schema import ImportLog

    path = write(tmp_path, "header.csv", HEADER)
    with pytest.raises(ValueImportError, match="the file has a header but no data rows"):
        import_values_file(store, path, catalog, "tester")
    with store.connect() as connection:
        logged = connection.execute(select(ImportLog.status, ImportLog.source_name)).all()
    assert [tuple(row) for row in logged] == [("failed", "header.csv")]


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "encoding, bom, label",
    [
        ("utf-8", b"", "UTF-8"),
        ("utf-8", b"\xef\xbb\xbf", "UTF-8 with BOM"),
        ("utf-16-le", b"\xff\xfe", "UTF-16 LE"),
        ("utf-16-be", b"\xfe\xff", "UTF-16 BE"),
    ],
)
def test_tab012_utf8_and_utf16_files_import_the_same_values(catalog, tmp_path, encoding, bom, label):
    # Excel's "Unicode text" is UTF-16 LE with a byte order mark and tabs
    text = LONG_CSV.replace("gpp,50,2567", "gpp,เชียงใหม่,2567")
    if encoding.startswith("utf-16"):
        text = "".join("\t".join(row) + "\r\n" for row in csv.reader(io.StringIO(text)))
    path = write(tmp_path, f"values_{label}.csv", bom + text.encode(encoding))
    table = read(path)
    assert table.encoding == label
    assert table.header == ["kpi_id", "area", "period", "value"]
    assert cells(table)[:2] == [["gpp", "50", "2568", "1,234.5"], ["gpp", "เชียงใหม่", "2567", "1100"]]
    assert detect_encoding(path) == {"UTF-8": "utf-8", "UTF-8 with BOM": "utf-8-sig"}.get(label, "utf-16")
    areas = AreaIndex.from_geothai()
    reference = parse_values_file(
        write(tmp_path, "reference.csv", LONG_CSV.replace("gpp,50,2567", "gpp,เชียงใหม่,2567")), catalog, areas
    )
    parsed = parse_values_file(path, catalog, areas)
    pd.testing.assert_frame_equal(parsed.frame, reference.frame)
    assert parsed.rows_read == reference.rows_read == 3


def test_tab013_tis620_thai_is_read_and_named(tmp_path):
    text = (
        "จังหวัด,ปีงบประมาณ,gpp,หมายเหตุ\n"
        'เชียงใหม่,๒๕๖๘,"๑,๒๓๔.๕",ข้อมูลจาก สศช. ณ วันที่ ๑ ต.ค. ๒๕๖๗\n'
        "กรุงเทพมหานคร,2567p,987,GPPต่อหัว ก\n"
    )
    table = read(write(tmp_path, "tis620.csv", text, encoding="cp874"))
    assert table.encoding == "TIS-620 (CP874)"
    assert cells(table)[1] == ["กรุงเทพมหานคร", "2567p", "987", "GPPต่อหัว ก"]


@pytest.mark.parametrize(
    "word, thai, shown",
    [
        ("café", "caf้", "café"),
        ("São Paulo", "Sใo", "São"),
        ("École", "ษcole", "École"),
        ("25°C", "25ฐC", "25°C"),
    ],
)
def test_tab014_latin1_text_is_refused_not_read_as_thai(tmp_path, word, thai, shown):
    path = write(tmp_path, "latin1.csv", HEADER + f"gpp,50,2568,1\ngpp,50,2567,{word}\n", encoding="latin-1")
    assert refusal(path) == [
        (
            "latin1.csv",
            3,
            "",
            f"the file is not UTF-8, and read as TIS-620 (CP874) line 3 is not Thai ({thai!r}); "
            f"it looks like Windows-1252 (Latin-1, Western European) text, where it reads "
            f"{shown!r}; {SAVE_AS}",
        )
    ]
    with pytest.raises(UnicodeDecodeError, match="Windows-1252"):
        detect_encoding(path)


def test_tab015_bytes_no_thai_encoding_has_are_refused_naming_what_they_look_like(tmp_path):
    path = write(tmp_path, "muller.csv", HEADER + "gpp,50,2568,1\ngpp,Müller,2568,1\n", encoding="latin-1")
    assert refusal(path) == [
        (
            "muller.csv",
            3,
            "",
            "the file is neither UTF-8 nor TIS-620 (CP874) text: line 3 has byte 0xFC, which "
            "neither has; read as Windows-1252 (Latin-1, Western European) it says 'Müller'; "
            f"{SAVE_AS}",
        )
    ]


def test_tab016_utf8_with_a_stray_byte_names_the_line(tmp_path):
    data = (HEADER + "gpp,เชียงใหม่,2568,1\n").encode() + "gpp,50,2567,ค่า é\n".encode().replace(b"\xc3\xa9", b"\xe9")
    assert refusal(write(tmp_path, "stray.csv", data)) == [
        (
            "stray.csv",
            3,
            "",
            "the file is UTF-8 text except line 3, which has byte 0xE9 that is not UTF-8 (near "
            f"'é', perhaps pasted from another file); correct that line, or {SAVE_AS}",
        )
    ]
    with_bom = write(tmp_path, "stray_bom.csv", b"\xef\xbb\xbf" + HEADER.encode() + b"gpp,caf\xe9,2568,1\n")
    assert refusal(with_bom) == [
        (
            "stray_bom.csv",
            2,
            "",
            f"the file starts as UTF-8 (a byte order mark) but line 2 has byte 0xE9, which is not UTF-8; {SAVE_AS}",
        )
    ]


def test_tab017_other_files_named_csv(tmp_path):
    no_bom = write(tmp_path, "unicode.csv", (HEADER + "gpp,50,2568,1\n").encode("utf-16-le"))
    assert refusal(no_bom) == [
        ("unicode.csv", 1, "", f"the file looks like UTF-16 LE text without a byte order mark; {SAVE_AS}")
    ]
    utf32 = write(tmp_path, "utf32.csv", (HEADER + "gpp,50,2568,1\n").encode("utf-32"))
    assert refusal(utf32) == [("utf32.csv", 1, "", f"the file is UTF-32 text, which is not read; {SAVE_AS}")]
    broken16 = write(tmp_path, "broken16.csv", b"\xff\xfe" + HEADER.encode("utf-16-le") + b"\x00\xd8a\x00")
    assert refusal(broken16)[0][3].startswith("the file starts as UTF-16 LE text (a byte order mark) but byte ")
    from openpyxl import Workbook

    workbook = tmp_path / "book.xlsx"
    Workbook().save(workbook)
    renamed = write(tmp_path, "book.csv", workbook.read_bytes())
    assert refusal(renamed) == [
        ("book.csv", 1, "", "the file is a zipped workbook (.xlsx), not CSV text; name it .xlsx")
    ]
    nul = write(tmp_path, "nul.csv", HEADER + "gpp,50,2568,1\x00\n")
    assert refusal(nul) == [("nul.csv", 2, "", "line 2 has a NUL byte: this is not a text file")]
    late_nul = write(
        tmp_path, "late_nul.csv", HEADER.encode() + "gpp,เชียงใหม่,2568,1\n".encode("cp874") + b"gpp,50,1\x00\n"
    )
    assert refusal(late_nul) == [("late_nul.csv", 3, "", "line 3 has a NUL byte: this is not a text file")]


# --------------------------------------------------------------------------- XLSX


def test_tab018_the_far_cell_xlsx_is_refused_at_once(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["XFD1048576"] = 1
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    assert path.stat().st_size < 10_000
    [(file, row, column, reason)] = refusal(path)
    assert (file, row, column) == ("far.xlsx", 1, "")
    assert reason == (
        "the sheet's used range XFD1048576:XFD1048576 reaches column XFD (16,384) and row 1,048,576; "
        "at most 2,000 columns and 5,000,000 data rows are read: delete the unused columns and rows, "
        "or copy the data to a new sheet"
    )
    # the same cell without a declared extent: refused at the cell, no grid allocated
    bare = xlsx_zip(tmp_path / "bare.xlsx", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    assert refusal(bare) == [
        ("bare.xlsx", 1048576, "XFD", "a cell in column XFD (16,384); at most 2,000 columns are read")
    ]


def test_tab019_a_declared_extent_smaller_than_the_data_loses_nothing(tmp_path):
    # some exporters write <dimension ref="A1"/>; openpyxl's read-only rows would stop at A1
    path = xlsx_zip(tmp_path / "a1.xlsx", XLSX_HEADER + xlsx_row(2, "1") + xlsx_row(4, "2"), dimension="A1")
    table = read(path)
    assert table.header == ["kpi_id", "area", "period", "value"]
    assert cells(table) == [["gpp", "50", "2502", "1"], ["gpp", "50", "2504", "2"]]
    assert table.row_numbers.tolist() == [2, 4]


def test_tab020_malformed_number_cells_become_text_the_value_checks_refuse(catalog, tmp_path):
    sheet = (
        XLSX_HEADER
        + xlsx_row(2, "NaN")
        + xlsx_row(3, "INF")
        + xlsx_row(4, "abc")
        + xlsx_row(5, "1e999")
        + xlsx_row(6, "1.5")
        + xlsx_row(7, "x", kind="b")
        + xlsx_row(8, "not a date", kind="d")
    )
    path = xlsx_zip(tmp_path / "numbers.xlsx", sheet, dimension="A1:D8")
    assert [row[3] for row in cells(read(path))] == ["NaN", "INF", "abc", "inf", "1.5", "x", "not a date"]
    with pytest.raises(ValueImportError) as caught:
        parse_values_file(path, catalog, AreaIndex.from_geothai())
    assert {(error.row, error.column) for error in caught.value.errors} == {
        (2, "value"),
        (3, "value"),
        (4, "value"),
        (5, "value"),
        (7, "value"),
        (8, "value"),
    }


def test_tab021_damaged_workbooks_are_refused_naming_the_row(tmp_path):
    shared = xlsx_zip(
        tmp_path / "shared.xlsx",
        XLSX_HEADER + xlsx_row(2, "0", "s") + xlsx_row(3, "7", "s"),
        dimension="A1:D3",
        shared=["1"],
    )
    assert refusal(shared) == [
        ("shared.xlsx", 3, "D", "the cell refers to shared text '7', which the file does not have: the file is damaged")
    ]
    xml = xlsx_zip(
        tmp_path / "xml.xlsx", XLSX_HEADER + xlsx_row(2, "1") + '<row r="3"><c r="A3"><v>1</v></row>', dimension="A1:D3"
    )
    [(_, row, _, reason)] = refusal(xml)
    assert row == 3 and reason.startswith("the sheet cannot be read after row 2: ") and "the file is damaged" in reason
    twice = xlsx_zip(
        tmp_path / "twice.xlsx", XLSX_HEADER + xlsx_row(2, "1").replace('r="C2"', 'r="B2"'), dimension="A1:D2"
    )
    assert refusal(twice) == [("twice.xlsx", 2, "", "two cells are stored at B2: the file is damaged")]
    order = xlsx_zip(tmp_path / "order.xlsx", XLSX_HEADER + xlsx_row(3, "1") + xlsx_row(2, "1"), dimension="A1:D3")
    assert refusal(order) == [("order.xlsx", 2, "", "row 2 is stored after row 3: the file is damaged")]
    reference = xlsx_zip(
        tmp_path / "ref.xlsx", XLSX_HEADER + xlsx_row(2, "1").replace('r="C2"', 'r="2C"'), dimension="A1:D2"
    )
    assert refusal(reference) == [("ref.xlsx", 2, "", "the cell reference '2C' is not valid: the file is damaged")]
    assert refusal(write(tmp_path, "text.xlsx", LONG_CSV)) == [
        ("text.xlsx", 1, "", "not a readable XLSX file: File is not a zip file")
    ]


def test_tab022_xlsx_limits_empty_and_header_only_sheets(tmp_path, monkeypatch):
    from openpyxl import Workbook

    def book(name: str, *rows: list) -> Path:
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        workbook.save(tmp_path / name)
        return tmp_path / name

    assert refusal(book("empty.xlsx")) == [("empty.xlsx", 1, "", "the sheet 'Sheet' is empty")]
    header = ["kpi_id", "area", "period", "value"]
    assert refusal(book("header.xlsx", ["Report"], header)) == [
        ("header.xlsx", 2, "", "the sheet has a header but no data rows")
    ]
    assert refusal(book("spaces.xlsx", header, [" ", None, "  "])) == [
        ("spaces.xlsx", 1, "", "the sheet has a header but no data rows")
    ]
    assert refusal(book("long.xlsx", header, ["gpp", 50, 2568, "9" * 5_000])) == [
        ("long.xlsx", 2, "D", "the cell has 5,000 characters; at most 4,000 are read")
    ]
    monkeypatch.setattr(limits, "MAX_COLUMNS", 3)
    assert refusal(book("wide.xlsx", header, ["gpp", 50, 2568, 1])) == [
        (
            "wide.xlsx",
            1,
            "",
            "the sheet's used range A1:D2 reaches column D (4) and row 2; at most 3 columns and "
            "5,000,000 data rows are read: delete the unused columns and rows, or copy the data "
            "to a new sheet",
        )
    ]
    monkeypatch.setattr(limits, "MAX_COLUMNS", 2_000)
    monkeypatch.setattr(limits, "MAX_ROWS", 2)
    monkeypatch.setattr(limits, "HEADER_SEARCH_ROWS", 1)
    three = [["gpp", 50, 2560 + n, 1] for n in range(3)]
    assert refusal(book("tall.xlsx", header, *three))[0][3].startswith("the sheet's used range A1:D4 reaches ")
    undeclared = xlsx_zip(tmp_path / "undeclared.xlsx", XLSX_HEADER + "".join(xlsx_row(n, "1") for n in (2, 3, 4)))
    assert refusal(undeclared) == [("undeclared.xlsx", 4, "", "the sheet has more than 2 data rows; split it")]
    monkeypatch.setattr(limits, "MAX_XLSX_SHEET_BYTES", 500)
    assert refusal(undeclared) == [
        (
            "undeclared.xlsx",
            1,
            "",
            f"xl/worksheets/sheet1.xml unpacks to "
            f"{zipfile.ZipFile(undeclared).getinfo('xl/worksheets/sheet1.xml').file_size:,} "
            "bytes; at most 500 are read (copy the data to a new, smaller sheet)",
        )
    ]


# --------------------------------------------------------------------------- properties

THAI_WORDS = ["เชียงใหม่", "ลำพูน", "ค่า", "ปีงบประมาณ", "ที่", "น้ำ", "ไตรมาส", "ต.ค.", "gpp", "2568", "1,234.5"]


def cell_text(delimiter: str, thai_words_only: bool) -> st.SearchStrategy[str]:
    """Cell texts with quotes, line breaks, spaces and the file's own separator (never another
    candidate separator, which would make the sniffer choose differently); TIS-620 cells are
    made of whole Thai words, as Thai text is."""
    pieces = ["", " ", '"', "'", "\n", "\r\n", delimiter, ".", "-5"] + THAI_WORDS
    if not thai_words_only:
        pieces += ["a", "b", "é", "ก", "ข้อ", "\r"]
    return st.lists(st.sampled_from(pieces), max_size=4).map("".join)


def _write_rows(rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["kpi_id", "area", "period", "value", "note"][: len(rows[0])]] + rows
    )
    return buffer.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    width=st.integers(2, 5),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "cp874"]),
)
def test_tab023_random_tables_round_trip_in_every_encoding(tmp_path, data, width, encoding):
    delimiter = "\t" if encoding.startswith("utf-16") else ","
    cell = cell_text(delimiter, encoding == "cp874")
    rows = data.draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=1, max_size=6))
    if not any(text.strip() for row in rows for text in row):  # else the file has no data rows
        rows.append(["gpp"] + [""] * (width - 1))
    text = _write_rows(rows, delimiter)
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    table = read(write(tmp_path, "random.csv", bom + text.encode(encoding)))
    assert table.header == ["kpi_id", "area", "period", "value", "note"][:width]
    assert cells(table) == rows
    assert table.row_numbers.tolist() == list(range(2, 2 + len(rows)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(width=st.integers(1, 6), counts=st.lists(st.integers(1, 9), min_size=1, max_size=12))
def test_tab024_rows_are_refused_exactly_when_their_cell_count_differs(tmp_path, width, counts):
    header = ",".join(["kpi_id", "area"] + [f"c{n}" for n in range(width)])
    body = "".join(",".join(f"v{row}x{column}" for column in range(count)) + "\n" for row, count in enumerate(counts))
    path = write(tmp_path, "counts.csv", header + "\n" + body)
    wrong = [(row + 2, count) for row, count in enumerate(counts) if count != width + 2]
    if not wrong:
        assert len(read(path).cells) == len(counts)
        return
    assert [(row, reason.split(";")[0]) for _, row, _, reason in refusal(path)] == [
        (row, f"{count} cells but the header has {width + 2}") for row, count in wrong
    ]


LINE_PIECES = st.sampled_from(
    ["a", "bb", ",", ";", "\t", " ", "\n", "\r\n", "\r", "\r\r", "\n\n", "ก", "เชียงใหม่", '"', '""', '"x"', '",\n"']
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.lists(LINE_PIECES, max_size=40).map("".join),
    block=st.integers(1, 9),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp874"]),
)
def test_tab025_cell_counts_on_the_bytes_agree_with_the_csv_module(
    tmp_path, monkeypatch, text, block, delimiter, encoding
):
    # files with plain quoting are counted with numpy, read here in blocks of `block` bytes; the
    # others (a quote inside an unquoted cell, text after a closing quote, a quote never closed)
    # are left to the csv module
    monkeypatch.setattr(limits, "BLOCK_BYTES", block)
    path = write(tmp_path, "plain.csv", text.encode(encoding))
    counted = csv_shape._byte_counts(path, delimiter, 10**9, skip=3 if encoding == "utf-8-sig" else 0)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        assert counted is None
        return
    if counted is None:  # a quote inside an unquoted cell: the csv module reads it
        assert any('"' in cell for record in records for cell in record)
        return
    counts, longest = counted
    assert counts.tolist() == [len(record) for record in records]
    if '"' not in text:
        assert longest == max(
            (
                len(line.rstrip("\r\n").encode(encoding if encoding != "utf-8-sig" else "utf-8"))
                for line in io.StringIO(text, newline="")
            ),
            default=0,
        )
    assert longest >= max((len(cell) for record in records for cell in record), default=0)
