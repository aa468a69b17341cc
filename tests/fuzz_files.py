"""Hostile values files, with what a correct importer must do with each (issue 14, point 7).

A file starts from a valid long or wide table (yearly KPIs, provinces by code or name, BE fiscal
years, values inside each KPI's typical range) whose intended values are known: the truth. Then
mutations are applied. A *benign* mutation keeps the truth (Thai digits, thousands separators,
CRLF line ends, a UTF-8 BOM, UTF-16, CP874, blank lines, a title row, an XLSX instead of CSV); a
*hostile* one makes the file one that must be refused (a repeated column, a row with a cell too
many or too few, a truncated last row, "12 34", 1e308, a negative count, a share over 100, a year
2368 or 25680 or 2022, an unknown area or KPI, Latin-1 text, random bytes, an empty or
header-only file, a 200,000-character cell, an XLSX cell at XFD1048576, NaN/INF cells, a broken
shared-string index).

`check_outcome` is the oracle: a hostile file must be refused with a ValueImportError whose
message names the file, writing nothing but a `failed` log row; a benign file must import
exactly its truth. Anything else (another exception, a partial write, a stored value the file
did not hold) is counted as a failure. Used by tests/test_import_fuzz.py (hypothesis) and
bench/import_fuzz.py (2,000 files).
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from data.rules.catalog import Catalog
from data.rules.periods import Period

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
PROVINCES = {
    "50": "เชียงใหม่",
    "51": "ลำพูน",
    "52": "ลำปาง",
    "10": "กรุงเทพมหานคร",
    "30": "นครราชสีมา",
    "83": "ภูเก็ต",
    "96": "นราธิวาส",
}
YEARS = list(range(2560, 2569))
BENIGN = (
    "thai_digits",
    "thousands",
    "crlf",
    "bom",
    "utf16",
    "cp874_names",
    "blank_lines",
    "title_row",
    "xlsx",
    "spaces",
)
HOSTILE = (
    "repeat_column",
    "extra_cell",
    "missing_cell",
    "truncated",
    "spaced_number",
    "huge",
    "negative_count",
    "share_over_100",
    "year_2368",
    "serial_25680",
    "ce_year",
    "unknown_area",
    "unknown_kpi",
    "latin1",
    "random_bytes",
    "empty",
    "header_only",
    "giant_cell",
    "far_cell",
    "nan_cell",
    "bad_shared_string",
    "text_in_number",
)


@dataclass
class FuzzFile:
    path: Path
    truth: dict[tuple[str, str, Period], float]  # what a correct import stores (benign files)
    hostile: list[str] = field(default_factory=list)  # the hostile mutations applied (empty: benign)
    benign: list[str] = field(default_factory=list)


def yearly_kpis(catalog: Catalog) -> list:
    """Yearly KPIs whose values can be drawn inside their typical and valid ranges."""
    return [
        k
        for k in catalog.kpis
        if k.period_type.value == "year" and k.finest_level in ("province", "district", "subdistrict")
    ]


def make_file(
    folder: Path, name: str, catalog: Catalog, rng: random.Random, hostile: list[str], benign: list[str]
) -> FuzzFile:
    """One file: a valid table of 1-12 values, then the mutations given."""
    kpis = rng.sample(yearly_kpis(catalog), k=rng.randint(1, 4))
    wide = rng.random() < 0.4 and "repeat_column" not in hostile or "repeat_column" in hostile
    cells: dict[tuple[str, str, int], float] = {}
    provinces = rng.sample(sorted(PROVINCES), k=rng.randint(1, 3))
    years = rng.sample(YEARS, k=rng.randint(1, 3))
    for kpi in kpis:
        low, high = kpi.typical_range
        decimals = min(kpi.decimals, 2)
        for code in provinces:
            for year in years:
                cells[(kpi.id, code, year)] = round(rng.uniform(max(low, 1e-2), high), decimals)
    truth = {(k, a, Period.year(y)): v for (k, a, y), v in cells.items()}
    by_name = "cp874_names" in benign or rng.random() < 0.3
    area_text = {code: (PROVINCES[code] if by_name else code) for code in provinces}

    def number(value: float) -> str:
        text = repr(value)
        if text.endswith(".0"):
            text = text[:-2]
        if "thousands" in benign and abs(value) >= 1000 and "e" not in text:
            whole, _, fraction = text.partition(".")
            text = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
        if "thai_digits" in benign:
            text = text.translate(THAI_DIGITS)
        if "spaces" in benign:
            text = f"  {text} "
        return text

    if wide:
        header = ["area", "period", *[k.id for k in kpis]]
        rows = [
            [area_text[code], str(year), *[number(cells[(k.id, code, year)]) for k in kpis]]
            for code in provinces
            for year in years
        ]
    else:
        header = ["kpi_id", "area", "period", "value"]
        rows = [[kpi_id, area_text[code], str(year), number(value)] for (kpi_id, code, year), value in cells.items()]
    mutate_rows(header, rows, kpis, hostile, rng, wide)
    if "xlsx" in benign or any(m in hostile for m in ("far_cell", "nan_cell", "bad_shared_string", "text_in_number")):
        path = folder / f"{name}.xlsx"
        write_xlsx(path, header, rows, hostile, rng)
    else:
        path = folder / f"{name}.csv"
        path.write_bytes(csv_bytes(header, rows, hostile, benign, rng))
    return FuzzFile(path, truth, list(hostile), list(benign))


def mutate_rows(
    header: list[str], rows: list[list[str]], kpis, hostile: list[str], rng: random.Random, wide: bool
) -> None:
    value_column = len(header) - 1

    def put(row: list[str], index: int, text: str) -> None:
        if index < len(row):
            row[index] = text
        else:  # a row another mutation left short: the file is refused anyway
            row.append(text)

    def some_row() -> list[str]:
        whole = [row for row in rows if len(row) >= len(header)]  # a row another mutation left short is not reused
        return rng.choice(whole or rows)

    for mutation in hostile:
        if mutation == "repeat_column":
            header.append(header[-1])
            for row in rows:
                row.append(row[-1] if rng.random() < 0.5 else "99")
        elif mutation == "extra_cell":
            some_row().append(str(rng.randint(0, 999)))
        elif mutation == "missing_cell":
            row = some_row()
            row.pop()
            rows.remove(row)
            rows.append(row)  # kept last but one cell short (and out of the other mutations' way)
        elif mutation == "spaced_number":
            put(some_row(), value_column, "12 34")
        elif mutation == "huge":
            put(some_row(), value_column, rng.choice(["1e308", "-1e308", "9" * 400]))
        elif mutation == "negative_count":
            counts = [i for i, k in enumerate(kpis) if k.valid_bounds[0] >= 0]
            if wide and counts:
                some_row()[2 + counts[0]] = "-5"
            elif not wide:
                row = some_row()
                kpi = next((k for k in kpis if k.id == row[0]), None)
                put(row, value_column, "-5" if kpi is not None and kpi.valid_bounds[0] >= 0 else "-1e300")
            else:
                put(some_row(), value_column, "-1e300")
        elif mutation == "share_over_100":
            put(some_row(), value_column, "1e13")
        elif mutation == "year_2368":
            put(some_row(), 1 if wide else 2, "2368")
        elif mutation == "serial_25680":
            put(some_row(), 1 if wide else 2, "25680")
        elif mutation == "ce_year":
            put(some_row(), 1 if wide else 2, "2022")
        elif mutation == "unknown_area":
            put(some_row(), 0 if wide else 1, rng.choice(["Chiang Maii", "99", "เชียงใหม่่่", "ZZ"]))
        elif mutation == "unknown_kpi":
            if wide:
                header[-1] = "HH_Income_Avg"
            else:
                put(some_row(), 0, "not_a_kpi")
        elif mutation == "giant_cell":
            put(some_row(), value_column, "1" * 200_000)
        elif mutation == "text_in_number":
            put(some_row(), value_column, "n/a pending")


def csv_bytes(
    header: list[str], rows: list[list[str]], hostile: list[str], benign: list[str], rng: random.Random
) -> bytes:
    if "empty" in hostile:
        return b""
    if "random_bytes" in hostile:
        return bytes(rng.randrange(128, 256) for _ in range(rng.randint(1, 400)))
    newline = "\r\n" if "crlf" in benign else "\n"
    lines = [",".join(header)]
    if "title_row" in benign:
        lines.insert(0, "รายงานตัวชี้วัดจังหวัด")
    if "header_only" not in hostile:
        for row in rows:
            lines.append(",".join(f'"{cell}"' if "," in cell else cell for cell in row))
            if "blank_lines" in benign and rng.random() < 0.3:
                lines.append("")
    text = newline.join(lines) + newline
    if "truncated" in hostile and len(rows) and "header_only" not in hostile:
        last = lines[-1] if lines[-1] else lines[-2]
        start = text.rfind(last)
        # the file ends inside its last row, which keeps fewer cells than the header has
        commas = [i for i, ch in enumerate(last) if ch == ","]
        keep = len(header) - 1  # cells kept: one short
        text = text[: start + (commas[keep - 1] if len(commas) >= keep else len(last))]
    if "latin1" in hostile:
        text = text.replace(header[0], "Área", 1) + "Müller,café,São Paulo\n"
        return text.encode("latin-1", errors="replace")  # Thai names, if any, become "?" as a Latin-1 save does
    if "utf16" in benign:
        return text.encode("utf-16")  # with its BOM, as Excel's "Unicode text" (tabs or commas)
    if "cp874_names" in benign:
        return text.encode("cp874")
    if "bom" in benign:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode("utf-8")


def write_xlsx(path: Path, header: list[str], rows: list[list[str]], hostile: list[str], rng: random.Random) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if "empty" not in hostile:
        sheet.append(header)
    if "header_only" not in hostile and "empty" not in hostile:
        for row in rows:
            sheet.append([_xlsx_cell(cell) for cell in row])
    if "nan_cell" in hostile and rows:
        sheet.cell(row=2, column=len(header)).value = 0.5  # made NaN or INF in the XML below
    if "text_in_number" in hostile and rows:
        sheet.cell(row=2, column=len(header)).value = "n/a pending"
    if "far_cell" in hostile:
        sheet["XFD1048576"] = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if "nan_cell" in hostile and rows:  # openpyxl writes NaN as an empty cell: write the XML by hand
        data = _rewrite(
            data,
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b"<v>0.5</v>", rng.choice([b"<v>NaN</v>", b"<v>INF</v>", b"<v>-inf</v>"]), 1),
        )
    if "bad_shared_string" in hostile:
        data = _break_shared_strings(data)
    path.write_bytes(data)


def _xlsx_cell(text: str):
    import math

    try:
        number = float(text) if text.strip() and text.strip()[0] in "-0123456789" and "," not in text else None
    except ValueError:
        return text
    return number if number is not None and math.isfinite(number) else text


def _rewrite(data: bytes, name: str, change, extra: dict | None = None) -> bytes:
    """The workbook with part `name` changed (and the `extra` parts changed, or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    extra = dict(extra or {})
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                content = change(content)
            elif item.filename in extra:
                replacement = extra.pop(item.filename)
                content = replacement(content) if callable(replacement) else replacement
            target.writestr(item, content)
        for filename, content in extra.items():
            target.writestr(filename, content)
    return out.getvalue()


SST = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SST_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _break_shared_strings(data: bytes) -> bytes:
    """The workbook with a shared-string table of one entry, and its first text cell pointing at
    entry 99999 (what a damaged or hand-edited file holds)."""
    import re

    def sheet(xml: bytes) -> bytes:
        return re.sub(rb't="inlineStr"><is><t>[^<]*</t></is>', b't="s"><v>99999</v>', xml, count=1)

    return _rewrite(
        data,
        "xl/worksheets/sheet1.xml",
        sheet,
        {
            "[Content_Types].xml": lambda xml: xml.replace(
                b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + SST + b'"/></Types>'
            ),
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdSST" Type="' + SST_REL + b'" Target="sharedStrings.xml"/></Relationships>',
            ),
            "xl/sharedStrings.xml": b'<sst xmlns="' + SST_NS + b'" count="1" uniqueCount="1"><si><t>x</t></si></sst>',
        },
    )


