"""How a page shows its long rankings, from its URL: every bar with ?all=1 (kept in the page's
links, so the language toggle keeps it), else the first and last ten; the viewer's own
provinces and the areas the page names always in view. (Not a page: Dash skips modules whose
names start with "_".)"""

from __future__ import annotations

from data.query import viewer_scope
from layouts.components.chart_text import RankingView
from layouts.text.format import href
from pages._frame import PageState

ALL = "1"  # ?all=1: every bar of the page's rankings


def ranking_view(state: PageState, *keep: str | None) -> RankingView:
    """The page's `RankingView`. Call it once the page has kept the rest of its state: its two
    links carry that state."""
    show_all = state.choice("all", (ALL,)) == ALL
    state.keep(all=ALL if show_all else None)
    scope = viewer_scope()
    own = () if scope.everything else tuple(sorted(scope.province_codes))
    return RankingView(
        show_all=show_all,
        keep=tuple(code for code in keep if code) + own,
        all_href=href(state.path, state.links, all=ALL),
        ends_href=href(state.path, state.links, all=None),
    )
