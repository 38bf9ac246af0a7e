"""Declarative TOML mappings from a source's columns to one canonical table.

A mapping names the target table, the columns that form the station key, the protocol lines
(one column, or several summed), the vote options (a list, or every column after one) and
other fields. ``resolve`` checks a mapping against a source header and returns a ``Plan``:
the typed stage columns to validate, the option labels and the ignored extra columns.
Columns that carry observer personal data can never be mapped (``PII_WORDS``).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saylau import schema
from saylau.ingest.quarantine import SourceError

MAPPED_TABLES = ("stations", "official", "copies", "incidents", "checklists")
STATION_CAP = 10_000_000  # larger than any figure a polling station can report
KEY_SEPARATOR = "/"
ENUMS: dict[str, tuple[str, ...]] = {
    "kind": schema.STATION_KINDS,
    "org_type": schema.ORG_TYPES,
    "status": schema.INCIDENT_STATUSES,
    "complaint_status": schema.COMPLAINT_STATUSES,
    "answer": schema.ANSWERS,
}
# canonical field -> (stage kind, required) for the [fields] table of each canonical table
FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "stations": {
        "registered_voters": ("count", False), "kind": ("enum:kind", False), "urban": ("bool", False),
        "lat": ("lat", False), "lon": ("lon", False), "address": ("text", False),
    },
    "official": {},
    "copies": {
        "copy_id": ("text", False), "source_org": ("text", True), "org_type": ("enum:org_type", True),
        "obtained_at": ("datetime", False), "words_match": ("bool", False), "signed": ("bool", False),
        "sealed": ("bool", False), "evidence_sha256": ("text", False),
    },
    "incidents": {
        "incident_id": ("text", False), "observed_at": ("datetime", True), "code": ("text", True),
        "status": ("enum:status", False), "org_type": ("enum:org_type", True), "text": ("text", False),
        "lang": ("text", False), "act_filed": ("bool", False), "complaint_status": ("enum:complaint_status", False),
    },
    "checklists": {
        "observer_org": ("text", True), "org_type": ("enum:org_type", True),
        "arrived_at": ("datetime", False), "left_at": ("datetime", False),
    },
}
PII_WORDS = frozenset({
    "name", "full_name", "first_name", "last_name", "surname", "fio", "фио", "имя", "фамилия", "observer",
    "observer_name", "tel", "mobile", "телефон", "iin", "иин", "gps", "location", "username", "deviceid",
    "device_id", "imei", "simserial", "subscriberid",
})
PII_PARTS = ("phone", "email", "geoloc", "submitter", "submitted_by", "passport")
TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya a g q n o u u h i".split(" "),
    strict=True,
)) | {"ъ": "", "ь": ""}


class MappingError(SourceError):
    """A mapping file is malformed."""

    def __init__(self, text: str) -> None:
        super().__init__("bad_mapping", text)


def slugify(label: str) -> str:
    """Return a stable ASCII slug of a column label (Cyrillic transliterated, lowercase, underscores)."""
    text = "".join(TRANSLIT.get(ch, ch) for ch in label.lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def is_personal(column: str) -> bool:
    """Tell whether a source column looks like observer personal data (never mapped)."""
    last = column.lower().rsplit("/", 1)[-1]
    return last in PII_WORDS or any(part in column.lower() for part in PII_PARTS)


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file."""

    table: str
    station: tuple[str, ...]
    name: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    member: str | None = None
    timezone: str = "UTC"
    separator: str = KEY_SEPARATOR
    max_value: int = STATION_CAP
    region: str | None = None
    tec: str | None = None
    number: str | None = None
    lines: dict[str, tuple[str, ...]] = field(default_factory=dict)
    option_columns: tuple[str, ...] = ()
    options_after: str | None = None
    exclude: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)
    items_selected: str | None = None
    item_codes: tuple[str, ...] = ()
    long: tuple[str, str] | None = None
    election: dict[str, Any] = field(default_factory=dict)


