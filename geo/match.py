"""Match the features of a boundary file to areas: codes first, then Thai names, then English.

Real files name their columns in many ways (OCHA COD-AB `ADM2_PCODE`/`ADM2_TH`, DOPA/RTSD
Shapefiles `AMP_CODE`/`AMP_NAMT`, a TopoJSON `id`/`name`/`parent_id`…), so the columns are
found by their names and their content. Every feature ends up matched or listed in the
`MatchReport` with the reason: nothing is dropped silently.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Callable

import geopandas
import pandas as pd

from data.rules.areas import AmbiguousArea, AreaIndex, AreaNotFound, AreaRef, normalize_code, normalize_name

LEVELS = ("province", "district", "subdistrict")
CODE_LENGTH = {"province": 2, "district": 4, "subdistrict": 6}
LEVEL_OF_LENGTH = {length: level for level, length in CODE_LENGTH.items()}

# Tokens of column names that say which level a column describes (matched as token prefixes).
_LEVEL_TOKENS = {
    "country": ("adm0", "country"),
    "province": ("adm1", "prov", "pv", "changwat", "cwt", "chw", "jangwat"),
    "district": ("adm2", "amp", "amphoe", "amphur", "district", "dist", "ap"),
    "subdistrict": ("adm3", "tam", "tambon", "tambol", "subdistrict", "subdist", "tb", "khwaeng"),
}
_CODE_TOKENS = ("code", "pcode", "id", "geocode", "cd", "idn", "dopa")
_NOT_CODE_COLUMNS = {"fid", "ogc_fid", "objectid", "object_id", "gid", "shape_leng", "shape_area", "area"}
_NAME_TOKENS = ("nam", "label", "thai", "eng", "english")
_NAME_SUFFIXES = ("th", "en", "tn", "te", "t", "e")
_PARENT_TOKENS = ("parent", "upper")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LATIN = re.compile(r"[A-Za-z]")

Progress = Callable[[str, int, int], None]


class MatchError(ValueError):
    """The file's columns cannot be matched to areas at all (no code or name column)."""


@dataclass
class FeatureIssue:
    """A feature that was not matched (or matched with a doubt), with what it carried."""

    index: int
    code: str | None
    name: str | None
    reason: str


# The outcome of each feature, as the match report (and its CSV) names it.
MATCHED_BY_CODE = "matched by code"
MATCHED_BY_NAME = "matched by name"
NAME_DIFFERS = "name differs, not imported"
UNMATCHED = "unmatched"
AMBIGUOUS = "ambiguous"
INVALID_GEOMETRY = "invalid geometry"
OUTCOMES = (MATCHED_BY_CODE, MATCHED_BY_NAME, NAME_DIFFERS, UNMATCHED, AMBIGUOUS, INVALID_GEOMETRY)
REPORT_COLUMNS = ("feature", "file_code", "file_name_th", "file_name_en", "matched_code", "store_name",
                  "outcome", "reason")


@dataclass
class FeatureOutcome:
    """What became of one feature of the file: one row of the match report's CSV."""

    index: int
    file_code: str | None
    file_name_th: str | None
    file_name_en: str | None
    matched_code: str | None
    store_name: str | None
    outcome: str
    reason: str = ""

    @property
    def imported(self) -> bool:
        return self.outcome in (MATCHED_BY_CODE, MATCHED_BY_NAME)


