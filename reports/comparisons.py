"""The ESR sections that set areas side by side: the province's district map, the cluster's
members with their ranks, radar and map, and the national map, best and weakest five and 18 clusters."""

from __future__ import annotations

from html import escape

import pandas as pd

from data.rules.catalog import get_catalog
from layouts.figures import Measure
from layouts.figures.charts import map_chart, radar_chart, ranking_chart
from layouts.text.format import format_rank, format_score, is_missing, status_badge, tag
from layouts.text.i18n import GOAL_NAMES, t, t_at
from reports.content import Esr
from reports.html import PAGE_WIDTH_PX, Figures, name_of, table, td


def district_map_section(report: Esr, figures: Figures) -> str:
    language, place = report.language, report.area_code  # Bangkok's districts are เขต
    if not report.map_kpi or report.map_frame.empty:
        return tag(
            "section",
            tag("h2", escape(t_at("district_map", language, place))),
            tag("p", escape(t_at("esr_no_map", language, place))),
            id="district-map",
        )
    kpi = get_catalog().by_id()[report.map_kpi]
    measure = Measure.kpi_value(kpi)
    drawn_as = "esr_map" if report.map_geojson else "esr_bars"  # titled for the chart drawn
    title = t_at(drawn_as, language, place).format(kpi=kpi.name.get(language))
    heading = tag("h2", escape(title))
    if report.map_geojson:
        chart = map_chart(report.map_frame, report.map_geojson, measure, language, title=title, height=420)
        height = 420
    else:  # every district: the bars of a page's ranking fold, a printed one cannot unfold
        chart = ranking_chart(report.map_frame, measure, language, title=title, bar_height=16)
        height = chart.figure.layout.height
    note = (
        ""
        if report.map_geojson
        else tag("p", escape(t_at("no_district_boundaries", language, place)), class_="caption")
    )
    return tag("section", heading, figures.chart(chart, height=height), note, id="district-map", class_="keep")


def province_map(report: Esr, figures: Figures, height: int) -> str:
    title = t("esr_map_provinces", report.language)
    width = PAGE_WIDTH_PX // 2 - 8
    chart = map_chart(
        report.map_frame,
        report.map_geojson,
        Measure.goal_score("ALL"),
        report.language,
        title=title,
        height=height,
        width=width,
    )
    return tag("div", tag("div", escape(title), class_="caption"), figures.chart(chart, width=width, height=height))


def _score_cell(score, status, language: str) -> str:
    badge = status_badge(status)
    text = "–" if is_missing(score) else f"{format_score(score)} {badge.symbol}"
    return td(
        escape(text), "cell", style=f"background:{badge.colour};color:{badge.text_colour}", title=badge.word(language)
    )


def _goal_headers(language: str) -> list[tuple[str, str | None]]:
    return [(t("overall_score", language).split()[0], "cell")] + [(goal, "cell") for goal in GOAL_NAMES]


def members_section(report: Esr, figures: Figures) -> str:
    """Cluster ESR: each member's overall and goal scores with its rank, a radar and a map."""
    language = report.language
    members = report.members
    overall = members[members["goal"] == "ALL"].sort_values(["rank_cluster", "area_code"], na_position="last")
    rows = []
    for province in overall.to_dict("records"):
        mine = members[members["area_code"] == province["area_code"]].set_index("goal")
        cells = [
            td(escape(name_of(province, language))),
            td(escape(format_rank(province["rank_cluster"], province["cluster_size"])), "num"),
            td(escape(format_rank(province["rank_country"], province["country_size"])), "num"),
        ]
        cells += [_score_cell(mine["score"].get(g), mine["status"].get(g), language) for g in ["ALL", *GOAL_NAMES]]
        rows.append(cells)
    headers = [
        (t("province", language), None),
        (t("rank_cluster", language), "num"),
        (t("rank_country", language), "num"),
    ] + _goal_headers(language)
    radar = radar_chart(members, language, provinces=list(overall["area_code"]), height=300)
    charts = tag(
        "div",
        figures.chart(radar, width=PAGE_WIDTH_PX // 2 - 8, height=300),
        province_map(report, figures, 300),
        class_="two",
    )
    return tag(
        "section",
        tag("h2", escape(t("esr_members", language))),
        table(headers, rows),
        tag("div", charts, class_="keep"),
        id="members",
    )


def national_section(report: Esr, figures: Figures) -> str:
    """National ESR: the map of the provinces, the best and weakest five, the 18 clusters."""
    language = report.language
    overall = (
        report.members[report.members["goal"] == "ALL"]
        .dropna(subset=["ranked_score"])
        .sort_values(["ranked_score", "area_code"], ascending=[False, True])
    )  # insufficient data: in no best or worst list
    ranked = pd.concat([overall.head(5), overall.tail(5)])
    rows = [
        [
            td(escape(format_rank(r["rank_country"], r["country_size"])), "num"),
            td(escape(name_of(r, language))),
            _score_cell(r["score"], r["status"], language),
        ]
        for r in ranked.to_dict("records")
    ]
    best_worst = tag(
        "div",
        tag("div", escape(t("esr_best_worst", language)), class_="caption"),
        table([(t("rank", language), "num"), (t("province", language), None), (t("score", language), "cell")], rows),
    )
    clusters = report.clusters.sort_values("number")
    cluster_rows = [
        [
            td(str(int(c["number"])), "num"),
            td(escape(name_of(c, language))),
            _score_cell(c["score"], c["status"], language),
            *(_score_cell(c.get(f"score_{g}"), c.get(f"status_{g}"), language) for g in GOAL_NAMES),
        ]
        for c in clusters.to_dict("records")
    ]
    headers = [("#", "num"), (t("cluster", language), None)] + _goal_headers(language)
    return tag(
        "section",
        tag("h2", escape(t("overview_title", language))),
        tag("div", province_map(report, figures, 380), best_worst, class_="two keep"),  # map and table together
        tag("h2", escape(t("esr_clusters_n", language).format(n=len(clusters)))),
        table(headers, cluster_rows),
        id="national",
    )
