"""The tile-grid map: one equal square per province, used when no boundaries are imported.

Positions are editable data (`geo/tilegrid.yaml`). The tiles are drawn as GeoJSON squares of
1° near the equator, where an equirectangular projection keeps them square, so the same
Plotly `go.Choropleth` code serves both real boundaries and the grid:

    fig = go.Figure(go.Choropleth(geojson=tilegrid_features(), locations=codes, z=values))
    fig.update_geos(fitbounds="locations", visible=False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geothai
import yaml

TILEGRID_PATH = Path(__file__).resolve().parent / "tilegrid.yaml"
GAP = 0.06  # degrees left empty around each 1° tile


class TileGridError(ValueError):
    """The tile-grid file is wrong; the message names the file and the reason."""


@dataclass(frozen=True)
class Tile:
    code: str
    col: int
    row: int
    short: str
    name_th: str
    name_en: str
    short_en: str = ""

    @property
    def centre(self) -> tuple[float, float]:
        """(lon, lat) of the middle of the tile, for a label."""
        return (self.col + 0.5, -self.row - 0.5)


def load_tilegrid(path: Path | str = TILEGRID_PATH) -> dict[str, Tile]:
    """The tiles by province code, checked: every DOPA province once, one province per tile."""
    return dict(_load(str(path)))


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[tuple[str, Tile], ...]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TileGridError(f"{path}: {exc}") from exc
    entries = raw.get("provinces") if isinstance(raw, dict) else None
    if not isinstance(entries, dict):
        raise TileGridError(f"{path}: expected a mapping 'provinces' of code -> {{col, row, short, short_en}}")
    provinces = {p.code: p for p in geothai.provinces()}
    tiles: dict[str, Tile] = {}
    taken: dict[tuple[int, int], str] = {}
    english: dict[str, str] = {}
    for code, entry in entries.items():
        code = str(code)
        if code not in provinces:
            raise TileGridError(f"{path}: {code!r} is not a DOPA province code")
        try:
            col, row, short = int(entry["col"]), int(entry["row"]), str(entry["short"])
            short_en = str(entry["short_en"])
        except (TypeError, KeyError, ValueError) as exc:
            raise TileGridError(
                f"{path}: province {code}: needs integer col and row and short labels in Thai and English"
            ) from exc
        if not re.fullmatch(r"[A-Z]{3}", short_en):
            raise TileGridError(f"{path}: province {code}: short_en {short_en!r} is not three capital letters")
        if short_en in english:
            raise TileGridError(f"{path}: provinces {english[short_en]} and {code} share the short_en {short_en}")
        english[short_en] = code
        if col < 0 or row < 0:
            raise TileGridError(f"{path}: province {code}: col and row start at 0")
        if (col, row) in taken:
            raise TileGridError(f"{path}: provinces {taken[(col, row)]} and {code} share the tile ({col}, {row})")
        taken[(col, row)] = code
        province = provinces[code]
        tiles[code] = Tile(code, col, row, short, province.name_th, province.name_en, short_en)
    missing = sorted(set(provinces) - set(tiles))
    if missing:
        raise TileGridError(f"{path}: no tile for province(s) {', '.join(missing)}")
    return tuple(sorted(tiles.items()))


def tilegrid_features(path: Path | str = TILEGRID_PATH) -> dict:
    """A GeoJSON FeatureCollection of the 77 tiles: `id` = province code; properties code,
    name_th, name_en, short (Thai), short_en (English), col, row and `centre` [lon, lat] for labels."""
    features = []
    for code, tile in load_tilegrid(path).items():
        west, east = tile.col + GAP, tile.col + 1 - GAP
        north, south = -tile.row - GAP, -tile.row - 1 + GAP
        # clockwise, the winding d3 (Plotly's geo maps) takes as "the inside"
        ring = [[west, south], [west, north], [east, north], [east, south], [west, south]]
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {
                    "code": code,
                    "name_th": tile.name_th,
                    "name_en": tile.name_en,
                    "short": tile.short,
                    "short_en": tile.short_en,
                    "col": tile.col,
                    "row": tile.row,
                    "centre": list(tile.centre),
                },
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    tiles = load_tilegrid(path).values()
    bbox = [0.0, -max(t.row for t in tiles) - 1.0, max(t.col for t in tiles) + 1.0, 0.0]
    return {"type": "FeatureCollection", "features": features, "bbox": bbox}


def tile_centres(path: Path | str = TILEGRID_PATH) -> dict[str, tuple[float, float]]:
    """(lon, lat) of each tile's centre by province code, for a text trace of labels."""
    return {code: tile.centre for code, tile in load_tilegrid(path).items()}


def tile_label(properties: dict, language: str) -> str:
    """A tile's label in the view's language: the English abbreviation (CMI) in English, the Thai
    one (ชม) otherwise."""
    if language == "en" and properties.get("short_en"):
        return str(properties["short_en"])
    return str(properties.get("short", ""))