@dataclass
class MatchReport:
    """What an import of a boundary file found: every feature is counted or listed.

    `name_differs` lists features matched by code whose name is not the store's name for
    that code: they are not imported unless `trust_codes` (then they are, and still listed).
    `invalid` lists features whose geometry cannot be used (missing, empty, not a polygon,
    non-finite coordinates, beyond repair); an area is imported whole or not at all, so the
    other pieces of an area with such a feature are listed there too. `outcomes` has one row
    per feature (see `write_csv`).
    """

    source: str
    level: str
    code_column: str | None = None
    name_th_column: str | None = None
    name_en_column: str | None = None
    parent_column: str | None = None
    features_read: int = 0
    matched_features: int = 0
    matched_areas: int = 0
    matched_by: dict[str, int] = field(default_factory=dict)
    unmatched: list[FeatureIssue] = field(default_factory=list)
    ambiguous: list[FeatureIssue] = field(default_factory=list)
    name_differs: list[FeatureIssue] = field(default_factory=list)
    recoded: list[FeatureIssue] = field(default_factory=list)
    invalid: list[FeatureIssue] = field(default_factory=list)
    trust_codes: bool = False
    crs: str | None = None
    areas_of_level: int = 0
    areas_without_boundary: int = 0
    areas_without_boundary_codes: list[str] = field(default_factory=list)
    repaired_geometries: int = 0
    pieces_merged: int = 0
    import_id: int | None = None
    outcomes: list[FeatureOutcome] = field(default_factory=list, repr=False)

    @property
    def name_differs_label(self) -> str:
        return "name differs, imported (--trust-codes)" if self.trust_codes else NAME_DIFFERS

    def summary(self, limit: int = 50) -> str:
        """One paragraph for the import log and the CLI, then the listed features (the first
        `limit` of each kind)."""
        by = ", ".join(f"{n} by {how.replace('_', ' ')}" for how, n in self.matched_by.items() if n)
        lines = [
            f"{self.source}: {self.level} boundaries; {self.features_read} features read, "
            f"{self.matched_features} matched ({by or 'none'}) to {self.matched_areas} of "
            f"{self.areas_of_level} {self.level} areas; {len(self.unmatched)} unmatched, "
            f"{len(self.ambiguous)} ambiguous, {len(self.name_differs)} {self.name_differs_label}, "
            f"{len(self.invalid)} invalid geometry; {self.repaired_geometries} geometries repaired; "
            f"{self.pieces_merged} pieces merged; {self.areas_without_boundary} areas without boundary"
            + (f" (first: {', '.join(self.areas_without_boundary_codes[:10])})"
               if self.areas_without_boundary_codes else "") + ".",
            f"columns: code={self.code_column}, name_th={self.name_th_column}, "
            f"name_en={self.name_en_column}, parent={self.parent_column}"
            + (f"; coordinates: {self.crs}" if self.crs else ""),
        ]
        for title, issues in (("unmatched", self.unmatched), ("ambiguous", self.ambiguous),
                              ("matched by name, not code", self.recoded),
                              (self.name_differs_label, self.name_differs),
                              ("invalid geometry", self.invalid)):
            for issue in issues[:limit]:
                lines.append(f"{title}: feature {issue.index} code={issue.code} name={issue.name}: {issue.reason}")
            if len(issues) > limit:
                lines.append(f"{title}: … and {len(issues) - limit} more")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return asdict(self)

    def write_csv(self, path) -> int:
        """Write every feature's outcome to `path` as CSV (UTF-8 with a BOM, so Excel shows
        Thai); returns the number of rows. Columns: `REPORT_COLUMNS`."""
        import csv

        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(REPORT_COLUMNS)
            for row in self.outcomes:
                writer.writerow([row.index, row.file_code or "", row.file_name_th or "", row.file_name_en or "",
                                 row.matched_code or "", row.store_name or "", row.outcome, row.reason])
        return len(self.outcomes)


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class _ColumnFacts:
    name: str
    tokens: tuple[str, ...]
    level: str | None          # the level its name mentions
    is_parent: bool            # its name says parent
    code_length: int | None    # the DOPA code length almost all its values have
    distinct_ratio: float
    thai_ratio: float
    latin_ratio: float
    filled_ratio: float


@dataclass(frozen=True)
class Columns:
    """The columns of a file that carry the code, names and parent of each feature."""

    level: str
    code: str | None
    name_th: str | None
    name_en: str | None
    parent_code: str | None
    parent_name: str | None
    parent_name_level: str | None


def _tokens(column: str) -> tuple[str, ...]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1_\2", str(column))
    return tuple(t for t in re.split(r"[^a-z0-9]+", spaced.lower()) if t)


def _level_of_tokens(tokens: tuple[str, ...]) -> str | None:
    for token in tokens:
        for level, hints in _LEVEL_TOKENS.items():
            if token in hints or any(token.startswith(h) and len(h) > 2 for h in hints):
                if level == "district" and token.startswith("sub"):
                    continue
                return level
    return None


