"""Read any boundary file GDAL can open into a GeoDataFrame in lon/lat (EPSG:4326).

GeoJSON, TopoJSON, GeoPackage, a Shapefile (plain or zipped), FlatGeobuf, KML… all go
through pyogrio. Whatever goes wrong is raised as a `BoundaryFileError` that names the
file and the reason, in words a POC officer can act on.

Coordinates are checked after conversion to lon/lat: every feature must lie within Thailand
(with a margin). A file in projected metres without its CRS, with latitude and longitude
swapped, with a wrong declared CRS or with a polygon covering the globe is refused with a
message that says what the coordinates look like and which CRS would fit.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas
import numpy as np
import pyogrio
import shapely
import shapely.errors
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from geo.shapes import finite_coordinates

LONLAT = "EPSG:4326"
# Thailand spans lon 97.3–105.6, lat 5.6–20.5; a feature must lie within this box (1° margin).
THAILAND_EXTENT = (97.0, 5.3, 106.0, 20.8)
EXTENT_MARGIN = 1.0
ALLOWED_EXTENT = (
    THAILAND_EXTENT[0] - EXTENT_MARGIN,
    THAILAND_EXTENT[1] - EXTENT_MARGIN,
    THAILAND_EXTENT[2] + EXTENT_MARGIN,
    THAILAND_EXTENT[3] + EXTENT_MARGIN,
)
# The projected CRSs Thai maps come in, tried when coordinates look like metres.
LIKELY_CRS = (
    ("EPSG:32647", "WGS 84 / UTM zone 47N"),
    ("EPSG:32648", "WGS 84 / UTM zone 48N"),
    ("EPSG:24047", "Indian 1975 / UTM zone 47N"),
    ("EPSG:24048", "Indian 1975 / UTM zone 48N"),
    ("EPSG:3857", "WGS 84 / Pseudo-Mercator (web maps)"),
)
_GEOJSON_SUFFIXES = (".geojson", ".json", ".topojson", ".geojsonl", ".geojsons")
LEVEL_LAYER_HINTS = {
    "province": ("adm1", "prov", "changwat"),
    "district": ("adm2", "amp", "district"),
    "subdistrict": ("adm3", "tam", "tambon", "subdistrict"),
}
_POLYGONAL_LAYER_TYPES = ("Polygon", "MultiPolygon", "Polygon Z", "MultiPolygon Z", "Unknown", None)
_MOJIBAKE = re.compile(r"[\u00a1-\u00fb]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


class BoundaryFileError(ValueError):
    """A boundary file cannot be used; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{Path(path).name}: {reason}")


