"""How statuses, freshness, trends, scores and dates are shown, and how page state is written
in URLs (`?lang=…&period=2569Q4&show=G2`), so every view can be bookmarked.

One table per idea: a status always has an icon, a colour and a word together — never colour
alone — and the same colours serve the tables, the tiles and the maps (`layouts.figures`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pandas as pd

from data.rules.areas import area_name, called_province, name_column
from data.rules.periods import (
    BE_OFFSET,
    EN_MONTHS_SHORT,
    MAX_PARAM_LENGTH,
    THAI_MONTHS_SHORT,
    THAI_TIME,
    Period,
    newest_held,
)
from layouts.text.i18n import format_number, t
from layouts.theme import FRESHNESS_COLOURS, STATUS_COLOURS, TREND_COLOURS


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
    "on_target": Badge("bi-check-circle-fill", "✔", *STATUS_COLOURS["on_target"], "ตามเป้าหมาย", "On target"),
    "watch": Badge("bi-exclamation-triangle-fill", "▲", *STATUS_COLOURS["watch"], "เฝ้าระวัง", "Watch"),
    "off_target": Badge("bi-x-octagon-fill", "✖", *STATUS_COLOURS["off_target"], "ต่ำกว่าเป้าหมาย", "Off target"),
    "insufficient_data": Badge(
        "bi-circle-half", "◐", *STATUS_COLOURS["insufficient_data"], "ข้อมูลไม่เพียงพอ", "Insufficient data"
    ),
    "no_data": Badge("bi-dash-circle", "–", *STATUS_COLOURS["no_data"], "ไม่มีข้อมูล", "No data"),
    "not_scored": Badge(
        "bi-info-circle", "○", *STATUS_COLOURS["not_scored"], "ติดตาม (ไม่คิดคะแนน)", "Monitored (not scored)"
    ),
}

FRESHNESS: dict[str, Badge] = {
    "fresh": Badge("bi-check2-circle", "✔", *FRESHNESS_COLOURS["fresh"], "เป็นปัจจุบัน", "Up to date"),
    "due": Badge("bi-hourglass-split", "…", *FRESHNESS_COLOURS["due"], "ถึงกำหนดปรับปรุง", "Update due"),
    "overdue": Badge("bi-clock-history", "!", *FRESHNESS_COLOURS["overdue"], "ล่าช้า", "Overdue"),
    "missing": Badge("bi-question-circle", "?", *FRESHNESS_COLOURS["missing"], "ไม่มีข้อมูล", "Missing"),
}

TREND: dict[str, Badge] = {
    "improving": Badge("bi-graph-up-arrow", "↗", *TREND_COLOURS["improving"], "ดีขึ้น", "Improving"),
    "worsening": Badge("bi-graph-down-arrow", "↘", *TREND_COLOURS["worsening"], "แย่ลง", "Worsening"),
    "stable": Badge("bi-arrow-right", "→", *TREND_COLOURS["stable"], "ทรงตัว", "Stable"),
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
    """ "21 พ.ย. 2569" (Buddhist Era) in Thai, "21 Nov 2026" in English."""
    if language == "en":
        return f"{day.day} {EN_MONTHS_SHORT[day.month - 1]} {day.year}"
    return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {day.year + BE_OFFSET}"


def format_timestamp(value, language: str) -> str:
    """A moment in Thai time: "2 ธ.ค. 2569 20:21 น." (Buddhist Era) or "2 Dec 2026 20:21"; "–"
    when missing. A moment without a time zone is UTC, as the store keeps them."""
    if is_missing(value):  # None, NaN and NaT (which is a datetime too)
        return "–"
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    local = stamp.tz_convert(THAI_TIME)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    return f"{format_date(local.date(), language)} {clock}" + ("" if language == "en" else " น.")


def coverage_note(row, language: str, minimum: float | None = None) -> str:
    """For a goal or overall score of "insufficient data": its coverage (share of its weight with
    data) against the catalog's minimum, and that it is not ranked; "" for any other status."""
    if row is None or row.get("status") != "insufficient_data":
        return ""
    if minimum is None:
        from data.rules.catalog import get_catalog

        minimum = get_catalog().status_rule.min_coverage
    coverage = row.get("coverage")
    # rounded down: a coverage of 49.8 % must not read "50 %" beside a 50 % minimum it misses
    share = "–" if is_missing(coverage) else f"{math.floor(float(coverage) * 100 + 1e-9):.0f}%"
    return t("coverage_insufficient", language).format(share=share, minimum=f"{minimum:g}%")


def missing_parts_text(row, language: str) -> str:
    """Why a cluster's, region's or the country's value could not be rolled up, naming the KPIs
    it lacks (`queries._uncomputable`); "" when nothing is missing."""
    parts = row.get("missing_parts") if row is not None else None
    if not isinstance(parts, (tuple, list)) or not parts:
        return ""
    from data.rules.catalog import get_catalog

    known = get_catalog().by_id()
    names = [f"“{known[p].name.get(language)}”" if p in known else p for p in parts]
    return t("rollup_missing_parts", language).format(parts=(", " if language == "en" else " และ ").join(names))


def is_percent_unit(unit_en: str, unit_th: str = "") -> bool:
    """A share in per cent (of which a difference is in percentage points)."""
    english, thai = (unit_en or "").strip().lower(), (unit_th or "").strip()
    return english.startswith(("percent", "%")) or thai.startswith(("ร้อยละ", "%"))


