"""The Snapshot (PDF) in the browser: one click prints the page as the desktop user sees it, on A4
landscape, read back with poppler. Every column of the KPI table (its header on each page),
all six goals of the goal chart, no KPI row split across pages, the first row of cards on the
first page, no buttons, dropdowns or navbar links (the filters in the header instead), Thai in
Sarabun; the cluster heatmap printed goal by goal, each goal with its provinces as column labels.

The demo store is as of 21 Nov 2026 (see test_pages); pages are asked for ?period=2569."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from browser_support import TIMEOUT_MS
from layouts.text.i18n import GOAL_NAMES, t
from settings import PROJECT_ROOT

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext, pdfinfo) not installed"
)

A4_LANDSCAPE_PT = (843, 596)  # 297 × 210 mm: 842.9 × 595.9 pt, wider than tall
KPI_COLUMNS = ("kpi", "value", "target", "score", "status", "trend", "rank_cluster", "freshness", "owner")


# =========================================================================== reading the PDF


def take_snapshot(browser, url: str, folder: Path) -> Path:
    """Open `url` as a desktop user, click Snapshot (PDF), and save the file it downloads."""
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.set_default_timeout(TIMEOUT_MS * 3)
    try:
        page.goto(url)
        page.wait_for_selector("#esr-snapshot")
        with page.expect_download() as download:
            page.locator("#esr-snapshot").click()
        path = folder / download.value.suggested_filename
        download.value.save_as(path)
        return path
    finally:
        page.close()


def poppler(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", str(pdf)), re.M).group(1))


def page_sizes(pdf: Path) -> set[tuple[int, int]]:
    """(width, height) in points of every page."""
    text = poppler("pdfinfo", "-f", "1", "-l", str(page_count(pdf)), str(pdf))
    return {
        (round(float(w)), round(float(h))) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", text)
    }


def layout_pages(pdf: Path) -> list[str]:
    """Each page's text as laid out (`pdftotext -layout`): one line of the PDF per line."""
    return poppler("pdftotext", "-layout", str(pdf), "-").split("\f")[: page_count(pdf)]


def squeezed_pages(pdf: Path) -> list[str]:
    """Each page's text in reading order with every space and line break removed, so that a cell
    whose text wraps is found whole."""
    return [squeeze(text) for text in poppler("pdftotext", "-raw", str(pdf), "-").split("\f")[: page_count(pdf)]]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fonts(pdf: Path) -> set[str]:
    """The embedded fonts, without their subset prefix (ABCDEF+Sarabun-Regular -> Sarabun-Regular)."""
    lines = poppler("pdffonts", str(pdf)).splitlines()[2:]
    return {line.split()[0].split("+")[-1] for line in lines if line.strip()}


def has_in_order(line: str, words) -> bool:
    """`words` all on `line`, left to right."""
    position = 0
    for word in words:
        position = line.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


# =========================================================================== the province scorecard


@pytest.fixture(scope="module")
def province_snapshot(live_server, browser, tmp_path_factory) -> Path:
    return take_snapshot(browser, f"{live_server}/province/50?period=2569", tmp_path_factory.mktemp("snapshot"))


def test_brw020_the_scorecard_prints_on_a4_landscape_with_every_column_of_the_kpi_table(province_snapshot):
    assert province_snapshot.name == "ภาพหน้าจอ_เชียงใหม่_ปีงบประมาณ-2569.pdf"  # in the reader's language
    assert page_sizes(province_snapshot) == {A4_LANDSCAPE_PT}
    pages = layout_pages(province_snapshot)
    header = [t(key, "th") for key in KPI_COLUMNS]
    with_header = [i for i, text in enumerate(pages) if any(has_in_order(line, header) for line in text.splitlines())]
    near = [line for text in pages for line in text.splitlines() if header[0] in line][:3]
    assert with_header, f"no line holds every column header in order: {header}; lines with the first: {near}"
    # the table starts after the first row of cards and runs to the end, its header on every page
    assert with_header == list(range(with_header[0], len(pages))) and len(with_header) >= 3, with_header
    everything = "\n".join(pages)
    for word in ("เป็นปัจจุบัน", "สำนักงานคลังจังหวัด", "4/4"):  # freshness, owner and rank cells, far right
        assert word in everything


def test_brw021_the_first_page_holds_the_title_and_the_first_row_of_cards_whole(province_snapshot):
    first = squeezed_pages(province_snapshot)[0]
    assert squeeze("จังหวัดเชียงใหม่") in first and squeeze(t("overall_score", "th")) in first
    for n in range(1, 7):  # the goal chart: all six goals, not cut after the fourth
        assert f"เป้าหมายที่{n}" in first
    for goal, names in GOAL_NAMES.items():  # the six goal tiles
        assert squeeze(f"{goal}{names[0]}") in first, goal
    # the district card, from its title to the note under its chart
    assert squeeze(t("districts_compared", "th")) in first and squeeze(t("no_district_boundaries", "th")) in first


def test_brw022_no_kpi_row_is_split_across_pages(province_snapshot, catalog):
    pages = squeezed_pages(province_snapshot)
    for kpi in catalog.kpis:  # its name whole on one page, and its owner on that page
        name, owner = squeeze(kpi.name.th), squeeze(kpi.owner.th)
        assert any(name in text and owner in text for text in pages), f"{kpi.id}: {kpi.name.th}"


