"""Sample estimate: a region-stratified ratio estimate of each option's share (PVT style).

Valid only when the observed stations were drawn at random (``election["random_sample"]``).
In stratum h (a region) the share of option j is the ratio R_h = Σ y / Σ x over sampled
stations (y = the option's votes, x = all option votes, from the copies' consensus). The
national estimate is Σ W_h R_h with W_h the stratum's share of registered voters, taken over
the strata that have a sample (weights renormalised). The variance of R_h is
(1 − n_h/N_h) · s²_h / (n_h · x̄_h²), with s²_h = Σ (y − R_h x)² / (n_h − 1) (0 when n_h < 2);
the margin of error is 1.96 · √(Σ W_h² Var R_h).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from saylau.metrics.aggregate import share

Z95 = 1.959963984540054
STRATUM = "region_code"
SCHEMA = {
    "option": pl.String,
    "estimate": pl.Float64,
    "moe": pl.Float64,
    "official_share": pl.Float64,
    "within": pl.Boolean,
    "lo": pl.Float64,
    "hi": pl.Float64,
    "stations": pl.UInt32,
    "strata": pl.UInt32,
}


def empty() -> pl.LazyFrame:
    """Return the estimate table with no rows."""
    return pl.LazyFrame(schema=SCHEMA)


def estimate(
    consensus: pl.LazyFrame, stations: pl.LazyFrame, official_share: pl.LazyFrame, options: Sequence[str]
) -> pl.LazyFrame:
    """Return option, estimate, moe, official_share, within (plus lo, hi, stations, strata).

    Args:
        consensus: wide consensus copies (station_id and one column per option line).
        stations: station_id, region_code, registered_voters (the whole population).
        official_share: option and official_share over every station.
        options: vote-option lines.
    """
    opts = list(options)
    if not opts:
        return empty()
    strata = stations.group_by(STRATUM).agg(
        pl.len().cast(pl.Float64).alias("N"), pl.col("registered_voters").cast(pl.Float64).sum().alias("voters")
    )
    sample = (
        consensus.select("station_id", *opts)
        .filter(pl.all_horizontal([pl.col(o).is_not_null() for o in opts]))
        .with_columns(pl.sum_horizontal([pl.col(o).cast(pl.Float64) for o in opts]).alias("x"))
        .join(stations.select("station_id", STRATUM), on="station_id", how="inner")
        .unpivot(index=["station_id", STRATUM, "x"], on=opts, variable_name="option", value_name="y")
        .with_columns(pl.col("y").cast(pl.Float64))
        .with_columns(share(pl.col("y").sum(), pl.col("x").sum()).over(STRATUM, "option").alias("R"))
    )
    per_stratum = (
        sample.group_by(STRATUM, "option")
        .agg(
            pl.len().cast(pl.Float64).alias("n"),
            pl.col("R").first(),
            pl.col("x").mean().alias("x_bar"),
            ((pl.col("y") - pl.col("R") * pl.col("x")) ** 2).sum().alias("ss"),
        )
        .join(strata, on=STRATUM, how="inner")
        .filter(pl.col("x_bar") > 0)
        .with_columns(
            share("voters", pl.col("voters").sum().over("option")).alias("W"),
            pl.when(pl.col("n") > 1).then(pl.col("ss") / (pl.col("n") - 1)).otherwise(0.0).alias("s2"),
            (1.0 - share("n", "N")).clip(lower_bound=0.0).alias("fpc"),
        )
        .with_columns(
            (pl.col("fpc") * pl.col("s2") / (pl.col("n") * pl.col("x_bar") ** 2)).alias("var_R"),
        )
    )
    national = per_stratum.group_by("option").agg(
        (pl.col("W") * pl.col("R")).sum().alias("estimate"),
        (Z95 * ((pl.col("W") ** 2) * pl.col("var_R")).sum().sqrt()).alias("moe"),
        pl.col("n").sum().cast(pl.UInt32).alias("stations"),
        pl.len().cast(pl.UInt32).alias("strata"),
    )
    return (
        national.join(official_share.select("option", "official_share"), on="option", how="left")
        .with_columns(pl.col("official_share").fill_null(0.0))
        .with_columns(
            ((pl.col("official_share") - pl.col("estimate")).abs() <= pl.col("moe")).alias("within"),
            (pl.col("estimate") - pl.col("moe")).clip(lower_bound=0.0).alias("lo"),
            (pl.col("estimate") + pl.col("moe")).clip(upper_bound=1.0).alias("hi"),
        )
        .select(list(SCHEMA))
        .sort("option")
    )
