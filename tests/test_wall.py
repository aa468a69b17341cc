"""The wall screen without a browser: its URL configuration, its frame, and `/wall/data` on a
small demo store (through the Flask test client), asserting on the words and numbers a viewer
would read. The browser side (rotation, stale badge, fitting the screen) is in
tests/browser/test_wall.py."""

from __future__ import annotations

import json
import re
from html import unescape
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from data.query import goal_summary, scorecard
from data.store.engine import get_engine
from helpers import dash_app, find, reset_caches
from layouts.text.format import format_score
from layouts.views.wall import SLIDES, create_wall, read_wall_config
from layouts.views.wall_slides import area_hotspots, exceptions_slide, off_target
from settings import Settings

KPI_IDS = frozenset(
    {
        "road_deaths_per_100k",
        "gpp_per_capita",
        "dengue_per_100k",
        "poverty_headcount_ratio",
        "budget_disbursement_vs_target",
        "damrongdhama_resolved_pct",
    }
)


def settings(**overrides) -> SimpleNamespace:
    base = Settings()
    values = {name: getattr(base, name) for name in Settings.model_fields}
    values.update(language="th", **overrides)
    return SimpleNamespace(**values)


def words(markup: str) -> str:
    return " ".join(unescape(part).strip() for part in re.split(r"<[^>]+>", markup) if part.strip())


# =========================================================================== configuration


def test_wal001_defaults_come_from_the_settings():
    config = read_wall_config(
        {}, settings(wall_slides="map,goals", wall_interval=15, wall_refresh=2, wall_theme="dark"), KPI_IDS
    )
    assert config.scope == "country" and config.code is None
    assert config.slides == ("map", "goals")
    assert (config.interval_ms, config.refresh_ms, config.theme, config.language) == (15_000, 120_000, "dark", "th")
    assert config.map_kpi == "road_deaths_per_100k"
    assert config.trend_kpis == (
        "gpp_per_capita",
        "poverty_headcount_ratio",
        "budget_disbursement_vs_target",
        "damrongdhama_resolved_pct",
    )
    assert not config.messages


def test_wal002_the_url_overrides_the_settings():
    config = read_wall_config(
        {
            "province": "50",
            "slides": "exceptions,map",
            "interval": "30",
            "refresh": "1",
            "lang": "en",
            "theme": "dark",
            "kpi": "dengue_per_100k",
            "trends": "gpp_per_capita,dengue_per_100k",
        },
        settings(),
        KPI_IDS,
    )
    assert (config.scope, config.code, config.language, config.theme) == ("province", "50", "en", "dark")
    assert config.slides == ("exceptions", "map")
    assert (config.interval_ms, config.refresh_ms) == (30_000, 60_000)
    assert config.map_kpi == "dengue_per_100k" and config.trend_kpis == ("gpp_per_capita", "dengue_per_100k")
    assert "province=50" in config.data_query() and "lang=en" in config.data_query()
    fast = read_wall_config({"cluster": "1", "interval_ms": "25", "refresh_ms": "500"}, settings(), KPI_IDS)
    assert (fast.scope, fast.code, fast.interval_ms, fast.refresh_ms, fast.retry_ms) == ("cluster", "1", 25, 500, 500)


def test_wal003_wrong_values_are_named_and_the_defaults_used():
    config = read_wall_config(
        {
            "slides": "goals,weather",
            "interval": "soon",
            "theme": "neon",
            "kpi": "nope",
            "trends": "gpp_per_capita,unknown_kpi",
        },
        settings(),
        KPI_IDS,
    )
    assert config.slides == ("goals",)
    assert config.interval_ms == 20_000 and config.theme == "light" and config.map_kpi == "road_deaths_per_100k"
    assert config.trend_kpis == ("gpp_per_capita",)
    text = " ".join(config.messages)
    assert "ไม่รู้จักสไลด์ “weather”" in text and "“soon”" in text and "“neon”" in text
    assert "ไม่มีตัวชี้วัดรหัส “nope”" in text and "“unknown_kpi”" in text
    assert read_wall_config({"slides": "weather"}, settings(), KPI_IDS).slides == SLIDES  # nothing left: all


