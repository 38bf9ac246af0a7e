"""Coverage: how many stations (and voters) have an observer, a checklist, a copy, an official figure.

An observer means any checklist row; a checklist means at least one item answered yes or no.
A refused copy (checklist ``CNT_PROTOCOL_COPY_REFUSED`` = yes) is a finding, so its share is
taken over observed stations; every other share is over all stations (or all voters).
"""

from __future__ import annotations

import polars as pl

from saylau.metrics.aggregate import NATIONAL, rollup, share

COPY_REFUSED_ITEM = "CNT_PROTOCOL_COPY_REFUSED"
FLAGS = {"observed": "observed", "checklist": "has_checklist", "copy": "has_copy", "official": "has_official"}


def coverage(status: pl.LazyFrame) -> pl.LazyFrame:
    """Return scope, stations, voters, observed, observed_voters, …, copy_refused and ``*_share``.

    Args:
        status: station frame with region_code, registered and the boolean flags observed,
            has_checklist, has_copy, has_official and copy_refused.
    """
    voters = pl.col("registered").cast(pl.UInt64)
    frame = status.select(
        "region_code",
        voters.alias("voters"),
        *[pl.col(flag).alias(name) for name, flag in FLAGS.items()],
        *[pl.when(pl.col(flag)).then(voters).otherwise(0).alias(f"{name}_voters") for name, flag in FLAGS.items()],
        pl.col("copy_refused"),
    )
    sums = ["voters", *FLAGS, *[f"{name}_voters" for name in FLAGS], "copy_refused"]
    national = rollup(frame, "national", sums).select(pl.lit(NATIONAL).alias("scope"), pl.all())
    regional = rollup(frame, "region", sums).rename({"region_code": "scope"})
    shares = [
        *[share(name, "stations").alias(f"{name}_share") for name in FLAGS],
        *[share(f"{name}_voters", "voters").alias(f"{name}_voters_share") for name in FLAGS],
        share("copy_refused", "observed").alias("copy_refused_share"),
    ]
    return pl.concat([national, regional], how="vertical").with_columns(shares)
