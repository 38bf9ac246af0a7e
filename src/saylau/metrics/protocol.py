"""Protocol documents: which lines an election has, wide documents and control relations.

Official figures and copies are long (one row per line). Here they become wide documents (one
row per document, one column per line) so every control relation of the profile is a single
vectorised expression. A relation's ``passed`` column is null where it does not apply: the
document lacks one of its lines, or the station kind is outside ``station_kinds``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from saylau.metrics import expr
from saylau.profiles import Profile

OFFICIAL = "official"
CONSENSUS = "consensus"
ERROR_SEVERITY = "E"
PASS_PREFIX = "pass__"
STATION_KIND = "kind"
VALUE_SPAN = 1 << 32  # every UInt32 figure is below this


@dataclass(frozen=True)
class Check:
    """A control relation of the profile, parsed for one election."""

    code: str
    severity: str
    comparison: expr.Comparison
    station_kinds: tuple[str, ...]

    @property
    def column(self) -> str:
        """Name of the column holding this check's pass flag in a wide document."""
        return f"{PASS_PREFIX}{self.code}"

    def actual(self) -> pl.Expr:
        """Actual figure (left side) as a Float64 expression."""
        return expr.to_polars(self.comparison.actual)

    def expected(self) -> pl.Expr:
        """Expected figure (right side) as a Float64 expression."""
        return expr.to_polars(self.comparison.expected)

    def applies(self) -> pl.Expr:
        """True where the document has every line and the station kind is covered."""
        cond = pl.all_horizontal([pl.col(line).is_not_null() for line in sorted(self.comparison.lines)])
        if self.station_kinds:
            cond = cond & pl.col(STATION_KIND).cast(pl.String).is_in(list(self.station_kinds))
        return cond

    def passed(self) -> pl.Expr:
        """Pass flag: True/False where the check applies, null elsewhere."""
        return (
            pl.when(self.applies())
            .then(expr.compare(self.comparison.op, self.actual(), self.expected()))
            .otherwise(None)
            .alias(self.column)
        )


def option_lines(election: dict) -> tuple[str, ...]:
    """Return the vote-option lines of an election (``votes_*``), in manifest order."""
    return tuple(o["line"] for o in election.get("options", ()))


def election_lines(profile: Profile, election: dict) -> tuple[str, ...]:
    """Return every protocol line an election can carry: profile lines of its kind, then options."""
    kind = election.get("kind", "")
    base = tuple(x.code for x in profile.lines if not x.kinds or kind in x.kinds)
    return base + tuple(o for o in option_lines(election) if o not in base)


def checks(profile: Profile, election: dict) -> tuple[Check, ...]:
    """Parse the profile relations that apply to this election's kind."""
    options = option_lines(election)
    return tuple(
        Check(r.code, r.severity, expr.parse(r.check, options), r.station_kinds)
        for r in profile.relations_for(election.get("kind", ""))
        if options or expr.VOTES_TOTAL not in r.check
    )


def widen(long: pl.LazyFrame, index: Sequence[str], lines: Sequence[str]) -> pl.LazyFrame:
    """Pivot a long protocol table to one row per ``index``, one column per line (a repeated line keeps its maximum)."""
    return (
        long.filter(pl.col("line").is_in(list(lines)))
        .group_by(list(index))
        .agg(pl.when(pl.col("line") == line).then(pl.col("value")).max().alias(line) for line in lines)
    )


def latest_wide(official: pl.LazyFrame, lines: Sequence[str]) -> pl.LazyFrame:
    """Pivot the newest official figure per station and line to one row per station, one UInt32 column per line.

    Same figures as ``widen(store.latest_official(official), ...)`` in one group-by on the station
    only: each row packs (publication time, value) into one Int128 whose per-line maximum is the
    newest figure (publications at the same time: the larger figure). The packing is row-local,
    so the scan streams.
    """
    packed = pl.col("published_at").to_physical().cast(pl.Int128) * VALUE_SPAN + pl.col("value")
    return (
        official.filter(pl.col("line").is_in(list(lines)))
        .select("station_id", "line", packed.alias("_packed"))
        .group_by("station_id")
        .agg(pl.when(pl.col("line") == line).then(pl.col("_packed")).max().alias(line) for line in lines)
        .with_columns((pl.col(list(lines)) % VALUE_SPAN).cast(pl.UInt32))
    )


