"""How statuses, freshness, trends, scores and dates are shown, and how page state is written
in URLs (`?lang=…&period=2569Q4&show=G2`), so every view can be bookmarked.

One table per idea: a status always has an icon, a colour and a word together — never colour
alone — and the same colours serve the tables, the tiles and the maps (`layouts.figures`).
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pandas as pd

from data.periods import EN_MONTHS_SHORT, THAI_MONTHS_SHORT, BE_OFFSET, THAI_TIME, Period
from layouts.i18n import t

LATEST = "latest"  # ?period=latest, or no period: as of today


@dataclass(frozen=True)
class Badge:
    """How one status-like value is shown: a Bootstrap icon, a text symbol (for Plotly hovers),
    a colour, a text colour that reads on it, and the words."""

    icon: str
    symbol: str
    colour: str
    text_colour: str
    th: str
    en: str

    def word(self, language: str) -> str:
        return self.en if language == "en" else self.th


STATUS: dict[str, Badge] = {
    "on_target": Badge("bi-check-circle-fill", "✔", "#2e7d32", "#ffffff", "ตามเป้าหมาย", "On target"),
    "watch": Badge("bi-exclamation-triangle-fill", "▲", "#f2a900", "#212529", "เฝ้าระวัง", "Watch"),
    "off_target": Badge("bi-x-octagon-fill", "✖", "#c62828", "#ffffff", "ต่ำกว่าเป้าหมาย", "Off target"),
    "no_data": Badge("bi-dash-circle", "–", "#8a9099", "#ffffff", "ไม่มีข้อมูล", "No data"),
    "not_scored": Badge("bi-info-circle", "○", "#546e7a", "#ffffff", "ติดตาม (ไม่คิดคะแนน)", "Monitored (not scored)"),
}
STATUS_ORDER = ("off_target", "watch", "on_target", "no_data", "not_scored")

FRESHNESS: dict[str, Badge] = {
    "fresh": Badge("bi-check2-circle", "✔", "#2e7d32", "#ffffff", "เป็นปัจจุบัน", "Up to date"),
    "due": Badge("bi-hourglass-split", "…", "#f2a900", "#212529", "ถึงกำหนดปรับปรุง", "Update due"),
    "overdue": Badge("bi-clock-history", "!", "#c62828", "#ffffff", "ล่าช้า", "Overdue"),
    "missing": Badge("bi-question-circle", "?", "#8a9099", "#ffffff", "ไม่มีข้อมูล", "Missing"),
}

TREND: dict[str, Badge] = {
    "improving": Badge("bi-graph-up-arrow", "↗", "#2e7d32", "#ffffff", "ดีขึ้น", "Improving"),
    "worsening": Badge("bi-graph-down-arrow", "↘", "#c62828", "#ffffff", "แย่ลง", "Worsening"),
    "stable": Badge("bi-arrow-right", "→", "#6c757d", "#ffffff", "ทรงตัว", "Stable"),
}


def status_badge(status: str | None) -> Badge:
    return STATUS.get(status or "no_data", STATUS["no_data"])


def is_missing(value) -> bool:
    """True for None, NaN, NaT and pandas' NA (ranks are nullable integers)."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a sequence is not a missing scalar
        return False


def format_score(score) -> str:
    """An OPDC score 1–5 with two decimals ("3.54"), or an en dash."""
    return "–" if is_missing(score) else f"{float(score):.2f}"


def format_date(day: dt.date, language: str) -> str:
    """"21 พ.ย. 2569" (Buddhist Era) in Thai, "21 Nov 2026" in English."""
    if language == "en":
        return f"{day.day} {EN_MONTHS_SHORT[day.month - 1]} {day.year}"
    return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {day.year + BE_OFFSET}"


def format_timestamp(value, language: str) -> str:
    """A moment in Thai time: "2 ธ.ค. 2569 20:21 น." (Buddhist Era) or "2 Dec 2026 20:21"; "–"
    when missing. A moment without a time zone is UTC, as the store keeps them."""
    if value is None or (not isinstance(value, dt.datetime) and pd.isna(value)):
        return "–"
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    local = stamp.tz_convert(THAI_TIME)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    return f"{format_date(local.date(), language)} {clock}" + ("" if language == "en" else " น.")


def format_rank(rank, size) -> str:
    """"2/4"; an en dash when the area is not ranked."""
    if is_missing(rank) or is_missing(size):
        return "–"
    return f"{int(rank)}/{int(size)}"


# =========================================================================== markup as text


def tag(name: str, *children: str, **attributes) -> str:
    """An HTML element as text, for large static blocks (see layouts.scorecard.kpi_table):
    `children` are markup already (pass text through `escape`); `class_` is written `class`,
    `data_kpi` is written `data-kpi`; None and False attributes are left out."""
    written = []
    for key, value in attributes.items():
        if value is None or value is False:
            continue
        name_ = key.rstrip("_").replace("_", "-")
        written.append(f' {name_}="{escape(str(value), quote=True)}"')
    return f"<{name}{''.join(written)}>{''.join(c for c in children if c)}</{name}>"


