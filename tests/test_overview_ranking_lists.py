"""The overview's best and worst lists for a viewer shown fewer than twenty provinces (a region's
or a few clusters' accounts): never a province in both lists, none left out of both."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers import by_id
from layouts.figures import Measure
from layouts.views.overview import RANKED, ranking_card


def provinces(count: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": [str(10 + i) for i in range(count)],
            "name_th": [f"จังหวัด {i}" for i in range(count)],
            "name_en": [f"Province {i}" for i in range(count)],
            "score": [5.0 - 4.0 * i / count for i in range(count)],
            "status": "watch",
            "rank_country": [i + 1 for i in range(count)],
        }
    )


@pytest.mark.parametrize("count", [2, 4, 6, RANKED, RANKED + 1, 17, 2 * RANKED, 77])
def test_orl001_best_and_worst_never_name_a_province_twice(count):
    card = ranking_card(provinces(count), Measure.goal_score("ALL"), {"lang": "th"}, "th")
    markup = by_id(card, "ranking-lists").children
    lists = re.split(r'id="ranking-worst"', markup)
    best = re.findall(r"/province/(\d+)", lists[0])
    worst = re.findall(r"/province/(\d+)", lists[1]) if len(lists) > 1 else []
    assert not set(best) & set(worst)
    assert len(best) == min(RANKED, count) and len(worst) == min(RANKED, count - len(best))
    assert best == [str(10 + i) for i in range(len(best))]  # best first
    assert worst == [str(10 + count - 1 - i) for i in range(len(worst))]  # worst first
