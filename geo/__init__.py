"""Boundaries: read any GIS file, match it to areas, simplify, serve GeoJSON; the tile grid.

The main entry points are re-exported lazily, so `import geo.tilegrid` (used by every map
page) does not pay for importing GeoPandas.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "read_boundary_file": "geo.read",
    "BoundaryFileError": "geo.read",
    "MatchReport": "geo.match_report",
    "FeatureIssue": "geo.match_report",
    "match_features": "geo.match",
    "tilegrid_features": "geo.tilegrid",
    "tile_centres": "geo.tilegrid",
    "load_tilegrid": "geo.tilegrid",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
