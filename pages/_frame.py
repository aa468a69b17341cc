"""One page frame for every page: its URL state parsed once (`PageState`), the period it shows
resolved against the store (`PeriodView`), the frame drawn around its body (`page_frame`: header,
demo banner, container), and `page`, which makes a layout that never fails for want of its
store. (Not a page: Dash skips modules whose names start with "_".)"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode

import pandas as pd
from dash import html

from data.query import (
    UNAVAILABLE_ERRORS,
    NotAllowed,
    StoreUnavailable,
    UnknownArea,
    boundaries,
    can,
    data_status,
    get_engine,
    held_periods,
    map_values,
    viewable_area,
    viewer_scope,
)
from data.query.cache import new_request, note_unavailable, served_stale_since
from data.rules.catalog import get_catalog
from data.rules.periods import (
    LATEST,
    Period,
    choose_period,
    newest_held,
    parse_period_param,
    period_param,
    periods_by_year,
    thai_today,
)
from layouts.components.not_found import not_found_panel
from layouts.components.shell import create_header, demo_banner
from layouts.components.unavailable import stale_banner, unavailable_panel
from layouts.figures import Measure
from layouts.text.format import as_of_text, newest_period_of, shown_param
from layouts.text.i18n import normalise_language, t
from layouts.text.thai_breaks import words_in
from layouts.views.page_parts import kpi_choice_label
from settings import get_settings

MAX_URL_VALUE = 120  # no code, id or parameter of the app is longer


@dataclass(frozen=True)
class PeriodView:
    """The period a page shows, resolved against the periods the store holds.

    `period` is what the queries read (the newest held period inside the selection; None when
    the store holds nothing), `value` the selector's value ("latest" or the URL form of the
    selection), `today` the day freshness is judged against on the latest view (None on a past
    period: judged as of that period's end), `options` the selector's choices."""

    period: Period | None
    value: str
    today: dt.date | None
    options: list[tuple[str, str]]
    selected: Period | None = None

    @property
    def url_value(self) -> str | None:
        return None if self.value == LATEST else self.value


def read_period(
    text: str | None, language: str, messages: list[str], held=(), today: dt.date | None = None
) -> PeriodView:
    """The view's period from `?period=`: "latest" (or nothing) is the newest period the store
    holds that has ended; a held fiscal year, quarter or month is shown as it was then. A
    malformed value, or a period without data, is named in `messages` and the latest shown."""
    today = today or thai_today()
    ended = [p for p in held if p.end <= today]
    try:
        selected = None if text in (None, "", LATEST) else parse_period_param(text)
    except ValueError:
        messages.append(t("bad_param", language).format(value=shown_param(text), name="period"))
        selected = None
    choice = choose_period(ended, selected, today)  # the rule the wall, the ESR and the downloads follow
    latest = choice.period if selected is None or not choice.found else newest_held(ended)
    options = period_options(ended, latest, language)
    if selected is not None and choice.found:
        return PeriodView(choice.period, period_param(selected), None, options, selected)
    if selected is not None:
        fallback = latest.label(language) if latest else t("no_data", language)
        messages.append(t("period_without_data", language).format(period=selected.label(language), latest=fallback))
    return PeriodView(latest, LATEST, today, options)


def period_options(held, latest: Period | None, language: str) -> list[tuple[str, str]]:
    """ "Latest (…)" then every fiscal year the store holds, newest first, each followed by its
    held quarters and months (indented)."""
    head = f"{t('latest', language)} ({latest.label(language)})" if latest else t("latest", language)
    options = [(LATEST, head)]
    for period in periods_by_year(held):
        indent = "" if period.period_type == "Y" else ("\u2003" if period.period_type == "Q" else "\u2003\u2003")
        options.append((period_param(period), indent + period.label(language)))
    return options


@dataclass
class PageState:
    """A page's URL, parsed once: the path, the language, every parameter as the page may use it
    (`url_value`), and the messages the page will show about what it could not follow. What the
    page keeps in its links goes into `kept` (language aside), in the order it is set."""

    path: str
    language: str
    params: dict[str, str | None]
    messages: list[str] = field(default_factory=list)
    kept: dict[str, str | None] = field(default_factory=dict)
    _view: PeriodView | None = None

    @classmethod
    def from_url(cls, path_template: str, values: dict) -> PageState:
        params = {name: url_value(value) for name, value in values.items()}
        lang = params.pop("lang", None)
        language = normalise_language(lang, get_settings().language)
        path = path_template.format_map({k: params.get(k) or "" for k in _fields(path_template)})
        return cls(path=path, language=language, params=params)

    def get(self, name: str) -> str | None:
        return self.params.get(name)

    def code(self, name: str) -> str:
        """A path variable, percent-decoded ("" when absent)."""
        return str(self.params.get(name) or "")

    def choice(self, name: str, allowed, default: str | None = None) -> str | None:
        """`?name=` when it is one of `allowed`, else `default`; a value given and not allowed is
        named in the page's messages (quoted at most 40 characters long)."""
        value = self.params.get(name)
        if value in allowed:
            return value
        if value:
            self.refuse(name, value)
        return default

    def refuse(self, name: str, value) -> None:
        self.messages.append(t("bad_param", self.language).format(value=shown_param(value), name=name))

    def view(self) -> PeriodView:
        """The period shown (read once per page): the newest held period inside `?period=`."""
        if self._view is None:
            self._view = read_period(
                self.params.get("period"), self.language, self.messages, held=held_periods(get_engine())
            )
            self.kept.setdefault("period", self._view.url_value)
        return self._view

    def keep(self, **values: str | None) -> None:
        self.kept.update(values)

    @property
    def links(self) -> dict[str, str | None]:
        """The state a page's links carry: the language and what the page keeps."""
        return {"lang": self.language, **self.kept}

    @property
    def query(self) -> str:
        """The kept state as a query string (the language toggle's link keeps it)."""
        return urlencode([(k, v) for k, v in self.kept.items() if v], safe=":")


def _fields(template: str) -> list[str]:
    return [part[1:-1] for part in template.split("/") if part.startswith("{") and part.endswith("}")]


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


def page_frame(state: PageState, body, *, demo: bool = False, keyed: bool = True) -> html.Div:
    """The frame around every page's body: the header (its language link keeps the page's
    state), the demo banner when the numbers shown include demo values, the container. A keyed
    frame is drawn afresh for each state (a page whose figures must not carry over)."""
    key = {"key": f"{state.path}?{state.language}&{state.query}"} if keyed else {}
    return html.Div(
        [
            *page_top(state.language, state.path, state.query),
            html.Main(
                # every text of the page broken only between Thai words (layouts.text.thai_breaks)
                words_in(
                    [demo_banner(state.language) if demo else None, published_note(state.language), body], inside=True
                ),
                className="container-fluid px-4",
                id="main-content",
                tabIndex="-1",
            ),
        ],
        lang=state.language,
        **key,
    )


def page_top(language: str, path: str, query: str = "") -> list:
    """What comes before a page's main content: a link that skips to it (shown when the keyboard
    reaches it), then the header with the menu."""
    return [
        html.A(t("skip_to_content", language), href="#main-content", className="visually-hidden-focusable skip-link"),
        html.Header(create_header(language, path, query)),
    ]


def published_note(language: str) -> html.P | None:
    """For a viewer who does not see the whole country: the figures of areas they do not hold are
    the published roll-ups, and ranks are counted over every province (README: Accounts and access)."""
    if viewer_scope().everything:
        return None
    return html.P(
        [html.I(className="bi bi-info-circle me-1"), t("published_figures", language)],
        className="small text-secondary mb-2",
        id="published-note",
    )


def page(path_template: str, permission: str = "view"):
    """A page layout from a function of its `PageState` that never fails for want of its store:
    when the store cannot answer, the page's frame with a plain message (and a timer that tries
    again); when its answers came from the cache of a store that has gone, the page with a
    banner giving their age. `path_template` ("/province/{code}") names the path variables."""

    def decorate(render):
        @functools.wraps(render)
        def layout(**values):
            new_request()  # a server thread serves many requests: start afresh
            state = PageState.from_url(path_template, values)
            try:
                body = render(state) if can(permission) else _not_allowed(state)
            except NotAllowed:  # the gate refuses such a page first; the read border holds all the same
                body = _not_allowed(state)
            except (StoreUnavailable, *UNAVAILABLE_ERRORS) as error:
                if not isinstance(error, StoreUnavailable):
                    note_unavailable(get_engine(), error)
                return html.Div(
                    [
                        *page_top(state.language, state.path),
                        html.Main(
                            unavailable_panel(state.language), className="container-fluid px-4", id="main-content"
                        ),
                    ],
                    lang=state.language,
                )
            since = served_stale_since.get()
            if since is not None:
                return html.Div([stale_banner(since, state.language), body], lang=state.language)
            return body

        return layout

    return decorate


def check_area(code: str) -> None:
    """NotAllowed (the page then says so, and shows nothing of it) when the area exists outside the
    viewer's scope; an unknown code is left to the page's own "not found"."""
    try:
        viewable_area(get_engine(), code)
    except UnknownArea:
        pass


def _not_allowed(state: PageState) -> html.Div:
    """The page of an area (or a page) outside the viewer's scope or role: never its data."""
    panel = not_found_panel(
        t("not_allowed", state.language),
        t("not_allowed_text", state.language),
        t("back_to_overview", state.language),
        {"lang": state.language},
        icon="bi-shield-lock",
    )
    return page_frame(state, panel)


def as_of_line(state: PageState, frame: pd.DataFrame | None) -> str:
    """The newest period of the data shown (`frame`'s rows, else the view's period) and when
    the store last took an import of values."""
    view, language = state.view(), state.language
    shown = newest_period_of(frame) if frame is not None else view.period
    status = data_status(get_engine())
    imported = status["last_imported_at"].dropna().max() if not status.empty else None
    if shown is None and view.period is not None:  # the store has data, but not for what is shown
        return t("as_of_none_here", language).format(period=view.period.label(language))
    return as_of_text(shown, language, imported)


def overdue_notice(card: pd.DataFrame | None, language: str) -> str | None:
    """ "3 of the 40 KPIs shown are overdue …" when any value shown is older than its KPI's
    update frequency allows (judged today on the latest view, then on a past view)."""
    if card is None or card.empty or "freshness" not in card:
        return None
    shown = card[card["freshness"] != "missing"]
    overdue = int((shown["freshness"] == "overdue").sum())
    if not overdue:
        return None
    return t("overdue_notice", language).format(count=overdue, total=len(shown))


def card_notices(card: pd.DataFrame, state: PageState) -> list[str]:
    """What a scorecard page must say about its data: none at all (in the store, or for this
    area up to the period shown), or values overdue."""
    view, language = state.view(), state.language
    if card.empty or not card["value"].notna().any():
        if view.period is None:
            return [t("empty_store", language)]
        return [t("area_no_data", language).format(period=view.period.label(language))]
    notice = overdue_notice(card, language)
    return [notice] if notice else []


@dataclass(frozen=True)
class KpiMap:
    """A page's map of one KPI over the areas inside a parent: the KPI shown (`?kpi=` or the
    page's default), the default, its measure, frame and GeoJSON, and the selector's choices."""

    kpi: str | None
    default: str | None
    measure: Measure | None
    frame: pd.DataFrame
    geojson: dict | None
    options: list[tuple[str, str]]


def kpi_map(state: PageState, mappable: list, default: str | None, level: str, parent_code: str) -> KpiMap:
    """The map of `?kpi=` (one of the `mappable` KPIs, else `default`) over the `level` areas
    inside `parent_code` for the page's period. A KPI of the catalog that is not mappable here
    (e.g. one published only by province, from the overview's map) is no error; an unknown one
    is named in the page's messages."""
    kpis = get_catalog().by_id()
    wanted = state.get("kpi")
    if wanted and wanted not in {k.id for k in mappable}:
        if wanted not in kpis:
            state.refuse("kpi", wanted)
        wanted = None
    state.keep(kpi=wanted)
    shown = kpis.get(wanted or default)
    language = state.language
    options = [(k.id, kpi_choice_label(k, language)) for k in mappable]
    if shown is None:
        return KpiMap(None, default, None, pd.DataFrame(), None, options)
    engine, view = get_engine(), state.view()
    frame = map_values(engine, shown.id, level, parent_code, view.period, today=view.today)
    geojson = boundaries(engine, level, parent_code=parent_code)
    return KpiMap(shown.id, default, Measure.kpi_value(shown), frame, geojson, options)
