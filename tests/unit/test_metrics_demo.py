"""Against the demo generator's ground truth: rewrites are caught, honest stations and slips are not."""

from __future__ import annotations

import polars as pl
import pytest

from saylau.metrics import compute_all
from saylau.profiles import load_profile

demo = pytest.importorskip("saylau.demo")
SEEDS = (1, 2026)
SCALE = 0.3
HONEST = "honest"


def confusion(seed: int, kind: str = "referendum") -> pl.DataFrame:
    """Return truth scenario × discrepancy class counts (stations with several scenarios joined by '+')."""
    d = demo.generate(seed=seed, scale=SCALE, kind=kind)
    out = compute_all({k: v.lazy() for k, v in d.tables.items()}, load_profile("kz"), d.meta["election"])
    truth = d.truth.group_by("station_id").agg(pl.col("scenario").sort().str.join("+"))
    return (
        out["station_discrepancy"].select("station_id", pl.col("class").cast(pl.String))
        .join(truth, on="station_id", how="left")
        .with_columns(pl.col("scenario").fill_null(HONEST))
        .group_by("scenario", "class")
        .len()
    )


@pytest.mark.parametrize(("seed", "kind"), [(s, "referendum") for s in SEEDS] + [(5, "presidential")])
def test_rewrites_caught_honest_and_slips_not(seed: int, kind: str) -> None:
    """Recall 1.0 on rewrites with a copy; no honest station and no slip is a material change."""
    m = confusion(seed, kind)
    rewrite = m.filter(pl.col("scenario").str.contains("protocol_rewrite") & (pl.col("class") != "no_copy"))
    assert rewrite.height > 0
    assert set(rewrite["class"]) == {"material_change"}, rewrite
    honest_material = m.filter((pl.col("scenario") == HONEST) & (pl.col("class") == "material_change"))
    assert honest_material.height == 0
    slips = m.filter(pl.col("scenario") == "transcription_slip")
    assert "material_change" not in set(slips["class"])
    assert slips.filter(pl.col("class") == "transcription_suspect")["len"].sum() > 0


def test_region_tables_are_the_national_ones_restricted() -> None:
    """Per station, one region's tables equal the national tables kept to that region's stations."""
    d = demo.generate(seed=3, scale=SCALE)
    tables = {k: v.lazy() for k, v in d.tables.items()}
    region = d.tables["stations"]["region_code"].mode().sort()[0]
    ids = d.tables["stations"].filter(pl.col("region_code") == region).select("station_id")
    national = compute_all(tables, load_profile("kz"), d.meta["election"])
    regional = compute_all(tables, load_profile("kz"), d.meta["election"], region=region)
    for name in ("station_status", "station_discrepancy", "discrepancy_lines", "relations"):
        keys = [c for c in ("station_id", "line", "document", "relation") if c in national[name].columns]
        expected = national[name].join(ids, on="station_id", how="semi").sort(keys)
        assert regional[name].sort(keys).equals(expected), name


def test_the_stored_form_gives_the_metrics_of_the_canonical_rows(demo_root) -> None:
    """Every metrics table is the same from the snapshot as stored (official figures wide) and as canonical rows."""
    from saylau import schema, store

    snap = store.current(demo_root)
    manifest = store.manifest(snap)
    assert manifest["files"]["protocol_official.parquet"]["rows"] > 0
    assert store.scan_stored(snap, "protocol_official").collect()["station_id"].is_duplicated().any()  # revisions
    args = (load_profile(manifest["profile"]), manifest["election"])
    stored = compute_all(store.scan_stored_tables(snap), *args)
    canonical = compute_all({name: store.scan(snap, name) for name in schema.TABLES}, *args)
    for name, frame in canonical.items():
        if name == "relations":  # the copies' rows come in no fixed order
            frame, stored[name] = frame.sort(pl.all()), stored[name].sort(pl.all())
        assert stored[name].equals(frame), name
