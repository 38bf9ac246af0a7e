"""Every metrics table on the tiny hand-made election, against answers worked out by hand."""

from __future__ import annotations

import math

import polars as pl
import pytest
from test_metrics_data import ELECTION, T0, T1, copy_rows, figures, lazy, official_rows, tiny

from saylau.metrics import TABLES, compute_all
from saylau.profiles import load_profile

PROFILE = load_profile("kz")


@pytest.fixture(scope="module")
def out() -> dict[str, pl.DataFrame]:
    """compute_all on the tiny election."""
    return compute_all(lazy(tiny()), PROFILE, ELECTION)


def _by(frame: pl.DataFrame, key: str) -> dict:
    return {row[key]: row for row in frame.iter_rows(named=True)}


def test_exactly_the_contract_tables(out: dict[str, pl.DataFrame]) -> None:
    """compute_all returns every contract table."""
    assert tuple(out) == TABLES


def test_station_classes(out: dict[str, pl.DataFrame]) -> None:
    """S1 match, S2 material change, S3 slip in the copy, S4 no copy."""
    d = _by(out["station_discrepancy"], "station_id")
    assert {s: r["class"] for s, r in d.items()} == {
        "S1": "match", "S2": "material_change", "S3": "transcription_suspect", "S4": "no_copy",
    }
    assert d["S2"]["lines_differing"] == 2
    assert (d["S2"]["net_shift_votes_yes"], d["S2"]["net_shift_votes_no"]) == (50, -50)
    assert d["S2"]["n_copies"] == 2 and d["S4"]["n_copies"] == 0
    assert d["S4"]["turnout_diff"] is None


def test_discrepancy_lines(out: dict[str, pl.DataFrame]) -> None:
    """Only S2's vote lines and S3's votes_no differ; provenance lists the agreeing orgs."""
    diff = out["discrepancy_lines"].filter(pl.col("diff") != 0)
    assert diff.select("station_id", "line", "official", "consensus", "diff").rows() == [
        ("S2", "votes_no", 100, 150, -50),
        ("S2", "votes_yes", 450, 400, 50),
        ("S3", "votes_no", 150, 180, -30),
    ]
    assert diff["orgs_agree"].to_list() == ["ngo_a, party_b", "ngo_a, party_b", "ngo_a"]
    assert diff["orgs_differ"].to_list() == ["", "", ""]
    assert out["discrepancy_lines"].height == 3 * 12  # three stations with both documents, 12 lines


def test_relations(out: dict[str, pl.DataFrame]) -> None:
    """Only S4's official (30 invalid > 10 % of 100) and copy C5 (500 ≠ 30+20+300+180) fail."""
    failed = out["relations"].filter(~pl.col("passed"))
    assert failed.select("station_id", "document", "relation", "expected", "actual").rows() == [
        ("S4", "official", "CR_INVALID_SHARE", 10.0, 30.0),
        ("S3", "C5", "CR_BOX_COMPOSITION", 530.0, 500.0),
    ]
    # S4 is abroad: CR_TURNOUT_HIGH (regular stations only) is not evaluated there
    s4 = out["relations"].filter(pl.col("station_id") == "S4")
    assert "CR_TURNOUT_HIGH" not in s4["relation"].cast(pl.String).to_list()
    # 4 official documents and 5 copies, 13 kz relations for a referendum, 1 skipped at S4
    assert out["relations"].height == 9 * 13 - 1


def test_results(out: dict[str, pl.DataFrame]) -> None:
    """National copy tally over S1-S3: yes 400+400+300, no 150+150+180."""
    r = {(x["scope"], x["option"]): x for x in out["results"].iter_rows(named=True)}
    yes, no = r[("national", "votes_yes")], r[("national", "votes_no")]
    assert (yes["official_votes"], yes["copy_votes"], no["official_votes"], no["copy_votes"]) == (1150, 1100, 400, 480)
    assert yes["official_share"] == pytest.approx(1150 / 1550)
    assert yes["copy_share"] == pytest.approx(1100 / 1580)
    assert yes["stations_with_copy"] == 3
    assert (yes["total_official_votes"], yes["mixed_votes"]) == (1200, 1150)  # S4 adds 50 yes
    assert r[("AST", "votes_yes")]["copy_votes"] == 800


def test_shift_by_option(out: dict[str, pl.DataFrame]) -> None:
    """Only S2 is a material change: +50 yes, −50 no."""
    assert out["shift_by_option"].rows() == [("votes_yes", 50, 1), ("votes_no", -50, 1)]


