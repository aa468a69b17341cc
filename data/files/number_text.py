"""Numbers as written in Thai files: Thai digits, "1,234.5", spaces, "%", "(12)" for -12."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.rules.periods import THAI_DIGITS

# cells meaning "no figure" in a wide table, besides empty ones
NO_FIGURE = {"-", "–", "—", "n/a", "na"}


def parse_numbers(text: pd.Series, wide: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers as written in Thai files: Thai digits, "1,234.5", spaces, "%", "(12)" for -12.

    Returns (values with NaN where empty or bad, empty mask, bad mask). In a wide table "-"
    counts as empty.
    """
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
    empty = np.zeros(len(values), dtype=bool)
    bad = np.zeros(len(values), dtype=bool)
    missing = np.flatnonzero(np.isnan(values))
    if missing.size:
        cleaned = text.iloc[missing].astype(str).str.translate(THAI_DIGITS).str.strip()
        cleaned = cleaned.str.replace(r"\s*%$", "%", regex=True).str.replace("\u2212", "-")
        # a space inside a number only as a thousands separator ("1 234 567"): "12 34" is no number
        spaced = cleaned.str.contains(r"[\s\u00a0\u202f]", regex=True)
        grouped_spaces = cleaned.str.fullmatch(r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d*)?%?")
        cleaned = cleaned.where(~spaced | grouped_spaces, "not a number")
        cleaned = cleaned.str.replace(r"[\s\u00a0\u202f]+", "", regex=True)
        is_empty = (cleaned == "") | (cleaned.str.lower().isin(NO_FIGURE) if wide else False)
        cleaned = cleaned.str.removesuffix("%")
        cleaned = cleaned.str.replace(r"^\((.*)\)$", r"-\1", regex=True)
        has_comma = cleaned.str.contains(",", regex=False)
        grouped = cleaned.str.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
        cleaned = cleaned.where(~has_comma | grouped, "not a number").str.replace(",", "", regex=False)
        parsed = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
        parsed[is_empty.to_numpy()] = np.nan
        values[missing] = parsed
        empty[missing] = is_empty.to_numpy()
        bad[missing] = np.isnan(parsed) & ~is_empty.to_numpy()
    bad |= np.isinf(values)
    values[np.isinf(values)] = np.nan
    return values, empty, bad


def format_number(value: float) -> str:
    """A number as the messages show it: grouped thousands, at most ten significant digits."""
    return f"{value:,.10g}" if abs(value) < 1e15 else f"{value:.3g}"
