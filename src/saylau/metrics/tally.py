"""Copy tally: the result recomputed from observers' copies beside the official result.

For each scope (``national`` and every region) and option: official and copy votes over the
stations that have both documents (``official_*``, ``copy_*``), the official result over every
station (``total_official_*``) and the official result with copies put in place of the official
figures where copies exist (``mixed_*``). Shares are of the sum of option votes in the scope.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from saylau.metrics.aggregate import NATIONAL, share
from saylau.metrics.discrepancy import DIFF, OFFICIAL

VOTE_COLUMNS = ("total_official_votes", "official_votes", "copy_votes", "mixed_votes")
SEPARATOR = "|"
REGIONAL = {
    "scope": pl.String, "option": pl.String, "total_official_votes": pl.UInt64, "official_votes": pl.UInt64,
    "copy_votes": pl.UInt64, "stations_with_copy": pl.UInt32, "mixed_votes": pl.UInt64,
}


def _per_option(
    stations: pl.LazyFrame, options: Sequence[str], measures: Callable[[str], dict[str, pl.Expr]]
) -> pl.LazyFrame:
    """Aggregate wide station rows per region; return one row per region and option with ``measures(option)``."""
    per_region = stations.group_by("region_code").agg(
        expr.alias(f"{name}{SEPARATOR}{option}") for option in options for name, expr in measures(option).items()
    )
    return pl.concat(
        [
            per_region.select(
                "region_code",
                pl.lit(option).alias("option"),
                *[pl.col(f"{name}{SEPARATOR}{option}").alias(name) for name in measures(option)],
            )
            for option in options
        ],
        how="vertical",
    )


def _total(option: str) -> dict[str, pl.Expr]:
    """Official votes of an option over every station, and how many stations report it."""
    return {
        "total_official_votes": pl.col(option).sum().cast(pl.UInt64),
        "reporting": pl.col(option).count(),
    }


def _compared(option: str) -> dict[str, pl.Expr]:
    """Official and copy votes of an option over the stations whose documents both carry it."""
    both = pl.col(f"{DIFF}{option}").is_not_null()
    return {
        "official_votes": pl.col(f"{OFFICIAL}{option}").filter(both).sum().cast(pl.UInt64),
        "copy_votes": pl.col(option).filter(both).sum().cast(pl.UInt64),
        "stations_with_copy": both.sum().cast(pl.UInt32),
    }


def _regional(official: pl.LazyFrame, compared: pl.LazyFrame, options: Sequence[str]) -> pl.LazyFrame:
    """Vote columns per region (as ``scope``) and option."""
    if not options:
        return pl.LazyFrame(schema=REGIONAL)
    return (
        _per_option(official, options, _total)
        .filter(pl.col("reporting") > 0)
        .drop("reporting")
        .join(_per_option(compared, options, _compared), on=["region_code", "option"], how="left")
        .with_columns(pl.col("official_votes", "copy_votes", "stations_with_copy").fill_null(0))
        .with_columns(
            (pl.col("total_official_votes") - pl.col("official_votes") + pl.col("copy_votes")).alias("mixed_votes")
        )
        .rename({"region_code": "scope"})
    )


def results(official: pl.LazyFrame, compared: pl.LazyFrame, options: Sequence[str]) -> pl.LazyFrame:
    """Return scope, option, official_votes, official_share, copy_votes, copy_share, stations_with_copy, ...

    Args:
        official: every station with region_code and one column per option line (the newest
            official figure; null without one).
        compared: ``discrepancy.compared`` (stations with both documents).
        options: vote-option lines.
    """
    regional = _regional(official, compared, options)
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
