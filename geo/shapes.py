"""Geometry work for boundaries: repair, merge pieces per area, simplify, write compact GeoJSON.

Three details are stored per area (see `data.store.schema.Boundary`):
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
import shapely.errors
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Detail:
    name: str
    tolerance: float  # degrees; `coverage_simplify` removes vertices whose triangle area < tolerance²
    decimals: int
    min_part_area: float  # deg²: smaller islands of an area are dropped (its largest part never is)


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


@dataclass(frozen=True)
class GeometryProblem:
    """Why a feature's geometry cannot be stored. `lost_shape`: the feature had a shape that is
    lost (beyond repair, non-finite or unreadable coordinates), so its area would be stored
    incomplete; False for a feature that has no area to lose (no geometry, empty, a point)."""

    reason: str
    lost_shape: bool


_TYPE_NAMES = {0: "a point", 1: "a line", 2: "a ring", 4: "points", 5: "lines"}


def repair_geometries(geometries) -> tuple[np.ndarray, int]:
    """Make every geometry a valid (multi)polygon in 2D, or None; and count the repaired ones.

    Missing or non-polygonal geometries become None (the caller reports them).
    """
    result, repaired, _ = repair_with_reasons(geometries)
    return result, repaired


def repair_with_reasons(
    geometries, known: dict[int, str] | None = None
) -> tuple[np.ndarray, int, dict[int, GeometryProblem]]:
    """`repair_geometries`, and why each geometry that became None could not be used.

    `known[i]` is a reason found while reading (an unreadable geometry, such as a ring that
    is not closed). Never raises for a bad geometry: GEOS errors are caught per feature.
    """
    geometries = np.asarray(geometries, dtype=object)
    count = len(geometries)
    result = np.full(count, None, dtype=object)
    problems: dict[int, GeometryProblem] = {i: GeometryProblem(reason, True) for i, reason in (known or {}).items()}
    if count == 0:
        return result, 0, problems
    missing = shapely.is_missing(geometries)
    finite = finite_coordinates(geometries)
    empty = np.zeros(count, dtype=bool)
    empty[~missing] = shapely.is_empty(geometries[~missing])
    for i in np.flatnonzero(missing | empty | ~finite):
        if i in problems:
            continue
        problems[int(i)] = (
            GeometryProblem("no geometry", False)
            if missing[i]
            else GeometryProblem("empty geometry", False)
            if empty[i]
            else GeometryProblem(
                f"coordinates that are not numbers any map has (NaN, infinity or beyond ±{COORDINATE_LIMIT:.0e})", True
            )
        )
    usable = ~(missing | empty) & finite
    for i in problems:
        usable[i] = False
    indexes = np.flatnonzero(usable)
    flat = shapely.force_2d(geometries[indexes])
    types = shapely.get_type_id(flat)
    polygonal = np.isin(types, (3, 6, 7))
    for i, type_id in zip(indexes[~polygonal], types[~polygonal]):
        problems[int(i)] = GeometryProblem(f"{_TYPE_NAMES.get(int(type_id), 'not a polygon')}, not a polygon", False)
    indexes, flat = indexes[polygonal], flat[polygonal]
    valid = shapely.is_valid(flat)
    for i, geometry in zip(indexes[valid], flat[valid]):
        result[i] = polygonal_part(geometry)
        if result[i] is None:
            problems[int(i)] = GeometryProblem("a collection without polygons", False)
    repaired = 0
    for i, geometry in zip(indexes[~valid], flat[~valid]):
        try:
            fixed, why = _repair_one(geometry)
        except shapely.errors.GEOSException as exc:
            problems[int(i)] = GeometryProblem(f"cannot be repaired ({_first_line(exc)})", True)
            continue
        if fixed is None:
            problems[int(i)] = GeometryProblem("no polygon is left once repaired" + (f" ({why})" if why else ""), True)
        else:
            result[i] = fixed
            repaired += 1
    _drop_vanishing(result, problems)
    return result, repaired, problems


STORED_GRID = 10.0 ** -DETAILS[0].decimals  # the "full" detail keeps 6 decimals (~0.1 m)


def _drop_vanishing(result: np.ndarray, problems: dict[int, GeometryProblem]) -> None:
    """Polygons so small or thin that nothing is left of them at the stored precision."""
    kept = np.flatnonzero(~shapely.is_missing(result))
    if len(kept) == 0:
        return
    bounds = shapely.bounds(result[kept])
    small = (np.minimum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]) < 100 * STORED_GRID) | (
        shapely.area(result[kept]) < 1e4 * STORED_GRID**2
    )
    for i in kept[small]:
        try:
            snapped = shapely.set_precision(result[i], STORED_GRID)
        except shapely.errors.GEOSException:
            snapped = None
        if snapped is None or snapped.is_empty or not snapped.area > 0:
            result[i] = None
            problems[int(i)] = GeometryProblem("nothing is left of it at the stored precision of 0.000001°", False)


def _repair_one(geometry: BaseGeometry) -> tuple[Polygon | MultiPolygon | None, str]:
    """An invalid geometry made valid (its polygons only, or None), and GEOS's word for what
    was wrong with it."""
    why = shapely.is_valid_reason(geometry)
    part = polygonal_part(shapely.make_valid(geometry, method="structure", keep_collapsed=False))
    if part is not None and not part.is_valid:
        part = polygonal_part(shapely.make_valid(part))
    if part is not None and (part.is_empty or not part.area > 0):
        part = None
    return part, why


# No map of the earth has coordinates this large, in degrees or in metres (the equator is 4e7 m).
COORDINATE_LIMIT = 1e9


def finite_coordinates(geometries) -> np.ndarray:
    """Per geometry: every coordinate is a finite number within ±`COORDINATE_LIMIT` (True for
    missing or empty geometries)."""
    geometries = np.asarray(geometries, dtype=object)
    coordinates, owners = shapely.get_coordinates(geometries, include_z=False, return_index=True)
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(coordinates) <= COORDINATE_LIMIT).all(axis=1)  # NaN compares False
    ok = np.ones(len(geometries), dtype=bool)
    ok[np.unique(owners[bad])] = False
    return ok


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


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
        simplified = [drop_small_parts(g, detail.min_part_area) for g in simplify_coverage(originals, detail.tolerance)]
        texts = geojson_texts(simplified, detail.decimals)
        lost = [i for i, text in enumerate(texts) if text is None]
        for i in lost:  # simplified or rounded away: keep the unsimplified shape
            simplified[i] = originals[i]
            texts[i] = geojson_text(originals[i], detail.decimals)
        bounds = shapely.bounds(np.asarray(simplified, dtype=object))
        for code, text, (min_x, min_y, max_x, max_y) in zip(codes, texts, bounds.tolist()):
            if text is not None:
                rows.append(
                    dict(
                        area_code=code,
                        detail=detail.name,
                        geojson=text,
                        min_x=min_x,
                        min_y=min_y,
                        max_x=max_x,
                        max_y=max_y,
                    )
                )
    return rows
