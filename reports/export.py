"""The three downloads: an ESR as PDF or XLSX, and a PDF snapshot of a dashboard page."""

from __future__ import annotations

import datetime as dt

from data.query import Engine
from layouts.text.thai_breaks import breakable_markup
from reports.content import EsrRequest, build_esr
from reports.render import PdfJob, get_renderer


def esr_pdf(
    engine: Engine, request: EsrRequest, *, today: dt.date | None = None, now: dt.datetime | None = None
) -> bytes:
    """The ESR as an A4 PDF, printed by the warm browser (RenderError when it cannot be)."""
    from reports.html import footer_template, shell_url
    from reports.sections import report_body

    report = build_esr(engine, request, today=today, now=now)
    body, figures = report_body(report)
    body = breakable_markup(body)  # Thai lines break between words, units at no hyphen (.tw in REPORT_CSS)
    return get_renderer().pdf(
        PdfJob(url=shell_url(), body=body, figures=figures, footer_template=footer_template(report), viewport_width=800)
    )


def esr_xlsx(
    engine: Engine, request: EsrRequest, *, today: dt.date | None = None, now: dt.datetime | None = None
) -> bytes:
    """The data behind the ESR, one sheet per section."""
    from reports.xlsx import workbook

    return workbook(build_esr(engine, request, today=today, now=now))