# =========================================================================== URL state

_PERIOD_PARAM = re.compile(r"^\s*(\d{4})\s*(?:[Qq]\s*([1-4]))?\s*$")


def parse_period_param(text: str | None) -> Period | None:
    """The period of `?period=2569` (fiscal year) or `?period=2569Q4`; None when absent.

    Raises ValueError for anything else, so the page can say what it did not understand.
    """
    if text is None or not str(text).strip():
        return None
    match = _PERIOD_PARAM.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a fiscal year (2569) or quarter (2569Q4)")
    year, quarter = int(match.group(1)), match.group(2)
    return Period.quarter(year, int(quarter)) if quarter else Period.year(year)


def period_param(period: Period | None) -> str | None:
    """The URL form of a period: "2569", "2569Q4", or None for "latest"."""
    if period is None:
        return None
    if period.period_type == "Y":
        return str(period.fiscal_year)
    if period.period_type == "Q":
        return f"{period.fiscal_year}Q{period.period_no}"
    raise ValueError("only fiscal years and quarters are selectable")


def period_choices(today: dt.date, years: int = 5) -> list[Period]:
    """Selectable periods, newest first: the running fiscal year and the `years - 1` before it,
    each followed by its quarters that have started by `today`."""
    current = Period.containing(today, "Y").fiscal_year
    choices: list[Period] = []
    for year in range(current, current - years, -1):
        choices.append(Period.year(year))
        choices.extend(Period.quarter(year, q) for q in range(4, 0, -1) if Period.quarter(year, q).start <= today)
    return choices


def href(path: str, state: dict[str, str | None], **changes: str | None) -> str:
    """`path` with the page state as a query string; `changes` override it, None removes a key.

    `lang` goes first so links read naturally; empty values are dropped.
    """
    params = {**state, **changes}
    ordered = sorted(((k, v) for k, v in params.items() if v not in (None, "")), key=lambda kv: kv[0] != "lang")
    return f"{path}?{urlencode(ordered, safe=':')}" if ordered else path


def replace_param(url: str, name: str, value: str | None) -> str:
    """`url` (absolute or a path) with query parameter `name` set to `value` (removed when empty)."""
    parts = urlsplit(url or "/")
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=False) if k != name]
    if value not in (None, ""):
        params.append((name, str(value)))
    params.sort(key=lambda kv: kv[0] != "lang")
    return urlunsplit(("", "", parts.path or "/", urlencode(params, safe=":"), ""))


def url_with_choice(current: str, name: str, value: str | None, default: str | None) -> str | None:
    """The URL after a selector `name` chose `value` (the default is written as no parameter),
    or None when that is what the URL already says."""
    wanted = None if value in (None, "", default) else str(value)
    have = dict(parse_qsl(urlsplit(current).query)).get(name)
    if have == wanted or (wanted is None and have in (None, "", default)):
        return None
    return replace_param(current, name, wanted)


def read_period(text: str | None, language: str, messages: list[str]):
    """The selected period and its URL value ("latest" when none); a wrong value is reported."""
    try:
        selected = None if text == LATEST else parse_period_param(text)
    except ValueError:
        messages.append(t("bad_param", language).format(value=text, name="period"))
        selected = None
    return selected, period_param(selected) or LATEST


def period_options(today: dt.date, language: str) -> list[tuple[str, str]]:
    latest = f"{t('latest', language)} ({format_date(today, language)})"
    return [(LATEST, latest)] + [(period_param(p), p.label(language)) for p in period_choices(today)]


def as_of_text(period, today: dt.date, language: str) -> str:
    if period is None:
        return f"{t('as_of', language)} {format_date(today, language)}"
    return f"{t('as_of', language)} {format_date(period.end, language)} ({period.label(language)})"


def breadcrumb_links(chain: list, cluster_numbers: dict[str, int], current: str, state: dict,
                     language: str) -> list[tuple[str, str | None]]:
    """ประเทศไทย › cluster › province › district as (label, link) pairs; the current area is not a
    link and regions are left out (they have no page). `chain` is `queries.breadcrumb(...)`."""
    name = "name_en" if language == "en" else "name_th"
    kept = {"lang": state.get("lang"), "period": state.get("period")}
    pages = {"country": lambda a: "/", "cluster": lambda a: f"/cluster/{cluster_numbers[a['code']]}",
             "province": lambda a: f"/province/{a['code']}", "district": lambda a: f"/district/{a['code']}"}
    links: list[tuple[str, str | None]] = []
    for area in chain:
        if area["code"] == current:
            links.append((area[name], None))
        elif area["level"] in pages:
            links.append((area[name], href(pages[area["level"]](area), kept)))
    return links
