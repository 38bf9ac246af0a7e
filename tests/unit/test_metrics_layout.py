"""``layout.grid`` reads row- and column-major long tables exactly; checklists and copies off a grid equal grouping."""

from __future__ import annotations

import numpy as np
import polars as pl
from test_metrics_data import checklist_rows
from test_metrics_wide import _many_items

from saylau import schema
from saylau.metrics import incidents, layout


def _long(stations: list[str], fields: list[str], row_major: bool) -> pl.DataFrame:
    """A long table of every (station, field), value = its position in row-major order."""
    pairs = [(s, f) for s in stations for f in fields] if row_major else [(s, f) for f in fields for s in stations]
    return pl.DataFrame(pairs, schema=["station", "field"], orient="row").with_columns(
        pl.Series("value", [stations.index(s) * len(fields) + fields.index(f) for s, f in pairs])
    )


def test_grid_reads_both_layouts() -> None:
    """Row-major blocks (a station each) and column-major blocks (a field each) give the same wide columns."""
    stations, fields = ["b", "a", "c"], ["x", "y"]
    for row_major in (True, False):
        long = _long(stations, fields, row_major)
        cells = layout.grid(long, ["station"], ["field"])
        assert cells is not None and cells.row_major == row_major
        assert cells.rows["station"].to_list() == stations
        assert [c for (c,) in cells.columns] == fields
        wide = long.select(cells.cell("value", k).alias(f) for k, (f,) in enumerate(cells.columns))
        assert wide.rows() == [(0, 1), (2, 3), (4, 5)]


def test_grid_finds_blocks_longer_than_the_probe() -> None:
    """Blocks longer than the rows probed first (an ingest's line blocks of a large register) are still found."""
    n = layout.PROBE_ROWS + 7
    stations = pl.Series("station", [f"s{i}" for i in range(n)])
    long = pl.DataFrame({"station": pl.concat([stations, stations]), "field": ["x"] * n + ["y"] * n,
                         "value": range(2 * n)})
    cells = layout.grid(long, ["station"], ["field"])
    assert cells is not None and not cells.row_major and cells.size == n
    assert [c for (c,) in cells.columns] == ["x", "y"]
    one_block = long.head(n)
    assert layout.grid(one_block, ["station"], ["field"]).size == n
    broken = long.with_columns(pl.when(pl.int_range(pl.len()) == n + 3).then(pl.lit("y2")).otherwise("field").alias("field"))
    assert layout.grid(broken, ["station"], ["field"]) is None


def test_grid_refuses_irregular_tables() -> None:
    """A missing cell, fields in another order for one station, or shuffled rows: no grid."""
    long = _long(["a", "b", "c"], ["x", "y", "z"], True)
    swapped = pl.concat([long.head(3), long.slice(3, 3).reverse(), long.slice(6)])
    for frame in (long.head(8), swapped, long.sample(fraction=1.0, shuffle=True, seed=2), long.clear()):
        assert layout.grid(frame, ["station"], ["field"]) is None
    column_major = _long(["a", "b", "c"], ["x", "y"], False)
    reordered = pl.concat([column_major.head(3), column_major.slice(3).reverse()])
    assert layout.grid(reordered, ["station"], ["field"]) is None


def _answers(items: list[str], seed: int) -> pl.DataFrame:
    """Row-major checklists: sheets (station, organisation) of every item, random answers, one unknown item."""
    rng = np.random.default_rng(seed)
    codes = [*items, "NOT_IN_PROFILE"]
    sheets = [(f"S{s}", org, typ) for s in range(6) for org, typ in [("ngo_a", "ngo"), ("party_b", "party")]
              if rng.random() < 0.7]
    return checklist_rows([(s, org, typ, item, str(rng.choice(schema.ANSWERS))) for s, org, typ in sheets
                           for item in codes])


def test_checklists_off_a_grid_equal_answer_by_answer(monkeypatch) -> None:
    """Row-major, column-major, shuffled and mixed-type sheets fold to the same station columns."""
    profile = _many_items()
    items = profile.items_frame()
    codes = [i.code for i in profile.items]
    rows = _answers(codes, 5)
    layouts = {
        "row-major": (rows, True),
        "column-major": (rows.sort("item", maintain_order=True), True),
        "shuffled": (rows.sample(fraction=1.0, shuffle=True, seed=3), False),
        "a sheet of two organisation types": (rows.with_columns(
            pl.when(pl.int_range(pl.len()) == 1).then(pl.lit("media")).otherwise(pl.col("org_type"))
            .cast(pl.Enum(schema.ORG_TYPES)).alias("org_type")), False),
    }
    found = {name: (frame, layout.grid(frame.select("station_id", "observer_org", "org_type", "item"),
                       ["station_id", "observer_org", "org_type"], ["item"]) is not None)
             for name, (frame, _) in layouts.items()}
    assert {name: on_grid for name, (_, on_grid) in found.items()} == {name: g for name, (_, g) in layouts.items()}
    folded = {name: incidents.station_checklists(frame.lazy(), items).sort("station_id")
              for name, (frame, _) in found.items()}
    monkeypatch.setattr(layout, "grid", lambda *args: None)
    for name, (frame, _) in found.items():
        assert folded[name].equals(incidents.station_checklists(frame.lazy(), items).sort("station_id")), name


def test_widen_off_a_grid_equals_grouping(monkeypatch) -> None:
    """Copies widened off their grid (copy by copy or line by line) equal grouped ones; a copy in 2 blocks is grouped."""
    from test_metrics_data import copy_rows, figures

    from saylau.metrics import protocol

    lines = tuple(figures())
    copies = copy_rows([("C1", "S1", "ngo_a", "ngo", figures()), ("C2", "S1", "party_b", "party", figures(yes=401)),
                        ("C3", "S2", "ngo_a", "ngo", figures(no=7))])
    index = ["copy_id", "station_id", "source_org"]
    again = pl.concat([copies, copies.head(12).with_columns(pl.col("value") + 1)])
    layouts = {"copy by copy": (copies, True), "line by line": (copies.sort("line", maintain_order=True), True),
               "a copy in two blocks": (again, False),
               "shuffled": (copies.sample(fraction=1.0, shuffle=True, seed=4), False)}
    for name, (frame, on_grid) in layouts.items():
        assert not on_grid or layout.grid(frame, index, ["line"]) is not None, name
    wide = {name: protocol.widen(frame.lazy(), index, lines).collect().sort("copy_id")
            for name, (frame, _) in layouts.items()}
    monkeypatch.setattr(layout, "grid", lambda *args: None)
    for name, (frame, _) in layouts.items():
        assert wide[name].equals(protocol.widen(frame.lazy(), index, lines).collect().sort("copy_id")), name
