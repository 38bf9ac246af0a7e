"""The pandas reference of the benchmark computes the same discrepancy and violation rates."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from test_metrics_data import ELECTION, copy_rows, figures, lazy, tiny

from saylau import store
from saylau.metrics import compute_all
from saylau.profiles import load_profile

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import pandas_reference  # noqa: E402

PROFILE = load_profile("kz")
RATE_TABLES = {"item": "violations_by_item", "section": "violations_by_section",
               "region_code": "violations_by_region", "org_type": "violations_by_org_type"}


def _cases() -> list[dict[str, pl.DataFrame]]:
    """The tiny election and a variant with ties and disagreeing copies."""
    variant = tiny()
    variant["protocol_copies"] = copy_rows([
        ("C9", "S1", "ngo_a", "ngo", figures(no=180)),
        ("C8", "S1", "party_b", "party", figures()),
        ("C3", "S2", "ngo_a", "ngo", figures()),
        ("C4", "S2", "party_b", "party", figures(yes=450, no=100)),
        ("C5", "S3", "ngo_a", "ngo", figures(on_list=800, issued=500, yes=300, no=150, received=810)),
        ("C6", "S4", "ngo_a", "ngo", figures(on_list=1200, issued=100, yes=50, no=0, invalid=30, received=210)),
    ])
    return [tiny(), variant]


@pytest.mark.parametrize("case", range(2))
def test_pandas_reference_matches(case: int) -> None:
    """Classes, line differences and the four checklist rate tables agree."""
    tables = _cases()[case]
    ours = compute_all(lazy(tables), PROFILE, ELECTION)
    pdt = {name: df.to_pandas() for name, df in tables.items()}
    ref = pandas_reference.discrepancy(pdt, PROFILE, ELECTION)
    classes = ours["station_discrepancy"].select("station_id", pl.col("class").cast(pl.String))
    assert_frame_equal(classes.sort("station_id"), pl.from_pandas(ref["stations"]).sort("station_id"))
    lines = ours["discrepancy_lines"].select("station_id", "line", "official", "consensus", "diff")
    assert_frame_equal(
        lines.sort("station_id", "line"), pl.from_pandas(ref["lines"]).sort("station_id", "line"), check_dtypes=False
    )
    rates = pandas_reference.violations(pdt, PROFILE)
    for key, table in RATE_TABLES.items():
        cols = [key, "observed_stations", "stations_with", "rate", "lo", "hi"]
        expected = pl.from_pandas(rates[key][cols].reset_index(drop=True))
        assert_frame_equal(ours[table].select(cols), expected, check_dtypes=False)


def test_reference_handles_pandas_types() -> None:
    """Sanity: the reference returns one class per station."""
    ref = pandas_reference.discrepancy({k: v.to_pandas() for k, v in tiny().items()}, PROFILE, ELECTION)
    assert isinstance(ref["stations"], pd.DataFrame) and len(ref["stations"]) == 4


def test_pandas_reads_a_snapshot_as_the_store_does(tmp_path: Path) -> None:
    """The benchmark's pandas reader turns the stored wide ``protocol_official`` into the store's long rows."""
    snap = store.write_snapshot(tiny(), {"profile": "kz", "election": ELECTION}, root=tmp_path, snapshot_id="t")
    got = pandas_reference.read_tables(snap, ("protocol_official", "stations"))["protocol_official"]
    want = store.scan(snap, "protocol_official").collect()
    cols = ["station_id", "snapshot_id", "line", "value"]
    assert len(got) == want.height > 0
    assert_frame_equal(pl.from_pandas(got[cols]).with_columns(pl.col("snapshot_id", "line").cast(pl.String)).sort(cols),
                       want.select(cols).with_columns(pl.col("snapshot_id", "line").cast(pl.String)).sort(cols),
                       check_dtypes=False)