def test_wal004_the_frame_has_one_section_and_one_dot_per_slide_and_the_client_configuration():
    config = read_wall_config(
        {"province": "50", "slides": "goals,map,trends", "interval_ms": "50"}, settings(), KPI_IDS
    )
    frame = create_wall(config)
    client = json.loads(getattr(frame, "data-config"))
    assert client["dataUrl"].startswith("/wall/data?") and "province=50" in client["dataUrl"]
    assert client["slides"] == ["goals", "map", "trends"] and client["intervalMs"] == 50
    assert client["months"][10] == "พ.ย." and client["yearOffset"] == 543  # Buddhist Era in Thai
    assert client["words"]["wall_stale_since"] == "ข้อมูลไม่อัปเดต ตั้งแต่ {time}"
    sections = find(frame, lambda c: "wall-slide" in (getattr(c, "className", "") or "").split())
    dots = find(frame, lambda c: "wall-dot" in (getattr(c, "className", "") or "").split())
    assert [getattr(s, "data-slide") for s in sections] == ["goals", "map", "trends"] and len(dots) == 3
    english = create_wall(read_wall_config({"lang": "en", "theme": "dark"}, settings(), KPI_IDS))
    assert english.className == "wall wall-dark" and json.loads(getattr(english, "data-config"))["yearOffset"] == 0


# =========================================================================== slide layouts


def card_frame() -> pd.DataFrame:
    rows = []
    for kpi_id, score, status in (
        ("a", 1.4, "off_target"),
        ("b", 3.5, "on_target"),
        ("c", 1.0, "off_target"),
        ("d", 2.5, "watch"),
        ("e", np.nan, "no_data"),
    ):
        rows.append(
            dict(
                kpi_id=kpi_id,
                goal="G2",
                name_th=f"ตัวชี้วัด <{kpi_id}>",
                name_en=f"KPI {kpi_id}",
                unit_th="คน",
                unit_en="persons",
                decimals=0,
                scored=True,
                value=1234.0,
                target=1000.0,
                score=score,
                status=status,
                trend="worsening",
                trend_values=(1.0, 2.0, 3.0),
                owner_th="สำนักงานจังหวัด",
                owner_en="Provincial Office",
            )
        )
    return pd.DataFrame(rows)


def test_wal010_exceptions_are_the_off_target_kpis_worst_first_with_value_target_and_owner():
    card = card_frame()
    assert list(off_target(card)["kpi_id"]) == ["c", "a"]
    markup, figures = exceptions_slide(card, "th")
    assert figures == {}
    assert re.findall(r'data-kpi="([^"]+)"', markup) == ["c", "a"]
    text = words(markup)
    assert "ต่ำกว่าเป้าหมาย 2 จาก 4 ตัวชี้วัด" in text
    assert "ตัวชี้วัด <c>" in text and "<c>" not in markup  # names are escaped
    assert "1,234 คน" in text and "ค่าเป้าหมาย 1,000 คน" in text and "สำนักงานจังหวัด" in text and "แย่ลง" in text
    none = card.assign(status="on_target", score=4.0)
    assert "ไม่มีตัวชี้วัดที่ต่ำกว่าเป้าหมาย" in words(exceptions_slide(none, "th")[0])


def test_wal011_hotspots_rank_by_off_target_kpis_or_by_the_overall_score():
    values = pd.DataFrame(
        {
            "area_code": ["5001", "5001", "5002", "5002", "5003"],
            "kpi_id": ["x", "y", "x", "y", "x"],
            "score": [1.0, 1.5, 3.0, 1.2, np.nan],
            "status": ["off_target", "off_target", "on_target", "off_target", "no_data"],
        }
    )
    names = pd.DataFrame(
        {"name_th": ["เมือง", "จอมทอง", "แม่แจ่ม"], "name_en": ["Mueang", "Chom Thong", "Mae Chaem"]},
        index=["5001", "5002", "5003"],
    )
    kpi_names = {"x": ("ตัวชี้วัดเอ็กซ์", "KPI x"), "y": ("ตัวชี้วัดวาย", "KPI y")}
    ranked = area_hotspots(values, names, kpi_names)
    assert list(ranked["area_code"]) == ["5001", "5002"]  # an area without a score is not ranked
    assert list(ranked["off_target"]) == [2, 1] and ranked.loc[0, "worst_th"] == "ตัวชี้วัดเอ็กซ์"
    assert ranked.loc[1, "worst_en"] == "KPI y" and ranked.loc[0, "score"] == pytest.approx(1.25)
    by_overall = area_hotspots(values, names, kpi_names, pd.Series({"5001": 3.1, "5002": 2.2}))
    assert list(by_overall["area_code"]) == ["5002", "5001"]


