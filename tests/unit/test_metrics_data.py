"""Tiny hand-made canonical tables shared by the metrics tests (and a check that they are valid).

Four stations: S1 and S2 in AST, S3 and S4 in ALA. Every figure is written out here so the
expected answers in the tests can be computed by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from saylau import schema

ELECTION = {
    "id": "test-referendum",
    "kind": "referendum",
    "options": [{"line": "votes_yes"}, {"line": "votes_no"}],
    "random_sample": True,
}
T0 = datetime(2026, 3, 15, 15, 0, tzinfo=UTC)  # 20:00 in Asia/Almaty (UTC+5)
T1 = datetime(2026, 3, 15, 18, 0, tzinfo=UTC)


def figures(
    on_list: int = 1000, issued: int = 600, yes: int = 400, no: int = 150, invalid: int = 30, vnc: int = 20,
    received: int = 1010, in_boxes: int | None = None,
) -> dict[str, int]:
    """Return a referendum protocol; by default it passes every relation (boxes = issued)."""
    return {
        "voters_on_list": on_list,
        "ballots_received": received,
        "ballots_issued": issued,
        "ballots_issued_outside": 10,
        "voters_by_absentee_cert": 5,
        "ballots_unused_cancelled": received - issued,
        "ballots_in_boxes": issued if in_boxes is None else in_boxes,
        "ballots_in_mobile_boxes": 10,
        "ballots_invalid": invalid,
        "ballots_valid_not_counted": vnc,
        "votes_yes": yes,
        "votes_no": no,
    }


def stations() -> pl.DataFrame:
    """Four stations, two per region."""
    return pl.DataFrame(
        {
            "station_id": ["S1", "S2", "S3", "S4"],
            "region_code": ["AST", "AST", "ALA", "ALA"],
            "tec": ["AST-1", "AST-2", "ALA-1", "ALA-1"],
            "number": [1, 2, 3, 4],
            "kind": ["regular", "regular", "regular", "abroad"],
            "urban": [True, True, False, None],
            "registered_voters": [1000, 1000, 800, 200],
            "lat": [51.1, 51.2, 43.2, None],
            "lon": [71.4, 71.5, 76.9, None],
            "address": [None, None, None, None],
        },
        schema_overrides={"registered_voters": pl.UInt32},
    )


def official_rows(docs: dict[str, dict[str, int]], snapshot: str = "final", at: datetime = T1) -> pl.DataFrame:
    """Long official rows from {station_id: figures}."""
    rows = [(s, snapshot, line, v, at) for s, fig in docs.items() for line, v in fig.items()]
    return pl.DataFrame(
        rows, schema={"station_id": pl.String, "snapshot_id": pl.String, "line": pl.String,
                      "value": pl.UInt32, "published_at": pl.Datetime("us", "UTC")}, orient="row",
    )


def copy_rows(docs: list[tuple[str, str, str, str, dict[str, int]]]) -> pl.DataFrame:
    """Long copy rows from [(copy_id, station_id, source_org, org_type, figures)]."""
    rows = [(c, line, s, org, typ, v) for c, s, org, typ, fig in docs for line, v in fig.items()]
    frame = pl.DataFrame(
        rows, schema={"copy_id": pl.String, "line": pl.String, "station_id": pl.String, "source_org": pl.String,
                      "org_type": pl.String, "value": pl.UInt32}, orient="row",
    )
    return schema.ProtocolCopy.cast(frame.with_columns(
        pl.lit(None, pl.Datetime("us", "UTC")).alias("obtained_at"), pl.lit(None, pl.Boolean).alias("words_match"),
        pl.lit(None, pl.Boolean).alias("signed"), pl.lit(None, pl.Boolean).alias("sealed"),
        pl.lit(None, pl.String).alias("evidence_sha256"),
    ))


def checklist_rows(rows: list[tuple[str, str, str, str, str]]) -> pl.DataFrame:
    """Checklist rows from [(station_id, observer_org, org_type, item, answer)]."""
    frame = pl.DataFrame(rows, schema=["station_id", "observer_org", "org_type", "item", "answer"], orient="row")
    return schema.Checklist.cast(frame.with_columns(
        pl.lit(None, pl.Datetime("us", "UTC")).alias("arrived_at"), pl.lit(None, pl.Datetime("us", "UTC")).alias("left_at"),
    ))


def incident_rows(rows: list[tuple[str, str, datetime, str]]) -> pl.DataFrame:
    """Incidents from [(incident_id, station_id, observed_at UTC, status)]."""
    frame = pl.DataFrame(
        rows, schema={"incident_id": pl.String, "station_id": pl.String, "observed_at": pl.Datetime("us", "UTC"),
                      "status": pl.String}, orient="row",
    )
    return schema.Incident.cast(frame.with_columns(
        pl.lit("VOTE_CAROUSEL").alias("code"), pl.lit(3, pl.Int8).alias("section"), pl.lit(3, pl.Int8).alias("severity"),
        pl.lit("ngo").alias("org_type"), pl.lit(None, pl.String).alias("text"), pl.lit(None, pl.String).alias("lang"),
        pl.lit(False).alias("act_filed"), pl.lit("none").alias("complaint_status"),
    ))


def tiny() -> dict[str, pl.DataFrame]:
    """The shared tiny election.

    S1: official = both copies (match). S2: official moves 50 votes from no to yes against two
    agreeing copies (material_change). S3: one copy with a slip on votes_no 150 → 15O… written
    as 180 (one digit), which breaks the box composition (transcription_suspect). S4: no copy.
    """
    official = official_rows({
        "S1": figures(),
        "S2": figures(yes=450, no=100),
        "S3": figures(on_list=800, issued=500, yes=300, no=150, received=810),
        "S4": figures(on_list=200, issued=100, yes=50, no=0, invalid=30, received=210),
    })
    copies = copy_rows([
        ("C1", "S1", "ngo_a", "ngo", figures()),
        ("C2", "S1", "party_b", "party", figures()),
        ("C3", "S2", "ngo_a", "ngo", figures()),
        ("C4", "S2", "party_b", "party", figures()),
        ("C5", "S3", "ngo_a", "ngo", figures(on_list=800, issued=500, yes=300, no=180, received=810)),
    ])
    checklists = checklist_rows([
        ("S1", "ngo_a", "ngo", "PRE_BOX_NOT_EMPTY", "yes"),       # severity 3, section 1
        ("S1", "ngo_a", "ngo", "ROOM_CAMPAIGN_MATERIAL", "no"),   # severity 1, section 2
        ("S1", "party_b", "party", "PRE_BOX_NOT_EMPTY", "no"),
        ("S2", "ngo_a", "ngo", "PRE_BOX_NOT_EMPTY", "no"),
        ("S2", "ngo_a", "ngo", "ROOM_CAMPAIGN_MATERIAL", "na"),
        ("S2", "ngo_a", "ngo", "CNT_PROTOCOL_COPY_REFUSED", "yes"),  # severity 3, section 5
        ("S3", "ngo_a", "ngo", "ROOM_CAMPAIGN_MATERIAL", "yes"),
        ("S4", "party_b", "party", "PRE_BOX_NOT_EMPTY", "na"),
    ])
    incidents = incident_rows([
        ("I1", "S1", T0, "verified"),
        ("I2", "S1", T0, "reported"),
        ("I3", "S2", T1, "reported"),
        ("I4", "S3", T1, "rejected"),
        ("I5", "S4", T1, "reported"),   # S4 has no yes/no answer: not an observed station
    ])
    return {
        "stations": stations(),
        "protocol_official": official,
        "protocol_copies": copies,
        "checklists": checklists,
        "incidents": incidents,
    }


def lazy(tables: dict[str, pl.DataFrame]) -> dict[str, pl.LazyFrame]:
    """Return the tables as LazyFrames."""
    return {name: df.lazy() for name, df in tables.items()}


def test_tiny_tables_are_canonical() -> None:
    """Every tiny table passes its canonical schema."""
    for name, df in tiny().items():
        schema.TABLES[name].validate(df, cast=True)
