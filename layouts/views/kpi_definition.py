"""The definition card of the KPI page: every field of the catalog entry in words a governor
reads (goal, unit, direction, target, weight, how district values roll up, frequency, finest
level, source, owner) and the thresholds that earn each score. Pure: the catalog entry in,
components out."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from data.rules.catalog import KPI
from layouts.text.i18n import AGGREGATIONS, DIRECTIONS, FREQUENCIES, format_number, format_value, pick, t
from layouts.views.page_parts import goal_chip, goal_name


def aggregation_text(kpi: KPI, kpis: dict[str, KPI], language: str) -> str:
    """How district values roll up, in words, naming the KPIs it uses."""
    rule = kpi.aggregation

    def name(kpi_id):
        return kpis[kpi_id].name.get(language) if kpi_id in kpis else kpi_id

    return pick(AGGREGATIONS[rule.method.value], language).format(
        weight=name(rule.weight_kpi),
        numerator=name(rule.numerator_kpi),
        denominator=name(rule.denominator_kpi),
        scale=format_number(rule.scale, 0 if float(rule.scale).is_integer() else 2),
    )


def thresholds_table(kpi: KPI, language: str) -> html.Table | html.P:
    """Scores 1–5 and the value that earns each (OPDC scoring), with the unit."""
    if not kpi.thresholds:
        return html.P(t("not_scored_note", language), className="text-muted small mb-0", id="kpi-thresholds")
    unit = kpi.unit.get(language)
    return html.Table(
        [
            html.Thead(
                html.Tr([html.Th(t("score", language)), html.Th(t("threshold_value", language), className="num")])
            ),
            html.Tbody(
                [
                    html.Tr(
                        [html.Td(str(score)), html.Td(format_value(float(value), kpi.decimals, unit), className="num")]
                    )
                    for score, value in enumerate(kpi.thresholds, start=1)
                ]
            ),
        ],
        className="table table-sm mb-0 thresholds-table",
        id="kpi-thresholds",
    )


def definition_card(kpi: KPI, kpis: dict[str, KPI], language: str) -> dbc.Card:
    """Every field of the catalog entry, in words a governor reads."""
    unit = kpi.unit.get(language)
    level = t(kpi.finest_level, language)
    facts = [
        (t("goal", language), [goal_chip(kpi.goal, language), " ", goal_name(kpi.goal, language)]),
        (t("unit", language), unit),
        (t("direction", language), pick(DIRECTIONS[kpi.direction.value], language)),
        (t("target", language), format_value(kpi.target, kpi.decimals, unit) if kpi.target is not None else "–"),
        (
            t("weight", language),
            t("weight_text", language).format(weight=format_number(kpi.weight, 0), goal=kpi.goal)
            if kpi.scored
            else t("not_scored_note", language),
        ),
        (t("aggregation", language), aggregation_text(kpi, kpis, language)),
        (t("frequency", language), pick(FREQUENCIES[kpi.frequency.value], language)),
        (t("finest_level", language), level),
        (t("source", language), kpi.source_agency.get(language)),
        (t("owner", language), kpi.owner.get(language)),
    ]
    return dbc.Card(
        [
            dbc.CardHeader(html.H2(t("kpi_definition", language), className="h6 mb-0")),
            dbc.CardBody(
                [
                    html.P(kpi.description.get(language), className="mb-2", id="kpi-description"),
                    html.Dl(
                        [
                            part
                            for label, value in facts
                            for part in (
                                html.Dt(label, className="col-sm-4 small text-muted"),
                                html.Dd(value, className="col-sm-8 mb-1"),
                            )
                        ],
                        className="row mb-2",
                        id="kpi-facts",
                    ),
                    html.H3(t("thresholds", language), className="h6 mt-2"),
                    thresholds_table(kpi, language),
                ],
                className="p-3",
            ),
        ],
        className="mb-3 h-100",
        id="kpi-definition",
    )
