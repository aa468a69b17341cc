"""What a page shows when the store cannot answer: the page's frame with a plain message and,
while it lasts, a reload every so often, so a screen nobody touches recovers by itself; or,
when the cache still held the page's answers, those with a banner giving their age."""

from __future__ import annotations

import time

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.text.format import format_timestamp
from layouts.text.i18n import t

RETRY_MS = 15_000  # how often a page without its store tries again (reloads itself)


def retry_timer(interval_ms: int = RETRY_MS) -> dcc.Interval:
    """Reloads the page after `interval_ms` (callbacks.store_retry)."""
    return dcc.Interval(id="store-retry", interval=interval_ms, n_intervals=0, max_intervals=1)


def unavailable_panel(language: str) -> html.Div:
    """The page body when the store cannot answer and the cache holds nothing for it."""
    return html.Div(
        [
            dbc.Alert(
                [
                    html.H1(
                        [html.I(className="bi bi-database-exclamation me-2"), t("store_unavailable_title", language)],
                        className="h4",
                    ),
                    html.P(t("store_unavailable_text", language)),
                    html.P(t("store_retrying", language).format(seconds=RETRY_MS // 1000), className="small mb-0"),
                ],
                color="danger",
                className="mt-3",
                id="store-unavailable",
            ),
            retry_timer(),
        ],
        role="alert",
    )


def stale_banner(since: float, language: str, now: float | None = None) -> html.Div:
    """Above a page answered from the cache while the store is down: since when, how old."""
    minutes = max(0, int(((now or time.time()) - since) // 60))
    return html.Div(
        [
            dbc.Alert(
                [
                    html.I(className="bi bi-clock-history me-2"),
                    t("store_stale", language).format(
                        time=format_timestamp(since_utc(since), language), minutes=minutes
                    ),
                ],
                color="warning",
                className="py-2 mb-2",
                id="store-stale",
            ),
            retry_timer(RETRY_MS * 2),
        ],
        className="container-fluid px-4 pt-2",
        role="status",
    )


def since_utc(epoch_seconds: float):
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch_seconds, dt.timezone.utc)
