"""The small parts every page body is built of: the status pill (icon + word + colour), a goal's
chip and name, KPI coverage in words, a labelled selector whose value lives in the URL, the
heading of a page (title, as-of line, period and other selectors), a card's title with its
detail, and the notices naming what a page did not understand. Pure: values in, components out."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import html
from dash.development.base_component import Component

from data.query import viewer_scope
from data.rules.periods import LATEST
from layouts.text.format import is_missing, status_badge
from layouts.text.i18n import GOAL_NAMES, pick, t
from layouts.theme import GOAL_COLOURS


def status_pill(status: str | None, language: str, *, compact: bool = False) -> html.Span:
    """Icon + word on the status colour: a status is never shown by colour alone."""
    badge = status_badge(status)
    return html.Span(
        [
            html.I(className=f"bi {badge.icon}" + ("" if compact else " me-1"), **{"aria-hidden": "true"}),
            None if compact else badge.word(language),
        ],
        className="badge status-pill" + (" status-pill-compact" if compact else ""),
        style={"backgroundColor": badge.colour, "color": badge.text_colour},
        title=badge.word(language),
        **{"data-status": status or "no_data"},
    )


def goal_chip(goal: str, language: str) -> html.Span:
    """The goal's code on the goal's colour (for the overall score, its first word on dark)."""
    if goal == "ALL":
        return html.Span(t("overall_score", language).split()[0], className="badge goal-chip bg-dark")
    return html.Span(goal, className="badge goal-chip", style={"backgroundColor": GOAL_COLOURS[goal]})


def goal_name(goal: str, language: str) -> str:
    """The goal's name in the language (for ALL, "overall score")."""
    return t("overall_score", language) if goal == "ALL" else pick(GOAL_NAMES[goal], language)


def coverage_text(present, total, language: str) -> str:
    """ "7/8 KPIs with data": how many of the scored KPIs have a value (0 where unknown)."""
    present = 0 if is_missing(present) else int(present)
    total = 0 if is_missing(total) else int(total)
    return t("coverage_kpis", language).format(present=present, total=total)


def selector(
    name: str,
    label: str,
    options: Sequence[tuple[str, str]],
    value: str,
    *,
    default: str | None = None,
    searchable: bool = False,
    width: str = "16rem",
) -> html.Div:
    """A labelled choice whose value is the URL query parameter `name`; choosing `default`
    removes the parameter (see callbacks.navigation). A native <select> inside its <label>: its
    name is the label for a screen reader, the keyboard opens and moves it as everywhere else, and
    typing a name's first letters goes to it (`searchable` is kept for the callers: a native
    select always searches so)."""
    del searchable  # a native select's type-ahead is the search
    return html.Div(
        html.Label(
            [
                html.Span(label, className="form-label small text-muted mb-0 d-block"),
                dbc.Select(
                    id={"type": "url-param", "name": name, "default": default or ""},
                    options=[{"label": lab, "value": val} for val, lab in options],
                    value=value,
                    className="poc-select form-select-sm",
                    style={"minWidth": width, "maxWidth": "100%"},
                ),
            ],
            className="mb-0 d-block",
        ),
        className="me-3 mb-2 poc-selector",
        id=f"select-{name}",
    )


def kpi_selector(
    options: Sequence[tuple[str, str]], value: str | None, default: str | None, language: str, *, width: str
) -> html.Div:
    """The searchable "choose a KPI" selector of a page's map of one KPI (URL parameter `kpi`)."""
    return selector("kpi", t("choose_kpi", language), options, value, default=default, searchable=True, width=width)


def notices(messages: Sequence[str]) -> list:
    """One quiet alert per message (a URL value the page did not understand, and the like)."""
    return [
        dbc.Alert([html.I(className="bi bi-info-circle me-2"), message], color="secondary", className="py-2 small")
        for message in messages
    ]


def as_of_line(as_of_text: str, what: str | None = None) -> html.Div:
    """The line under a page's title: what the page is (when given) and what its data is as of."""
    return html.Div(as_of_text if what is None else [what, " · ", as_of_text], className="text-muted small", id="as-of")


def page_heading(
    title: list,
    period_options: Sequence[tuple[str, str]],
    period_value: str,
    language: str,
    *selectors: html.Div,
) -> html.Div:
    """A page's heading: its title block (the heading and the lines under it), then the period
    selector and the page's other `selectors`, side by side."""
    return html.Div(
        [
            html.Div(title, className="me-4 mb-2"),
            selector("period", t("period", language), period_options, period_value, default=LATEST, width="14rem"),
            *selectors,
        ],
        className="d-flex flex-wrap align-items-end mb-2",
    )


def card_title(title: str, detail: str, *, class_name: str = "h6 mb-0") -> html.H2:
    """A card's title with what it is of beside it, muted: "Ranking · <measure>"."""
    return html.H2([title, html.Small(" · " + detail, className="text-muted fw-normal")], className=class_name)


def section_card(title, body, card_id: str | None = None) -> dbc.Card:
    """A titled card of a page: `title` over `body`. A text (or a list of parts) becomes the
    card's heading; a component (a heading of its own, a row of heading and buttons) stands as is."""
    heading = title if isinstance(title, Component) else html.H2(title, className="h6 mb-0")
    return dbc.Card(
        [dbc.CardHeader(heading), dbc.CardBody(body, className="p-2")],
        className="mb-3",
        **({} if card_id is None else {"id": card_id}),
    )


OVERALL = "ALL"  # ?show= for the overall score (none in the URL)


def kpi_choice_label(kpi, language: str) -> str:
    """A KPI as a selector offers it: "G2 · name (unit)"."""
    return f"{kpi.goal} · {kpi.name.get(language)} ({kpi.unit.get(language)})"


def show_choices(catalog, language: str) -> dict[str, str]:
    """What a map or comparison can show (the overview and a cluster page): the overall score,
    a goal's score, or any KPI the viewer may see (a restricted one only for a role that may)."""
    choices = {OVERALL: t("overall_score", language)}
    for goal, names in GOAL_NAMES.items():
        choices[goal] = f"{t('goal', language)} {goal[1:]}: {pick(names, language)}"
    for kpi in viewer_scope().kpis(catalog):
        choices[f"kpi:{kpi.id}"] = kpi_choice_label(kpi, language)
    return choices
