"""The KPI catalog: the shipped `kpi_definitions.yaml` is complete and consistent, and a wrong
catalog stops with the file, the line, the KPI and the reason."""

from __future__ import annotations

import pytest

from data.rules.catalog import GOALS, AggregationMethod, CatalogError, Direction, load_catalog, parse_catalog

CATALOG_FILE = "catalog_under_test.yaml"
LEVEL_RANK = {"province": 0, "district": 1, "subdistrict": 2}

# Every indicator named in DOMAIN.md "Real indicators by goal" and in the catalog brief.
DOMAIN_INDICATORS = {
    "G1": [
        "gpp",
        "gpp_per_capita",
        "gpp_real_growth",
        "household_income_avg",
        "household_debt_avg",
        "poverty_headcount_ratio",
        "tpmap_poor_persons",
        "unemployment_rate",
        "tourism_income",
        "tourism_visitors",
        "farm_net_cash_income",
        "otop_sales",
    ],
    "G2": ["road_deaths_per_100k", "crime_cases_reported", "crime_clearance_rate", "drug_cases", "dengue_per_100k"],
    "G3": [
        "forest_cover_pct",
        "msw_per_capita",
        "msw_properly_managed_pct",
        "pm25_unhealthy_days",
        "fire_hotspots",
        "disaster_affected_households",
    ],
    "G4": ["budget_disbursement_pct", "budget_disbursement_vs_target", "ita_score", "e_service_pct"],
    "G5": [
        "damrongdhama_resolved_pct",
        "informal_debt_settled",
        "bmn_pass_pct",
        "infant_mortality_rate",
        "population_per_doctor",
        "onet_grade9_mean",
    ],
    "G6": ["mmr1_coverage_pct", "flagship_project_progress", "population_registered"],
}


# --- the shipped catalog -------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_cat001_real_catalog_has_enough_kpis_in_all_six_goals(catalog):
    assert len(catalog.kpis) >= 40
    assert {kpi.goal for kpi in catalog.kpis} == set(GOALS)
    for goal in GOALS:
        assert len(catalog.for_goal(goal)) >= 6, goal


def test_cat002_every_kpi_has_every_text_filled_in_both_languages(catalog):
    missing = []
    for kpi in catalog.kpis:
        for field in ("name", "description", "unit", "owner", "source_agency"):
            text = getattr(kpi, field)
            for language in ("th", "en"):
                if not text.get(language).strip():
                    missing.append(f"{kpi.id}.{field}.{language}")
    assert missing == []


def test_cat003_every_kpi_has_scoring_fields_filled(catalog):
    incomplete = []
    for kpi in catalog.kpis:
        if kpi.scored and (kpi.thresholds is None or kpi.target is None or kpi.weight <= 0):
            incomplete.append(kpi.id)
        if not kpi.scored and (kpi.thresholds is not None or kpi.weight != 0):
            incomplete.append(kpi.id)
    assert incomplete == []


def test_cat004_weights_of_each_goal_sum_to_100(catalog):
    for goal in GOALS:
        assert sum(kpi.weight for kpi in catalog.for_goal(goal)) == pytest.approx(100), goal


def test_cat005_every_target_lies_between_threshold_1_and_threshold_5(catalog):
    outside = []
    for kpi in catalog.kpis:
        if not kpi.scored:
            continue
        low, high = sorted((kpi.thresholds[0], kpi.thresholds[4]))
        if not low <= kpi.target <= high:
            outside.append(f"{kpi.id}: target {kpi.target} not in [{low}, {high}]")
    assert outside == []


def test_cat006_target_lies_within_the_typical_province_range(catalog):
    outside = [
        kpi.id for kpi in catalog.kpis if kpi.scored and not kpi.typical_range[0] <= kpi.target <= kpi.typical_range[1]
    ]
    assert outside == []


def test_cat007_every_indicator_named_in_the_domain_brief_is_in_its_goal(catalog):
    by_id = catalog.by_id()
    for goal, kpi_ids in DOMAIN_INDICATORS.items():
        for kpi_id in kpi_ids:
            assert kpi_id in by_id, kpi_id
            assert by_id[kpi_id].goal == goal, kpi_id


def test_cat008_registered_population_is_the_subdistrict_context_sum(catalog):
    population = catalog.by_id()["population_registered"]
    assert population.direction is Direction.context
    assert population.aggregation.method is AggregationMethod.sum
    assert population.finest_level == "subdistrict"
    assert population.weight == 0 and population.thresholds is None
    assert "DOPA" in population.source_agency.en