def _column_facts(frame: pd.DataFrame, column: str) -> _ColumnFacts:
    values = frame[column]
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    count = len(text)
    tokens = _tokens(column)
    code_length = None
    if count:
        lengths = Counter(len(code) if (code := normalize_code(v)) else 0 for v in text)
        length, hits = lengths.most_common(1)[0]
        hinted = any(t in _CODE_TOKENS or t.endswith("code") for t in tokens)
        numeric = pd.api.types.is_numeric_dtype(values.dtype)
        if length and hits / count >= 0.9 and (hinted or not numeric) and column.lower() not in _NOT_CODE_COLUMNS:
            code_length = length
    return _ColumnFacts(
        name=column, tokens=tokens, level=_level_of_tokens(tokens),
        is_parent=any(t.startswith(p) for t in tokens for p in _PARENT_TOKENS),
        code_length=code_length,
        distinct_ratio=text.nunique() / count if count else 0.0,
        thai_ratio=text.str.contains(_THAI).mean() if count else 0.0,
        latin_ratio=(text.str.contains(_LATIN) & ~text.str.contains(_THAI)).mean() if count else 0.0,
        filled_ratio=count / len(frame) if len(frame) else 0.0,
    )


def _is_name_like(facts: _ColumnFacts) -> bool:
    if facts.code_length is not None or facts.filled_ratio < 0.5:
        return False
    if any(t.startswith(n) for t in facts.tokens for n in _NAME_TOKENS):
        return True
    if facts.tokens and facts.tokens[-1] in _NAME_SUFFIXES and facts.level is not None:
        return True  # ADM2_TH, AP_TN, PROV_T
    return facts.level is not None and len(facts.tokens) == 1  # a column named "amphoe"


def detect_columns(frame: pd.DataFrame, level: str | None = None,
                   index: AreaIndex | None = None) -> Columns:
    """Find the code, name and parent columns of `frame`, and its level when not given."""
    if level is not None and level not in LEVELS:
        raise MatchError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    geometry = frame.geometry.name if isinstance(frame, geopandas.GeoDataFrame) else None
    facts = [_column_facts(frame, c) for c in frame.columns
             if c != geometry and not isinstance(frame[c].dtype, geopandas.array.GeometryDtype)]
    codes = [f for f in facts if f.code_length is not None]
    names = [f for f in facts if _is_name_like(f)]
    if level is None:
        level = _detect_level(frame, codes, names, index)

    length = CODE_LENGTH[level]

    def own(f: _ColumnFacts) -> bool:
        return not f.is_parent and f.level in (None, level)

    code_candidates = [f for f in codes if f.code_length == length and own(f)]
    code = max(code_candidates, key=lambda f: (f.level == level, f.distinct_ratio), default=None)
    parent_candidates = [f for f in codes if f.code_length < length and f is not code]
    parent = max(parent_candidates, key=lambda f: (f.code_length, f.is_parent), default=None)

    own_names = [f for f in names if own(f)]
    name_th = max((f for f in own_names if f.thai_ratio >= 0.5),
                  key=lambda f: (f.level == level, f.thai_ratio, f.distinct_ratio), default=None)
    if name_th is None:  # no name-like column: any mostly-Thai, mostly-distinct text column
        name_th = max((f for f in facts if f.code_length is None and own(f) and f.thai_ratio >= 0.8
                       and f.distinct_ratio >= 0.3), key=lambda f: f.distinct_ratio, default=None)
    name_en = max((f for f in own_names if f.latin_ratio >= 0.5 and f is not name_th),
                  key=lambda f: (f.level == level, f.latin_ratio, f.distinct_ratio), default=None)
    parent_name = None
    if parent is None and level != "province":
        parent_levels = LEVELS[: LEVELS.index(level)]
        parent_names = [f for f in names if f.level in parent_levels and f.thai_ratio + f.latin_ratio >= 0.5]
        parent_name = max(parent_names, key=lambda f: (LEVELS.index(f.level), f.thai_ratio), default=None)
    if code is None and name_th is None and name_en is None:
        found = ", ".join(str(c) for c in frame.columns if c != "geometry") or "none"
        raise MatchError(f"no column holds {level} codes or names (columns: {found})")
    return Columns(
        level=level,
        code=code.name if code else None,
        name_th=name_th.name if name_th else None,
        name_en=name_en.name if name_en else None,
        parent_code=parent.name if parent else None,
        parent_name=parent_name.name if parent_name else None,
        parent_name_level=parent_name.level if parent_name else None,
    )


