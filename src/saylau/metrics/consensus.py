"""Consensus copy per station: per line, the figure most copies agree on, with provenance.

Ties between figures with equal support go to the figure carried by the copy that passes the
most control relations, then to the lowest ``copy_id``. Each line keeps which organisations
agree with the consensus and which differ, and whether the copies disagree among themselves.

Everything is computed on wide copies (one row per copy, one column per line) grouped by
station. Organisation lists are text and cost a sort and a join per group, so they are built
once per station (all of its organisations); only the few stations where some line is missing
from a copy or the copies disagree get them line by line.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from saylau.metrics.protocol import ROW

ORG_SEPARATOR = ", "
N_COPIES = "n__"  # per line: copies carrying the line
DISAGREE = "disagree__"  # per line: the copies carry different figures
AGREE = "agree__"  # per line: organisations whose copies carry the consensus figure
DIFFER = "differ__"  # per line: organisations whose copies carry another figure
_SUPPORT = "_support__"
_CHOSEN = "_chosen__"
_ALL_ORGS = "_orgs"


def _orgs(mask: pl.Expr) -> pl.Expr:
    """Sorted distinct organisations of the rows selected by ``mask``, joined as one text."""
    return pl.col("source_org").filter(mask).unique().sort().str.join(ORG_SEPARATOR)


def _provenance(lines: Sequence[str]) -> list[str]:
    """Names of the per-line provenance columns of ``consensus``, line by line."""
    return [f"{prefix}{line}" for line in lines for prefix in (N_COPIES, DISAGREE, AGREE, DIFFER)]


def _single(counted: pl.LazyFrame, lines: Sequence[str]) -> pl.LazyFrame:
    """Stations with one copy: the copy is the consensus, its organisation agrees on every line."""
    return counted.filter(pl.col("n_copies") == 1).select(
        "station_id",
        "kind",
        ROW,
        "n_copies",
        *lines,
        *[
            expr.alias(f"{prefix}{line}")
            for line in lines
            for prefix, expr in (
                (N_COPIES, pl.lit(1, pl.UInt32)),
                (DISAGREE, pl.lit(False)),
                (AGREE, pl.col("source_org")),
                (DIFFER, pl.lit("")),
            )
        ],
    )


def _several(counted: pl.LazyFrame, lines: Sequence[str]) -> pl.LazyFrame:
    """Stations with several copies: rank the figures of each line, then name the organisations."""
    ranked = counted.filter(pl.col("n_copies") > 1).with_columns(
        pl.when(pl.col(line).is_not_null()).then(pl.len().over("station_id", line)).otherwise(0)
        .alias(f"{_SUPPORT}{line}")
        for line in lines
    )
    chosen = ranked.group_by("station_id").agg(
        pl.col("kind", ROW).first(),
        pl.len().cast(pl.UInt32).alias("n_copies"),
        *[
            pl.col(line).sort_by([f"{_SUPPORT}{line}", "passes", "copy_id"], descending=[True, True, False]).first()
            .alias(line)
            for line in lines
        ],
        *[pl.col(line).count().cast(pl.UInt32).alias(f"{N_COPIES}{line}") for line in lines],
        *[(pl.col(line).min() != pl.col(line).max()).fill_null(False).alias(f"{DISAGREE}{line}") for line in lines],
        _orgs(pl.lit(True)).alias(_ALL_ORGS),
    )
    partial = pl.any_horizontal(
        pl.col(f"{DISAGREE}{line}")
        | pl.col(f"{N_COPIES}{line}").is_between(1, pl.col("n_copies"), closed="left")
        for line in lines
    )
    by_line = (
        ranked.join(
            chosen.filter(partial).select("station_id", *[pl.col(line).alias(f"{_CHOSEN}{line}") for line in lines]),
            on="station_id",
            how="inner",
        )
        .group_by("station_id")
        .agg(
            *[_orgs(pl.col(line) == pl.col(f"{_CHOSEN}{line}")).alias(f"{AGREE}{line}") for line in lines],
            *[_orgs(pl.col(line) != pl.col(f"{_CHOSEN}{line}")).alias(f"{DIFFER}{line}") for line in lines],
        )
    )
    return chosen.join(by_line, on="station_id", how="left").with_columns(
        *[pl.col(f"{AGREE}{line}").fill_null(pl.col(_ALL_ORGS)) for line in lines],
        *[pl.col(f"{DIFFER}{line}").fill_null("") for line in lines],
    )


def consensus(copies: pl.LazyFrame, lines: Sequence[str]) -> pl.LazyFrame:
    """Return one row per station with a copy: the consensus copy and its provenance.

    Columns: station_id, kind, ``_row`` (the station's register row), n_copies (distinct copies),
    copies_disagree (on any line), one
    UInt32 column per line with the consensus figure (null where no copy has the line) and per
    line ``n__`` (copies carrying it), ``disagree__``, ``agree__`` and ``differ__`` (organisations).

    Args:
        copies: wide copies: copy_id, station_id, source_org, kind, ``_row``, one column per line and
            ``passes`` (the number of control relations the copy passes).
        lines: the election's protocol lines.
    """
    counted = copies.with_columns(pl.len().over("station_id").cast(pl.UInt32).alias("n_copies"))
    columns = ["station_id", "kind", ROW, "n_copies", *lines, *_provenance(lines)]
    return pl.concat(
        [_single(counted, lines).select(columns), _several(counted, lines).select(columns)], how="vertical"
    ).with_columns(pl.any_horizontal(pl.col(f"{DISAGREE}{line}") for line in lines).alias("copies_disagree"))