def test_cat009_ratio_parts_are_sums_published_at_least_as_finely(catalog):
    by_id = catalog.by_id()
    wrong = []
    for kpi in catalog.kpis:
        agg = kpi.aggregation
        parts = [agg.numerator_kpi, agg.denominator_kpi] if agg.method is AggregationMethod.ratio else []
        parts += [agg.weight_kpi] if agg.method is AggregationMethod.weighted_mean else []
        for part in map(by_id.get, parts):
            if part.aggregation.method is not AggregationMethod.sum:
                wrong.append(f"{kpi.id}: {part.id} is not a sum")
            if LEVEL_RANK[part.finest_level] < LEVEL_RANK[kpi.finest_level]:
                wrong.append(f"{kpi.id}: {part.id} is published only at {part.finest_level}")
    assert wrong == []


def test_cat010_per_capita_ratios_name_their_population_base(catalog):
    base_of = {"population_registered": "DOPA", "population_nesdc": "NESDC"}
    wrong = []
    for kpi in catalog.kpis:
        agg = kpi.aggregation
        if agg.method is not AggregationMethod.ratio:
            continue
        for part in (agg.numerator_kpi, agg.denominator_kpi):
            if part in base_of and kpi.population_base != base_of[part]:
                wrong.append(f"{kpi.id}: population_base {kpi.population_base!r}, expected {base_of[part]}")
    assert wrong == []


def test_cat011_budget_disbursement_is_cumulative_by_quarter(catalog):
    """The disbursement rate grows through the year and is judged against the cabinet's cumulative
    schedule; the rate against that schedule is already relative to the quarter (it does not grow)."""
    pct = catalog.by_id()["budget_disbursement_pct"]
    assert pct.period_type.value == "quarter" and pct.cumulative is True
    assert pct.target_basis.value == "fiscal_year" and pct.target_schedule == (30, 55, 80, 100)
    assert [pct.target_share("Q", n) for n in (1, 2, 3, 4)] == [0.30, 0.55, 0.80, 1.0]
    versus = catalog.by_id()["budget_disbursement_vs_target"]
    assert versus.cumulative is False and versus.target_basis.value == "period"
    assert versus.target_share("Q", 1) == 1.0


def test_cat012_every_target_says_what_it_is_a_target_of(catalog):
    for kpi in catalog.kpis:
        if kpi.target is not None:
            assert kpi.target_basis is not None, kpi.id


MONTHLY_COUNT = (
    "  - id: monthly_count\n"
    "    goal: G5\n"
    "    name: {th: เรื่องที่ยุติ, en: Cases closed}\n"
    "    description: {th: สะสมตั้งแต่ต้นปีงบประมาณ, en: Cumulative from the start of the fiscal year}\n"
    "    unit: {th: เรื่อง, en: cases}\n"
    "    direction: higher_better\n"
    "    aggregation: {method: sum}\n"
    "    frequency: monthly\n"
    "    period_type: month\n"
    "    finest_level: province\n"
    "    source_agency: {th: สำนักงานจังหวัด, en: Provincial Office}\n"
    "    owner: {th: สำนักงานจังหวัด, en: Provincial Office}\n"
    "    thresholds: [600, 900, 1200, 1500, 1800]\n"
    "    weight: 100\n"
    "    target: 1200\n"
    "    typical_range: [0, 5000]\n"
)


def _monthly(extra: str) -> str:
    return HEADER + MONTHLY_COUNT + extra + _other_goals("G5")


def test_cat013_pro_rated_share_of_a_fiscal_year_target():
    """Without a schedule a fiscal-year target is pro-rated by elapsed time: month 2 is due 2/12."""
    kpi = parse_catalog(_monthly("    cumulative: true\n    target_basis: fiscal_year\n")).by_id()["monthly_count"]
    assert kpi.target_share("M", 2) == pytest.approx(2 / 12)
    assert kpi.target_share("M", 12) == 1.0
    assert kpi.target_share("Y", 0) == 1.0


@pytest.mark.parametrize(
    "extra, reason",
    [
        ("", "a KPI with a target must say what it is a target of"),
        ("    target_basis: fiscal_year\n", "target_basis fiscal_year needs cumulative: true"),
        (
            "    cumulative: true\n    target_basis: period\n    target_schedule: [10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 100]\n"
            "    target_schedule_source: {th: แผน, en: plan}\n",
            "target_schedule is the cumulative share of a fiscal-year target",
        ),
        (
            "    cumulative: true\n    target_basis: fiscal_year\n    target_schedule: [30, 55, 80, 100]\n"
            "    target_schedule_source: {th: แผน, en: plan}\n",
            "target_schedule of a monthly KPI has 12 values",
        ),
        (
            "    cumulative: true\n    target_basis: fiscal_year\n    target_schedule: [10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99]\n"
            "    target_schedule_source: {th: แผน, en: plan}\n",
            "must end at 100",
        ),
        (
            "    cumulative: true\n    target_basis: fiscal_year\n    target_schedule: [10, 20, 30, 40, 50, 45, 70, 80, 90, 95, 98, 100]\n"
            "    target_schedule_source: {th: แผน, en: plan}\n",
            "must rise",
        ),
        (
            "    cumulative: true\n    target_basis: fiscal_year\n    target_schedule: [10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 100]\n",
            "target_schedule needs target_schedule_source",
        ),
    ],
)
def test_cat014_target_semantics_are_checked_at_start_up(extra, reason):
    message = _error(_monthly(extra))
    assert f"{CATALOG_FILE}:4: KPI 'monthly_count': " in message and reason in message


