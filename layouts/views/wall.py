"""The wall screen's frame: what a screen shows is read from its URL (with defaults from the
settings), and the page is a fixed frame (title, badges, clock, slide stage, dots) that
`assets/wall.js` fills from `/wall/data` and rotates in the browser. Pure: no store access,
so the frame renders even while the store is down, and the screen recovers by itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from dash import html

from data.rules.periods import EN_MONTHS_SHORT, THAI_MONTHS_SHORT
from layouts.text.format import shown_param
from layouts.text.i18n import normalise_language, t, t_at

SLIDES = ("goals", "exceptions", "map", "trends", "hotspots")
THEMES = ("light", "dark")
MAX_TRENDS = 4
MIN_INTERVAL_MS = 10  # benchmarks speed the rotation up to milliseconds (?interval_ms=)
MIN_REFRESH_MS = 200
MAX_INTERVAL_MS = 3_600_000  # an hour a slide at most
MAX_REFRESH_MS = 86_400_000  # a day between refreshes at most (a browser timer overflows past 2^31 ms)
MAX_RETRY_MS = 30_000  # while the data is stale, ask again at least this often
THAI_TIME_OFFSET_MINUTES = 7 * 60  # the clock shows Thai time (UTC+7), as the rest of the dashboard


@dataclass(frozen=True)
class WallConfig:
    """One wall screen: whose data (the country, a cluster or a province), in which language and
    theme, which slides for how long, how often to refresh, and what the map and trends show."""

    scope: str = "country"  # "country", "cluster" or "province"
    code: str | None = None  # province code or cluster number
    language: str = "th"
    theme: str = "light"
    slides: tuple[str, ...] = SLIDES
    interval_ms: int = 20_000
    refresh_ms: int = 300_000
    map_kpi: str = "road_deaths_per_100k"
    trend_kpis: tuple[str, ...] = ()
    messages: tuple[str, ...] = field(default=(), compare=False)

    @property
    def retry_ms(self) -> int:
        return min(self.refresh_ms, MAX_RETRY_MS)

    def data_query(self) -> str:
        """The query string of `/wall/data` for this screen (everything the server needs)."""
        params: list[tuple[str, str]] = [("lang", self.language)]
        if self.scope != "country":
            params.append((self.scope, str(self.code)))
        params += [
            ("theme", self.theme),
            ("slides", ",".join(self.slides)),
            ("kpi", self.map_kpi),
            ("trends", ",".join(self.trend_kpis)),
        ]
        return urlencode(params)


def _number(text, minimum: float) -> float | None:
    try:
        value = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    return value if value >= minimum and value == value and value != float("inf") else None


def _duration_ms(
    params: Mapping[str, str],
    name: str,
    unit_ms: int,
    minimum: float,
    minimum_ms: float,
    maximum_ms: int,
    default_ms: int,
    bad,
    clamped,
) -> int:
    """`<name>_ms` (milliseconds: tests and benchmarks speed the screen up) or `<name>` (in its
    unit of `unit_ms`) from the URL; a value that is no number is reported with `bad` and the
    default kept; one outside [minimum, maximum] is clamped to the nearest bound and reported
    with `clamped(key, value, bound_ms)`."""
    for key, scale, lowest in ((f"{name}_ms", None, minimum_ms), (name, unit_ms, minimum)):
        if params.get(key) is None:
            continue
        value = _number(params[key], float("-inf"))
        if value is None:
            bad(key, params[key])
            return default_ms
        wanted_ms = value if scale is None else value * scale
        lowest_ms = minimum_ms if scale is None else minimum * scale
        if wanted_ms < lowest_ms or wanted_ms > maximum_ms:
            bound = int(round(min(max(wanted_ms, lowest_ms), maximum_ms)))
            clamped(key, params[key], bound)
            return bound
        return int(round(wanted_ms))
    return default_ms


def read_wall_config(params: Mapping[str, str], settings, kpi_ids: set[str] | frozenset[str]) -> WallConfig:
    """The screen's configuration from its URL (`?province=50&slides=goals,map&interval=20`),
    each missing or wrong value taken from the settings; wrong values are reported in
    `messages` (shown on the screen) rather than failing."""
    language = normalise_language(params.get("lang"), settings.language)
    messages: list[str] = []

    def bad(name: str, value) -> None:
        messages.append(t("bad_param", language).format(value=shown_param(value), name=name))

    def clamped(name: str, value, bound_ms: int) -> None:
        messages.append(
            t("wall_clamped", language).format(
                value=shown_param(value), name=name, bound=_duration_text(bound_ms, language)
            )
        )

    def unknown_slide(value: str) -> None:
        messages.append(t("wall_unknown_slides", language).format(value=shown_param(value), choices=", ".join(SLIDES)))

    def unknown_kpi(kpi_id: str) -> None:
        messages.append(t("wall_unknown_kpi", language).format(code=shown_param(kpi_id)))

    scope, code = _scope(params)
    theme = _theme(params, settings, bad)
    slides = _read_slides(params, settings, unknown_slide)
    interval_ms = _interval_ms(params, settings, bad, clamped)
    refresh_ms = _refresh_ms(params, settings, bad, clamped)
    map_kpi = _map_kpi(params, settings, kpi_ids, unknown_kpi)
    trend_kpis = _trend_kpis(params.get("trends") or settings.wall_trend_kpis, kpi_ids, unknown_kpi)
    return WallConfig(
        scope=scope,
        code=code,
        language=language,
        theme=theme,
        slides=slides,
        interval_ms=interval_ms,
        refresh_ms=refresh_ms,
        map_kpi=map_kpi,
        trend_kpis=tuple(trend_kpis[:MAX_TRENDS]),
        messages=tuple(messages),
    )


def _interval_ms(params: Mapping[str, str], settings, bad, clamped) -> int:
    """How long each slide shows: `?interval=` in seconds (or `?interval_ms=`), else the settings'."""
    return _duration_ms(
        params,
        "interval",
        1000,
        1,
        MIN_INTERVAL_MS,
        MAX_INTERVAL_MS,
        min(int(round(settings.wall_interval * 1000)), MAX_INTERVAL_MS),
        bad,
        clamped,
    )


