"""/district/<code> — one district: its KPIs published by district or subdistrict, and a
subdistrict map of one KPI. State lives in the URL: ?lang=en&period=2569&kpi=tpmap_poor_per_1000."""

from __future__ import annotations

import dash
from dash import html

from data.query import DISTRICT_LEVELS, areas, breadcrumb, clusters, get_engine, scorecard, shows_demo
from data.rules.areas import area_name
from data.rules.catalog import get_catalog
from layouts.text.format import breadcrumb_links, href
from layouts.text.i18n import t
from layouts.views.district import create_district_page, district_kpi_card, district_not_found, subdistrict_section
from pages._frame import PageState, as_of_line, card_notices, check_area, kpi_map, page, page_frame
from pages._ranking import ranking_view
from pages._titles import area_named, page_title

dash.register_page(
    __name__, path_template="/district/<code>", title=page_title("tab_district", area_named), name="district"
)


@page("/district/{code}")
def layout(state: PageState) -> html.Div:
    code, language, messages = state.code("code"), state.language, state.messages
    engine = get_engine()
    view = state.view()
    check_area(code)
    table = areas(engine)
    if code not in table.index or table.loc[code, "level"] != "district":
        return page_frame(state, district_not_found(code, language))

    province_code = str(table.loc[code, "province_code"])
    card = scorecard(engine, code, view.period, today=view.today)
    messages.extend(card_notices(card, state))
    published = card["finest_level"].isin(DISTRICT_LEVELS)
    province_link = href(f"/province/{province_code}", state.links)
    subdistricts, frame = _subdistrict_map(state, code)
    district_name = area_name(table.loc[code], language)
    title = (
        district_name
        if (language != "en" and district_name.startswith("เขต"))
        else t("district_of", language).format(name=district_name)
    )
    body = create_district_page(
        language=language,
        chain=_chain(engine, code, state.links, language),
        title=title,
        period_options=view.options,
        period_value=view.value,
        as_of_text=as_of_line(state, card),
        messages=messages,
        kpis=district_kpi_card(
            card[published],
            province_only=int((~published).sum()),
            province_name=area_name(table.loc[province_code], language),
            province_link=province_link,
            language=language,
            state=state.links,
            area_code=code,
        ),
        subdistricts=subdistricts,
        area_code=code,
    )
    return page_frame(state, body, demo=shows_demo(card, frame))


def _subdistrict_map(state: PageState, code: str):
    """The subdistrict map of a district: `?kpi=` when published by subdistrict, else the first
    scored KPI so published; with the frame it maps."""
    mappable = [k for k in get_catalog().kpis if k.finest_level == "subdistrict"]
    shown = kpi_map(state, mappable, _first_scored(mappable), "subdistrict", code)
    section = subdistrict_section(
        frame=shown.frame,
        geojson=shown.geojson,
        measure=shown.measure,
        language=state.language,
        kpi_value=shown.kpi,
        default_kpi=shown.default,
        kpi_options=shown.options,
        ranking=ranking_view(state),
    )
    return section, shown.frame


def _first_scored(kpis) -> str | None:
    scored = [k.id for k in kpis if k.scored]
    return scored[0] if scored else (kpis[0].id if kpis else None)


def _chain(engine, code: str, state: dict, language: str) -> list[tuple[str, str | None]]:
    numbers = dict(zip(clusters(engine)["code"], clusters(engine)["number"]))
    return breadcrumb_links(breadcrumb(engine, code), numbers, code, state, language)