def test_violation_rates(out: dict[str, pl.DataFrame]) -> None:
    """Item and section rates per observed station; na does not count as observed."""
    item = _by(out["violations_by_item"], "item")
    assert (item["PRE_BOX_NOT_EMPTY"]["observed_stations"], item["PRE_BOX_NOT_EMPTY"]["stations_with"]) == (2, 1)
    assert (item["ROOM_CAMPAIGN_MATERIAL"]["observed_stations"], item["ROOM_CAMPAIGN_MATERIAL"]["stations_with"]) == (2, 1)
    # Wilson 95 % for 1 of 2: centre (0.5 + z²/4)/(1 + z²/2) = 0.5, half-width 0.405469
    assert item["PRE_BOX_NOT_EMPTY"]["lo"] == pytest.approx(0.0945312, abs=1e-6)
    assert item["PRE_BOX_NOT_EMPTY"]["hi"] == pytest.approx(0.9054688, abs=1e-6)
    section = _by(out["violations_by_section"], "section")
    assert {k: (v["observed_stations"], v["stations_with"]) for k, v in section.items()} == {1: (2, 1), 2: (2, 1), 5: (1, 1)}
    region = _by(out["violations_by_region"], "region_code")
    assert (region["AST"]["observed_stations"], region["AST"]["stations_with"]) == (2, 2)
    assert region["AST"]["violation_index"] == pytest.approx((3 / 4 + 3 / 6) / 2)  # S1 3/(3+1), S2 3/(3+3)
    assert region["ALA"]["violation_index"] == pytest.approx(1.0)  # S3: its only item is yes
    org = _by(out["violations_by_org_type"], "org_type")
    assert (org["ngo"]["observed_stations"], org["ngo"]["stations_with"]) == (3, 3)
    assert (org["party"]["observed_stations"], org["party"]["stations_with"], org["party"]["lo"]) == (1, 0, 0.0)


def test_incident_rates_by_hour_and_status(out: dict[str, pl.DataFrame]) -> None:
    """15:00 UTC is 20:00 in Almaty, 18:00 UTC is 23:00; rejected and unobserved stations drop out."""
    hours = _by(out["violations_by_hour"], "hour")
    assert out["violations_by_hour"].height == 24
    assert (hours[20]["stations_with"], hours[23]["stations_with"], hours[15]["stations_with"]) == (1, 1, 0)
    assert hours[20]["observed_stations"] == 3
    status = _by(out["violations_by_status"], "status")
    assert (status["verified"]["stations_with"], status["reported"]["stations_with"]) == (1, 2)
    assert status["reported"]["rate"] == pytest.approx(2 / 3)


def test_station_status(out: dict[str, pl.DataFrame]) -> None:
    """Flags, index and incident counts per station."""
    s = _by(out["station_status"], "station_id")
    assert s["S2"]["copy_refused"] and not s["S1"]["copy_refused"]
    assert s["S4"]["observed"] and not s["S4"]["has_checklist"]  # only an 'na' answer
    assert (s["S1"]["incidents"], s["S3"]["incidents"], s["S4"]["incidents"]) == (2, 0, 1)
    assert s["S1"]["violation_index"] == pytest.approx(0.75)
    assert s["S3"]["turnout"] == pytest.approx(500 / 800)


def test_coverage(out: dict[str, pl.DataFrame]) -> None:
    """Nationally 3 of 4 stations have a copy (2800 of 3000 voters); 1 of 4 observed refused."""
    c = _by(out["coverage"], "scope")["national"]
    assert (c["stations"], c["voters"], c["observed"], c["checklist"], c["copy"], c["official"]) == (4, 3000, 4, 3, 3, 4)
    assert c["copy_share"] == pytest.approx(0.75)
    assert c["copy_voters_share"] == pytest.approx(2800 / 3000)
    assert (c["copy_refused"], c["copy_refused_share"]) == (1, pytest.approx(0.25))


def test_estimate_by_hand(out: dict[str, pl.DataFrame]) -> None:
    """Strata AST (2000 voters: S1, S2 copies) and ALA (1000 voters: S3 copy).

    R_AST(yes) = 800/1100, R_ALA(yes) = 300/480; estimate = 2/3 · 800/1100 + 1/3 · 300/480.
    Both strata have no sampling variance (AST fully sampled, ALA one station).
    """
    e = _by(out["estimate"], "option")
    assert e["votes_yes"]["estimate"] == pytest.approx(2 / 3 * 800 / 1100 + 1 / 3 * 300 / 480)
    assert e["votes_yes"]["moe"] == 0.0
    assert e["votes_yes"]["official_share"] == pytest.approx(0.75)
    assert not e["votes_yes"]["within"]


def test_estimate_variance_by_hand() -> None:
    """One stratum of 4 stations, 2 sampled: yes 60/100 and 40/100 → R 0.5, s² = 200, var = ½·200/(2·100²)."""
    tables = tiny()
    tables["stations"] = tables["stations"].with_columns(pl.lit("AST").alias("region_code"))
    tables["protocol_copies"] = copy_rows([
        ("C1", "S1", "o", "ngo", figures(issued=100, yes=60, no=40, invalid=0, vnc=0)),
        ("C2", "S2", "o", "ngo", figures(issued=100, yes=40, no=60, invalid=0, vnc=0)),
    ])
    est = _by(compute_all(lazy(tables), PROFILE, ELECTION)["estimate"], "option")["votes_yes"]
    assert est["estimate"] == pytest.approx(0.5)
    assert est["moe"] == pytest.approx(1.959963984540054 * math.sqrt(0.5 * 200 / (2 * 100**2)))


