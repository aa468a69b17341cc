"""/province/<code> — the governor's scorecard. State lives in the URL:
?lang=en&period=2569Q4&sort=worst&kpi=road_deaths_per_100k."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from data.query import (
    areas,
    breadcrumb,
    clusters,
    district_kpis,
    get_engine,
    goal_summary,
    headline_district_kpi,
    province_goal_scores,
    scorecard,
    shows_demo,
)
from data.rules.areas import BANGKOK, area_name
from data.rules.catalog import get_catalog
from layouts.components.export import export_bar
from layouts.text.format import breadcrumb_links
from layouts.views.scorecard import WORST_FIRST, create_scorecard, district_section, not_found
from pages._frame import PageState, as_of_line, card_notices, check_area, kpi_map, page, page_frame
from pages._ranking import ranking_view
from pages._titles import area_named, page_title

dash.register_page(
    __name__, path_template="/province/<code>", title=page_title("tab_province", area_named), name="province"
)


@page("/province/{code}")
def layout(state: PageState) -> html.Div:
    return _province(state)


def _province(state: PageState) -> html.Div:
    code, language, messages = state.code("code"), state.language, state.messages
    engine = get_engine()
    view = state.view()
    selected, today = view.period, view.today
    sort = WORST_FIRST if state.get("sort") == WORST_FIRST else None  # anything else: the default order, unremarked
    state.keep(sort=sort)
    check_area(code)
    table = areas(engine)
    if code not in table.index or table.loc[code, "level"] != "province":
        return page_frame(state, not_found(code, language, {"lang": language}))

    catalog = get_catalog()
    card = scorecard(engine, code, selected, today=today)
    goals = goal_summary(engine, code, selected, today=today)
    scores = province_goal_scores(engine, selected, today=today)
    district = _district_map(state, code, card, catalog)
    messages.extend(card_notices(card, state))
    body = create_scorecard(
        language=language,
        state=state.links,
        path=state.path,
        province_name=area_name(table.loc[code], language),
        is_capital=code == BANGKOK,
        chain=_chain(engine, code, state.links, language),
        goals=goals,
        goal_ranks=scores[scores["area_code"] == code],
        card=card,
        sort=sort,
        period_options=view.options,
        period_value=view.value,
        as_of_text=as_of_line(state, card),
        district=district,
        watch=catalog.status_rule.watch,
        on_target=catalog.status_rule.on_target,
        messages=messages,
    )
    body = html.Div([export_bar("province", code, view.url_value, language), body])
    return page_frame(state, body, demo=shows_demo(card))


def _district_map(state: PageState, code: str, card: pd.DataFrame, catalog):
    """The district map: of the KPIs published by district (or finer), `?kpi=` or the headline
    one the ESR maps too (`data.query.headline_district_kpi`)."""
    shown = kpi_map(state, district_kpis(catalog), headline_district_kpi(card, catalog), "district", code)
    return district_section(
        frame=shown.frame,
        geojson=shown.geojson,
        measure=shown.measure,
        state=state.links,
        language=state.language,
        kpi_options=shown.options,
        kpi_value=shown.kpi,
        default_kpi=shown.default,
        ranking=ranking_view(state),
    )


def _chain(engine, code: str, links: dict, language: str) -> list[tuple[str, str | None]]:
    numbers = dict(zip(clusters(engine)["code"], clusters(engine)["number"]))
    return breadcrumb_links(breadcrumb(engine, code), numbers, code, links, language)
