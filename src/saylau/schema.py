"""Canonical tables of a Saylau snapshot, as dataframely schemas documented field by field.

Every source (demo generator, CSV/XLSX files, HTTP, KoboToolbox, ODK Central) is mapped
onto these tables before it is stored. Tables are long and tidy: one meaning per column.
Protocol figures are one row per (document, line) so referendums and candidate or party
elections share one shape; the country profile says which lines exist.
"""

from __future__ import annotations

import dataframely as dy
import polars as pl

SCHEMA_VERSION = 3  # 3: protocol_official stored wide (see saylau.store); 2: its snapshot_id Categorical (was String)

STATION_KINDS = ("regular", "special", "abroad")
ORG_TYPES = ("party", "ngo", "media", "international")
INCIDENT_STATUSES = ("reported", "verified", "rejected")
COMPLAINT_STATUSES = ("none", "filed", "answered", "upheld", "rejected", "court")
ANSWERS = ("yes", "no", "na")
UTC = "UTC"


class Region(dy.Schema):
    """Top-level administrative units of the profile (oblasts and cities)."""

    region_code = dy.String(primary_key=True, description="Short code from the profile, e.g. 'AST'.")
    iso_code = dy.String(nullable=True, description="ISO 3166-2 code, e.g. 'KZ-71'.")
    name_kk = dy.String(nullable=False, description="Name in Kazakh.")
    name_ru = dy.String(nullable=False, description="Name in Russian.")
    name_en = dy.String(nullable=False, description="Name in English.")
    lat = dy.Float64(nullable=True, min=-90, max=90, description="Latitude of the region centre.")
    lon = dy.Float64(nullable=True, min=-180, max=180, description="Longitude of the region centre.")


class Station(dy.Schema):
    """Polling stations (precincts): the unit every metric starts from."""

    station_id = dy.String(primary_key=True, min_length=1, description="Stable key, e.g. 'KZ-71-379'.")
    region_code = dy.String(nullable=False, description="Region the station belongs to.")
    tec = dy.String(nullable=False, description="Territorial (district) commission the station reports to.")
    number = dy.Int64(nullable=False, min=0, description="Station number within its region.")
    kind = dy.Enum(STATION_KINDS, nullable=False, description="regular, special (closed) or abroad.")
    urban = dy.Bool(nullable=True, description="True for city stations, False for rural, null if unknown.")
    registered_voters = dy.UInt32(nullable=False, description="Voters on the list (latest official figure or register).")
    lat = dy.Float64(nullable=True, min=-90, max=90, description="Station latitude (station, never reporter, position).")
    lon = dy.Float64(nullable=True, min=-180, max=180, description="Station longitude.")
    address = dy.String(nullable=True, description="Public address of the station premises.")


class ProtocolOfficial(dy.Schema):
    """Officially published station figures; every publication is kept, so revisions show."""

    station_id = dy.String(primary_key=True, description="Station the figures belong to.")
    snapshot_id = dy.Categorical(primary_key=True, description="Publication the figures come from, e.g. 'preliminary'.")
    line = dy.Categorical(primary_key=True, description="Protocol line code from the profile, e.g. 'ballots_issued'.")
    value = dy.UInt32(nullable=False, description="Figure on that line (a non-negative integer).")
    published_at = dy.Datetime(nullable=False, time_zone=UTC, description="When the publication was retrieved (UTC).")


class ProtocolCopy(dy.Schema):
    """Certified protocol copies obtained by observers, one row per copy and line."""

    copy_id = dy.String(primary_key=True, description="Identifier of one physical copy.")
    line = dy.Categorical(primary_key=True, description="Protocol line code.")
    station_id = dy.String(nullable=False, description="Station whose protocol this copies.")
    source_org = dy.String(nullable=False, description="Organisation that obtained the copy (never a person).")
    org_type = dy.Enum(ORG_TYPES, nullable=False, description="party, ngo, media or international.")
    obtained_at = dy.Datetime(nullable=True, time_zone=UTC, description="When the copy was handed over (UTC).")
    value = dy.UInt32(nullable=False, description="Figure on that line of the copy.")
    words_match = dy.Bool(nullable=True, description="Figure in words equals figure in numerals (null if not captured).")
    signed = dy.Bool(nullable=True, description="Copy certified by the chair and secretary signatures.")
    sealed = dy.Bool(nullable=True, description="Copy carries the commission seal.")
    evidence_sha256 = dy.String(nullable=True, description="SHA-256 of the photo of the copy (the photo is not published).")