def _detect_level(frame, codes: list[_ColumnFacts], names: list[_ColumnFacts], index: AreaIndex | None) -> str:
    """The level of a file: its longest code column, or the deepest level its name columns
    mention, or (names only) the level at which most names resolve."""
    candidates = []
    own_codes = [f for f in codes if not f.is_parent and f.code_length in LEVEL_OF_LENGTH]
    if own_codes:
        candidates.append(LEVEL_OF_LENGTH[max(f.code_length for f in own_codes)])
    leveled = [f for f in names if f.level in LEVELS]
    if leveled:
        candidates.append(max((f.level for f in leveled), key=LEVELS.index))
    unleveled = [f for f in names if f.level is None and f.thai_ratio + f.latin_ratio >= 0.5]
    if candidates and not own_codes and unleveled and \
            max(f.distinct_ratio for f in unleveled) > max(f.distinct_ratio for f in leveled):
        candidates = []  # a plain "name" more varied than "prov_namt": the features are finer areas
    if candidates:
        return max(candidates, key=LEVELS.index)
    text = unleveled or [f for f in names if f.thai_ratio + f.latin_ratio >= 0.5]
    if not text or index is None:
        raise MatchError("cannot tell the level of the file (no code column); give the level")
    column = max(text, key=lambda f: (f.thai_ratio, f.distinct_ratio)).name
    sample = frame[column].dropna().astype(str).head(300)
    scores = {}
    for level in LEVELS:
        hits = 0
        for value in sample:
            try:
                index.resolve(value, level)
                hits += 1
            except (AreaNotFound, AmbiguousArea):
                pass
        scores[level] = hits
    best = max(LEVELS, key=lambda lv: (scores[lv], -LEVELS.index(lv)))
    if scores[best] == 0:
        raise MatchError(f"no value of column {column!r} names a province, district or subdistrict")
    return best


# --------------------------------------------------------------------------- matching


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


# Prefixes and suffixes a file may put around a name (after `normalize_name`, which already
# strips one prefix and every space): "อำเภอ", "เขต", "Amphoe", "Khet", "… District".
_ADMIN_PREFIXES = ("กิ่งอำเภอ", "อำเภอ", "เขต", "ตำบล", "แขวง", "จังหวัด", "อ.", "ต.", "จ.", "kingamphoe", "amphoe",
                  "amphur", "amphor", "khet", "tambon", "tambol", "khwaeng", "changwat")
_ADMIN_SUFFIXES = ("subdistrict", "district", "province")
_CAPITAL = ("เมือง", "mueang", "muang")


def bare_name(text: str) -> str:
    """The comparable core of an area name: `normalize_name` without administrative prefixes
    or suffixes ("อำเภอเมืองเชียงใหม่", "Amphoe Mueang Chiang Mai", "Mueang Chiang Mai District")."""
    name = normalize_name(text)
    for _ in range(2):
        for prefix in _ADMIN_PREFIXES:
            if name.startswith(prefix) and len(name) > len(prefix):
                name = name[len(prefix):]
                break
        for suffix in _ADMIN_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                break
    return name


_PARENTHESIS = re.compile(r"\s*[(\[]([^)\]]*)[)\]]\s*")


def name_variants(text: str) -> tuple[str, ...]:
    """The bare names `text` gives: itself and, for "ปอภาร (ปอพาน)", each of its two spellings."""
    names = [bare_name(text)]
    if _PARENTHESIS.search(text):
        names += [bare_name(_PARENTHESIS.sub(" ", text))] + [bare_name(inner) for inner in _PARENTHESIS.findall(text)]
    return tuple(dict.fromkeys(name for name in names if name))


def _agreement(a: str, b: str) -> tuple[int, float]:
    """How two bare names agree: (3, 1) equal; (2, r) one is the other cut short (a DBF field
    width truncates long Thai names), keeping at least 12 characters or 60 % of it; (1, r)
    respelt (ratio r ≥ 0.75: another final consonant, RTGS variants); (0, r) they differ."""
    if a == b:
        return 3, 1.0
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    short, long = sorted((a, b), key=len)
    if long.startswith(short) and len(short) >= min(12, 0.6 * len(long)):
        return 2, ratio
    return (1 if ratio >= 0.75 else 0), ratio


