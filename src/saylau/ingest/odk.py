"""ODK Central OData submissions as flat text records.

Pages are followed through ``@odata.nextLink`` (a ``$skiptoken`` cursor); incremental pulls
filter on ``__system/updatedAt``; rejected submissions are excluded on the server and again
here; groups are flattened to ``group/field`` and GeoJSON geometry (lon, lat) to
``field/lat`` / ``field/lon``. Authentication is Basic or Bearer, from named secrets.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote, urlencode

import polars as pl

from saylau.ingest.http import HttpOptions, follow_pages
from saylau.ingest.records import records_frame
from saylau.ingest.secrets import Secret

CURSOR = "updatedAt"
REJECTED = "rejected"


def submissions_url(base_url: str, project: int | str, form: str, since: str | None = None) -> str:
    """Return the OData Submissions URL of a form, excluding rejected and older submissions."""
    flt = f"__system/reviewState ne '{REJECTED}'"
    if since:
        flt += f" and __system/updatedAt gt {since}"
    return (f"{base_url.rstrip('/')}/v1/projects/{project}/forms/{quote(form, safe='')}.svc/Submissions?"
            + urlencode({"$filter": flt}, quote_via=quote))


def auth_header(token: Secret, user: Secret | None = None) -> dict[str, str]:
    """Return a Bearer header, or a Basic one when a user name is given (token = password)."""
    if user is None:
        return {"Authorization": f"Bearer {token.reveal()}"}
    pair = base64.b64encode(f"{user.reveal()}:{token.reveal()}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def _updated(record: dict[str, Any]) -> str | None:
    system = record.get("__system") or {}
    return system.get(CURSOR) or system.get("submissionDate")


def pull(base_url: str, project: int | str, form: str, headers: dict[str, str], since: str | None = None,
         opts: HttpOptions | None = None) -> tuple[pl.DataFrame, int, str | None]:
    """Fetch submissions; return (text frame, records left out, newest ``updatedAt``)."""
    raw = follow_pages(
        submissions_url(base_url, project, form, since),
        lambda page: page.get("@odata.nextLink"),
        lambda page: page.get("value", []),
        headers=headers,
        opts=opts,
    )
    kept = [r for r in raw if (r.get("__system") or {}).get("reviewState") != REJECTED]
    newest = max((u for r in raw if (u := _updated(r))), default=since)
    return records_frame(kept), len(raw) - len(kept), newest
