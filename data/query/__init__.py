"""The query layer: the read border. Every page, callback, report and the wall read the store
through these named functions, which return DataFrames (or dicts), are cached (see
`data.query.cache`) until the next import, and raise the border's named errors: `UnknownArea`,
`UnknownKpi`, and `StoreUnavailable` when the store cannot answer.

Pages, the wall screen and the ESR so show the same numbers computed the same way (scores,
statuses and roll-ups come from `data.rules.scoring`). Every function takes the engine first and
a viewer `scope` last. The period argument is the period the user selected (`None` = as of
today); each KPI shows its latest value for a period that ended on or before its end.

- `scope`: `Scope`, `Viewer`, the viewer of the request (`viewer`, `viewer_scope`, `can`) and the named errors.
- `viewers`: `scope_for`, an account's scope from its areas.
- `periods`: `held_periods`, `resolve_period` (the one "which period" rule), `judged_on`.
- `reference`: `areas`, `area`, `clusters`, `cluster_code_of`, `breadcrumb`, `boundaries`.
- `rows`, `scores`: the province table, scorecards, goal summaries, maps, comparisons.
- `quality`: a KPI's `series`, an area's `data_quality` and `latest_periods`.
- `facts`: `store_meta`, `data_status`, `import_log`.
- `screens`: what the wall screen reads beyond a page (`screen_area`, `member_provinces`, `district_scores`).
- `choices`: what a page and a report both choose (`headline_district_kpi`, `shows_demo`).
"""

from data.query.choices import (
    DISTRICT_LEVELS,
    distribution,
    distribution_scope,
    district_kpis,
    headline_district_kpi,
    page_exists,
    shown_kpi_ids,
    shows_demo,
)
from data.query.facts import data_status, import_log, store_meta
from data.query.periods import held_periods, judged_on, period_label, resolve_period
from data.query.quality import data_quality, latest_periods, series
from data.query.reference import (
    area,
    areas,
    boundaries,
    boundary_levels,
    breadcrumb,
    cluster_code_of,
    clusters,
    viewable_area,
    visible_features,
)
from data.query.rows import province_table
from data.query.scope import (
    ANONYMOUS,
    EVERYTHING,
    NOBODY,
    OPERATOR,
    PUBLIC,
    UNAVAILABLE_ERRORS,
    Engine,
    NotAllowed,
    Scope,
    StoreUnavailable,
    UnknownArea,
    UnknownKpi,
    Viewer,
    can,
    get_engine,
    reset_viewer,
    set_viewer,
    viewer,
    viewer_key,
    viewer_scope,
)
from data.query.scores import cluster_comparison, goal_summary, map_values, province_goal_scores, scorecard
from data.query.screens import district_scores, member_provinces, screen_area
from data.query.viewers import scope_for

__all__ = [
    "ANONYMOUS",
    "EVERYTHING",
    "NOBODY",
    "NotAllowed",
    "OPERATOR",
    "Viewer",
    "can",
    "reset_viewer",
    "scope_for",
    "set_viewer",
    "viewable_area",
    "viewer",
    "viewer_key",
    "viewer_scope",
    "visible_features",
    "DISTRICT_LEVELS",
    "PUBLIC",
    "Engine",
    "Scope",
    "StoreUnavailable",
    "UnknownArea",
    "UnknownKpi",
    "UNAVAILABLE_ERRORS",
    "get_engine",
    "area",
    "areas",
    "boundaries",
    "boundary_levels",
    "breadcrumb",
    "cluster_code_of",
    "cluster_comparison",
    "clusters",
    "data_quality",
    "data_status",
    "district_scores",
    "distribution",
    "distribution_scope",
    "district_kpis",
    "goal_summary",
    "headline_district_kpi",
    "held_periods",
    "import_log",
    "judged_on",
    "page_exists",
    "latest_periods",
    "map_values",
    "member_provinces",
    "period_label",
    "province_goal_scores",
    "province_table",
    "resolve_period",
    "scorecard",
    "screen_area",
    "series",
    "shown_kpi_ids",
    "shows_demo",
    "store_meta",
]