def names_agree(a: str, b: str) -> bool:
    """Whether two spellings plausibly name the same area: equal once prefixes (อำเภอ, เขต,
    Amphoe, Khet…), spaces and case are set aside, one cut short (file names are often
    truncated to the width of a DBF field), or spelt with another final consonant.

    Siblings can agree by this test ("นนทบุรี", "จันทบุรี"): `match_features` also checks
    that no other area of the same parent is named closer."""
    first, second = name_variants(a), name_variants(b)
    if not first or not second:
        return True
    return any(_agreement(x, y)[0] > 0 for x in first for y in second)


@dataclass
class _Match:
    ref: AreaRef
    how: str  # "code", "name_th", "name_en"


class _Siblings:
    """Areas of one level under one parent, by bare name: the names a feature matched by code
    could carry if the file numbers them in another order."""

    def __init__(self, index: AreaIndex):
        self._groups: dict[tuple[str, str | None], list[AreaRef]] = defaultdict(list)
        for ref in index.by_code.values():
            if ref.level in LEVELS:
                self._groups[(ref.level, ref.parent_code)].append(ref)
        self._bare: dict[tuple[str, str], tuple[str, ...]] = {}
        self._named: dict[tuple[str, str | None, str], dict[str, list[AreaRef]]] = {}

    def bare(self, ref: AreaRef, language: str) -> tuple[str, ...]:
        key = (ref.code, language)
        if key not in self._bare:
            self._bare[key] = name_variants(ref.name_th if language == "th" else ref.name_en)
        return self._bare[key]

    def agreement(self, name: str, ref: AreaRef, language: str) -> tuple[int, float]:
        """How `name` agrees with the best of `ref`'s spellings (see `_agreement`)."""
        return max((_agreement(name, own) for own in self.bare(ref, language)), default=(0, 0.0))

    def of(self, ref: AreaRef) -> list[AreaRef]:
        return [other for other in self._groups[(ref.level, ref.parent_code)] if other.code != ref.code]

    def named(self, ref: AreaRef, language: str, name: str) -> list[AreaRef]:
        """The siblings of `ref` (not itself) whose bare name is `name`."""
        key = (ref.level, ref.parent_code, language)
        if key not in self._named:
            table: dict[str, list[AreaRef]] = defaultdict(list)
            for other in self._groups[(ref.level, ref.parent_code)]:
                for variant in self.bare(other, language):
                    table[variant].append(other)
            self._named[key] = table
        return [other for other in self._named[key].get(name, []) if other.code != ref.code]


def _name_check(ref: AreaRef, name_th: str | None, name_en: str | None, siblings: _Siblings) -> str | None:
    """Why a feature matched to `ref` by code does not carry `ref`'s name, or None if it does
    (or carries no name). Its Thai name decides when it has one, else its English name.

    The name differs when it is not `ref`'s by `names_agree`, when it is exactly another
    sibling's (same level and parent), or when it is only a respelling of `ref`'s and closer to
    a sibling's. "เมือง" or "Muang" alone is the capital district's name."""
    text = name_th or name_en
    if not text:
        return None
    language = "th" if _THAI.search(text) else "en"
    names = name_variants(text)
    if not names or not siblings.bare(ref, language):
        return None
    name = names[0]
    tier, ratio = max(siblings.agreement(variant, ref, language) for variant in names)
    if tier == 3:
        return None
    if tier == 0 and name in _CAPITAL and siblings.bare(ref, language)[0].startswith(_CAPITAL):
        tier = 2  # "เมือง", "Muang" for the capital district
    rivals = [(3, 1.0, other) for variant in names for other in siblings.named(ref, language, variant)]
    if not rivals and tier < 2:  # a respelling closer to a sibling's name than to its own; a sibling's, cut short
        closer = [(other_tier, other_ratio, other) for other in siblings.of(ref)
                  for other_tier, other_ratio in [siblings.agreement(name, other, language)]
                  if other_tier >= 1 and other_ratio > ratio]
        rivals = [max(closer, key=lambda found: found[:2])] if closer else []
    store_name = ref.name_th if language == "th" else ref.name_en
    if rivals:
        other_tier, _, other = rivals[0]
        if other_tier >= 2:
            return (f"the store's {ref.level} {ref.code} is {store_name}; the name is that of "
                    f"{other.code} {other.name_th} ({other.name_en}): codes in this file follow another order")
        return (f"the store's {ref.level} {ref.code} is {store_name}; the name is closer to that of "
                f"{other.code} {other.name_th} ({other.name_en}): the codes may follow another order")
    if tier == 0:
        return f"the store's {ref.level} {ref.code} is {store_name} ({ref.name_en if language == 'th' else ref.name_th})"
    return None