def read_boundary_file(
    path: Path | str, layer: str | int | None = None, level: str | None = None, crs: str | None = None
) -> geopandas.GeoDataFrame:
    """The features of `path` in EPSG:4326, with their attribute columns.

    `layer` picks a layer of a multi-layer source (GeoPackage, a zip of several Shapefiles);
    without it the only polygon layer is read, or the one whose name suggests `level`
    ("adm2" for districts, as in the OCHA COD-AB set).
    `crs` ("EPSG:32647") says what the coordinates are, over whatever the file declares; a
    file that declares no CRS is taken as lon/lat. Either way every feature must then lie
    within Thailand, or the file is refused (see `ALLOWED_EXTENT`).

    A geometry that cannot be decoded (a ring that is not closed) is read as missing; the
    frame's `attrs["unreadable"]` maps its row to the reason. `attrs["crs_note"]` says how
    the coordinates were read.
    """
    path = Path(path)
    if not path.exists():
        raise BoundaryFileError(path, "file not found")
    source = str(path)
    if layer is None:
        layer = _pick_layer(path, source, level)
    frame = _read(path, source, layer, encoding=None)
    encoding = None
    if _needs_thai_codepage(path, frame):
        encoding = "cp874"
        frame = _read(path, source, layer, encoding=encoding)
    if not isinstance(frame, geopandas.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise BoundaryFileError(path, "the file has no geometries (is it a table rather than a map?)")
    if len(frame) == 0:
        raise BoundaryFileError(path, "the file has no features")
    frame = frame.reset_index(drop=True)
    geometries = frame.geometry.values
    missing = shapely.is_missing(geometries)
    unreadable = _unreadable_geometries(path, source, layer, encoding, np.flatnonzero(missing), len(frame))
    present = ~(missing | shapely.is_empty(geometries))
    if not present.any():
        first = next(iter(unreadable.items()), None)
        raise BoundaryFileError(
            path, "no feature has a geometry" + (f" (feature {first[0]}: {first[1]})" if first else "")
        )
    polygonal = np.isin(shapely.get_type_id(geometries[present]), (3, 6, 7))  # 7: collections may hold polygons
    if not polygonal.any():
        kinds = sorted(set(frame.geometry[present].geom_type))
        raise BoundaryFileError(path, f"the file holds {', '.join(kinds)} geometries, not polygons of areas")
    frame = _to_lonlat(path, frame, crs)
    frame.attrs["unreadable"] = unreadable
    return frame


def _read(path: Path, source: str, layer, encoding: str | None) -> geopandas.GeoDataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's word on each odd feature
            warnings.filterwarnings("ignore", "Could not parse column", UserWarning)  # a list-valued property
            return geopandas.read_file(source, layer=layer, engine="pyogrio", encoding=encoding, on_invalid="ignore")
    except pyogrio.errors.DataSourceError as exc:
        raise BoundaryFileError(path, f"not a file GDAL can read as a map ({_first_line(exc)})") from exc
    except (
        pyogrio.errors.DataLayerError,
        pyogrio.errors.FieldError,
        pyogrio.errors.FeatureError,
        pyogrio.errors.GeometryError,
        pyogrio.errors.CRSError,
    ) as exc:
        raise BoundaryFileError(path, f"cannot read layer {layer!r}: {_first_line(exc)}") from exc
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise BoundaryFileError(path, f"cannot read: {_first_line(exc)}") from exc
    except Exception as exc:  # whatever else GDAL, pyogrio or GEOS raise on a hostile file
        raise BoundaryFileError(path, f"cannot read: {type(exc).__name__}: {_first_line(exc)}") from exc


def _unreadable_geometries(
    path: Path, source: str, layer, encoding: str | None, rows: np.ndarray, count: int
) -> dict[int, str]:
    """Why the geometries at `rows` (read as missing) are missing: GEOS could not decode
    them (a ring that is not closed, too few points). Rows the file leaves empty are left out."""
    if len(rows) == 0:
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            _, _, wkb, _ = pyogrio.raw.read(source, layer=layer, encoding=encoding, columns=[])
    except Exception:  # noqa: BLE001 - the first read worked; without this detail the rows stay "no geometry"
        return {}
    if len(wkb) != count:
        return {}
    reasons = {}
    for row in rows:
        if wkb[row] is None:
            continue
        try:
            shapely.from_wkb(wkb[row])
        except (shapely.errors.GEOSException, ValueError) as exc:
            reasons[int(row)] = f"unreadable geometry: {_geos_words(exc)}"
        else:
            reasons[int(row)] = "unreadable geometry"
    return reasons


def _geos_words(exc: BaseException) -> str:
    text = _first_line(exc)
    text = re.sub(r"^\w+Exception: ", "", text)
    if "closed linestring" in text:
        return "a ring is not closed (its last point is not its first)"
    if "Invalid number of points" in text or "must be 0 or >=" in text:
        return "a ring has fewer than 4 points"
    return text


def _pick_layer(path: Path, source: str, level: str | None):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's word on odd features ("Non closed ring")
            layers = pyogrio.list_layers(source)
    except pyogrio.errors.DataSourceError as exc:
        raise BoundaryFileError(path, f"not a file GDAL can read as a map ({_first_line(exc)})") from exc
    except OSError as exc:
        raise BoundaryFileError(path, f"cannot read: {_first_line(exc)}") from exc
    if len(layers) == 0:
        raise BoundaryFileError(path, "the file has no layers")
    if len(layers) == 1:
        return layers[0][0]
    polygon_layers = [str(name) for name, kind in layers if kind in _POLYGONAL_LAYER_TYPES]
    if len(polygon_layers) == 1:
        return polygon_layers[0]
    if level in LEVEL_LAYER_HINTS and polygon_layers:
        hinted = [name for name in polygon_layers if any(hint in name.lower() for hint in LEVEL_LAYER_HINTS[level])]
        if len(hinted) == 1:
            return hinted[0]
    names = ", ".join(str(name) for name, _ in layers)
    raise BoundaryFileError(path, f"the file has several layers ({names}); say which one to import")


def _needs_thai_codepage(path: Path, frame) -> bool:
    """A Shapefile written in TIS-620/CP874 without a .cpg reads as Latin-1 mojibake."""
    if path.suffix.lower() not in (".shp", ".zip", ".dbf"):
        return False
    text = [
        value
        for column in frame.columns
        if frame[column].dtype == object or str(frame[column].dtype) == "str"
        for value in frame[column].dropna().astype(str).head(200)
    ]
    joined = "".join(text)
    return bool(_MOJIBAKE.search(joined)) and not _THAI.search(joined)


def _to_lonlat(path: Path, frame: geopandas.GeoDataFrame, crs: str | None = None) -> geopandas.GeoDataFrame:
    """`frame` in EPSG:4326, refused unless every feature lies within Thailand."""
    if crs is not None:
        try:
            given = CRS.from_user_input(crs)
        except (CRSError, TypeError, ValueError) as exc:
            raise BoundaryFileError(
                path, f"--crs {crs!r} is not a coordinate reference system (give an EPSG code such as EPSG:32647)"
            ) from exc
        frame = frame.set_crs(given, allow_override=True)
        how = f"{_crs_label(given)}, as given with --crs"
    elif frame.crs is None:
        frame = frame.set_crs(LONLAT)
        how = "longitude/latitude (EPSG:4326), assumed because the file declares no coordinate reference system"
    elif _is_lonlat(frame.crs) and path.suffix.lower() in _GEOJSON_SUFFIXES:
        how = "longitude/latitude (EPSG:4326), as GeoJSON is read unless it declares another CRS"
    else:
        how = f"{_crs_label(frame.crs)}, as the file declares"
    source_crs = CRS.from_user_input(frame.crs)
    if _is_lonlat(source_crs):
        converted = frame.set_crs(LONLAT, allow_override=True)
    else:
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                converted = frame.to_crs(LONLAT)
        except Exception as exc:  # pyproj raises several kinds
            raise BoundaryFileError(
                path, f"cannot convert from {_crs_label(source_crs)} to lon/lat: {_first_line(exc)}"
            ) from exc
    _check_extent(path, frame.geometry.values, converted.geometry.values, source_crs, how)
    converted.attrs["crs_note"] = how
    return converted


def _is_lonlat(crs) -> bool:
    return CRS.from_user_input(crs).equals(CRS.from_user_input(LONLAT), ignore_axis_order=True)


def _crs_label(crs) -> str:
    crs = CRS.from_user_input(crs)
    authority = crs.to_authority()
    return f"{crs.name} ({':'.join(authority)})" if authority else crs.name


def _inside(bounds: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (bounds[:, 0] >= box[0]) & (bounds[:, 1] >= box[1]) & (bounds[:, 2] <= box[2]) & (bounds[:, 3] <= box[3])


def _check_extent(path: Path, raw, converted, source_crs: CRS, how: str) -> None:
    """Refuse the file unless every feature lies within Thailand once in lon/lat; say what the
    coordinates look like and which CRS would fit. (Features with NaN, infinite or absurd
    coordinates, beyond any map, are left to the repair step, which lists them as invalid.)"""
    present = ~(shapely.is_missing(raw) | shapely.is_empty(raw))
    checked = present & finite_coordinates(raw)
    if not checked.any():
        return
    lonlat = shapely.bounds(converted)
    with np.errstate(invalid="ignore"):
        fine = checked & np.isfinite(lonlat).all(axis=1) & _inside(lonlat, ALLOWED_EXTENT)
    outside = np.flatnonzero(checked & ~fine)
    if len(outside) == 0:
        return
    file_bounds = shapely.bounds(raw)
    kinds: dict[str, list[int]] = {}
    for i in outside:
        kinds.setdefault(_outside_kind(file_bounds[i], lonlat[i], source_crs), []).append(int(i))
    hints = [_outside_hint(kind, rows, file_bounds, lonlat, source_crs) for kind, rows in kinds.items()]
    west, south, east, north = ALLOWED_EXTENT
    raise BoundaryFileError(
        path,
        f"{len(outside)} of {int(checked.sum())} features lie outside Thailand (lon {west:g} to {east:g}, "
        f"lat {south:g} to {north:g}) with the coordinates read as {how}: {'; '.join(hints)}; nothing was imported",
    )


def _outside_kind(file_box: np.ndarray, lonlat_box: np.ndarray, source_crs: CRS) -> str:
    min_x, min_y, max_x, max_y = file_box
    largest = max(abs(min_x), abs(min_y), abs(max_x), abs(max_y))
    west, south, east, north = ALLOWED_EXTENT
    if not source_crs.is_geographic and _inside(file_box[None, :], ALLOWED_EXTENT)[0]:
        return "lonlat_declared_projected"
    if largest > 400:
        return "metres"
    if south <= min_x <= max_x <= north and west <= min_y <= max_y <= east:
        return "swapped"
    if np.all(np.isfinite(lonlat_box)) and (lonlat_box[2] - lonlat_box[0] >= 90 or lonlat_box[3] - lonlat_box[1] >= 45):
        return "globe"
    return "elsewhere"


def _features(rows: list[int]) -> str:
    shown = ", ".join(str(i) for i in rows[:5])
    return (
        f"feature {shown}"
        if len(rows) == 1
        else f"features {shown}" + (f" … ({len(rows)} in all)" if len(rows) > 5 else "")
    )


def _number(value: float, digits: int) -> str:
    return f"{value:.3g}" if abs(value) >= 1e8 else f"{value:,.{digits}f}"


def _span(bounds: np.ndarray, rows: list[int], x: str = "x", y: str = "y", digits: int = 0) -> str:
    box = bounds[rows]
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        min_x, min_y = np.nanmin(box[:, 0]), np.nanmin(box[:, 1])
        max_x, max_y = np.nanmax(box[:, 2]), np.nanmax(box[:, 3])
    return (
        f"{x} {_number(min_x, digits)} to {_number(max_x, digits)}, "
        f"{y} {_number(min_y, digits)} to {_number(max_y, digits)}"
    )


def _outside_hint(kind: str, rows: list[int], file_bounds: np.ndarray, lonlat: np.ndarray, source_crs: CRS) -> str:
    features = _features(rows)
    if kind == "lonlat_declared_projected":
        return (
            f"{features}: the coordinates are longitude/latitude in Thailand "
            f"({_span(file_bounds, rows, 'lon', 'lat', 2)}), not {_crs_label(source_crs)}: the declared CRS "
            'is wrong; correct it (the .prj, or the file\'s "crs") or import with --crs EPSG:4326'
        )
    if kind == "metres":
        fits = _fitting_crs(file_bounds, rows, source_crs)
        span = _span(file_bounds, rows)
        if fits:
            names = " or ".join(f"{name} ({code})" for code, name in fits[:3])
            return (
                f"{features}: the coordinates ({span}) look like projected metres and fall in Thailand as "
                f'{names}; declare the CRS in the file (a .prj beside the .shp, or a "crs" member) '
                f"or import with --crs {fits[0][0]}"
            )
        return (
            f"{features}: the coordinates ({span}) look like projected metres (Thai maps are usually "
            "UTM zone 47N EPSG:32647 or 48N EPSG:32648, or Indian 1975 / UTM EPSG:24047), but no usual CRS "
            "puts them in Thailand; declare the CRS in the file (.prj) or import with --crs EPSG:…"
        )
    if kind == "swapped":
        return (
            f"{features}: latitude and longitude look swapped ({_span(file_bounds, rows, digits=2)}: "
            "x holds latitudes, y longitudes); write each point as longitude, latitude"
        )
    if kind == "globe":
        return (
            f"{features}: spanning {_span(lonlat, rows, 'lon', 'lat', 1)}, far more than Thailand "
            "(a polygon covering the globe, or a ring drawn the wrong way round?); fix or remove them"
        )
    return f"{features}: elsewhere ({_span(lonlat, rows, 'lon', 'lat', 2)}); fix or remove them"


def _fitting_crs(file_bounds: np.ndarray, rows: list[int], source_crs: CRS) -> list[tuple[str, str]]:
    """The usual projected CRSs in which the corners of these features fall within Thailand."""
    box = file_bounds[rows[:500]]
    xs = np.concatenate([box[:, 0], box[:, 2], box[:, 0], box[:, 2]])
    ys = np.concatenate([box[:, 1], box[:, 3], box[:, 3], box[:, 1]])
    fits = []
    for code, name in LIKELY_CRS:
        if CRS.from_user_input(code).equals(source_crs):
            continue
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                lon, lat = Transformer.from_crs(code, LONLAT, always_xy=True).transform(xs, ys)
        except Exception:  # noqa: BLE001 - a candidate that cannot convert does not fit
            continue
        corners = np.column_stack([lon, lat, lon, lat])
        if np.isfinite(corners).all() and _inside(corners, ALLOWED_EXTENT).all():
            fits.append((code, name))
    return fits


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
