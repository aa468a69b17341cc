"""Colours a reader must be able to read (WCAG 2.1 AA, 1.4.3: 4.5:1 for text): every status,
freshness and trend badge (its word on its fill), every goal chip (white on the goal's colour) on
the pages, the wall in both themes and the ESR, all from layouts.theme; and the rules of the
stylesheets that colour text. The browser tests (tests/browser/test_accessibility_browser.py) run
axe-core on the pages as drawn; this checks the palette itself, every colour of it, wherever used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layouts import theme

ROOT = Path(__file__).resolve().parents[1]
AA_TEXT = 4.5


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of "#rrggbb"."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_acc001_the_contrast_formula_is_wcags():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-too-light grey
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@given(st.from_regex(r"#[0-9a-f]{6}", fullmatch=True), st.from_regex(r"#[0-9a-f]{6}", fullmatch=True))
def test_acc002_contrast_is_symmetric_and_between_1_and_21(one, other):
    ratio = contrast(one, other)
    assert ratio == pytest.approx(contrast(other, one))
    assert 1.0 <= ratio <= 21.0 + 1e-9


@pytest.mark.parametrize(
    "table", ["STATUS_COLOURS", "FRESHNESS_COLOURS", "TREND_COLOURS"], ids=["status", "freshness", "trend"]
)
def test_acc003_every_badge_word_is_readable_on_its_fill(table):
    weak = {
        name: round(contrast(fill, text), 2)
        for name, (fill, text) in getattr(theme, table).items()
        if contrast(fill, text) < AA_TEXT
    }
    assert not weak, f"{table}: below {AA_TEXT}:1 {weak}"


def test_acc004_every_badge_the_pages_draw_takes_its_colours_from_the_theme():
    """The badges (layouts.text.format) are the theme's pairs, so the check above is of what is drawn."""
    from layouts.text import format as fmt

    badges = [*fmt.STATUS.values(), *fmt.FRESHNESS.values(), *fmt.TREND.values()]
    pairs = {(badge.colour, badge.text_colour) for badge in badges}
    themed = {*theme.STATUS_COLOURS.values(), *theme.FRESHNESS_COLOURS.values(), *theme.TREND_COLOURS.values()}
    assert pairs <= themed, pairs - themed
    assert all(contrast(*pair) >= AA_TEXT for pair in pairs)


@pytest.mark.parametrize("goal", sorted(theme.GOAL_COLOURS))
def test_acc005_a_goal_chip_is_readable_white_on_its_colour(goal):
    colour = theme.GOAL_COLOURS[goal]
    assert contrast(colour, theme.WHITE) >= AA_TEXT, f"{goal} {colour}: {contrast(colour, theme.WHITE):.2f}:1"
    assert contrast(theme.WALL_CHIP, theme.WHITE) >= AA_TEXT


def test_acc006_the_wall_text_is_readable_in_both_themes():
    css = (ROOT / "assets" / "wall.css").read_text(encoding="utf-8")
    themes = re.findall(
        r"--wall-card:\s*(#[0-9a-fA-F]{6});\s*--wall-fg:\s*(#[0-9a-fA-F]{6});\s*--wall-muted:\s*(#[0-9a-fA-F]{6})", css
    )
    assert len(themes) == 2, "the wall's light and dark themes"
    for card, text, muted in themes:
        assert contrast(card, text) >= AA_TEXT and contrast(card, muted) >= AA_TEXT, (card, text, muted)


def test_acc007_the_stylesheets_muted_texts_and_links_are_readable():
    """The page's own rules for text on its background (#f5f6f8) and on white cards."""
    css = (ROOT / "assets" / "poc.css").read_text(encoding="utf-8")
    background = re.search(r"body \{[^}]*background: (#[0-9a-f]{6})", css).group(1)
    for variable in ("--bs-link-color", "--bs-secondary-color", "--bs-danger", "--bs-primary"):
        colour = re.search(rf"{variable}: (#[0-9a-f]{{6}})", css).group(1)
        for under in (background, "#ffffff"):
            assert contrast(colour, under) >= AA_TEXT, f"{variable} {colour} on {under}: {contrast(colour, under):.2f}"
    muted = re.search(r"\.text-muted \{ color: (#[0-9a-f]{6})", css).group(1)
    assert contrast(muted, background) >= AA_TEXT
    # white words on the header's blue
    assert contrast(theme.WHITE, re.search(r"--bs-primary: (#[0-9a-f]{6})", css).group(1)) >= AA_TEXT


# =========================================================================== language and tab title

