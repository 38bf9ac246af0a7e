"""Ingest pipeline: read a source, map, validate, build canonical tables and publish a snapshot.

``ingest_raw`` turns one text frame into canonical tables plus quarantine; ``run_sources``
reads every source of a ``sources.toml`` (station registers first), carries the previous
snapshot forward (official publications are appended, other tables upserted by key) and
writes one new immutable snapshot. Nothing is published when no source yields an accepted
record, so a failed, partial or empty pull never replaces the last good snapshot.
"""

from __future__ import annotations

import json
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from saylau import schema, store
from saylau.ingest import files
from saylau.ingest.mapping import Mapping, Plan, load_mapping, resolve
from saylau.ingest.quarantine import SourceError, message
from saylau.ingest.secrets import get_secret, mask
from saylau.ingest.validate import RECORD_NO, Checked, check, quarantine_frame, whole_number_sources
from saylau.profiles import Profile, load_profile

STATE_FILE = "ingest_state.json"
SOURCE_ORDER = {"stations": 0, "official": 1}
HTTP_OPTIONS = ("timeout", "retries", "backoff", "max_wait", "max_bytes")
UPSERT_KEYS = {
    "stations": ("station_id",),
    "protocol_copies": ("copy_id", "line"),
    "incidents": ("incident_id",),
    "checklists": ("station_id", "observer_org", "item"),
}
PROVEN_UNIQUE = frozenset({"protocol_official", "stations"})  # keys unique by construction, see ``publish``
PHONE_OR_IIN = r"\+?\d[\d\s\-()]{8,}\d"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")


@dataclass
class SourceResult:
    """What one source gave: counts, status, tables and quarantine."""

    name: str
    kind: str
    table: str = ""
    status: str = "ok"
    records: int = 0
    accepted: int = 0
    quarantined: int = 0
    excluded: int = 0
    extra_columns: tuple[str, ...] = ()
    error: str | None = None
    error_value: str | None = None  # what the rule's message is filled with, so a page can say it in its language
    rule_id: str | None = None
    retrieved_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    tables: dict[str, store.Frame] = field(default_factory=dict)
    quarantine: pl.DataFrame = field(default_factory=lambda: schema.empty("quarantine"))
    options: dict[str, str] = field(default_factory=dict)
    election: dict[str, Any] = field(default_factory=dict)
    station_records: pl.DataFrame | None = None  # official sources: record_no and station_id of each accepted record
    station_column: str = ""  # official sources: the source column(s) of the station key, for quarantine rows

    def summary(self) -> dict[str, Any]:
        """Return the manifest / JSON entry of this source."""
        return {
            "name": self.name, "kind": self.kind, "table": self.table, "status": self.status,
            "retrieved_at": store.iso(self.retrieved_at), "records": self.records, "accepted": self.accepted,
            "quarantined": self.quarantined, "excluded": self.excluded, "extra_columns": list(self.extra_columns),
            "rule_id": self.rule_id, "error": self.error, "error_value": self.error_value,
        }


def _col(plan: Plan, target: str, default: Any = None, dtype: pl.DataType | None = None) -> pl.Expr:
    """Expression for a canonical field: its stage column, its constant, or a default."""
    cols = [c.name for c in plan.columns if c.target == target]
    name = target.split(":")[-1]
    if cols:
        expr = pl.col(cols[0])
    elif name in plan.mapping.constants:
        expr = pl.lit(plan.mapping.constants[name])
    else:
        expr = pl.lit(default)
    return (expr.cast(dtype) if dtype is not None else expr).alias(name)


