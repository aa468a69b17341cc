"""The data behind an ESR as an XLSX workbook: one sheet per section, headers in the report's
language, numbers as numbers (not formatted text), so staff can check and reuse them."""

from __future__ import annotations

import io

import pandas as pd

from layouts.i18n import t
from reports.content import BUDGET_KPIS, Esr


def _kpi_columns(language: str) -> dict[str, str]:
    name, unit, owner = (("name_en", "unit_en", "owner_en") if language == "en" else ("name_th", "unit_th", "owner_th"))
    return {"goal": t("goal", language), "kpi_id": "kpi_id", name: t("kpi", language), unit: t("unit", language),
            "fiscal_year": "fiscal_year", "period_type": "period_type", "period_no": "period_no",
            "value": t("value", language), "target": t("target", language), "score": t("score", language),
            "status": t("status", language), "trend": t("trend", language), "rank_cluster": t("rank_cluster", language),
            "rank_country": t("rank_country", language), "freshness": t("freshness", language),
            owner: t("owner", language)}


def _select(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    present = {k: v for k, v in columns.items() if k in frame.columns}
    return frame[list(present)].rename(columns=present)


def sheets(report: Esr) -> dict[str, pd.DataFrame]:
    """Sheet name -> table, in the order of the report."""
    language = report.language
    cover = pd.DataFrame([(t("esr", language), report.title), (t("cluster", language), report.subtitle),
                          *report.cover_facts()], columns=["", " "])
    goals = report.goals[["goal", "score", "status", "kpis_present", "kpis_scored"]].rename(
        columns={"goal": t("goal", language), "score": t("score", language), "status": t("status", language)})
    out = {"ESR": cover, t("goals_of_province", language): goals}
    columns = _kpi_columns(language)
    out[t("esr_exceptions", language)] = _select(report.exceptions, {**columns, "gap_to_target": t("esr_gap", language)})
    budget = [report.budget[k] for k in BUDGET_KPIS if k in report.budget]
    if budget:
        out[t("esr_budget", language)] = _select(pd.DataFrame(budget), columns)
        ranking = report.budget.get("ranking")
        if ranking is not None and not ranking.empty:
            out[t("esr_budget_ranking", language)] = _select(
                ranking, {"area_code": t("code", language), "name_en" if language == "en" else "name_th": t("area", language),
                          "value": t("value", language), "score": t("score", language), "rank_cluster": t("rank_cluster", language),
                          "rank_country": t("rank_country", language)})
    if not report.members.empty:
        members = report.members.pivot_table(index=["area_code", "name_en" if language == "en" else "name_th"],
                                             columns="goal", values="score").reset_index()
        out[t("esr_members", language)] = members
    if not report.clusters.empty:
        out[t("esr_clusters", language)] = report.clusters
    if not report.comparison.empty:
        out[t("esr_annex_scores", language)] = _select(report.comparison, {
            "area_code": t("code", language), "name_en" if language == "en" else "name_th": t("province", language),
            "kpi_id": "kpi_id", "kpi_name_en" if language == "en" else "kpi_name_th": t("kpi", language),
            "value": t("value", language), "score": t("score", language), "status": t("status", language),
            "rank_cluster": t("rank_cluster", language)})
    out[t("esr_annex_kpis", language)] = _select(report.card, columns)
    out[t("esr_annex_quality", language)] = _select(report.quality, {
        **columns, "completeness": t("completeness", language), "last_imported_at": t("last_import", language)})
    return out


def workbook(report: Esr) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        used: set[str] = set()
        for name, frame in sheets(report).items():
            sheet = _sheet_name(name, used)
            frame = frame.copy()
            for column in frame.columns:  # Excel has no time zones; nullable ints become plain cells
                if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
                    frame[column] = frame[column].dt.tz_localize(None)
                if frame[column].dtype == object:
                    frame[column] = frame[column].map(lambda v: ", ".join(v) if isinstance(v, tuple) else v)
            frame.astype(object).where(frame.notna(), None).to_excel(writer, index=False, sheet_name=sheet)
            writer.sheets[sheet].column_dimensions["A"].width = 14
    return buffer.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join(" " if c in "[]:*?/\\" else c for c in name)[:31].strip()
    candidate, number = clean, 2
    while candidate in used:
        candidate = f"{clean[:28]} {number}"
        number += 1
    used.add(candidate)
    return candidate
