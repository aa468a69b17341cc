"""UI words in Thai (default) and English, and number formatting with units. The words
themselves are in `layouts.text.words`; they are re-exported here, where the pages read them."""

from __future__ import annotations

import math

from data.rules.areas import local_terms
from layouts.text.words import AGGREGATIONS, DIRECTIONS, FREQUENCIES, GOAL_NAMES, WORDS

LANGUAGES = ("th", "en")

__all__ = [
    "AGGREGATIONS",
    "DIRECTIONS",
    "FREQUENCIES",
    "GOAL_NAMES",
    "LANGUAGES",
    "WORDS",
    "format_number",
    "format_value",
    "normalise_language",
    "pick",
    "t",
    "t_at",
]


def t(key: str, language: str) -> str:
    """The word for `key` in `language` (Thai unless "en")."""
    thai, english = WORDS[key]
    return english if language == "en" else thai


def pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def normalise_language(value: str | None, default: str = "th") -> str:
    return value if value in LANGUAGES else default


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """Thousands separators and fixed decimals; an em dash for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{decimals}f}"


def format_value(value: float | None, decimals: int, unit: str) -> str:
    """A number with its unit, e.g. "1,234.5 ล้านบาท" or "87.2 %"."""
    text = format_number(value, decimals)
    if text == "–":
        return text
    return f"{text} %" if unit.strip() in ("%", "ร้อยละ") else f"{text} {unit}"


def t_at(key: str, language: str, area_code) -> str:
    """The word for `key` in `language`, as it is said of the area `area_code`: in Bangkok (10,
    10xx, 10xxxx) its districts are เขต and subdistricts แขวง (`data.rules.areas.local_terms`)."""
    return local_terms(t(key, language), area_code)
