"""The ESR's short summary in words, written from the report's own numbers (not canned text):
the overall score and ranks, the strongest and weakest goal, the off-target KPIs, the trend,
budget disbursement, the members or provinces compared, and data that is late."""

from __future__ import annotations

import pandas as pd

from data.rules.areas import name_column
from data.rules.scoring import RANKED_STATUSES
from layouts.text.format import coverage_note, format_rank, format_score, is_missing, status_badge
from layouts.text.i18n import format_value, t
from reports.content import Esr

NAMED_EXCEPTIONS = 3


def summary(report: Esr) -> list[str]:
    """Sentences in the report's language, most important first."""
    language = report.language
    sentences = [_overall(report), _goals(report), _exceptions(report), _trend(report)]
    if report.request.kind == "cluster":
        sentences.append(_spread(report.members, "nar_members", language))
    if report.request.kind == "national":
        sentences.append(_national(report))
    sentences += [_budget(report), _quality(report)]
    return [s for s in sentences if s]


def _name(row, language: str) -> str:
    return str(row[name_column(language)])


def _kpi_name(row, language: str) -> str:
    return str(row[name_column(language)])


def _overall(report: Esr) -> str:
    language = report.language
    goals = report.goals.set_index("goal")
    if "ALL" not in goals.index or is_missing(goals.loc["ALL", "score"]):
        return ""
    text = t("nar_overall", language).format(
        area=report.title,
        score=format_score(goals.loc["ALL", "score"]),
        status=status_badge(goals.loc["ALL", "status"]).word(language),
    )
    note = coverage_note(goals.loc["ALL"], language)
    if note:  # insufficient data: said with its coverage, and not ranked
        return f"{text} ({note})"
    ranks = report.goal_ranks.set_index("goal") if not report.goal_ranks.empty else pd.DataFrame()
    if "ALL" in ranks.index and not is_missing(ranks.loc["ALL", "rank_country"]):
        rank = ranks.loc["ALL"]
        country = format_rank(rank["rank_country"], rank["country_size"])
        if not is_missing(rank["cluster_size"]) and int(rank["cluster_size"]) > 1:
            text += " " + t("nar_rank", language).format(
                cluster=format_rank(rank["rank_cluster"], rank["cluster_size"]), country=country
            )
        else:
            text += " " + t("nar_rank_country", language).format(country=country)
    return text


def _goals(report: Esr) -> str:
    goals = report.goals[(report.goals["goal"] != "ALL") & report.goals["status"].isin(RANKED_STATUSES)]
    if len(goals) < 2:
        return ""
    ordered = goals.sort_values(["score", "goal"], kind="stable")
    worst, best = ordered.iloc[0], ordered.iloc[-1]
    return t("nar_goals", report.language).format(
        best=best["goal"][1:],
        best_score=format_score(best["score"]),
        worst=worst["goal"][1:],
        worst_score=format_score(worst["score"]),
    )


def _exceptions(report: Esr) -> str:
    language = report.language
    scored = int(report.card["score"].notna().sum())
    if report.exceptions.empty:
        return t("nar_no_exceptions", language).format(scored=scored) if scored else ""
    names = [
        f"“{_kpi_name(row, language)}” ({format_score(row['score'])})"
        for row in report.exceptions.head(NAMED_EXCEPTIONS).to_dict("records")
    ]
    joined = (" " if language != "en" else ", ").join(names)
    return t("nar_exceptions", language).format(
        n=len(report.exceptions), scored=scored, names=("" if language == "en" else " ") + joined
    )


def _trend(report: Esr) -> str:
    scored = report.card[report.card["score"].notna()]
    up, down = int((scored["trend"] == "improving").sum()), int((scored["trend"] == "worsening").sum())
    if not up and not down:
        return ""
    return t("nar_trend", report.language).format(up=up, down=down)


def _budget(report: Esr) -> str:
    language = report.language
    rate, versus = report.budget.get("budget_disbursement_pct"), report.budget.get("budget_disbursement_vs_target")
    if not rate or not versus:
        return ""
    text = t("nar_budget", language).format(
        rate=format_value(rate["value"], int(rate["decimals"]), "%"),
        versus=format_value(versus["value"], int(versus["decimals"]), "%"),
    )
    if not is_missing(versus.get("rank_country")):
        text += " " + t("nar_budget_rank", language).format(
            rank=format_rank(versus["rank_country"], versus["country_size"])
        )
    return text


def _spread(members: pd.DataFrame, key: str, language: str) -> str:
    overall = members[(members["goal"] == "ALL") & members["status"].isin(RANKED_STATUSES)].sort_values(
        ["score", "area_code"]
    )
    if len(overall) < 2:
        return ""
    worst, best = overall.iloc[0], overall.iloc[-1]
    return t(key, language).format(
        best=_name(best, language),
        best_score=format_score(best["score"]),
        worst=_name(worst, language),
        worst_score=format_score(worst["score"]),
    )


def _national(report: Esr) -> str:
    overall = report.members[(report.members["goal"] == "ALL") & report.members["status"].isin(RANKED_STATUSES)]
    if len(overall) < 2:
        return ""
    ordered = overall.sort_values(["score", "area_code"])
    worst, best = ordered.iloc[0], ordered.iloc[-1]
    language = report.language
    return t("nar_national", language).format(
        best=_name(best, language),
        best_score=format_score(best["score"]),
        worst=_name(worst, language),
        worst_score=format_score(worst["score"]),
        n_off=int((overall["status"] == "off_target").sum()),
    )


def _quality(report: Esr) -> str:
    language = report.language
    quality = report.quality
    late = quality[quality["freshness"].isin(("overdue", "missing"))]
    if late.empty:
        return t("nar_quality_ok", language)
    owners = late["owner_en" if language == "en" else "owner_th"].value_counts().head(3).index
    return t("nar_quality", language).format(
        overdue=int((late["freshness"] == "overdue").sum()),
        missing=int((late["freshness"] == "missing").sum()),
        owners=", ".join(owners),
    )
