"""Copy tally: the result recomputed from observers' copies beside the official result.

For each scope (``national`` and every region) and option: official and copy votes over the
stations that have both documents (``official_*``, ``copy_*``), the official result over every
station (``total_official_*``) and the official result with copies put in place of the official
figures where copies exist (``mixed_*``). Shares are of the sum of option votes in the scope.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from saylau.metrics.aggregate import NATIONAL, share
from saylau.metrics.protocol import narrow

VOTE_COLUMNS = ("total_official_votes", "official_votes", "copy_votes", "mixed_votes")


def results(
    official: pl.LazyFrame, lines: pl.LazyFrame, stations: pl.LazyFrame, options: Sequence[str]
) -> pl.LazyFrame:
    """Return scope, option, official_votes, official_share, copy_votes, copy_share, stations_with_copy, ...

    Args:
        official: latest official figures, wide (station_id and one column per line).
        lines: ``discrepancy.discrepancy_lines`` output (stations with both documents).
        stations: station_id, region_code.
        options: vote-option lines.
    """
    opts = list(options)
    region = stations.select("station_id", "region_code")
    total = (
        narrow(official.select("station_id", *opts), opts)
        .join(region, on="station_id", how="inner")
        .group_by("region_code", pl.col("line").alias("option"))
        .agg(pl.col("value").sum().cast(pl.UInt64).alias("total_official_votes"))
    )
    compared = (
        lines.filter(pl.col("line").is_in(opts))
        .join(region, on="station_id", how="inner")
        .group_by("region_code", pl.col("line").alias("option"))
        .agg(
            pl.col("official").sum().cast(pl.UInt64).alias("official_votes"),
            pl.col("consensus").sum().cast(pl.UInt64).alias("copy_votes"),
            pl.len().cast(pl.UInt32).alias("stations_with_copy"),
        )
    )
    regional = (
        total.join(compared, on=["region_code", "option"], how="left")
        .with_columns(pl.col("official_votes", "copy_votes", "stations_with_copy").fill_null(0))
        .with_columns(
            (pl.col("total_official_votes") - pl.col("official_votes") + pl.col("copy_votes")).alias("mixed_votes")
        )
        .rename({"region_code": "scope"})
    )
    national = regional.group_by("option").agg(
        pl.col(*VOTE_COLUMNS).sum(), pl.col("stations_with_copy").sum()
    ).select(pl.lit(NATIONAL).alias("scope"), pl.all())
    both = pl.concat([national, regional], how="diagonal")
    shares = [
        share(pl.col(v), pl.col(v).sum().over("scope")).alias(v.replace("_votes", "_share")) for v in VOTE_COLUMNS
    ]
    return both.with_columns(shares).select(
        "scope", "option", "official_votes", "official_share", "copy_votes", "copy_share", "stations_with_copy",
        "total_official_votes", "total_official_share", "mixed_votes", "mixed_share",
    ).sort("scope", "option")
