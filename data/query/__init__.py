"""The query layer: named functions returning DataFrames, used by every view.

Pages, the wall screen and the ESR read data only through these functions, so they show
the same numbers computed the same way (scores, statuses and roll-ups come from
`data.rules.scoring`). Every function takes the engine first and a viewer `scope` last, and is
cached (see `data.query.cache`) until the next import.

The period argument is the period the user selected (`None` = as of today). Each KPI shows
its latest value for a period that ended on or before the end of the selected period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, and_, func, or_, select

from data.store.boundaries import boundary_counts, boundary_features
from data.query.cache import cached, reference_cached, store_errors
from data.store.rollups import aggregate_rows
from data.store.frames import (LENGTH_OF_LEVEL, VALUE_FIELDS, cutoff_period, frame_from_rows, latest_rows, period_key,
                               read_rollups, read_values, score_rows, with_history)
from data.rules.catalog import KPI, AggregationMethod, Catalog, Direction, get_catalog
from data.rules.periods import Period, newest_held, thai_today
from data.store.schema import Area, Cluster, ImportLog, KpiRollup, KpiValue, Meta
from data.rules import scoring

PERIOD_CODES = {"year": "Y", "quarter": "Q", "month": "M"}


@dataclass(frozen=True)
class Scope:
    """What a viewer may see. `None` means everything; later, a province sees its own restricted KPIs."""

    province_codes: frozenset[str] | None = None
    kpi_ids: frozenset[str] | None = None

    def allows_area(self, code: str) -> bool:
        return self.province_codes is None or not code[:2].isdigit() or code[:2] in self.province_codes

    def kpis(self, catalog: Catalog) -> list[KPI]:
        return [k for k in catalog.kpis if self.kpi_ids is None or k.id in self.kpi_ids]


PUBLIC = Scope()


class UnknownArea(LookupError):
    """No area has this code (pages show a clear 'not found' page)."""


class UnknownKpi(LookupError):
    """No KPI has this id."""


# =========================================================================== periods


def period_code(kpi: KPI) -> str:
    return PERIOD_CODES[kpi.period_type.value]


def as_of_date(period: Period | None, today: dt.date | None = None) -> dt.date:
    """The day whose data a view shows: the end of the period read, or today."""
    return period.end if period is not None else (today or thai_today())


def judged_on(period: Period | None, today: dt.date | None = None) -> dt.date:
    """The day freshness is judged on: `today` when given (the latest view: is the newest value
    still current?), else the end of the period read (a past view: was it current then?)."""
    return today if today is not None else as_of_date(period)


@cached
def held_periods(engine: Engine, scope: Scope = PUBLIC) -> tuple[Period, ...]:
    """Every period the store holds for a province or above (any KPI), oldest first: the choices
    of the period selectors.

    Read from the country's roll-up (one key range, small) and, for the KPIs without one (no
    aggregation rule, or a ratio or weighted mean whose parts are missing), from their province
    rows: the store's periods without a pass over every value.
    """
    kpis = [k.id for k in scope.kpis(get_catalog())]
    with engine.connect() as connection:
        rolled = connection.execute(
            select(KpiRollup.kpi_id, KpiRollup.period_type, KpiRollup.fiscal_year, KpiRollup.period_no)
            .where(KpiRollup.area_code == "TH", KpiRollup.kpi_id.in_(kpis))).all()
        rows = {tuple(row[1:]) for row in rolled}
        lacking = sorted(set(kpis) - {row[0] for row in rolled})  # no roll-up: none, or parts missing
        if lacking:
            rows |= set(connection.execute(
                select(KpiValue.period_type, KpiValue.fiscal_year, KpiValue.period_no).distinct()
                .where(KpiValue.kpi_id.in_(lacking), KpiValue.area_level == 2)).all())
    return tuple(sorted(Period(str(t), int(y), int(n)) for t, y, n in rows))


def period_label(row_type: str, fiscal_year, period_no, language: str = "th") -> str:
    if fiscal_year is None or pd.isna(fiscal_year):
        return "–"
    return Period(row_type, int(fiscal_year), int(period_no)).label(language)


def resolve_period(engine: Engine, requested: Period | None, today: dt.date | None = None
                   ) -> tuple[Period | None, dt.date | None]:
    """The one rule for "which period" every view follows (pages, wall, ESR, downloads):
    (the period to read, the day freshness is judged on). "Latest" (None) is the newest period
    the store holds that has ended, judged today; a requested period is read as its newest held
    period, judged as of its end; a requested period without data gives the latest (pages say
    so in a message; reports refuse it: `reports.content.NoDataForPeriod`)."""
    day = today or thai_today()
    held = held_periods(engine)
    if requested is None:
        return newest_held(held, today=day), day
    within = newest_held(held, within=requested, today=day)
    if within is None:  # nothing held for it: the latest, as the pages show it (they say so)
        return newest_held(held, today=day), day
    return within, None


# =========================================================================== areas


@reference_cached
def areas(engine: Engine) -> pd.DataFrame:
    """Every area: code, level, names, parent, province, cluster code (provinces and below), region."""
    columns = ["code", "level", "name_th", "name_en", "parent_code", "province_code"]
    with engine.connect() as connection:
        frame = frame_from_rows(connection.execute(select(*(getattr(Area, c) for c in columns))).cursor.fetchall(),
                                columns)
    parent = pd.Series(frame["parent_code"].to_numpy(), index=frame["code"].to_numpy())
    provinces = frame["level"] == "province"
    province_parent = pd.Series(frame.loc[provinces, "parent_code"].to_numpy(), index=frame.loc[provinces, "code"])
    cluster = frame["province_code"].map(province_parent)
    cluster = cluster.where(frame["level"] != "cluster", frame["code"])
    frame["cluster_code"] = cluster.where(cluster.fillna("").str.startswith("C"), None)
    region = frame["cluster_code"].map(parent)
    frame["region_code"] = region.where(frame["level"] != "region", frame["code"])
    return frame.set_index("code", drop=False)


def area(engine: Engine, code: str) -> pd.Series:
    """One area, or UnknownArea."""
    table = areas(engine)
    if code not in table.index:
        raise UnknownArea(code)
    return table.loc[code]


@reference_cached
def clusters(engine: Engine) -> pd.DataFrame:
    """The 18 clusters: number, code, names, region, head province, and member province codes."""
    table = areas(engine)
    with engine.connect() as connection:
        rows = connection.execute(select(Cluster.number, Cluster.area_code, Cluster.region_code,
                                         Cluster.head_province_code, Cluster.head_verified, Cluster.as_of)
                                  .order_by(Cluster.number)).all()
    frame = pd.DataFrame(rows, columns=["number", "code", "region_code", "head_province_code", "head_verified", "as_of"])
    frame["name_th"] = frame.code.map(table.name_th)
    frame["name_en"] = frame.code.map(table.name_en)
    provinces = table[table.level == "province"]
    frame["provinces"] = frame.code.map(lambda c: tuple(sorted(provinces.code[provinces.parent_code == c])))
    return frame


def cluster_code_of(engine: Engine, number: int) -> str:
    table = clusters(engine)
    match = table[table.number == number]
    if match.empty:
        raise UnknownArea(f"cluster {number}")
    return str(match.code.iloc[0])


def breadcrumb(engine: Engine, code: str) -> list[pd.Series]:
    """The chain country › (region ›) cluster › province › district › subdistrict down to `code`."""
    table = areas(engine)
    chain = [area(engine, code)]
    while isinstance(chain[-1].parent_code, str):  # the country's parent is missing (NaN)
        chain.append(table.loc[chain[-1].parent_code])
    return list(reversed(chain))


# =========================================================================== province table

MAX_PREFIXES = 24  # a KPI missing in more areas than this reads all its child rows in one range


@cached
def province_table(engine: Engine, period: Period | None = None, scope: Scope = PUBLIC,
                   today: dt.date | None = None) -> pd.DataFrame:
    """Every province × every KPI: latest value by the period, score, status, rank in cluster
    and country, and gap to the best province of the cluster. The base of maps, ranks and
    cluster comparisons."""
    catalog = get_catalog()
    kpis = {k.id: k for k in scope.kpis(catalog)}
    as_of = as_of_date(period, today)
    table = areas(engine)
    provinces = table[table.level == "province"]
    with engine.connect() as connection:
        rows = read_values(connection, list(kpis), level="province", as_of=as_of, latest_only=True)
        rows = _fill_missing_from_children(connection, rows, kpis, provinces, "district", as_of)
    latest = score_rows(latest_rows(rows), kpis, catalog, "province")
    latest = latest[latest["area_code"].map(scope.allows_area).astype(bool)]
    latest["cluster_code"] = latest["area_code"].map(provinces["cluster_code"])
    result = _rank(latest, kpis)
    result["freshness"] = _freshness(result, kpis, judged_on(period, today))
    return result


def _rank(latest: pd.DataFrame, kpis: dict[str, KPI]) -> pd.DataFrame:
    """Rank of each province per KPI in its cluster and in the country, by value in the KPI's
    direction, and the gap to the best, in KPI units."""
    sign = latest["kpi_id"].map({k: scoring.direction_sign(kpi.direction) for k, kpi in kpis.items()})
    # a context KPI (population, area, GPP size) has no better side: never ranked
    sign = sign.where(latest["kpi_id"].map({k: kpi.direction is not Direction.context for k, kpi in kpis.items()})
                      .astype(bool))
    ranked = scoring.rank_within(latest, "value", sign, ["kpi_id"], "country")
    return scoring.rank_within(ranked, "value", sign, ["kpi_id", "cluster_code"], "cluster")


def as_of_fiscal_year(as_of: dt.date) -> int:
    return Period.containing(as_of, "Y").fiscal_year


def _fill_missing_from_children(connection: Connection, rows: pd.DataFrame, kpis: dict[str, KPI],
                                parents: pd.DataFrame, child_level: str, as_of: dt.date) -> pd.DataFrame:
    """Where an area has no value of a KPI published at a finer level, aggregate its children's.

    Only the children of the (KPI, area) pairs that lack a value are read, with the parts
    (weights, numerators, denominators) those KPIs need: a few seeks of the primary key
    instead of every child row of every KPI.
    """
    finer = [k for k in kpis.values() if LENGTH_OF_LEVEL[k.finest_level] >= LENGTH_OF_LEVEL[child_level]
             and k.aggregation.method is not AggregationMethod.none]
    parent_codes = list(parents["code"])
    # .tolist(): iterating pandas string arrays element by element is many times slower
    present = set(zip(rows["kpi_id"].tolist(), rows["area_code"].tolist())) if not rows.empty else set()
    missing = {k.id: [code for code in parent_codes if (k.id, code) not in present] for k in finer}
    wanted = [k for k in finer if missing[k.id]]
    if not wanted:
        return rows
    prefixes: dict[str, set[str]] = {}
    for k in wanted:
        agg = k.aggregation
        for kpi_id in (k.id, agg.weight_kpi, agg.numerator_kpi, agg.denominator_kpi):
            if kpi_id:
                prefixes.setdefault(kpi_id, set()).update(missing[k.id])
    children = read_values(connection, sorted(prefixes), level=child_level, as_of=as_of,
                           prefixes_by_kpi={k: None if len(codes) > MAX_PREFIXES else sorted(codes)
                                            for k, codes in prefixes.items()})
    if children.empty:
        return rows
    parent_of = pd.Series({code: code[: LENGTH_OF_LEVEL[parents["level"].iloc[0]]] for code in children["area_code"].unique()})
    parent_of = parent_of[parent_of.isin(parents["code"])]
    expected = _children_count(parents, child_level)
    aggregated = aggregate_rows(children, {k.id: k for k in wanted}, parent_of, expected)
    if aggregated.empty:
        return rows
    aggregated = aggregated[[pair not in present for pair in zip(aggregated["kpi_id"].tolist(),
                                                                 aggregated["area_code"].tolist())]]
    aggregated = aggregated.assign(is_aggregated=True)
    return pd.concat([rows.assign(is_aggregated=False, coverage=1.0), aggregated], ignore_index=True)


def _children_count(parents: pd.DataFrame, child_level: str) -> pd.Series:
    """Number of areas of `child_level` in each parent (DOPA codes nest by prefix)."""
    import geothai

    counts = {}
    for code in parents["code"]:
        if child_level == "district":
            counts[code] = len(geothai.districts(code))
        else:
            counts[code] = len(geothai.subdistricts(code))
    return pd.Series(counts, dtype=float)


def _freshness(frame: pd.DataFrame, kpis: dict[str, KPI], as_of: dt.date) -> list[str]:
    """Freshness per row, computed once per distinct (frequency, period)."""
    frequency = {k: kpi.frequency.value for k, kpi in kpis.items()}
    known: dict[tuple, str] = {}
    states = []
    for kpi_id, period_type, year, number in zip(frame["kpi_id"].tolist(), frame["period_type"].tolist(),
                                                 frame["fiscal_year"].tolist(), frame["period_no"].tolist()):
        key = (frequency[kpi_id], period_type, int(year), int(number))
        state = known.get(key)
        if state is None:
            state = known[key] = scoring.freshness(Period(period_type, key[2], key[3]), key[0], as_of)
        states.append(state)
    return states


# =========================================================================== public functions


def _kpi_frame(catalog: Catalog, scope: Scope) -> pd.DataFrame:
    return pd.DataFrame([dict(
        kpi_id=k.id, goal=k.goal, name_th=k.name.th, name_en=k.name.en, unit_th=k.unit.th, unit_en=k.unit.en,
        direction=k.direction.value, scored=k.scored, weight=k.weight, decimals=k.decimals,
        frequency=k.frequency.value, kpi_period_type=period_code(k), finest_level=k.finest_level,
        owner_th=k.owner.th, owner_en=k.owner.en, source_th=k.source_agency.th, source_en=k.source_agency.en,
    ) for k in scope.kpis(catalog)])


@cached
def scorecard(engine: Engine, area_code: str, period: Period | None = None, scope: Scope = PUBLIC,
              today: dt.date | None = None) -> pd.DataFrame:
    """One row per KPI for an area: latest value by the period, target, score, status,
    achievement, change on the previous period and on a year earlier, trend, ranks (for a
    province), freshness and owner. KPIs without data are listed with status no_data."""
    result = _area_card(engine, area_code, period, scope, today)
    if area(engine, area_code).level == "province":
        ranks = province_table(engine, period, scope, today)
        ranks = ranks[ranks["area_code"] == area_code][
            ["kpi_id", "rank_cluster", "cluster_size", "rank_country", "country_size", "gap_to_best_cluster",
             "gap_to_best_country"]]
        result = result.merge(ranks, on="kpi_id", how="left")
    return result


@cached
def _area_card(engine: Engine, area_code: str, period: Period | None = None, scope: Scope = PUBLIC,
               today: dt.date | None = None) -> pd.DataFrame:
    """The scorecard without ranks: what the area's own values say (data_quality needs no
    more, and ranks are the one part that reads every province)."""
    catalog = get_catalog()
    kpis = {k.id: k for k in scope.kpis(catalog)}
    here = area(engine, area_code)
    as_of = as_of_date(period, today)
    rows = _area_rows(engine, here, kpis, as_of)
    latest = score_rows(latest_rows(rows), kpis, catalog, _score_level(here.level))
    latest = with_history(latest, rows, kpis)
    result = _kpi_frame(catalog, scope).merge(latest.drop(columns=["key"], errors="ignore"), on="kpi_id", how="left")
    result["area_code"] = area_code
    result["status"] = result["status"].fillna(scoring.NO_DATA)
    result["trend_values"] = [v if isinstance(v, tuple) else () for v in result["trend_values"]]
    result["is_demo"] = result["is_demo"].fillna(False).astype(bool)
    result["is_aggregated"] = result.get("is_aggregated", pd.Series(False, index=result.index)).fillna(False).astype(bool)
    has_period = result["fiscal_year"].notna()
    result["freshness"] = scoring.MISSING
    if has_period.any():
        result.loc[has_period, "freshness"] = _freshness(result[has_period], kpis, judged_on(period, today))
    result["missing_parts"] = [()] * len(result)
    if here.level in ("country", "region", "cluster"):
        result["missing_parts"] = _uncomputable(engine, here, result, kpis, period, scope, today)
    return result


def _uncomputable(engine: Engine, here: pd.Series, card: pd.DataFrame, kpis: dict[str, KPI], period: Period | None,
                  scope: Scope, today: dt.date | None) -> list[tuple[str, ...]]:
    """Per row of a cluster's, region's or the country's card: the KPIs a roll-up lacks (a ratio's
    numerator or denominator, a weighted mean's weights) where member provinces have values of
    the KPI but the roll-up could not be computed; () elsewhere. Pages and reports name them."""
    wanting = [k for k, value in zip(card["kpi_id"].tolist(), card["value"].tolist())
               if pd.isna(value) and kpis[k].aggregation.method in (AggregationMethod.ratio,
                                                                     AggregationMethod.weighted_mean)]
    if not wanting:
        return [()] * len(card)
    table = areas(engine)
    members = set(table[(table.level == "province") & _member_mask(table, here)].code)
    provinces = province_table(engine, period, scope, today)
    provinces = provinces[provinces["area_code"].isin(members) & provinces["value"].notna()]
    reporting = provinces.groupby("kpi_id")["area_code"].apply(set).to_dict()
    gaps: dict[str, tuple[str, ...]] = {}
    for kpi_id in wanting:
        reported = reporting.get(kpi_id)
        if not reported:
            continue  # no member has it either: plain no data
        agg = kpis[kpi_id].aggregation
        parts = [agg.weight_kpi] if agg.method is AggregationMethod.weighted_mean else [agg.numerator_kpi,
                                                                                         agg.denominator_kpi]
        # a part is lacking when the members reporting the KPI do not all report it
        lacking = tuple(part for part in parts if part and not reported <= reporting.get(part, set()))
        gaps[kpi_id] = lacking or tuple(p for p in parts if p)
    return [gaps.get(k, ()) for k in card["kpi_id"].tolist()]


def _score_level(level: str) -> str:
    return level if level in ("district", "subdistrict") else "province"


def _area_rows(engine: Engine, here: pd.Series, kpis: dict[str, KPI], as_of: dt.date) -> pd.DataFrame:
    """All rows of an area in the history window; aggregated from below where it has none."""
    table = areas(engine)
    level = here.level
    with engine.connect() as connection:
        if level in ("province", "district", "subdistrict"):
            rows = read_values(connection, list(kpis), area_codes=[here.code], as_of=as_of)
            if level != "subdistrict":
                child = "district" if level == "province" else "subdistrict"
                rows = _fill_missing_from_children(connection, rows, kpis, table.loc[[here.code]], child, as_of)
            return rows.assign(is_aggregated=rows.get("is_aggregated", False))
        # country, region, cluster: the roll-up of the member provinces
        return read_rollups(connection, list(kpis), here.code, as_of)


def _member_mask(table: pd.DataFrame, here: pd.Series) -> pd.Series:
    if here.level == "cluster":
        return table.cluster_code == here.code
    if here.level == "region":
        return table.region_code == here.code
    return pd.Series(True, index=table.index)


def _with_parts(kpis: dict[str, KPI]) -> set[str]:
    ids = set(kpis)
    for k in kpis.values():
        ids.update(p for p in (k.aggregation.weight_kpi, k.aggregation.numerator_kpi, k.aggregation.denominator_kpi) if p)
    return ids


@cached
def goal_summary(engine: Engine, area_code: str, period: Period | None = None, scope: Scope = PUBLIC,
                 today: dt.date | None = None) -> pd.DataFrame:
    """The six goal scores of an area (weighted, re-normalised, with coverage) and the overall
    score as goal "ALL", each with its status."""
    catalog = get_catalog()
    card = scorecard(engine, area_code, period, scope, today)
    goals = scoring.goal_scores_by_area(card[["kpi_id", "score"]].assign(area_code=area_code), scope.kpis(catalog))
    if goals.empty:  # no scored KPI in the viewer's scope: six empty goals and the overall
        goals = pd.DataFrame(columns=["area_code", "goal", "score", "coverage", "kpis_present", "kpis_scored",
                                      "missing"])
    goals = scoring.with_overall(goals, catalog.status_rule)
    if not (goals["goal"] == "ALL").any():
        goals = pd.concat([goals, pd.DataFrame([dict(area_code=area_code, goal="ALL", score=float("nan"), coverage=0.0,
                                                     kpis_present=0, kpis_scored=0, missing=(),
                                                     status=scoring.NO_DATA)])], ignore_index=True)
    goals = goals.drop(columns="area_code").reset_index(drop=True)
    goals["is_demo"] = bool(card["is_demo"].any())
    return goals


@cached
def province_goal_scores(engine: Engine, period: Period | None = None, scope: Scope = PUBLIC,
                         today: dt.date | None = None) -> pd.DataFrame:
    """Goal scores (and the overall score, goal "ALL") of every province, with ranks in its
    cluster and in the country (among the provinces whose score rests on enough data: see
    `scoring.with_overall`), and the gap to the best province of its cluster."""
    catalog = get_catalog()
    table = province_table(engine, period, scope, today)
    goals = scoring.goal_scores_by_area(table[["area_code", "kpi_id", "score"]], scope.kpis(catalog))
    goals = scoring.with_overall(goals, catalog.status_rule)
    provinces = areas(engine)
    goals["cluster_code"] = goals["area_code"].map(provinces["cluster_code"])
    goals["name_th"] = goals["area_code"].map(provinces["name_th"])
    goals["name_en"] = goals["area_code"].map(provinces["name_en"])
    goals["ranked_score"] = scoring.ranked_score(goals)
    ranked = scoring.rank_within(goals, "ranked_score", 1.0, ["goal"], "country")
    return scoring.rank_within(ranked, "ranked_score", 1.0, ["goal", "cluster_code"], "cluster")


@cached
def map_values(engine: Engine, kpi_id: str, level: str = "province", parent: str | None = None,
               period: Period | None = None, scope: Scope = PUBLIC, today: dt.date | None = None) -> pd.DataFrame:
    """One row per area of `level` (inside `parent`, a province or district code): the KPI's
    latest value by the period, score and status. Areas without data are included with NaN."""
    catalog = get_catalog()
    kpi = _kpi(catalog, kpi_id)
    table = areas(engine)
    as_of = as_of_date(period, today)
    targets = table[table.level == level]
    if parent:
        targets = targets[targets.code.str.startswith(parent)]
    if level == "province":
        data = province_table(engine, period, scope, today)
        data = data[data.kpi_id == kpi_id]
    else:
        with engine.connect() as connection:
            rows = read_values(connection, [kpi_id], level=level, prefix=parent, as_of=as_of, latest_only=True)
        data = score_rows(rows, {kpi_id: kpi}, catalog, level)
    frame = targets[["code", "name_th", "name_en"]].rename(columns={"code": "area_code"}).merge(
        data.drop(columns=["name_th", "name_en"], errors="ignore"), on="area_code", how="left")
    frame = frame[frame["area_code"].map(scope.allows_area).astype(bool)]
    frame["status"] = frame["status"].fillna(scoring.NO_DATA)
    frame["kpi_id"] = kpi_id
    return frame.reset_index(drop=True)


@cached
def cluster_comparison(engine: Engine, cluster_number: int, period: Period | None = None, scope: Scope = PUBLIC,
                       today: dt.date | None = None) -> pd.DataFrame:
    """Provinces of a cluster × KPIs: value, score, status, rank in the cluster and gap to the
    cluster's best province."""
    code = cluster_code_of(engine, cluster_number)
    table = province_table(engine, period, scope, today)
    names = areas(engine)
    provinces = names[(names.level == "province") & (names.cluster_code == code)].code
    kpi_ids = [k.id for k in scope.kpis(get_catalog())]
    grid = pd.MultiIndex.from_product([sorted(provinces), kpi_ids], names=["area_code", "kpi_id"]).to_frame(index=False)
    members = grid.merge(table[table["cluster_code"] == code], on=["area_code", "kpi_id"], how="left")
    members["status"] = members["status"].fillna(scoring.NO_DATA)  # a member without data is listed, not dropped
    members["cluster_code"] = code
    members = members.assign(name_th=members["area_code"].map(names["name_th"]),
                             name_en=members["area_code"].map(names["name_en"]))
    return members.merge(_kpi_frame(get_catalog(), scope)[["kpi_id", "goal", "name_th", "name_en", "unit_th",
                                                             "unit_en", "decimals", "direction", "weight"]]
                         .rename(columns={"name_th": "kpi_name_th", "name_en": "kpi_name_en"}),
                         on="kpi_id", how="left").reset_index(drop=True)


