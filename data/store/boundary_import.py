"""Import a boundary file into the store: read, repair, match, simplify, write — all or nothing.

One `import_log` row records the file, its SHA-256 and the match report's summary; if
anything fails (an unreadable file, coordinates outside Thailand, nothing matched, a GEOS
error) nothing is written and the log row says `failed` with the reason.

What is imported: every feature matched to an area (by code, when the name it carries is
that area's; or by name), unless its geometry is unusable. Features whose name differs from
the store's name for their code are not imported unless `trust_codes`. An area is imported
whole or not at all: if one of its pieces has a geometry beyond repair, none is, and the
area keeps the boundary it had. Everything left out is listed in the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import shapely.errors
from sqlalchemy import Connection, Engine

from data.store.areas import area_index
from data.store.boundaries import replace_boundaries
from data.store.setup import file_sha256, logged_import
from geo.match import match_features
from geo.match_report import MatchError, MatchReport
from geo.read import BoundaryFileError, read_boundary_file
from geo.shapes import GeometryProblem, boundary_rows, merge_pieces, repair_with_reasons

Progress = Callable[[str, int, int], None]


class NothingMatched(BoundaryFileError):
    """Not one feature of the file matches an area: the file is not what it was taken for.

    `report` is the match report (every feature's outcome), for `MatchReport.write_csv`."""

    def __init__(self, path: Path | str, reason: str, report: MatchReport | None = None):
        super().__init__(path, reason)
        self.report = report


def import_boundaries(
    engine: Engine,
    path: Path | str,
    level: str | None = None,
    imported_by: str = "unknown",
    progress: Progress | None = None,
    layer: str | int | None = None,
    trust_codes: bool = False,
    crs: str | None = None,
) -> MatchReport:
    """Import the boundaries in `path` (any format GDAL reads) for `level` (detected when None).

    Replaces the stored boundaries of the areas the file covers and leaves the others alone.
    `trust_codes` imports features matched by code even where the name they carry is not the
    store's name for that code. `crs` ("EPSG:32647") says what the coordinates are, over what
    the file declares. `progress(step, done, total)` is called as the steps "read", "repair",
    "match", "simplify" and "write" advance. Returns the match report (with `import_id`).

    Raises `BoundaryFileError` (or `NothingMatched`) with a one-line message naming the file;
    then nothing is written but a `failed` row in the import log.
    """
    path = Path(path)
    report_progress = progress or (lambda step, done, total: None)
    sha256 = file_sha256(path) if path.is_file() else None
    with logged_import(engine, "boundaries", path.name, imported_by, sha256) as (connection, counts):
        report_progress("read", 0, 1)
        frame = read_boundary_file(path, layer=layer, level=level, crs=crs)
        counts["rows_read"] = len(frame)
        report_progress("read", 1, 1)

        geometries, repaired, problems = _repair(path, frame, report_progress)
        try:
            report, codes = match_features(
                frame,
                area_index(connection),
                level,
                source=path.name,
                progress=progress,
                trust_codes=trust_codes,
                geometry_problems=problems,
            )
        except MatchError as exc:
            raise BoundaryFileError(path, str(exc)) from exc
        report.repaired_geometries = repaired
        report.crs = frame.attrs.get("crs_note")
        report.import_id = counts["import_id"]
        if report.matched_features == 0:
            raise NothingMatched(
                path, f"no feature matches a {report.level} ({_first_reasons(report)}); nothing was imported", report
            )
        rows = _simplify(path, report, codes, geometries, report_progress)
        _write(connection, rows, report, counts, report_progress)
    return report


def _repair(
    path: Path, frame: pd.DataFrame, report_progress: Progress
) -> tuple[np.ndarray, int, dict[int, GeometryProblem]]:
    """The file's geometries repaired: (geometries, how many were repaired, the unusable ones)."""
    report_progress("repair", 0, len(frame))
    try:
        result = repair_with_reasons(frame.geometry.values, frame.attrs.get("unreadable"))
    except shapely.errors.GEOSException as exc:
        raise BoundaryFileError(path, f"a geometry cannot be repaired ({_first_line(exc)})") from exc
    report_progress("repair", len(frame), len(frame))
    return result


def _simplify(
    path: Path, report: MatchReport, codes: list[str | None], geometries: np.ndarray, report_progress: Progress
) -> list[dict]:
    """One simplified boundary row per matched area, its pieces merged."""
    report_progress("simplify", 0, report.matched_areas)
    try:
        rows = boundary_rows(merge_pieces(codes, geometries))
    except shapely.errors.GEOSException as exc:
        raise BoundaryFileError(
            path, f"the shapes cannot be merged or simplified ({_first_line(exc)}); nothing was imported"
        ) from exc
    report_progress("simplify", report.matched_areas, report.matched_areas)
    return rows


def _write(
    connection: Connection, rows: list[dict], report: MatchReport, counts: dict, report_progress: Progress
) -> None:
    """Replace the stored boundaries of the areas in `rows`, and count them for the import log."""
    report_progress("write", 0, len(rows))
    written = replace_boundaries(connection, rows, counts["import_id"])
    report_progress("write", len(rows), len(rows))
    counts["inserted"] = written["areas"] - written["replaced"]
    counts["revised"] = written["replaced"]
    counts["message"] = report.summary()


def _first_reasons(report: MatchReport) -> str:
    issues = sorted(
        report.unmatched + report.ambiguous + report.name_differs + report.invalid, key=lambda issue: issue.index
    )[:3]
    columns = (f"code column {report.code_column!r}" if report.code_column else "no code column") + (
        f", name column {report.name_th_column or report.name_en_column!r}"
        if report.name_th_column or report.name_en_column
        else ""
    )
    examples = "; ".join(f"feature {i.index}: {i.reason}" for i in issues)
    counted = ", ".join(
        f"{len(issues)} {title}"
        for title, issues in (("name differs", report.name_differs), ("invalid geometry", report.invalid))
        if issues
    )
    return "; ".join(part for part in (columns, counted, examples) if part)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
