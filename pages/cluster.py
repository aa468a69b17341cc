"""/cluster/<number> — the OSM comparison of a provincial cluster's provinces. State lives in
the URL: ?lang=en&period=2569Q4&show=G2 (or show=kpi:road_deaths_per_100k; none = overall)."""

from __future__ import annotations

from urllib.parse import unquote, urlencode

import dash
from dash import html

import callbacks.esr  # noqa: F401  (registers the ESR downloads)
import callbacks.navigation  # noqa: F401  (registers the URL callbacks)
from data.rules.catalog import get_catalog
from data.store.engine import get_engine
from data.query import areas, breadcrumb, cluster_comparison, clusters, goal_summary, province_goal_scores, scorecard
from layouts.cluster import OVERALL, cluster_not_found, create_cluster, show_choices
from layouts.export import export_bar
from layouts.figures import Measure
from layouts.format import href, shown_param
from layouts.i18n import normalise_language, t
from layouts.shell import create_header, demo_banner
from pages._common import as_of_line, guarded, overdue_notice, view_period
from settings import get_settings

dash.register_page(__name__, path_template="/cluster/<number>", title="กลุ่มจังหวัด · ศูนย์ปฏิบัติการจังหวัด",
                   name="cluster")


@guarded("/cluster/{number}")
def layout(number: str | None = None, lang: str | None = None, period: str | None = None, show: str | None = None,
           **_query) -> html.Div:
    return _cluster(str(number or ""), lang, period, show)


def _cluster(number: str, lang: str | None, period: str | None, show: str | None) -> html.Div:
    language = normalise_language(lang, get_settings().language)
    messages: list[str] = []
    engine = get_engine()
    view = view_period(engine, period, language, messages)
    selected, today = view.period, view.today
    catalog = get_catalog()
    choices = show_choices(catalog, language)
    show_value = show if show in choices else OVERALL
    if show and show != show_value:
        messages.append(t("bad_param", language).format(value=shown_param(show), name="show"))
    state = {"lang": language, "period": view.url_value,
             "show": show_value if show_value != OVERALL else None}
    path = f"/cluster/{number}"

    table = clusters(engine)
    match = table[table["number"].astype(str) == number.strip()] if number.strip().isdigit() else table.iloc[0:0]
    if match.empty:
        return _page(language, path, state, cluster_not_found(shown_param(unquote(number)), language, {"lang": language}), is_demo=False)
    cluster = match.iloc[0].to_dict()

    comparison = cluster_comparison(engine, int(cluster["number"]), selected, today=today)
    scores = province_goal_scores(engine, selected, today=today)
    cluster_card = scorecard(engine, cluster["code"], selected, today=today)
    if not comparison["value"].notna().any():
        messages.append(t("empty_store", language) if selected is None else
                        t("area_no_data", language).format(period=selected.label(language)))
    elif notice := overdue_notice(cluster_card, language):
        messages.append(notice)
    goal_scores = scores[scores["area_code"].isin(cluster["provinces"])]
    kpis = catalog.by_id()
    measure = Measure.kpi_value(kpis[show_value[4:]]) if show_value.startswith("kpi:") else Measure.goal_score(show_value)
    names = areas(engine)["name_en" if language == "en" else "name_th"].to_dict()
    body = create_cluster(
        language=language, state=state, path=path, cluster=cluster, names=names, chain=_chain(engine, cluster, state, language),
        cluster_goals=goal_summary(engine, cluster["code"], selected, today=today), comparison=comparison, goal_scores=goal_scores,
        scored_kpis=[k.id for k in catalog.kpis if k.scored], show_options=list(choices.items()),
        show_value=show_value, measure=measure, period_options=view.options,
        period_value=view.value, as_of_text=as_of_line(engine, view, cluster_card, language), messages=messages)
    body = html.Div([export_bar("cluster", str(int(cluster["number"])), state["period"], language), body])
    is_demo = bool(comparison["is_demo"].fillna(False).astype(bool).any())
    return _page(language, path, state, body, is_demo=is_demo)


def _page(language: str, path: str, state: dict, body, *, is_demo: bool) -> html.Div:
    query = urlencode([(k, v) for k, v in state.items() if k != "lang" and v], safe=":")
    return html.Div([
        create_header(language, path, query),
        html.Div([demo_banner(language) if is_demo else None, body], className="container-fluid px-4"),
    ], lang=language, key=f"{path}?{language}&{query}")


def _chain(engine, cluster: dict, state: dict, language: str) -> list[tuple[str, str | None]]:
    """ประเทศไทย › the cluster (regions have no page, so they are left out, as on the province page)."""
    name = "name_en" if language == "en" else "name_th"
    kept = {"lang": state.get("lang"), "period": state.get("period")}
    country = [area for area in breadcrumb(engine, cluster["code"]) if area["level"] == "country"]
    country_name = country[0][name] if country else t("country", language)
    return [(country_name, href("/", kept)), (cluster[name], None)]
