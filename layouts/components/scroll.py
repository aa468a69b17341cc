"""A wide table in a box that scrolls sideways inside its card, never the page: at 390 px the KPI
table's columns are reached by scrolling the box, its first column (the KPI, the area) staying in
place (assets/poc.css: `.scroll-table`). The box is a named region reachable by the keyboard, as a
scrollable region must be (a keyboard user scrolls it with the arrow keys once it has focus)."""

from __future__ import annotations

from dash import html
from dash.development.base_component import Component

from layouts.text.format import tag
from layouts.text.thai_breaks import breakable_markup

SCROLL_CLASS = "table-responsive scroll-table"


def scroll_box(table: str, label: str) -> str:
    """A table's markup in the scrolling box, named `label` (what the table is); its Thai texts
    broken only between words."""
    return tag("div", breakable_markup(table), class_=SCROLL_CLASS, tabindex="0", role="region", aria_label=label)


def scroll_region(table: Component, label: str, **attributes) -> html.Div:
    """A table component in the scrolling box, named `label` (what the table is)."""
    return html.Div(table, className=SCROLL_CLASS, tabIndex="0", role="region", **{"aria-label": label}, **attributes)
