"""Station frame, fingerprints, observer comparison, the CLI and the explanation texts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
import pytest

from saylau import forensics
from saylau.forensics import command, explain
from saylau.forensics.fingerprint import fingerprint, histogram
from saylau.forensics.observed import observed_comparison
from saylau.forensics.synthetic import synthetic_stations

T0 = datetime(2026, 3, 15, 20, tzinfo=UTC)
T1 = datetime(2026, 3, 16, 8, tzinfo=UTC)


def _long(rows: list[tuple[str, str, str, int, datetime]]) -> pl.LazyFrame:
    return pl.LazyFrame(rows, schema=["station_id", "snapshot_id", "line", "value", "published_at"], orient="row")


def test_station_frame_from_long_tables() -> None:
    official = _long(
        [
            ("A", "pre", "voters_on_list", 500, T0),
            ("A", "pre", "ballots_issued", 300, T0),
            ("A", "pre", "ballots_valid", 290, T0),
            ("A", "pre", "ballots_invalid", 5, T0),
            ("A", "pre", "votes_yes", 200, T0),
            ("A", "final", "votes_yes", 210, T1),
            ("A", "pre", "votes_no", 80, T0),
            ("B", "pre", "voters_on_list", 400, T0),
            ("B", "pre", "ballots_issued", 200, T0),
            ("B", "pre", "ballots_in_boxes", 199, T0),
            ("B", "pre", "votes_yes", 100, T0),
        ]
    )
    stations = pl.LazyFrame({"station_id": ["A", "B"], "region_code": ["R1", "R2"]})
    observed = pl.LazyFrame({"station_id": ["B", "B"]})
    frame = forensics.station_frame(official, stations, ["votes_yes", "votes_no"], observed).collect().sort("station_id")
    assert frame.columns == ["station_id", "region_code", "registered", "issued", "found", "votes_yes", "votes_no", "observed"]
    assert frame.row(0) == ("A", "R1", 500, 300, 295, 210, 80, False)
    assert frame.row(1) == ("B", "R2", 400, 200, 199, 100, 0, True)
    assert forensics.leader_option(frame.lazy()) == "votes_yes"


def test_histograms_cover_every_bin_and_station() -> None:
    frame = synthetic_stations(3_000, seed=9).lazy()
    hist = histogram(frame, "votes_a", "turnout", width=0.1)
    assert hist.height == 1001 and hist["bin"][0] == 0.0 and hist["bin"][-1] == 100.0
    assert hist["stations"].sum() == 3_000
    assert hist["registered"].sum() == frame.select(pl.col("registered").sum()).collect().item()
    cells = fingerprint(frame, "votes_a", width=1.0)
    assert cells["stations"].sum() == 3_000


def test_centred_bins_are_exact_at_edges() -> None:
    frame = pl.LazyFrame(
        {
            "station_id": ["a", "b", "c"],
            "region_code": ["R"] * 3,
            "registered": [2000, 1000, 200],
            "issued": [1, 5, 200],
            "found": [1, 5, 200],
            "votes_a": [1, 5, 200],
            "observed": [False] * 3,
        }
    )
    hist = histogram(frame, "votes_a", "turnout", width=0.1).filter(pl.col("stations") > 0)
    # 0.05 % sits on the edge between bins 0.0 and 0.1 and goes up; 0.5 % and 100 % are centres
    assert hist["bin"].to_list() == [0.1, 0.5, 100.0]


def test_observer_comparison_on_random_observers() -> None:
    table = observed_comparison(synthetic_stations(20_000, seed=10).lazy(), "votes_a")
    assert table["group"].to_list() == ["observed", "unobserved", "difference"]
    diff = table.row(2, named=True)
    assert diff["turnout_lo"] < 0 < diff["turnout_hi"]
    assert diff["leader_share_lo"] < 0 < diff["leader_share_hi"]
    obs = table.row(0, named=True)
    assert obs["turnout_lo"] < obs["turnout"] < obs["turnout_hi"]


def test_run_all_is_json_ready() -> None:
    result = forensics.run_all(synthetic_stations(3_000, seed=11).lazy(), by_region=True)
    text = json.dumps(result)
    assert result["leader"] == "votes_a" and result["stations"] == 3_000
    for key in ("observed", "expected", "excess", "sd", "excess_turnout", "excess_leader"):
        assert key in result["integer_percent"]
    assert {"clean_turnout", "clean_leader_share", "excess_votes"} <= result["shpilkin"].keys()
    assert {"second_digit_mean", "last_digit_zero_five_share"} <= result["digits"].keys()
    assert "NaN" not in text


def test_command_on_a_snapshot(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    from saylau.store import write_snapshot

    wide = synthetic_stations(400, seed=12)
    lines = {"registered": "voters_on_list", "issued": "ballots_issued", "found": "ballots_in_boxes",
             "votes_a": "votes_a", "votes_b": "votes_b", "votes_c": "votes_c"}
    official = (
        wide.select("station_id", *lines).rename(lines)
        .unpivot(index="station_id", variable_name="line")
        .with_columns(pl.lit("final").alias("snapshot_id"), pl.lit(T1).alias("published_at"))
    )
    stations = wide.select(
        "station_id", "region_code", pl.lit("T1").alias("tec"), pl.int_range(pl.len()).alias("number"),
        pl.lit("regular").alias("kind"), pl.lit(None, dtype=pl.Boolean).alias("urban"),
        pl.col("registered").alias("registered_voters"), pl.lit(None, dtype=pl.Float64).alias("lat"),
        pl.lit(None, dtype=pl.Float64).alias("lon"), pl.lit(None, dtype=pl.String).alias("address"),
    )
    options = [{"line": line, "kk": line, "ru": line, "en": name} for line, name in
               (("votes_a", "Alpha"), ("votes_b", "Beta"), ("votes_c", "Gamma"))]
    folder = write_snapshot(
        {"protocol_official": official, "stations": stations},
        {"profile": "kz", "election": {"options": options}},
        root=tmp_path,
    )
    parser = __import__("argparse").ArgumentParser()
    command.add_arguments(parser)
    assert command.run(parser.parse_args(["--snapshot", str(folder), "--leader", "Beta", "--json"])) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["stations"] == 400 and result["leader"] == "votes_b"
    assert result["turnout"] == pytest.approx(100 * wide["issued"].sum() / wide["registered"].sum())


def test_explanations_are_complete() -> None:
    for method, texts in explain.EXPLANATIONS.items():
        assert set(texts) == {"kk", "ru", "en"}, method
        for lang, fields in texts.items():
            assert set(fields) == set(explain.FIELDS), (method, lang)
            assert all(v.strip() for v in fields.values()), (method, lang)
    assert set(explain.DISCLAIMER) == {"kk", "ru", "en"}
    assert explain.explanation("digits", "xx") == explain.EXPLANATIONS["digits"]["en"]
