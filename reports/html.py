"""The ESR as HTML for print: one shell document (fonts, CSS, the local plotly.js, no network)
that stays loaded in the warm browser, and per report a body plus the figures to draw in it.

Figures come from the dashboard's figure builder (`layouts.figures`) and are drawn by plotly.js
as SVG, so maps and charts print as vector with selectable text. Sarabun is loaded from the
`fontpkg_sarabun` files; plotly's world topojson is the app's empty one, given inline
(`PlotlyGeoAssets`), so plotly never asks its CDN for it.
"""

from __future__ import annotations

import base64
import json
import tempfile
from functools import lru_cache
from html import escape
from pathlib import Path
from string import Template

import plotly.io as pio

from data.query import viewer_scope
from data.rules.areas import name_column
from layouts import theme
from layouts.text.format import FRESHNESS, TREND, format_rank, format_score, is_missing, status_badge, tag
from layouts.text.i18n import GOAL_NAMES, format_value, pick, t
from layouts.theme import GOAL_COLOURS
from reports.content import Esr
from web.assets import PLOTLY_BUNDLE, WORLD_TOPOJSON, plotly_geo_assets, sarabun_path

PLOTLY_JS = PLOTLY_BUNDLE  # the dashboard's own partial plotly.js
PAGE_WIDTH_PX = 700  # A4 (210 mm) less 2 × 12 mm margins, at 96 px per inch
WEIGHTS = {"Regular": 400, "SemiBold": 600, "Bold": 700}

REPORT_CSS = Template("""
@page { size: A4 portrait; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: 'Sarabun', sans-serif; font-size: 10pt; line-height: 1.45; color: $text; background: $white;
       margin: 0; width: 186mm; }
h1 { font-size: 20pt; font-weight: 700; margin: 0; line-height: 1.25; }
h2 { font-size: 12.5pt; font-weight: 700; margin: 6pt 0 4pt; break-after: avoid; color: $navy;
     border-bottom: 1.5pt solid $navy; padding: 4pt 0 1pt; }  /* the top padding holds Thai upper marks
     on the heading's own page when it starts a new one */
.annex { break-before: page; }
.keep { break-inside: avoid; }
.cover { border-left: 6pt solid $navy; padding: 2pt 0 4pt 10pt; margin-bottom: 6pt; }
.cover .kicker { font-size: 9.5pt; color: $navy; font-weight: 600; letter-spacing: .02em; }
.cover .sub { font-size: 10.5pt; color: $grey_700; }
.facts { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2pt 10pt; margin-top: 5pt; }
.facts div { font-size: 8.5pt; color: $grey_600; } .facts b { display: block; color: $text; font-size: 10pt; }
.demo { display: inline-block; background: $amber; color: $text; font-weight: 600; border-radius: 3pt;
        padding: 0 5pt; font-size: 8.5pt; margin-left: 6pt; }
.summary ul { margin: 2pt 0 0 0; padding-left: 14pt; } .summary li { margin-bottom: 2pt; }
.note { border: 1pt solid $navy; background: $navy_tint; border-radius: 4pt; padding: 4pt 8pt; margin-top: 6pt;
        white-space: pre-wrap; }
.note b { display: block; color: $navy; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 5pt; }
#tile-ALL { grid-row: span 2; } #tile-ALL .score { font-size: 26pt; }
.tile { border: .75pt solid $grey_400; border-top: 3.5pt solid var(--c); border-radius: 3pt; padding: 3pt 6pt;
        break-inside: avoid; }
.tile .name { font-size: 8.5pt; line-height: 1.3; min-height: 2.6em; }
.tile .score { font-size: 17pt; font-weight: 700; line-height: 1.15; margin-right: 4pt; }
.tile .meta { font-size: 8pt; color: $grey_700; }
.tw { white-space: nowrap; }  /* a Thai word, a unit: lines break between them (layouts.text.thai_breaks) */
/* Chromium breaks at a <wbr> even where white-space forbids it: none where a text must not wrap */
.pill wbr, .cell wbr { display: none; }
.pill { display: inline-block; border-radius: 3pt; padding: 0 4pt; font-size: 8pt; font-weight: 600;
        white-space: nowrap; }
.chip { display: inline-block; border-radius: 3pt; padding: 0 3pt; font-size: 8pt; font-weight: 700; color: $white;
        min-width: 1.7em; text-align: center; }
table.esr { width: 100%; border-collapse: collapse; font-size: 8.5pt; }
table.esr th { text-align: left; font-weight: 600; color: $grey_700; border-bottom: 1pt solid $grey_600;
               padding: 2pt 3pt; font-size: 8pt; }
table.esr td { border-bottom: .5pt solid $grey_300; padding: 2pt 3pt; vertical-align: top; }
table.esr tr, .scorecard-table tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.name { width: 30%; } td.owner { width: 13%; } table.esr td.num { width: 14%; }
tr.goal-row td { background: $grey_tint; font-weight: 600; border-top: 1pt solid $grey_500; }
tr.goal-row { break-after: avoid; }
.sub { color: $grey_600; font-size: 7.5pt; }
.budget { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4pt 8pt; }
.budget div { font-size: 8pt; color: $grey_600; } .budget b { display: block; font-size: 11.5pt; color: $text; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 8pt; align-items: start; }
.figure { break-inside: avoid; }
figure.chart { margin: 0 0 4pt; break-inside: avoid; }
.caption { font-size: 8pt; color: $grey_600; }
.cell { text-align: center; white-space: nowrap; font-weight: 600; }
""").substitute(
    text=theme.TEXT,
    white=theme.WHITE,
    navy=theme.NAVY,
    grey_700=theme.GREY_700,
    grey_600=theme.GREY_600,
    amber=theme.AMBER,
    navy_tint=theme.NAVY_TINT,
    grey_400=theme.GREY_400,
    grey_300=theme.GREY_300,
    grey_tint=theme.GREY_TINT,
    grey_500=theme.GREY_500,
)

