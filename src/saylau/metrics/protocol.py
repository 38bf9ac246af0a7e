"""Protocol documents: which lines an election has, wide documents and control relations.

Official figures and copies come long (one row per line; official figures may also come as the
store keeps them, one row per station and publication). Here they become wide documents (one
row per document, one column per line) so every control relation of the profile is a single
vectorised expression. A relation's ``passed`` column is null where it does not apply: the
document lacks one of its lines, or the station kind is outside ``station_kinds``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from saylau.metrics import expr, layout
from saylau.profiles import Profile

OFFICIAL = "official"
CONSENSUS = "consensus"
ERROR_SEVERITY = "E"
PASS_PREFIX = "pass__"
STATION_KIND = "kind"
ROW = "_row"  # a station's row number in the register (null outside it)
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
    """Pivot a long protocol table to one row per ``index``, one column per line (a repeated line keeps its maximum).

    Read off the table's ``layout.grid`` (documents × lines) where its layout allows and every
    document is one wide row; grouped by ``index`` otherwise.
    """
    frame = long.select(*index, "line", "value").collect()
    cells = layout.grid(frame, list(index), ["line"])
    if cells is None or not cells.rows.is_unique().all():
        return (
            frame.lazy().filter(pl.col("line").is_in(list(lines)))
            .group_by(list(index))
            .agg(pl.when(pl.col("line") == line).then(pl.col("value")).max().alias(line) for line in lines)
        )
    columns = {line: [k for k, (name,) in enumerate(cells.columns) if name == line] for line in lines}
    wide = frame.select(
        pl.max_horizontal(cells.cell("value", k) for k in ks).alias(line) for line, ks in columns.items() if ks
    )
    return (
        cells.rows.hstack(wide.get_columns()).lazy()
        .with_columns(pl.lit(None, pl.UInt32).alias(line) for line, ks in columns.items() if not ks)
        .select(*index, *lines)
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


def distinct(ids: pl.Series) -> bool:
    """True when no value repeats (checked as a strict rise first, which needs no hashing)."""
    return bool((ids.shift(-1) > ids).fill_null(True).all()) or ids.n_unique() == ids.len()


def latest_by_station(official: pl.LazyFrame, lines: Sequence[str]) -> pl.DataFrame:
    """Return ``latest_wide(official, lines)`` collected, from long rows or from the store's wide form.

    The store keeps ``protocol_official`` wide (``saylau.store``: one row per station and
    publication, one column per line), and that form is read as it is (``_latest_of_stored``).
    Long rows usually list each station's rows together (the demo), or each line of a
    publication together (ingest), every station with the same publications and lines: then
    the table is a ``layout.grid`` of stations × (line, publication time) and each line's newest
    figure is one of its wide columns (several when publications share the newest time: the
    larger figure wins), cut out without grouping or hashing the rows. Any other layout, or a
    station in two wide rows, is grouped by ``latest_wide``.
    """
    if "line" not in official.collect_schema():
        return _latest_of_stored(official, lines)
    rows = official.select("station_id", "line", "value", "published_at").collect()
    cells = layout.grid(rows, ["station_id"], ["line", "published_at"])
    if cells is None or not distinct(cells.rows["station_id"]):
        return latest_wide(rows.lazy(), lines).collect()
    newest = {line: max(at for name, at in cells.columns if name == line) for line, _ in cells.columns}
    columns = {
        line: [k for k, (name, at) in enumerate(cells.columns) if name == line and at == newest[line]]
        for line in lines if line in newest
    }
    wide = rows.select(
        pl.max_horizontal(cells.cell("value", k) for k in ks).alias(line) for line, ks in columns.items()
    )
    return (
        cells.rows.hstack(wide.get_columns())
        .with_columns(pl.lit(None, pl.UInt32).alias(line) for line in lines if line not in columns)
        .select("station_id", *lines)
    )


def newest_of_publications(wide: pl.DataFrame, lines: Sequence[str]) -> pl.DataFrame:
    """Group wide rows (station, publication time, one column per line) by station: per line, the newest figure it has.

    Time and figure are packed into one Int128 as in ``latest_wide`` (at the same time: the
    larger figure); an empty cell packs to null and is passed over.
    """
    at = pl.col("published_at").to_physical().cast(pl.Int128) * VALUE_SPAN
    return (
        wide.group_by("station_id", maintain_order=True)
        .agg((at + pl.col(line).cast(pl.Int128)).max().alias(line) for line in lines)
        .with_columns((pl.col(list(lines)) % VALUE_SPAN).cast(pl.UInt32))
    )


def _latest_of_stored(stored: pl.LazyFrame, lines: Sequence[str]) -> pl.DataFrame:
    """``latest_by_station`` of the store's wide form, off its grid of stations × publication times where it can be.

    Each line's figure is that of the newest publication that has the line (at the same time:
    the larger figure). The stored rows usually come station by station (the demo) or
    publication by publication (ingest appends each one), every station with the same
    publications: then they are a ``layout.grid`` and each line is a ``coalesce`` of its
    publications' cells, newest first. One publication per station in another order is taken as
    it is; anything else is grouped by station (``newest_of_publications``).
    A line the file lacks is an empty column.
    """
    names = stored.collect_schema().names()
    present = [line for line in lines if line in names]
    wide = stored.select("station_id", "published_at", *present).collect()
    cells = layout.grid(wide, ["station_id"], ["published_at"]) if present else None
    if cells is not None and distinct(cells.rows["station_id"]):
        times = sorted({at for (at,) in cells.columns}, reverse=True)
        newest = [
            pl.coalesce(
                pl.max_horizontal(cells.cell(line, k) for k, (at,) in enumerate(cells.columns) if at == time)
                for time in times
            ).alias(line)
            for line in present
        ]
        wide = cells.rows.hstack(wide.select(newest).get_columns())
    elif present and (cells is not None or not distinct(wide["station_id"])):  # a grid's stations repeat
        wide = newest_of_publications(wide, present)
    return wide.select(
        "station_id", *(pl.col(line) if line in present else pl.lit(None, pl.UInt32).alias(line) for line in lines)
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
