"""What an ESR says: the numbers of a province, cluster or the country for a period, read
only through the query layer (`data.query`), so the report shows exactly what the pages show.

Each builder returns an `Esr`: plain frames and values, no markup. `reports.html` typesets it,
`reports.xlsx` writes the same frames to a workbook, `reports.narrative` puts it in sentences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from data.query import (
    Engine,
    UnknownArea,
    areas,
    boundaries,
    cluster_comparison,
    clusters,
    data_quality,
    goal_summary,
    headline_district_kpi,
    map_values,
    province_goal_scores,
    province_table,
    resolve_period,
    scorecard,
    shows_demo,
    visible_features,
)
from data.rules.areas import area_name
from data.rules.periods import Period, thai_now, thai_today
from geo.tilegrid import tilegrid_features
from layouts.text.format import area_title, format_date, format_timestamp, is_missing
from layouts.text.i18n import t

KINDS = ("province", "cluster", "national")
BUDGET_KPIS = (
    "budget_allocated_mthb",
    "budget_disbursed_mthb",
    "budget_disbursement_pct",
    "budget_disbursement_vs_target",
)
BUDGET_RANKED = "budget_disbursement_vs_target"  # the CGD ranks provinces on this one
QUALITY_PROBLEMS = ("overdue", "missing", "due")
COUNTRY = "TH"


@dataclass(frozen=True)
class EsrRequest:
    """Which report: `kind` province (code "50"), cluster (number "1") or national; the period
    selected (None = as of today); the language; an optional note for the executive."""

    kind: str
    code: str | None = None
    period: Period | None = None
    language: str = "th"
    note: str | None = None

    def file_stem(self, prefix: str = "esr", today: dt.date | None = None) -> str:
        """esr_province_50_2569Q4: scope and period (the as-of date in BE when none is selected)."""
        if self.period is None:
            day = today or thai_today()
            period = f"asof-{day.year + 543}{day.month:02d}{day.day:02d}"
        elif self.period.period_type == "Y":
            period = str(self.period.fiscal_year)
        else:
            period = f"{self.period.fiscal_year}{self.period.period_type}{self.period.period_no}"
        return "_".join(p for p in (prefix, self.kind, self.code if self.kind != "national" else None, period) if p)


@dataclass
class Esr:
    """Everything one report shows."""

    request: EsrRequest
    area_code: str  # "50", the cluster's area code, or "TH"
    title: str
    area_name: str
    subtitle: str  # cluster of a province, region of a cluster
    period_label: str
    quarter_label: str
    as_of: dt.date
    generated_at: dt.datetime
    goals: pd.DataFrame  # goal_summary: G1..G6 and ALL
    goal_ranks: pd.DataFrame  # province_goal_scores rows of the area (provinces only)
    card: pd.DataFrame  # scorecard of the area
    exceptions: pd.DataFrame  # off-target KPIs, worst first
    budget: dict  # kpi_id -> scorecard row (dict), plus "ranking": frame of provinces
    map_frame: pd.DataFrame
    map_geojson: dict | None  # None: no boundaries, drawn as bars
    map_kpi: str | None  # None: the map shows the overall score
    quality: pd.DataFrame  # overdue / missing data with owners
    members: pd.DataFrame = field(default_factory=pd.DataFrame)  # province goal scores (cluster, national)
    comparison: pd.DataFrame = field(default_factory=pd.DataFrame)  # cluster_comparison (cluster)
    clusters: pd.DataFrame = field(default_factory=pd.DataFrame)  # the 18 clusters' overall scores (national)
    is_demo: bool = False

    @property
    def language(self) -> str:
        return self.request.language

    def cover_facts(self) -> list[tuple[str, str]]:
        """(label, value) pairs of the cover block."""
        language = self.language
        return [
            (t("period", language), self.period_label),
            (t("esr_quarter", language), self.quarter_label),
            (t("as_of", language), format_date(self.as_of, language)),
            (t("esr_generated", language), format_timestamp(self.generated_at, language)),
        ]


def build_esr(
    engine: Engine, request: EsrRequest, *, today: dt.date | None = None, now: dt.datetime | None = None
) -> Esr:
    """The report asked for; UnknownArea when the province or cluster does not exist."""
    builders = {"province": _province, "cluster": _cluster, "national": _national}
    if request.kind not in builders:
        raise ValueError(f"unknown report kind {request.kind!r}; use one of {', '.join(KINDS)}")
    period, judged = resolve_period(engine, request.period, today)  # the pages' rule for "latest"
    if request.period is not None and (period is None or not request.period.contains(period)):
        raise NoDataForPeriod(request.period, period)
    esr = builders[request.kind](engine, replace(request, period=period), judged, now)
    esr.request = request  # the file keeps the name of what was asked for
    return esr


# =========================================================================== shared pieces


def _frame(engine: Engine, request: EsrRequest, area_code: str, today, now) -> dict:
    """The parts every report has, for the area `area_code`."""
    period, language = request.period, request.language
    as_of = period.end if period is not None else (today or thai_today())  # no data at all: today
    card = scorecard(engine, area_code, period, today=today)
    return dict(
        request=request,
        area_code=area_code,
        card=card,
        as_of=as_of,
        generated_at=now or thai_now(),
        period_label=period.label(language) if period is not None else t("as_of_no_data", language),
        quarter_label=Period.containing(as_of, "Q").label(language),
        goals=goal_summary(engine, area_code, period, today=today),
        exceptions=exceptions(card),
        quality=quality_problems(data_quality(engine, area_code, period, today=today)),
        is_demo=shows_demo(card),
    )


class NoDataForPeriod(ValueError):
    """The store holds nothing for the period asked for (a report of it would show a date that
    lies after the data, or in the future)."""

    def __init__(self, requested: Period, latest: Period | None):
        self.requested, self.latest = requested, latest
        held = f"; the newest period the store holds is {latest.label_en}" if latest else "; the store holds no values"
        super().__init__(f"there are no data for {requested.label_en}{held}")


def exceptions(card: pd.DataFrame) -> pd.DataFrame:
    """Off-target KPIs, worst first (lowest score, then furthest below target), with the gap to target."""
    rows = card[card["status"] == "off_target"].copy()
    rows["gap_to_target"] = rows["gap"] if "gap" in rows else rows["value"] - rows["target"]
    rows["_shortfall"] = rows["achievement"].fillna(1.0)
    return (
        rows.sort_values(["score", "_shortfall", "kpi_id"], kind="stable")
        .drop(columns="_shortfall")
        .reset_index(drop=True)
    )


def quality_problems(quality: pd.DataFrame) -> pd.DataFrame:
    """KPIs whose data is overdue, due or missing, or reported by only part of the area; worst first."""
    order = {"overdue": 0, "missing": 1, "due": 2, "fresh": 3}
    incomplete = quality["completeness"].notna() & (quality["completeness"] < 1.0)
    rows = quality[quality["freshness"].isin(QUALITY_PROBLEMS) | incomplete].copy()
    rows["_order"] = rows["freshness"].map(order).fillna(4)
    return rows.sort_values(["_order", "goal", "kpi_id"], kind="stable").drop(columns="_order").reset_index(drop=True)


def budget(card: pd.DataFrame, ranking: pd.DataFrame) -> dict:
    """The four budget KPIs of the area (scorecard rows) where the data exists, the cumulative
    target due by the end of the disbursement rate's quarter (the catalog's schedule: the target
    the scorecard judges it against), and the provinces ranked on disbursement against target."""
    rows = card.set_index("kpi_id")
    found = {k: rows.loc[k].to_dict() for k in BUDGET_KPIS if k in rows.index and not is_missing(rows.loc[k, "value"])}
    if not found:
        return {}
    rate = found.get("budget_disbursement_pct")
    if rate and not is_missing(rate.get("target")):
        found["quarter_target_pct"] = float(rate["target"])  # the cumulative % due by the end of its quarter
    found["ranking"] = ranking
    return found


def budget_ranking(engine: Engine, period, today, provinces=None) -> pd.DataFrame:
    frame = map_values(engine, BUDGET_RANKED, "province", None, period, today=today)
    if provinces is not None:
        frame = frame[frame["area_code"].isin(provinces)]
    return frame.reset_index(drop=True)


def province_map(engine: Engine, provinces) -> dict:
    """Province boundaries of `provinces` (imported), or the app's own tile grid of them."""
    geojson = boundaries(engine, "province")
    if not geojson.get("features"):
        geojson = visible_features(tilegrid_features())
    wanted = set(provinces)
    features = [f for f in geojson["features"] if f["id"] in wanted]
    framed = {**geojson, "features": features}
    if geojson.get("bbox") and features:  # frame the provinces shown, not the whole country
        points = [p for f in features for p in _points(f["geometry"]["coordinates"])]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        framed["bbox"] = [min(xs), min(ys), max(xs), max(ys)]
    return framed