def test_brw023_no_control_is_printed_and_the_header_names_the_page_and_its_filters(province_snapshot):
    pages = layout_pages(province_snapshot)
    everything = "\n".join(pages)
    for button in (
        "esr_button",
        "esr_snapshot_button",
        "esr_data_button",
        "wall_open",
        "data_status",
        "language_toggle",
        "sort_worst",
        "choose_kpi",
        "click_district",
    ):
        assert t(button, "th") not in everything, button  # buttons, navbar links, the other order, dropdowns
    assert "ESR (PDF)" not in everything and "Snapshot (PDF)" not in everything
    assert everything.count(t("period", "th")) == 1  # the dropdown's label is gone; the header names the period
    header = " ".join(pages[0].splitlines()[:4])
    assert "หน้า: จังหวัดเชียงใหม่ (/province/50?period=2569)" in header
    assert "ช่วงเวลา: ปีงบประมาณ 2569" in header and "การเรียง: เรียงตามบัญชีตัวชี้วัด" in header
    assert f"{t('kpi_by_district', 'th')}: G" in header  # which KPI the district panel shows, as its selector did


def test_brw024_thai_is_set_in_sarabun(province_snapshot):
    embedded = fonts(province_snapshot)
    assert {"Sarabun-Regular", "Sarabun-SemiBold"} <= embedded
    assert embedded <= {"Sarabun-Regular", "Sarabun-Medium", "Sarabun-SemiBold", "Sarabun-Bold", "bootstrap-icons"}


# =========================================================================== the cluster page


def test_brw025_the_cluster_heatmap_prints_goal_by_goal_with_its_provinces_on_every_panel(
    live_server, browser, tmp_path
):
    pdf = take_snapshot(browser, f"{live_server}/cluster/1?period=2569", tmp_path)
    assert pdf.name == "ภาพหน้าจอ_กลุ่มจังหวัดภาคเหนือตอนบน-1_ปีงบประมาณ-2569.pdf"
    assert page_sizes(pdf) == {A4_LANDSCAPE_PT}
    pages = layout_pages(pdf)
    everything = "\n".join(pages)
    assert "หน้า: กลุ่มที่ 1 · กลุ่มจังหวัดภาคเหนือตอนบน 1" in everything
    for button in ("esr_button", "esr_snapshot_button", "esr_data_button", "wall_open", "language_toggle"):
        assert t(button, "th") not in everything, button
    assert everything.count(t("compare_shows", "th") + ":") == 1  # in the header, not as a dropdown's label

    clusters = yaml.safe_load((PROJECT_ROOT / "data" / "clusters.yaml").read_text(encoding="utf-8"))
    members = next(c["provinces"] for c in clusters["clusters"] if c["number"] == 1)
    names = {"50": "เชียงใหม่", "51": "ลำพูน", "52": "ลำปาง", "58": "แม่ฮ่องสอน"}
    columns = [names[code] for code in members]
    for goal, goal_names in GOAL_NAMES.items():  # each goal's panel: its title, then the provinces as columns
        found = False
        for text in pages:
            lines = [line for line in text.splitlines() if line.strip()]
            for i, line in enumerate(lines):  # the labels under the title (the cards on the left share its lines)
                if f"{goal} {goal_names[0]}" in line and any(
                    has_in_order(below, columns) for below in lines[i + 1 : i + 4]
                ):
                    found = True
        assert found, f"no panel for {goal} with the provinces over its columns"
    assert {"Sarabun-Regular", "Sarabun-SemiBold"} <= fonts(pdf)
    # Sarabun has no ✔ ✖ (the heatmap's status symbols): the browser takes those from DejaVu, as on screen
    assert fonts(pdf) <= {
        "Sarabun-Regular",
        "Sarabun-Medium",
        "Sarabun-SemiBold",
        "Sarabun-Bold",
        "bootstrap-icons",
        "DejaVuSans",
    }


# =========================================================================== the overview


def test_brw026_the_overview_prints_its_map_goals_and_every_cluster_card_whole(live_server, browser, tmp_path):
    pdf = take_snapshot(browser, f"{live_server}/?period=2569", tmp_path)
    assert pdf.name == "ภาพหน้าจอ_ภาพรวมประเทศ_ปีงบประมาณ-2569.pdf"
    assert page_sizes(pdf) == {A4_LANDSCAPE_PT}
    everything = "\n".join(layout_pages(pdf))
    assert f"หน้า: {t('overview_title', 'th')}" in everything
    assert f"{t('map_shows', 'th')}: {t('overall_score', 'th')}" in everything  # the map's dropdown, in the header
    for button in ("esr_button", "esr_snapshot_button", "esr_data_button", "wall_open", "language_toggle"):
        assert t(button, "th") not in everything, button
    assert everything.count(t("map_shows", "th")) == 1
    pages = squeezed_pages(pdf)
    # the clusters' cards, each with its provinces on one page (Bangkok's card, the last, included)
    assert any(re.search(squeeze(t("no_cluster", "th")) + ".?กรุงเทพมหานคร", text) for text in pages)  # .: its icon
    for n in range(1, 19):
        assert any(re.search(f"กลุ่มที่{n}[^0-9]", text) for text in pages), n
    assert {"Sarabun-Regular", "Sarabun-SemiBold"} <= fonts(pdf)