def match_features(frame: pd.DataFrame, index: AreaIndex, level: str | None = None, source: str = "",
                   usable: list[bool] | None = None, progress: Progress | None = None,
                   trust_codes: bool = False,
                   geometry_problems: dict | None = None) -> tuple[MatchReport, list[str | None]]:
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
    level = columns.level
    report = MatchReport(source=source, level=level, code_column=columns.code, name_th_column=columns.name_th,
                         name_en_column=columns.name_en,
                         parent_column=columns.parent_code or columns.parent_name,
                         features_read=len(frame), trust_codes=trust_codes,
                         matched_by={"code": 0, "name_th": 0, "name_en": 0})
    problems = dict(geometry_problems or {})
    if usable is not None:
        for i, ok in enumerate(usable):
            if not ok and i not in problems:
                problems[i] = _Problem("no polygon geometry", False)

    def column(name: str | None) -> list:
        return list(frame[name]) if name else [None] * len(frame)

    raw_codes = [_text(v) for v in column(columns.code)]
    names_th = [_text(v) for v in column(columns.name_th)]
    names_en = [_text(v) for v in column(columns.name_en)]
    parent_codes, parent_names = column(columns.parent_code), column(columns.parent_name)
    parent_cache: dict[str, str | None] = {}
    siblings = _Siblings(index)
    total = len(frame)
    results: list[_Match | None] = [None] * total
    file_codes: list[str | None] = [None] * total
    # per feature: (outcome, area it names or None, reason) for those not (or not plainly) matched
    notes: dict[int, tuple[str, AreaRef | None, str]] = {}
    recoded: list[tuple[int, str]] = []
    trusted: set[int] = set()

    for i in range(total):
        if progress and i % 500 == 0:
            progress("match", i, total)
        raw_code, name_th, name_en = raw_codes[i], names_th[i], names_en[i]
        code = normalize_code(raw_code) if raw_code else None
        file_codes[i] = code or raw_code
        problem = None
        if code is not None:
            ref = index.by_code.get(code)
            if ref is not None and ref.level == level:
                differs = _name_check(ref, name_th, name_en, siblings)
                if differs is None:
                    results[i] = _Match(ref, "code")
                elif trust_codes:
                    results[i] = _Match(ref, "code")
                    trusted.add(i)
                    notes[i] = (MATCHED_BY_CODE, ref, f"{differs}; imported because of --trust-codes")
                else:
                    notes[i] = (NAME_DIFFERS, ref, differs)
                continue
            problem = (f"code {code} is a {ref.level}, not a {level}" if ref is not None
                       else f"no {level} has the code {code}")
        elif raw_code is not None:
            problem = f"{raw_code!r} is not a DOPA code"
        withins = _withins(level, code, _text(parent_codes[i]), _text(parent_names[i]),
                           columns.parent_name_level, index, parent_cache)
        outcome = _match_name(index, level, withins, (("name_th", name_th), ("name_en", name_en)))
        if isinstance(outcome, _Match):
            results[i] = outcome
            if problem:
                recoded.append((i, problem))
        elif isinstance(outcome, AmbiguousArea):
            notes[i] = (AMBIGUOUS, None, _join(problem, str(outcome)))
        else:
            reason = outcome or ("no code and no name" if name_th is None and name_en is None else None)
            notes[i] = (UNMATCHED, None, _join(problem, reason))
    if progress:
        progress("match", total, total)

    _drop_conflicts(results, file_codes, notes)
    _drop_unusable(results, problems, notes)
    for i, problem in recoded:
        if results[i] is not None:
            report.recoded.append(FeatureIssue(
                i, raw_codes[i], names_th[i] or names_en[i],
                f"{problem}; matched by name to {results[i].ref.code} {results[i].ref.name_th}"))

    recoded_reasons = dict(recoded)
    lists = {UNMATCHED: report.unmatched, AMBIGUOUS: report.ambiguous, NAME_DIFFERS: report.name_differs,
             INVALID_GEOMETRY: report.invalid}
    for i in range(total):
        match = results[i]
        outcome, ref, reason = notes.get(i, (None, None, ""))
        if match is not None:
            report.matched_by[match.how] += 1
            ref, outcome = match.ref, MATCHED_BY_CODE if match.how == "code" else MATCHED_BY_NAME
            if i in trusted:
                report.name_differs.append(FeatureIssue(i, raw_codes[i], names_th[i] or names_en[i], reason))
            elif match.how != "code":
                by = f"by Thai name {names_th[i]}" if match.how == "name_th" else f"by English name {names_en[i]}"
                reason = _join(recoded_reasons.get(i), by)
        else:
            lists[outcome].append(FeatureIssue(i, raw_codes[i], names_th[i] or names_en[i], reason))
        report.outcomes.append(FeatureOutcome(
            index=i, file_code=raw_codes[i], file_name_th=names_th[i], file_name_en=names_en[i],
            matched_code=ref.code if ref else None, store_name=ref.name_th if ref else None,
            outcome=outcome, reason=reason))

    codes = [m.ref.code if m else None for m in results]
    matched = {c for c in codes if c}
    report.matched_features = sum(1 for c in codes if c)
    report.matched_areas = len(matched)
    report.pieces_merged = report.matched_features - report.matched_areas
    missing = sorted(ref.code for ref in index.by_code.values() if ref.level == level and ref.code not in matched)
    report.areas_of_level = sum(1 for ref in index.by_code.values() if ref.level == level)
    report.areas_without_boundary = len(missing)
    report.areas_without_boundary_codes = missing[:20]
    return report, codes


