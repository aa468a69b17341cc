"""Which columns of a boundary file hold the features' codes, names and parents, and its level.

Real files name their columns in many ways (OCHA COD-AB `ADM2_PCODE`/`ADM2_TH`, DOPA/RTSD
Shapefiles `AMP_CODE`/`AMP_NAMT`, a TopoJSON `id`/`name`/`parent_id`…), so the columns are
found by their names and their content.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import geopandas
import pandas as pd

from data.rules.areas import AmbiguousArea, AreaIndex, AreaNotFound, normalize_code
from geo.match_report import MatchError

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
THAI_LETTER = re.compile(r"[\u0e00-\u0e7f]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class _ColumnFacts:
    name: str
    tokens: tuple[str, ...]
    level: str | None  # the level its name mentions
    is_parent: bool  # its name says parent
    code_length: int | None  # the DOPA code length almost all its values have
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
    return _ColumnFacts(
        name=column,
        tokens=tokens,
        level=_level_of_tokens(tokens),
        is_parent=any(t.startswith(p) for t in tokens for p in _PARENT_TOKENS),
        code_length=_code_length(column, values, text, tokens),
        distinct_ratio=text.nunique() / count if count else 0.0,
        thai_ratio=text.str.contains(THAI_LETTER).mean() if count else 0.0,
        latin_ratio=(text.str.contains(_LATIN_LETTER) & ~text.str.contains(THAI_LETTER)).mean() if count else 0.0,
        filled_ratio=count / len(frame) if len(frame) else 0.0,
    )


def _code_length(column: str, values: pd.Series, text: pd.Series, tokens: tuple[str, ...]) -> int | None:
    """The DOPA code length at least 90 % of a column's filled values (`text`) have, if the
    column may hold codes: its name says code or its values are not numbers, and it is not
    one of a GIS file's own numbering columns."""
    count = len(text)
    if not count:
        return None
    lengths = Counter(len(code) if (code := normalize_code(v)) else 0 for v in text)
    length, hits = lengths.most_common(1)[0]
    hinted = any(t in _CODE_TOKENS or t.endswith("code") for t in tokens)
    numeric = pd.api.types.is_numeric_dtype(values.dtype)
    if length and hits / count >= 0.9 and (hinted or not numeric) and column.lower() not in _NOT_CODE_COLUMNS:
        return length
    return None


def _is_name_like(facts: _ColumnFacts) -> bool:
    if facts.code_length is not None or facts.filled_ratio < 0.5:
        return False
    if any(t.startswith(n) for t in facts.tokens for n in _NAME_TOKENS):
        return True
    if facts.tokens and facts.tokens[-1] in _NAME_SUFFIXES and facts.level is not None:
        return True  # ADM2_TH, AP_TN, PROV_T
    return facts.level is not None and len(facts.tokens) == 1  # a column named "amphoe"


def _describes(facts: _ColumnFacts, level: str) -> bool:
    """Whether a column is about the features themselves at `level` (not their parents)."""
    return not facts.is_parent and facts.level in (None, level)


def _name(facts: _ColumnFacts | None) -> str | None:
    return facts.name if facts else None


def detect_columns(frame: pd.DataFrame, level: str | None = None, index: AreaIndex | None = None) -> Columns:
    """Find the code, name and parent columns of `frame`, and its level when not given."""
    if level is not None and level not in LEVELS:
        raise MatchError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    facts = _facts_of(frame)
    codes = [f for f in facts if f.code_length is not None]
    names = [f for f in facts if _is_name_like(f)]
    if level is None:
        level = _detect_level(frame, codes, names, index)
    code, parent = _code_columns(codes, level)
    name_th, name_en = _name_columns(facts, names, level)
    parent_name = _parent_name_column(names, level) if parent is None else None
    if code is None and name_th is None and name_en is None:
        raise MatchError(f"no column holds {level} codes or names (columns: {_column_list(frame)})")
    return Columns(
        level=level,
        code=_name(code),
        name_th=_name(name_th),
        name_en=_name(name_en),
        parent_code=_name(parent),
        parent_name=_name(parent_name),
        parent_name_level=parent_name.level if parent_name else None,
    )


def _column_list(frame: pd.DataFrame) -> str:
    """The file's columns, for a message."""
    return ", ".join(str(c) for c in frame.columns if c != "geometry") or "none"


def _facts_of(frame: pd.DataFrame) -> list[_ColumnFacts]:
    """The facts of every column of `frame` but its geometry."""
    geometry = frame.geometry.name if isinstance(frame, geopandas.GeoDataFrame) else None
    return [
        _column_facts(frame, c)
        for c in frame.columns
        if c != geometry and not isinstance(frame[c].dtype, geopandas.array.GeometryDtype)
    ]