@cached
def series(engine: Engine, kpi_id: str, area_code: str, scope: Scope = PUBLIC) -> pd.DataFrame:
    """Every period of a KPI for an area, oldest first: value, target, score, status, flags."""
    catalog = get_catalog()
    kpi = _kpi(catalog, kpi_id)
    here = area(engine, area_code)
    if not scope.allows_area(area_code):
        return pd.DataFrame(columns=VALUE_FIELDS)
    with engine.connect() as connection:
        if here.level in ("province", "district", "subdistrict"):
            rows = read_values(connection, [kpi_id], area_codes=[area_code])
            if rows.empty and here.level != "subdistrict":
                child = "district" if here.level == "province" else "subdistrict"
                needed = _with_parts({kpi_id: kpi})
                children = read_values(connection, sorted(needed), level=child, prefix=area_code)
                parent_of = pd.Series(area_code, index=children["area_code"].unique())
                rows = aggregate_rows(children, {kpi_id: kpi}, parent_of,
                                       _children_count(areas(engine).loc[[area_code]], child))
        else:
            rows = read_rollups(connection, [kpi_id], area_code)
    rows = rows[rows["kpi_id"] == kpi_id].sort_values("key")
    scored = score_rows(rows.assign(area_code=area_code), {kpi_id: kpi}, catalog, _score_level(here.level))
    scored["label_th"] = [period_label(t, y, n, "th") for t, y, n in
                          zip(scored.period_type, scored.fiscal_year, scored.period_no)]
    scored["label_en"] = [period_label(t, y, n, "en") for t, y, n in
                          zip(scored.period_type, scored.fiscal_year, scored.period_no)]
    return scored.reset_index(drop=True)