@dataclass(frozen=True)
class _Problem:
    reason: str
    lost_shape: bool


def _join(*parts: str | None) -> str:
    return "; ".join(p for p in parts if p)


def _withins(level: str, code: str | None, parent_code: str | None, parent_name: str | None,
             parent_name_level: str | None, index: AreaIndex, cache: dict) -> list[str | None]:
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


def _match_name(index: AreaIndex, level: str, withins: list[str | None],
                names: tuple[tuple[str, str | None], ...]) -> _Match | AmbiguousArea | str | None:
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


def _drop_conflicts(results: list[_Match | None], file_codes: list[str | None],
                    notes: dict[int, tuple[str, AreaRef | None, str]]) -> None:
    """A name match may not take an area that features with another code in the file also
    claim: a renumbered area must not swallow its neighbour's shape."""
    claims: dict[str, list[int]] = defaultdict(list)
    for i, match in enumerate(results):
        if match is not None:
            claims[match.ref.code].append(i)
    for area_code, rows in claims.items():
        by_name = [i for i in rows if results[i].how != "code"]
        if not by_name:
            continue
        carried = {file_codes[i] for i in rows if file_codes[i] is not None}
        by_code = [i for i in rows if results[i].how == "code"]
        ref = results[by_name[0]].ref
        if by_code:
            losers = [i for i in by_name if file_codes[i] is not None and file_codes[i] != area_code]
            reason = (f"its name matches {area_code} {ref.name_th}, "
                      f"which the file's own code {area_code} already covers")
        elif len(carried) > 1:
            losers = by_name
            reason = (f"features with different codes ({', '.join(sorted(carried))}) all match "
                      f"{area_code} {ref.name_th} by name")
        else:
            continue
        for i in losers:
            results[i] = None
            notes[i] = (AMBIGUOUS if not by_code else UNMATCHED, None, reason)


def _drop_unusable(results: list[_Match | None], problems: dict, notes: dict) -> None:
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
            notes[i] = (INVALID_GEOMETRY, match.ref,
                        f"not imported: feature {first}, another piece of {match.ref.code} {match.ref.name_th}, "
                        f"has an unusable geometry ({problems[first].reason})")