# --- error paths -----------------------------------------------------------------------------

HEADER = "version: 1\nas_of: 2026-10-01\nkpis:\n"  # lines 1-3; the first KPI starts at line 4


def _kpi(kpi_id: str, goal: str, weight: float = 100) -> str:
    """A valid scored KPI entry of exactly 16 lines."""
    return (
        f"  - id: {kpi_id}\n"
        f"    goal: {goal}\n"
        "    name: {th: ตัวชี้วัดทดสอบ, en: Test indicator}\n"
        "    description: {th: คำอธิบาย, en: Description}\n"
        "    unit: {th: ร้อยละ, en: percent}\n"
        "    direction: higher_better\n"
        "    aggregation: {method: none}\n"
        "    frequency: annual\n"
        "    period_type: year\n"
        "    finest_level: province\n"
        "    source_agency: {th: สำนักงานจังหวัด, en: Provincial Office}\n"
        "    owner: {th: สำนักงานจังหวัด, en: Provincial Office}\n"
        "    thresholds: [60, 70, 80, 90, 100]\n"
        f"    weight: {weight:g}\n"
        "    target_basis: period\n"
        "    typical_range: [0, 100]\n"
    )


def _other_goals(*covered: str) -> str:
    """Valid KPIs (weight 100) for the goals a test does not cover, appended at the end."""
    return "".join(_kpi(f"filler_{goal.lower()}", goal) for goal in GOALS if goal not in covered)


def _error(text: str) -> str:
    with pytest.raises(CatalogError) as excinfo:
        parse_catalog(text, CATALOG_FILE)
    return str(excinfo.value)


def test_cat020_helper_catalog_is_valid():
    catalog = parse_catalog(HEADER + _other_goals(), CATALOG_FILE)
    assert len(catalog.kpis) == 6


def test_cat021_kpi_missing_owner_names_file_line_kpi_and_field():
    broken = _kpi("road_deaths_per_100k", "G2").replace("    owner: {th: สำนักงานจังหวัด, en: Provincial Office}\n", "")
    # header (3 lines) + the G1 KPI (16 lines): the broken KPI starts at line 20
    message = _error(HEADER + _kpi("gpp_per_capita", "G1") + broken + _other_goals("G1", "G2"))
    assert message == f"{CATALOG_FILE}:20: KPI 'road_deaths_per_100k': owner: Field required"


def test_cat022_lower_better_thresholds_in_increasing_order_are_rejected():
    broken = (
        "  - id: dengue_per_100k\n"  # line 4
        "    goal: G2\n"
        "    name: {th: อัตราป่วยไข้เลือดออก, en: Dengue incidence}\n"
        '    description: {th: ต่อประชากรแสนคน, en: "per 100,000 population"}\n'
        '    unit: {th: ต่อประชากรแสนคน, en: "per 100,000 population"}\n'
        "    direction: lower_better\n"
        "    aggregation: {method: none}\n"
        "    frequency: weekly\n"
        "    period_type: month\n"
        "    finest_level: district\n"
        "    source_agency: {th: กรมควบคุมโรค, en: DDC}\n"
        "    owner: {th: สำนักงานสาธารณสุขจังหวัด, en: Provincial Public Health Office}\n"
        "    thresholds: [2, 5, 10, 20, 30]\n"
        "    weight: 100\n"
        "    target_basis: period\n"
        "    typical_range: [0, 150]\n"
    )
    message = _error(HEADER + broken + _other_goals("G2"))
    assert message == (
        f"{CATALOG_FILE}:4: KPI 'dengue_per_100k': thresholds must decrease strictly for a lower_better KPI"
    )


def test_cat023_goal_g7_is_rejected():
    broken = _kpi("happiness_index", "G7")
    # header (3) + 2 KPIs of 16 lines: the third KPI starts at line 36
    first_two = _kpi("gpp_per_capita", "G1") + _kpi("road_deaths_per_100k", "G2")
    message = _error(HEADER + first_two + broken + _other_goals("G1", "G2"))
    assert message == (
        f"{CATALOG_FILE}:36: KPI 'happiness_index': goal: goal must be one of G1, G2, G3, G4, G5, G6, not 'G7'"
    )


