"""Match the features of a boundary file to areas: codes first, then Thai names, then English.

The columns that hold each feature's code, names and parent are found by `geo.columns`; a
feature matched by code must carry its area's name (`geo.names`). Every feature ends up
matched or listed in the `MatchReport` with the reason: nothing is dropped silently.
`geo.match_drops` takes back the matches that cannot stand (an area claimed under two codes,
unusable geometries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from data.rules.areas import AmbiguousArea, AreaIndex, AreaNotFound, AreaRef, normalize_code
from geo.columns import CODE_LENGTH, Columns, detect_columns
from geo.match_drops import drop_conflicts, drop_unusable, unusable_geometries
from geo.match_report import (
    AMBIGUOUS,
    INVALID_GEOMETRY,
    MATCHED_BY_CODE,
    MATCHED_BY_NAME,
    NAME_DIFFERS,
    UNMATCHED,
    FeatureIssue,
    FeatureOutcome,
    MatchReport,
)
from geo.names import _name_check, _Siblings

Progress = Callable[[str, int, int], None]


def match_features(
    frame: pd.DataFrame,
    index: AreaIndex,
    level: str | None = None,
    source: str = "",
    usable: list[bool] | None = None,
    progress: Progress | None = None,
    trust_codes: bool = False,
    geometry_problems: dict | None = None,
) -> tuple[MatchReport, list[str | None]]:
    """Match each row of `frame` to an area of `level` (detected when None).

    A feature whose code is an area's is matched to it only if the name it carries is that
    area's (or it carries none); otherwise it is listed in `name_differs` and not imported,
    unless `trust_codes`. Features without a code, or with an unknown one, are matched by Thai,
    then English name within their parent.

    `geometry_problems[i]` (an object with `reason` and `lost_shape`, see
    `geo.shapes.GeometryProblem`) marks a feature whose geometry cannot be used: it is listed
    as invalid, and when it had a shape that was lost (beyond repair, non-finite) the other
    features of its area are not imported either: an area is imported whole or not at all.
    `usable[i]` False (without a problem given) marks a feature without a polygon.
    Returns the report and, per row, the area code it is imported to, or None.
    """
    columns = detect_columns(frame, level, index)
    report = MatchReport(
        source=source,
        level=columns.level,
        code_column=columns.code,
        name_th_column=columns.name_th,
        name_en_column=columns.name_en,
        parent_column=columns.parent_code or columns.parent_name,
        features_read=len(frame),
        trust_codes=trust_codes,
        matched_by={"code": 0, "name_th": 0, "name_en": 0},
    )
    problems = unusable_geometries(usable, geometry_problems)
    features = _FileFeatures.read(frame, columns)
    matcher = _Matcher(index, columns, features, trust_codes)
    matcher.match_all(progress)
    drop_conflicts(matcher.results, matcher.file_codes, matcher.notes)
    drop_unusable(matcher.results, problems, matcher.notes)
    _list_recoded(report, features, matcher)
    _list_outcomes(report, features, matcher)
    codes = [m.ref.code if m else None for m in matcher.results]
    _count_areas(report, codes, index)
    return report, codes


@dataclass
class _Match:
    ref: AreaRef
    how: str  # "code", "name_th", "name_en"


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True)
class _FileFeatures:
    """What each feature of the file carries in its code, name and parent columns (None where
    the file has no such column): codes and names as text, parents as read."""

    raw_codes: list[str | None]
    names_th: list[str | None]
    names_en: list[str | None]
    parent_codes: list
    parent_names: list

    @classmethod
    def read(cls, frame: pd.DataFrame, columns: Columns) -> _FileFeatures:
        def column(name: str | None) -> list:
            return list(frame[name]) if name else [None] * len(frame)

        return cls(
            raw_codes=[_text(v) for v in column(columns.code)],
            names_th=[_text(v) for v in column(columns.name_th)],
            names_en=[_text(v) for v in column(columns.name_en)],
            parent_codes=column(columns.parent_code),
            parent_names=column(columns.parent_name),
        )

    def issue(self, i: int, reason: str) -> FeatureIssue:
        """Feature `i`, listed with what it carried and `reason`."""
        return FeatureIssue(i, self.raw_codes[i], self.names_th[i] or self.names_en[i], reason)


class _Matcher:
    """Matches the features of a file one by one, and keeps per feature its match, the code it
    carries and why it is not (or not plainly) matched."""

    def __init__(self, index: AreaIndex, columns: Columns, features: _FileFeatures, trust_codes: bool):
        self.index = index
        self.level = columns.level
        self.parent_name_level = columns.parent_name_level
        self.features = features
        self.trust_codes = trust_codes
        self.siblings = _Siblings(index)
        self.parent_cache: dict[str, str | None] = {}
        total = len(features.raw_codes)
        self.results: list[_Match | None] = [None] * total
        self.file_codes: list[str | None] = [None] * total
        # per feature: (outcome, area it names or None, reason) for those not (or not plainly) matched
        self.notes: dict[int, tuple[str, AreaRef | None, str]] = {}
        self.recoded: list[tuple[int, str]] = []  # matched by name, with why their code did not match
        self.trusted: set[int] = set()  # matched by code though their name differs (--trust-codes)

    def match_all(self, progress: Progress | None) -> None:
        total = len(self.results)
        for i in range(total):
            if progress and i % 500 == 0:
                progress("match", i, total)
            self.match(i)
        if progress:
            progress("match", total, total)

    def match(self, i: int) -> None:
        """Match feature `i` by its code when that is the code of an area of the level, else by
        its names."""
        raw_code = self.features.raw_codes[i]
        code = normalize_code(raw_code) if raw_code else None
        self.file_codes[i] = code or raw_code
        problem = None
        if code is not None:
            ref = self.index.by_code.get(code)
            if ref is not None and ref.level == self.level:
                self._by_code(i, ref)
                return
            problem = (
                f"code {code} is a {ref.level}, not a {self.level}"
                if ref is not None
                else f"no {self.level} has the code {code}"
            )
        elif raw_code is not None:
            problem = f"{raw_code!r} is not a DOPA code"
        self._by_name(i, code, problem)

    def _by_code(self, i: int, ref: AreaRef) -> None:
        """Match feature `i` to `ref`, the area of its code, if the name it carries is `ref`'s
        (or with --trust-codes); otherwise note that its name differs."""
        differs = _name_check(ref, self.features.names_th[i], self.features.names_en[i], self.siblings)
        if differs is None:
            self.results[i] = _Match(ref, "code")
        elif self.trust_codes:
            self.results[i] = _Match(ref, "code")
            self.trusted.add(i)
            self.notes[i] = (MATCHED_BY_CODE, ref, f"{differs}; imported because of --trust-codes")
        else:
            self.notes[i] = (NAME_DIFFERS, ref, differs)

    def _by_name(self, i: int, code: str | None, problem: str | None) -> None:
        """Match feature `i` by its Thai, then English name within its parent; `problem` says
        why its code (if any) did not match it."""
        features = self.features
        name_th, name_en = features.names_th[i], features.names_en[i]
        withins = _withins(
            self.level,
            code,
            _text(features.parent_codes[i]),
            _text(features.parent_names[i]),
            self.parent_name_level,
            self.index,
            self.parent_cache,
        )
        outcome = _match_name(self.index, self.level, withins, (("name_th", name_th), ("name_en", name_en)))
        if isinstance(outcome, _Match):
            self.results[i] = outcome
            if problem:
                self.recoded.append((i, problem))
        elif isinstance(outcome, AmbiguousArea):
            self.notes[i] = (AMBIGUOUS, None, _join(problem, str(outcome)))
        else:
            reason = outcome or ("no code and no name" if name_th is None and name_en is None else None)
            self.notes[i] = (UNMATCHED, None, _join(problem, reason))


def _list_recoded(report: MatchReport, features: _FileFeatures, matcher: _Matcher) -> None:
    """List the features still matched by name although they carry a code, with why the code
    did not match."""
    for i, problem in matcher.recoded:
        match = matcher.results[i]
        if match is not None:
            report.recoded.append(
                features.issue(i, f"{problem}; matched by name to {match.ref.code} {match.ref.name_th}")
            )


def _list_outcomes(report: MatchReport, features: _FileFeatures, matcher: _Matcher) -> None:
    """Count the matched features by how they matched, list the others by outcome, and write
    every feature's row of the report."""
    recoded_reasons = dict(matcher.recoded)
    lists = {
        UNMATCHED: report.unmatched,
        AMBIGUOUS: report.ambiguous,
        NAME_DIFFERS: report.name_differs,
        INVALID_GEOMETRY: report.invalid,
    }
    for i, match in enumerate(matcher.results):
        outcome, ref, reason = matcher.notes.get(i, (None, None, ""))
        if match is not None:
            report.matched_by[match.how] += 1
            ref, outcome = match.ref, MATCHED_BY_CODE if match.how == "code" else MATCHED_BY_NAME
            if i in matcher.trusted:
                report.name_differs.append(features.issue(i, reason))
            elif match.how != "code":
                by = (
                    f"by Thai name {features.names_th[i]}"
                    if match.how == "name_th"
                    else f"by English name {features.names_en[i]}"
                )
                reason = _join(recoded_reasons.get(i), by)
        else:
            lists[outcome].append(features.issue(i, reason))
        report.outcomes.append(
            FeatureOutcome(
                index=i,
                file_code=features.raw_codes[i],
                file_name_th=features.names_th[i],
                file_name_en=features.names_en[i],
                matched_code=ref.code if ref else None,
                store_name=ref.name_th if ref else None,
                outcome=outcome,
                reason=reason,
            )
        )