def _names(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def parse_mapping(raw: dict[str, Any], name: str = "") -> Mapping:
    """Build a ``Mapping`` from a parsed TOML document, checking its shape."""
    src, keys, opts, items = raw.get("source", {}), raw.get("keys", {}), raw.get("options", {}), raw.get("items", {})
    table = src.get("table")
    if table not in MAPPED_TABLES:
        raise MappingError(f"[source] table must be one of {', '.join(MAPPED_TABLES)}, not {table!r}")
    if "station" not in keys:
        raise MappingError("[keys] station is required")
    unknown = set(raw.get("fields", {})) - set(FIELDS[table])
    if unknown:
        raise MappingError(f"unknown [fields] for {table}: {', '.join(sorted(unknown))}")
    constants = {k: str(v) for k, v in raw.get("constants", {}).items()}
    for key, value in constants.items():
        kind = FIELDS[table].get(key, ("",))[0]
        if kind.startswith("enum:") and value not in ENUMS[kind[5:]]:
            raise MappingError(f"[constants] {key} = {value!r} is not one of {ENUMS[kind[5:]]}")
    lines = {line: _names(cols) for line, cols in raw.get("lines", {}).items() if line != "long"}
    bad = [line for line in lines if not re.fullmatch(r"[a-z][a-z0-9_]*", line)]
    if bad:
        raise MappingError(f"line codes must be lowercase identifiers: {bad}")
    long = raw.get("lines", {}).get("long")
    mapping = Mapping(
        table=table,
        name=name,
        station=_names(keys["station"]),
        encoding=src.get("encoding"),
        delimiter=src.get("delimiter"),
        sheet=src.get("sheet"),
        member=src.get("member"),
        timezone=src.get("timezone", "UTC"),
        separator=keys.get("separator", KEY_SEPARATOR),
        max_value=int(src.get("max_value", STATION_CAP)),
        region=keys.get("region"),
        tec=keys.get("tec"),
        number=keys.get("number"),
        lines=lines,
        option_columns=tuple(opts.get("columns", ())),
        options_after=opts.get("after"),
        exclude=tuple(opts.get("exclude", ())),
        fields=dict(raw.get("fields", {})),
        constants=constants,
        items=dict(items.get("columns", {})),
        items_selected=items.get("selected"),
        item_codes=tuple(items.get("codes", ())),
        long=(long["line"], long["value"]) if long else None,
        election=dict(raw.get("election", {})),
    )
    personal = [c for c in referenced(mapping) if is_personal(c) and not (table == "stations" and c in _coords(mapping))]
    if personal:
        raise MappingError(f"columns with observer personal data cannot be mapped: {personal}")
    return mapping


def _coords(mapping: Mapping) -> set[str]:
    return {mapping.fields[k] for k in ("lat", "lon") if k in mapping.fields}


def load_mapping(path: Path | str) -> Mapping:
    """Read and check a mapping TOML file."""
    path = Path(path)
    with path.open("rb") as f:
        return parse_mapping(tomllib.load(f), name=path.stem)


def referenced(mapping: Mapping) -> tuple[str, ...]:
    """Return every source column the mapping names explicitly, in a stable order."""
    cols = [*mapping.station, mapping.region, mapping.tec, mapping.number]
    cols += [c for group in mapping.lines.values() for c in group] + list(mapping.option_columns)
    cols += list(mapping.fields.values()) + list(mapping.items.values()) + [mapping.items_selected]
    cols += list(mapping.long or ())
    return tuple(dict.fromkeys(c for c in cols if c))


@dataclass(frozen=True)
class StageColumn:
    """One typed column of the validation stage, read from one or more source columns."""

    name: str
    target: str
    kind: str
    sources: tuple[str, ...]
    required: bool

    @property
    def label(self) -> str:
        """Source column name(s) shown in the quarantine."""
        return "+".join(self.sources)


@dataclass(frozen=True)
class Plan:
    """A mapping resolved against one source header."""

    mapping: Mapping
    columns: tuple[StageColumn, ...]
    options: dict[str, str]
    extra: tuple[str, ...]

    @property
    def primary_key(self) -> tuple[str, ...]:
        """Stage columns whose combination must be unique within the source."""
        targets = {
            "copies": ("field:copy_id",),
            "incidents": ("field:incident_id",),
            "checklists": ("station_id", "field:observer_org"),
        }.get(self.mapping.table, ("station_id", "long_line") if self.mapping.long else ("station_id",))
        return tuple(c.name for c in self.columns if c.target in targets)

    @property
    def sources(self) -> tuple[str, ...]:
        """Source columns the stage columns read, each once, in plan order."""
        return tuple(dict.fromkeys(s for c in self.columns for s in c.sources))

    def by_target(self, prefix: str) -> list[StageColumn]:
        """Return the stage columns whose target starts with a prefix."""
        return [c for c in self.columns if c.target.startswith(prefix)]


def option_labels(mapping: Mapping, header: list[str]) -> list[str]:
    """Return the option columns of a source: the explicit list, or every column after one."""
    if mapping.options_after is None:
        return list(mapping.option_columns)
    if mapping.options_after not in header:
        return []
    return [c for c in header[header.index(mapping.options_after) + 1:] if c not in mapping.exclude]


def option_lines(labels: list[str]) -> dict[str, str]:
    """Return {``votes_<slug>``: label}, slugs made unique with a numeric suffix."""
    out: dict[str, str] = {}
    for i, label in enumerate(labels, start=1):
        slug = slugify(label.rsplit("/", 1)[-1]) or f"option_{i}"  # group paths: the field name
        base = slug if slug.startswith("votes_") else f"votes_{slug}"
        line, n = base, 2
        while line in out:
            line, n = f"{base}_{n}", n + 1
        out[line] = label
    return out


def resolve(mapping: Mapping, header: list[str]) -> Plan:
    """Check a mapping against a source header and plan the stage columns.

    Raises ``SourceError('missing_column')`` when a named column is absent.
    """
    labels = option_labels(mapping, header)
    needed = list(referenced(mapping)) + ([mapping.options_after] if mapping.options_after else [])
    missing = [c for c in dict.fromkeys(needed) if c not in header]
    if missing or (mapping.options_after and not labels and mapping.table in ("official", "copies")):
        raise SourceError("missing_column", ", ".join(missing) or f"options after {mapping.options_after!r}")
    options = option_lines(labels)
    clash = [line for line in options if line in mapping.lines]
    if clash:
        raise MappingError(f"option columns give line codes that [lines] already maps: {', '.join(clash)}; "
                           "exclude those columns from [options] or rename the lines")
    specs: list[tuple[str, str, tuple[str, ...], bool]] = [("station_id", "key", mapping.station, True)]
    if mapping.long:
        specs += [("long_line", "text", (mapping.long[0],), True), ("long_value", "count", (mapping.long[1],), True)]
    for key, col in (("region", mapping.region), ("tec", mapping.tec)):
        if col:
            specs.append((key, "text", (col,), mapping.table == "stations"))
    if mapping.number:
        specs.append(("number", "count", (mapping.number,), False))
    for line, cols in mapping.lines.items():
        specs += [(f"line:{line}", "count", (c,), True) for c in cols]
    specs += [(f"line:{line}", "count", (label,), True) for line, label in options.items()]
    for fld, col in mapping.fields.items():
        kind, required = FIELDS[mapping.table][fld]
        specs.append((f"field:{fld}", kind, (col,), required))
    specs += [(f"item:{code}", "enum:answer", (col,), False) for code, col in mapping.items.items()]
    if mapping.items_selected:
        specs.append(("selected", "selected", (mapping.items_selected,), False))
    required_fields = {f for f, (_, req) in FIELDS[mapping.table].items() if req}
    absent = required_fields - set(mapping.fields) - set(mapping.constants)
    if absent:
        raise MappingError(f"{mapping.table} needs [fields] or [constants] for: {', '.join(sorted(absent))}")
    columns = tuple(StageColumn(f"s{i}", t, k, s, r) for i, (t, k, s, r) in enumerate(specs))
    used = set(referenced(mapping)) | set(labels)
    extra = tuple(c for c in header if c not in used)
    return Plan(mapping, columns, options, extra)
