"""The demo's tables of realistic sizes: how each summed KPI scales with a province's population
or land area (`SIZES`), the provinces far from the national level (`HUBS`), and the KPIs the
other demo values are derived from (`ANCHORS`, `VERSUS_SCHEDULE`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data.rules.catalog import KPI


@dataclass(frozen=True)
class Size:
    """How a summed KPI (money, counts, areas) scales with a province's size.

    A province's value is `intensity` × its registered population (basis "population") or land
    area ("area"), the intensity drawn per province around the national level given: lognormal
    with `sigma`, times its density relative to the median province raised to `density_power`
    (farms are rural, houses per person urban), clipped to `density_clip`, times the demo's
    `HUBS` factor of the `group` (Bangkok's central agencies, the tourist provinces). Provinces
    share the same draw for the same `group` (tourist visitors and income go together). The
    intensity is per period, or for a `cumulative` KPI the fiscal year's total. `growth` is the
    mean change a year (from FY 2565); `steady` values hold for the whole fiscal year (an
    allocation); `profile` is the exponent of the cumulative share of the year by period n
    ((n/12)^profile: below 1 front-loaded)."""

    intensity: float
    basis: str = "population"
    sigma: float = 0.3
    group: str | None = None
    growth: float = 0.0
    density_power: float = 0.0
    density_clip: tuple[float, float] = (0.05, 20.0)
    steady: bool = False
    profile: float = 1.0


# Realistic national levels: GDP about 17-18 trillion THB (from GPP per capita × NESDC population),
# province budgets of a few to some tens of billions THB (Bangkok, where the central agencies sit,
# far more), about 0.5 M live births a year, 2.4 registered persons per house.
SIZES: dict[str, Size] = {
    "households_registered": Size(0.385, sigma=0.05, growth=0.012, density_power=0.09, density_clip=(0.8, 1.3)),
    "farm_households": Size(0.12, sigma=0.3, growth=-0.005, density_power=-0.8, density_clip=(0.05, 1.6)),
    "otop_sales": Size(0.0035, sigma=0.45, growth=0.04),
    "tourism_visitors": Size(3.8, sigma=0.2, group="tourism", growth=0.03),
    "tourism_income": Size(0.025, sigma=0.25, group="tourism", growth=0.07),
    "crime_cases_reported": Size(3.0e-4, sigma=0.35, growth=-0.01),
    "drug_cases": Size(4.0e-4, sigma=0.45),
    "disaster_affected_households": Size(1.5e-3, sigma=0.9),
    "budget_allocated_mthb": Size(0.013, sigma=0.0, group="budget", growth=0.03, steady=True),
    "capital_budget_allocated_mthb": Size(0.0033, sigma=0.15, group="budget", growth=0.03, steady=True),
    "damrongdhama_received": Size(0.0025, sigma=0.5, growth=0.02),
    "informal_debt_registered": Size(0.0015, sigma=0.6, profile=0.7),
    "bmn_households_surveyed": Size(0.17, sigma=0.15, density_power=-0.4, density_clip=(0.2, 1.3)),
    "live_births": Size(0.0078, sigma=0.15, growth=-0.025),
    "area_sq_km": Size(1.0, basis="area", sigma=0.0, steady=True),
}
# the sigma of a group's shared draw, and the provinces far from the national level
GROUP_SIGMA = {"tourism": 0.7, "budget": 0.25}
HUBS: dict[str, dict[str, float]] = {
    # visitors and their spending: Phuket, Krabi, Phangnga, Chon Buri, Bangkok, Chiang Mai, Surat Thani, ...
    "tourism": {"83": 8.0, "81": 4.0, "82": 3.0, "20": 3.0, "10": 3.0, "77": 2.5, "50": 2.0, "84": 2.0},
    # budget spent in the province: the central agencies in Bangkok, the regional centres
    "budget": {"10": 4.0, "50": 1.2, "40": 1.2, "90": 1.2, "65": 1.2, "30": 1.15, "34": 1.15},
    # GPP per capita: the capital and the industrial provinces of the Eastern Seaboard and the perimeter
    "economy": {
        "10": 4.0,
        "21": 5.0,
        "20": 2.8,
        "11": 2.0,
        "74": 2.2,
        "14": 2.4,
        "24": 2.0,
        "25": 1.8,
        "83": 1.8,
        "13": 1.5,
        "12": 1.2,
    },
    # NESDC's average population over the registered one (migrant workers, non-registered residents)
    "nesdc_population": {
        "10": 1.45,
        "11": 1.3,
        "13": 1.3,
        "20": 1.35,
        "21": 1.35,
        "74": 1.35,
        "14": 1.2,
        "24": 1.2,
        "83": 1.3,
        "12": 1.15,
    },
}
FACTOR_KPIS = {"gpp_per_capita": "economy"}  # per-capita KPIs scaled by a HUBS group
# a rate against a cumulative schedule: the demo's value is the scheduled KPI's value over its target
# share of the quarter (29 % disbursed by Q4 is 29 % of the target, never 105 %)
VERSUS_SCHEDULE = {"budget_disbursement_vs_target": "budget_disbursement_pct"}
# drawn first, in this order: the real sizes the other KPIs are derived from
ANCHORS = ("population_registered", "households_registered", "area_sq_km", "population_nesdc")


def hub(group: str | None, provinces: np.ndarray) -> np.ndarray:
    """Each province's `HUBS` factor of `group` (1 outside the group's hubs)."""
    factors = HUBS.get(group or "", {})
    return np.array([factors.get(code, 1.0) for code in provinces])


def fallback_size(kpi: KPI, mean_population: float) -> Size:
    """A summed KPI the demo does not know: its typical range's middle for a mean-sized province."""
    low, high = kpi.typical_range
    middle = float(np.sqrt(max(low, high * 0.01) * high)) if high > 0 else 0.0
    return Size(middle / mean_population, sigma=0.4)


def steady_split(kpi_id: str) -> bool:
    """Whether a summed KPI (an area, a population, an allocation) is split among an area's
    children the same way every period."""
    return kpi_id in ANCHORS or (kpi_id in SIZES and SIZES[kpi_id].steady)
