"""Presentation shaping of the station drill-down, on tiny hand-made frames."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from polars.testing import assert_frame_equal

from saylau.views import station_data as sd

LINES = ("voters_on_list", "ballots_issued", "votes_yes", "votes_no")
NAMES = {"voters_on_list": "On list", "ballots_issued": "Issued", "votes_yes": "Yes", "votes_no": "No"}
PRELIM = datetime(2026, 3, 16, 1, tzinfo=UTC)
FINAL = datetime(2026, 3, 22, 6, tzinfo=UTC)


def fmt(value: int) -> str:
    """Format like the English interface."""
    return f"{value:,}"


def official() -> pl.DataFrame:
    """Two publications of station S1; the final one moves 10 votes from no to yes."""
    rows = [("S1", "preliminary", line, value, PRELIM) for line, value in
            (("voters_on_list", 1200), ("ballots_issued", 900), ("votes_yes", 600), ("votes_no", 280))]
    rows += [("S1", "final", line, value, FINAL) for line, value in
             (("voters_on_list", 1200), ("ballots_issued", 900), ("votes_yes", 610), ("votes_no", 270))]
    rows.append(("S2", "final", "votes_yes", 5, FINAL))
    return pl.DataFrame(rows, schema=["station_id", "snapshot_id", "line", "value", "published_at"], orient="row")


def copies() -> pl.DataFrame:
    """Two copies of S1 from the same organisation and one from another; one copy differs on votes_yes."""
    rows = []
    for copy_id, org, org_type, yes in (("C1", "Watch", "ngo", 600), ("C2", "Watch", "ngo", 610), ("C3", "Party A", "party", 610)):
        for line, value in (("voters_on_list", 1200), ("ballots_issued", 900), ("votes_yes", yes), ("votes_no", 270)):
            rows.append((copy_id, "S1", org, org_type, line, value, "ab" * 32 if copy_id == "C1" else None))
    return pl.DataFrame(rows, schema=["copy_id", "station_id", "source_org", "org_type", "line", "value", "evidence_sha256"],
                        orient="row").with_columns(
        pl.lit(datetime(2026, 3, 15, 18, tzinfo=UTC)).alias("obtained_at"), pl.lit(True).alias("signed"),
        pl.lit(True).alias("sealed"), pl.lit(None, pl.Boolean).alias("words_match"))


def test_copy_labels_number_repeated_organisations():
    """A copy is labelled by organisation and type, numbered when one organisation holds several."""
    labels = sd.copy_labels(copies(), "S1", {"ngo": "NGO", "party": "party"})
    assert labels == {"C3": "Party A (party)", "C1": "Watch (NGO) #1", "C2": "Watch (NGO) #2"}


def test_publication_table_marks_revisions():
    """Publications sit side by side, oldest first; a changed figure carries Δ and the line is flagged."""
    table = sd.publication_table(official(), "S1", LINES, NAMES, fmt)
    assert table.columns == ["code", "line", "preliminary", "final", "revised"]
    yes = table.filter(pl.col("code") == "votes_yes").row(0, named=True)
    assert yes == {"code": "votes_yes", "line": "Yes", "preliminary": "600", "final": "Δ 610", "revised": "Δ"}
    assert table.filter(pl.col("code") == "voters_on_list")["revised"].item() == ""


def test_comparison_table_marks_differences():
    """Every copy stands beside the latest official figure; differing figures and lines carry ≠."""
    labels = sd.copy_labels(copies(), "S1", {"ngo": "NGO", "party": "party"})
    lines = pl.DataFrame({"station_id": ["S1"], "line": ["votes_yes"], "diff": [0]})
    table = sd.comparison_table(official(), copies(), lines, "S1", LINES, NAMES, labels, fmt)
    yes = table.filter(pl.col("code") == "votes_yes").row(0, named=True)
    assert yes["official"] == "610"
    assert yes["Watch (NGO) #1"] == "600 ≠"
    assert yes["Watch (NGO) #2"] == "610"
    assert yes["mark"] == "≠" and yes["diff"] == "0"
    on_list = table.filter(pl.col("code") == "voters_on_list").row(0, named=True)
    assert on_list["mark"] == "=" and on_list["diff"] == "—"
    assert table["code"].to_list() == list(LINES)


def test_copy_documents_count_failed_relations_and_keep_hashes():
    """Each copy lists its evidence hash and how many relations it failed (null results are not failures)."""
    labels = {"C1": "Watch #1", "C2": "Watch #2"}
    relations = pl.DataFrame({"station_id": ["S1"] * 3, "document": ["C1", "C1", "C2"], "passed": [False, None, True]})
    docs = sd.copy_documents(copies(), relations, "S1", labels)
    assert docs["document"].to_list() == ["Watch #1", "Watch #2"]
    assert docs["relations_failed"].to_list() == [1, 0]
    assert docs["evidence_sha256"].to_list() == ["ab" * 32, ""]


def test_relation_table_orders_documents_and_words_results():
    """Official first, failures first within a document, relation text and result words from the caller."""
    relations = pl.DataFrame({
        "station_id": ["S1"] * 3, "document": ["C1", "official", "official"], "source_org": ["Watch", None, None],
        "relation": ["R_A", "R_B", "R_A"], "severity": ["E", "W", "E"], "expected": [1.0, 2.0, 3.0],
        "actual": [1.0, 5.0, 3.0], "passed": [True, False, True],
    })
    table = sd.relation_table(relations, "S1", {"official": "Official", "C1": "Watch"}, {"R_A": "A holds"},
                              {True: "ok", False: "FAIL"})
    assert table.select("document", "relation", "result").rows() == [
        ("Official", "R_B", "FAIL"), ("Official", "A holds", "ok"), ("Watch", "A holds", "ok")]


def test_checklist_table_and_visits():
    """Answers are laid out per organisation with a ⚠ on items seen; visits keep the organisation, never a person."""
    at = datetime(2026, 3, 15, 3, tzinfo=UTC)
    checklists = pl.DataFrame({
        "station_id": ["S1"] * 3, "observer_org": ["Watch", "Watch", "Party A"], "item": ["I2", "I1", "I1"],
        "org_type": ["ngo", "ngo", "party"], "arrived_at": [at] * 3, "left_at": [at] * 3, "answer": ["yes", "no", "na"],
    })
    table = sd.checklist_table(checklists, "S1", ["I1", "I2"], {"I1": "Item one"}, {"yes": "Y", "no": "N", "na": "-"})
    expected = pl.DataFrame({"code": ["I1", "I2"], "item": ["Item one", "I2"], "Party A": ["-", "—"], "Watch": ["N", "Y"],
                             "mark": ["", "⚠"]})
    assert_frame_equal(table, expected)
    assert sd.observer_visits(checklists, "S1").columns == ["organisation", "org_type", "arrived_at", "left_at"]


def test_labels_rows_relabel_and_notable():
    """Search labels, row lookup, relabelling and the notable list behave on edge cases."""
    stations = pl.DataFrame({"station_id": ["S2", "S1"], "number": [2, 1], "tec": ["T", "T"], "address": [None, "Main st 1"]})
    assert sd.station_labels(stations) == {"S1": "S1 · № 1 · T · Main st 1", "S2": "S2 · № 2 · T"}
    assert list(sd.station_labels(stations)) == ["S2", "S1"]  # the frame's order: search results come best first
    assert sd.station_row(stations, "S9") is None
    assert sd.station_row(stations, "S1")["number"] == 1
    relabelled = sd.relabel(pl.DataFrame({"kind": ["a", "b"]}), {"kind": {"a": "Alpha"}})
    assert relabelled["kind"].to_list() == ["Alpha", "b"]
    status = pl.DataFrame({"station_id": ["S1", "S2", "S3", "S4"], "region_code": ["R"] * 4,
                           "disc_class": ["match", "transcription_suspect", "material_change", "no_copy"],
                           "incidents": pl.Series([9, 0, 1, 0], dtype=pl.UInt32)})
    notable = sd.notable_stations(status, 10, lambda s: f"/station?id={s}")
    assert notable["station_id"].to_list() == ["S3", "S2", "S1"]
    assert notable["link"][0] == "/station?id=S3"


def test_search_matches_every_word_in_any_case_exact_first():
    """Every word must occur in the id, number, commission or address; the whole query as id or number ranks first."""
    stations = pl.DataFrame({
        "station_id": ["KZ-71-12", "KZ-71-112", "KZ-75-7", "KZ-75-8"], "number": [12, 112, 7, 8],
        "tec": ["Esil", "Esil", "Almaly", "Almaly"], "address": ["Abai ave 12", None, "Abai ave 112", "Tole bi 3"],
    })

    def ids(query: str, limit: int = 10) -> tuple[list[str], int]:
        found, total = sd.search_stations(stations, query, limit)
        return found["station_id"].to_list(), total

    assert ids("112") == (["KZ-71-112", "KZ-75-7"], 2)  # the number 112 first, then the address
    assert ids("12") == (["KZ-71-12", "KZ-71-112", "KZ-75-7"], 3)
    assert ids("№ 12") == ids("#12") == ids("12")
    assert ids("abai ALMALY") == (["KZ-75-7"], 1)
    assert ids("kz-75") == (["KZ-75-7", "KZ-75-8"], 2)
    assert ids("kz", limit=1) == (["KZ-71-112"], 4)
    assert ids("   ") == ([], 0)
    assert ids("[x](y)") == ([], 0)  # literal text, not a pattern


def test_incidents_and_revisions_of_one_station():
    """Incident rows keep the text verbatim; revisions get line labels and a signed change."""
    incidents = pl.DataFrame({
        "incident_id": ["I2", "I1", "X"], "station_id": ["S1", "S1", "S2"], "observed_at": [FINAL, PRELIM, PRELIM],
        "code": ["C", "C", "C"], "severity": [1, 2, 3], "status": ["reported"] * 3, "org_type": ["ngo"] * 3,
        "act_filed": [False] * 3, "complaint_status": ["none"] * 3, "text": ["<b>x</b>", "=HYPERLINK(1)", None],
    })
    table = sd.incident_table(incidents, "S1", {"C": "Code"})
    assert table["incident_id"].to_list() == ["I1", "I2"]
    assert table["text"].to_list() == ["=HYPERLINK(1)", "<b>x</b>"]
    revisions = pl.DataFrame({"station_id": ["S1"], "line": ["votes_yes"], "old_value": pl.Series([600], dtype=pl.UInt32),
                              "new_value": pl.Series([590], dtype=pl.UInt32), "old_snapshot_id": ["p"],
                              "new_snapshot_id": ["f"], "revised_at": [FINAL]})
    row = sd.station_revisions(revisions, "S1", NAMES).row(0, named=True)
    assert (row["line"], row["code"], row["change"]) == ("Yes", "votes_yes", -10)