def _code_columns(codes: list[_ColumnFacts], level: str) -> tuple[_ColumnFacts | None, _ColumnFacts | None]:
    """The column of the features' own codes, and the column of their parents' codes (the
    longest code shorter than theirs)."""
    length = CODE_LENGTH[level]
    code = max(
        (f for f in codes if f.code_length == length and _describes(f, level)),
        key=lambda f: (f.level == level, f.distinct_ratio),
        default=None,
    )
    parent = max(
        (f for f in codes if f.code_length < length and f is not code),
        key=lambda f: (f.code_length, f.is_parent),
        default=None,
    )
    return code, parent


def _name_columns(
    facts: list[_ColumnFacts], names: list[_ColumnFacts], level: str
) -> tuple[_ColumnFacts | None, _ColumnFacts | None]:
    """The columns of the features' Thai names and of their English names."""
    own_names = [f for f in names if _describes(f, level)]
    name_th = max(
        (f for f in own_names if f.thai_ratio >= 0.5),
        key=lambda f: (f.level == level, f.thai_ratio, f.distinct_ratio),
        default=None,
    )
    if name_th is None:  # no name-like column: any mostly-Thai, mostly-distinct text column
        name_th = max(
            (
                f
                for f in facts
                if f.code_length is None and _describes(f, level) and f.thai_ratio >= 0.8 and f.distinct_ratio >= 0.3
            ),
            key=lambda f: f.distinct_ratio,
            default=None,
        )
    name_en = max(
        (f for f in own_names if f.latin_ratio >= 0.5 and f is not name_th),
        key=lambda f: (f.level == level, f.latin_ratio, f.distinct_ratio),
        default=None,
    )
    return name_th, name_en


def _parent_name_column(names: list[_ColumnFacts], level: str) -> _ColumnFacts | None:
    """For a file without parent codes, the column naming the features' nearest parent."""
    if level == "province":
        return None
    parent_levels = LEVELS[: LEVELS.index(level)]
    parent_names = [f for f in names if f.level in parent_levels and f.thai_ratio + f.latin_ratio >= 0.5]
    return max(parent_names, key=lambda f: (LEVELS.index(f.level), f.thai_ratio), default=None)


def _detect_level(frame, codes: list[_ColumnFacts], names: list[_ColumnFacts], index: AreaIndex | None) -> str:
    """The level of a file: its longest code column, or the deepest level its name columns
    mention, or (names only) the level at which most names resolve."""
    unleveled = [f for f in names if f.level is None and f.thai_ratio + f.latin_ratio >= 0.5]
    level = _level_of_columns(codes, names, unleveled)
    if level is not None:
        return level
    text = unleveled or [f for f in names if f.thai_ratio + f.latin_ratio >= 0.5]
    if not text or index is None:
        raise MatchError("cannot tell the level of the file (no code column); give the level")
    return _level_most_names_resolve_at(frame, text, index)


def _level_of_columns(
    codes: list[_ColumnFacts], names: list[_ColumnFacts], unleveled: list[_ColumnFacts]
) -> str | None:
    """The deepest level the file's own code columns (by their length) and its name columns
    (by their names) give, or None."""
    own_codes = [f for f in codes if not f.is_parent and f.code_length in LEVEL_OF_LENGTH]
    leveled = [f for f in names if f.level in LEVELS]
    if not own_codes and leveled and unleveled and _most_distinct(unleveled) > _most_distinct(leveled):
        return None  # a plain "name" more varied than "prov_namt": the features are finer areas
    candidates = []
    if own_codes:
        candidates.append(LEVEL_OF_LENGTH[max(f.code_length for f in own_codes)])
    if leveled:
        candidates.append(max((f.level for f in leveled), key=LEVELS.index))
    return max(candidates, key=LEVELS.index, default=None)


def _most_distinct(columns: list[_ColumnFacts]) -> float:
    return max(f.distinct_ratio for f in columns)


def _level_most_names_resolve_at(frame, text: list[_ColumnFacts], index: AreaIndex) -> str:
    """The level at which most values of the most Thai of the `text` columns name an area
    (the first 300 values)."""
    column = max(text, key=lambda f: (f.thai_ratio, f.distinct_ratio)).name
    sample = frame[column].dropna().astype(str).head(300)
    scores = {level: _count_resolving(index, sample, level) for level in LEVELS}
    best = max(LEVELS, key=lambda lv: (scores[lv], -LEVELS.index(lv)))
    if scores[best] == 0:
        raise MatchError(f"no value of column {column!r} names a province, district or subdistrict")
    return best


def _count_resolving(index: AreaIndex, values, level: str) -> int:
    """How many of `values` name exactly one area of `level`."""
    hits = 0
    for value in values:
        try:
            index.resolve(value, level)
            hits += 1
        except (AreaNotFound, AmbiguousArea):
            pass
    return hits
