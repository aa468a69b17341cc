"""The sections of the three ESRs, as HTML with their figures: exceptions, budget and the annexes
(all KPIs, overdue and missing data); the sections comparing areas are in reports.comparisons."""

from __future__ import annotations

from html import escape

import pandas as pd

from data.rules.catalog import get_catalog
from data.rules.periods import Period
from layouts.figures import Measure
from layouts.figures.charts import ranking_chart
from layouts.text.format import format_rank, format_score, gap_text, is_missing, missing_parts_text, status_badge, tag
from layouts.text.i18n import GOAL_NAMES, format_value, t
from layouts.views.data_status import format_timestamp
from layouts.views.scorecard_table import order_kpis
from reports.comparisons import district_map_section, members_section, national_section
from reports.content import BUDGET_KPIS, Esr
from reports.html import (
    PAGE_WIDTH_PX,
    Figures,
    chip,
    cover,
    freshness_text,
    goal_tiles,
    name_of,
    pill,
    summary_block,
    table,
    td,
    trend_cell,
    value_text,
)
from reports.narrative import summary

EXCEPTIONS_SHOWN = 8
BUDGET_ENDS = 5  # the best and the weakest areas a long budget ranking shows


def report_body(report: Esr) -> tuple[str, list[dict]]:
    """The body markup of `report` and the figures to draw in it."""
    figures = Figures()
    parts = [cover(report), summary_block(summary(report), report), goal_tiles(report)]
    kind = report.request.kind
    if kind == "cluster":
        parts.append(members_section(report, figures))
    if kind == "national":
        parts.append(national_section(report, figures))
    parts += [exceptions_section(report), budget_section(report, figures)]
    if kind == "province":
        parts.append(district_map_section(report, figures))
    parts += [kpi_annex(report), quality_annex(report)]
    return tag("main", *parts, lang=report.language, class_=f"esr esr-{kind}"), figures.items


def _period(row: dict, language: str) -> str:
    if is_missing(row.get("fiscal_year")) or not isinstance(row.get("period_type"), str):
        return ""
    return Period(row["period_type"], int(row["fiscal_year"]), int(row["period_no"])).label(language)


def _gap(row: dict, language: str) -> str:
    """In the KPI's own unit (percentage points for a share), with its direction in words."""
    return gap_text(row, language) or "–"


# =========================================================================== exceptions


def exceptions_section(report: Esr) -> str:
    language = report.language
    rows = report.exceptions
    heading = tag("h2", escape(t("esr_exceptions", language)))
    if rows.empty:
        return tag("section", heading, tag("p", escape(t("esr_no_exceptions", language))), id="exceptions")
    national = "provinces_off_target" in rows
    cluster = report.request.kind == "cluster" and not report.comparison.empty
    headers = [
        (t("kpi", language), None),
        (t("value", language), "num"),
        (t("target", language), "num"),
        (t("esr_gap", language), "num"),
        (t("score", language), "num"),
        (t("trend", language), None),
    ]
    if national:
        headers.append((t("esr_provinces_off", language), "num"))
    if cluster:
        headers.append((t("esr_worst_member", language), None))
    headers.append((t("owner", language), None))
    body = []
    for row in rows.head(EXCEPTIONS_SHOWN).to_dict("records"):
        cells = [
            td(chip(row["goal"]) + " " + escape(name_of(row, language)), "name"),
            td(
                escape(value_text(row, "value", language)) + tag("div", escape(_period(row, language)), class_="sub"),
                "num",
            ),
            td(escape(value_text(row, "target", language)), "num"),
            td(escape(_gap(row, language)), "num"),
            td(escape(format_score(row["score"])) + tag("div", pill(row["status"], language)), "num"),
            td(trend_cell(row, language)),
        ]
        if national:
            cells.append(td(f"{int(row['provinces_off_target'])}/77", "num"))
        if cluster:
            newest = (
                None if is_missing(row.get("fiscal_year")) else int(row["fiscal_year"]) * 100 + int(row["period_no"])
            )
            cells.append(td(escape(_weakest_member(report.comparison, row["kpi_id"], language, newest))))
        cells.append(td(escape(str(row["owner_en" if language == "en" else "owner_th"])), "sub owner"))
        body.append(cells)
    more = len(rows) - EXCEPTIONS_SHOWN
    note = tag("p", escape(t("esr_more_exceptions", language).format(n=more)), class_="caption") if more > 0 else ""
    return tag("section", heading, table(headers, body), note, id="exceptions")


