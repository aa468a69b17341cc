"""The areas of the wall's map slide, ranked: best first (a context figure largest first: sizes,
not merit), the best and the worst listed with no area in both, and, for a few areas (a cluster
has 2 to 6 provinces), one card per area in place of a map: rank, name, value, status and a bar
in the map's colour, large enough to read across the room. Pure: frames in, markup out."""

from __future__ import annotations

from html import escape

import pandas as pd

from layouts.figures import Measure, colours_for
from layouts.text.format import is_missing, tag
from layouts.text.i18n import t
from layouts.views.wall_slides import pill, row_name

FEW_AREAS = 6  # up to this many areas, the map slide shows a card per area instead of a map
LISTED = 3  # the best and the worst lists hold at most this many areas each


def is_context(measure: Measure) -> bool:
    return measure.kind == "value" and measure.direction == "context"


def ranked(frame: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """The areas with a value, best first: by score where scored (then by value), else by value
    in the measure's direction; a context figure largest first. Ties by area code."""
    rows = frame.dropna(subset=[measure.column])
    lower_better = measure.direction == "lower_better"
    if is_context(measure):
        return rows.sort_values([measure.column, "area_code"], ascending=[False, True], kind="stable")
    if "score" in rows and rows["score"].notna().any():
        return rows.sort_values(
            ["score", measure.column, "area_code"], ascending=[False, lower_better, True], kind="stable"
        )
    return rows.sort_values([measure.column, "area_code"], ascending=[lower_better, True], kind="stable")


def split_ends(order: pd.DataFrame, most: int = LISTED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first and the last areas of `order` (best first), the last worst first: at most
    `most` each and never an area in both (n areas give n // 2 each; the middle one of an odd
    count is in neither). Fewer than two areas give two empty lists."""
    each = min(most, len(order) // 2)
    if each == 0:
        return order.iloc[0:0], order.iloc[0:0]
    return order.head(each), order.tail(each).iloc[::-1]


def _labels(measure: Measure, count: int) -> tuple[str, str]:
    if is_context(measure):
        return "largest", "smallest"  # sizes, not merit
    return ("wall_ahead", "wall_behind") if count == 2 else ("wall_best_areas", "wall_worst_areas")


def best_and_worst(frame: pd.DataFrame, measure: Measure, language: str) -> list[str]:
    """The best and the worst areas on the measure (the largest and the smallest of a context
    figure), at most three each and none in both lists: two areas are one ahead and one behind;
    none for fewer than two areas."""
    order = ranked(frame, measure)
    first, last = split_ends(order)
    lists = []
    for key, part in zip(_labels(measure, len(order)), (first, last)):
        if part.empty:
            continue
        lines = [
            tag(
                "div",
                tag("span", escape(row_name(r, language)), class_="wall-rank-name"),
                tag(
                    "span",
                    escape(measure.format(r.get(measure.column), language, with_unit=False)),
                    class_="wall-rank-value",
                ),
                class_="wall-rank-line",
                data_area=r["area_code"],
            )
            for r in part.to_dict("records")
        ]
        lists.append(
            tag("div", tag("div", escape(t(key, language)), class_="wall-label"), *lines, class_="wall-map-ranks")
        )
    return lists


def _bar_share(value, top: float) -> float:
    """How much of the card's bar a value fills: its share of the largest shown (0 without one)."""
    if is_missing(value) or top <= 0:
        return 0.0
    return min(max(float(value) / top, 0.0), 1.0)


def area_cards(frame: pd.DataFrame, measure: Measure, language: str) -> str:
    """One card per area, best first (those without a value last): its place, name, value,
    status and a bar of the value in the colour the map gives it. The grid is laid out for the
    count (`wall-area-cards-<n>`: 2 and 3 side by side, 4 as 2 × 2, 5 and 6 in two rows of 3)."""
    order = ranked(frame, measure)
    missing = frame[~frame["area_code"].isin(order["area_code"])].sort_values("area_code")
    rows = pd.concat([order, missing]) if not missing.empty else order
    values = rows[measure.column].tolist()
    colours = colours_for(measure, values, frame[measure.column])
    known = [float(v) for v in values if not is_missing(v)]
    top = 5.0 if measure.kind == "score" else max(known, default=0.0)
    cards = []
    for position, (row, colour) in enumerate(zip(rows.to_dict("records"), colours), start=1):
        value = row.get(measure.column)
        share = _bar_share(value, top)
        cards.append(
            tag(
                "div",
                tag(
                    "div",
                    tag("span", "–" if is_missing(value) else str(position), class_="wall-area-rank"),
                    tag("span", escape(row_name(row, language)), class_="wall-area-name"),
                    class_="wall-area-head",
                ),
                tag(
                    "div",
                    escape(measure.format(value, language, with_unit=False)),
                    class_="wall-area-value",
                ),
                tag(
                    "div",
                    tag("div", class_="wall-area-fill", style=f"width:{share * 100:.1f}%;background:{colour}"),
                    class_="wall-area-bar",
                    aria_hidden="true",
                ),
                tag("div", pill(row.get("status"), language), class_="wall-area-status"),
                class_="wall-area-card",
                role="listitem",
                data_area=row["area_code"],
                style=f"--area-colour:{colour}",
            )
        )
    count = min(max(len(cards), 1), FEW_AREAS)
    label = f"{measure.name(language)} · {t('rank', language)}"
    return tag("div", *cards, class_=f"wall-area-cards wall-area-cards-{count}", role="list", aria_label=label)


__all__ = ["FEW_AREAS", "area_cards", "best_and_worst", "ranked", "split_ends"]
