"""KoboToolbox API v2 submissions (``/api/v2/assets/{uid}/data.json``) as flat text records.

Pages of at most 1,000 records are followed through ``next`` (a repeated link is an error);
the token goes in ``Authorization: Token <key>`` and never into a message. Edited
submissions replace the version named in ``meta/deprecatedID``; submissions marked
``validation_status_not_approved`` are left out; ``_submission_time`` (naive UTC) gets an
explicit offset; ``_geolocation`` [lat, lon] becomes ``_geolocation/lat`` and ``/lon``
(reporter positions, which the mapping refuses to store).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import polars as pl

from saylau.ingest.http import HttpOptions, follow_pages
from saylau.ingest.records import records_frame
from saylau.ingest.secrets import Secret

PAGE_SIZE = 1000
REJECTED = "validation_status_not_approved"
CURSOR = "_submission_time"


def data_url(base_url: str, asset: str, since: str | None = None, page_size: int = PAGE_SIZE) -> str:
    """Return the first page URL of an asset's submissions, newer than ``since`` when given."""
    params: dict[str, str | int] = {"format": "json", "limit": min(page_size, PAGE_SIZE)}
    if since:
        params["query"] = json.dumps({CURSOR: {"$gt": since}})
    return f"{base_url.rstrip('/')}/api/v2/assets/{asset}/data.json?{urlencode(params)}"


def normalise(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop superseded edits and rejected submissions; make times and positions explicit."""
    replaced = {r["meta/deprecatedID"] for r in records if r.get("meta/deprecatedID")}
    out = []
    for r in records:
        if r.get("meta/instanceID") in replaced or (r.get("_validation_status") or {}).get("uid") == REJECTED:
            continue
        r = dict(r)
        if r.get(CURSOR):
            r[CURSOR] = f"{r[CURSOR]}+00:00"
        geo = r.pop("_geolocation", None)
        if isinstance(geo, list) and len(geo) == 2:
            r["_geolocation"] = {"lat": geo[0], "lon": geo[1]}
        out.append(r)
    return out


def pull(base_url: str, asset: str, token: Secret, since: str | None = None,
         opts: HttpOptions | None = None, page_size: int = PAGE_SIZE) -> tuple[pl.DataFrame, int, str | None]:
    """Fetch submissions; return (text frame, records left out, newest ``_submission_time``)."""
    raw = follow_pages(
        data_url(base_url, asset, since, page_size),
        lambda page: page.get("next"),
        lambda page: page.get("results", []),
        headers={"Authorization": f"Token {token.reveal()}"},
        opts=opts,
    )
    kept = normalise(raw)
    newest = max((r[CURSOR] for r in raw if r.get(CURSOR)), default=since)
    return records_frame(kept), len(raw) - len(kept), newest
