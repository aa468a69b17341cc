"""Which period a view reads: the periods the store holds and the one rule every view follows
(pages, wall, ESR, downloads) for "latest" and for a requested period."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, select

from data.query.cache import cached
from data.query.scope import Scope
from data.rules.catalog import KPI, get_catalog
from data.rules.periods import PERIOD_TYPE_CODES, Period, choose_period, thai_today
from data.store.schema import KpiRollup, KpiValue


def period_code(kpi: KPI) -> str:
    return PERIOD_TYPE_CODES[kpi.period_type.value]


def as_of_date(period: Period | None, today: dt.date | None = None) -> dt.date:
    """The day whose data a view shows: the end of the period read, or today."""
    return period.end if period is not None else (today or thai_today())


def judged_on(period: Period | None, today: dt.date | None = None) -> dt.date:
    """The day freshness is judged on: `today` when given (the latest view: is the newest value
    still current?), else the end of the period read (a past view: was it current then?)."""
    return today if today is not None else as_of_date(period)


@cached
def held_periods(engine: Engine, scope: Scope | None = None) -> tuple[Period, ...]:
    """Every period the store holds for a province or above (any KPI), oldest first: the choices
    of the period selectors.

    Read from the country's roll-up (one key range, small) and, for the KPIs without one (no
    aggregation rule, or a ratio or weighted mean whose parts are missing), from their province
    rows: the store's periods without a pass over every value.
    """
    kpis = [k.id for k in scope.kpis(get_catalog())]
    with engine.connect() as connection:
        rolled = connection.execute(
            select(KpiRollup.kpi_id, KpiRollup.period_type, KpiRollup.fiscal_year, KpiRollup.period_no).where(
                KpiRollup.area_code == "TH", KpiRollup.kpi_id.in_(kpis)
            )
        ).all()
        rows = {tuple(row[1:]) for row in rolled}
        lacking = sorted(set(kpis) - {row[0] for row in rolled})  # no roll-up: none, or parts missing
        if lacking:
            rows |= set(
                connection.execute(
                    select(KpiValue.period_type, KpiValue.fiscal_year, KpiValue.period_no)
                    .distinct()
                    .where(KpiValue.kpi_id.in_(lacking), KpiValue.area_level == 2)
                ).all()
            )
    return tuple(sorted(Period(str(t), int(y), int(n)) for t, y, n in rows))


def period_label(row_type: str, fiscal_year, period_no, language: str = "th") -> str:
    if fiscal_year is None or pd.isna(fiscal_year):
        return "–"
    return Period(row_type, int(fiscal_year), int(period_no)).label(language)


def resolve_period(
    engine: Engine, requested: Period | None, today: dt.date | None = None
) -> tuple[Period | None, dt.date | None]:
    """(the period to read, the day freshness is judged on) by the one rule every view follows,
    `data.rules.periods.choose_period`, over the periods the store holds (a requested period
    without data gives the latest: pages say so; reports refuse it: `reports.content.NoDataForPeriod`)."""
    choice = choose_period(held_periods(engine), requested, today or thai_today())
    return choice.period, choice.judged_on
