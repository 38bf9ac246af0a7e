"""Roll-ups station → tec → region → national, and guarded shares.

Roll-ups only ever sum counts, so every level conserves the totals of the level below; shares
are recomputed from the summed counts at each level, never averaged.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import polars.selectors as cs

LEVELS: dict[str, tuple[str, ...]] = {
    "station": ("station_id",),
    "tec": ("region_code", "tec"),
    "region": ("region_code",),
    "national": (),
}
NATIONAL = "national"


def share(numerator: str | pl.Expr, denominator: str | pl.Expr) -> pl.Expr:
    """Return numerator / denominator as Float64, 0.0 where the denominator is not positive."""
    num = pl.col(numerator) if isinstance(numerator, str) else numerator
    den = pl.col(denominator) if isinstance(denominator, str) else denominator
    return pl.when(den > 0).then(num.cast(pl.Float64) / den.cast(pl.Float64)).otherwise(0.0)


def count(flag: str | pl.Expr) -> pl.Expr:
    """Number of rows where a boolean column is true, as UInt32."""
    col = pl.col(flag) if isinstance(flag, str) else flag
    return col.fill_null(False).sum().cast(pl.UInt32)


def rollup(frame: pl.LazyFrame, level: str, sums: Sequence[str]) -> pl.LazyFrame:
    """Sum the ``sums`` columns of a station frame up to a level of ``LEVELS``.

    Booleans are counted (UInt32), integers summed as UInt64 or Int64, other numbers as Float64.
    The national level has no key columns and exactly one row, even for an empty frame.
    """
    keys = list(LEVELS[level])
    named = cs.by_name(sums)
    aggs = [
        pl.len().cast(pl.UInt32).alias("stations"),
        (named & cs.boolean()).fill_null(False).sum().cast(pl.UInt32),
        (named & cs.unsigned_integer()).sum().cast(pl.UInt64),
        (named & cs.signed_integer()).sum().cast(pl.Int64),
        (named - cs.boolean() - cs.integer()).sum().cast(pl.Float64),
    ]
    if not keys:
        return frame.select(aggs).select("stations", *sums)
    return frame.group_by(keys).agg(aggs).select(*keys, "stations", *sums).sort(keys)