@cached
def data_quality(engine: Engine, area_code: str, period: Period | None = None, scope: Scope = PUBLIC,
                 today: dt.date | None = None) -> pd.DataFrame:
    """Per KPI for an area: latest period, freshness (fresh / due / overdue / missing), last
    import, completeness (share of the area's sub-areas at the KPI's finest level reporting
    that period) and the owner — "ข้อมูลจริง / ตามจริง / ทำจริง"."""
    catalog = get_catalog()
    kpis = {k.id: k for k in scope.kpis(catalog)}
    card = _area_card(engine, area_code, period, scope, today)
    here = area(engine, area_code)
    completeness = _completeness(engine, here, card, kpis)
    out = card[["kpi_id", "goal", "name_th", "name_en", "owner_th", "owner_en", "source_th", "source_en", "frequency",
                "period_type", "fiscal_year", "period_no", "freshness", "is_demo"]].copy()
    out["completeness"] = out["kpi_id"].map(completeness)
    if here.level in ("province", "district", "subdistrict"):
        where = [KpiValue.area_level == len(area_code), KpiValue.area_code == area_code]
    else:  # the latest import among the provinces, over the recent fiscal years
        table = areas(engine)
        members = table[(table.level == "province") & _member_mask(table, here)].code
        first_year = int(card["fiscal_year"].min()) if card["fiscal_year"].notna().any() else 0
        where = [KpiValue.area_level == 2, KpiValue.area_code.in_(list(members)), KpiValue.fiscal_year >= first_year]
    with engine.connect() as connection:
        last = dict(connection.execute(
            select(KpiValue.kpi_id, func.max(KpiValue.imported_at))
            .where(KpiValue.kpi_id.in_(list(kpis)), *where)
            .group_by(KpiValue.kpi_id)).all())
    out["last_imported_at"] = out["kpi_id"].map(last)
    return out


