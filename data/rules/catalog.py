"""The KPI catalog: the typed model of `kpi_definitions.yaml` and its validation (each KPI's own
rules here; the checks across the file, with the line of each problem, in `data.rules.catalog_checks`).

A wrong catalog stops start-up with a `CatalogError` naming the file, the line, the KPI and
the reason, so a POC officer editing the YAML knows exactly what to fix.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

GOALS = ("G1", "G2", "G3", "G4", "G5", "G6")
LEVELS = ("country", "region", "cluster", "province", "district", "subdistrict")
AREA_LEVELS = ("province", "district", "subdistrict")


class Direction(str, Enum):
    higher_better = "higher_better"
    lower_better = "lower_better"
    context = "context"


class Frequency(str, Enum):
    """How often the source agency publishes (drives freshness)."""

    daily = "daily"
    weekly = "weekly"
    monthly = "monthly"
    quarterly = "quarterly"
    annual = "annual"
    biennial = "biennial"


class PeriodType(str, Enum):
    """The period a stored value covers: fiscal year, fiscal quarter or month."""

    year = "year"
    quarter = "quarter"
    month = "month"


class AggregationMethod(str, Enum):
    sum = "sum"
    weighted_mean = "weighted_mean"  # weights from another KPI, usually population
    ratio = "ratio"  # sum(numerator KPI) / sum(denominator KPI) * scale
    none = "none"  # not aggregable: published for each level on its own


class Text(BaseModel):
    """A text in Thai and English."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    th: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.th