def _count_areas(report: MatchReport, codes: list[str | None], index: AreaIndex) -> None:
    """Count the matched features and areas, and the areas of the level left without a boundary."""
    level = report.level
    matched = {c for c in codes if c}
    report.matched_features = sum(1 for c in codes if c)
    report.matched_areas = len(matched)
    report.pieces_merged = report.matched_features - report.matched_areas
    missing = sorted(ref.code for ref in index.by_code.values() if ref.level == level and ref.code not in matched)
    report.areas_of_level = sum(1 for ref in index.by_code.values() if ref.level == level)
    report.areas_without_boundary = len(missing)
    report.areas_without_boundary_codes = missing[:20]


def _join(*parts: str | None) -> str:
    return "; ".join(p for p in parts if p)


def _withins(
    level: str,
    code: str | None,
    parent_code: str | None,
    parent_name: str | None,
    parent_name_level: str | None,
    index: AreaIndex,
    cache: dict,
) -> list[str | None]:
    """Where to look a name up: the parent the file gives (or the one its own unknown code
    implies); the province only when that parent is not a known area; nowhere else."""
    if level == "province":
        return [None]
    parent = normalize_code(parent_code) if parent_code else None
    if parent is None and parent_name is not None:
        key = f"{parent_name_level}:{parent_name}"
        if key not in cache:
            try:
                cache[key] = index.resolve(parent_name, parent_name_level).code
            except (AreaNotFound, AmbiguousArea):
                cache[key] = None
        parent = cache[key]
    if parent is None and code is not None and len(code) == CODE_LENGTH[level]:
        parent = code[:-2]
    if parent is None:
        return [None]
    if parent in index.by_code:
        return [parent]
    province = parent[:2]
    return [province] if province in index.by_code else [None]


def _match_name(
    index: AreaIndex, level: str, withins: list[str | None], names: tuple[tuple[str, str | None], ...]
) -> _Match | AmbiguousArea | str | None:
    reasons = []
    for how, name in names:
        if name is None:
            continue
        for within in withins:
            try:
                return _Match(index.resolve(name, level, within), how)
            except AmbiguousArea as exc:
                return exc
            except AreaNotFound as exc:
                reasons.append(str(exc))
    return reasons[0] if reasons else None