def _completeness(engine: Engine, here: pd.Series, card: pd.DataFrame, kpis: dict[str, KPI]) -> dict[str, float]:
    """Share of the area's sub-areas, at each KPI's finest level, that reported its latest period
    (for a cluster, region or the country: the share of member provinces).

    KPIs are counted in groups that share a level and a period, with the sub-areas listed, so
    every count is a set of full-key seeks rather than a scan of the sub-areas' history.
    """
    table = areas(engine)
    latest = card.dropna(subset=["fiscal_year"])
    result: dict[str, float] = {}
    aggregated = here.level not in ("province", "district", "subdistrict")
    groups: dict[tuple, list[str]] = {}
    for kpi_id, period_type, year, number in zip(latest["kpi_id"].tolist(), latest["period_type"].tolist(),
                                                 latest["fiscal_year"].tolist(), latest["period_no"].tolist()):
        level = "province" if aggregated else kpis[kpi_id].finest_level
        if not aggregated and LENGTH_OF_LEVEL[level] <= LENGTH_OF_LEVEL[here.level]:
            result[kpi_id] = 1.0
            continue
        groups.setdefault((level, period_type, int(year), int(number)), []).append(kpi_id)
    universes: dict[str, list[str]] = {}
    with engine.connect() as connection:
        for (level, period_type, year, number), kpi_ids in groups.items():
            if level not in universes:
                if aggregated:
                    members = table[(table.level == "province") & _member_mask(table, here)]
                else:
                    members = table[(table.level == level) & table.code.str.startswith(here.code)]
                universes[level] = members["code"].tolist()
            universe = universes[level]
            counts = dict(connection.execute(
                select(KpiValue.kpi_id, func.count())
                .where(KpiValue.kpi_id.in_(kpi_ids), KpiValue.area_level == LENGTH_OF_LEVEL[level],
                       KpiValue.area_code.in_(universe), KpiValue.period_type == period_type,
                       KpiValue.fiscal_year == year, KpiValue.period_no == number)
                .group_by(KpiValue.kpi_id)).all())
            for kpi_id in kpi_ids:
                result[kpi_id] = counts.get(kpi_id, 0) / len(universe) if universe else 0.0
    return result


