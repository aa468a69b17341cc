"""Every view on any store a POC may really have (property-based, hypothesis).

Each example writes a random store cut from a plausible history (FY 2556 to Oct 2026): a random
subset of KPIs (none at all included), of provinces (one, a few, or all), of fiscal years (old
ones only, gaps), with or without district rows, less a random share of its rows. On it, every
page layout (Thai and English, latest and a past period), the wall's data, the KPI downloads and
the three ESRs' content and markup are built, and:

- nothing raises, and no page shows a traceback or an unexpected error;
- every value the province scorecard shows equals the store's: the newest value of that KPI
  and province up to the period shown, written as the page writes numbers;
- the period shown is one the store holds (never after the data or today), the selector
  offers every fiscal year the store holds, and page, wall, ESR and download agree on it;
- a store (or an area) without data says so, in words.
"""

from __future__ import annotations

import importlib
import json
import re
from html import unescape

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from data.query import held_periods, resolve_period, scorecard
from data.rules.catalog import get_catalog
from data.rules.periods import Period, newest_held, thai_today
from data.store.engine import get_engine, make_engine
from data.store.frames import HISTORY_YEARS_BY_TYPE, cutoff_period
from helpers import dash_app, find, reset_caches, texts, unbroken
from layouts.text.i18n import format_value
from stores import FIRST_YEAR, LAST_YEAR, cut, initialise, postgres_database, source, write_store

CATALOG_IDS = [k.id for k in get_catalog().kpis]
PROVINCES = ["10", "11", "30", "50", "51", "52", "58", "65", "83", "96"]
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 2))
BROKEN = (r"Traceback", r"KeyError", r"ValueError", r"\bNaN\b", r"\bnan\b", r"\bNone\b(?! of)", r"\bNaT\b")

shapes = st.fixed_dictionaries(
    {
        "kpis": st.one_of(st.none(), st.lists(st.sampled_from(CATALOG_IDS), max_size=8, unique=True)),
        "provinces": st.one_of(st.none(), st.lists(st.sampled_from(PROVINCES), min_size=1, max_size=4, unique=True)),
        "years": st.one_of(st.none(), st.lists(st.sampled_from(YEARS), min_size=1, max_size=4, unique=True)),
        "districts": st.booleans(),
        "drop_fraction": st.sampled_from([0.0, 0.3, 0.8]),
        "seed": st.integers(0, 1000),
    }
)
EMPTY = {"kpis": [], "provinces": None, "years": None, "districts": True, "drop_fraction": 0.0, "seed": 0}
REAL_DATA = {
    "kpis": ["gpp_per_capita", "poverty_headcount_ratio", "road_deaths_per_100k", "forest_cover_pct"],
    "provinces": None,
    "years": list(range(2556, 2566)),
    "districts": False,
    "drop_fraction": 0.0,
    "seed": 0,
}
ONE_PROVINCE = {
    "kpis": None,
    "provinces": ["52"],
    "years": [2567, 2568],
    "districts": False,
    "drop_fraction": 0.3,
    "seed": 1,
}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request, tmp_path_factory, catalog):
    """An initialised store the app serves; each example rewrites its values."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('any') / 'poc.sqlite'}"
        databases = None
    else:
        databases = postgres_database()
        url = next(databases)
    engine = initialise(make_engine(url), catalog)
    history = source(engine, catalog)
    engine.dispose()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        reset_caches()
        dash_app()
        HISTORY[request.param] = history
        yield request.param
    get_engine().dispose()
    reset_caches()
    if databases is not None:
        next(databases, None)


HISTORY: dict[str, pd.DataFrame] = {}  # kept apart from the test's arguments, which hypothesis prints


def page(module: str, **kwargs):
    return importlib.import_module(f"pages.{module}").layout(**kwargs)


def table_values(layout) -> dict[str, str]:
    """KPI id -> the value text of its row in the scorecard's table."""
    markup = unbroken("".join(c.children for c in _find_all(layout, "kpi-table")))  # its texts whole
    rows = re.findall(r'data-kpi="([^"]+)"><td>.*?</td><td class="num"><div class="fw-semibold">([^<]*)</div>', markup)
    return {kpi: unescape(text) for kpi, text in rows}


def _find_all(node, component_id):
    return find(node, lambda c: getattr(c, "id", None) == component_id)


def expected_latest(frame: pd.DataFrame, code: str, as_of) -> dict[str, float]:
    """The store's newest value per KPI of area `code` that ended by `as_of`, within each
    period type's history window (the query layer's rule, computed here from the raw rows)."""
    rows = frame[frame["area_code"] == code]
    out: dict[str, float] = {}
    for kpi_id, group in rows.groupby("kpi_id"):
        kind = str(group["period_type"].iloc[0])
        cutoff = cutoff_period(kind, as_of)
        first = cutoff.fiscal_year - HISTORY_YEARS_BY_TYPE[kind]
        keys = group["fiscal_year"] * 100 + group["period_no"]
        inside = group[(group["fiscal_year"] >= first) & (keys <= cutoff.fiscal_year * 100 + cutoff.period_no)]
        if not inside.empty:
            newest = inside.loc[(inside["fiscal_year"] * 100 + inside["period_no"]).idxmax()]
            out[kpi_id] = float(newest["value"])
    return out


def no_errors(text: str, where: str) -> None:
    for pattern in BROKEN:
        found = re.search(pattern, text)
        assert not found, f"{where}: {text[max(0, found.start() - 80) : found.end() + 40]!r}"