def _points(coordinates):
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield coordinates
        return
    for part in coordinates:
        yield from _points(part)


# =========================================================================== the three reports


def _province(engine: Engine, request: EsrRequest, today, now) -> Esr:
    code, language, period = str(request.code or ""), request.language, request.period
    table = areas(engine)
    if code not in table.index or table.loc[code, "level"] != "province":
        raise UnknownArea(code)
    here = table.loc[code]
    base = _frame(engine, request, code, today, now)
    scores = province_goal_scores(engine, period, today=today)
    cluster_code = here["cluster_code"]
    members = scores[scores["cluster_code"] == cluster_code] if isinstance(cluster_code, str) else scores.iloc[0:0]
    ranking = budget_ranking(engine, period, today, list(members["area_code"].unique()) or None)
    map_kpi = headline_district_kpi(base["card"])
    map_frame, geojson = pd.DataFrame(), None
    if map_kpi:
        map_frame = map_values(engine, map_kpi, "district", code, period, today=today)
        geojson = boundaries(engine, "district", parent_code=code)
        geojson = geojson if geojson.get("features") else None
    name = area_name(here, language)
    title = area_title(here, language, code)
    subtitle = (
        area_name(table.loc[cluster_code], language) if isinstance(cluster_code, str) else t("no_cluster", language)
    )
    return Esr(
        **base,
        title=title,
        area_name=name,
        subtitle=subtitle,
        goal_ranks=scores[scores["area_code"] == code],
        budget=budget(base["card"], ranking),
        map_frame=map_frame,
        map_geojson=geojson,
        map_kpi=map_kpi,
        members=members,
    )


