"""JSON records (files, KoboToolbox, ODK Central) flattened into an all-text Polars frame."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import polars as pl

PATH_SEPARATOR = "/"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, str | None]:
    """Flatten nested groups into ``group/field`` keys with text values.

    GeoJSON points become ``<key>/lat`` and ``<key>/lon`` (GeoJSON order is lon, lat); lists of
    scalars are joined with spaces (like select_multiple answers); nested repeats stay JSON text.
    """
    out: dict[str, str | None] = {}
    for key, value in record.items():
        path = f"{prefix}{PATH_SEPARATOR}{key}" if prefix else str(key)
        if isinstance(value, dict) and value.get("type") == "Point" and "coordinates" in value:
            lon, lat = value["coordinates"][:2]
            out[f"{path}/lat"], out[f"{path}/lon"] = _text(lat), _text(lon)
        elif isinstance(value, dict):
            out.update(flatten(value, path))
        elif isinstance(value, list):
            scalar = all(not isinstance(v, dict | list) for v in value)
            out[path] = " ".join(_text(v) or "" for v in value) if scalar else json.dumps(value, ensure_ascii=False)
        else:
            out[path] = _text(value)
    return out


def records_frame(records: Iterable[dict[str, Any]]) -> pl.DataFrame:
    """Return flattened records as a frame of String columns (first-seen column order)."""
    rows = [flatten(r) for r in records]
    columns = list(dict.fromkeys(k for row in rows for k in row))
    return pl.DataFrame({c: [row.get(c) for row in rows] for c in columns}, schema=dict.fromkeys(columns, pl.String))


def json_records(payload: Any) -> list[dict[str, Any]]:
    """Return the list of records in a JSON document (a list, or ``results`` / ``value`` / ``data``)."""
    if isinstance(payload, dict):
        payload = next((payload[k] for k in ("results", "value", "data") if isinstance(payload.get(k), list)), [payload])
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise ValueError("expected a list of JSON objects")
    return payload
