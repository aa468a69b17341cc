"""Reference facts of each province: registered population and land area.

The figures live in `data/reference/province_facts.csv`, whose leading `# ` lines name the
source (DOPA registered population as of 31 Dec 2564 / 2021; land areas from DOPA's
ทำเนียบท้องที่ 2546 and others) and the as-of date. The demo generator sizes every province by
them, so a demo Lampang is Lampang-sized.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pandas as pd

FACTS_PATH = Path(__file__).resolve().parents[1] / "reference" / "province_facts.csv"
FACTS_FISCAL_YEAR = 2565  # 31 Dec 2564 falls in FY 2565 (1 Oct 2021 - 30 Sep 2022)


@lru_cache(maxsize=4)
def _read(path: str) -> pd.DataFrame:
    frame = pd.read_csv(
        path, comment="#", dtype={"province_code": str, "name_th": str, "name_en": str}, encoding="utf-8"
    )
    frame["province_code"] = frame["province_code"].str.zfill(2)
    frame = frame.set_index("province_code")
    if not frame.index.is_unique:
        raise ValueError(f"{path}: a province code appears twice")
    return frame


def load_province_facts(path: Path | str | None = None) -> pd.DataFrame:
    """The 77 provinces indexed by 2-digit DOPA code, with `name_th`, `name_en`,
    `registered_population` (persons) and `area_km2` (a copy: callers may change it)."""
    return _read(str(path or FACTS_PATH)).copy()


def facts_as_of(path: Path | str | None = None) -> dt.date:
    """The as-of date the file states in its `# as_of: YYYY-MM-DD` line."""
    for line in Path(path or FACTS_PATH).read_text(encoding="utf-8").splitlines():
        if line.startswith("# as_of:"):
            return dt.date.fromisoformat(line.split(":", 1)[1].strip())
    raise ValueError(f"{path or FACTS_PATH}: no '# as_of:' line")
