"""The naive way, for `bench/query_bench.py`: the whole `kpi_value` table in pandas, answers by
filter and group-by, and the check that the query layer gives the same answers.

Deliberately independent of the query layer: no `data.query`, no `data.rules.scoring`. It reads
thresholds and directions from the catalog, cluster membership from `data/clusters.yaml`, and
scores by its own linear interpolation between the thresholds, clipped to 1–5. The latest value
of a KPI for an area is the one of the latest quarter ending on or before the selected one.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sqlalchemy import Engine, text

from data.rules.catalog import Catalog
from data.rules.periods import Period

CHUNK_ROWS = 1_000_000


def period_key(period: Period) -> int:
    return period.fiscal_year * 100 + period.period_no


def naive_score(values: np.ndarray, thresholds, direction: str) -> np.ndarray:
    """Linear interpolation between the threshold points that earn 1..5, clipped to 1..5."""
    values = np.asarray(values, dtype=float)
    if thresholds is None:
        return np.full(values.shape, np.nan)
    points = np.asarray(thresholds, dtype=float)
    scores = np.arange(1.0, 6.0)
    if direction == "lower_better":  # thresholds decrease: walk them upwards
        points, scores = points[::-1], scores[::-1]
    segment = np.clip(np.searchsorted(points, values, side="right") - 1, 0, len(points) - 2)
    low, high = points[segment], points[segment + 1]
    result = scores[segment] + (values - low) / (high - low) * (scores[segment + 1] - scores[segment])
    return np.clip(result, 1.0, 5.0)


def cluster_membership(clusters_path: Path) -> dict[str, str]:
    """Province code -> cluster code (C01..C18), straight from the clusters file."""
    document = yaml.safe_load(Path(clusters_path).read_text(encoding="utf-8"))
    return {province: f"C{entry['number']:02d}" for entry in document["clusters"] for province in entry["provinces"]}


class Naive:
    """The whole table in memory (compact dtypes) and the naive answers computed from it."""

    def __init__(self, frame: pd.DataFrame, catalog: Catalog, cluster_of: dict[str, str]):
        self.frame = frame
        self.kpis = {k.id: k for k in catalog.kpis}
        self.cluster_of = cluster_of
        self.area_codes = np.asarray(frame["area"].cat.categories, dtype=object)
        self.kpi_codes = {k: i for i, k in enumerate(frame["kpi"].cat.categories)}
        self.area_index = {a: i for i, a in enumerate(self.area_codes)}

    # ------------------------------------------------------------------ load

    @classmethod
    def load(cls, engine: Engine, catalog: Catalog, clusters_path: Path) -> tuple["Naive", float, int]:
        """`SELECT * FROM kpi_value` into pandas through the driver's cursor, in 1 M-row chunks
        (all columns travel; the ones the answers need are kept, with compact dtypes, so 20 M rows
        fit in memory)."""
        start = time.perf_counter()
        with engine.connect() as connection:
            codes = sorted(c for (c,) in connection.execute(text("SELECT code FROM area")))
        kpi_type = pd.CategoricalDtype(sorted(k.id for k in catalog.kpis))
        area_type = pd.CategoricalDtype(codes)
        parts = []
        raw = engine.raw_connection()
        try:
            if engine.dialect.name == "postgresql":
                cursor = raw.driver_connection.cursor(name="naive_select_all")  # server-side: streamed
            else:
                cursor = raw.cursor()
            cursor.execute("SELECT * FROM kpi_value")
            names = [d[0] for d in cursor.description]
            wanted = {
                n: names.index(n) for n in ("kpi_id", "area_code", "period_type", "fiscal_year", "period_no", "value")
            }
            while rows := cursor.fetchmany(CHUNK_ROWS):
                columns = {name: np.array([row[i] for row in rows], dtype=object) for name, i in wanted.items()}
                del rows
                parts.append(
                    pd.DataFrame(
                        {
                            "kpi": pd.Categorical(columns["kpi_id"], dtype=kpi_type),
                            "area": pd.Categorical(columns["area_code"], dtype=area_type),
                            "period_type": pd.Categorical(columns["period_type"], categories=["M", "Q", "Y"]),
                            "key": columns["fiscal_year"].astype(np.int32) * 100
                            + columns["period_no"].astype(np.int32),
                            "value": columns["value"].astype(np.float64),
                        }
                    )
                )
                del columns
            cursor.close()
        finally:
            raw.close()
        frame = pd.concat(parts, ignore_index=True)
        del parts
        lengths = np.array([len(c) for c in codes], dtype=np.int8)
        frame["level"] = lengths[frame["area"].cat.codes.to_numpy()]
        seconds = time.perf_counter() - start
        return cls(frame, catalog, cluster_membership(clusters_path)), seconds, len(frame)

    # ------------------------------------------------------------------ helpers

    def _latest(self, mask: np.ndarray, by: list[str]) -> pd.DataFrame:
        rows = self.frame.loc[mask, ["kpi", "area", "key", "value"]]
        latest = rows.sort_values("key", kind="stable").drop_duplicates(by, keep="last")
        return latest.assign(kpi_id=latest["kpi"].astype(str), area_code=latest["area"].astype(str))

    def _scored(self, latest: pd.DataFrame) -> pd.DataFrame:
        latest = latest.copy()
        latest["score"] = np.nan
        for kpi_id, index in latest.groupby("kpi_id").indices.items():
            kpi = self.kpis[kpi_id]
            column = latest.columns.get_loc("score")
            latest.iloc[index, column] = naive_score(
                latest["value"].to_numpy()[index], kpi.thresholds, kpi.direction.value
            )
        return latest

    def _quarter_mask(self, period: Period) -> np.ndarray:
        frame = self.frame
        return (frame["period_type"].to_numpy() == "Q") & (frame["key"].to_numpy() <= period_key(period))

    # ------------------------------------------------------------------ answers

    def province_table(self, period: Period) -> pd.DataFrame:
        """Every province × KPI: latest value, score, rank in the country and in the cluster."""
        mask = self._quarter_mask(period) & (self.frame["level"].to_numpy() == 2)
        latest = self._scored(self._latest(mask, ["kpi", "area"]))
        sign = latest["kpi_id"].map(lambda k: -1.0 if self.kpis[k].direction.value == "lower_better" else 1.0)
        latest["goodness"] = latest["value"] * sign
        latest["cluster_code"] = latest["area_code"].map(self.cluster_of)
        latest["rank_country"] = latest.groupby("kpi_id")["goodness"].rank(method="min", ascending=False)
        # a province in no cluster (Bangkok) has no cluster rank
        latest["rank_cluster"] = latest.groupby(["kpi_id", "cluster_code"])["goodness"].rank(
            method="min", ascending=False
        )
        return latest[
            ["kpi_id", "area_code", "cluster_code", "key", "value", "score", "rank_country", "rank_cluster"]
        ].reset_index(drop=True)

    def map_values_district(self, kpi_id: str, period: Period) -> pd.DataFrame:
        """Every district (national) for one KPI: latest value and score; NaN where none."""
        frame = self.frame
        mask = (
            self._quarter_mask(period)
            & (frame["level"].to_numpy() == 4)
            & (frame["kpi"].cat.codes.to_numpy() == self.kpi_codes[kpi_id])
        )
        latest = self._scored(self._latest(mask, ["area"]))
        districts = pd.DataFrame({"area_code": [c for c in self.area_codes if len(c) == 4]})
        return districts.merge(latest[["area_code", "value", "score"]], on="area_code", how="left")

    def _area_card(self, code: str, period: Period) -> pd.DataFrame:
        """One area, every KPI: latest value, score, previous quarter's and year-earlier value."""
        frame = self.frame
        mask = self._quarter_mask(period) & (frame["area"].cat.codes.to_numpy() == self.area_index[code])
        rows = frame.loc[mask, ["kpi", "key", "value"]]
        lookup = dict(zip(zip(rows["kpi"].astype(str), rows["key"]), rows["value"]))
        latest = self._scored(self._latest(mask, ["kpi"]))
        keys = latest["key"].to_numpy()
        previous = np.where(keys % 100 == 1, (keys // 100 - 1) * 100 + 4, keys - 1)
        latest["prev_value"] = [lookup.get((k, p), np.nan) for k, p in zip(latest["kpi_id"], previous)]
        latest["yoy_value"] = [lookup.get((k, y), np.nan) for k, y in zip(latest["kpi_id"], keys - 100)]
        return latest

    def scorecard_province(self, code: str, period: Period) -> pd.DataFrame:
        """One province, every KPI: its card and ranks (from the naive province table)."""
        latest = self._area_card(code, period)
        table = self.province_table(period)
        ranks = table[table["area_code"] == code][["kpi_id", "rank_cluster", "rank_country"]]
        return latest[["kpi_id", "value", "score", "prev_value", "yoy_value"]].merge(ranks, on="kpi_id", how="left")

    def scorecard_district(self, code: str, period: Period) -> pd.DataFrame:
        return self._area_card(code, period)[["kpi_id", "value", "score", "prev_value", "yoy_value"]]

    def _goal_scores(self, scores: pd.DataFrame) -> pd.DataFrame:
        """Per area and goal, from rows (area_code, kpi_id, score): the weighted mean of the scores
        present over the weights present, and the share of the goal's weight present; and goal
        ALL, the mean of the goal scores present with the share of goals present."""
        scored = [k for k in self.kpis.values() if k.scored]
        goals = sorted({k.goal for k in scored})
        rows = []
        for area, group in scores.groupby("area_code"):
            got = {k: s for k, s in zip(group["kpi_id"], group["score"]) if not np.isnan(s)}
            goal_scores = []
            for goal in goals:
                members = [k for k in scored if k.goal == goal]
                present = [(k.weight, got[k.id]) for k in members if k.id in got]
                weight = sum(w for w, _ in present)
                score = sum(w * s for w, s in present) / weight if weight > 0 else np.nan
                rows.append(
                    dict(area_code=area, goal=goal, score=score, coverage=weight / sum(k.weight for k in members))
                )
                goal_scores.append(score)
            present = [s for s in goal_scores if not np.isnan(s)]
            rows.append(
                dict(
                    area_code=area,
                    goal="ALL",
                    score=float(np.mean(present)) if present else np.nan,
                    coverage=len(present) / len(goals),
                )
            )
        return pd.DataFrame(rows)

    def goal_summary_province(self, code: str, period: Period) -> pd.DataFrame:
        card = self._area_card(code, period)
        return self._goal_scores(card.assign(area_code=code))[["goal", "score", "coverage"]]

    def province_goal_scores(self, period: Period) -> pd.DataFrame:
        """Goal scores of every province, ranked in the country and in its cluster."""
        goals = self._goal_scores(self.province_table(period)[["area_code", "kpi_id", "score"]])
        goals["cluster_code"] = goals["area_code"].map(self.cluster_of)
        goals["rank_country"] = goals.groupby("goal")["score"].rank(method="min", ascending=False)
        goals["rank_cluster"] = goals.groupby(["goal", "cluster_code"])["score"].rank(method="min", ascending=False)
        return goals

    def map_values_province(self, kpi_id: str, period: Period) -> pd.DataFrame:
        """Every province for one KPI (the naive province table's rows); NaN where none."""
        table = self.province_table(period)
        provinces = pd.DataFrame(
            {"area_code": [c for c in self.area_codes if len(c) == 2 and c.isdigit()]}
        )  # not R1..R6
        return provinces.merge(
            table[table["kpi_id"] == kpi_id][["area_code", "value", "score"]], on="area_code", how="left"
        )

    def map_values_subdistrict(self, kpi_id: str, period: Period, parent: str) -> pd.DataFrame:
        """Every subdistrict of a province for one KPI: latest value and score; NaN where none."""
        frame = self.frame
        inside = np.array([c.startswith(parent) for c in self.area_codes])[frame["area"].cat.codes.to_numpy()]
        mask = (
            self._quarter_mask(period)
            & (frame["level"].to_numpy() == 6)
            & inside
            & (frame["kpi"].cat.codes.to_numpy() == self.kpi_codes[kpi_id])
        )
        latest = self._scored(self._latest(mask, ["area"]))
        subdistricts = pd.DataFrame({"area_code": [c for c in self.area_codes if len(c) == 6 and c.startswith(parent)]})
        return subdistricts.merge(latest[["area_code", "value", "score"]], on="area_code", how="left")

    def series(self, kpi_id: str, area_code: str) -> pd.DataFrame:
        """Every quarter of one KPI for one area, with its score."""
        frame = self.frame
        mask = (frame["kpi"].cat.codes.to_numpy() == self.kpi_codes[kpi_id]) & (
            frame["area"].cat.codes.to_numpy() == self.area_index[area_code]
        )
        rows = self._scored(self._latest(mask, ["kpi", "area", "key"]))
        return rows.assign(key=rows["key"].astype(str))[["key", "value", "score"]]

    def data_quality_province(self, code: str, period: Period) -> pd.DataFrame:
        """Per KPI: the share of the province's subdistricts (every KPI here is published down to
        them) that reported the province's latest quarter."""
        frame = self.frame
        card = self._area_card(code, period)
        universe = [c for c in self.area_codes if len(c) == 6 and c.startswith(code)]
        inside = np.array([len(c) == 6 and c.startswith(code) for c in self.area_codes])
        rows = frame.loc[inside[frame["area"].cat.codes.to_numpy()], ["kpi", "key"]]
        reported = rows.assign(kpi_id=rows["kpi"].astype(str)).groupby(["kpi_id", "key"]).size()
        card["completeness"] = [
            reported.get((k, key), 0) / len(universe) for k, key in zip(card["kpi_id"], card["key"])
        ]
        return card[["kpi_id", "completeness"]]

    def _province_values(self, period: Period) -> pd.Series:
        """Every province value of the three years up to the selected quarter, indexed (kpi_id,
        area, key), where a province lacks its own value of a quarter filled from its districts
        by the KPI's rule: a sum adds the districts up, a ratio divides its parts' province values
        (their own or those sums), a weighted mean weighs the districts by the weight KPI."""
        frame = self.frame
        keys, level = frame["key"].to_numpy(), frame["level"].to_numpy()
        window = self._quarter_mask(period) & (keys >= period_key(period) - 300)

        def rows(length: int) -> pd.DataFrame:
            picked = frame.loc[window & (level == length), ["kpi", "area", "key", "value"]]
            return pd.DataFrame(
                {
                    "kpi_id": picked["kpi"].astype(str).to_numpy(),
                    "area": picked["area"].astype(str).to_numpy(),
                    "key": picked["key"].to_numpy(),
                    "value": picked["value"].to_numpy(),
                }
            )

        def series(table: pd.DataFrame, kpi_id: str | None = None) -> pd.Series:
            if kpi_id is not None:
                table = table.assign(kpi_id=kpi_id)
            return table.set_index(["kpi_id", "area", "key"])["value"]

        own = series(rows(2))
        districts = rows(4).assign(district=lambda d: d["area"], area=lambda d: d["area"].str[:2])  # in this order
        method = {k: kpi.aggregation.method.value for k, kpi in self.kpis.items()}
        sums = series(
            districts[districts["kpi_id"].map(method) == "sum"]
            .groupby(["kpi_id", "area", "key"], as_index=False)["value"]
            .sum()
        )
        combined = pd.concat([own, sums[~sums.index.isin(own.index)]])
        filled = [sums[~sums.index.isin(own.index)]]
        for kpi_id, kpi in self.kpis.items():
            agg = kpi.aggregation
            if method[kpi_id] == "ratio":
                pair = pd.concat(
                    [
                        combined.xs(agg.numerator_kpi, level="kpi_id").rename("num"),
                        combined.xs(agg.denominator_kpi, level="kpi_id").rename("den"),
                    ],
                    axis=1,
                    join="inner",
                )
                pair = pair[pair["den"] > 0].reset_index()
                value = series(
                    pair.assign(value=pair["num"] / pair["den"] * agg.scale)[["area", "key", "value"]], kpi_id
                )
            elif method[kpi_id] == "weighted_mean":
                weights = districts[districts["kpi_id"] == agg.weight_kpi][["district", "key", "value"]]
                own_rows = districts[districts["kpi_id"] == kpi_id]
                merged = own_rows.merge(weights.rename(columns={"value": "weight"}), on=["district", "key"])
                merged = merged[merged["weight"] > 0]
                grouped = (
                    merged.assign(vw=merged["value"] * merged["weight"])
                    .groupby(["area", "key"])[["vw", "weight"]]
                    .sum()
                )
                grouped = grouped[grouped["weight"] != 0]
                value = series((grouped["vw"] / grouped["weight"]).rename("value").reset_index(), kpi_id)
            else:
                continue
            filled.append(value[~value.index.isin(own.index)])
        return pd.concat([own, *filled])

    def scorecard_rollup(self, code: str, period: Period) -> pd.DataFrame:
        """A cluster (C01..C18) or the country (TH), every KPI: the value of its member provinces
        by the KPI's rule (a sum; a weighted mean by the weight KPI over the provinces whose weight
        is above 0; a ratio of the sums of its parts, times its scale, over the provinces with
        both parts; nothing for a KPI that is not aggregated), the latest quarter up to the
        selected one, its score, the previous quarter's and the year-earlier value."""
        values = self._province_values(period)
        members = {
            a for a in values.index.get_level_values("area").unique() if code == "TH" or self.cluster_of.get(a) == code
        }
        values = values[values.index.get_level_values("area").isin(members)]
        out = []
        for kpi_id, kpi in self.kpis.items():
            agg = kpi.aggregation
            method = agg.method.value
            mine = values.xs(kpi_id, level="kpi_id") if kpi_id in values.index.get_level_values("kpi_id") else None
            result = pd.Series(dtype=float)
            if mine is not None and method == "sum":
                result = mine.groupby(level="key").sum()
            elif mine is not None and method in ("weighted_mean", "ratio"):
                parts = [agg.weight_kpi] if method == "weighted_mean" else [agg.numerator_kpi, agg.denominator_kpi]
                table = mine.rename("value").to_frame()
                for index, part in enumerate(parts):
                    table[f"part{index}"] = values.xs(part, level="kpi_id").reindex(table.index)
                if method == "weighted_mean":
                    table = table[table["part0"] > 0]
                    sums = (
                        table.assign(num=table["value"] * table["part0"], den=table["part0"])
                        .groupby(level="key")[["num", "den"]]
                        .sum()
                    )
                    scale = 1.0
                else:
                    table = table.dropna(subset=["part0", "part1"])
                    sums = (
                        table.rename(columns={"part0": "num", "part1": "den"})
                        .groupby(level="key")[["num", "den"]]
                        .sum()
                    )
                    scale = agg.scale
                sums = sums[sums["den"] != 0]
                result = sums["num"] / sums["den"] * scale
            latest = result[result.index <= period_key(period)]
            if latest.empty:
                out.append(dict(kpi_id=kpi_id, value=np.nan, score=np.nan, prev_value=np.nan, yoy_value=np.nan))
                continue
            key = int(latest.index.max())
            previous = (key // 100 - 1) * 100 + 4 if key % 100 == 1 else key - 1
            out.append(
                dict(
                    kpi_id=kpi_id,
                    value=latest[key],
                    prev_value=result.get(previous, np.nan),
                    yoy_value=result.get(key - 100, np.nan),
                    score=float(naive_score([latest[key]], kpi.thresholds, kpi.direction.value)[0])
                    if kpi.scored
                    else np.nan,
                )
            )
        return pd.DataFrame(out)

    def cluster_comparison(self, number: int, period: Period) -> pd.DataFrame:
        """The provinces of one cluster × KPIs, from the naive province table."""
        table = self.province_table(period)
        return table[table["cluster_code"] == f"C{number:02d}"].reset_index(drop=True)


# =========================================================================== comparison


def _floats(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def compare(
    layer: pd.DataFrame,
    naive: pd.DataFrame,
    keys: list[str],
    columns: list[str],
    rtol: float = 1e-9,
    atol: float = 1e-9,
) -> tuple[int, list[str]]:
    """Number of values compared, and the differences (empty when the answers are equal)."""
    missing = [c for c in keys + columns if c not in layer.columns]
    if missing:
        return 0, [f"query layer answer has no column(s) {missing}"]
    left = layer[keys + columns].copy()
    for key in keys:
        left[key] = left[key].astype(str)
    merged = left.merge(naive[keys + columns], on=keys, how="outer", suffixes=("_layer", "_naive"), indicator=True)
    problems = []
    unmatched = merged[merged["_merge"] != "both"]
    if len(unmatched):
        sample = unmatched[keys + ["_merge"]].head(3).to_dict("records")
        problems.append(f"{len(unmatched)} rows only on one side, e.g. {sample}")
    both = merged[merged["_merge"] == "both"]
    for column in columns:
        a, b = _floats(both[f"{column}_layer"]), _floats(both[f"{column}_naive"])
        equal = np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True)
        if not equal.all():
            bad = both[~equal][keys + [f"{column}_layer", f"{column}_naive"]].head(3).to_dict("records")
            problems.append(f"{column}: {int((~equal).sum())} of {len(equal)} differ, e.g. {bad}")
    return len(both) * len(columns), problems