def random_mutations(rng: random.Random) -> tuple[list[str], list[str]]:
    """A few benign mutations, and none or one or two hostile ones."""
    benign = rng.sample(BENIGN, k=rng.randint(0, 3))
    if "utf16" in benign and "cp874_names" in benign:
        benign.remove("cp874_names")
    if "bom" in benign and ("utf16" in benign or "cp874_names" in benign):
        benign.remove("bom")
    hostile = rng.sample(HOSTILE, k=rng.choice([0, 0, 1, 1, 1, 2]))
    if "xlsx" in benign:  # CSV-only mutations do not apply to a workbook
        hostile = [
            m
            for m in hostile
            if m not in ("truncated", "latin1", "random_bytes", "extra_cell", "missing_cell", "giant_cell")
        ]
    return hostile, benign


# =========================================================================== the oracle


def check_outcome(engine, catalog, fuzz: FuzzFile, stored_before: dict, import_file) -> str:
    """'refused', 'imported', or a failure: 'traceback: …', 'partial write', 'silent change: …',
    'accepted a hostile file: …', 'refused a good file: …'."""
    from data.files.tables import ValueImportError

    try:
        counts = import_file(fuzz.path)
    except ValueImportError as error:
        text = str(error)
        after = stored_values(engine)
        if after != stored_before:
            return "partial write"
        if not text.startswith(fuzz.path.name) or len(text.splitlines()) < 2:
            return f"unclear message: {text[:200]!r}"
        if not fuzz.hostile:
            return f"refused a good file ({fuzz.benign}): {text.splitlines()[1][:200]}"
        return "refused"
    except Exception as error:  # noqa: BLE001 - the fuzz counts any other exception as a traceback
        return f"traceback: {type(error).__name__}: {str(error)[:200]}"
    after = stored_values(engine)
    written = {key: value for key, value in after.items() if stored_before.get(key) != value}
    for key, value in written.items():
        if key not in fuzz.truth or abs(fuzz.truth[key] - value) > 1e-9 * max(1.0, abs(value)):
            return f"silent change: stored {key} = {value!r}, the file held {fuzz.truth.get(key)!r} ({fuzz.hostile})"
    if fuzz.hostile:
        return f"accepted a hostile file: {fuzz.hostile} (wrote {len(written)} values)"
    missing = [key for key, value in fuzz.truth.items() if after.get(key) != value]
    if missing:
        return f"silent change: {len(missing)} value(s) of the file not stored as written, e.g. {missing[0]}"
    return "imported" if counts is not None else "imported"


def stored_values(engine) -> dict[tuple[str, str, Period], float]:
    from sqlalchemy import select

    from data.store.schema import KpiValue

    with engine.connect() as connection:
        rows = connection.execute(
            select(
                KpiValue.kpi_id,
                KpiValue.area_code,
                KpiValue.period_type,
                KpiValue.fiscal_year,
                KpiValue.period_no,
                KpiValue.value,
            )
        ).all()
    return {(k, a, Period(t, int(y), int(n))): float(v) for k, a, t, y, n, v in rows}
