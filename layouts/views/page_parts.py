"""The small parts every page body is built of: the status pill (icon + word + colour), a goal's
chip and name, KPI coverage in words, a labelled selector whose value lives in the URL, and the
notices naming what a page did not understand. Pure: values in, components out."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

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
    """A labelled dropdown whose value is the URL query parameter `name`; choosing `default`
    removes the parameter (see callbacks.navigation)."""
    return html.Div(
        [
            html.Div(label, className="form-label small text-muted mb-0"),
            dcc.Dropdown(
                id={"type": "url-param", "name": name, "default": default or ""},
                options=[{"label": lab, "value": val} for val, lab in options],
                value=value,
                clearable=False,
                searchable=searchable,
                className="poc-select",
                style={"minWidth": width},
            ),
        ],
        className="me-3 mb-2",
        id=f"select-{name}",
    )


def notices(messages: Sequence[str]) -> list:
    """One quiet alert per message (a URL value the page did not understand, and the like)."""
    return [
        dbc.Alert([html.I(className="bi bi-info-circle me-2"), message], color="secondary", className="py-2 small")
        for message in messages
    ]
