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
