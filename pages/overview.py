"""/ — the national overview. State lives in the URL: ?lang=en&period=2569Q4&show=G2 (or
show=kpi:road_deaths_per_100k), so a view can be bookmarked and back/forward works."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from data.query import (
    DISTRICT_LEVELS,
    areas,
    boundaries,
    clusters,
    get_engine,
    goal_summary,
    map_values,
    province_goal_scores,
    scorecard,
    shows_demo,
    visible_features,
)
from data.rules.catalog import get_catalog
from geo.tilegrid import tilegrid_features
from layouts.components.export import export_bar
from layouts.figures import Measure
from layouts.text.format import shown_param
from layouts.text.i18n import t
from layouts.views.overview import create_overview
from layouts.views.page_parts import OVERALL, show_choices
from pages._frame import PageState, as_of_line, card_notices, page, page_frame
from pages._titles import page_title

dash.register_page(__name__, path="/", title=page_title("overview"), name="overview")


@page("/")
def layout(state: PageState) -> html.Div:
    language, messages = state.language, state.messages
    engine = get_engine()
    view = state.view()
    selected, today = view.period, view.today
    catalog = get_catalog()
    kpis = catalog.by_id()
    choices = show_choices(catalog, language)
    show_value = state.choice("show", choices, OVERALL)

    if show_value.startswith("kpi:"):
        kpi = kpis[show_value[4:]]
        measure = Measure.kpi_value(kpi)
        provinces = map_values(engine, kpi.id, "province", None, selected, today=today)
    else:
        measure = Measure.goal_score(show_value)
        scores = province_goal_scores(engine, selected, today=today)
        provinces = every_province(engine, scores[scores["goal"] == show_value])
    geojson = boundaries(engine, "province")
    district_map = _district_map(engine, show_value, state.get("level"), selected, today, kpis, language, messages)
    is_tilegrid = not geojson["features"]
    if is_tilegrid:
        geojson = visible_features(tilegrid_features())
    national = goal_summary(engine, "TH", selected, today=today)
    national_card = scorecard(engine, "TH", selected, today=today)
    messages.extend(card_notices(national_card, state))

    state.keep(show=show_value if show_value != OVERALL else None, level="district" if district_map else None)
    body = create_overview(
        language=language,
        state=state.links,
        period_options=view.options,
        period_value=view.value,
        show_options=list(choices.items()),
        show_value=show_value,
        measure=measure,
        provinces=provinces.reset_index(drop=True),
        geojson=geojson,
        is_tilegrid=is_tilegrid,
        national_goals=national,
        clusters=clusters(engine),
        as_of_text=as_of_line(state, national_card),
        messages=messages,
        district_map=district_map,
        counts=shown_counts(engine),
    )
    body = html.Div([export_bar("national", None, view.url_value, language), body])
    return page_frame(state, body, demo=shows_demo(national, provinces), keyed=False)


def _district_map(
    engine, show_value: str, level: str | None, selected, today, kpis: dict, language: str, messages: list[str]
) -> tuple[pd.DataFrame, dict] | None:
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


def shown_counts(engine) -> dict:
    """How many provinces and districts the viewer may see (77 and 928 for the whole country), and
    the code of the province (`place`) when there is one only."""
    table = areas(engine)
    provinces = table.index[table["level"] == "province"]
    return {
        "province": len(provinces),
        "district": int((table["level"] == "district").sum()),
        "place": str(provinces[0]) if len(provinces) == 1 else None,
    }


def every_province(engine, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame`'s rows for the 77 provinces, those without data included (grey on the map, listed
    as without data), as `map_values` gives them for a KPI."""
    table = areas(engine)
    provinces = table[table["level"] == "province"][["code", "name_th", "name_en"]].rename(
        columns={"code": "area_code"}
    )
    merged = provinces.merge(frame.drop(columns=["name_th", "name_en"], errors="ignore"), on="area_code", how="left")
    merged["status"] = merged["status"].fillna("no_data") if "status" in merged else "no_data"
    return merged.reset_index(drop=True)