class Aggregation(BaseModel):
    """How district values roll up to a province (and provinces to a cluster, the country)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    method: AggregationMethod
    weight_kpi: str | None = None
    numerator_kpi: str | None = None
    denominator_kpi: str | None = None
    scale: float = 1.0

    @model_validator(mode="after")
    def _fields_for_method(self) -> "Aggregation":
        if self.method is AggregationMethod.weighted_mean and not self.weight_kpi:
            raise ValueError("weighted_mean needs weight_kpi (the KPI that gives the weights)")
        if self.method is AggregationMethod.ratio and not (self.numerator_kpi and self.denominator_kpi):
            raise ValueError("ratio needs numerator_kpi and denominator_kpi")
        return self


class StatusRule(BaseModel):
    """Score cut-offs for the status: on target at or above `on_target`, watch at or above `watch`.

    `min_coverage` (per cent) gates goal and overall scores: one whose coverage (the share of
    its weight with data) is below it is "insufficient data", unranked, whatever its score."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    on_target: float = Field(default=3.0, ge=1, le=5)
    watch: float = Field(default=2.0, ge=1, le=5)
    min_coverage: float = Field(default=50.0, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> "StatusRule":
        if self.watch > self.on_target:
            raise ValueError("watch must not be above on_target")
        return self


class TargetBasis(str, Enum):
    """What a KPI's target is a target of."""

    period = "period"  # the target holds for every period as it is (rates, ratios, levels)
    fiscal_year = "fiscal_year"  # the whole fiscal year's; a quarter or month is due its cumulative share


MAX_MAGNITUDE = 1e12  # no KPI figure is larger in size


class KPI(BaseModel):
    """One indicator of the catalog."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,62}$")
    goal: str
    name: Text
    description: Text
    unit: Text
    direction: Direction
    aggregation: Aggregation
    frequency: Frequency
    period_type: PeriodType
    finest_level: str
    source_agency: Text
    owner: Text
    thresholds: tuple[float, float, float, float, float] | None = None
    weight: float = Field(ge=0, le=100)
    target: float | None = None
    decimals: int = Field(default=1, ge=0, le=4)
    # the value is a fiscal-year-to-date total that grows through the year (money, counts, a
    # disbursement rate); a rate of two such totals (resolved / received) is not
    cumulative: bool = False
    # required with a target: see `TargetBasis` and `target_share`
    target_basis: TargetBasis | None = None
    # for a fiscal-year target: the cumulative per cent of it due by the end of each quarter (4
    # values) or month (12), ending at 100, e.g. the cabinet's disbursement schedule; without
    # it the target is pro-rated by elapsed time. Its source is said in `target_schedule_source`
    target_schedule: tuple[float, ...] | None = None
    target_schedule_source: Text | None = None
    population_base: str | None = None
    typical_range: tuple[float, float]
    # hard limits of a value (and a target): a value outside is refused at import. Unset: derived
    # (see `valid_bounds`); either end may be null (no limit that side)
    valid_range: tuple[float | None, float | None] | None = None
    # a 0 for a province is implausible (a survey not run, a cell left at 0): imports warn. Unset:
    # derived, true when the typical range starts above 0
    zero_implausible: bool | None = None
    status_rule: StatusRule | None = None
    # shown only to accounts whose role may see restricted KPIs, and only for areas they hold
    # (data.query.scope.Scope): never in published roll-ups of areas outside their scope
    restricted: bool = False

    @field_validator("goal")
    @classmethod
    def _goal(cls, value: str) -> str:
        if value not in GOALS:
            raise ValueError(f"goal must be one of {', '.join(GOALS)}, not {value!r}")
        return value

    @field_validator("finest_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value not in AREA_LEVELS:
            raise ValueError(f"finest_level must be one of {', '.join(AREA_LEVELS)}, not {value!r}")
        return value

    @model_validator(mode="after")
    def _scoring(self) -> "KPI":
        if self.typical_range[0] > self.typical_range[1]:
            raise ValueError("typical_range must be [low, high]")
        if self.valid_range is not None and None not in self.valid_range and self.valid_range[0] > self.valid_range[1]:
            raise ValueError("valid_range must be [low, high]")
        if self.direction is Direction.context and self.thresholds is not None:
            raise ValueError("a context KPI has no better direction, so it cannot have thresholds")
        if self.thresholds is None:
            # monitored, not scored: a direction still sets the map palette
            if self.weight:
                raise ValueError("a KPI without thresholds is not scored: its weight must be 0")
            return self
        pairs = list(zip(self.thresholds, self.thresholds[1:]))
        if self.direction is Direction.higher_better and not all(a < b for a, b in pairs):
            raise ValueError("thresholds must increase strictly for a higher_better KPI")
        if self.direction is Direction.lower_better and not all(a > b for a, b in pairs):
            raise ValueError("thresholds must decrease strictly for a lower_better KPI")
        if self.weight <= 0:
            raise ValueError("a scored KPI needs a weight above 0 within its goal")
        return self

    @model_validator(mode="after")
    def _target_semantics(self) -> "KPI":
        if self.target is not None and self.target_basis is None:
            raise ValueError(
                "a KPI with a target must say what it is a target of: target_basis: period (it holds "
                "for every period: rates, ratios) or fiscal_year (it accumulates over the fiscal year)"
            )
        if self.target_basis is TargetBasis.fiscal_year:
            if self.period_type is PeriodType.year:
                raise ValueError(
                    "target_basis fiscal_year is for a quarterly or monthly KPI; a yearly KPI's target "
                    "holds for its period: use target_basis: period"
                )
            if not self.cumulative:
                raise ValueError(
                    "target_basis fiscal_year needs cumulative: true (a target that accumulates over "
                    "the year is only met by a value that accumulates too)"
                )
        schedule = self.target_schedule
        if schedule is None:
            if self.target_schedule_source is not None:
                raise ValueError("target_schedule_source without a target_schedule")
            return self
        if self.target_basis is not TargetBasis.fiscal_year:
            raise ValueError(
                "target_schedule is the cumulative share of a fiscal-year target: it needs target_basis: fiscal_year"
            )
        periods = 4 if self.period_type is PeriodType.quarter else 12
        if len(schedule) != periods:
            raise ValueError(
                f"target_schedule of a {self.period_type.value}ly KPI has {periods} values (the "
                f"cumulative per cent due by the end of each), not {len(schedule)}"
            )
        if not all(0 < share <= 100 for share in schedule) or any(a > b for a, b in zip(schedule, schedule[1:])):
            raise ValueError("target_schedule must rise (or stay level) from above 0 to 100 per cent")
        if schedule[-1] != 100:
            raise ValueError(f"target_schedule must end at 100 (the whole year's target), not {schedule[-1]:g}")
        if self.target_schedule_source is None:
            raise ValueError("target_schedule needs target_schedule_source: where the schedule comes from")
        return self

    def target_share(self, period_type: str, period_no: int) -> float:
        """The share (0-1] of the catalog target and thresholds that a value of this period is judged
        against: 1 unless the target is the fiscal year's (`TargetBasis.fiscal_year`), then the
        cumulative share due by the end of the quarter or month: the schedule's, or the elapsed
        share of the year (month 2 of 12: 2/12)."""
        if self.target_basis is not TargetBasis.fiscal_year or period_type == "Y":
            return 1.0
        count = 4 if period_type == "Q" else 12
        number = min(max(int(period_no), 1), count)
        if self.target_schedule is not None and len(self.target_schedule) == count:
            return self.target_schedule[number - 1] / 100.0
        return number / count

    @property
    def valid_bounds(self) -> tuple[float, float]:
        """The hard (low, high) limits of a value. Unless the catalog gives `valid_range`: a share
        in per cent (or a score or index out of 100) whose typical range lies in 0-100 is 0-100 (a
        growth rate is not); anything whose typical range is not negative is >= 0; and no figure
        exceeds 1e12 in size (a stray 1e308 is refused)."""
        low, high = -MAX_MAGNITUDE, MAX_MAGNITUDE
        if self.valid_range is not None:
            given_low, given_high = self.valid_range
            return (
                max(low, given_low) if given_low is not None else low,
                min(high, given_high) if given_high is not None else high,
            )
        typical_low, typical_high = self.typical_range
        if typical_low >= 0:
            low = 0.0
        unit = f"{self.unit.en} {self.unit.th}".lower()
        hundred = (
            unit.startswith(("percent", "%", "ร้อยละ")) or "out of 100" in unit or "เต็ม 100" in unit or "(0-100)" in unit
        )
        if hundred and 0 <= typical_low and typical_high <= 100:  # a share, not a growth rate
            high = 100.0
        elif hundred and typical_low < 0:  # a change in per cent: nothing falls by more than all of it
            low = -100.0
        return low, high

    @property
    def zero_is_implausible(self) -> bool:
        return self.zero_implausible if self.zero_implausible is not None else self.typical_range[0] > 0

    @property
    def scored(self) -> bool:
        """True when the KPI earns an OPDC score (it has thresholds and a weight)."""
        return self.thresholds is not None


class Catalog(BaseModel):
    """The whole catalog file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = 1
    as_of: dt.date
    status_rule: StatusRule = StatusRule()
    kpis: tuple[KPI, ...]

    def by_id(self) -> dict[str, KPI]:
        return {kpi.id: kpi for kpi in self.kpis}

    def for_goal(self, goal: str) -> list[KPI]:
        return [kpi for kpi in self.kpis if kpi.goal == goal]

    def status_rule_for(self, kpi: KPI) -> StatusRule:
        return kpi.status_rule or self.status_rule


class CatalogError(ValueError):
    """The catalog file is wrong. The message names the file, the line, the KPI and the reason."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        super().__init__("\n".join(f"{self.path}:{p}" for p in problems))


def parse_catalog(text: str, path: Path | str = "kpi_definitions.yaml") -> Catalog:
    """Validate catalog YAML text; raise `CatalogError` listing every problem found."""
    from data.rules.catalog_checks import cross_checks, kpi_lines, pydantic_problems  # (they import this model)

    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise CatalogError(path, [f"{line}: not valid YAML: {getattr(exc, 'problem', exc)}"]) from exc
    if not isinstance(raw, dict):
        raise CatalogError(path, ["1: the catalog must be a mapping with 'as_of' and 'kpis'"])
    lines = kpi_lines(text)
    try:
        catalog = Catalog.model_validate(raw)
    except ValidationError as exc:
        raise CatalogError(path, pydantic_problems(exc, raw, lines)) from exc
    problems = cross_checks(catalog, lines)
    if problems:
        raise CatalogError(path, problems)
    return catalog


def load_catalog(path: Path | str | None = None) -> Catalog:
    """Read and validate the catalog file (default: the configured `kpi_definitions.yaml`)."""
    if path is None:
        from settings import get_settings

        path = get_settings().catalog_path
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(path, [f"1: cannot read the catalog: {exc.strerror}"]) from exc
    return parse_catalog(text, path)


_cache: dict[str, Catalog] = {}


def get_catalog() -> Catalog:
    """The configured catalog, validated once per process."""
    from settings import get_settings

    key = str(get_settings().catalog_path)
    if key not in _cache:
        _cache[key] = load_catalog(key)
    return _cache[key]
