"""The ESR's charts carry the sentence the pages show under the same chart, as text printed in
the PDF under the drawing (read back with pdftotext), in the report's language."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from data.rules.catalog import get_catalog
from data.rules.periods import Period
from data.store.engine import get_engine
from helpers import CHROMIUM, reading_store
from layouts.figures.common import Measure
from layouts.figures.described import areas_text
from reports.content import EsrRequest, build_esr
from reports.render import close_renderer

PERIOD = Period.year(2569)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def esr_store(demo_url):
    with reading_store(demo_url, POC_CHROMIUM=CHROMIUM):
        yield get_engine()
        close_renderer()


def test_chr030_the_esr_html_puts_each_sentence_under_its_figure(esr_store, fresh_request):
    from reports.sections import report_body

    report = build_esr(esr_store, EsrRequest("province", "50", PERIOD, "en"))
    body, figures = report_body(report)
    captions = re.findall(
        r'<figure class="chart"><div id="(figure-\d+)"[^>]*></div><figcaption[^>]*>(.*?)</figcaption>', body
    )
    assert [figure_id for figure_id, _ in captions] == [f["id"] for f in figures]  # every figure has its sentence
    ranking = report.budget["ranking"].dropna(subset=["value"])
    best = ranking.loc[ranking["value"].idxmax(), "name_en"]
    budget = [sentence for _, sentence in captions if sentence.startswith("Ranked on disbursement against target: ")]
    assert len(budget) == 1 and f"highest {best} (" in budget[0]


@pytest.mark.skipif(
    not os.path.exists(CHROMIUM) or not shutil.which("pdftotext"), reason="needs Chromium and poppler-utils"
)
def test_chr031_the_esr_pdf_prints_the_sentences_of_its_charts(esr_store, tmp_path, fresh_request):
    from reports.export import esr_pdf

    request = EsrRequest("province", "50", PERIOD, "th")
    path = tmp_path / "esr.pdf"
    path.write_bytes(esr_pdf(esr_store, request))
    text = squeeze(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
    )
    report = build_esr(esr_store, request)
    kpi = get_catalog().by_id()[report.map_kpi]
    frame = report.map_frame.dropna(subset=["value"])
    lowest = frame.loc[frame["value"].idxmin(), "name_th"]  # the district map's lowest district
    assert squeeze(f"ต่ำสุด {lowest} (") in text
    ranking = report.budget["ranking"].dropna(subset=["value"])
    best = ranking.loc[ranking["value"].idxmax(), "name_th"]
    assert squeeze(f"สูงสุด {best} (") in text
    # the sentence after its title (the section's own, which names the district map or bars)
    sentence = areas_text(report.map_frame, Measure.kpi_value(kpi), "th", "-").summary.removeprefix("-: ")
    assert squeeze(f"{kpi.name.th}: {sentence}") in text
