"""What every page does alike: resolve `?period=` against the periods the store holds, and write
the "data to … · last imported …" line with its freshness warning. (Not a page: Dash skips
modules whose names start with "_".)"""

from __future__ import annotations

import functools
from collections import defaultdict
from urllib.parse import unquote

import pandas as pd
from dash import html

import callbacks.store_retry  # noqa: F401  (registers the retry timer's reload)
from data.query.cache import new_request, note_unavailable, served_stale_since
from data.store.engine import UNAVAILABLE_ERRORS, StoreUnavailable, get_engine
from data.query import data_status, held_periods
from layouts.format import PeriodView, as_of_text, newest_period_of, read_period
from layouts.i18n import normalise_language, t
from layouts.shell import create_header
from layouts.unavailable import stale_banner, unavailable_panel
from settings import get_settings


def guarded(path_template: str):
    """A page layout that never fails for want of its store: when the store cannot answer, the
    page's frame with a plain message (and a timer that tries again); when its answers came
    from the cache of a store that has gone, the page with a banner giving their age.
    `path_template` ("/province/{code}") gives the header its language link."""

    def decorate(render):
        @functools.wraps(render)
        def layout(*args, **kwargs):
            new_request()  # a server thread serves many requests: start afresh
            kwargs = {name: url_value(value) for name, value in kwargs.items()}
            lang = kwargs.get("lang")
            language = normalise_language(lang if isinstance(lang, str) else None, get_settings().language)
            try:
                page = render(*args, **kwargs)
            except (StoreUnavailable, *UNAVAILABLE_ERRORS) as error:
                if not isinstance(error, StoreUnavailable):
                    note_unavailable(get_engine(), error)
                path = path_template.format_map(defaultdict(str, {k: str(v) for k, v in kwargs.items()}))
                return html.Div([create_header(language, path),
                                 html.Div(unavailable_panel(language), className="container-fluid px-4")],
                                lang=language)
            since = served_stale_since.get()
            if since is not None:
                return html.Div([stale_banner(since, language), page], lang=language)
            return page

        return layout

    return decorate


MAX_URL_VALUE = 120  # no code, id or parameter of the app is longer


def url_value(value):
    """A path variable or query parameter as the page may use it: a repeated parameter
    (`?period=a&period=b`, given as a list) is its last value; a value longer than any the app
    has is cut (it is then unknown, and the page says so without echoing 100 kB back)."""
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    if value is not None and not isinstance(value, str):
        value = str(value)
    if isinstance(value, str) and "%" in value:  # a path variable comes percent-encoded
        value = unquote(value)
    return value[:MAX_URL_VALUE] if isinstance(value, str) else value


def view_period(engine, text: str | None, language: str, messages: list[str]) -> PeriodView:
    """The page's period: the newest held period inside `?period=` (or the newest of all)."""
    return read_period(text, language, messages, held=held_periods(engine))


def as_of_line(engine, view: PeriodView, frame: pd.DataFrame | None, language: str) -> str:
    """The newest period of the data shown (`frame`'s rows, else the view's period) and when
    the store last took an import of values."""
    shown = newest_period_of(frame) if frame is not None else view.period
    status = data_status(engine)
    imported = status["last_imported_at"].dropna().max() if not status.empty else None
    if shown is None and view.period is not None:  # the store has data, but not for what is shown
        return t("as_of_none_here", language).format(period=view.period.label(language))
    return as_of_text(shown, language, imported)


def overdue_notice(card: pd.DataFrame | None, language: str) -> str | None:
    """"3 of the 40 KPIs shown are overdue …" when any value shown is older than its KPI's
    update frequency allows (judged today on the latest view, then on a past view)."""
    if card is None or card.empty or "freshness" not in card:
        return None
    shown = card[card["freshness"] != "missing"]
    overdue = int((shown["freshness"] == "overdue").sum())
    if not overdue:
        return None
    return t("overdue_notice", language).format(count=overdue, total=len(shown))


def card_notices(card: pd.DataFrame, view: PeriodView, language: str) -> list[str]:
    """What a scorecard page must say about its data: none at all (in the store, or for this
    area up to the period shown), or values overdue."""
    if card.empty or not card["value"].notna().any():
        if view.period is None:
            return [t("empty_store", language)]
        return [t("area_no_data", language).format(period=view.period.label(language))]
    notice = overdue_notice(card, language)
    return [notice] if notice else []
