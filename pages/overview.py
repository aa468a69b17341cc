"""/ — the national overview. State lives in the URL: ?lang=en&period=2569Q4&show=G2 (or
show=kpi:road_deaths_per_100k), so a view can be bookmarked and back/forward works."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import pandas as pd
from dash import html

import callbacks.esr  # noqa: F401  (registers the ESR downloads)
import callbacks.navigation  # noqa: F401  (registers the URL callbacks)
from data.rules.catalog import get_catalog
from data.store.engine import get_engine
from data.query import areas, boundaries, clusters, goal_summary, map_values, province_goal_scores, scorecard
from geo.tilegrid import tilegrid_features
from layouts.export import export_bar
from layouts.figures import Measure
from layouts.format import shown_param
from layouts.i18n import GOAL_NAMES, normalise_language, pick, t
from layouts.overview import create_overview
from layouts.shell import create_header, demo_banner
from pages._common import as_of_line, card_notices, guarded, view_period
from settings import get_settings

dash.register_page(__name__, path="/", title="ภาพรวมประเทศ · ศูนย์ปฏิบัติการจังหวัด", name="overview")

DISTRICT_LEVELS = ("district", "subdistrict")


@guarded("/")
def layout(lang: str | None = None, period: str | None = None, show: str | None = None, level: str | None = None,
           **_query) -> html.Div:
    return _overview(lang, period, show, level)


def _overview(lang: str | None, period: str | None, show: str | None, level: str | None = None) -> html.Div:
    language = normalise_language(lang, get_settings().language)
    messages: list[str] = []
    engine = get_engine()
    view = view_period(engine, period, language, messages)
    selected, today = view.period, view.today
    catalog = get_catalog()
    kpis = catalog.by_id()
    show_value = show if show in show_choices(catalog, language) else "ALL"
    if show and show != show_value:
        messages.append(t("bad_param", language).format(value=shown_param(show), name="show"))

    if show_value.startswith("kpi:"):
        kpi = kpis[show_value[4:]]
        measure = Measure.kpi_value(kpi)
        provinces = map_values(engine, kpi.id, "province", None, selected, today=today)
    else:
        measure = Measure.goal_score(show_value)
        scores = province_goal_scores(engine, selected, today=today)
        provinces = every_province(engine, scores[scores["goal"] == show_value])
    geojson = boundaries(engine, "province")
    district_map = _district_map(engine, show_value, level, selected, today, kpis, language, messages)
    is_tilegrid = not geojson["features"]
    if is_tilegrid:
        geojson = tilegrid_features()
    national = goal_summary(engine, "TH", selected, today=today)
    national_card = scorecard(engine, "TH", selected, today=today)
    messages.extend(card_notices(national_card, view, language))

    state = {"lang": language, "period": view.url_value,
             "show": show_value if show_value != "ALL" else None,
             "level": "district" if district_map else None}
    body = create_overview(
        language=language, state=state,
        period_options=view.options, period_value=view.value,
        show_options=list(show_choices(catalog, language).items()), show_value=show_value,
        measure=measure, provinces=provinces.reset_index(drop=True), geojson=geojson, is_tilegrid=is_tilegrid,
        national_goals=national, clusters=clusters(engine), as_of_text=as_of_line(engine, view, national_card, language),
        messages=messages, district_map=district_map,
    )
    is_demo = bool(national["is_demo"].any()) or bool(provinces.get("is_demo", pd.Series(dtype=bool)).fillna(False).any())
    query = urlencode([(k, v) for k, v in state.items() if k != "lang" and v], safe=":")
    return html.Div([
        create_header(language, "/", query),
        html.Div([demo_banner(language) if is_demo else None, export_bar("national", None, state["period"], language), body],
                 className="container-fluid px-4"),
    ], lang=language)


def _district_map(engine, show_value: str, level: str | None, selected, today, kpis: dict,
                  language: str, messages: list[str]) -> tuple[pd.DataFrame, dict] | None:
    """The 928 districts for a KPI published by district, when `?level=district` asks for it and
    district boundaries exist; otherwise None, with a notice saying why provinces are shown."""
    if level != "district":
        if level:
            messages.append(t("bad_param", language).format(value=shown_param(level), name="level"))
        return None
    kpi = kpis.get(show_value[4:]) if show_value.startswith("kpi:") else None
    if kpi is None or kpi.finest_level not in DISTRICT_LEVELS:
        messages.append(t("district_map_needs_kpi", language))
        return None
    geojson = boundaries(engine, "district", detail="overview")
    if not geojson["features"]:
        messages.append(t("no_district_boundaries_overview", language))
        return None
    return map_values(engine, kpi.id, "district", None, selected, today=today), geojson


def every_province(engine, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame`'s rows for the 77 provinces, those without data included (grey on the map, listed
    as without data), as `map_values` gives them for a KPI."""
    table = areas(engine)
    provinces = table[table["level"] == "province"][["code", "name_th", "name_en"]].rename(columns={"code": "area_code"})
    merged = provinces.merge(frame.drop(columns=["name_th", "name_en"], errors="ignore"), on="area_code", how="left")
    merged["status"] = merged["status"].fillna("no_data") if "status" in merged else "no_data"
    return merged.reset_index(drop=True)


def show_choices(catalog, language: str) -> dict[str, str]:
    """What the map can show: the overall score, a goal's score, or any KPI."""
    choices = {"ALL": t("overall_score", language)}
    for goal, names in GOAL_NAMES.items():
        choices[goal] = f"{t('goal', language)} {goal[1:]}: {pick(names, language)}"
    for kpi in catalog.kpis:
        choices[f"kpi:{kpi.id}"] = f"{kpi.goal} · {kpi.name.get(language)} ({kpi.unit.get(language)})"
    return choices