def _refresh_ms(params: Mapping[str, str], settings, bad, clamped) -> int:
    """How often the data is fetched again: `?refresh=` in minutes (or `?refresh_ms=`), else the
    settings'."""
    return _duration_ms(
        params,
        "refresh",
        60_000,
        MIN_REFRESH_MS / 60_000,
        MIN_REFRESH_MS,
        MAX_REFRESH_MS,
        min(int(round(settings.wall_refresh * 60_000)), MAX_REFRESH_MS),
        bad,
        clamped,
    )


def _map_kpi(params: Mapping[str, str], settings, kpi_ids: set[str] | frozenset[str], unknown) -> str:
    """The map slide's KPI: the URL's, else the settings'; an unknown one is reported with
    `unknown(kpi_id)` and the settings' (else the first known KPI) shown instead."""
    map_kpi = params.get("kpi") or settings.wall_map_kpi
    if map_kpi not in kpi_ids:
        unknown(map_kpi)
        map_kpi = settings.wall_map_kpi if settings.wall_map_kpi in kpi_ids else sorted(kpi_ids)[0]
    return map_kpi


def _scope(params: Mapping[str, str]) -> tuple[str, str | None]:
    """Whose data: ("province", code), ("cluster", number) or the country's."""
    if params.get("province"):
        return "province", shown_param(str(params["province"]).strip())
    if params.get("cluster"):
        return "cluster", shown_param(str(params["cluster"]).strip())
    return "country", None


def _theme(params: Mapping[str, str], settings, bad) -> str:
    """The URL's theme, else the settings' (else light); a theme asked for and unknown is reported."""
    theme = params.get("theme") or settings.wall_theme
    if theme not in THEMES:
        if params.get("theme"):
            bad("theme", theme)
        theme = settings.wall_theme if settings.wall_theme in THEMES else "light"
    return theme


def _read_slides(params: Mapping[str, str], settings, unknown) -> tuple[str, ...]:
    """The URL's known slides in its order, else the settings' (else all); each unknown name is
    reported with `unknown(name)`."""
    slides = _slides(settings.wall_slides) or SLIDES
    if params.get("slides"):
        wanted = [s.strip() for s in str(params["slides"]).split(",") if s.strip()]
        for value in (s for s in wanted if s not in SLIDES):
            unknown(value)
        slides = _slides(params["slides"]) or slides
    return slides


def _names(value) -> list[str]:
    """The items of a comma-separated text (a URL's) or of a list (a setting's), stripped."""
    return [str(item).strip() for item in (value.split(",") if isinstance(value, str) else value or ())]


def _trend_kpis(value, kpi_ids: set[str] | frozenset[str], unknown) -> list[str]:
    """The known KPIs of a comma-separated text or a list, each once, in its order; each unknown
    one is reported with `unknown(kpi_id)`."""
    trend_kpis: list[str] = []
    for kpi_id in _names(value):
        if not kpi_id:
            continue
        if kpi_id not in kpi_ids:
            unknown(kpi_id)
        elif kpi_id not in trend_kpis:
            trend_kpis.append(kpi_id)
    return trend_kpis


def _duration_text(milliseconds: int, language: str) -> str:
    """ "20 วินาที" / "2 h": a duration as a person reads it."""
    units = ((3_600_000, "ชั่วโมง", "h"), (60_000, "นาที", "min"), (1000, "วินาที", "s"), (1, "มิลลิวินาที", "ms"))
    for size, thai, english in units:
        if milliseconds >= size and milliseconds % size == 0 or size == 1:
            return f"{milliseconds // size:,} {english if language == 'en' else thai}"
    return f"{milliseconds} ms"


