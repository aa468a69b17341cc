"""A PDF snapshot of the dashboard page on screen: the warm browser opens the same URL on the
app's own server, waits until Dash has drawn it, prints its filters at the top, and prints it."""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import parse_qsl, urlsplit

from layouts.format import parse_period_param
from layouts.i18n import t
from data.periods import thai_now
from layouts.format import format_timestamp
from reports.html import font_faces
from reports.render import PdfJob, get_renderer

# Dash has drawn the page: a page body is there and nothing is loading any more
DASH_DRAWN = ("() => { const c = document.querySelector('#_pages_content');"
              " return c && c.children.length > 0 && !document.querySelector('[data-dash-is-loading=\"true\"]'); }")


def filters(path_and_query: str, language: str) -> list[tuple[str, str]]:
    """The page's filters in words: (label, value) pairs from its URL."""
    parts = urlsplit(path_and_query)
    params = dict(parse_qsl(parts.query))
    out = [(t("snapshot_page", language), parts.path or "/")]
    try:
        period = parse_period_param(params.get("period")) if params.get("period") not in (None, "latest") else None
    except ValueError:
        period = None
    out.append((t("period", language), period.label(language) if period else t("latest", language)))
    if params.get("show"):
        out.append((t("snapshot_show", language), params["show"]))
    if params.get("sort"):
        out.append((t("snapshot_sort", language), t("sort_worst", language) if params["sort"] == "worst" else params["sort"]))
    if params.get("kpi"):
        out.append((t("kpi", language), params["kpi"]))
    return out


def header_html(path_and_query: str, language: str, now: dt.datetime | None = None) -> str:
    """The block printed above the page: what it is, its filters, when it was taken."""
    items = " · ".join(f"<b>{escape(label)}:</b> {escape(value)}" for label, value in filters(path_and_query, language))
    stamp = format_timestamp(now or thai_now(), language)
    return (f"<style>{font_faces()}</style>"
            "<div id=\"snapshot-header\" style=\"font-family:Sarabun,sans-serif;font-size:12px;border-left:5px solid "
            "#0b3d6e;padding:4px 10px;margin:0 0 8px;background:#fff\">"
            f"<div style=\"font-weight:700;color:#0b3d6e\">{escape(t('snapshot', language))} · "
            f"{escape(t('esr_generated', language))} {escape(stamp)}</div>"
            f"<div>{escape(t('snapshot_filters', language))}: {items}</div></div>")


def snapshot_pdf(base_url: str, path_and_query: str, language: str, now: dt.datetime | None = None) -> bytes:
    """The page at `path_and_query` on the app at `base_url`, as an A4 PDF with its filters on top."""
    url = base_url.rstrip("/") + "/" + path_and_query.lstrip("/")
    return get_renderer().pdf(PdfJob(url=url, wait_for=DASH_DRAWN, wait_until="networkidle",
                                     header_html=header_html(path_and_query, language, now), viewport_width=1100))


def snapshot_stem(path_and_query: str) -> str:
    """snapshot_province_50_2569: the page and its period."""
    parts = urlsplit(path_and_query)
    params = dict(parse_qsl(parts.query))
    page = "_".join(p for p in parts.path.strip("/").split("/") if p) or "overview"
    return "_".join(p for p in ("snapshot", page, params.get("period") or "latest") if p)
