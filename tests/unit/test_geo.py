"""Simplified region boundaries: complete, small, valid, gap-free, and built only once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import shapely

from saylau import geo
from saylau.profiles import load_profile

MAX_BYTES = 300_000
AREA_TOLERANCE = 0.01
# Adjacent pairs across the country: Akmola around Astana, Almaty Region around Almaty city,
# Turkistan around Shymkent, and two long borders between oblasts.
NEIGHBOURS = [("AKM", "AST"), ("ALM", "ALA"), ("TUR", "SHY"), ("AKT", "KZY"), ("KAR", "ULY")]


@pytest.fixture(scope="module")
def profile():
    return load_profile("kz")


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("geo-cache")


@pytest.fixture(scope="module")
def collection(profile, cache_dir: Path) -> dict[str, Any]:
    return geo.region_geojson(profile, cache_dir)


def _shapes(collection: dict[str, Any]) -> dict[str, shapely.Geometry]:
    return {f["id"]: shapely.geometry.shape(f["geometry"]) for f in collection["features"]}


def _raw_shapes(profile) -> dict[str, shapely.Geometry]:
    raw = json.loads(geo._asset(profile).read_bytes())
    by_code = {r.boundary: r.code for r in profile.regions}
    key = profile.boundaries["key"]
    return {
        by_code[f["properties"][key]]: shapely.make_valid(shapely.force_2d(shapely.geometry.shape(f["geometry"])))
        for f in raw["features"]
    }


def test_every_region_present_with_profile_code(profile, collection):
    """One feature per profile region, in profile order, with ``id`` = region code."""
    assert [f["id"] for f in collection["features"]] == [r.code for r in profile.regions]
    assert len(collection["features"]) == 20


def test_cache_file_is_small(profile, cache_dir: Path, collection):
    """The cached file is well under 300 KB (the raw asset is 3.2 MB)."""
    size = geo.cache_path(profile, cache_dir).stat().st_size
    assert size < MAX_BYTES
    assert len(json.dumps(collection, separators=(",", ":"))) < MAX_BYTES


def test_polygons_valid_and_form_a_coverage(collection):
    """Every geometry is a valid, non-empty polygon and together they form a valid coverage."""
    geoms = list(_shapes(collection).values())
    assert all(g.geom_type in ("Polygon", "MultiPolygon") and g.is_valid and not g.is_empty for g in geoms)
    assert shapely.coverage_is_valid(geoms)


def test_neighbours_still_touch(profile, collection):
    """Shared borders survive simplification: adjacent regions keep a border of positive length."""
    shapes = _shapes(collection)
    for a, b in NEIGHBOURS:
        shared = shapely.intersection(shapes[a].boundary, shapes[b].boundary)
        assert shared.length > 0, (a, b)
        assert shapes[a].intersection(shapes[b]).area < 1e-9, (a, b)


def test_area_is_preserved(profile, collection):
    """The union of the simplified regions covers the original area within 1 %, region by region too."""
    raw = _raw_shapes(profile)
    new = _shapes(collection)
    original = shapely.union_all(list(raw.values())).area
    assert shapely.union_all(list(new.values())).area == pytest.approx(original, rel=AREA_TOLERANCE)
    for code, geom in new.items():
        assert geom.area == pytest.approx(raw[code].area, rel=2 * AREA_TOLERANCE), code


def test_no_gaps_inside_the_country(collection):
    """The union of all regions has no interior holes: no slivers opened between neighbours."""
    union = shapely.union_all(list(_shapes(collection).values()))
    assert sum(len(p.interiors) for p in shapely.get_parts(union)) == 0


def test_coordinates_are_rounded(profile, cache_dir: Path, collection):
    """Coordinates carry at most three decimals."""
    text = geo.cache_path(profile, cache_dir).read_text("utf-8")
    coords = shapely.get_coordinates(list(_shapes(collection).values()))
    assert (abs(coords * 1000 - (coords * 1000).round()) < 1e-6).all()
    assert "0000000" not in text


def test_cache_is_reused(profile, cache_dir: Path, collection, monkeypatch: pytest.MonkeyPatch):
    """A second call reads the cached file: no rebuild, the file is not rewritten."""
    path = geo.cache_path(profile, cache_dir)
    before = path.stat().st_mtime_ns
    calls = []
    monkeypatch.setattr(geo, "build_region_geojson", lambda *a, **k: calls.append(a))
    assert geo.region_geojson(profile, cache_dir) == collection
    assert calls == []
    assert path.stat().st_mtime_ns == before


def test_cache_key_follows_tolerance(profile, cache_dir: Path):
    """Another tolerance is another cache file; the default's file stays untouched."""
    assert geo.cache_path(profile, cache_dir, 0.02) != geo.cache_path(profile, cache_dir)


def test_cache_write_is_atomic(profile, tmp_path: Path):
    """A build leaves exactly one file and no temporary file behind."""
    geo.region_geojson(profile, tmp_path, tolerance=0.05)
    assert [p.name for p in tmp_path.iterdir()] == [geo.cache_path(profile, tmp_path, 0.05).name]


def test_bounds_cover_kazakhstan(profile, cache_dir: Path, collection):
    """Bounds are (lon_min, lat_min, lon_max, lat_max) around Kazakhstan."""
    lon_min, lat_min, lon_max, lat_max = geo.bounds(profile, cache_dir)
    assert 46 < lon_min < 47 and 87 < lon_max < 88
    assert 40 < lat_min < 41 and 55 < lat_max < 56


def test_missing_boundary_is_an_error(profile):
    """A region whose boundary code is not in the asset stops the build."""
    from dataclasses import replace

    broken = replace(profile, regions=(replace(profile.regions[0], boundary="KAZ999"), *profile.regions[1:]))
    with pytest.raises(geo.BoundaryError, match="KAZ999"):
        geo.build_region_geojson(broken)