def _slides(value) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for s in _names(value) if s in SLIDES))


def client_config(config: WallConfig) -> dict:
    """What `assets/wall.js` needs: where the data is, the timings, and the words it writes."""
    language = config.language
    return {
        "dataUrl": "/wall/data?" + config.data_query(),
        "slides": list(config.slides),
        "intervalMs": config.interval_ms,
        "refreshMs": config.refresh_ms,
        "retryMs": config.retry_ms,
        "language": language,
        "months": list(EN_MONTHS_SHORT if language == "en" else THAI_MONTHS_SHORT),
        "yearOffset": 0 if language == "en" else 543,
        "utcOffsetMinutes": THAI_TIME_OFFSET_MINUTES,
        "words": {
            key: t(key, language)
            for key in ("wall_stale_since", "wall_updated", "wall_waiting", "wall_more_kpis", "wall_more_areas")
        },
    }


def slide_title(name: str, scope: str, language: str, code: str | None = None) -> str:
    """A slide's title; a province's hotspots are its districts (เขต in Bangkok, province `code` 10)."""
    if name == "hotspots":
        if scope == "province":
            return t_at("wall_slide_hotspots_district", language, code)
        return t("wall_slide_hotspots_province", language)
    return t(f"wall_slide_{name}", language)


def wall_header(config: WallConfig) -> html.Header:
    """The top of the screen: the area and the slide's title, the demo and stale badges (hidden
    until wall.js shows them), the clock, the date and the as-of line."""
    language = config.language
    return html.Header(
        [
            html.Div(
                [
                    html.H1(t("wall_title", language), className="wall-area", id="wall-area"),
                    html.Div(
                        slide_title(config.slides[0], config.scope, language, config.code),
                        className="wall-slide-title",
                        id="wall-slide-title",
                        **{
                            "data-titles": json.dumps(
                                {
                                    name: slide_title(name, config.scope, language, config.code)
                                    for name in config.slides
                                },
                                ensure_ascii=False,
                            )
                        },
                    ),
                ],
                className="wall-heading",
            ),
            html.Div(
                [
                    html.Span(
                        [html.I(className="bi bi-exclamation-triangle-fill"), " ", t("demo_badge", language)],
                        className="wall-badge wall-badge-demo",
                        id="wall-demo",
                        hidden=True,
                        title=t("demo_notice", language),
                    ),
                    html.Span(
                        [html.I(className="bi bi-wifi-off"), " ", html.Span(id="wall-stale-text")],
                        className="wall-badge wall-badge-stale",
                        id="wall-stale",
                        hidden=True,
                        role="status",
                    ),
                ],
                className="wall-badges",
            ),
            html.Div(
                [
                    html.Div("--:--", className="wall-clock", id="wall-clock"),
                    html.Div("", className="wall-date", id="wall-date"),
                    html.Div("", className="wall-as-of", id="wall-as-of"),
                ],
                className="wall-times",
            ),
        ],
        className="wall-top",
    )


def wall_footer(config: WallConfig) -> html.Footer:
    """The bottom of the screen: one dot per slide (its title on hover), the slide counter and
    the progress bar of the playlist."""
    dots = [
        html.Span(
            className="wall-dot" + (" active" if index == 0 else ""),
            title=slide_title(name, config.scope, config.language, config.code),
            **{"data-slide": name},
        )
        for index, name in enumerate(config.slides)
    ]
    return html.Footer(
        [
            html.Div(dots, className="wall-dots", id="wall-dots"),
            html.Div(f"1/{len(config.slides)}", className="wall-counter", id="wall-counter"),
            html.Div(html.Div(className="wall-progress-bar", id="wall-progress-bar"), className="wall-progress"),
        ],
        className="wall-bottom",
    )


def create_wall(config: WallConfig) -> html.Div:
    """The frame of /wall: a header (area, slide title, demo and stale badges, clock and as-of),
    one stacked section per slide, and the dots and progress bar of the playlist."""
    language = config.language
    slides = [
        html.Section(
            [html.Div(t("wall_loading", language), className="wall-slide-body wall-message")],
            className="wall-slide" + (" active" if index == 0 else ""),
            id=f"wall-slide-{name}",
            **{"data-slide": name, "aria-hidden": "false" if index == 0 else "true"},
        )
        for index, name in enumerate(config.slides)
    ]
    return html.Div(
        [
            wall_header(config),
            html.Div(
                [html.Div(message, className="wall-notice") for message in config.messages],
                className="wall-notices",
                id="wall-notices",
            )
            if config.messages
            else None,
            html.Main(slides, className="wall-stage", id="wall-stage"),
            wall_footer(config),
        ],
        id="wall",
        className=f"wall wall-{config.theme}",
        lang=language,
        **{"data-config": json.dumps(client_config(config), ensure_ascii=False)},
    )