class Incident(dy.Schema):
    """Incident reports, aggregated and scrubbed of any observer identity."""

    incident_id = dy.String(primary_key=True, description="Identifier of the report.")
    station_id = dy.String(nullable=False, description="Station where it was observed.")
    observed_at = dy.Datetime(nullable=False, time_zone=UTC, description="When it was observed (UTC).")
    code = dy.String(nullable=False, description="Checklist item code from the profile.")
    section = dy.Int8(nullable=False, min=1, max=5, description="Checklist section 1-5.")
    severity = dy.Int8(nullable=False, min=1, max=3, description="1 minor, 2 serious, 3 critical.")
    status = dy.Enum(INCIDENT_STATUSES, nullable=False, description="reported, verified or rejected.")
    org_type = dy.Enum(ORG_TYPES, nullable=False, description="Type of the reporting organisation.")
    text = dy.String(nullable=True, description="Public free text, scrubbed; always shown as plain text.")
    lang = dy.String(nullable=True, description="Language of the text (kk, ru, en).")
    act_filed = dy.Bool(nullable=False, description="An act of violation was drawn up on the spot.")
    complaint_status = dy.Enum(COMPLAINT_STATUSES, nullable=False, description="Legal follow-up status.")


class Checklist(dy.Schema):
    """Observer checklists, long: one row per station, organisation and item."""

    station_id = dy.String(primary_key=True, description="Observed station.")
    observer_org = dy.String(primary_key=True, description="Observing organisation (never a person).")
    item = dy.String(primary_key=True, description="Checklist item code (a violation).")
    org_type = dy.Enum(ORG_TYPES, nullable=False, description="Type of the observing organisation.")
    arrived_at = dy.Datetime(nullable=True, time_zone=UTC, description="Observer arrival (UTC).")
    left_at = dy.Datetime(nullable=True, time_zone=UTC, description="Observer departure (UTC).")
    answer = dy.Enum(ANSWERS, nullable=False, description="yes = violation seen, no = not seen, na = stage not observed.")


class Quarantine(dy.Schema):
    """Rejected input: one row per failing record, column and rule; nothing is dropped silently."""

    source = dy.String(primary_key=True, description="Source name from sources.toml or the file name.")
    record_no = dy.Int64(primary_key=True, min=1, description="1-based record number in the source.")
    column = dy.String(primary_key=True, description="Source column (or canonical field) that failed.")
    rule_id = dy.String(primary_key=True, description="Identifier of the rule that failed.")
    raw_value = dy.String(nullable=True, description="Raw text as read (formula-escaped on export).")
    message = dy.String(nullable=False, description="Readable message (English; the UI translates by rule_id).")


class Truth(dy.Schema):
    """Demo only: injected manipulations, for tests. No page ever reads it."""

    station_id = dy.String(primary_key=True, description="Manipulated station.")
    scenario = dy.String(primary_key=True, description="turnout_inflation, protocol_rewrite, carousel, copy_refused, transcription_slip.")


TABLES: dict[str, type[dy.Schema]] = {
    "regions": Region,
    "stations": Station,
    "protocol_official": ProtocolOfficial,
    "protocol_copies": ProtocolCopy,
    "incidents": Incident,
    "checklists": Checklist,
    "quarantine": Quarantine,
}


def empty(table: str) -> pl.DataFrame:
    """Return an empty frame with the canonical columns and types of a table."""
    return TABLES[table].create_empty()


def field_docs(table: str) -> dict[str, str]:
    """Return {column: description} for a canonical table, for the data dictionary."""
    return {name: col.description or "" for name, col in TABLES[table].columns().items()}
