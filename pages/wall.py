"""/wall — the wall screen for the governor's office: `?province=50`, `?cluster=1` or none (the
country), with `lang`, `theme`, `slides`, `interval`, `refresh`, `kpi` and `trends` in the URL
(defaults in the settings). The page is a frame only; `assets/wall.js` fills it from /wall/data
and rotates the slides in the browser, so it never touches the store itself."""

from __future__ import annotations

import dash
from dash import html

from data.query import shown_kpi_ids
from layouts.views.wall import create_wall, read_wall_config
from pages._titles import page_title
from settings import get_settings

dash.register_page(__name__, path="/wall", title=page_title("wall_open"), name="wall")


def layout(**query) -> html.Div:
    config = read_wall_config(
        {k: v for k, v in query.items() if isinstance(v, str)},
        get_settings(),
        shown_kpi_ids(),  # no restricted KPI the viewer may not see
    )
    return create_wall(config)
