"""Long tables laid out as grids, and rows placed by position: strides, slices and gathers instead of keys.

A long table (one row per document and field, e.g. station × line or station × item) is often
written in one of two regular layouts, and then each wide column can be cut out of it without
hashing a key:

- **row-major** (the demo): blocks of ``size`` rows, each block one wide row (its row key is
  constant inside the block), the column keys repeating from block to block; wide column
  ``k`` is every ``size``-th value from offset ``k``.
- **column-major** (ingest: one block per line or item): blocks of ``size`` rows, each block
  one wide column (its column key is constant inside the block), the row keys repeating from
  block to block; wide column ``k`` is the ``k``-th slice of ``size`` values.

``grid`` recognises either layout (checking every row, so a match is exact) or returns None,
and callers then group the long rows as usual. A table of one row per wide row is read as
column-major with one block. A row key may come in several wide rows (in
consecutive blocks of a row-major table, or twice in a block of a column-major one); callers
that need distinct rows check ``Grid.rows`` themselves.

``spread`` places the rows of a small frame at known row numbers of a larger one (a per-station
frame into register order), which a join on the key would do at the cost of hashing it.
``collect`` runs a plan over frames in memory on the in-memory engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

IN_MEMORY = "in-memory"  # engine for plans over per-station frames in memory (see ``collect``)
PROBE_ROWS = 1 << 16  # rows looked at first for a block boundary (``_first_change``)

@dataclass(frozen=True)
class Grid:
    """A long table read as a grid: ``rows`` (row keys, table order), ``columns`` (column keys), ``size``."""

    rows: pl.DataFrame
    columns: list[tuple]
    size: int
    row_major: bool

    def cell(self, name: str, k: int) -> pl.Expr:
        """Values of column ``name`` in wide column ``k``, one per wide row (an expression over the long table)."""
        if self.row_major:
            return pl.col(name).gather_every(self.size, offset=k)
        return pl.col(name).slice(k * self.size, self.size)


def _physical(name: str) -> pl.Expr:
    """A column as its physical values, for equality within the column (category codes, integer times: 3-4x faster)."""
    return pl.col(name).to_physical()


def _first_change(frame: pl.DataFrame, names: Sequence[str]) -> int:
    """Index of the first row whose ``names`` differ from the first row's (the height when none does).

    The first ``PROBE_ROWS`` rows are looked at first: a block boundary is usually among them, and
    then the rest of a long table is not compared at all.
    """
    changed = pl.any_horizontal(_physical(n) != _physical(n).first() for n in names)
    found = frame.head(PROBE_ROWS).select(changed.arg_max()).item()
    if not found and frame.height > PROBE_ROWS:
        found = frame.select(changed.arg_max()).item()
    return found or frame.height


def _blocks(frame: pl.DataFrame, constant: Sequence[str], periodic: Sequence[str], size: int) -> bool:
    """True when ``constant`` changes only at multiples of ``size`` and ``periodic`` repeats every ``size`` rows.

    ``constant``: every run of an equal value is whole blocks (runs found by ``rle``);
    ``periodic``: every row equals the one ``size`` rows earlier (two slices compared, no copy).
    Both are one query, so the columns are checked side by side on the cores. The in-memory
    engine runs it: polars 2.1's streaming ``rle`` panics on some multi-chunk inputs
    (``chunks.len() == 1``; e.g. a concat of ["a"] * 12 and ["b"] * 12 + ["a"] * 12).
    """
    rest = frame.height - size
    checks = [(_physical(n).rle().struct.field("len") % size == 0).all().alias(f"constant_{n}") for n in constant]
    checks += [(_physical(n).slice(size, rest) == _physical(n).slice(0, rest)).all().alias(f"periodic_{n}")
               for n in periodic]
    return all(frame.lazy().select(checks).collect(engine=IN_MEMORY).row(0))


def grid(frame: pl.DataFrame, row_key: Sequence[str], column_key: Sequence[str]) -> Grid | None:
    """Read a long table as a grid of wide rows (``row_key``) and wide columns (``column_key``), or None.

    ``frame`` is in memory: its cells are cut out of the same rows the layout was checked on.
    """
    height = frame.height
    by_row = _first_change(frame, row_key) if height else 0
    if height == 0 or height % by_row:
        return None
    if by_row > 1:  # only row-major blocks hold several long rows of one wide row
        if not _blocks(frame, row_key, column_key, by_row):
            return None
        rows = frame.select(pl.col(row_key).gather_every(by_row))
        return Grid(rows, frame.head(by_row).select(column_key).rows(), by_row, True)
    size = _first_change(frame, column_key)
    if height % size or not _blocks(frame, column_key, row_key, size):
        return None
    columns = frame.select(pl.col(column_key).gather_every(size)).rows()
    return Grid(frame.head(size).select(row_key), columns, size, False)


def collect(frame: pl.LazyFrame) -> pl.DataFrame:
    """Collect a plan over frames in memory on the in-memory engine.

    Its fixed cost per plan is a fraction of the streaming engine's (which dominates at 10 k
    stations); reading and grouping long tables (millions of rows) stay on the default engine,
    which is faster there.
    """
    return frame.collect(engine=IN_MEMORY)


def spread(part: pl.DataFrame, at: pl.Series, height: int) -> pl.DataFrame:
    """The rows of ``part`` placed at rows ``at`` (distinct, below ``height``) of a ``height``-row frame, else null.

    One scatter of row numbers and one gather per column: cheaper than a join on a key.
    """
    index = pl.Series(dtype=pl.UInt32).extend_constant(None, height).scatter(
        at, pl.int_range(part.height, dtype=pl.UInt32, eager=True)
    )
    return part.select(pl.all().gather(index))