def _kpi(catalog: Catalog, kpi_id: str) -> KPI:
    found = catalog.by_id().get(kpi_id)
    if found is None:
        raise UnknownKpi(kpi_id)
    return found


@cached
def latest_periods(engine: Engine, area_code: str, scope: Scope = PUBLIC) -> pd.DataFrame:
    """The latest period with data per KPI for an area (all time)."""
    kpis = [k.id for k in scope.kpis(get_catalog())]
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(
            select(KpiValue.kpi_id, KpiValue.period_type, func.max(period_key(KpiValue)))
            .where(KpiValue.area_code == area_code, KpiValue.kpi_id.in_(kpis))
            .group_by(KpiValue.kpi_id, KpiValue.period_type)).all(), columns=["kpi_id", "period_type", "key"])
    frame["fiscal_year"] = frame["key"] // 100
    frame["period_no"] = frame["key"] % 100
    return frame.drop(columns="key")


# =========================================================================== boundaries


@cached
def boundaries(engine: Engine, level: str, detail: str = "web", parent_code: str | None = None,
               scope: Scope = PUBLIC) -> dict:
    """The stored boundaries of `level` (within `parent_code`) as a GeoJSON FeatureCollection,
    `id` = area code (`data.store.boundaries.boundary_features`); no features when none are imported."""
    with engine.connect() as connection:
        collection = boundary_features(connection, level, detail=detail, parent_code=parent_code)
    if scope.province_codes is not None:
        collection["features"] = [f for f in collection["features"] if scope.allows_area(f["id"])]
    return collection