def _cluster(engine: Engine, request: EsrRequest, today, now) -> Esr:
    number, language, period = str(request.code or "").strip(), request.language, request.period
    table = clusters(engine)
    match = table[table["number"].astype(str) == number] if number.isdigit() else table.iloc[0:0]
    if match.empty:
        raise UnknownArea(f"cluster {number}")
    cluster = match.iloc[0]
    base = _frame(engine, request, str(cluster["code"]), today, now)
    provinces = list(cluster["provinces"])
    scores = province_goal_scores(engine, period, today=today)
    members = scores[scores["area_code"].isin(provinces)]
    overall = members[members["goal"] == "ALL"]
    name = area_name(cluster, language)
    region = areas(engine).loc[cluster["region_code"]]
    return Esr(
        **base,
        title=name,
        area_name=name,
        subtitle=area_name(region, language),
        goal_ranks=pd.DataFrame(),
        budget=budget(base["card"], budget_ranking(engine, period, today, provinces)),
        map_frame=overall.reset_index(drop=True),
        map_geojson=province_map(engine, provinces),
        map_kpi=None,
        members=members.reset_index(drop=True),
        comparison=cluster_comparison(engine, int(cluster["number"]), period, today=today),
    )


def _national(engine: Engine, request: EsrRequest, today, now) -> Esr:
    language, period = request.language, request.period
    base = _frame(engine, request, COUNTRY, today, now)
    scores = province_goal_scores(engine, period, today=today)
    overall = scores[scores["goal"] == "ALL"].reset_index(drop=True)
    table = clusters(engine)
    rows = []
    for cluster in table.to_dict("records"):
        summary = goal_summary(engine, cluster["code"], period, today=today).set_index("goal")
        rows.append(
            dict(
                number=cluster["number"],
                code=cluster["code"],
                name_th=cluster["name_th"],
                name_en=cluster["name_en"],
                provinces=len(cluster["provinces"]),
                score=summary.loc["ALL", "score"],
                status=summary.loc["ALL", "status"],
                **{f"score_{g}": summary.loc[g, "score"] for g in summary.index if g != "ALL"},
                **{f"status_{g}": summary.loc[g, "status"] for g in summary.index if g != "ALL"},
            )
        )
    country = areas(engine).loc[COUNTRY]
    name = area_name(country, language)
    off_target = province_table(engine, period, today=today)
    counts = off_target[off_target["status"] == "off_target"].groupby("kpi_id")["area_code"].nunique()
    base["exceptions"] = base["exceptions"].assign(provinces_off_target=lambda f: f["kpi_id"].map(counts).fillna(0))
    return Esr(
        **base,
        title=t("esr_national_title", language),
        area_name=name,
        subtitle=t("esr_national_sub_n", language).format(  # what the report shows, its viewer's share
            provinces=overall["area_code"].nunique(), clusters=len(rows)
        ),
        goal_ranks=pd.DataFrame(),
        budget=budget(base["card"], budget_ranking(engine, period, today)),
        map_frame=overall,
        map_geojson=province_map(engine, overall["area_code"]),
        map_kpi=None,
        members=scores.reset_index(drop=True),
        clusters=pd.DataFrame(rows),
    )
