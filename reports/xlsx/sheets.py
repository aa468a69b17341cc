"""The sheets of an ESR's workbook, in the order of the report: the cover, goal scores, the
off-target KPIs, budget disbursement and its ranking, the member provinces or clusters, the KPI
comparison across provinces, all KPIs, overdue and missing data, and the unrounded numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from data.rules.areas import name_column
from data.rules.catalog import get_catalog
from layouts.text.format import format_timestamp, is_missing
from layouts.text.i18n import GOAL_NAMES, t
from reports.content import BUDGET_KPIS, Esr
from reports.xlsx.cells import (
    PERCENT_DECIMALS,
    RANKS,
    SCORE_DECIMALS,
    Table,
    _column,
    _decimals,
    _in_language,
    _ints,
    _kpi_names,
    _percent,
    _periods,
    _rank_columns,
    _ranks_of,
    _rounded,
    _scores,
    _words,
)
from reports.xlsx.words import OVERALL, number_format, readable, w

GOAL_WIDTH = 28  # "G1 สร้างความสามารถ…" beside each KPI: enough to tell the goals apart


# =========================================================================== KPI rows


def _kpi_table(frame: pd.DataFrame, language: str, *, provinces: bool = False) -> Table:
    """KPI rows (scorecard, exceptions, budget, cluster comparison): the KPI, its period, its
    value and target in its own unit and decimals, score, status and the rest where present."""
    table = Table(len(frame))
    if provinces:
        table.add(w("province_code", language), _column(frame, "area_code"))
        table.add(t("province", language), _column(frame, name_column(language)))
    _kpi_identity(table, frame, language)
    _kpi_measures(table, frame, language)
    _kpi_context(table, frame, language)
    return table


def _kpi_identity(table: Table, frame: pd.DataFrame, language: str) -> None:
    """Which KPI and which period: goal, code, name, unit, data period."""
    table.add(t("goal", language), _words(_column(frame, "goal"), language), max_width=GOAL_WIDTH)
    table.add(w("kpi_code", language), _column(frame, "kpi_id"))
    names = _in_language("kpi_name", language)
    table.add(t("kpi", language), _column(frame, names if names in frame.columns else _in_language("name", language)))
    table.add(t("unit", language), _column(frame, _in_language("unit", language)))
    table.add(w("data_period", language), _periods(frame, language))


def _kpi_measures(table: Table, frame: pd.DataFrame, language: str) -> None:
    """Value, target and gap in the KPI's decimals, then the score and the status."""
    decimals = _decimals(frame)
    formats = [number_format(d) for d in decimals]
    table.add(t("value", language), _rounded(_column(frame, "value"), decimals), formats)
    table.add(t("target", language), _rounded(_column(frame, "target"), decimals), formats)
    if "gap_to_target" in frame.columns:
        table.add(t("esr_gap", language), _rounded(frame["gap_to_target"], decimals), formats)
    table.add(w("score_1_5", language), _scores(_column(frame, "score")), number_format(SCORE_DECIMALS))
    table.add(t("status", language), _words(_column(frame, "status"), language))


def _kpi_context(table: Table, frame: pd.DataFrame, language: str) -> None:
    """What the frame has beside: trend, ranks, coverage, provinces off target, freshness, owner."""
    if "trend" in frame.columns:
        table.add(t("trend", language), _words(frame["trend"], language))
    _rank_columns(table, _ranks_of(frame), language)
    if "coverage" in frame.columns:
        table.add(w("coverage_pct", language), _percent(frame["coverage"]), number_format(PERCENT_DECIMALS))
    if "provinces_off_target" in frame.columns:
        table.add(w("provinces_off", language), _ints(frame["provinces_off_target"]), number_format(0))
    if "freshness" in frame.columns:
        table.add(t("freshness", language), _words(frame["freshness"], language))
    owner = _in_language("owner", language)
    if owner in frame.columns:
        table.add(t("owner", language), frame[owner])


# =========================================================================== the sheets


def _cover(report: Esr) -> Table:
    language = report.language
    kind = report.request.kind
    subtitle = {"province": t("cluster", language), "cluster": w("region", language)}.get(kind, w("scope", language))
    rows = [
        (t("esr", language), report.title),
        (w("report_type", language), t(f"esr_kind_{kind}", language)),
        (subtitle, report.subtitle),
        *report.cover_facts(),
    ]
    if report.request.note:
        rows.append((t("esr_note", language), report.request.note))
    if report.is_demo:
        rows.append((t("demo_badge", language), t("demo_notice", language)))
    rows.append((w("rounding", language), w("rounding_note", language).format(sheet=w("sheet_precision", language))))
    table = Table(len(rows), filters=False)
    table.add(w("item", language), [r[0] for r in rows])
    table.add(w("detail", language), [r[1] for r in rows])
    return table


