"""Ingest writes ``protocol_official`` and ``stations`` without the store's duplicate re-check.

Each test breaks one thing that re-check used to catch and shows that ingest itself keeps the
published keys unique: repeated records are quarantined row by row, clashing line codes are a
mapping error, a station from two official sources of one load is held back in both, and a
repeated publication id publishes nothing. ``assert_keys_unique`` reads the written files, so
a test fails whenever a duplicate key slips through.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from pathlib import Path

import polars as pl
import pytest
import tomli_w

from saylau import schema, store
from saylau.ingest import ingest_file, pipeline, quarantine_rows
from saylau.ingest.pipeline import SourceSpec, run_sources

WIDE = {"source": {"table": "official"}, "keys": {"station": ["region", "uik"]},
        "lines": {"voters_on_list": "Registered", "ballots_issued": "Issued"}, "options": {"after": "Issued"}}
REGISTER = {"source": {"table": "stations"}, "keys": {"station": ["region", "uik"], "region": "region"},
            "fields": {"registered_voters": "Registered"}}
HEADER = "region,uik,Registered,Issued,Yes,No\n"


def assert_keys_unique(snapshot: Path) -> None:
    """Every canonical table of a written snapshot has distinct primary keys."""
    for name, table in schema.TABLES.items():
        key = table.primary_key()
        df = store.scan(snapshot, name).collect()
        if key and df.height:
            assert df.select(key).is_unique().all(), f"{name} repeats keys on {key}"


def write(tmp: Path, name: str, text: str, mapping: dict = WIDE) -> SourceSpec:
    """Write a CSV and its mapping; return the file source spec."""
    (tmp / f"{name}.csv").write_text(text, encoding="utf-8")
    (tmp / f"{name}.toml").write_bytes(tomli_w.dumps(mapping).encode())
    return SourceSpec(name, "file", str(tmp / f"{name}.csv"), tmp / f"{name}.toml")


def held_back(data: Path, source: str) -> list[tuple[int, str, str]]:
    """(record_no, rule_id, raw_value) of one source's quarantine rows."""
    q = quarantine_rows(root=data, source=source)
    return list(zip(q["record_no"], q["rule_id"], q["raw_value"], strict=True))


def test_repeated_station_in_a_wide_source_is_held_back(tmp_path: Path) -> None:
    """Records that clean to the same station key are all quarantined; none reaches the snapshot."""
    spec = write(tmp_path, "a", HEADER + "A,1,100,60,50,10\nA,2,80,40,30,10\n A ,1,100,61,50,11\n")
    result = run_sources([spec], tmp_path / "data")
    src = result.sources[0]
    assert (src.records, src.accepted, src.quarantined) == (3, 1, 2)
    assert {(r, rule) for r, rule, _ in held_back(tmp_path / "data", "a")} == {(1, "duplicate_key"), (3, "duplicate_key")}
    official = store.scan(result.snapshot, "protocol_official").collect()
    assert set(official["station_id"]) == {"A/2"} and official.height == 4
    assert_keys_unique(result.snapshot)


def test_repeated_station_and_line_in_a_long_source_is_held_back(tmp_path: Path) -> None:
    """A long source repeating (station, line) has those records quarantined; derived stations stay unique."""
    pl.DataFrame({"station_id": ["S1", "S1", "S1", "S1", "S2"],
                  "line": ["voters_on_list", "ballots_issued", "votes_yes", "votes_yes", "voters_on_list"],
                  "value": [100, 70, 60, 61, 90]}).write_parquet(tmp_path / "long.parquet")
    mapping = {"source": {"table": "official"}, "keys": {"station": "station_id"},
               "lines": {"long": {"line": "line", "value": "value"}}}
    (tmp_path / "long.toml").write_bytes(tomli_w.dumps(mapping).encode())
    result = ingest_file(tmp_path / "long.parquet", tmp_path / "long.toml", tmp_path / "data")
    src = result.sources[0]
    assert (src.accepted, src.quarantined) == (3, 2)
    assert store.scan(result.snapshot, "stations").collect().height == 2
    assert_keys_unique(result.snapshot)


