"""The matches taken back once every feature is matched: a name match on an area that a feature
with another code also claims, and features whose geometry cannot be used, with the other pieces of
an area that lost a shape to one (an area is imported whole or not at all). Each is noted with
its outcome and reason for the `MatchReport`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geo.match_report import AMBIGUOUS, INVALID_GEOMETRY, MATCHED_BY_CODE, UNMATCHED

if TYPE_CHECKING:
    from data.rules.areas import AreaRef
    from geo.match import _Match


@dataclass(frozen=True)
class _Problem:
    """Why a feature's geometry cannot be used, and whether it had a shape that was lost."""

    reason: str
    lost_shape: bool


def unusable_geometries(usable: list[bool] | None, geometry_problems: dict | None) -> dict:
    """The features whose geometry cannot be used: those given, and those `usable` says have
    no polygon."""
    problems = dict(geometry_problems or {})
    if usable is not None:
        for i, ok in enumerate(usable):
            if not ok and i not in problems:
                problems[i] = _Problem("no polygon geometry", False)
    return problems


def drop_conflicts(
    results: list[_Match | None], file_codes: list[str | None], notes: dict[int, tuple[str, AreaRef | None, str]]
) -> None:
    """A name match may not take an area that features with another code in the file also
    claim: a renumbered area must not swallow its neighbour's shape."""
    claims: dict[str, list[int]] = defaultdict(list)
    for i, match in enumerate(results):
        if match is not None:
            claims[match.ref.code].append(i)
    for area_code, rows in claims.items():
        conflict = _conflict(area_code, rows, results, file_codes)
        if conflict is None:
            continue
        outcome, losers, reason = conflict
        for i in losers:
            results[i] = None
            notes[i] = (outcome, None, reason)


def _conflict(
    area_code: str, rows: list[int], results: list[_Match | None], file_codes: list[str | None]
) -> tuple[str, list[int], str] | None:
    """Which of the features matched to the area `area_code` (`rows`) lose it, as what, and why:
    when a feature carries the area's own code, those matched by name that carry another code
    (unmatched); when features matched by name carry different codes, all of them (ambiguous)."""
    by_name = [i for i in rows if results[i].how != "code"]
    if not by_name:
        return None
    carried = {file_codes[i] for i in rows if file_codes[i] is not None}
    by_code = [i for i in rows if results[i].how == "code"]
    ref = results[by_name[0]].ref
    if by_code:
        losers = [i for i in by_name if file_codes[i] is not None and file_codes[i] != area_code]
        return (
            UNMATCHED,
            losers,
            (f"its name matches {area_code} {ref.name_th}, which the file's own code {area_code} already covers"),
        )
    if len(carried) > 1:
        return (
            AMBIGUOUS,
            by_name,
            (
                f"features with different codes ({', '.join(sorted(carried))}) all match "
                f"{area_code} {ref.name_th} by name"
            ),
        )
    return None


def drop_unusable(results: list[_Match | None], problems: dict, notes: dict) -> None:
    """Features whose geometry cannot be used are not imported; nor is any other piece of an
    area that lost a shape to such a feature (an area is imported whole or not at all)."""
    if not problems:
        return
    broken: dict[str, int] = {}
    for i, problem in sorted(problems.items()):
        match = results[i]
        ref = match.ref if match is not None else notes.get(i, (None, None, ""))[1]
        earlier = notes.get(i)
        reason = problem.reason
        if match is None and earlier is not None and earlier[0] != MATCHED_BY_CODE:
            reason = f"{reason}; besides, {earlier[0]}: {earlier[2]}" if earlier[2] else reason
        results[i] = None
        notes[i] = (INVALID_GEOMETRY, ref, reason)
        if match is not None and problem.lost_shape:
            broken.setdefault(match.ref.code, i)
    if not broken:
        return
    for i, match in enumerate(results):
        if match is not None and match.ref.code in broken:
            results[i] = None
            first = broken[match.ref.code]
            notes[i] = (
                INVALID_GEOMETRY,
                match.ref,
                (
                    f"not imported: feature {first}, another piece of {match.ref.code} {match.ref.name_th}, "
                    f"has an unusable geometry ({problems[first].reason})"
                ),
            )
