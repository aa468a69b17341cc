"""/kpi/<id> — one KPI: definition, its series for an area, and the distribution across
provinces (or the districts of a province). State lives in the URL: ?lang=en&area=50&period=2569."""

from __future__ import annotations

import dash
from dash import html

from data.query import NotAllowed, areas, distribution, get_engine, series, shows_demo, viewer_scope
from data.rules.areas import COUNTRY_CODE as COUNTRY
from data.rules.areas import name_column
from data.rules.catalog import get_catalog
from layouts.text.format import shown_param
from layouts.text.i18n import t, t_at
from layouts.views.kpi import create_kpi_page, distribution_frame, kpi_not_found
from pages._frame import PageState, as_of_line, page, page_frame
from pages._ranking import ranking_view
from pages._titles import kpi_named, page_title

dash.register_page(__name__, path_template="/kpi/<kpi_id>", title=page_title("kpi", kpi_named), name="kpi")


@page("/kpi/{kpi_id}")
def layout(state: PageState) -> html.Div:
    kpi_id, language, messages = state.code("kpi_id"), state.language, state.messages
    kpis = get_catalog().by_id()
    if kpi_id not in kpis:
        return page_frame(state, kpi_not_found(shown_param(kpi_id), language))
    kpi = kpis[kpi_id]
    if not viewer_scope().shows_kpi(kpi):
        raise NotAllowed(kpi_id)

    engine = get_engine()
    view = state.view()
    table = areas(engine)
    known = table[table["level"].isin(("country", "province", "district", "subdistrict"))]
    area = state.get("area")
    area_code = area if area else COUNTRY
    if area_code not in known.index:
        state.refuse("area", area)
        area_code = COUNTRY
    state.kept = {"area": None if area_code == COUNTRY else area_code, "period": view.url_value}
    names = known[name_column(language)]

    history = series(engine, kpi_id, area_code)
    options = [(COUNTRY, t("country", language))] + [
        (code, name)
        for code, name in sorted(
            zip(known.index[known.level == "province"], names[known.level == "province"]), key=lambda p: p[1]
        )
    ]
    if area_code not in dict(options):
        options.append((area_code, names[area_code]))
    area_name = t("country", language) if area_code == COUNTRY else names[area_code]

    frame, level, parent = distribution(get_engine(), kpi, area_code, view.selected)  # as its download reads it
    shown = distribution_frame(frame, kpi, language)
    link_state = {"lang": language, "period": view.url_value}
    if level == "district":
        title = f"{t_at('across_districts', language, parent)} · {names[parent]}"  # เขต in Bangkok
        area_path = "/district"
    else:
        title, area_path = t("across_provinces", language), "/province"
    body = create_kpi_page(
        kpi=kpi,
        kpis=kpis,
        language=language,
        period_options=view.options,
        period_value=view.value,
        as_of_text=as_of_line(state, frame if frame["value"].notna().any() else None),
        messages=messages,
        series=dict(series=history, area_options=options, area_value=area_code, area_name=area_name),
        distribution=dict(
            table=shown,
            frame=frame,
            state=link_state,
            title=title,
            area_path=area_path,
            download_state={"kpi": kpi_id, "area": area_code, "period": view.value, "lang": language},
            ranking=ranking_view(state, area_code),
        ),
    )
    return page_frame(state, body, demo=shows_demo(history, frame))