def _goals(report: Esr) -> Table:
    language, goals = report.language, report.goals
    if not report.goal_ranks.empty and "goal" in report.goal_ranks.columns:
        ranks = [c for c in RANKS if c in report.goal_ranks.columns]
        goals = goals.merge(report.goal_ranks[["goal", *ranks]], on="goal", how="left")
    table = Table(len(goals))
    table.add(t("goal", language), _words(goals["goal"], language))
    table.add(w("score_1_5", language), _scores(goals["score"]), number_format(SCORE_DECIMALS))
    table.add(t("status", language), _words(_column(goals, "status"), language))
    if "coverage" in goals.columns:
        table.add(w("coverage_pct", language), _percent(goals["coverage"]), number_format(PERCENT_DECIMALS))
    for count in ("kpis_present", "kpis_scored"):
        if count in goals.columns:
            table.add(w(count, language), _ints(goals[count]), number_format(0))
    _rank_columns(table, _ranks_of(goals), language)
    if "missing" in goals.columns:
        table.add(w("kpis_missing", language), _kpi_names(goals["missing"], language))
    return table


def _goal_columns(table: Table, rows: Sequence, score_of: Callable[[object, str], object], language: str) -> None:
    for goal in GOAL_NAMES:
        table.add(readable(goal, language), _scores([score_of(r, goal) for r in rows]), number_format(SCORE_DECIMALS))


def _members(report: Esr) -> Table:
    """One row per province: overall score, status and ranks, then the six goal scores."""
    language, members = report.language, report.members
    name = name_column(language)
    scores = {(r["area_code"], r["goal"]): r for r in members.to_dict("records")}
    provinces = list(dict.fromkeys(members["area_code"]))
    overall = [scores.get((p, OVERALL), {}) for p in provinces]
    names = [next(r[name] for (a, _g), r in scores.items() if a == p) for p in provinces]
    table = Table(len(provinces))
    table.add(w("province_code", language), provinces)
    table.add(t("province", language), names)
    table.add(t("overall_score", language), _scores([r.get("score") for r in overall]), number_format(SCORE_DECIMALS))
    table.add(t("status", language), _words([r.get("status") for r in overall], language))
    _rank_columns(table, {rank: [r.get(rank) for r in overall] for rank in RANKS}, language)
    _goal_columns(table, provinces, lambda p, g: scores.get((p, g), {}).get("score"), language)
    return table


def _clusters(report: Esr) -> Table:
    language, clusters = report.language, report.clusters
    rows = clusters.to_dict("records")
    table = Table(len(rows))
    table.add(w("cluster_no", language), _ints(_column(clusters, "number")), number_format(0))
    table.add(t("cluster", language), _column(clusters, name_column(language)))
    table.add(w("provinces_count", language), _ints(_column(clusters, "provinces")), number_format(0))
    table.add(t("overall_score", language), _scores(_column(clusters, "score")), number_format(SCORE_DECIMALS))
    table.add(t("status", language), _words(_column(clusters, "status"), language))
    _goal_columns(table, rows, lambda r, g: r.get(f"score_{g}"), language)
    return table