RENDER_JS = """
window.renderReport = async function (body, figures) {
  window.ESR_READY = false;
  document.body.innerHTML = body;
  await Promise.all(['400', '600', '700'].map(w => document.fonts.load(w + ' 16px Sarabun', 'กขค')));
  await document.fonts.ready;
  for (const f of figures) {
    await Plotly.newPlot(document.getElementById(f.id), f.figure.data, f.figure.layout, f.config);
  }
  window.ESR_READY = true;
  return document.body.scrollHeight;
};
"""


def font_faces(inline: bool = False) -> str:
    """@font-face rules for Sarabun: file:// URLs, or data: URLs (the PDF footer has no file access)."""
    rules = []
    for style, weight in WEIGHTS.items():
        path = sarabun_path(style)
        source = f"data:font/ttf;base64,{base64.b64encode(path.read_bytes()).decode()}" if inline else path.as_uri()
        rules.append(
            f"@font-face{{font-family:'Sarabun';font-weight:{weight};src:url('{source}') format('truetype');}}"
        )
    return "\n".join(rules)


def shell_document() -> str:
    """The page the warm browser keeps open: everything but the report itself."""
    return f"""<!doctype html>
<html lang="th"><head><meta charset="utf-8"><title>ESR</title>
<style>{font_faces()}
{REPORT_CSS}</style>
{plotly_geo_assets()}
<script src="{PLOTLY_JS.as_uri()}"></script>
<script>{RENDER_JS}</script>
</head><body></body></html>"""


@lru_cache(maxsize=1)
def shell_url() -> str:
    """The shell written once per process to a temporary file, as a file:// URL."""
    folder = Path(tempfile.mkdtemp(prefix="poc-esr-shell-"))
    path = folder / "shell.html"
    path.write_text(shell_document(), encoding="utf-8")
    return path.as_uri()


def footer_template(report: Esr) -> str:
    """Chromium's page footer: what the report is, and the page number."""
    language = report.language
    label = escape(f"{t('esr', language)} · {report.title} · {report.period_label}")
    return (
        f"<style>{font_faces(inline=True)}</style>"
        f'<div style="font-family:Sarabun;font-size:7.5pt;color:{theme.GREY_600};width:100%;margin:0 12mm;'
        f'display:flex;justify-content:space-between"><span>{label}</span>'
        f'<span>{t("esr_page", language)} <span class="pageNumber"></span>/<span class="totalPages"></span>'
        "</span></div>"
    )


# =========================================================================== small pieces


class Figures:
    """The figures of one report: each gets a div in the body and is drawn by plotly.js."""

    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, figure, width: int = PAGE_WIDTH_PX, height: int | None = None) -> str:
        figure = figure.update_layout(width=width, height=height or figure.layout.height)
        figure_id = f"figure-{len(self.items)}"
        self.items.append(
            {
                "id": figure_id,
                "figure": json.loads(pio.to_json(figure, validate=False)),
                "config": {
                    "staticPlot": True,
                    "displayModeBar": False,
                    "topojsonURL": WORLD_TOPOJSON.parent.as_uri() + "/",
                },
            }
        )
        return tag("div", "", id=figure_id, class_="figure")

    def chart(self, chart, width: int = PAGE_WIDTH_PX, height: int | None = None) -> str:
        """A `layouts.figures.charts.Chart` as a <figure>: its drawing, and under it, as text the
        PDF holds, the sentence the page shows under the same chart."""
        return tag(
            "figure",
            self.add(chart.figure, width=width, height=height),
            tag("figcaption", escape(chart.text.summary), class_="caption chart-summary"),
            class_="chart",
        )


def pill(status: str | None, language: str) -> str:
    badge = status_badge(status)
    return tag(
        "span",
        escape(f"{badge.symbol} {badge.word(language)}"),
        class_="pill",
        style=f"background:{badge.colour};color:{badge.text_colour}",
    )


def chip(goal: str) -> str:
    return tag("span", escape(goal), class_="chip", style=f"background:{GOAL_COLOURS.get(goal, theme.GREY_800)}")