def _lines(plan: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in plan.by_target("line:"):
        out.setdefault(c.target[5:], []).append(c.name)
    return out


def _long_lines(plan: Plan, good: pl.DataFrame, ids: list[pl.Expr]) -> pl.LazyFrame:
    """Stack the summed protocol lines of accepted records into (ids..., line, value), ``line`` Categorical.

    Lazy, one block per line with the code as a Categorical literal: the long rows are built only
    while the snapshot streams them into Parquet, and no long String column of line codes exists.
    """
    wide = good.lazy()
    blocks = [
        wide.select(*ids, pl.lit(line).cast(pl.Categorical).alias("line"),
                    pl.sum_horizontal(cols).cast(pl.UInt32).alias("value"))
        for line, cols in _lines(plan).items()
    ]
    empty = wide.clear().select(*ids, pl.lit(None, pl.Categorical).alias("line"), pl.lit(None, pl.UInt32).alias("value"))
    return pl.concat(blocks) if blocks else empty


def _wide_lines(plan: Plan, good: pl.DataFrame, ids: list[pl.Expr]) -> pl.LazyFrame:
    """Give the summed protocol lines of accepted records one UInt32 column per line code, lazily.

    This is the stored form of ``protocol_official`` (see ``saylau.store``), built only while the
    snapshot streams it into Parquet.
    """
    return good.lazy().select(*ids, *(pl.sum_horizontal(cols).cast(pl.UInt32).alias(line)
                                      for line, cols in _lines(plan).items()))


def _record_ids(plan: Plan, target: str, source: str) -> pl.Expr:
    fallback = pl.concat_str(pl.lit(f"{source}:"), pl.col(RECORD_NO).cast(pl.String))
    cols = [c.name for c in plan.columns if c.target == target]
    return (pl.col(cols[0]) if cols else fallback).alias(target.split(":")[-1])


def station_number(plan: Plan) -> pl.Expr:
    """Station number: the mapped number column, else the last key part when numeric, else 0."""
    if plan.by_target("number"):
        return _col(plan, "number").cast(pl.Int64)
    last = pl.col(plan.by_target("station_id")[0].name).str.split(plan.mapping.separator).list.last()
    return last.cast(pl.Int64, strict=False).fill_null(0).alias("number")


def official_tables(plan: Plan, good: pl.DataFrame, publication: str, at: datetime,
                    derive_stations: bool) -> dict[str, store.Frame]:
    """Build ``protocol_official`` and derived ``stations`` from accepted records, both lazy.

    A wide source gives ``protocol_official`` in the store's wide form, a long source as long
    rows. Every accepted record has a distinct station (wide sources) or station and line (long
    sources): the stage's primary key quarantines repeats, and line codes are distinct
    (``mapping.resolve``), so the rows need no duplicate check of their own. The
    stations (e.g. the number split off the key) are computed only while they stream into
    the snapshot, a morsel at a time.
    """
    sid = pl.col(plan.by_target("station_id")[0].name).alias("station_id")
    ids = [sid, pl.lit(publication).cast(pl.Categorical).alias("snapshot_id"), pl.lit(at).alias("published_at")]
    if plan.mapping.long:
        official = good.lazy().select(*ids, _col(plan, "long_line").alias("line"),
                                      _col(plan, "long_value", dtype=pl.UInt32).alias("value"))
        out = {"protocol_official": official.select(schema.ProtocolOfficial.column_names())}
    else:
        out = {"protocol_official": _wide_lines(plan, good, ids)}
    if derive_stations:
        voters = _lines(plan).get("voters_on_list")
        registered = pl.sum_horizontal(voters) if voters else pl.lit(0)
        base = good.lazy().select(sid, _col(plan, "region", ""), _col(plan, "tec", ""), station_number(plan),
                                  registered.cast(pl.UInt32).alias("registered_voters"))
        if plan.mapping.long:
            reg = (official.filter(pl.col("line") == "voters_on_list")
                   .group_by("station_id").agg(pl.col("value").sum().alias("registered_voters")))
            base = base.drop("registered_voters").unique("station_id", keep="first").join(reg, on="station_id", how="left")
        out["stations"] = (
            base.rename({"region": "region_code"})
            .with_columns(pl.col("registered_voters").fill_null(0), pl.lit("regular").alias("kind"),
                          pl.lit(None, pl.Boolean).alias("urban"), pl.lit(None, pl.Float64).alias("lat"),
                          pl.lit(None, pl.Float64).alias("lon"), pl.lit(None, pl.String).alias("address"))
            .select(schema.Station.column_names())
        )
    return out


def station_table(plan: Plan, good: pl.DataFrame) -> pl.DataFrame:
    """Build ``stations`` from a station register."""
    return good.select(
        pl.col(plan.by_target("station_id")[0].name).alias("station_id"),
        _col(plan, "region", "").alias("region_code"), _col(plan, "tec", ""), station_number(plan),
        _col(plan, "field:kind", "regular"), _col(plan, "field:urban", None, pl.Boolean),
        _col(plan, "field:registered_voters", 0, pl.UInt32).alias("registered_voters"),
        _col(plan, "field:lat", None, pl.Float64), _col(plan, "field:lon", None, pl.Float64),
        _col(plan, "field:address", None, pl.String),
    )


def copy_table(plan: Plan, good: pl.DataFrame, source: str) -> pl.LazyFrame:
    """Build ``protocol_copies`` (one row per copy and line) from accepted records."""
    ids = [_record_ids(plan, "field:copy_id", source), pl.col(plan.by_target("station_id")[0].name).alias("station_id"),
           _col(plan, "field:source_org"), _col(plan, "field:org_type"), _col(plan, "field:obtained_at", None, pl.Datetime("us", "UTC")),
           _col(plan, "field:words_match", None, pl.Boolean), _col(plan, "field:signed", None, pl.Boolean),
           _col(plan, "field:sealed", None, pl.Boolean), _col(plan, "field:evidence_sha256", None, pl.String)]
    return _long_lines(plan, good, ids).select(schema.ProtocolCopy.column_names())


def incident_table(plan: Plan, good: pl.DataFrame, source: str, profile: Profile) -> pl.DataFrame:
    """Build ``incidents``; section and severity come from the profile's checklist item."""
    items = profile.items_frame().select(pl.col("item").alias("code"), "section", "severity")
    return good.select(
        _record_ids(plan, "field:incident_id", source), pl.col(plan.by_target("station_id")[0].name).alias("station_id"),
        _col(plan, "field:observed_at"), _col(plan, "field:code"), _col(plan, "field:status", "reported"),
        _col(plan, "field:org_type"), _col(plan, "field:text", None, pl.String).str.replace_all(PHONE_OR_IIN, "[removed]"),
        _col(plan, "field:lang", None, pl.String), _col(plan, "field:act_filed", False, pl.Boolean),
        _col(plan, "field:complaint_status", "none"),
    ).join(items, on="code", how="left").select(schema.Incident.column_names())


def checklist_table(plan: Plan, good: pl.DataFrame, codes: tuple[str, ...]) -> pl.DataFrame:
    """Build long ``checklists`` rows from answer columns and/or a select_multiple of item codes."""
    answers = {c.target[5:]: pl.col(c.name).fill_null("na") for c in plan.by_target("item:")}
    selected = plan.by_target("selected")
    if selected:
        picked = pl.col(selected[0].name).fill_null([])
        answers.update({code: pl.when(picked.list.contains(code)).then(pl.lit("yes")).otherwise(pl.lit("no"))
                        for code in codes if code not in answers})
    ids = [pl.col(plan.by_target("station_id")[0].name).alias("station_id"), _col(plan, "field:observer_org"),
           _col(plan, "field:org_type"), _col(plan, "field:arrived_at", None, pl.Datetime("us", "UTC")),
           _col(plan, "field:left_at", None, pl.Datetime("us", "UTC"))]
    wide = good.select(*ids, *(expr.alias(f"item:{code}") for code, expr in answers.items()))
    index = [e.meta.output_name() for e in ids]
    return (wide.unpivot(index=index, variable_name="item", value_name="answer")
            .with_columns(pl.col("item").str.strip_prefix("item:"))
            .select(schema.Checklist.column_names()))


def vocabularies(plan: Plan, register: pl.Series | None, profile: Profile) -> dict[str, pl.Series]:
    """Allowed values per stage target: the station register, checklist item codes."""
    items = pl.Series([i.code for i in profile.items], dtype=pl.String)
    vocab = {"field:code": items, "selected": pl.Series(plan.mapping.item_codes or items, dtype=pl.String)}
    if register is not None and plan.mapping.table != "stations":
        vocab["station_id"] = register
    return vocab


def ingest_raw(raw: files.RawSource, mapping: Mapping, result: SourceResult, publication: str,
               register: pl.Series | None, profile: Profile) -> SourceResult:
    """Map and validate one source read as text; fill the result's tables and counts.

    A CSV is first read with its count columns parsed by the CSV reader, which stops at the
    first cell that is not a plain whole number; its records then stage to the same values as
    their text would. The text is read (again) when that fails or when any record is quarantined,
    so every quarantine row quotes the raw value as written.
    """
    plan = resolve(mapping, raw.header)
    vocab = vocabularies(plan, register, profile)
    typed = raw.collect_whole(plan.sources, whole_number_sources(plan))
    checked: Checked | None = None if typed is None else check(typed, plan, result.name, vocab)
    if checked is None or checked.quarantined:  # quarantine rows quote the text as written, so read it
        checked = check(raw.collect(plan.sources), plan, result.name, vocab)
    if checked.records == 0:
        raise SourceError("empty_source")
    good = checked.good
    table = mapping.table
    key = plan.by_target("station_id")[0]
    station_records = None
    if table == "official":
        tables = official_tables(plan, good, publication, result.retrieved_at, derive_stations=register is None)
        station_records = good.select(pl.col(RECORD_NO).alias("record_no"), pl.col(key.name).alias("station_id"))
    elif table == "stations":
        tables = {"stations": station_table(plan, good)}
    elif table == "copies":
        tables = {"protocol_copies": copy_table(plan, good, result.name)}
    elif table == "incidents":
        tables = {"incidents": incident_table(plan, good, result.name, profile)}
    else:
        codes = plan.mapping.item_codes or tuple(i.code for i in profile.items)
        tables = {"checklists": checklist_table(plan, good, codes)}
    status = "ok" if checked.accepted else "rejected"
    return replace(result, table=table, status=status, records=checked.records, accepted=checked.accepted,
                   quarantined=checked.quarantined, extra_columns=plan.extra, tables=tables,
                   quarantine=checked.quarantine, options=plan.options, election=mapping.election,
                   station_records=station_records, station_column=key.label)


def hold_back_shared_stations(results: list[SourceResult]) -> list[SourceResult]:
    """Quarantine (``duplicate_key``) every accepted record of a station given by several official sources of a load.

    All official sources of one load share one publication id, so a station from two of them
    would repeat its (station, publication, line) keys; like repeats within one source, every
    such record is held back, none is silently preferred.
    """
    official = [r.station_records for r in results if r.status == "ok" and r.station_records is not None]
    if len(official) < 2:
        return results
    counts = pl.concat([keys.select(pl.col("station_id").unique()) for keys in official]).group_by("station_id").len()
    shared = counts.filter(pl.col("len") > 1)["station_id"]
    if shared.is_empty():
        return results
    return [_hold_back(r, r.station_records, shared) if r.status == "ok" and r.station_records is not None else r
            for r in results]


def _hold_back(result: SourceResult, records: pl.DataFrame, shared: pl.Series) -> SourceResult:
    """Move a source's accepted records of some stations to its quarantine."""
    held = pl.col("station_id").is_in(shared.implode())
    rows = records.filter(held).select(
        "record_no", pl.lit(result.station_column).alias("column"), pl.lit("duplicate_key").alias("rule_id"),
        pl.col("station_id").alias("raw_value"))
    if rows.is_empty():
        return result
    quarantine = pl.concat([result.quarantine, quarantine_frame(rows, result.name)]).sort("record_no", "column", "rule_id")
    accepted = result.accepted - rows.height
    return replace(result, status="ok" if accepted else "rejected", accepted=accepted,
                   quarantined=result.quarantined + rows.height, quarantine=quarantine,
                   station_records=records.filter(~held), tables={n: df.filter(~held) for n, df in result.tables.items()})


# ------------------------------------------------------------------ sources


@dataclass(frozen=True)
class SourceSpec:
    """One ``[[sources]]`` entry of sources.toml."""

    name: str
    kind: str
    location: str
    mapping: Path
    options: dict[str, Any] = field(default_factory=dict)


def load_sources(path: Path | str) -> tuple[list[SourceSpec], dict[str, Any]]:
    """Read sources.toml: the source list and the ``[settings]`` table."""
    path = Path(path)
    with path.open("rb") as f:
        raw = tomllib.load(f)
    specs = []
    for entry in raw.get("sources", []):
        entry = dict(entry)
        name, kind = entry.pop("name"), entry.pop("kind")
        location = entry.pop("url", None) or entry.pop("location", None) or entry.pop("path", "")
        if kind == "file" and location and not Path(location).is_absolute():
            location = str(path.parent / location)
        specs.append(SourceSpec(name, kind, location, path.parent / entry.pop("mapping"), entry))
    return specs, raw.get("settings", {})


def read_spec(spec: SourceSpec, mapping: Mapping, workdir: Path, state: dict[str, str],
              secrets_file: Path | None = None) -> tuple[files.RawSource | None, int, dict[str, str]]:
    """Read one source; return (raw text or None when unchanged, records left out, new state)."""
    o = spec.options
    read_opts = {"encoding": mapping.encoding, "delimiter": mapping.delimiter, "sheet": mapping.sheet,
                 "member": o.get("member", mapping.member)}
    if spec.kind == "file":
        return files.read_file(Path(spec.location), workdir, **read_opts), 0, state
    # the HTTP client (requests) is imported only for network sources; file ingests never load it
    from saylau.ingest import kobo, odk
    from saylau.ingest.http import HttpOptions, download

    http_opts = HttpOptions(**{k: o[k] for k in HTTP_OPTIONS if k in o})
    if spec.kind == "http":
        fmt = o.get("format", "json" if spec.location.split("?")[0].endswith((".json", ".ndjson")) else "csv")
        suffix = Path(spec.location.split("?")[0]).suffix or f".{fmt}"
        headers = {"Authorization": f"Bearer {get_secret(o['auth_env'], secrets_file).reveal()}"} if o.get("auth_env") else None
        got = download(spec.location, workdir / f"download{suffix}", expect=fmt, headers=headers, state=state,
                       opts=http_opts)
        new_state = {k: v for k, v in (("etag", got.etag), ("last_modified", got.last_modified)) if v}
        if got.path is None:
            return None, 0, state
        return files.read_file(got.path, workdir, **read_opts), 0, new_state
    since = state.get("since") if o.get("incremental", True) else None
    if spec.kind == "kobo":
        token = get_secret(o["auth_env"], secrets_file)
        frame, excluded, newest = kobo.pull(spec.location, o["asset"], token, since, http_opts)
    elif spec.kind == "odk":
        user = get_secret(o["user_env"], secrets_file) if o.get("user_env") else None
        headers = odk.auth_header(get_secret(o["auth_env"], secrets_file), user)
        frame, excluded, newest = odk.pull(spec.location, o["project"], o["form"], headers, since, http_opts)
    else:
        raise SourceError("bad_mapping", f"unknown source kind {spec.kind!r}")
    if frame.height == 0 and since:
        return None, excluded, state
    return files.with_record_no(frame.lazy()), excluded, ({"since": newest} if newest else {})


# ------------------------------------------------------------------ publishing


def _previous(root: Path) -> tuple[dict[str, pl.LazyFrame], dict[str, Any]]:
    """Tables (scanned lazily, never loaded, in this schema version's types) and manifest of the current snapshot.

    ``protocol_official`` comes in the store's wide form, to be carried forward as stored. A
    snapshot of an older schema version may store other types or layouts (schema 1:
    ``snapshot_id`` as String; 1 and 2: ``protocol_official`` long).
    """
    snap = store.current(root)
    if snap is None:
        return {}, {}
    tables = {name: schema.TABLES[name].cast(store.scan(snap, name)) for name in schema.TABLES
              if name != store.OFFICIAL}
    tables[store.OFFICIAL] = _stored_official_typed(store.scan_stored(snap, store.OFFICIAL))
    return tables, store.manifest(snap)


def _stored_official_typed(official: pl.LazyFrame) -> pl.LazyFrame:
    """``protocol_official`` in the store's wide form with this schema version's key types."""
    wide = official if store.is_wide(official) else store.widen(schema.ProtocolOfficial.cast(official))
    types = schema.empty(store.OFFICIAL).schema
    return wide.with_columns(pl.col(c).cast(types[c]) for c in store.OFFICIAL_INDEX)


def merge_tables(previous: dict[str, pl.LazyFrame], results: list[SourceResult]) -> dict[str, pl.LazyFrame]:
    """Carry the previous snapshot forward (lazily): append official rows, upsert the rest, renew quarantine.

    Official publications are appended in the store's wide form; publications with other
    lines leave the cells of lines they lack empty.
    """
    out = {name: previous.get(name, schema.empty(name).lazy()) for name in schema.TABLES}
    filled = set(previous)  # tables that may already hold rows
    names = {r.name for r in results}
    out["quarantine"] = pl.concat([out["quarantine"].filter(~pl.col("source").is_in(list(names))),
                                   *(schema.Quarantine.cast(r.quarantine).lazy() for r in results)])
    for r in results:
        if r.status != "ok":
            continue
        for name, df in r.tables.items():
            if name == store.OFFICIAL:
                new = _stored_official_typed(df.lazy())
                out[name] = pl.concat([out[name], new], how="diagonal") if name in filled else new
                filled.add(name)
                continue
            new = schema.TABLES[name].cast(df.lazy().select(schema.TABLES[name].column_names()))
            keys, old = UPSERT_KEYS.get(name), out[name]
            if keys and name in filled:  # upsert: drop the rows this source replaces
                old = old.join(new.select(keys), on=list(keys), how="anti", maintain_order="left")
            out[name] = pl.concat([old, new]) if name in filled else new
            filled.add(name)
    return out


def check_publication_is_new(previous: dict[str, pl.LazyFrame], publication: str) -> None:
    """Refuse a publication id the previous snapshot already holds (its official keys would repeat)."""
    official = previous.get("protocol_official")
    if official is not None and official.filter(pl.col("snapshot_id") == publication).head(1).collect().height:
        raise store.SnapshotError(f"publication {publication} is already in the current snapshot")


def election_meta(previous: dict[str, Any], results: list[SourceResult]) -> dict[str, Any]:
    """Merge the previous manifest's election with mapping ``[election]`` tables and option labels."""
    election = dict(previous.get("election") or {})
    options = {o["line"]: o for o in election.get("options", [])}
    for r in (r for r in results if r.status == "ok"):
        meta = dict(r.election)
        if isinstance(meta.get("title"), str):
            meta["title"] = dict.fromkeys(("kk", "ru", "en"), meta["title"])
        election.update(meta)
        for line, label in r.options.items():
            if line not in options:
                color = PALETTE[len(options) % len(PALETTE)]
                options[line] = {"line": line, "kk": label, "ru": label, "en": label, "color": color}
    if options:
        election["options"] = list(options.values())
    election.setdefault("status", "provisional")
    return election


def publish(results: list[SourceResult], root: Path, profile: Profile, register_source: str | None,
            publication: str) -> Path | None:
    """Write the merged snapshot when at least one source has accepted records; else None.

    The big tables (``PROVEN_UNIQUE``) are written without the store's duplicate re-check.
    ``protocol_official``: each source's accepted records have distinct keys
    (``official_tables``), no station comes from two sources of the load
    (``hold_back_shared_stations``) and the publication id is new to the snapshot.
    ``stations``: each source's rows have distinct stations (the stage's primary key, or
    ``unique`` for long sources) and ``merge_tables`` upserts them by station.
    """
    if not any(r.status == "ok" and r.accepted for r in results):
        return None
    previous, man = _previous(root)
    check_publication_is_new(previous, publication)
    tables: dict[str, store.Frame] = dict(merge_tables(previous, results))
    if not man.get("files", {}).get("regions.parquet", {}).get("rows"):
        tables["regions"] = profile.regions_frame()
    names = {r.name for r in results}
    sources = [s for s in man.get("sources", []) if s.get("name") not in names] + [r.summary() for r in results]
    meta = {"profile": man.get("profile", profile.code.lower()), "election": election_meta(man, results),
            "sources": sources, "station_register": register_source or man.get("station_register")}
    return store.write_snapshot(tables, meta, root=root, validated=True, unique=PROVEN_UNIQUE)


def _read_state(root: Path) -> dict[str, dict[str, str]]:
    path = root / STATE_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _write_state(root: Path, state: dict[str, dict[str, str]]) -> None:
    tmp = root / f".{STATE_FILE}.tmp"
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(root / STATE_FILE)


@dataclass
class RunResult:
    """Outcome of one ingest run."""

    sources: list[SourceResult]
    snapshot: Path | None
    publication: str

    @property
    def failed(self) -> bool:
        """True when any source failed or nothing could be published."""
        return self.snapshot is None or any(r.status in ("failed", "rejected") for r in self.sources)


def register_ids(root: Path, results: list[SourceResult]) -> tuple[pl.Series | None, str | None]:
    """Station ids of the register (this run's stations sources, or the previous register)."""
    run = [r for r in results if r.status == "ok" and "stations" in r.tables and r.table == "stations"]
    if run:
        return pl.concat([r.tables["stations"]["station_id"] for r in run]), run[0].name
    snap = store.current(root)
    if snap is not None and store.manifest(snap).get("station_register"):
        return store.scan(snap, "stations").select("station_id").collect()["station_id"], None
    return None, None


def run_sources(specs: list[SourceSpec], root: Path, profile_code: str = "kz",
                progress: Callable[[int, int, str], None] | None = None,
                secrets_file: Path | None = None) -> RunResult:
    """Ingest every source (registers first), publish one snapshot and keep per-source state."""
    root.mkdir(parents=True, exist_ok=True)
    profile = load_profile(profile_code)
    publication = f"ingest-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S.%fZ')}"
    state = _read_state(root)
    results: list[SourceResult] = []
    new_state: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="saylau-ingest-") as tmp:
        loaded = []
        for spec in specs:
            try:
                loaded.append((spec, load_mapping(spec.mapping)))
            except (OSError, tomllib.TOMLDecodeError, SourceError, KeyError) as exc:
                results.append(_failure(SourceResult(spec.name, spec.kind), exc))
        loaded.sort(key=lambda sm: SOURCE_ORDER.get(sm[1].table, 2))
        register_source = None
        for i, (spec, mapping) in enumerate(loaded):
            if progress:
                progress(i, len(loaded), spec.name)
            result = SourceResult(spec.name, spec.kind, table=mapping.table)
            workdir = Path(tmp) / f"s{i}"
            workdir.mkdir()
            try:
                register, reg_name = register_ids(root, results)
                register_source = register_source or reg_name
                raw, excluded, new_state[spec.name] = read_spec(spec, mapping, workdir, state.get(spec.name, {}), secrets_file)
                if raw is None:
                    result.status = "unchanged"
                else:
                    result = replace(ingest_raw(raw, mapping, result, publication, register, profile), excluded=excluded)
            except Exception as exc:  # one failing source must not stop the others
                result = _failure(result, exc)
            results.append(result)
        if progress:
            progress(len(loaded), len(loaded), "")
        register, reg_name = register_ids(root, results)
        results = hold_back_shared_stations(results)
        try:
            snapshot = publish(results, root, profile, register_source or reg_name, publication)
        except Exception as exc:
            results = [_failure(r, exc) if r.status == "ok" else r for r in results]
            snapshot = None
    if snapshot is not None:
        state.update({r.name: new_state[r.name] for r in results if r.status in ("ok", "unchanged") and r.name in new_state})
        _write_state(root, state)
    return RunResult(results, snapshot, publication)


def _failure(result: SourceResult, exc: BaseException) -> SourceResult:
    rule = exc.rule_id if isinstance(exc, SourceError) else "unreadable_source"
    value = exc.value if isinstance(exc, SourceError) else f"{type(exc).__name__}: {exc}"
    return replace(result, status="failed", rule_id=rule, error=mask(message(rule, value=value))[:500],
                   error_value=mask(value)[:500], tables={}, station_records=None,
                   quarantine=schema.empty("quarantine"), records=0, accepted=0, quarantined=0)


def ingest_file(path: Path | str, mapping: Path | str, root: Path, profile_code: str = "kz",
                name: str | None = None) -> RunResult:
    """Ingest one local file with one mapping into the data folder ``root``."""
    path = Path(path)
    spec = SourceSpec(name or path.name, "file", str(path.resolve()), Path(mapping))
    return run_sources([spec], root, profile_code)
