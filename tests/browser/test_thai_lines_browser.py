"""Thai lines break only between words (issue 19, part 3), on the pages as Chromium draws them and in
the ESR as Chromium prints it.

On a page, every line break inside a long label (the catalog's KPI names, sources and owners, the
goals' names, the headings) is found by measuring where each character is drawn (the top of its
Range.getClientRects()), at viewports of 320, 390 and 600 px, and compared with the word boundaries
of layouts.text.thai_breaks (PyThaiNLP's newmm over its dictionary). In the PDF, every line of
`pdftotext -layout` is cut into its columns, and each piece must begin and end at a word boundary of
the text it came from. Each check is first shown able to fail: the same names as plain text, as the
browser breaks them by its own dictionary, break inside words ("เป้า|หมาย")."""

from __future__ import annotations

import re
import subprocess
from html import unescape

import pytest

from browser_support import TIMEOUT_MS
from data.rules.catalog import get_catalog
from data.rules.periods import Period
from layouts.text.i18n import GOAL_NAMES
from layouts.text.thai_breaks import pieces

THAI = re.compile("[\u0e01-\u0e5b]")

# the offsets (in the element's text, as its text nodes hold it) where a new line starts
LINE_STARTS = """(selector) => [...document.querySelectorAll(selector)].filter(e => e.offsetParent !== null).map(e => {
    let text = '', starts = [], top = null;
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rects = range.getClientRects();
            if (rects.length && rects[0].width > 0) {
                const y = rects[0].top;
                if (top !== null && y > top + 4) starts.push(text.length + i);
                top = y;
            }
        }
        text += node.data;
    }
    return [text, starts];
})"""


def boundaries(text: str) -> set[int]:
    """The offsets of `text` a line may break at: between words, and around every space."""
    edges, position = {0}, 0
    for piece in pieces(text):
        if piece.isspace():
            edges.update(range(position, position + len(piece) + 1))
        position += len(piece)
        edges.add(position)
    return edges


def mid_word_breaks(measured: list) -> list[str]:
    """Every break of `measured` ([text, line starts] per element) inside a word, shown with a bar."""
    return [
        f"{text[max(0, at - 10) : at]}|{text[at : at + 10]}"
        for text, starts in measured
        if THAI.search(text)
        for at in starts
        if at not in boundaries(text)
    ]


def long_labels() -> list[str]:
    catalog = get_catalog()
    return [kpi.name.th for kpi in catalog.kpis] + [pair[0] for pair in GOAL_NAMES.values()]


PAGES = {  # a page, what shows it is drawn, and its long labels (blocks of one text each)
    "/province/50?period=2569": (
        "#kpi-table tr.kpi-row",
        "#kpi-table .kpi-name, #kpi-table .kpi-sub, #kpi-table td.small, .goal-tile-name, h1, h2",
    ),
    "/?period=2569": (".goal-row-name", ".goal-row-name, #cluster-cards .cluster-title, h1, h2"),
    "/data": ("#kpi-status-table summary", "#kpi-status-table td > div, h1, h2"),
    "/kpi/road_deaths_per_100k?period=2569": ("#kpi-description", "h1, h2, #kpi-description"),
    "/admin": ("table", "table th, table td, nav a, h1, h2"),  # a page of the server's own (web.admin_views)
}


