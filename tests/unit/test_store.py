"""Snapshot store: round trips, manifests, atomic publication, revisions."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
import pytest

from saylau import schema, store
from saylau.profiles import load_profile


def _official(value: int, snap: str, hour: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "station_id": ["KZ-71-1", "KZ-71-1", "KZ-71-2"],
            "snapshot_id": [snap] * 3,
            "line": ["ballots_issued", "votes_yes", "ballots_issued"],
            "value": [value, 10, 5],
            "published_at": [datetime(2026, 3, 16, hour, tzinfo=UTC)] * 3,
        }
    )


def test_schema_round_trip(tmp_path):
    """Every canonical table survives a write and read with its types intact."""
    regions = load_profile("kz").regions_frame()
    official = _official(100, "preliminary", 1)
    snap = store.write_snapshot({"regions": regions, "protocol_official": official}, {"profile": "kz"}, root=tmp_path)
    back = store.load_tables(snap)
    assert back["regions"].equals(schema.Region.validate(regions, cast=True))
    assert back["protocol_official"].schema == schema.empty("protocol_official").schema
    assert back["protocol_official"].height == 3
    for name in schema.TABLES:
        assert back[name].schema == schema.empty(name).schema, name


def test_manifest_hashes_and_pointer(tmp_path):
    """The manifest lists rows and sha256 of each file; current points at the new snapshot."""
    snap = store.write_snapshot({"protocol_official": _official(1, "a", 1)}, {"profile": "kz"}, root=tmp_path)
    man = store.verify(snap)
    assert man["files"]["protocol_official.parquet"]["rows"] == 2  # the file's rows: two stations, one publication
    assert store.current(tmp_path) == snap
    (snap / "protocol_official.parquet").write_bytes(b"tampered")
    with pytest.raises(store.SnapshotError):
        store.verify(snap)


def test_failed_or_empty_write_keeps_last_good(tmp_path):
    """An empty or invalid snapshot is refused and the current pointer does not move."""
    good = store.write_snapshot({"protocol_official": _official(1, "a", 1)}, {"profile": "kz"}, root=tmp_path)
    with pytest.raises(store.SnapshotError):
        store.write_snapshot({"protocol_official": schema.empty("protocol_official")}, {}, root=tmp_path)
    bad = _official(1, "a", 1).with_columns(pl.lit(-5).alias("value"))
    with pytest.raises(Exception):
        store.write_snapshot({"protocol_official": bad}, {}, root=tmp_path)
    assert store.current(tmp_path) == good
    assert [p.name for p in (tmp_path / "snapshots").iterdir()] == [good.name]


def test_revisions_between_publications():
    """A changed figure between two publications gives exactly one revision row."""
    both = pl.concat([_official(100, "preliminary", 1), _official(130, "final", 9)])
    rev = store.revisions(both.lazy()).collect()
    assert rev.select("station_id", "line", "old_value", "new_value").rows() == [("KZ-71-1", "ballots_issued", 100, 130)]
    latest = store.latest_official(both.lazy()).collect().sort("station_id", "line")
    assert latest.filter(pl.col("line") == "ballots_issued")["value"].to_list() == [130, 5]


def test_manifest_is_json(tmp_path):
    """The manifest is UTF-8 JSON carrying the caller's metadata."""
    snap = store.write_snapshot({"protocol_official": _official(1, "a", 1)}, {"profile": "kz", "election": {"title": {"kk": "Сайлау"}}}, root=tmp_path)
    man = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    assert man["election"]["title"]["kk"] == "Сайлау" and man["schema_version"] == schema.SCHEMA_VERSION


def test_validated_write_still_enforces_types_and_keys(tmp_path):
    """A pre-validated write casts to canonical types and still refuses duplicate keys."""
    df = _official(1, "a", 1)
    snap = store.write_snapshot({"protocol_official": df}, {}, root=tmp_path, validated=True)
    assert store.load_tables(snap)["protocol_official"].schema == schema.empty("protocol_official").schema
    with pytest.raises(store.SnapshotError):
        store.write_snapshot({"protocol_official": pl.concat([df, df])}, {}, root=tmp_path / "x", validated=True)


@pytest.mark.parametrize("validated", [False, True])
def test_store_rechecks_keys_unless_the_caller_proves_them(tmp_path, validated):
    """Without ``unique`` every write re-checks primary keys; ``unique`` is what skips it."""
    twice = pl.concat([_official(1, "a", 1)] * 2)
    with pytest.raises(Exception, match="(?i)duplicate|primary"):
        store.write_snapshot({"protocol_official": twice}, {}, root=tmp_path / "a", validated=validated)
    assert store.current(tmp_path / "a") is None
    wide_twice = pl.concat([store.widen(_official(1, "a", 1)).collect()] * 2)
    with pytest.raises(store.SnapshotError, match="duplicate"):
        store.write_snapshot({"protocol_official": wide_twice}, {}, root=tmp_path / "b", validated=True)
    snap = store.write_snapshot({"protocol_official": wide_twice.lazy()}, {}, root=tmp_path / "b", validated=True,
                                unique={"protocol_official"})
    assert store.manifest(snap)["files"]["protocol_official.parquet"]["rows"] == 4


def _canonical(df: pl.DataFrame) -> list[tuple]:
    return sorted(df.with_columns(pl.col("snapshot_id", "line").cast(pl.String)).rows())


@pytest.mark.parametrize("given", ["long", "wide"])
def test_official_is_stored_wide_and_read_back_long(tmp_path, given):
    """``protocol_official`` is kept one row per station and publication; ``scan`` returns the same long rows."""
    both = pl.concat([_official(100, "preliminary", 1), _official(130, "final", 9).filter(pl.col("station_id") == "KZ-71-1")])
    frame = both if given == "long" else store.widen(both)
    snap = store.write_snapshot({"protocol_official": frame}, {}, root=tmp_path, validated=given == "wide")
    stored = pl.read_parquet(snap / "protocol_official.parquet")
    assert stored.columns == ["station_id", "snapshot_id", "published_at", "ballots_issued", "votes_yes"]
    assert stored.height == 3  # KZ-71-2 has no line of the final publication, so no row for it
    assert store.manifest(snap)["files"]["protocol_official.parquet"]["rows"] == 3  # the file's rows, as written
    back = store.scan(snap, "protocol_official").collect()
    assert back.schema == schema.empty("protocol_official").schema
    assert _canonical(back) == _canonical(schema.ProtocolOfficial.cast(both))
    assert store.scan_stored(snap, "protocol_official").collect().equals(stored)


def test_a_snapshot_written_long_still_reads(tmp_path):
    """A schema-2 snapshot (``protocol_official`` as long rows) reads as before and widens for carrying forward."""
    snap = store.write_snapshot({"protocol_official": _official(7, "a", 1)}, {}, root=tmp_path)
    schema.ProtocolOfficial.cast(_official(7, "a", 1)).write_parquet(snap / "protocol_official.parquet")
    assert _canonical(store.scan(snap, "protocol_official").collect()) == _canonical(_official(7, "a", 1))
    assert store.scan_stored(snap, "protocol_official").collect().height == 2


def test_a_line_named_like_a_stored_column_is_refused(tmp_path):
    """A line code that would collide with a column of the stored form is refused with its name."""
    clash = _official(1, "a", 1).with_columns(pl.lit("published_at").alias("line")).head(1)
    with pytest.raises(store.SnapshotError, match="published_at"):
        store.write_snapshot({"protocol_official": clash}, {}, root=tmp_path)
    assert store.current(tmp_path) is None
