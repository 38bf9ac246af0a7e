"""Turnout × leader-share fingerprint (Klimek et al., PNAS 2012; the Kobak–Shpilkin "comet").

Bins are centred on multiples of the width w, so the edges run from −w/2 to 100 + w/2 and a
bin holds [c − w/2, c + w/2). The bin index is computed from integer numerators (x·100/w is
an exact integer product, then one correctly rounded division), so no station is misfiled
by floating-point noise at a bin edge. Every histogram carries several weights, so a page
can show station counts, registered voters, ballots issued or leader votes.
"""

from __future__ import annotations

import polars as pl

from saylau.forensics.frame import LEADER, PLOTTED, with_shares

FINE_BIN = 0.1
MAP_BIN = 1.0
# histogram variable -> (numerator, denominator)
PERCENTAGES = {"turnout": ("issued", "registered"), "leader_share": (LEADER, "found")}
WEIGHTS = ("registered", "issued", "found", LEADER)


def centred_bin(numerator: str, denominator: str, width: float) -> pl.Expr:
    """Expression: centre (in %) of the width-``width`` bin holding 100·numerator/denominator."""
    scale = round(100 / width)
    index = (pl.col(numerator).cast(pl.Int64) * scale / pl.col(denominator) + 0.5).floor()
    return (index * width).round(6)


def _weight_sums() -> list[pl.Expr]:
    """Station count plus the sum of every weight column."""
    return [pl.len().alias("stations"), *(pl.col(w).sum() for w in WEIGHTS)]


def histogram(frame: pl.LazyFrame, leader: str, variable: str = "turnout", width: float = FINE_BIN) -> pl.DataFrame:
    """Weighted histogram of ``turnout`` or ``leader_share`` over every bin from 0 to 100 %.

    Columns: bin (centre, %), stations, registered, issued, found, leader; empty bins are 0.
    Uses the plotted stations (see ``with_shares``); 100/width must be an integer.
    """
    num, den = PERCENTAGES[variable]
    grid = pl.LazyFrame({"bin": [round(i * width, 6) for i in range(round(100 / width) + 1)]})
    counts = (
        with_shares(frame, leader)
        .filter(PLOTTED)
        .group_by(centred_bin(num, den, width).alias("bin"))
        .agg(_weight_sums())
    )
    return grid.join(counts, on="bin", how="left").fill_null(0).sort("bin").collect()


def fingerprint(frame: pl.LazyFrame, leader: str, width: float = MAP_BIN) -> pl.DataFrame:
    """2-D turnout × leader-share histogram (non-empty cells only) with every weight.

    Columns: turnout, leader_share (bin centres, %), stations, registered, issued, found,
    leader. Uses the plotted stations (n ≥ 100, r > 0).
    """
    return (
        with_shares(frame, leader)
        .filter(PLOTTED)
        .group_by(
            centred_bin("issued", "registered", width).alias("turnout"),
            centred_bin(LEADER, "found", width).alias("leader_share"),
        )
        .agg(_weight_sums())
        .sort("turnout", "leader_share")
        .collect()
    )
