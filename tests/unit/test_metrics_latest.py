"""``protocol.latest_wide`` gives the same wide figures as pivoting ``store.latest_official``."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
from test_metrics_data import T0, T1, figures, official_rows

from saylau.metrics.protocol import latest_wide, widen
from saylau.store import latest_official

LINES = tuple(figures())


def test_latest_wide_matches_latest_official() -> None:
    """Newest figure per line; a line missing from the newest publication comes from an older one."""
    partial = {k: v for k, v in figures(yes=450).items() if k != "ballots_issued_outside"}
    official = pl.concat([
        official_rows({"S1": figures(), "S2": figures(), "S3": figures(on_list=7)}, snapshot="preliminary", at=T0),
        official_rows({"S1": figures(issued=610), "S2": partial}, snapshot="final", at=T1),
        official_rows({"S4": figures(no=4_294_967_295)}, snapshot="late", at=T1 + timedelta(hours=1)),
    ]).lazy()
    expected = widen(latest_official(official), ["station_id"], LINES).collect().sort("station_id")
    got = latest_wide(official, LINES).collect().sort("station_id")
    assert got.equals(expected.select(got.columns))
    assert got.columns == ["station_id", *LINES]
    assert got.row(by_predicate=pl.col("station_id") == "S2", named=True)["ballots_issued_outside"] == 10


def test_latest_wide_empty() -> None:
    """No official rows: no stations, one UInt32 column per line."""
    got = latest_wide(official_rows({}).lazy(), LINES).collect()
    assert got.height == 0 and all(got.schema[line] == pl.UInt32 for line in LINES)