def _station_blocks(official: pl.LazyFrame) -> tuple[pl.Series, int] | None:
    """Station ids and block size when ``official`` lists each station's rows as one block of one common size, else None.

    Each station is in one block only (the ids rise strictly, or are distinct). The runs are
    found by the in-memory engine: polars 2.1's streaming ``rle`` panics on some multi-chunk
    inputs (``chunks.len() == 1``; e.g. a concat of ["a"] * 12 and ["b"] * 12 + ["a"] * 12).
    """
    runs = official.select(pl.col("station_id").rle()).collect(engine="in-memory").unnest("station_id")
    if runs.height == 0 or not (runs["len"] == runs["len"][0]).all():
        return None
    ids = runs["value"]
    if not ((ids.shift(-1) > ids).fill_null(True).all() or ids.n_unique() == ids.len()):
        return None
    return ids, int(runs["len"][0])


def latest_by_station(official: pl.LazyFrame, lines: Sequence[str]) -> pl.DataFrame:
    """Return ``latest_wide(official, lines)`` collected, read off repeated blocks where the layout allows.

    Snapshots usually list each station's rows together, every station with the same
    publications and lines in the same order (the demo and ``store.write_snapshot`` write them
    so). Then the rows are blocks of one size, one per station, and each line's newest figure
    sits at the same offsets of every block (several offsets when publications share the newest
    time: the larger figure wins): it is gathered with a stride, without grouping or hashing the
    rows. The station ids are read first (as runs) and the other columns after them, so the
    whole long table is never in memory at once. Any other layout is grouped by ``latest_wide``.
    """
    blocks = _station_blocks(official)
    if blocks is None:
        return latest_wide(official, lines).collect()
    ids, size = blocks
    rows = official.select("line", "value", "published_at").collect()

    def periodic(name: str) -> pl.Expr:
        physical = pl.col(name).to_physical()
        return (physical == physical.shift(size)).fill_null(True).all()

    if not rows.select(periodic("line") & periodic("published_at")).item():
        return latest_wide(official, lines).collect()
    block = rows.head(size).select(pl.col("line").cast(pl.String), "published_at").rows()
    newest = {line: max(at for name, at in block if name == line) for line, _ in block}
    offsets = {line: [k for k, (name, at) in enumerate(block) if name == line and at == newest[line]] for line in lines
               if line in newest}
    gathered = rows.select(
        pl.max_horizontal(pl.col("value").gather_every(size, offset=k) for k in at).alias(line)
        for line, at in offsets.items()
    )
    return (
        gathered.insert_column(0, ids.alias("station_id"))
        .with_columns(pl.lit(None, pl.UInt32).alias(line) for line in lines if line not in offsets)
        .select("station_id", *lines)
    )


def with_checks(wide: pl.LazyFrame, all_checks: Sequence[Check]) -> pl.LazyFrame:
    """Add one pass-flag column per check and ``passes`` (how many checks pass) to a wide document."""
    return wide.with_columns(c.passed() for c in all_checks).with_columns(
        pl.sum_horizontal([pl.col(c.column).cast(pl.UInt32) for c in all_checks] or [pl.lit(0, pl.UInt32)])
        .cast(pl.UInt32)
        .alias("passes"),
    )


def relation_rows(checked: pl.LazyFrame, all_checks: Sequence[Check], document: pl.Expr) -> pl.LazyFrame:
    """Return the long relations table of wide documents already passed through ``with_checks``."""
    codes = list(dict.fromkeys(c.code for c in all_checks))
    severities = sorted({c.severity for c in all_checks})
    parts = [
        checked.filter(pl.col(c.column).is_not_null()).select(
            "station_id",
            document.alias("document"),
            pl.col("source_org"),
            pl.lit(c.code).cast(pl.Enum(codes)).alias("relation"),
            pl.lit(c.severity).cast(pl.Enum(severities)).alias("severity"),
            c.expected().alias("expected"),
            c.actual().alias("actual"),
            pl.col(c.column).alias("passed"),
        )
        for c in all_checks
    ]
    if not parts:
        return relations_empty().lazy()
    return pl.concat(parts, how="vertical")


def relations_empty() -> pl.DataFrame:
    """Return an empty relations table with its columns."""
    return pl.DataFrame(
        schema={
            "station_id": pl.String,
            "document": pl.String,
            "source_org": pl.String,
            "relation": pl.String,
            "severity": pl.String,
            "expected": pl.Float64,
            "actual": pl.Float64,
            "passed": pl.Boolean,
        }
    )