# =========================================================================== /wall/data on a demo store


@pytest.fixture(scope="module")
def wall_store(demo_store):
    """The module's demo store and a test client of the app reading it."""
    return SimpleNamespace(url=demo_store, client=dash_app().server.test_client())


def test_wal020_a_province_wall_shows_its_goals_exceptions_map_trends_and_districts(wall_store):
    response = wall_store.client.get("/wall/data?province=50")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    payload = response.get_json()
    assert payload["ok"] and payload["area"] == "จังหวัดเชียงใหม่" and payload["demo"] is True
    # the data's newest period (the demo store runs to Oct 2026), not today
    assert payload["as_of"] == "ข้อมูลถึง ต.ค. 2569 (31 ต.ค. 2569)"
    assert payload["last_import"].startswith("นำเข้าล่าสุด ")
    slides = {s["name"]: s for s in payload["slides"]}
    assert [s["name"] for s in payload["slides"]] == list(SLIDES)
    assert slides["hotspots"]["title"] == "อำเภอที่ต้องเร่งรัด"

    engine = get_engine()
    goals = goal_summary(engine, "50").set_index("goal")
    goals_text = words(slides["goals"]["html"])
    assert "คะแนนรวม 6 เป้าหมาย" in goals_text and format_score(goals.loc["ALL", "score"]) in goals_text
    for goal in ("G1", "G6"):
        assert format_score(goals.loc[goal, "score"]) in goals_text
    worst = off_target(scorecard(engine, "50"))
    assert re.findall(r'data-kpi="([^"]+)"', slides["exceptions"]["html"])[:3] == list(worst["kpi_id"][:3])

    figure = slides["map"]["figures"]["map"]
    names = [name for trace in figure["data"] for name in trace.get("y", [])]
    assert "แม่ริม" in names  # Chiang Mai's districts, as bars until district boundaries are imported
    assert "อัตราการเสียชีวิตจากอุบัติเหตุทางถนน" in words(slides["map"]["html"])
    assert len(slides["trends"]["figures"]) == 4
    assert "ผลิตภัณฑ์มวลรวมจังหวัดต่อหัว" in words(slides["trends"]["html"])
    assert len(re.findall(r'data-area="50\d\d"', slides["hotspots"]["html"])) > 5


def test_wal021_cluster_and_national_walls_rank_provinces_and_english_works(wall_store):
    cluster = wall_store.client.get("/wall/data?cluster=1&lang=en&slides=hotspots,map").get_json()
    assert cluster["area"] == "Upper North 1 cluster"
    assert cluster["as_of"].startswith("Data to ") and [s["name"] for s in cluster["slides"]] == ["hotspots", "map"]
    assert cluster["slides"][0]["title"] == "Province hotspots"
    assert sorted(re.findall(r'data-area="(\d\d)"', cluster["slides"][0]["html"])) == ["50", "51", "52", "58"]
    # four provinces are a card each (not four huge tiles), with no figure to draw
    cards = re.findall(r'class="wall-area-card"[^>]*data-area="(\d\d)"', cluster["slides"][1]["html"])
    assert sorted(cards) == ["50", "51", "52", "58"] and cluster["slides"][1]["figures"] == {}
    assert "Chiang Mai" in words(cluster["slides"][1]["html"])
    national = wall_store.client.get("/wall/data?slides=goals").get_json()
    assert national["area"] == "ประเทศไทย" and national["demo"] is True


def test_wal022_the_signature_changes_only_when_what_is_shown_changes(wall_store):
    first = wall_store.client.get("/wall/data?province=50&slides=goals").get_json()
    again = wall_store.client.get("/wall/data?province=50&slides=goals").get_json()
    other = wall_store.client.get("/wall/data?province=51&slides=goals").get_json()
    assert first["signature"] == again["signature"] != other["signature"]


