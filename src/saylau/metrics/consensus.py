"""Consensus copy per station: per line, the figure most copies agree on, with provenance.

Ties between figures with equal support go to the figure carried by the copy that passes the
most control relations, then to the lowest ``copy_id``. Each line keeps which organisations
agree with the consensus and which differ, and whether the copies disagree among themselves.
"""

from __future__ import annotations

import polars as pl

ORG_SEPARATOR = ", "


def _orgs(mask: pl.Expr) -> pl.Expr:
    """Sorted distinct organisations of the rows selected by ``mask``, joined as one text."""
    return pl.col("source_org").filter(mask).unique().sort().str.join(ORG_SEPARATOR)


def consensus_lines(copies: pl.LazyFrame, copy_passes: pl.LazyFrame) -> pl.LazyFrame:
    """Return station_id, line, consensus, n_copies, disagree, orgs_agree, orgs_differ.

    A station with one copy is its own consensus; only stations with several copies are ranked.

    Args:
        copies: long copies (copy_id, station_id, source_org, line, value).
        copy_passes: copy_id and ``passes``, the number of control relations the copy passes.
    """
    counted = copies.with_columns(pl.col("copy_id").n_unique().over("station_id").cast(pl.UInt32).alias("n_copies"))
    single = counted.filter(pl.col("n_copies") == 1).select(
        "station_id",
        "line",
        pl.col("value").alias("consensus"),
        "n_copies",
        pl.lit(False).alias("disagree"),
        pl.col("source_org").alias("orgs_agree"),
        pl.lit("").alias("orgs_differ"),
    )
    ranked = (
        counted.filter(pl.col("n_copies") > 1)
        .join(copy_passes, on="copy_id", how="left")
        .with_columns(pl.len().over("station_id", "line", "value").alias("support"), pl.col("passes").fill_null(0))
    )
    chosen = (
        pl.col("value")
        .sort_by(["support", "passes", "copy_id"], descending=[True, True, False])
        .first()
    )
    several = ranked.group_by("station_id", "line").agg(
        chosen.alias("consensus"),
        pl.col("copy_id").n_unique().cast(pl.UInt32).alias("n_copies"),
        (pl.col("value").n_unique() > 1).alias("disagree"),
        _orgs(pl.col("value") == chosen).alias("orgs_agree"),
        _orgs(pl.col("value") != chosen).alias("orgs_differ"),
    )
    return pl.concat([single, several], how="vertical")


def consensus_stations(copies: pl.LazyFrame, lines: pl.LazyFrame) -> pl.LazyFrame:
    """Return per station: n_copies (distinct copies) and copies_disagree (on any line)."""
    n_copies = copies.group_by("station_id").agg(pl.col("copy_id").n_unique().cast(pl.UInt32).alias("n_copies"))
    disagree = lines.group_by("station_id").agg(pl.col("disagree").any().alias("copies_disagree"))
    return n_copies.join(disagree, on="station_id", how="left").with_columns(pl.col("copies_disagree").fill_null(False))
