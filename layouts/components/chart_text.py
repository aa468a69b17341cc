"""One way every page shows a chart with its text alternative (`layouts.figures.described`): a
<figure> holding the graph, labelled as an image by the chart's name and described by its
sentence, and a <figcaption> with that sentence and, behind "Show as table", a real table of
every value plotted (a caption, column and row headers, and the links the chart's clicks open).
For a long ranking, `ranking_toggle` is the link that shows every bar, or only the ends."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pandas as pd
from dash import dcc, html

from layouts.components.scroll import scroll_box
from layouts.figures.bars import RANKING_ENDS
from layouts.figures.charts import Chart, ranking_chart
from layouts.figures.common import Measure
from layouts.figures.described import ChartText
from layouts.text.format import tag
from layouts.text.i18n import t


def table_markup(text: ChartText, language: str) -> str:
    """The values plotted as a table: its caption, a column header per column, each row headed
    by its first cell (a link where the chart's point opens one)."""
    head = tag("thead", tag("tr", *(tag("th", escape(h), scope="col") for h in text.headers)))
    rows = []
    for index, row in enumerate(text.rows):
        link = text.links[index] if index < len(text.links) else ""
        first = tag("a", escape(row[0]), href=link, class_="spa-link") if link else escape(row[0])
        cells = [
            tag("td", escape(cell), class_="num" if column in text.numeric else None)
            for column, cell in enumerate(row[1:], start=1)
        ]
        rows.append(tag("tr", tag("th", first, scope="row", class_="fw-normal"), *cells))
    named = t("chart_table_caption", language).format(title=text.title)
    # a wide table scrolls sideways in its box, a named region the keyboard reaches, as every table does
    return scroll_box(
        tag("table", tag("caption", escape(named)), head, tag("tbody", *rows), class_="table table-sm mb-1 chart-data"),
        named,
    )


def chart_figure(
    chart: Chart,
    element_id: str,
    language: str,
    *,
    graph_id: str | dict | None = None,
    graph_style: dict | None = None,
    fill: bool = False,
    extra=None,
    **graph,
) -> html.Figure:
    """The chart's graph (`graph`: dcc.Graph's other arguments) with its sentence and table. The
    graph sits in a wrapper named for a screen reader (dcc.Graph takes no aria attributes);
    `extra` (a note, a link) goes between the graph and the caption; `fill`: the figure grows to
    the height of the element holding it (a flex column)."""
    summary_id = f"{element_id}-summary"
    grow = {"flex": "1 1 auto", "display": "flex", "flexDirection": "column"} if fill else None
    graph_kwargs = {"id": graph_id} if graph_id is not None else {}
    if graph_style is not None:
        graph_kwargs["style"] = graph_style
    return html.Figure(
        [
            html.Div(
                dcc.Graph(figure=chart.figure, **graph_kwargs, **graph),
                role="img",
                className="chart-graph",
                style=grow,
                **{"aria-label": chart.text.title, "aria-describedby": summary_id},
            ),
            extra,
            html.Figcaption(
                [
                    html.P(chart.text.summary, id=summary_id, className="small mb-1 chart-summary"),
                    html.Details(
                        [
                            html.Summary(t("chart_show_table", language), className="small"),
                            dcc.Markdown(
                                table_markup(chart.text, language),
                                dangerously_allow_html=True,
                                className="markup-block chart-table",
                                id=f"{element_id}-table",
                            ),
                        ],
                        className="chart-details mb-1",
                    ),
                ]
            ),
        ],
        id=element_id,
        className="chart-figure mb-0",
        style=grow,
    )


def ranking_toggle(chart: Chart, *, all_href: str, ends_href: str, ends: int, language: str, element_id: str):
    """Under a long ranking: "Show all (77)" (a link to the page with ?all=1) when bars are left
    out, "Show only the first and last 10" when every bar of a ranking that collapses is shown;
    nothing for a short ranking."""
    if chart.hidden:
        note = t("ranking_collapsed", language).format(shown=chart.total - chart.hidden, total=chart.total)
        return html.Div(
            [
                html.Span(note, className="small text-muted me-2"),
                dcc.Link(
                    t("ranking_show_all", language).format(n=chart.total),
                    href=all_href,
                    id=f"{element_id}-all",
                    className="btn btn-sm btn-outline-primary",
                ),
            ],
            className="mb-1",
            # the page is drawn afresh: the keyboard goes on from the link back (assets/navigation.js)
            **{"data-focus-after": f"{element_id}-ends"},
        )
    if chart.total > 2 * ends:
        return html.Div(
            dcc.Link(
                t("ranking_show_ends", language).format(n=ends),
                href=ends_href,
                id=f"{element_id}-ends",
                className="btn btn-sm btn-outline-secondary",
            ),
            className="mb-1",
            **{"data-focus-after": f"{element_id}-all"},
        )
    return None


@dataclass(frozen=True)
class RankingView:
    """How a page shows a long ranking: every bar (`show_all`, the URL's ?all=1) or the first and
    last `RANKING_ENDS`; the areas kept in view wherever they stand (the viewer's own, the area
    chosen); the links to the page with every bar and with the ends only."""

    show_all: bool = False
    keep: tuple[str, ...] = ()
    all_href: str = ""
    ends_href: str = ""

    @property
    def ends(self) -> int | None:
        return None if self.show_all else RANKING_ENDS


def ranking_figure(
    frame: pd.DataFrame,
    measure: Measure,
    language: str,
    *,
    title: str,
    element_id: str,
    ranking: RankingView | None = None,
    bar_height: int = 22,
    note=None,
    **graph,
) -> html.Figure:
    """Ranked bars of `frame`'s areas with their text, collapsed to the ends unless `ranking`
    shows them all (no `ranking`: a page without the choice shows every bar), the link to the
    other form under the bars, then `note`."""
    ranking = ranking or RankingView(show_all=True)
    chart = ranking_chart(
        frame, measure, language, title=title, bar_height=bar_height, ends=ranking.ends, keep=ranking.keep
    )
    toggle = ranking_toggle(
        chart,
        all_href=ranking.all_href,
        ends_href=ranking.ends_href,
        ends=RANKING_ENDS,
        language=language,
        element_id=element_id,
    )
    if not ranking.all_href:  # nowhere to go: every bar, no link
        toggle = None
    return chart_figure(
        chart, element_id, language, extra=html.Div([toggle, note]) if toggle or note else None, **graph
    )