def goal_title(goal: str, language: str) -> str:
    return t("overall_score", language) if goal == "ALL" else pick(GOAL_NAMES[goal], language)


def name_of(row: dict, language: str, prefix: str = "") -> str:
    return str(row.get(prefix + name_column(language)) or row.get("kpi_id", ""))


def value_text(row: dict, column: str, language: str) -> str:
    value = row.get(column)
    unit = row.get("unit_en" if language == "en" else "unit_th") or ""
    decimals = 0 if is_missing(row.get("decimals")) else int(row["decimals"])
    return format_value(None if is_missing(value) else float(value), decimals, str(unit))


def table(headers: list[tuple[str, str | None]], rows: list[list[str]], class_: str = "esr") -> str:
    """A table whose header repeats on every printed page and whose rows are never split."""
    head = tag("thead", tag("tr", *(tag("th", escape(text), class_=cls) for text, cls in headers)))
    return tag("table", head, tag("tbody", *(tag("tr", *row) for row in rows)), class_=class_)


def td(content: str, cls: str | None = None, **attributes) -> str:
    return tag("td", content, class_=cls, **attributes)


def cover(report: Esr) -> str:
    language = report.language
    kicker = f"{t('esr', language)} · {t('esr_kind_' + report.request.kind, language)}"
    demo = tag("span", escape(t("demo_badge", language)), class_="demo") if report.is_demo else ""
    facts = "".join(tag("div", escape(label), tag("b", escape(value))) for label, value in report.cover_facts())
    return tag(
        "div",
        tag("div", escape(kicker) + demo, class_="kicker"),
        tag("h1", escape(report.title)),
        tag("div", escape(report.subtitle), class_="sub"),
        tag("div", facts, class_="facts"),
        published_note(language),
        class_="cover",
        id="cover",
    )


def published_note(language: str) -> str:
    """For a viewer who does not see the whole country (README: Accounts and access)."""
    if viewer_scope().everything:
        return ""
    return tag("div", escape(t("published_figures", language)), class_="sub", id="published-note")


def summary_block(sentences: list[str], report: Esr) -> str:
    language = report.language
    items = "".join(tag("li", escape(s)) for s in sentences)
    note = ""
    if report.request.note and report.request.note.strip():
        note = tag("div", tag("b", escape(t("esr_note", language))), escape(report.request.note.strip()), class_="note")
    return tag(
        "section",
        tag("h2", escape(t("esr_summary", language))),
        tag("ul", items),
        note,
        class_="summary keep",
        id="summary",
    )


def goal_tiles(report: Esr) -> str:
    language = report.language
    goals = report.goals.set_index("goal")
    ranks = report.goal_ranks.set_index("goal") if not report.goal_ranks.empty else None
    tiles = []
    for goal in ["ALL", *GOAL_NAMES]:
        if goal not in goals.index:
            continue
        row = goals.loc[goal]
        meta = t("coverage_kpis", language).format(present=int(row["kpis_present"]), total=int(row["kpis_scored"]))
        if ranks is not None and goal in ranks.index:
            rank = ranks.loc[goal]
            if not is_missing(rank["cluster_size"]) and int(rank["cluster_size"]) > 1:
                meta += " · " + t("in_cluster", language).format(
                    rank=format_rank(rank["rank_cluster"], rank["cluster_size"])
                )
            meta += " · " + t("in_country", language).format(
                rank=format_rank(rank["rank_country"], rank["country_size"])
            )
        head = (chip(goal) + " " if goal != "ALL" else "") + escape(goal_title(goal, language))
        tiles.append(
            tag(
                "div",
                tag("div", head, class_="name"),
                tag(
                    "div",
                    tag("span", escape(format_score(row["score"])), class_="score"),
                    pill(row["status"], language),
                ),
                tag("div", escape(meta), class_="meta"),
                class_="tile",
                id=f"tile-{goal}",
                style=f"--c:{status_badge(row['status']).colour}",
            )
        )
    return tag(
        "section",
        tag("h2", escape(t("goals_of_province", language))),
        tag("div", *tiles, class_="tiles"),
        class_="keep",
        id="goals",
    )


def trend_cell(row: dict, language: str) -> str:
    from layouts.figures import sparkline_svg

    values = row.get("trend_values")
    values = tuple(values) if isinstance(values, (tuple, list)) else ()
    if len(values) < 2:
        return "–"
    badge = TREND.get(row.get("trend") or "stable", TREND["stable"])
    return sparkline_svg(values, row.get("status"), width=64, height=20) + tag(
        "div", escape(f"{badge.symbol} {badge.word(language)}"), class_="sub", style=f"color:{badge.colour}"
    )


def freshness_text(status: str | None, language: str) -> str:
    badge = FRESHNESS.get(status or "missing", FRESHNESS["missing"])
    return tag(
        "span",
        escape(f"{badge.symbol} {badge.word(language)}"),
        class_="pill",
        style=f"background:{badge.colour};color:{badge.text_colour}",
    )
