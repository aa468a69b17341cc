"""Import a boundary file into the store: read, repair, match, simplify, write — all or nothing.

One `import_log` row records the file, its SHA-256 and the match report's summary; if
anything fails (an unreadable file, nothing matched) nothing is written and the log row says
`failed` with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from sqlalchemy import Engine

from data.areas import area_index
from data.boundaries import replace_boundaries
from data.store import file_sha256, logged_import
from geo.match import MatchError, MatchReport, match_features
from geo.read import BoundaryFileError, read_boundary_file
from geo.shapes import boundary_rows, merge_pieces, repair_geometries

Progress = Callable[[str, int, int], None]


class NothingMatched(BoundaryFileError):
    """Not one feature of the file matches an area: the file is not what it was taken for."""


def import_boundaries(engine: Engine, path: Path | str, level: str | None = None,
                      imported_by: str = "unknown", progress: Progress | None = None,
                      layer: str | int | None = None) -> MatchReport:
    """Import the boundaries in `path` (any format GDAL reads) for `level` (detected when None).

    Replaces the stored boundaries of the areas the file covers and leaves the others alone.
    `progress(step, done, total)` is called as the steps "read", "repair", "match",
    "simplify" and "write" advance. Returns the match report (with `import_id`).
    """
    path = Path(path)
    report_progress = progress or (lambda step, done, total: None)
    sha256 = file_sha256(path) if path.is_file() else None
    with logged_import(engine, "boundaries", path.name, imported_by, sha256) as (connection, counts):
        report_progress("read", 0, 1)
        frame = read_boundary_file(path, layer=layer, level=level)
        counts["rows_read"] = len(frame)
        report_progress("read", 1, 1)

        report_progress("repair", 0, len(frame))
        geometries, repaired = repair_geometries(frame.geometry.values)
        report_progress("repair", len(frame), len(frame))

        try:
            report, codes = match_features(frame, area_index(connection), level, source=path.name,
                                           usable=[g is not None for g in geometries], progress=progress)
        except MatchError as exc:
            raise BoundaryFileError(path, str(exc)) from exc
        report.repaired_geometries = repaired
        report.import_id = counts["import_id"]
        if report.matched_features == 0:
            raise NothingMatched(path, f"no feature matches a {report.level} "
                                       f"({_first_reasons(report)}); nothing was imported")

        report_progress("simplify", 0, report.matched_areas)
        rows = boundary_rows(merge_pieces(codes, geometries))
        report_progress("simplify", report.matched_areas, report.matched_areas)

        report_progress("write", 0, len(rows))
        written = replace_boundaries(connection, rows, counts["import_id"])
        report_progress("write", len(rows), len(rows))
        counts["inserted"] = written["areas"] - written["replaced"]
        counts["revised"] = written["replaced"]
        counts["message"] = report.summary()
    return report


def _first_reasons(report: MatchReport) -> str:
    issues = (report.unmatched + report.ambiguous)[:3]
    columns = (f"code column {report.code_column!r}" if report.code_column else "no code column") + \
              (f", name column {report.name_th_column or report.name_en_column!r}"
               if report.name_th_column or report.name_en_column else "")
    examples = "; ".join(f"feature {i.index}: {i.reason}" for i in issues)
    return f"{columns}; {examples}" if examples else columns
