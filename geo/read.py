"""Read any boundary file GDAL can open into a GeoDataFrame in lon/lat (EPSG:4326).

GeoJSON, TopoJSON, GeoPackage, a Shapefile (plain or zipped), FlatGeobuf, KML… all go
through pyogrio. Whatever goes wrong is raised as a `BoundaryFileError` that names the
file and the reason, in words a POC officer can act on.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas
import numpy as np
import pyogrio
import shapely
from pyproj import CRS

LONLAT = "EPSG:4326"
LEVEL_LAYER_HINTS = {"province": ("adm1", "prov", "changwat"), "district": ("adm2", "amp", "district"),
                     "subdistrict": ("adm3", "tam", "tambon", "subdistrict")}
_POLYGONAL_LAYER_TYPES = ("Polygon", "MultiPolygon", "Polygon Z", "MultiPolygon Z", "Unknown", None)
_MOJIBAKE = re.compile(r"[\u00a1-\u00fb]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


class BoundaryFileError(ValueError):
    """A boundary file cannot be used; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{Path(path).name}: {reason}")


def read_boundary_file(path: Path | str, layer: str | int | None = None,
                       level: str | None = None) -> geopandas.GeoDataFrame:
    """The features of `path` in EPSG:4326, with their attribute columns.

    `layer` picks a layer of a multi-layer source (GeoPackage, a zip of several Shapefiles);
    without it the only polygon layer is read, or the one whose name suggests `level`
    ("adm2" for districts, as in the OCHA COD-AB set).
    A file that declares no CRS is taken as lon/lat only if its coordinates fit lon/lat.
    """
    path = Path(path)
    if not path.exists():
        raise BoundaryFileError(path, "file not found")
    source = str(path)
    if layer is None:
        layer = _pick_layer(path, source, level)
    frame = _read(path, source, layer, encoding=None)
    if _needs_thai_codepage(path, frame):
        frame = _read(path, source, layer, encoding="cp874")
    if not isinstance(frame, geopandas.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise BoundaryFileError(path, "the file has no geometries (is it a table rather than a map?)")
    if len(frame) == 0:
        raise BoundaryFileError(path, "the file has no features")
    geometries = frame.geometry.values
    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    if not present.any():
        raise BoundaryFileError(path, "no feature has a geometry")
    polygonal = np.isin(shapely.get_type_id(geometries[present]), (3, 6, 7))  # 7: collections may hold polygons
    if not polygonal.any():
        kinds = sorted(set(frame.geometry[present].geom_type))
        raise BoundaryFileError(path, f"the file holds {', '.join(kinds)} geometries, not polygons of areas")
    return _to_lonlat(path, frame)


def _read(path: Path, source: str, layer, encoding: str | None) -> geopandas.GeoDataFrame:
    try:
        return geopandas.read_file(source, layer=layer, engine="pyogrio", encoding=encoding)
    except pyogrio.errors.DataSourceError as exc:
        raise BoundaryFileError(path, f"not a file GDAL can read as a map ({_first_line(exc)})") from exc
    except (pyogrio.errors.DataLayerError, pyogrio.errors.FieldError, pyogrio.errors.FeatureError,
            pyogrio.errors.GeometryError, pyogrio.errors.CRSError) as exc:
        raise BoundaryFileError(path, f"cannot read layer {layer!r}: {_first_line(exc)}") from exc
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise BoundaryFileError(path, f"cannot read: {_first_line(exc)}") from exc


def _pick_layer(path: Path, source: str, level: str | None):
    try:
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
        hinted = [name for name in polygon_layers
                  if any(hint in name.lower() for hint in LEVEL_LAYER_HINTS[level])]
        if len(hinted) == 1:
            return hinted[0]
    names = ", ".join(str(name) for name, _ in layers)
    raise BoundaryFileError(path, f"the file has several layers ({names}); say which one to import")


def _needs_thai_codepage(path: Path, frame) -> bool:
    """A Shapefile written in TIS-620/CP874 without a .cpg reads as Latin-1 mojibake."""
    if path.suffix.lower() not in (".shp", ".zip", ".dbf"):
        return False
    text = [value for column in frame.columns if frame[column].dtype == object or str(frame[column].dtype) == "str"
            for value in frame[column].dropna().astype(str).head(200)]
    joined = "".join(text)
    return bool(_MOJIBAKE.search(joined)) and not _THAI.search(joined)


def _to_lonlat(path: Path, frame: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    if frame.crs is None:
        min_x, min_y, max_x, max_y = frame.total_bounds
        if not (-180.0 <= min_x <= max_x <= 180.0 and -90.0 <= min_y <= max_y <= 90.0):
            raise BoundaryFileError(
                path,
                f"the file declares no coordinate reference system and its coordinates "
                f"(x {min_x:.0f} to {max_x:.0f}, y {min_y:.0f} to {max_y:.0f}) are not longitude/latitude; "
                "save it with its CRS (e.g. a .prj beside the .shp)",
            )
        return frame.set_crs(LONLAT)
    if CRS.from_user_input(frame.crs).equals(CRS.from_user_input(LONLAT), ignore_axis_order=True):
        return frame.set_crs(LONLAT, allow_override=True)
    try:
        converted = frame.to_crs(LONLAT)
    except Exception as exc:  # pyproj raises several kinds
        raise BoundaryFileError(path, f"cannot convert from {frame.crs.to_string()} to lon/lat: {exc}") from exc
    bounds = converted.total_bounds
    if not np.all(np.isfinite(bounds)):
        raise BoundaryFileError(path, f"coordinates do not convert from {frame.crs.to_string()} to lon/lat")
    return converted


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