def gap_text(row, language: str) -> str:
    """Value against the target of its period, in the KPI's own unit (percentage points for a
    share in per cent) with the direction in words: "short of target by 4.2 percentage points",
    "better than target by 1,200 persons"; "" without a target or for a KPI without a better side."""
    gap, better = row.get("gap"), row.get("better")
    if is_missing(gap) or is_missing(better):
        return ""
    decimals = int(row.get("decimals") or 0)
    amount = abs(float(gap))
    if round(amount, decimals) == 0:
        return t("gap_meets", language)
    if is_percent_unit(str(row.get("unit_en") or ""), str(row.get("unit_th") or "")):
        text = f"{format_number(amount, decimals)} {t('percentage_points', language)}"
    else:
        unit = row.get("unit_en" if language == "en" else "unit_th") or ""
        text = f"{format_number(amount, decimals)} {unit}".strip()
    return t("gap_better" if float(better) >= 1 else "gap_short", language).format(amount=text)


def area_title(row, language: str, code: str | None = None) -> str:
    """An area's title in `language`: a province "จังหวัดเชียงใหม่" / "Chiang Mai Province",
    Bangkok and every other area by its name alone. `row` has level, name_th, name_en (and code,
    unless given)."""
    name = area_name(row, language)
    if called_province(str(code if code is not None else row["code"]), str(row.get("level", "province"))):
        return t("province_of", language).format(name=name)
    return name


def format_rank(rank, size) -> str:
    """ "2/4"; an en dash when the area is not ranked."""
    if is_missing(rank) or is_missing(size):
        return "–"
    return f"{int(rank)}/{int(size)}"


# =========================================================================== file names

_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\s]+')  # path separators, Windows' reserved characters, spaces
FILE_NAME_LIMIT = 80  # characters: 240 bytes of Thai in UTF-8, within every file system's 255


def file_name(*parts, limit: int = FILE_NAME_LIMIT) -> str:
    """A download's file name (without its extension) from words in the reader's language: the
    parts joined by "_", each with its spaces, slashes and characters file systems refuse as "-"
    and its control and invisible characters left out: ("ไตรมาส 4/2569") -> "ไตรมาส-4-2569"."""
    cleaned = []
    for part in parts:
        text = _UNSAFE_IN_NAMES.sub("-", str(part or ""))
        text = "".join(c for c in text if not unicodedata.category(c).startswith("C")).strip("-._")
        if text:
            cleaned.append(text)
    return "_".join(cleaned)[:limit].rstrip("-._") or "download"


# =========================================================================== markup as text


def tag(name: str, *children: str, **attributes) -> str:
    """An HTML element as text, for large static blocks (see layouts.views.scorecard_table.kpi_table):
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


def href(path: str, state: dict[str, str | None], **changes: str | None) -> str:
    """`path` with the page state as a query string; `changes` override it, None removes a key.

    `lang` goes first so links read naturally; empty values are dropped.
    """
    params = {**state, **changes}
    ordered = sorted(((k, v) for k, v in params.items() if v not in (None, "")), key=lambda kv: kv[0] != "lang")
    return f"{path}?{urlencode(ordered, safe=':')}" if ordered else path


def province_link_state(state: dict) -> dict:
    """What a link to a province keeps: language and period, and the KPI compared."""
    kept = {"lang": state.get("lang"), "period": state.get("period")}
    show = state.get("show") or ""
    if show.startswith("kpi:"):
        kept["kpi"] = show[4:]
    return kept


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


def shown_param(text) -> str:
    """A URL value as a page may quote it back: at most 40 characters (Dash escapes the rest)."""
    text = str(text)
    return text if len(text) <= MAX_PARAM_LENGTH else text[:MAX_PARAM_LENGTH] + "…"


def as_of_text(period: Period | None, language: str, imported_at=None) -> str:
    """ "ข้อมูลถึง ไตรมาส 4/2569 (30 ก.ย. 2569) · นำเข้า 2 ธ.ค. 2569 20:21 น.": the newest period of
    the data shown and when the store last took an import; "no data" on an empty view."""
    if period is None:
        return t("as_of_no_data", language)
    text = f"{t('data_to', language)} {period.label(language)} ({format_date(period.end, language)})"
    if imported_at is not None and not is_missing(imported_at):
        text += f" · {t('imported_at', language)} {format_timestamp(imported_at, language)}"
    return text


def newest_period_of(frame: pd.DataFrame) -> Period | None:
    """The newest period among a frame's rows (period_type, fiscal_year, period_no), or None."""
    if frame is None or frame.empty or "fiscal_year" not in frame:
        return None
    rows = frame.dropna(subset=["fiscal_year"])
    periods = {
        Period(str(t_), int(y), int(n))
        for t_, y, n in zip(rows["period_type"].tolist(), rows["fiscal_year"].tolist(), rows["period_no"].tolist())
    }
    return newest_held(periods)


def breadcrumb_links(
    chain: list, cluster_numbers: dict[str, int], current: str, state: dict, language: str
) -> list[tuple[str, str | None]]:
    """ประเทศไทย › cluster › province › district as (label, link) pairs; the current area is not a
    link and regions are left out (they have no page). `chain` is `queries.breadcrumb(...)`."""
    name = name_column(language)
    kept = {"lang": state.get("lang"), "period": state.get("period")}
    pages = {
        "country": lambda a: "/",
        "cluster": lambda a: f"/cluster/{cluster_numbers[a['code']]}",
        "province": lambda a: f"/province/{a['code']}",
        "district": lambda a: f"/district/{a['code']}",
    }
    links: list[tuple[str, str | None]] = []
    for area in chain:
        if area["code"] == current:
            links.append((area[name], None))
        elif area["level"] in pages:
            links.append((area[name], href(pages[area["level"]](area), kept)))
    return links
