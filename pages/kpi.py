"""/kpi/<id> — one KPI: definition, its series for an area, and the distribution across
provinces (or the districts of a province). State lives in the URL: ?lang=en&area=50&period=2569."""

from __future__ import annotations

from urllib.parse import unquote, urlencode

import dash
from dash import html

import callbacks.kpi_download  # noqa: F401  (registers the download callbacks)
import callbacks.navigation  # noqa: F401  (registers the URL callbacks)
from callbacks.kpi_download import distribution
from data.rules.catalog import get_catalog
from data.store.engine import get_engine
from data.query import areas, series
from layouts.format import shown_param
from layouts.i18n import normalise_language, t
from layouts.kpi import create_kpi_page, distribution_frame, kpi_not_found
from layouts.shell import create_header, demo_banner
from pages._common import as_of_line, guarded, view_period
from settings import get_settings

dash.register_page(__name__, path_template="/kpi/<kpi_id>", title="ตัวชี้วัด · ศูนย์ปฏิบัติการจังหวัด", name="kpi")

COUNTRY = "TH"


@guarded("/kpi/{kpi_id}")
def layout(kpi_id: str | None = None, lang: str | None = None, area: str | None = None, period: str | None = None,
           **_query) -> html.Div:
    return _kpi(str(kpi_id or ""), lang, area, period)


def _kpi(kpi_id: str, lang: str | None, area: str | None, period: str | None) -> html.Div:
    language = normalise_language(lang, get_settings().language)
    messages: list[str] = []
    path = f"/kpi/{kpi_id}"
    kpis = get_catalog().by_id()
    if kpi_id not in kpis:
        return _page(language, path, {}, kpi_not_found(shown_param(unquote(kpi_id)), language), is_demo=False)
    kpi = kpis[kpi_id]

    engine = get_engine()
    view = view_period(engine, period, language, messages)
    table = areas(engine)
    known = table[table["level"].isin(("country", "province", "district", "subdistrict"))]
    area_code = area if isinstance(area, str) and area else COUNTRY
    if area_code not in known.index:
        messages.append(t("bad_param", language).format(value=shown_param(area), name="area"))
        area_code = COUNTRY
    state = {"lang": language, "area": None if area_code == COUNTRY else area_code,
             "period": view.url_value}
    name_column = "name_en" if language == "en" else "name_th"

    history = series(engine, kpi_id, area_code)
    options = [(COUNTRY, t("country", language))] + [
        (code, name) for code, name in sorted(zip(known.index[known.level == "province"],
                                                  known[name_column][known.level == "province"]), key=lambda p: p[1])]
    if area_code not in dict(options):
        options.append((area_code, known.loc[area_code, name_column]))
    area_name = t("country", language) if area_code == COUNTRY else known.loc[area_code, name_column]

    frame, level, parent = distribution(engine, kpi, area_code, view.selected)  # as its download reads it
    shown = distribution_frame(frame, kpi, language)
    link_state = {"lang": language, "period": state["period"]}
    if level == "district":
        title = f"{t('across_districts', language)} · {table.loc[parent, name_column]}"
        area_path = "/district"
    else:
        title, area_path = t("across_provinces", language), "/province"
    body = create_kpi_page(
        kpi=kpi, kpis=kpis, language=language, period_options=view.options, period_value=view.value,
        as_of_text=as_of_line(engine, view, frame if frame["value"].notna().any() else None, language), messages=messages,
        series=dict(series=history, area_options=options, area_value=area_code, area_name=area_name),
        distribution=dict(table=shown, frame=frame, state=link_state, title=title, area_path=area_path,
                          download_state={"kpi": kpi_id, "area": area_code, "period": view.value, "lang": language}))
    is_demo = bool(history.get("is_demo", []).fillna(False).any()) if not history.empty else False
    is_demo = is_demo or bool(frame.get("is_demo", frame.index.to_series()).fillna(False).astype(bool).any()) \
        if "is_demo" in frame else is_demo
    return _page(language, path, state, body, is_demo=is_demo)


def _page(language: str, path: str, state: dict, body, *, is_demo: bool) -> html.Div:
    query = urlencode([(k, v) for k, v in state.items() if k != "lang" and v], safe=":")
    return html.Div([
        create_header(language, path, query),
        html.Div([demo_banner(language) if is_demo else None, body], className="container-fluid px-4"),
    ], lang=language, key=f"{path}?{language}&{query}")