def test_option_slug_equal_to_a_line_code_is_a_bad_mapping(tmp_path: Path) -> None:
    """An option column whose line code [lines] already maps would give that line twice: the source fails."""
    mapping = {**WIDE, "lines": {**WIDE["lines"], "votes_yes": "No"}}
    spec = write(tmp_path, "a", HEADER + "A,1,100,60,50,10\n", mapping)
    result = run_sources([spec], tmp_path / "data")
    assert result.snapshot is None
    assert (result.sources[0].status, result.sources[0].rule_id) == ("failed", "bad_mapping")
    assert "votes_yes" in result.sources[0].error


def test_station_from_two_official_sources_is_held_back_in_both(tmp_path: Path) -> None:
    """Two official sources of one load share a publication: a station both give is quarantined in each."""
    first = write(tmp_path, "north", HEADER + "A,1,100,60,50,10\nA,2,80,40,30,10\n")
    second = write(tmp_path, "south", HEADER + "B,1,90,50,40,10\nA,2,80,41,30,11\n")
    result = run_sources([first, second], tmp_path / "data")
    counts = {s.name: (s.records, s.accepted, s.quarantined) for s in result.sources}
    assert counts == {"north": (2, 1, 1), "south": (2, 1, 1)}
    assert held_back(tmp_path / "data", "north") == [(2, "duplicate_key", "A/2")]
    assert held_back(tmp_path / "data", "south") == [(2, "duplicate_key", "A/2")]
    official = store.scan(result.snapshot, "protocol_official").collect()
    assert set(official["station_id"]) == {"A/1", "B/1"}
    assert set(store.scan(result.snapshot, "stations").collect()["station_id"]) == {"A/1", "B/1"}
    assert_keys_unique(result.snapshot)


def test_two_registers_in_one_load_give_each_station_once(tmp_path: Path) -> None:
    """Station registers overlapping in one load are upserted by station: the later source wins."""
    first = write(tmp_path, "reg1", "region,uik,Registered\nA,1,100\nA,2,80\n", REGISTER)
    second = write(tmp_path, "reg2", "region,uik,Registered\nA,2,85\nB,1,90\n", REGISTER)
    result = run_sources([first, second], tmp_path / "data")
    stations = store.scan(result.snapshot, "stations").sort("station_id").collect()
    assert stations.select("station_id", "registered_voters").rows() == [("A/1", 100), ("A/2", 85), ("B/1", 90)]
    assert_keys_unique(result.snapshot)


def test_carried_forward_tables_keep_unique_keys(tmp_path: Path) -> None:
    """A second load appends a new publication and upserts stations over the previous snapshot."""
    data = tmp_path / "data"
    run_sources([write(tmp_path, "a", HEADER + "A,1,100,60,50,10\nA,2,80,40,30,10\n")], data)
    result = run_sources([write(tmp_path, "a", HEADER + "A,1,100,70,55,15\n")], data)
    official = store.scan(result.snapshot, "protocol_official").collect()
    assert official["snapshot_id"].n_unique() == 2 and official.height == 8 + 4
    assert store.scan(result.snapshot, "stations").collect().height == 2
    assert_keys_unique(result.snapshot)


def test_repeated_publication_id_publishes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A publication id the current snapshot already holds is refused; the last good snapshot stays."""
    frozen = datetime(2026, 3, 16, 20, tzinfo=UTC)

    class Clock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:
            return frozen

    monkeypatch.setattr(pipeline, "datetime", Clock)
    data = tmp_path / "data"
    good = run_sources([write(tmp_path, "a", HEADER + "A,1,100,60,50,10\n")], data).snapshot
    again = run_sources([write(tmp_path, "a", HEADER + "A,1,100,70,55,15\n")], data)
    assert again.snapshot is None and again.sources[0].status == "failed"
    assert "already" in again.sources[0].error and store.current(data) == good
