"""/province/<code> — the governor's scorecard. State lives in the URL:
?lang=en&period=2569Q4&sort=worst&kpi=road_deaths_per_100k."""

from __future__ import annotations

from urllib.parse import unquote, urlencode

import dash
import pandas as pd
from dash import html

import callbacks.esr  # noqa: F401  (registers the ESR downloads)
import callbacks.navigation  # noqa: F401  (registers the URL callbacks)
from data.rules.catalog import get_catalog
from data.store.engine import get_engine
from data.query import (areas, boundaries, breadcrumb, clusters, goal_summary, map_values, province_goal_scores,
                          scorecard)
from layouts.figures import Measure
from layouts.export import export_bar
from layouts.format import breadcrumb_links, shown_param
from layouts.i18n import normalise_language, t
from layouts.scorecard import WORST_FIRST, create_scorecard, district_section, not_found
from layouts.shell import create_header, demo_banner
from pages._common import as_of_line, card_notices, guarded, view_period
from settings import get_settings

dash.register_page(__name__, path_template="/province/<code>", title="รายงานจังหวัด · ศูนย์ปฏิบัติการจังหวัด",
                   name="province")

DISTRICT_LEVELS = ("district", "subdistrict")
BANGKOK = "10"  # กรุงเทพมหานคร: a special administrative area, not called จังหวัด


@guarded("/province/{code}")
def layout(code: str | None = None, lang: str | None = None, period: str | None = None, sort: str | None = None,
           kpi: str | None = None, **_query) -> html.Div:
    return _province(str(code or ""), lang, period, sort, kpi)


def _province(code: str, lang: str | None, period: str | None, sort: str | None, kpi: str | None) -> html.Div:
    language = normalise_language(lang, get_settings().language)
    messages: list[str] = []
    sort = WORST_FIRST if sort == WORST_FIRST else None
    path = f"/province/{code}"
    engine = get_engine()
    view = view_period(engine, period, language, messages)
    selected, today = view.period, view.today
    state = {"lang": language, "period": view.url_value, "sort": sort}

    table = areas(engine)
    if code not in table.index or table.loc[code, "level"] != "province":
        return _page(language, path, state, not_found(unquote(code), language, {"lang": language}), is_demo=False)

    catalog = get_catalog()
    kpis = catalog.by_id()
    card = scorecard(engine, code, selected, today=today)
    goals = goal_summary(engine, code, selected, today=today)
    scores = province_goal_scores(engine, selected, today=today)
    goal_ranks = scores[scores["area_code"] == code]

    # the district map: KPIs published by district (or finer), the chosen one or the worst scored
    district_kpis = [k for k in catalog.kpis if k.finest_level in DISTRICT_LEVELS]
    if kpi and kpi not in {k.id for k in district_kpis}:
        if kpi not in kpis:  # a KPI of the catalog published only by province (e.g. from the overview's map) is no error
            messages.append(t("bad_param", language).format(value=shown_param(kpi), name="kpi"))
        kpi = None
    default_kpi = _worst_district_kpi(card, district_kpis)
    state["kpi"] = kpi
    kpi = kpi or default_kpi
    measure, districts, geojson = None, pd.DataFrame(), None
    if kpi:
        measure = Measure.kpi_value(kpis[kpi])
        districts = map_values(engine, kpi, "district", code, selected, today=today)
        geojson = boundaries(engine, "district", parent_code=code)
    district = district_section(
        frame=districts, geojson=geojson, measure=measure, state=state, language=language,
        kpi_options=[(k.id, f"{k.goal} · {k.name.get(language)} ({k.unit.get(language)})") for k in district_kpis],
        kpi_value=kpi, default_kpi=default_kpi)

    name = table.loc[code, "name_en" if language == "en" else "name_th"]
    messages.extend(card_notices(card, view, language))
    body = create_scorecard(
        language=language, state=state, path=path, province_name=name, is_capital=code == BANGKOK, chain=_chain(engine, code, state, language),
        goals=goals, goal_ranks=goal_ranks, card=card, sort=sort, period_options=view.options,
        period_value=view.value, as_of_text=as_of_line(engine, view, card, language), district=district,
        watch=catalog.status_rule.watch, on_target=catalog.status_rule.on_target, messages=messages)
    body = html.Div([export_bar("province", code, state["period"], language), body])
    return _page(language, path, state, body, is_demo=bool(card["is_demo"].any()))


def _page(language: str, path: str, state: dict, body, *, is_demo: bool) -> html.Div:
    query = urlencode([(k, v) for k, v in state.items() if k != "lang" and v], safe=":")
    return html.Div([
        create_header(language, path, query),
        html.Div([demo_banner(language) if is_demo else None, body], className="container-fluid px-4"),
    ], lang=language, key=f"{path}?{language}&{query}")


def _worst_district_kpi(card: pd.DataFrame, district_kpis) -> str | None:
    """The district-level KPI with the province's lowest score (the first one when none is scored)."""
    ids = [k.id for k in district_kpis]
    if not ids:
        return None
    scored = card[card["kpi_id"].isin(ids) & card["score"].notna()].sort_values("score", kind="stable")
    return str(scored["kpi_id"].iloc[0]) if not scored.empty else ids[0]


def _chain(engine, code: str, state: dict, language: str) -> list[tuple[str, str | None]]:
    numbers = dict(zip(clusters(engine)["code"], clusters(engine)["number"]))
    return breadcrumb_links(breadcrumb(engine, code), numbers, code, state, language)
