"""Turnout and leader share at stations with and without observers.

Each figure is a ratio of sums over stations (Σ issued / Σ registered, Σ leader / Σ found),
in %. Its 95 % interval treats stations as the sampled units and uses the linearised
(Taylor) variance of a ratio estimator, se² = m/(m − 1) · Σ(y_i − R·x_i)² / (Σx_i)², so the
spread between stations counts, not only the number of ballots (a Wilson interval on pooled
ballots would be far too narrow). The difference row is observed minus unobserved with
se = √(se₁² + se₂²). Observers are rarely placed at random, so a gap describes where
observers were, not what they caused.
"""

from __future__ import annotations

import polars as pl

Z95 = 1.959963984540054
GROUPS = ("observed", "unobserved")
# figure -> (numerator, denominator)
RATIOS = {"turnout": ("issued", "registered"), "leader_share": ("leader", "found")}


def _ratio(numerator: str, denominator: str, name: str) -> list[pl.Expr]:
    """Ratio of sums in % and its linearised standard error."""
    y, x = pl.col(numerator), pl.col(denominator)
    ratio = y.sum() / x.sum()
    m = pl.len()
    se = pl.when(m > 1).then(((y - ratio * x).pow(2).sum() * m / (m - 1)).sqrt() / x.sum())
    return [(100 * ratio).alias(name), (100 * se).alias(f"{name}_se")]


def _bounds(name: str) -> list[pl.Expr]:
    """Lower and upper 95 % bounds from a figure and its standard error."""
    return [
        (pl.col(name) - Z95 * pl.col(f"{name}_se")).alias(f"{name}_lo"),
        (pl.col(name) + Z95 * pl.col(f"{name}_se")).alias(f"{name}_hi"),
    ]


def observed_comparison(frame: pl.LazyFrame, leader: str) -> pl.DataFrame:
    """Rows observed, unobserved and difference: stations, turnout and leader share with 95 % bounds."""
    groups = (
        frame.filter(pl.col("registered") > 0)
        .with_columns(pl.col(leader).alias("leader"))
        .group_by(pl.when("observed").then(pl.lit(GROUPS[0])).otherwise(pl.lit(GROUPS[1])).alias("group"))
        .agg(pl.len().alias("stations"), *(e for name, (y, x) in RATIOS.items() for e in _ratio(y, x, name)))
        .collect()
    )
    groups = pl.DataFrame({"group": list(GROUPS)}).join(groups, on="group", how="left")
    diff = groups.select(
        pl.lit("difference").alias("group"),
        pl.lit(None, dtype=pl.UInt32).alias("stations"),
        *(
            e
            for name in RATIOS
            for e in (
                (pl.col(name).first() - pl.col(name).last()).alias(name),
                (pl.col(f"{name}_se").first().pow(2) + pl.col(f"{name}_se").last().pow(2))
                .sqrt()
                .alias(f"{name}_se"),
            )
        ),
    )
    rows = pl.concat([groups, diff.select(groups.columns)], how="vertical_relaxed")
    return rows.with_columns(*(e for name in RATIOS for e in _bounds(name)))