def _weakest_member(comparison: pd.DataFrame, kpi_id: str, language: str, newest: int | None = None) -> str:
    """The member province with the lowest score on the KPI (its own latest value, as its page
    shows it), with the period of that value when it is older than the cluster's (`newest`:
    fiscal_year * 100 + period_no)."""
    rows = comparison[(comparison["kpi_id"] == kpi_id) & comparison["score"].notna()].sort_values(
        ["score", "area_code"], kind="stable"
    )
    if rows.empty:
        return "–"
    worst = rows.iloc[0].to_dict()
    text = f"{name_of(worst, language)} ({format_score(worst['score'])}"
    if newest is not None and int(worst["fiscal_year"]) * 100 + int(worst["period_no"]) < newest:
        text += f", {_period(worst, language)}"
    return text + ")"


# =========================================================================== budget


def budget_section(report: Esr, figures: Figures) -> str:
    """The budget's facts (allocated, disbursed, the rate and its rank, the quarter's target) and the
    disbursement ranking as bars."""
    language = report.language
    heading = tag("h2", escape(t("esr_budget", language)))
    budget = report.budget
    if not budget:
        return tag("section", heading, tag("p", escape(t("esr_no_budget", language))), id="budget", class_="keep")
    kpis = get_catalog().by_id()
    facts = _budget_facts(budget, kpis, language)
    chart = _budget_ranking(budget.get("ranking"), kpis, language, figures)
    return tag("section", heading, tag("div", *facts, class_="budget"), chart, id="budget", class_="keep")


def _budget_facts(budget: dict, kpis: dict, language: str) -> list[str]:
    """One fact per budget KPI held, with its period (the rate vs target: its ranks), then the
    quarter's disbursement target when there is one."""
    facts = []
    for kpi_id in BUDGET_KPIS:
        row = budget.get(kpi_id)
        if row is None:
            continue
        extra = _period(row, language)
        if kpi_id == "budget_disbursement_vs_target":
            parts = []
            if not is_missing(row.get("rank_country")):
                parts.append(
                    t("in_country", language).format(rank=format_rank(row["rank_country"], row["country_size"]))
                )
            if not is_missing(row.get("cluster_size")) and int(row["cluster_size"]) > 1:
                parts.append(
                    t("in_cluster", language).format(rank=format_rank(row["rank_cluster"], row["cluster_size"]))
                )
            extra = " · ".join(parts) or extra
        facts.append(
            tag(
                "div",
                escape(kpis[kpi_id].name.get(language)),
                tag("b", escape(value_text(row, "value", language))),
                tag("span", escape(extra), class_="sub"),
                id=f"budget-{kpi_id}",
            )
        )
    if "quarter_target_pct" in budget:
        rate = budget["budget_disbursement_pct"]
        facts.append(
            tag(
                "div",
                escape(t("esr_quarter_target", language)),
                tag("b", escape(format_value(budget["quarter_target_pct"], 1, "%"))),
                tag(
                    "span",
                    escape(" · ".join(p for p in (_period(rate, language), gap_text(rate, language)) if p)),
                    class_="sub",
                ),
                id="budget-quarter-target",
            )
        )
    return facts


def _budget_ranking(ranking: pd.DataFrame | None, kpis: dict, language: str, figures: Figures) -> str:
    """The disbursement vs target of the areas as ranked bars (the country's 77: the five best and
    the five weakest, the rest one marker row), with the sentence of the whole ranking; nothing
    when there is no ranking."""
    if ranking is None or ranking.empty:
        return ""
    measure = Measure.kpi_value(kpis["budget_disbursement_vs_target"])
    title = t("esr_budget_ranking", language)
    chart = ranking_chart(ranking, measure, language, title=title, bar_height=18, ends=BUDGET_ENDS)
    return tag(
        "div",
        tag("div", escape(title), class_="caption"),
        figures.chart(chart, width=PAGE_WIDTH_PX, height=chart.figure.layout.height),  # sized for its labels
    )


# =========================================================================== annexes


def kpi_annex(report: Esr) -> str:
    language = report.language
    if report.request.kind == "cluster":
        return tag(
            "section",
            tag("h2", escape(t("esr_annex_scores", language))),
            _scores_table(report),
            class_="annex",
            id="annex-kpis",
        )
    return tag(
        "section", tag("h2", escape(t("esr_annex_kpis", language))), _kpi_table(report), class_="annex", id="annex-kpis"
    )