@pytest.mark.parametrize("width", [320, 390, 600])
def test_thl001_page_labels_break_only_between_words(live_server, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    measured = []
    for path, (ready, labels) in PAGES.items():
        page.goto(f"{live_server}{path}")
        page.wait_for_selector(ready)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.evaluate("document.fonts.ready")
        measured += page.evaluate(LINE_STARTS, labels)
    breaks = sum(len(starts) for text, starts in measured if THAI.search(text))
    assert breaks > 100, f"only {breaks} line breaks in Thai labels at {width} px: nothing was measured"
    assert not mid_word_breaks(measured), mid_word_breaks(measured)[:20]

    # the oracle can fail: the same KPI and goal names as plain text, broken by the browser alone
    page.evaluate(
        """(names) => { const box = document.createElement('div'); box.id = 'plain-names';
        box.style.width = Math.min(innerWidth - 48, 342) + 'px';
        for (const name of names) { const d = document.createElement('div'); d.textContent = name; box.append(d); }
        document.querySelector('main').prepend(box); }""",
        long_labels(),
    )
    assert mid_word_breaks(page.evaluate(LINE_STARTS, "#plain-names > div")), "plain text broke only between words"
    page.close()


# =========================================================================== the ESR


def source_texts(markup: str) -> list[str]:
    """The texts of the ESR's markup as its blocks hold them: inline elements (spans, links, words)
    joined, every other tag a boundary; spaces squeezed as pdftotext writes them."""
    inline = re.sub(r"</?(?:span|a|i|small|em|strong|wbr)\b[^>]*>", "", markup)
    inline = re.sub(r"<(style|script)\b.*?</\1>", "\n", inline, flags=re.S)
    return [re.sub(r"\s+", " ", unescape(t)).strip() for t in re.split(r"<[^>]*>", inline) if THAI.search(t)]


def pdf_breaks(lines: list[str], texts: list[str]) -> tuple[int, list[str]]:
    """(how many Thai pieces of the PDF's lines were found in the report's texts, those found only
    where a word is cut): a column's piece of a line must start and end at word boundaries."""
    found, cut = 0, []
    for line in lines:
        for part in re.split(r"\s{2,}", line.strip()):
            if not THAI.search(part):
                continue
            places = [(text, m.start()) for text in texts for m in re.finditer(re.escape(part), text)]
            if not places:
                continue  # a figure's label, the page footer: not typeset from the report's texts
            found += 1
            if not any({at, at + len(part)} <= boundaries(text) for text, at in places):
                cut.append(part)
    return found, cut


def esr_lines(tmp_path, plain: bool) -> tuple[list[str], list[str]]:
    """The province ESR's lines (pdftotext -layout) and its texts; `plain`: without the word spans."""
    from data.query import get_engine
    from reports import export
    from reports.content import EsrRequest, build_esr
    from reports.sections import report_body

    request = EsrRequest("province", "50", Period.year(2569), "th")
    texts = source_texts(report_body(build_esr(get_engine(), request))[0])
    with pytest.MonkeyPatch.context() as patch:
        if plain:
            patch.setattr(export, "breakable_markup", lambda markup: markup)
        path = tmp_path / ("plain.pdf" if plain else "esr.pdf")
        path.write_bytes(export.esr_pdf(get_engine(), request))
    layout = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"], capture_output=True, text=True)
    return layout.stdout.splitlines(), texts


def test_thl002_esr_pdf_lines_break_only_between_words(demo_store, tmp_path):
    from reports.render import close_renderer

    try:
        lines, texts = esr_lines(tmp_path, plain=False)
        found, cut = pdf_breaks(lines, texts)
        assert found > 150, f"only {found} pieces of the PDF's lines were found in the report's texts"
        assert not cut, cut[:20]
        assert not [p for line in lines for p in re.split(r"\s{2,}", line) if re.search(r"\S-$", p)], "cut at a hyphen"

        # the oracle can fail: the same report printed without the word spans breaks inside words
        plain_lines, _ = esr_lines(tmp_path, plain=True)
        assert pdf_breaks(plain_lines, texts)[1], "the plain report broke only between words"
    finally:
        close_renderer()


def test_thl003_what_must_not_wrap_stays_on_one_line(live_server, browser):
    """The word breaks must not open a break where the page forbids one: Chromium breaks at a
    <wbr> even under `white-space: nowrap`, so a status, a value with its unit, or a column header
    of the KPI table would fold onto two lines. Each stays one line high."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live_server}/province/50")
    page.wait_for_selector("#kpi-table tr.kpi-row")
    folded = page.evaluate(
        """() => Array.from(document.querySelectorAll(
               '#kpi-table thead th, #kpi-table .status-pill, #kpi-table .trend-word')).filter(e => {
            const range = document.createRange();
            range.selectNodeContents(e);
            const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0)
                                       .map(r => Math.round(r.top)));
            return tops.size > 1;
        }).map(e => e.textContent)"""
    )
    assert page.locator("#kpi-table thead wbr").count() > 0  # the header's words are marked ...
    assert not folded, folded  # ... and still not broken
    page.close()


NODE_LINE_STARTS = (
    LINE_STARTS.replace(
        "let text = '', starts = [], top = null;", "let text = '', starts = [], top = null, nodes = [];"
    )
    .replace("        text += node.data;", "        nodes.push(text.length);\n        text += node.data;")
    .replace("return [text, starts];", "return [text, starts, nodes];")
)
EVERY_TEXT = "main p, main li, main .alert, main td, main th, main figcaption, main summary, main .card-header, main dd"
WHOLE_PAGES = {
    "/data": "#kpi-status-table summary",
    "/cluster/1?period=2569": "#cluster-ranks table",
    "/district/5001?period=2569": "#district-page #kpi-table tr.kpi-row",
    "/kpi/road_deaths_per_100k?period=2569": "#kpi-description",
    "/province/50?period=2569": "#kpi-table tr.kpi-row",
}


@pytest.mark.parametrize("width", [390, 1440])
def test_thl004_every_text_of_a_page_breaks_only_between_words(live_server, browser, width):
    """Not only the long labels: notes, alerts, table cells, chart sentences and card texts too (a
    review found 'ธร|รมาภิบาล' on the data page's goal cards and 'ตัวชี้|วัด' in a cluster note)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    measured = []
    for path, ready in WHOLE_PAGES.items():
        page.goto(f"{live_server}{path}")
        page.wait_for_selector(ready)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        page.evaluate("document.fonts.ready")
        measured += page.evaluate(NODE_LINE_STARTS, EVERY_TEXT)
    breaks = sum(len(starts) for text, starts, _ in measured if THAI.search(text))
    assert breaks > 20, breaks  # the texts measured do wrap at this width
    # a line may start where a text of its own starts (a cell's second block, the next word's span);
    # inside one text, only between its words
    wrong = [
        f"{text[max(0, at - 10) : at]}|{text[at : at + 10]}"
        for text, starts, nodes in measured
        if THAI.search(text)
        for at in starts
        if at not in nodes and at not in boundaries(text)
    ]
    assert not wrong, wrong[:20]
    page.close()
