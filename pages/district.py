"""/district/<code> — one district: its KPIs published by district or subdistrict, and a
subdistrict map of one KPI. State lives in the URL: ?lang=en&period=2569&kpi=tpmap_poor_per_1000."""

from __future__ import annotations

from urllib.parse import unquote, urlencode

import dash
import pandas as pd
from dash import html

import callbacks.navigation  # noqa: F401  (registers the URL callbacks)
from data.rules.catalog import get_catalog
from data.store.engine import get_engine
from data.query import areas, boundaries, breadcrumb, clusters, map_values, scorecard
from layouts.district import create_district_page, district_kpi_card, district_not_found, subdistrict_section
from layouts.figures import Measure
from layouts.format import breadcrumb_links, href, shown_param
from layouts.i18n import normalise_language, t
from layouts.shell import create_header, demo_banner
from pages._common import as_of_line, card_notices, guarded, view_period
from settings import get_settings

dash.register_page(__name__, path_template="/district/<code>", title="รายงานอำเภอ · ศูนย์ปฏิบัติการจังหวัด",
                   name="district")

DISTRICT_LEVELS = ("district", "subdistrict")


@guarded("/district/{code}")
def layout(code: str | None = None, lang: str | None = None, period: str | None = None, kpi: str | None = None,
           **_query) -> html.Div:
    return _district(str(code or ""), lang, period, kpi)


def _district(code: str, lang: str | None, period: str | None, kpi: str | None) -> html.Div:
    language = normalise_language(lang, get_settings().language)
    messages: list[str] = []
    path = f"/district/{code}"
    engine = get_engine()
    view = view_period(engine, period, language, messages)
    selected, today = view.period, view.today
    state = {"lang": language, "period": view.url_value}
    table = areas(engine)
    if code not in table.index or table.loc[code, "level"] != "district":
        return _page(language, path, state, district_not_found(unquote(code), language), is_demo=False)

    catalog = get_catalog()
    kpis = catalog.by_id()
    name = "name_en" if language == "en" else "name_th"
    province_code = str(table.loc[code, "province_code"])
    card = scorecard(engine, code, selected, today=today)
    messages.extend(card_notices(card, view, language))
    published = card["finest_level"].isin(DISTRICT_LEVELS)
    province_link = href(f"/province/{province_code}", state)

    subdistrict_kpis = [k for k in catalog.kpis if k.finest_level == "subdistrict"]
    if kpi and kpi not in {k.id for k in subdistrict_kpis}:
        if kpi not in kpis:  # a KPI of the catalog published by district (e.g. from the province's map) is no error
            messages.append(t("bad_param", language).format(value=shown_param(kpi), name="kpi"))
        kpi = None
    default_kpi = _first_scored(subdistrict_kpis)
    state["kpi"] = kpi
    kpi = kpi or default_kpi
    measure, frame, geojson = None, pd.DataFrame(), None
    if kpi:
        measure = Measure.kpi_value(kpis[kpi])
        frame = map_values(engine, kpi, "subdistrict", code, selected, today=today)
        geojson = boundaries(engine, "subdistrict", parent_code=code)
    subdistricts = subdistrict_section(
        frame=frame, geojson=geojson, measure=measure, language=language, kpi_value=kpi, default_kpi=default_kpi,
        kpi_options=[(k.id, f"{k.goal} · {k.name.get(language)} ({k.unit.get(language)})") for k in subdistrict_kpis])

    district_name = table.loc[code, name]
    title = district_name if (language != "en" and district_name.startswith("เขต")) else \
        t("district_of", language).format(name=district_name)
    body = create_district_page(
        language=language, chain=_chain(engine, code, state, language), title=title,
        period_options=view.options, period_value=view.value,
        as_of_text=as_of_line(engine, view, card, language), messages=messages,
        kpis=district_kpi_card(card[published], province_only=int((~published).sum()),
                               province_name=table.loc[province_code, name], province_link=province_link,
                               language=language, state=state, area_code=code),
        subdistricts=subdistricts)
    is_demo = bool(card["is_demo"].any()) or bool(frame.get("is_demo", pd.Series(dtype=object)).fillna(False).astype(bool).any())
    return _page(language, path, state, body, is_demo=is_demo)


def _page(language: str, path: str, state: dict, body, *, is_demo: bool) -> html.Div:
    query = urlencode([(k, v) for k, v in state.items() if k != "lang" and v], safe=":")
    return html.Div([
        create_header(language, path, query),
        html.Div([demo_banner(language) if is_demo else None, body], className="container-fluid px-4"),
    ], lang=language, key=f"{path}?{language}&{query}")


def _first_scored(kpis) -> str | None:
    scored = [k.id for k in kpis if k.scored]
    return scored[0] if scored else (kpis[0].id if kpis else None)


def _chain(engine, code: str, state: dict, language: str) -> list[tuple[str, str | None]]:
    numbers = dict(zip(clusters(engine)["code"], clusters(engine)["number"]))
    return breadcrumb_links(breadcrumb(engine, code), numbers, code, state, language)