def test_wal023_an_unknown_area_is_a_clear_message_not_an_error(wall_store):
    response = wall_store.client.get("/wall/data?province=99")
    assert response.status_code == 404
    assert response.get_json() == {"ok": False, "fatal": True, "message": response.get_json()["message"]}
    assert "ไม่มีจังหวัดรหัส “99”" in response.get_json()["message"]
    assert (
        "There is no cluster number “40”"
        in wall_store.client.get("/wall/data?cluster=40&lang=en").get_json()["message"]
    )


def test_wal024_a_broken_store_answers_503_so_the_screen_keeps_its_last_data(wall_store, tmp_path, monkeypatch):
    empty = tmp_path / "empty.sqlite"
    empty.touch()  # a file with no tables: every query fails
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{empty}")
    reset_caches()
    try:
        response = wall_store.client.get("/wall/data?province=50")
        assert response.status_code == 503
        assert response.get_json() == {"ok": False, "message": "เชื่อมต่อคลังข้อมูลไม่ได้"}
    finally:
        monkeypatch.setenv("DATABASE_URL", wall_store.url)
        reset_caches()


def test_wal025_the_page_is_served_with_local_plotly(wall_store):
    assert wall_store.client.get("/wall?province=50").status_code == 200
    script = wall_store.client.get("/vendor/js/plotly-poc.min.js")
    assert script.status_code == 200 and b"plotly.js v" in script.data[:200]
    script.close()


def test_wal026_every_page_header_links_to_the_wall_screen_of_its_area():
    from layouts.components.shell import wall_href

    assert wall_href("/province/50", "th") == "/wall?lang=th&province=50"
    assert wall_href("/cluster/3", "en") == "/wall?lang=en&cluster=3"
    assert wall_href("/", "th") == wall_href("/data", "th") == "/wall?lang=th"


@pytest.mark.parametrize(
    "query, interval_ms, refresh_ms, said",
    [
        ({"refresh": "1e12"}, 20_000, 86_400_000, "ค่า “1e12” ของ refresh อยู่นอกช่วงที่ใช้ได้ — ใช้ 24 ชั่วโมง แทน"),
        ({"refresh_ms": "3000000000"}, 20_000, 86_400_000, "ใช้ 24 ชั่วโมง แทน"),  # past 2^31 ms a browser timer overflows
        ({"interval": "99999"}, 3_600_000, 300_000, "ค่า “99999” ของ interval อยู่นอกช่วงที่ใช้ได้ — ใช้ 1 ชั่วโมง แทน"),
        ({"interval_ms": "1"}, 10, 300_000, "ใช้ 10 มิลลิวินาที แทน"),
        ({"interval": "x" * 5000}, 20_000, 300_000, "ไม่เข้าใจค่า “" + "x" * 40 + "…” ของ interval"),
    ],
)
def test_wal040_refresh_and_interval_are_clamped_and_named_on_the_screen(query, interval_ms, refresh_ms, said):
    config = read_wall_config(query, settings(wall_interval=20, wall_refresh=5), KPI_IDS)
    assert (config.interval_ms, config.refresh_ms) == (interval_ms, refresh_ms)
    assert said in " ".join(config.messages)
    assert all(len(message) < 300 for message in config.messages)  # a huge value is not echoed whole


def test_wal020_list_settings_are_read_from_commas_and_checked_at_start(monkeypatch):
    """POC_WALL_SLIDES, POC_WALL_TREND_KPIS and POC_TRUSTED_PROXIES are lists, written with commas
    (or spaces); a slide the screen does not have stops start-up with its name, not a blank slide."""
    import pydantic

    monkeypatch.setenv("POC_WALL_SLIDES", "map, goals")
    monkeypatch.setenv("POC_TRUSTED_PROXIES", "10.0.0.0/24 127.0.0.2")
    read = Settings()
    assert read.wall_slides == ["map", "goals"] and read.trusted_proxies == ["10.0.0.0/24", "127.0.0.2"]
    config = read_wall_config({}, read, KPI_IDS)
    assert config.slides == ("map", "goals")
    monkeypatch.setenv("POC_WALL_SLIDES", "map,slideshow")
    with pytest.raises(pydantic.ValidationError, match="slideshow"):
        Settings()
