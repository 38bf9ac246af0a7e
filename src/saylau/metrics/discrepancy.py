"""Official figures against the consensus copy: per line differences and a class per station.

Classes, checked in this order for a station with both documents:

- ``match``: no line differs.
- ``copies_disagree``: on a line where the official differs from the consensus, the copies
  themselves carry different figures, so the observers' own record is unsettled.
- ``transcription_suspect``: the consensus copy breaks an arithmetic (``E``) relation the
  official passes, or the only difference is a one-digit slip or a swap of two adjacent
  digits while the official passes every arithmetic relation the copy passes. Several lines
  that each differ like a slip are a coordinated change, not a slip (``SLIP_MAX_LINES``).
- ``material_change``: anything else: the official differs on a vote, turnout or ballot line
  from consistent copies and no slip explains it.

Stations without a copy are ``no_copy``; with a copy but no official figure, ``no_official``.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from saylau.metrics.protocol import ERROR_SEVERITY, Check

CLASSES = ("match", "transcription_suspect", "material_change", "copies_disagree", "no_official", "no_copy")
CLASS_DTYPE = pl.Enum(CLASSES)
DIGITS = 10  # a UInt32 figure has at most ten decimal digits
ISSUED = "ballots_issued"
ON_LIST = "voters_on_list"
PERCENT = 100.0
SLIP_MAX_LINES = 1  # a copying slip touches one figure; a coordinated change touches several
SHIFT_PREFIX = "net_shift_"


def _digit(value: pl.Expr, position: int) -> pl.Expr:
    """Decimal digit of ``value`` at ``position`` (0 = units)."""
    return (value // (10**position)) % 10


def is_slip(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """True when two non-negative integers differ in exactly one digit or by one adjacent swap."""
    a, b = a.cast(pl.Int64), b.cast(pl.Int64)
    differs = [_digit(a, k) != _digit(b, k) for k in range(DIGITS)]
    n_diff = pl.sum_horizontal([d.cast(pl.UInt8) for d in differs])
    swapped = pl.any_horizontal(
        [
            differs[k]
            & (_digit(a, k) == _digit(b, k + 1))
            & (_digit(a, k + 1) == _digit(b, k))
            for k in range(DIGITS - 1)
        ]
    )
    return (n_diff == 1) | ((n_diff == 2) & swapped)


def discrepancy_lines(official: pl.LazyFrame, consensus: pl.LazyFrame) -> pl.LazyFrame:
    """Return station_id, line, official, consensus, diff (official − consensus) and provenance.

    Args:
        official: latest official figures, long (station_id, line, value).
        consensus: ``consensus.consensus_lines`` output.
    """
    return (
        official.select("station_id", "line", pl.col("value").alias("official"))
        .join(consensus, on=["station_id", "line"], how="inner")
        .with_columns((pl.col("official").cast(pl.Int64) - pl.col("consensus").cast(pl.Int64)).alias("diff"))
        .with_columns(
            (pl.col("diff") != 0).alias("differs"),
            ((pl.col("diff") != 0) & is_slip(pl.col("official"), pl.col("consensus"))).alias("slip"),
        )
    )


def _turnout_pp(prefix: str) -> pl.Expr:
    """Turnout in percent of one wide document whose columns carry ``prefix``."""
    issued, on_list = pl.col(f"{prefix}{ISSUED}").cast(pl.Float64), pl.col(f"{prefix}{ON_LIST}").cast(pl.Float64)
    return pl.when(on_list > 0).then(issued / on_list * PERCENT).otherwise(None)


def relation_flags(official: pl.LazyFrame, consensus: pl.LazyFrame, all_checks: Sequence[Check]) -> pl.LazyFrame:
    """Per station: copy_breaks, official_breaks (E relations one passes, the other fails), turnout_diff."""
    errors = [c.column for c in all_checks if c.severity == ERROR_SEVERITY]
    keep = [*errors, ISSUED, ON_LIST]
    off = official.select("station_id", *[pl.col(c).alias(f"o_{c}") for c in keep])
    con = consensus.select("station_id", *[pl.col(c).alias(f"c_{c}") for c in keep])

    def breaks(this: str, other: str) -> pl.Expr:
        flags = [(pl.col(f"{this}{c}") == False) & pl.col(f"{other}{c}") for c in errors]  # noqa: E712
        return pl.any_horizontal(flags).fill_null(False) if flags else pl.lit(False)

    return off.join(con, on="station_id", how="inner").select(
        "station_id",
        breaks("c_", "o_").alias("copy_breaks"),
        breaks("o_", "c_").alias("official_breaks"),
        (_turnout_pp("o_") - _turnout_pp("c_")).fill_null(0.0).alias("turnout_diff"),
    )


def station_discrepancy(
    stations: pl.LazyFrame,
    lines: pl.LazyFrame,
    flags: pl.LazyFrame,
    copy_stations: pl.LazyFrame,
    official_stations: pl.LazyFrame,
    options: Sequence[str],
) -> pl.LazyFrame:
    """Return one row per station: class, n_copies, lines_differing, turnout_diff, net shifts.

    Args:
        stations: station_id, region_code (every station of the scope).
        lines: ``discrepancy_lines`` output.
        flags: ``relation_flags`` output.
        copy_stations: station_id, n_copies, copies_disagree for stations with a copy.
        official_stations: station_id of stations with an official figure.
        options: vote-option lines.
    """
    shifts = [pl.col("diff").filter(pl.col("line") == o).sum().alias(f"{SHIFT_PREFIX}{o}") for o in options]
    per_station = lines.group_by("station_id").agg(
        pl.col("differs").sum().cast(pl.UInt32).alias("lines_differing"),
        (pl.col("differs") & pl.col("disagree")).any().alias("disagree_on_diff"),
        (pl.col("slip") | ~pl.col("differs")).all().alias("all_slip"),
        *shifts,
    )
    has_copy = pl.col("n_copies").is_not_null()
    has_official = pl.col("has_official").fill_null(False)
    lone_slip = pl.col("all_slip") & (pl.col("lines_differing") <= SLIP_MAX_LINES) & ~pl.col("official_breaks")
    suspect = pl.col("copy_breaks") | lone_slip
    klass = (
        pl.when(~has_copy).then(pl.lit("no_copy"))
        .when(~has_official).then(pl.lit("no_official"))
        .when(pl.col("lines_differing").fill_null(0) == 0).then(pl.lit("match"))
        .when(pl.col("disagree_on_diff")).then(pl.lit("copies_disagree"))
        .when(suspect.fill_null(False)).then(pl.lit("transcription_suspect"))
        .otherwise(pl.lit("material_change"))
        .cast(CLASS_DTYPE)
    )
    both = has_copy & has_official
    return (
        stations.select("station_id", "region_code")
        .join(copy_stations, on="station_id", how="left", maintain_order="left")
        .join(official_stations.with_columns(pl.lit(True).alias("has_official")), on="station_id", how="left",
              maintain_order="left")
        .join(per_station, on="station_id", how="left", maintain_order="left")
        .join(flags, on="station_id", how="left", maintain_order="left")
        .with_columns(klass.alias("class"))
        .select(
            "station_id",
            "region_code",
            "class",
            pl.col("n_copies").fill_null(0),
            pl.when(both).then(pl.col("lines_differing").fill_null(0)).otherwise(0).cast(pl.UInt32)
            .alias("lines_differing"),
            pl.when(both).then(pl.col("turnout_diff").fill_null(0.0)).otherwise(None).alias("turnout_diff"),
            *[pl.when(both).then(pl.col(f"{SHIFT_PREFIX}{o}").fill_null(0)).otherwise(None)
              .alias(f"{SHIFT_PREFIX}{o}") for o in options],
        )
    )


def shift_by_option(station: pl.LazyFrame, options: Sequence[str]) -> pl.LazyFrame:
    """Return option, net_shift (official − copy, material-change stations) and stations."""
    material = station.filter(pl.col("class") == "material_change")
    parts = [
        material.select(
            pl.lit(o).alias("option"),
            pl.col(f"{SHIFT_PREFIX}{o}").sum().cast(pl.Int64).alias("net_shift"),
            (pl.col(f"{SHIFT_PREFIX}{o}") != 0).sum().cast(pl.UInt32).alias("stations"),
        )
        for o in options
    ]
    empty = pl.LazyFrame(schema={"option": pl.String, "net_shift": pl.Int64, "stations": pl.UInt32})
    return pl.concat([empty, *parts], how="vertical")