PAGE_TITLES = [  # path, language, the tab title a reader sees
    ("/", "th", "ภาพรวมประเทศ · ศูนย์ปฏิบัติการจังหวัด"),
    ("/", "en", "Overview · Provincial Operation Center"),
    ("/province/50", "th", "จังหวัดเชียงใหม่ · รายงานจังหวัด · ศูนย์ปฏิบัติการจังหวัด"),
    ("/province/50", "en", "Chiang Mai province · Province scorecard · Provincial Operation Center"),
    ("/district/1001", "th", "เขตพระนคร · รายงานเขต · ศูนย์ปฏิบัติการจังหวัด"),
    ("/district/5001", "th", "เมืองเชียงใหม่ · รายงานอำเภอ · ศูนย์ปฏิบัติการจังหวัด"),
    ("/cluster/1", "en", "Upper North 1 cluster · Cluster · Provincial Operation Center"),
    (
        "/kpi/road_deaths_per_100k",
        "en",
        "Road-traffic deaths per 100,000 population · KPI · Provincial Operation Center",
    ),
    ("/province/99", "en", "Province scorecard · Provincial Operation Center"),
    ("/data", "en", "Data status · Provincial Operation Center"),
]


@pytest.mark.parametrize(("path", "language", "title"), PAGE_TITLES)
def test_acc008_the_first_html_of_a_page_says_its_language_and_titles_it_in_that_language(
    demo_store, path, language, title
):
    from helpers import dash_app

    html = dash_app().server.test_client().get(f"{path}?lang={language}").get_data(as_text=True)
    assert f'<html lang="{language}">' in html
    assert f"<title>{title}</title>" in html
    assert "<footer" not in html  # Dash's scripts are no "contentinfo" landmark of their own


@pytest.mark.parametrize(("path", "language", "title"), PAGE_TITLES)
def test_acc009_a_move_inside_the_app_titles_the_page_in_the_view_language(demo_store, path, language, title):
    """Dash's router sets the tab title after each move inside the app (no new HTML)."""
    from helpers import dash_app, router_payload

    client = dash_app().server.test_client()
    search = "" if language == "th" else f"?lang={language}"
    answer = client.post("/_dash-update-component", json=router_payload(path, search)).get_json()
    assert answer["response"]["_pages_store"]["data"]["title"] == title


def test_acc010_a_tab_title_never_names_an_area_outside_the_viewer_scope(demo_store):
    """A Chiang Mai viewer moving to Lamphun's page: the title is the page's kind, not Lamphun."""
    import re as regex

    from data.store.engine import get_engine
    from helpers import dash_app, ensure_account, router_payload

    ensure_account(get_engine(), "cm_title_viewer", "viewer", ["50"], "harness-password-1")
    client = dash_app().server.test_client()
    client.environ_base["HTTP_X_HARNESS_ANONYMOUS"] = "1"  # only the session signed in below
    form = client.get("/login").get_data(as_text=True)
    token = regex.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    signed = client.post(
        "/login",
        data={"username": "cm_title_viewer", "password": "harness-password-1", "csrf_token": token, "next": "/"},
    )
    assert signed.status_code in (302, 303)
    csrf = {"X-CSRFToken": client.get_cookie("_csrf_token").value}

    def title(path: str) -> str:
        answer = client.post("/_dash-update-component", json=router_payload(path), headers=csrf)
        assert answer.status_code == 200, answer.status_code
        return answer.get_json()["response"]["_pages_store"]["data"]["title"]

    assert title("/province/51") == "รายงานจังหวัด · ศูนย์ปฏิบัติการจังหวัด"
    assert title("/district/5101") == "รายงานอำเภอ · ศูนย์ปฏิบัติการจังหวัด"
    assert title("/province/50").startswith("จังหวัดเชียงใหม่")


def test_acc011_a_trend_word_on_the_wall_is_readable_on_both_themes_cards():
    css = (ROOT / "assets" / "wall.css").read_text(encoding="utf-8")
    cards = dict(re.findall(r"\.wall-(light|dark) \{[^}]*--wall-card: (#[0-9a-f]{6})", css))
    words = re.findall(r'\.wall-(light|dark) \.wall-trend-word\[data-trend="(\w+)"\] \{ color: (#[0-9a-f]{6}); \}', css)
    assert {(themed, trend) for themed, trend, _ in words} == {
        (themed, trend) for themed in ("light", "dark") for trend in ("improving", "worsening")
    }
    for themed, trend, colour in words:
        assert contrast(colour, cards[themed]) >= AA_TEXT, (themed, trend, colour)