def _kpi_table(report: Esr) -> str:
    """Every KPI by goal (the scorecard's order): value with its period, target, score and
    status, trend, ranks, freshness and owner. One goal heading row opens each goal."""
    language = report.language
    goals = report.goals.set_index("goal")
    headers = [
        (t("kpi", language), None),
        (t("value", language), "num"),
        (t("target", language), "num"),
        (t("score", language), "num"),
        (t("trend", language), None),
        (t("rank", language), "num"),
        (t("freshness", language), None),
    ]
    rows = []
    for goal, kpis in order_kpis(report.card, None):
        summary = goals.loc[goal] if goal in goals.index else {}
        rows.append(
            tag(
                "tr",
                td(
                    chip(goal)
                    + " "
                    + escape(f"{GOAL_NAMES[goal][1 if language == 'en' else 0]} · {format_score(summary.get('score'))}")
                    + " "
                    + pill(summary.get("status"), language),
                    colspan="7",
                ),
                class_="goal-row",
            )
        )
        for row in kpis.to_dict("records"):
            ranks = [
                format_rank(row.get("rank_cluster"), row.get("cluster_size")),
                format_rank(row.get("rank_country"), row.get("country_size")),
            ]
            rows.append(
                tag(
                    "tr",
                    *_kpi_cells(row, language),
                    td(escape(" · ".join(r for r in ranks if r != "–") or "–"), "num"),
                    td(freshness_text(row.get("freshness"), language)),
                    class_="kpi-row",
                    data_kpi=row["kpi_id"],
                )
            )
    head = tag("thead", tag("tr", *(tag("th", escape(text), class_=cls) for text, cls in headers)))
    return tag("table", head, tag("tbody", *rows), class_="esr kpi-table")


def _kpi_cells(row: dict, language: str) -> list[str]:
    owner = str(row["owner_en" if language == "en" else "owner_th"])
    return [
        td(escape(name_of(row, language)) + tag("div", escape(owner), class_="sub"), "name"),
        td(
            escape(value_text(row, "value", language)) + tag("div", escape(_period(row, language)), class_="sub"), "num"
        ),
        td(
            escape(value_text(row, "target", language)) + tag("div", escape(gap_text(row, language)), class_="sub"),
            "num",
        ),
        td(
            escape(format_score(row.get("score")))
            + tag("div", pill(row.get("status"), language))
            + (tag("div", escape(missing_parts_text(row, language)), class_="sub") if row.get("missing_parts") else ""),
            "num",
        ),
        td(trend_cell(row, language)),
    ]


def _scores_table(report: Esr) -> str:
    """KPIs (rows, by goal) × member provinces (columns): value, score and status."""
    language = report.language
    comparison = report.comparison
    provinces = list(dict.fromkeys(comparison["area_code"]))
    names = comparison.drop_duplicates("area_code").set_index("area_code")
    headers = [(t("kpi", language), None)] + [(name_of(names.loc[c].to_dict(), language), "cell") for c in provinces]
    cells = comparison.set_index(["kpi_id", "area_code"])
    rows = []
    for kpi in get_catalog().kpis:
        if not kpi.scored:
            continue
        row = [td(chip(kpi.goal) + " " + escape(kpi.name.get(language)), "name")]  # a third of the width, not a sliver
        for code in provinces:
            cell = cells.loc[(kpi.id, code)].to_dict() if (kpi.id, code) in cells.index else {}
            badge = status_badge(cell.get("status"))
            value = value_text(
                {**cell, "decimals": kpi.decimals, "unit_th": kpi.unit.th, "unit_en": kpi.unit.en}, "value", language
            )
            score = "–" if is_missing(cell.get("score")) else f"{format_score(cell['score'])} {badge.symbol}"
            row.append(
                td(
                    escape(score) + tag("div", escape(value), class_="sub"),
                    "cell",
                    style=f"border-left:3pt solid {badge.colour}",
                )
            )
        rows.append(row)
    return table(headers, rows)


def quality_annex(report: Esr) -> str:
    language = report.language
    heading = tag("h2", escape(t("esr_annex_quality", language)))
    quality = report.quality
    if quality.empty:
        return tag(
            "section", heading, tag("p", escape(t("esr_no_quality", language))), class_="annex", id="annex-quality"
        )
    headers = [
        (t("kpi", language), None),
        (t("latest_period", language), None),
        (t("freshness", language), None),
        (t("completeness", language), "num"),
        (t("last_import", language), None),
        (t("owner", language), None),
    ]
    rows = []
    for row in quality.to_dict("records"):
        completeness = "–" if is_missing(row.get("completeness")) else f"{float(row['completeness']) * 100:.0f} %"
        rows.append(
            [
                td(chip(row["goal"]) + " " + escape(name_of(row, language))),
                td(escape(_period(row, language) or "–")),
                td(freshness_text(row.get("freshness"), language)),
                td(completeness, "num"),
                td(escape(format_timestamp(row.get("last_imported_at"), language))),
                td(escape(str(row["owner_en" if language == "en" else "owner_th"]))),
            ]
        )
    return tag("section", heading, table(headers, rows), class_="annex", id="annex-quality")