def test_cat024_weights_of_a_goal_not_summing_to_100_are_rejected():
    text = HEADER + _kpi("gpp_per_capita", "G1", weight=60) + _kpi("poverty_headcount_ratio", "G1", weight=30)
    message = _error(text + _other_goals("G1"))
    # reported at the goal's first weighted KPI, listing each KPI's weight
    assert message == (
        f"{CATALOG_FILE}:4: goal G1: weights sum to 90, not 100 (gpp_per_capita 60, poverty_headcount_ratio 30)"
    )


def test_cat025_ratio_referring_to_an_unknown_kpi_is_rejected():
    broken = _kpi("road_deaths_per_100k", "G2").replace(
        "    aggregation: {method: none}\n",
        "    aggregation: {method: ratio, numerator_kpi: road_deaths, denominator_kpi: population_registered,"
        " scale: 100000}\n",
    )
    context = (
        "  - id: population_registered\n"  # line 4
        "    goal: G6\n"
        "    name: {th: ประชากรตามทะเบียนราษฎร, en: Registered population}\n"
        "    description: {th: ทะเบียนราษฎร, en: DOPA register}\n"
        "    unit: {th: คน, en: persons}\n"
        "    direction: context\n"
        "    aggregation: {method: sum}\n"
        "    frequency: annual\n"
        "    period_type: year\n"
        "    finest_level: subdistrict\n"
        "    source_agency: {th: กรมการปกครอง, en: DOPA}\n"
        "    owner: {th: ที่ทำการปกครองจังหวัด, en: Provincial Administration Office}\n"
        "    weight: 0\n"
        "    typical_range: [180000, 5600000]\n"
    )
    # header (3) + the 14-line context KPI: the ratio KPI starts at line 18
    message = _error(HEADER + context + broken + _other_goals("G2"))
    assert message == (
        f"{CATALOG_FILE}:18: KPI 'road_deaths_per_100k': aggregation refers to unknown KPI 'road_deaths'"
    )


def test_cat026_invalid_yaml_names_the_line_of_the_syntax_error():
    broken = _kpi("gpp_per_capita", "G1").replace(
        "    description: {th: คำอธิบาย, en: Description}\n",
        "    description: {th: คำอธิบาย, en: Note: unquoted colon}\n",
    )
    # the description is the 4th line of the KPI starting at line 4: line 7
    message = _error(HEADER + broken + _other_goals("G1"))
    assert message.startswith(f"{CATALOG_FILE}:7: not valid YAML: ")
    assert "expected ',' or '}'" in message


def test_cat027_a_frequency_disagreeing_with_the_periods_is_rejected():
    """Weekly values of quarters (the budget KPIs once said so): a KPI's frequency is that of the
    periods its values cover."""
    weekly = _kpi("budget_disbursement_vs_target", "G4").replace("frequency: annual", "frequency: weekly")
    weekly = weekly.replace("period_type: year", "period_type: quarter")
    message = _error(HEADER + weekly + _other_goals("G4"))
    assert message == (
        f"{CATALOG_FILE}:4: KPI 'budget_disbursement_vs_target': frequency weekly disagrees with period_type "
        "quarter (values of a quarter come quarterly)"
    )
    quarterly = weekly.replace("frequency: weekly", "frequency: quarterly")
    assert parse_catalog(HEADER + quarterly + _other_goals("G4"), CATALOG_FILE).kpis[0].frequency.value == "quarterly"


def test_cat028_every_kpi_of_the_shipped_catalog_has_the_frequency_of_its_periods(catalog):
    agree = {"month": {"monthly"}, "quarter": {"quarterly"}, "year": {"annual", "biennial"}}
    wrong = [k.id for k in catalog.kpis if k.frequency.value not in agree[k.period_type.value]]
    assert not wrong
    budget = [k for k in catalog.kpis if k.id.startswith(("budget_", "capital_"))]
    assert budget and {k.frequency.value for k in budget} == {"quarterly"}


def test_cat029_no_kpi_text_a_page_shows_names_a_kpi_by_its_id(catalog):
    """Names, descriptions, units, owners and sources are read on the pages: a KPI is named by its
    name there, never by the catalog's id."""
    import re

    ids = [k.id for k in catalog.kpis]
    found = [
        (k.id, field, language, other)
        for k in catalog.kpis
        for field in ("name", "description", "unit", "owner", "source_agency")
        for language in ("th", "en")
        for other in ids
        if re.search(rf"\b{re.escape(other)}\b", getattr(k, field).get(language))
    ]
    assert not found
