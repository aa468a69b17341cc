"""/cluster/<number> — the OSM comparison of a provincial cluster's provinces. State lives in
the URL: ?lang=en&period=2569Q4&show=G2 (or show=kpi:road_deaths_per_100k; none = overall)."""

from __future__ import annotations

import dash
from dash import html

from data.query import (
    UnknownArea,
    areas,
    breadcrumb,
    cluster_code_of,
    cluster_comparison,
    clusters,
    get_engine,
    goal_summary,
    province_goal_scores,
    scorecard,
    shows_demo,
)
from data.rules.areas import area_name, name_column
from data.rules.catalog import get_catalog
from layouts.components.export import export_bar
from layouts.figures import Measure
from layouts.text.format import href, shown_param
from layouts.text.i18n import t
from layouts.views.cluster import cluster_not_found, create_cluster
from layouts.views.page_parts import OVERALL, show_choices
from pages._frame import PageState, as_of_line, check_area, overdue_notice, page, page_frame
from pages._titles import cluster_named, page_title

dash.register_page(
    __name__, path_template="/cluster/<number>", title=page_title("cluster", cluster_named), name="cluster"
)


@page("/cluster/{number}")
def layout(state: PageState) -> html.Div:
    number, language, messages = state.code("number").strip(), state.language, state.messages
    engine = get_engine()
    view = state.view()
    selected, today = view.period, view.today
    catalog = get_catalog()
    choices = show_choices(catalog, language)
    show_value = state.choice("show", choices, OVERALL)
    state.keep(show=show_value if show_value != OVERALL else None)

    if number.isdigit() and int(number) < 1000:
        try:
            check_area(cluster_code_of(engine, int(number)))
        except UnknownArea:
            pass
    table = clusters(engine)
    match = table[table["number"].astype(str) == number] if number.isdigit() else table.iloc[0:0]
    if match.empty:
        return page_frame(state, cluster_not_found(shown_param(state.code("number")), language, {"lang": language}))
    cluster = match.iloc[0].to_dict()

    comparison = cluster_comparison(engine, int(cluster["number"]), selected, today=today)
    scores = province_goal_scores(engine, selected, today=today)
    cluster_card = scorecard(engine, cluster["code"], selected, today=today)
    if not comparison["value"].notna().any():
        messages.append(
            t("empty_store", language)
            if selected is None
            else t("area_no_data", language).format(period=selected.label(language))
        )
    elif notice := overdue_notice(cluster_card, language):
        messages.append(notice)
    kpis = catalog.by_id()
    measure = (
        Measure.kpi_value(kpis[show_value[4:]]) if show_value.startswith("kpi:") else Measure.goal_score(show_value)
    )
    body = create_cluster(
        language=language,
        state=state.links,
        path=state.path,
        cluster=cluster,
        names=areas(engine)[name_column(language)].to_dict(),
        chain=_chain(engine, cluster, state.links, language),
        cluster_goals=goal_summary(engine, cluster["code"], selected, today=today),
        comparison=comparison,
        goal_scores=scores[scores["area_code"].isin(cluster["provinces"])],
        scored_kpis=[k.id for k in catalog.kpis if k.scored],
        show_options=list(choices.items()),
        show_value=show_value,
        measure=measure,
        period_options=view.options,
        period_value=view.value,
        as_of_text=as_of_line(state, cluster_card),
        messages=messages,
    )
    body = html.Div([export_bar("cluster", str(int(cluster["number"])), view.url_value, language), body])
    return page_frame(state, body, demo=shows_demo(comparison))


def _chain(engine, cluster: dict, links: dict, language: str) -> list[tuple[str, str | None]]:
    """ประเทศไทย › the cluster (regions have no page, so they are left out, as on the province page)."""
    kept = {"lang": links.get("lang"), "period": links.get("period")}
    country = [area for area in breadcrumb(engine, cluster["code"]) if area["level"] == "country"]
    country_name = area_name(country[0], language) if country else t("country", language)
    return [(country_name, href("/", kept)), (area_name(cluster, language), None)]
