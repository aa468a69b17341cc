"""The frame around every page: header with the language toggle, demo-data banner, footer."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from data.query import can
from layouts.text.i18n import t


def create_shell() -> html.Div:
    """The app layout: a URL store and the page container; pages draw their own header."""
    return html.Div([dcc.Location(id="url", refresh="callback-nav"), dash.page_container], className="poc-app")


def create_header(language: str, path: str, query: str = "") -> dbc.Navbar:
    """Title bar; the toggle links to the same page in the other language, so it can be bookmarked."""
    other = "en" if language != "en" else "th"
    return dbc.Navbar(
        dbc.Container(
            [
                html.A(
                    [
                        html.I(className="bi bi-building me-2"),
                        html.Span(t("app_title", language), className="fw-semibold"),
                        html.Small(
                            " · " + t("app_subtitle", language), className="navbar-subtitle ms-1 d-none d-md-inline"
                        ),
                    ],
                    href=f"/?lang={language}",
                    className="navbar-brand text-white text-decoration-none",
                ),
                html.Div(
                    [
                        html.A(
                            [html.I(className="bi bi-display me-1"), t("wall_open", language)],
                            id="wall-link",
                            href=wall_href(path, language),
                            className="btn btn-sm btn-outline-light me-2",
                        ),
                        *viewer_links(language),
                        html.A(
                            [html.I(className="bi bi-translate me-1"), t("language_toggle", language)],
                            id="language-toggle",
                            href=f"{path}?lang={other}{('&' + query) if query else ''}",
                            className="btn btn-sm btn-light me-2",
                        ),
                        html.A(
                            [html.I(className="bi bi-box-arrow-right me-1"), t("sign_out", language)],
                            id="sign-out",
                            href=f"/logout?lang={language}",
                            className="btn btn-sm btn-outline-light",
                        ),
                    ],
                    className="d-flex flex-wrap gap-1",
                ),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="mb-3",
    )


def viewer_links(language: str) -> list:
    """The data page, the admin pages and the account page, each where the viewer's role may open it
    (the page caches key on the viewer's permissions, so no viewer gets another's header)."""
    links = []
    if can("data_status"):
        links.append(_nav_link("bi-database-check", t("data_status", language), f"/data?lang={language}"))
    if can("manage_accounts") or can("manage_tokens") or can("audit"):
        links.append(_nav_link("bi-people", t("admin", language), f"/admin?lang={language}", "admin-link"))
    links.append(_nav_link("bi-person-circle", t("account", language), f"/account?lang={language}", "account-link"))
    return links


def _nav_link(icon: str, label: str, target: str, link_id: str | None = None) -> html.A:
    extra = {"id": link_id} if link_id else {}
    classes = "btn btn-sm btn-outline-light me-2"
    return html.A([html.I(className=f"bi {icon} me-1"), label], href=target, className=classes, **extra)


def wall_href(path: str, language: str) -> str:
    """The wall screen of the page's area: a province's or a cluster's, else the country's."""
    parts = path.strip("/").split("/")
    scope = {"province": "province", "cluster": "cluster"}.get(parts[0]) if len(parts) == 2 else None
    return f"/wall?lang={language}" + (f"&{scope}={parts[1]}" if scope else "")


def demo_banner(language: str) -> dbc.Alert:
    """Shown on every page whose numbers include demo values."""
    return dbc.Alert(
        [
            html.I(className="bi bi-exclamation-triangle-fill me-2"),
            html.Strong(t("demo_badge", language) + ": "),
            t("demo_notice", language),
        ],
        color="warning",
        className="py-2 demo-banner",
        id="demo-banner",
    )