@pytest.mark.slow  # hypothesis on whole stores: about 1.5 min on SQLite and 1 min on PostgreSQL
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(shape=shapes)
@example(shape=EMPTY)
@example(shape=REAL_DATA)
@example(shape=ONE_PROVINCE)
def test_any001_every_view_renders_and_tells_the_truth_on_any_store(any_store, shape):
    backend = any_store
    frame = cut(HISTORY[backend], **shape)
    engine = get_engine()
    write_store(engine, get_catalog(), frame)
    held = held_periods(engine)
    today = thai_today()
    latest = newest_held(held, today=today)

    # the periods: every held period ends by today; every fiscal year of the data is offered
    assert latest is None or (latest in held and latest.end <= today)
    years_in_store = {int(y) for y in frame["fiscal_year"].unique()} if len(frame) else set()
    offered = page("overview")
    options = [
        o for c in _find_all(offered, {"type": "url-param", "name": "period", "default": "latest"}) for o in c.options
    ]
    offered_years = {int(o["value"]) for o in options if str(o["value"]).isdigit()}
    assert offered_years == {y for y in years_in_store if Period.year(y).start <= today}
    province = shape["provinces"][0] if shape["provinces"] else "50"
    cluster = str(_cluster_number(engine, province) or 1)  # Bangkok is in no cluster

    past = sorted(p for p in held if p.period_type == "Y")[:1]
    for language in ("th", "en"):
        for period in [None, *(str(p.fiscal_year) for p in past)]:
            kwargs = {"lang": language, "period": period}
            for module, extra in (
                ("overview", {}),
                ("province", {"code": province}),
                ("cluster", {"number": cluster}),
                ("district", {"code": "5001"}),
                ("data", {}),
                ("kpi", {"kpi_id": (shape["kpis"] or CATALOG_IDS)[0]}),
            ):
                layout = page(module, **{**kwargs, **extra})
                text = texts(layout)
                no_errors(text, f"{backend} {module} {kwargs}")
                if module == "province":
                    _check_province(layout, text, engine, frame, province, period, held, language)
                if not len(frame) and module in ("overview", "province", "cluster"):
                    assert ("ยังไม่มีข้อมูลตัวชี้วัดในระบบ" if language == "th" else "The store holds no KPI values yet") in text

    _check_wall_downloads_and_reports(engine, province, cluster, latest, shape)


def _cluster_number(engine, province: str) -> int | None:
    from data.query import areas, clusters

    code = areas(engine).loc[province, "cluster_code"]
    table = clusters(engine)
    match = table[table["code"] == code]
    return int(match["number"].iloc[0]) if not match.empty else None


def _check_province(layout, text, engine, frame, province, period, held, language):
    requested = Period.year(int(period)) if period else None
    shown, judged = resolve_period(engine, requested)
    if shown is None:
        return
    assert shown in held and shown.end <= thai_today()
    expected = expected_latest(frame, province, shown.end)
    values = table_values(layout)
    card = scorecard(engine, province, shown, today=judged).set_index("kpi_id")
    kpis = get_catalog().by_id()
    for kpi_id, value in expected.items():
        kpi = kpis[kpi_id]
        assert card.loc[kpi_id, "value"] == pytest.approx(value), (
            f"{kpi_id}: store {value}, card {card.loc[kpi_id, 'value']}"
        )
        unit = kpi.unit.en if language == "en" else kpi.unit.th
        assert values[kpi_id] == format_value(value, kpi.decimals, unit), kpi_id
    label = shown.label(language)
    newest_shown = [k for k in expected]
    if newest_shown:
        assert ("ข้อมูลถึง " if language == "th" else "Data to ") in text
    else:
        assert label in text  # "no data for this area up to <period>" names the period


def _check_wall_downloads_and_reports(engine, province, cluster, latest, shape):
    from callbacks.kpi_download import download_csv
    from reports.content import EsrRequest, build_esr
    from reports.sections import report_body
    from reports.xlsx import workbook

    client = dash_app().server.test_client()
    for query in (f"province={province}", f"cluster={cluster}", ""):
        response = client.get(f"/wall/data?{query}")
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        payload = response.get_json()
        assert payload["ok"]
        no_errors(json.dumps(payload, ensure_ascii=False), f"wall {query}")
        if latest is not None:
            assert payload["as_of"].startswith("ข้อมูลถึง ")

    kpi_id = (shape["kpis"] or CATALOG_IDS)[0]
    csv = download_csv(1, {"kpi": kpi_id, "area": province, "period": "latest", "lang": "th"})
    assert csv and csv["filename"].endswith(".csv") and "/" not in csv["filename"]

    for kind, code in (("province", province), ("cluster", cluster), ("national", None)):
        for language in ("th", "en"):
            report = build_esr(engine, EsrRequest(kind, code, None, language))
            body, _figures = report_body(report)
            no_errors(unescape(re.sub(r"<[^>]+>", " ", body)), f"ESR {kind} {language}")
            assert workbook(report)[:2] == b"PK"
            if latest is not None:  # the report reads the period the pages call latest
                assert report.period_label == latest.label(language)
                page_card = scorecard(engine, report.area_code, latest, today=thai_today())
                merged = report.card[["kpi_id", "value"]].merge(page_card[["kpi_id", "value"]], on="kpi_id")
                assert merged["value_x"].fillna(-1).tolist() == pytest.approx(merged["value_y"].fillna(-1).tolist())
