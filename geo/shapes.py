"""Geometry work for boundaries: repair, merge pieces per area, simplify, write compact GeoJSON.

Three details are stored per area (see `data.schema.Boundary`):
- "full": the repaired source, coordinates rounded to 6 decimals (~0.1 m);
- "web": simplified for a province's district or subdistrict map (5 decimals, ~1 m);
- "overview": simplified for the national map (4 decimals, ~11 m), tiny islands dropped.

Simplification treats all areas of the file as one coverage (`shapely.coverage_simplify`) so
neighbours keep their shared edges: no slivers or gaps appear between districts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Detail:
    name: str
    tolerance: float        # degrees; `coverage_simplify` removes vertices whose triangle area < tolerance²
    decimals: int
    min_part_area: float    # deg²: smaller islands of an area are dropped (its largest part never is)


# Tolerances: at "web" a province (~2° wide) fills ~800 px, 1 px ≈ 0.0025°; at "overview" the
# country (~15° tall) fills ~800 px, 1 px ≈ 0.02°. The national 928-district FeatureCollection
# at overview is ~0.3 MB from the OCHA COD-AB file here and ~0.75 MB from a detailed
# (170,000-vertex) district layer; islets under ~1 km² are left out of the overview only.
DETAILS = (
    Detail("full", 0.0, 6, 0.0),
    Detail("web", 0.001, 5, 0.0),
    Detail("overview", 0.01, 4, 1e-4),
)


# --------------------------------------------------------------------------- repair


def polygonal_part(geometry: BaseGeometry | None) -> Polygon | MultiPolygon | None:
    """The polygons within `geometry` (a repaired shape can be a collection with lines)."""
    if geometry is None or geometry.is_empty:
        return None
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return geometry
    parts = [part for part in shapely.get_parts(geometry) if isinstance(part, (Polygon, MultiPolygon))]
    polygons = [p for part in parts for p in (part.geoms if isinstance(part, MultiPolygon) else [part])]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def repair_geometries(geometries) -> tuple[np.ndarray, int]:
    """Make every geometry a valid (multi)polygon in 2D, or None; and count the repaired ones.

    Missing or non-polygonal geometries become None (the caller reports them).
    """
    geometries = np.asarray(geometries, dtype=object)
    present = ~shapely.is_missing(geometries)
    result = np.full(len(geometries), None, dtype=object)
    flat = shapely.force_2d(geometries[present])
    invalid = ~shapely.is_valid(flat)
    if invalid.any():
        flat[invalid] = shapely.make_valid(flat[invalid], method="structure", keep_collapsed=False)
    result[present] = [polygonal_part(g) for g in flat]
    return result, int(invalid.sum())


def merge_pieces(codes: list[str | None], geometries) -> dict[str, Polygon | MultiPolygon]:
    """One shape per area code: the union of its pieces (islands, split features)."""
    pieces: dict[str, list] = {}
    for code, geometry in zip(codes, geometries):
        if code is not None and geometry is not None:
            pieces.setdefault(code, []).append(geometry)
    merged = {}
    for code, parts in pieces.items():
        shape = parts[0] if len(parts) == 1 else polygonal_part(shapely.union_all(parts))
        if shape is not None and not shape.is_valid:
            shape = polygonal_part(shapely.make_valid(shape))
        if shape is not None:
            merged[code] = shape
    return merged


# --------------------------------------------------------------------------- simplify


def simplify_coverage(geometries: list, tolerance: float) -> list:
    """Simplify all areas together so shared edges stay shared; per shape where that fails."""
    if tolerance <= 0 or len(geometries) == 0:
        return list(geometries)
    array = np.asarray(geometries, dtype=object)
    try:
        simplified = shapely.coverage_simplify(array, tolerance, simplify_boundary=True)
    except Exception:  # GEOS < 3.12, or a coverage GEOS rejects
        simplified = np.full(len(array), None, dtype=object)
    bad = shapely.is_missing(simplified) | shapely.is_empty(simplified) | ~shapely.is_valid(simplified)
    if bad.any():
        simplified[bad] = shapely.simplify(array[bad], tolerance, preserve_topology=True)
    return [polygonal_part(g) or original for g, original in zip(simplified, array)]


def drop_small_parts(geometry: Polygon | MultiPolygon, min_area: float) -> Polygon | MultiPolygon:
    """Without islands smaller than `min_area` (the largest part is always kept)."""
    if min_area <= 0 or not isinstance(geometry, MultiPolygon):
        return geometry
    parts = sorted(geometry.geoms, key=lambda p: p.area, reverse=True)
    kept = [parts[0]] + [p for p in parts[1:] if p.area >= min_area]
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


# --------------------------------------------------------------------------- GeoJSON text


def geojson_texts(geometries, decimals: int) -> list[str | None]:
    """Compact GeoJSON of each geometry with coordinates rounded to `decimals`; None where
    nothing survives the rounding.

    Exterior rings run clockwise and holes anticlockwise: the winding d3, and so Plotly's
    `go.Choropleth`, needs (it reads an anticlockwise ring as "the whole globe but this").
    MapLibre maps ignore the winding.
    """
    array = np.asarray(geometries, dtype=object)
    rounded = shapely.transform(array, lambda coords: np.round(coords, decimals))
    rounded = shapely.remove_repeated_points(rounded, 0.0)
    parts, owner = shapely.get_parts(rounded, return_index=True)
    degenerate = shapely.area(parts) <= 0
    if degenerate.any():  # a sliver or islet rounded to a line: drop that part only
        for i in np.unique(owner[degenerate]):
            kept = [p for p in parts[(owner == i) & ~degenerate]]
            rounded[i] = None if not kept else kept[0] if len(kept) == 1 else MultiPolygon(kept)
    rounded = shapely.orient_polygons(rounded, exterior_cw=True)
    return [None if text is None else str(text) for text in shapely.to_geojson(rounded)]


def geojson_text(geometry: Polygon | MultiPolygon, decimals: int) -> str | None:
    """Compact GeoJSON of one geometry (see `geojson_texts`)."""
    return geojson_texts([geometry], decimals)[0]


def boundary_rows(shapes: dict[str, Polygon | MultiPolygon]) -> list[dict]:
    """The rows to store: every area at every detail, with its bounding box."""
    codes = list(shapes)
    originals = np.asarray([shapes[c] for c in codes], dtype=object)
    rows = []
    for detail in DETAILS:
        simplified = [drop_small_parts(g, detail.min_part_area)
                      for g in simplify_coverage(originals, detail.tolerance)]
        texts = geojson_texts(simplified, detail.decimals)
        lost = [i for i, text in enumerate(texts) if text is None]
        for i in lost:  # simplified or rounded away: keep the unsimplified shape
            simplified[i] = originals[i]
            texts[i] = geojson_text(originals[i], detail.decimals)
        bounds = shapely.bounds(np.asarray(simplified, dtype=object))
        for code, text, (min_x, min_y, max_x, max_y) in zip(codes, texts, bounds.tolist()):
            if text is not None:
                rows.append(dict(area_code=code, detail=detail.name, geojson=text,
                                 min_x=min_x, min_y=min_y, max_x=max_x, max_y=max_y))
    return rows
