"""The areas a demo is generated for: codes per level, parent links, deterministic weights and
each province's real size (registered population and land area, `data/reference/province_facts.csv`).
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from data.rules.catalog import KPI
from data.rules.periods import Period
from data.rules.province_facts import FACTS_FISCAL_YEAR, load_province_facts

LEVEL_ORDER = ("province", "district", "subdistrict")

Series = dict[str, np.ndarray]  # level -> areas × periods matrix, rows in `DemoAreas.codes[level]` order


def seed(*parts: str) -> int:
    """A random seed from KPI and area codes, never from the clock."""
    return zlib.crc32("|".join(parts).encode("utf-8"))


class DemoAreas:
    """Area codes per level and child→parent links, with deterministic population-like weights,
    and each province's real size (registered population and land area, `data/province_facts`)."""

    def __init__(self, frame: pd.DataFrame):
        self.codes = {level: frame.loc[frame.level == level, "code"].to_numpy() for level in LEVEL_ORDER}
        self.parent = dict(zip(frame.code, frame.parent_code))
        self.province_of = dict(zip(frame.code, frame.province_code))
        self.weight = {code: float(np.random.default_rng(seed("pop", code)).lognormal(0.0, 0.6)) for code in frame.code}
        facts = load_province_facts()
        provinces = self.codes["province"]
        known = facts.reindex(provinces)
        # a province the reference table does not know gets a median province's size
        self.population = known.registered_population.fillna(facts.registered_population.median()).to_numpy(float)
        self.area = known.area_km2.fillna(facts.area_km2.median()).to_numpy(float)
        density = self.population / self.area
        self.density = density / float(np.median(facts.registered_population / facts.area_km2))
        # registered population drifts by -0.5..+0.5 % a year around the reference figure
        self.drift = np.array([np.random.default_rng(seed("drift", code)).uniform(-0.005, 0.005) for code in provinces])

    def levels_for(self, kpi: KPI) -> list[str]:
        return list(LEVEL_ORDER[: LEVEL_ORDER.index(kpi.finest_level) + 1])

    def registered(self, periods: list[Period]) -> np.ndarray:
        """Provinces × periods: the registered population of each period's fiscal year, anchored at
        the reference figure for its fiscal year (FY 2565)."""
        years = np.array([p.fiscal_year - FACTS_FISCAL_YEAR for p in periods], dtype=float)
        return self.population[:, None] * (1.0 + self.drift[:, None]) ** years[None, :]

    def parent_rows(self, child_codes: np.ndarray, parent_codes: np.ndarray) -> np.ndarray:
        """For each child, the row of its parent among `parent_codes`."""
        parent_index = {code: i for i, code in enumerate(parent_codes)}
        return np.array([parent_index[self.parent[c]] for c in child_codes], dtype=int)

    def lonely(self, coarser: str, finer: str) -> np.ndarray:
        """Which areas of level `coarser` have no children of level `finer` in the areas frame."""
        return ~np.isin(self.codes[coarser], [self.parent[c] for c in self.codes[finer]])