def test_estimate_empty_without_random_sample() -> None:
    """No random sample, no estimate (but the columns are there)."""
    est = compute_all(lazy(tiny()), PROFILE, {**ELECTION, "random_sample": False})["estimate"]
    assert est.height == 0 and {"option", "estimate", "moe", "official_share", "within"} <= set(est.columns)


def test_summary(out: dict[str, pl.DataFrame]) -> None:
    """One national row; classes counted; turnout over reporting stations."""
    s = out["summary"].row(0, named=True)
    assert (s["stations"], s["registered"], s["issued"], s["incidents"]) == (4, 3000, 1800, 4)
    assert s["turnout"] == pytest.approx(0.6)
    assert s["stations_by_class"] == {
        "match": 1, "transcription_suspect": 1, "material_change": 1, "copies_disagree": 0, "no_official": 0, "no_copy": 1,
    }
    assert s["violation_rate"] == pytest.approx(1.0) and s["copy_share"] == pytest.approx(0.75)
    assert out["region_summary"]["region_code"].to_list() == ["ALA", "AST"]


def test_consensus_tie_breaks() -> None:
    """Tied figures: the copy passing more relations wins; then the lowest copy_id."""
    tables = tiny()
    tables["protocol_copies"] = copy_rows([
        ("C9", "S1", "ngo_a", "ngo", figures(no=180)),   # breaks the box composition
        ("C8", "S1", "party_b", "party", figures()),
        ("C3", "S2", "ngo_a", "ngo", figures()),           # 400 / 150
        ("C4", "S2", "party_b", "party", figures(yes=450, no=100)),  # equals the official
    ])
    out = compute_all(lazy(tables), PROFILE, ELECTION)
    lines = out["discrepancy_lines"].filter(pl.col("line") == "votes_no")
    assert _by(lines, "station_id")["S1"]["consensus"] == 150
    assert _by(lines, "station_id")["S1"]["orgs_differ"] == "ngo_a"
    assert _by(lines, "station_id")["S2"]["consensus"] == 150  # C3 < C4
    classes = dict(out["station_discrepancy"].select("station_id", "class").iter_rows())
    assert classes["S1"] == "match"
    assert classes["S2"] == "copies_disagree"
    assert classes["S3"] == "no_copy"


def test_latest_official_and_no_official() -> None:
    """A later publication replaces the earlier one; a station with copies only is no_official."""
    tables = tiny()
    tables["protocol_official"] = pl.concat([
        official_rows({"S2": figures()}, snapshot="preliminary", at=T0),
        official_rows({"S1": figures(), "S2": figures(yes=450, no=100)}, snapshot="final", at=T1),
    ])
    classes = dict(compute_all(lazy(tables), PROFILE, ELECTION)["station_discrepancy"].select("station_id", "class").iter_rows())
    assert classes == {"S1": "match", "S2": "material_change", "S3": "no_official", "S4": "no_copy"}


def test_single_slip_on_unconstrained_line_is_transcription() -> None:
    """voters_on_list 1000 → 1300 in the copy breaks no E relation but is a one-digit slip."""
    tables = tiny()
    tables["protocol_copies"] = copy_rows([("C1", "S1", "ngo_a", "ngo", figures(on_list=1300))])
    classes = dict(compute_all(lazy(tables), PROFILE, ELECTION)["station_discrepancy"].select("station_id", "class").iter_rows())
    assert classes["S1"] == "transcription_suspect"


def test_transposition() -> None:
    """is_slip: one digit, adjacent swap yes; two digits or distant swap no."""
    from saylau.metrics.discrepancy import is_slip

    frame = pl.DataFrame({"a": [123, 123, 123, 123, 5, 1200], "b": [128, 132, 321, 145, 15, 2100]})
    assert frame.select(is_slip(pl.col("a"), pl.col("b")))["a"].to_list() == [True, True, False, False, True, True]


def test_region_filter(out: dict[str, pl.DataFrame]) -> None:
    """region keeps only that region's stations in every table."""
    ala = compute_all(lazy(tiny()), PROFILE, ELECTION, region="ALA")
    assert ala["station_status"]["station_id"].to_list() == ["S3", "S4"]
    assert set(ala["relations"]["station_id"]) == {"S3", "S4"}
    assert ala["summary"]["stations"].item() == 2
    assert set(ala["results"]["scope"]) == {"national", "ALA"}


def test_command_json_and_parquet(tmp_path, capsys) -> None:
    """``saylau metrics --json`` prints the summary; ``--out`` writes every table as Parquet."""
    import argparse
    import json

    from saylau import store
    from saylau.metrics import command

    snap = store.write_snapshot(tiny(), {"profile": "kz", "election": ELECTION}, root=tmp_path, snapshot_id="t")
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    assert command.run(parser.parse_args(["--snapshot", str(snap), "--json", "--out", str(tmp_path / "m")])) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["stations"] == 4 and printed["result"]["votes_yes"] == pytest.approx(0.75)
    assert printed["stations_by_class"]["material_change"] == 1
    written = pl.read_parquet(tmp_path / "m" / "station_discrepancy.parquet")
    assert {"station_id", "class"} <= set(written.columns)
    assert {p.stem for p in (tmp_path / "m").glob("*.parquet")} == set(TABLES)