def _budget(report: Esr) -> Table | None:
    rows = [{**report.budget[k], "kpi_id": k} for k in BUDGET_KPIS if k in report.budget]  # kpi_id was the index
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    quarter = report.budget.get("quarter_target_pct")
    rate = report.budget.get("budget_disbursement_pct")
    if quarter is not None and rate is not None:  # the cumulative % due by now, in the rate's unit
        frame = pd.concat(
            [
                frame,
                pd.DataFrame(
                    [
                        {
                            "goal": rate.get("goal"),
                            "name_th": t("esr_quarter_target", "th"),
                            "name_en": t("esr_quarter_target", "en"),
                            "unit_th": rate.get("unit_th"),
                            "unit_en": rate.get("unit_en"),
                            "decimals": rate.get("decimals"),
                            "period_type": rate.get("period_type"),
                            "fiscal_year": rate.get("fiscal_year"),
                            "period_no": rate.get("period_no"),
                            "value": quarter,
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    return _kpi_table(frame, report.language)


def _budget_ranking(report: Esr) -> Table | None:
    ranking = report.budget.get("ranking")
    if ranking is None or ranking.empty:
        return None
    language = report.language
    decimals = _decimals(ranking)
    kpi = get_catalog().by_id().get(str(ranking["kpi_id"].iloc[0])) if "kpi_id" in ranking.columns else None
    value = t("value", language) if kpi is None else f"{kpi.name.get(language)} ({kpi.unit.get(language)})"
    table = Table(len(ranking))
    table.add(w("province_code", language), ranking["area_code"])
    table.add(t("province", language), _column(ranking, name_column(language)))
    table.add(w("data_period", language), _periods(ranking, language))
    table.add(value, _rounded(ranking["value"], decimals), [number_format(d) for d in decimals])
    table.add(w("score_1_5", language), _scores(_column(ranking, "score")), number_format(SCORE_DECIMALS))
    table.add(t("status", language), _words(_column(ranking, "status"), language))
    _rank_columns(table, _ranks_of(ranking), language)
    return table


def _quality(report: Esr) -> Table:
    language, quality = report.language, report.quality
    table = Table(len(quality))
    table.add(t("goal", language), _words(_column(quality, "goal"), language), max_width=GOAL_WIDTH)
    table.add(w("kpi_code", language), _column(quality, "kpi_id"))
    table.add(t("kpi", language), _column(quality, _in_language("name", language)))
    table.add(t("frequency", language), _words(_column(quality, "frequency"), language))
    table.add(t("latest_period", language), _periods(quality, language))
    table.add(t("freshness", language), _words(_column(quality, "freshness"), language))
    table.add(
        w("completeness_pct", language), _percent(_column(quality, "completeness")), number_format(PERCENT_DECIMALS)
    )
    table.add(
        w("last_import_th_time", language),
        [None if is_missing(v) else format_timestamp(v, language) for v in _column(quality, "last_imported_at")],
    )
    table.add(t("owner", language), _column(quality, _in_language("owner", language)))
    return table


def _precision(report: Esr) -> Table:
    """The area's goal scores and KPI rows as the store computes them, not rounded."""
    language, goals, card = report.language, report.goals, report.card
    count = len(goals) + len(card)
    table = Table(count)
    blank = [None] * len(goals)
    table.add(t("goal", language), _words([*goals["goal"], *_column(card, "goal")], language), max_width=GOAL_WIDTH)
    table.add(w("kpi_code", language), blank + _column(card, "kpi_id"))
    table.add(t("kpi", language), blank + _column(card, _in_language("name", language)))
    table.add(t("unit", language), blank + _column(card, _in_language("unit", language)))
    table.add(w("data_period", language), blank + _periods(card, language))
    table.add(t("value", language), blank + _column(card, "value"))
    table.add(t("target", language), blank + _column(card, "target"))
    table.add(w("score_1_5", language), [*goals["score"], *_column(card, "score")])
    coverage = [*_column(goals, "coverage"), *_column(card, "coverage")]
    table.add(w("coverage_pct", language), [None if is_missing(v) else float(v) * 100.0 for v in coverage])
    return table


def tables(report: Esr) -> dict[str, Table]:
    """Sheet name -> table, in the order of the report."""
    language = report.language
    out: dict[str, Table | None] = {
        w("sheet_cover", language): _cover(report),
        w("sheet_goals", language): _goals(report),
        w("sheet_exceptions", language): _kpi_table(report.exceptions, language),
        w("sheet_budget", language): _budget(report),
        w("sheet_budget_ranking", language): _budget_ranking(report),
    }
    if not report.members.empty:
        key = "sheet_provinces" if report.request.kind == "national" else "sheet_members"
        out[w(key, language)] = _members(report)
    if not report.clusters.empty:
        out[w("sheet_clusters", language)] = _clusters(report)
    if not report.comparison.empty:
        out[w("sheet_comparison", language)] = _kpi_table(report.comparison, language, provinces=True)
    out[w("sheet_kpis", language)] = _kpi_table(report.card, language)
    out[w("sheet_quality", language)] = _quality(report)
    out[w("sheet_precision", language)] = _precision(report)
    return {name: table for name, table in out.items() if table is not None}


def sheets(report: Esr) -> dict[str, pd.DataFrame]:
    """Sheet name -> the cells it shows (headers as written), in the order of the report."""
    return {name: table.frame() for name, table in tables(report).items()}
