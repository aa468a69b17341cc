"""Thai lines break only between words on the pages: the Dash form of data.rules.thai_words (which
cuts Thai into words with PyThaiNLP and sets each in a `<span class="tw">` that does not wrap).
`breakable` makes a text a span of its words; `words_in` does so for a page's long labels (its
headings, definitions, goal and KPI names), once, in pages._frame.page_frame. The markup forms
(`breakable_html`, `breakable_markup`) are re-exported for the layouts' markup blocks."""

from __future__ import annotations

from dash import html
from dash.development.base_component import Component

from data.rules.thai_words import WORD_CLASS, breakable_html, breakable_markup, needs_words, pieces, word_parts

__all__ = ["WORD_CLASS", "WRAPPER_CLASS", "breakable", "breakable_html", "breakable_markup", "pieces", "words_in"]

WRAPPER_CLASS = "th-words"  # the span around a text cut into words (a Dash component)


def breakable(text):
    """`text` for a Dash component, broken only between words: a text without Thai as it is,
    else a span of its words (no <wbr> between them: Chromium breaks between two spans that do
    not wrap, and a page has fewer components to draw)."""
    if not needs_words(text):
        return text
    parts = word_parts(text)
    children = [html.Span(piece, className=WORD_CLASS) if whole else piece for piece, whole in parts if piece]
    return html.Span(children, className=WRAPPER_CLASS)


# the long labels of a page: every heading and definition, a goal's and a KPI's name and what is under it
BROKEN_TYPES = frozenset({"H1", "H2", "H3", "H4", "H5", "H6", "Dt", "Dd"})
BROKEN_CLASSES = frozenset({"goal-row-name", "goal-tile-name", "kpi-name", "kpi-sub"})
BROKEN_IDS = frozenset({"kpi-description"})  # the KPI page's paragraph


def _id(node) -> str | None:
    identity = getattr(node, "id", None)
    return identity if isinstance(identity, str) else None


def words_in(node, inside: bool = False):
    """A page's body with the texts of its long labels (`BROKEN_TYPES`, `BROKEN_CLASSES`,
    `BROKEN_IDS`, whatever they hold) broken only between words; the components are changed in
    place. Markup blocks (the KPI table) are broken where they are made (`breakable_markup`)."""
    if isinstance(node, str):
        return breakable(node) if inside else node
    if isinstance(node, (list, tuple)):
        return [words_in(child, inside) for child in node]
    if isinstance(node, Component) and getattr(node, "_namespace", "") == "dash_html_components":
        classes = set((getattr(node, "className", None) or "").split())
        if WRAPPER_CLASS in classes or WORD_CLASS in classes:
            return node
        here = inside or node._type in BROKEN_TYPES or bool(classes & BROKEN_CLASSES) or _id(node) in BROKEN_IDS
        if getattr(node, "children", None) is not None:
            node.children = words_in(node.children, here)
    elif isinstance(node, Component) and node._type not in ("Markdown", "Graph", "Store"):
        if getattr(node, "children", None) is not None:  # a card, a link: what they hold
            node.children = words_in(node.children, inside)
    return node
