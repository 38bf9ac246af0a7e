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

from saylau.metrics.consensus import AGREE, DIFFER, DISAGREE, N_COPIES
from saylau.metrics import layout
from saylau.metrics.protocol import ERROR_SEVERITY, ROW, Check

CLASSES = ("match", "transcription_suspect", "material_change", "copies_disagree", "no_official", "no_copy")
CLASS_DTYPE = pl.Enum(CLASSES)
DIGITS = 10  # a UInt32 figure has at most ten decimal digits
ISSUED = "ballots_issued"
ON_LIST = "voters_on_list"
PERCENT = 100.0
SLIP_MAX_LINES = 1  # a copying slip touches one figure; a coordinated change touches several
SHIFT_PREFIX = "net_shift_"
OFFICIAL = "official__"  # official figures and checks beside the consensus in ``compared``
DIFF = "diff__"
SLIP = "slip__"  # per line: the official and consensus figures differ by a slip


def _digit(value: pl.Expr, position: int) -> pl.Expr:
    """Decimal digit of ``value`` at ``position`` (0 = units)."""
    return (value // (10**position)) % 10


def is_slip(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """True when two non-negative integers differ in exactly one digit or by one adjacent swap."""
    a, b = a.cast(pl.Int64), b.cast(pl.Int64)
    da, db = [_digit(a, k) for k in range(DIGITS)], [_digit(b, k) for k in range(DIGITS)]
    differs = [x != y for x, y in zip(da, db, strict=True)]
    n_diff = pl.sum_horizontal([d.cast(pl.UInt8) for d in differs])
    swapped = pl.any_horizontal(
        [differs[k] & (da[k] == db[k + 1]) & (da[k + 1] == db[k]) for k in range(DIGITS - 1)]
    )
    return (n_diff == 1) | ((n_diff == 2) & swapped)


def _turnout_pp(prefix: str) -> pl.Expr:
    """Turnout in percent of one wide document whose columns carry ``prefix``."""
    issued, on_list = pl.col(f"{prefix}{ISSUED}").cast(pl.Float64), pl.col(f"{prefix}{ON_LIST}").cast(pl.Float64)
    return pl.when(on_list > 0).then(issued / on_list * PERCENT).otherwise(None)


def _breaks(this: str, other: str, errors: Sequence[str]) -> pl.Expr:
    """True where document ``this`` fails an arithmetic relation that document ``other`` passes."""
    flags = [(pl.col(f"{this}{c}") == False) & pl.col(f"{other}{c}") for c in errors]  # noqa: E712
    return pl.any_horizontal(flags).fill_null(False) if flags else pl.lit(False)


def compared(
    official: pl.LazyFrame, consensus: pl.LazyFrame, lines: Sequence[str], all_checks: Sequence[Check]
) -> pl.DataFrame:
    """Return one row per station of the register with a copy: the consensus beside the official figures.

    Per line: ``official__<line>`` (null without an official figure) and the consensus (column
    named after the line), ``diff__`` (official − consensus, Int64), ``slip__`` (the figures
    differ by a one-digit slip or adjacent swap) and the consensus provenance. Per station:
    region_code, has_official, n_copies, copies_disagree, lines_differing, disagree_on_diff,
    copy_breaks, official_breaks (E relations one document passes and the other fails),
    turnout_diff and all_slip (every differing line is a slip; true where none differs). The
    official figures are gathered by register row, and slips are tested only at stations where
    some line differs.

    Args:
        official: every station of the register in order (``_row`` = its row number, region_code,
            has_official) with one column per line (the newest official figure) and the check
            columns of ``protocol.with_checks``.
        consensus: ``consensus.consensus`` passed through ``protocol.with_checks`` (with the
            stations' register rows ``_row``).
        lines: the election's protocol lines.
        all_checks: the election's control relations.
    """
    errors = [c.column for c in all_checks if c.severity == ERROR_SEVERITY]
    own = [*lines, *errors]
    copied = layout.collect(consensus.filter(pl.col(ROW).is_not_null()))
    documents = layout.collect(official.select(
        "region_code", "has_official", *[pl.col(c).alias(f"{OFFICIAL}{c}") for c in own]
    ))
    differs = [(pl.col(f"{DIFF}{line}") != 0).fill_null(False) for line in lines]
    summed = layout.collect(
        pl.concat([copied, documents.select(pl.all().gather(copied[ROW]))], how="horizontal")
        .lazy()
        .with_columns(
            (pl.col(f"{OFFICIAL}{line}").cast(pl.Int64) - pl.col(line).cast(pl.Int64)).alias(f"{DIFF}{line}")
            for line in lines
        )
        .with_columns(
            pl.sum_horizontal(d.cast(pl.UInt32) for d in differs).cast(pl.UInt32).alias("lines_differing"),
            pl.any_horizontal(
                d & pl.col(f"{DISAGREE}{line}").fill_null(False) for d, line in zip(differs, lines, strict=True)
            ).alias("disagree_on_diff"),
            _breaks("", OFFICIAL, errors).alias("copy_breaks"),
            _breaks(OFFICIAL, "", errors).alias("official_breaks"),
            (_turnout_pp(OFFICIAL) - _turnout_pp("")).fill_null(0.0).alias("turnout_diff"),
        )
        .with_row_index("_at")
    )
    differing = summed.filter(pl.col("lines_differing") > 0)
    return (
        summed.drop("_at")
        .hstack(layout.spread(_slips(differing, lines, differs), differing["_at"], summed.height).get_columns())
        .with_columns(pl.col(f"{SLIP}{line}").fill_null(False) for line in lines)
        .with_columns(
            pl.all_horizontal(~d | pl.col(f"{SLIP}{line}") for d, line in zip(differs, lines, strict=True))
            .alias("all_slip")
        )
    )


def _slips(differing: pl.DataFrame, lines: Sequence[str], differs: Sequence[pl.Expr]) -> pl.DataFrame:
    """``slip__<line>`` of stations with a differing line: one ``is_slip`` over their cells (lines exploded)."""
    if differing.height == 0:
        return pl.DataFrame(schema={f"{SLIP}{line}": pl.Boolean for line in lines})
    cells = differing.select(
        pl.concat_arr(pl.col(f"{OFFICIAL}{line}") for line in lines).alias("official"),
        pl.concat_arr(pl.col(line) for line in lines).alias("consensus"),
        pl.concat_arr(differs).alias("differs"),
    ).explode("official", "consensus", "differs")
    slip = cells.select(
        (pl.col("differs") & is_slip(pl.col("official"), pl.col("consensus"))).reshape((-1, len(lines)))
    )
    return slip.select(pl.first().arr.get(k).alias(f"{SLIP}{line}") for k, line in enumerate(lines))


def discrepancy_lines(both: pl.LazyFrame, lines: Sequence[str]) -> pl.LazyFrame:
    """Return one row per station and line present in both documents, from ``compared``, by station and line.

    Columns: station_id, line, official, consensus, diff, n_copies, orgs_agree, orgs_differ,
    disagree, slip. Each station's lines are an array exploded in place, so no long frame is sorted.
    """
    fields = {
        "official": OFFICIAL, "consensus": "", "diff": DIFF, "n_copies": N_COPIES, "orgs_agree": AGREE,
        "orgs_differ": DIFFER, "disagree": DISAGREE, "slip": SLIP,
    }
    ordered = sorted(lines)
    present = pl.col("official").is_not_null() & pl.col("consensus").is_not_null()
    return (
        both.select("station_id", *[f"{prefix}{line}" for line in ordered for prefix in fields.values()])
        .sort("station_id")
        .select(
            "station_id",
            *[pl.concat_arr(pl.col(f"{prefix}{line}") for line in ordered).alias(name)
              for name, prefix in fields.items()],
        )
        .explode(*fields)
        .with_columns(pl.lit(pl.Series(ordered)).gather(pl.int_range(pl.len()) % len(ordered)).alias("line"))
        .filter(present)
        .select("station_id", "line", *fields)
    )


def station_columns(both: pl.LazyFrame, options: Sequence[str]) -> pl.LazyFrame:
    """Per station with a copy: the station columns of ``compared`` and its net diffs per option."""
    return both.select(
        ROW, "n_copies", "lines_differing", "disagree_on_diff", "copy_breaks", "official_breaks",
        "turnout_diff", "all_slip", *[f"{DIFF}{o}" for o in options],
    )


def station_class() -> pl.Expr:
    """Discrepancy class of a station row with has_official, n_copies (null without a copy) and ``compared`` columns."""
    lone_slip = pl.col("all_slip") & (pl.col("lines_differing") <= SLIP_MAX_LINES) & ~pl.col("official_breaks")
    suspect = pl.col("copy_breaks") | lone_slip
    return (
        pl.when(pl.col("n_copies").is_null()).then(pl.lit("no_copy"))
        .when(~pl.col("has_official")).then(pl.lit("no_official"))
        .when(pl.col("lines_differing").fill_null(0) == 0).then(pl.lit("match"))
        .when(pl.col("disagree_on_diff")).then(pl.lit("copies_disagree"))
        .when(suspect.fill_null(False)).then(pl.lit("transcription_suspect"))
        .otherwise(pl.lit("material_change"))
        .cast(CLASS_DTYPE)
    )


def station_discrepancy(stations: pl.LazyFrame, options: Sequence[str]) -> pl.LazyFrame:
    """Return one row per station: class, n_copies, lines_differing, turnout_diff, net shifts.

    Args:
        stations: every station of the scope (station_id, region_code, has_official, class)
            with the station columns of ``compared`` (null where a document is missing).
        options: vote-option lines.
    """
    both = pl.col("n_copies").is_not_null() & pl.col("has_official")
    return stations.select(
        "station_id",
        "region_code",
        "class",
        pl.col("n_copies").fill_null(0),
        pl.when(both).then(pl.col("lines_differing").fill_null(0)).otherwise(0).cast(pl.UInt32)
        .alias("lines_differing"),
        pl.when(both).then(pl.col("turnout_diff").fill_null(0.0)).otherwise(None).alias("turnout_diff"),
        *[pl.when(both).then(pl.col(f"{DIFF}{o}").fill_null(0)).otherwise(None).alias(f"{SHIFT_PREFIX}{o}")
          for o in options],
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
