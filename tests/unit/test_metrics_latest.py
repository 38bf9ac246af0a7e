"""``protocol.latest_wide`` gives the same wide figures as pivoting ``store.latest_official``."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
from test_metrics_data import T0, T1, figures, official_rows

from saylau.metrics.protocol import latest_wide, widen
from saylau.store import latest_official

LINES = tuple(figures())


def test_latest_wide_matches_latest_official() -> None:
    """Newest figure per line; a line missing from the newest publication comes from an older one."""
    partial = {k: v for k, v in figures(yes=450).items() if k != "ballots_issued_outside"}
    official = pl.concat([
        official_rows({"S1": figures(), "S2": figures(), "S3": figures(on_list=7)}, snapshot="preliminary", at=T0),
        official_rows({"S1": figures(issued=610), "S2": partial}, snapshot="final", at=T1),
        official_rows({"S4": figures(no=4_294_967_295)}, snapshot="late", at=T1 + timedelta(hours=1)),
    ]).lazy()
    expected = widen(latest_official(official), ["station_id"], LINES).collect().sort("station_id")
    got = latest_wide(official, LINES).collect().sort("station_id")
    assert got.equals(expected.select(got.columns))
    assert got.columns == ["station_id", *LINES]
    assert got.row(by_predicate=pl.col("station_id") == "S2", named=True)["ballots_issued_outside"] == 10


def test_latest_wide_empty() -> None:
    """No official rows: no stations, one UInt32 column per line."""
    got = latest_wide(official_rows({}).lazy(), LINES).collect()
    assert got.height == 0 and all(got.schema[line] == pl.UInt32 for line in LINES)


def _station_major(docs: list[pl.DataFrame]) -> pl.DataFrame:
    """Interleave publications station by station (each station's rows together), as the demo writes them."""
    both = pl.concat(docs).with_row_index("_row")
    return both.sort("station_id", "_row").drop("_row")


def _line_major(docs: list[pl.DataFrame]) -> pl.DataFrame:
    """Each publication line by line (every station's figure of one line together), as ingest writes them."""
    blocks = [doc.filter(pl.col("line") == line) for doc in docs for line in dict.fromkeys(doc["line"])]
    return pl.concat(blocks)


def _layouts() -> dict[str, tuple[pl.DataFrame, bool]]:
    """Official tables by name, with whether their rows are one repeated block per station."""
    three = {"S1": figures(), "S2": figures(yes=450), "S3": figures(on_list=7)}
    prelim = official_rows(three, snapshot="preliminary", at=T0)
    final = official_rows({s: figures(issued=610 + i) for i, s in enumerate(three)}, snapshot="final", at=T1)
    tie = official_rows({s: figures(no=160 + i) for i, s in enumerate(three)}, snapshot="recount", at=T1)
    other_line = official_rows({s: {"ballots_other": 1, **figures()} for s in three}, snapshot="final", at=T1)
    without_line = official_rows({s: {k: v for k, v in figures().items() if k != "votes_no"} for s in three})
    partial = {k: v for k, v in figures(yes=450).items() if k != "ballots_issued_outside"}
    return {
        "one publication": (prelim, True),
        "two publications, station by station": (_station_major([prelim, final]), True),
        "newest first": (_station_major([final, prelim]), True),
        "two publications at the newest time": (_station_major([prelim, final, tie]), True),
        "a line outside the election": (other_line, True),
        "a line no station has": (without_line, True),
        "publication after publication": (pl.concat([prelim, final]), False),
        "a line missing from one station's newest": (
            _station_major([prelim, official_rows({"S1": figures(), "S2": partial, "S3": figures()}, at=T1)]), False),
        "a station in two blocks": (pl.concat([prelim, final.filter(pl.col("station_id") == "S1")]), False),
        "shuffled": (_station_major([prelim, final]).sample(fraction=1.0, shuffle=True, seed=1), False),
        "blocks not in id order": (_station_major([prelim, final]).sort("station_id", descending=True,
                                                                       maintain_order=True), True),
        "line by line": (_line_major([prelim, final]), True),
        "line by line, publications at the newest time": (_line_major([final, tie]), True),
        "line by line, stations in another order": (
            _line_major([prelim, final.sort("station_id", descending=True, maintain_order=True)]), False),
        "line by line, a station missing from one line": (
            _line_major([prelim, final]).filter((pl.col("station_id") != "S2") | (pl.col("line") != "votes_no")),
            False),
        "chunked like a concat": (pl.concat([prelim.head(12), _station_major([prelim.slice(12), final])],
                                            rechunk=False), True),
    }


def test_latest_by_station_matches_latest_wide(monkeypatch) -> None:
    """Read off repeated blocks or grouped, every layout gives ``latest_wide``'s figures."""
    from saylau.metrics import protocol

    grouped: list[bool] = []
    monkeypatch.setattr(protocol, "latest_wide", lambda *args: grouped.append(True) or latest_wide(*args))
    for name, (official, blocks) in _layouts().items():
        expected = latest_wide(official.lazy(), LINES).collect().sort("station_id")
        grouped.clear()
        got = protocol.latest_by_station(official.lazy(), LINES)
        assert got.sort("station_id").equals(expected), name
        assert grouped == ([] if blocks else [True]), name


def test_latest_by_station_keeps_block_order() -> None:
    """Read off blocks, the stations come in the order of the table (so they can be set beside the register)."""
    from saylau.metrics import protocol

    official, _ = _layouts()["blocks not in id order"]
    assert protocol.latest_by_station(official.lazy(), LINES)["station_id"].to_list() == ["S3", "S2", "S1"]


def test_latest_by_station_empty() -> None:
    """No official rows: no stations, one UInt32 column per line."""
    from saylau.metrics import protocol

    got = protocol.latest_by_station(official_rows({}).lazy(), LINES)
    assert got.height == 0 and got.columns == ["station_id", *LINES]


def test_latest_by_station_reads_the_stored_wide_form(monkeypatch) -> None:
    """From the store's wide form (one row per station and publication), every layout gives the same figures.

    Stations × publications in blocks are read off the grid; the rest is grouped.
    """
    from saylau import store
    from saylau.metrics import protocol

    grouped: list[bool] = []
    group = protocol.newest_of_publications
    monkeypatch.setattr(protocol, "newest_of_publications", lambda *args: grouped.append(True) or group(*args))
    not_in_blocks = {  # as stored: a station twice or out of step, or two publications at one time in one block
        "a station in two blocks", "shuffled", "line by line, stations in another order",
        "line by line, publications at the newest time",
    }
    for name, (official, _) in [*_layouts().items(), ("empty", (official_rows({}), True))]:
        expected = latest_wide(official.lazy(), LINES).collect().sort("station_id")
        grouped.clear()
        got = protocol.latest_by_station(store.widen(official), LINES)
        assert got.sort("station_id").equals(expected), name
        assert grouped == ([True] if name in not_in_blocks else []), name


def test_the_stored_form_of_one_publication_is_read_in_its_order() -> None:
    """One publication per station: the stored rows are the stations, in file order (set beside the register as they are)."""
    from saylau import store
    from saylau.metrics import protocol

    official = official_rows({"S3": figures(), "S1": figures(), "S2": figures()})
    assert protocol.latest_by_station(store.widen(official), LINES)["station_id"].to_list() == ["S3", "S1", "S2"]