@cached
def boundary_levels(engine: Engine) -> dict[str, int]:
    """How many areas of each level have a stored boundary."""
    with engine.connect() as connection:
        return boundary_counts(connection)


# =========================================================================== store facts


@store_errors
def store_meta(engine: Engine) -> dict[str, str]:
    """Facts about the store: data version, as-of dates of areas, clusters and catalog."""
    with engine.connect() as connection:
        return {key: value for key, value in connection.execute(select(Meta.key, Meta.value))}


@cached
def data_status(engine: Engine) -> pd.DataFrame:
    """Per KPI: how many values and areas the store holds, the latest period, and when it was
    last imported (`kpi_status`, which every import keeps)."""
    from data.store.schema import KpiRow, KpiStatus

    query = (
        select(KpiRow.id, KpiRow.goal, KpiStatus.values, KpiStatus.areas, KpiStatus.latest_key,
               KpiStatus.last_imported_at, KpiStatus.demo_values)
        .select_from(KpiRow)
        .join(KpiStatus, KpiStatus.kpi_id == KpiRow.id, isouter=True)
        .order_by(KpiRow.goal, KpiRow.id)
    )
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).all(),
                             columns=["kpi_id", "goal", "values", "areas", "latest_key", "last_imported_at",
                                      "demo_values"])
    for column in ("values", "areas", "demo_values"):
        frame[column] = frame[column].fillna(0).astype(int)
    latest = frame["latest_key"].astype("Int64")
    frame["latest_fiscal_year"] = latest // 100
    frame["latest_period_no"] = latest % 100
    return frame.drop(columns=["latest_key"])


@store_errors
def import_log(engine: Engine, limit: int = 20) -> pd.DataFrame:
    """The latest imports, newest first."""
    columns = ["id", "kind", "source_name", "status", "rows_read", "inserted", "revised", "unchanged",
               "message", "imported_by", "started_at", "finished_at"]
    query = select(*(getattr(ImportLog, c) for c in columns)).order_by(ImportLog.id.desc()).limit(limit)
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).all(), columns=columns)


__all__ = [
    "PUBLIC", "Scope", "UnknownArea", "UnknownKpi", "areas", "area", "clusters", "breadcrumb", "scorecard",
    "goal_summary", "province_table", "province_goal_scores", "map_values", "cluster_comparison", "series",
    "data_quality", "latest_periods", "held_periods", "judged_on", "resolve_period", "boundaries", "boundary_levels", "store_meta", "data_status", "import_log", "cutoff_period", "period_label",
    "and_", "or_",
]
