"""Plain HTTP(S) downloads with timeouts, retries, conditional GET and integrity checks.

Retries use exponential backoff on 429 and 5xx answers (honouring ``Retry-After``) and on
time-outs; bodies are streamed with a size cap; an HTML page served with status 200, a body
shorter than its ``Content-Length``, an unexpected content type and invalid JSON are all
source errors. ETag / Last-Modified are returned so the caller can keep them in its state.
"""

from __future__ import annotations

import io
import json
import time
from contextlib import AbstractContextManager, nullcontext
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

import requests

from saylau.ingest.quarantine import SourceError
from saylau.ingest.secrets import mask
from saylau.store import utc_now

CHUNK = 1 << 16
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
CONTENT_TYPES = {
    "csv": ("text/csv", "text/plain", "application/csv", "application/octet-stream", "application/zip",
            "application/x-zip-compressed", "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/tab-separated-values"),
    "json": ("application/json", "text/json", "text/plain", "application/geo+json", "application/x-ndjson"),
}
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")


@dataclass(frozen=True)
class HttpOptions:
    """Limits of one HTTP source."""

    timeout: float = 30.0
    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 120.0
    max_bytes: int = 1024**3


@dataclass(frozen=True)
class Fetched:
    """Outcome of a download: the file (None when unchanged) and the validators to keep."""

    path: Path | None
    etag: str | None = None
    last_modified: str | None = None


def _session(session: requests.Session | None) -> AbstractContextManager[requests.Session]:
    return nullcontext(session) if session is not None else requests.Session()


def retry_delay(response: requests.Response | None, attempt: int, opts: HttpOptions) -> float:
    """Seconds to wait before the next attempt: ``Retry-After`` when given, else exponential."""
    header = response.headers.get("Retry-After") if response is not None else None
    if header:
        try:
            delay = float(header)
        except ValueError:
            delay = (parsedate_to_datetime(header) - utc_now()).total_seconds()
        return min(max(delay, 0.0), opts.max_wait)
    return min(opts.backoff * 2**attempt, opts.max_wait)


def request(session: requests.Session, url: str, headers: dict[str, str], opts: HttpOptions,
            sleep: Callable[[float], None] = time.sleep) -> requests.Response:
    """GET a URL as a stream, retrying time-outs, 429 and 5xx; raise ``SourceError`` on failure."""
    for attempt in range(opts.retries + 1):
        last = attempt == opts.retries
        try:
            resp = session.get(url, headers=headers, timeout=opts.timeout, stream=True)
        except requests.Timeout:
            if last:
                raise SourceError("timeout", f"{opts.timeout:g} s") from None
            sleep(retry_delay(None, attempt, opts))
            continue
        except requests.ConnectionError as exc:
            if last:
                raise SourceError("unreachable", mask(type(exc).__name__)) from None
            sleep(retry_delay(None, attempt, opts))
            continue
        except requests.RequestException as exc:
            raise SourceError("http_error", mask(type(exc).__name__)) from None
        if resp.status_code in RETRY_STATUS and not last:
            resp.close()
            sleep(retry_delay(resp, attempt, opts))
            continue
        if resp.status_code >= 400:
            resp.close()
            raise SourceError("http_error", f"{resp.status_code} {resp.reason}")
        return resp
    raise AssertionError("unreachable")


def check_content_type(resp: requests.Response, expect: str) -> None:
    """Reject HTML pages and content types that cannot hold the expected format."""
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if "html" in ctype:
        raise SourceError("html_error_page")
    if ctype and ctype not in CONTENT_TYPES[expect] and not ctype.endswith("+json"):
        raise SourceError("wrong_content_type", ctype)


def read_body(resp: requests.Response, sink: IO[bytes], max_bytes: int) -> int:
    """Stream a body into a file-like object with a size cap; detect HTML and truncation."""
    size, first = 0, True
    try:
        for chunk in resp.iter_content(CHUNK):
            if first and chunk.lstrip()[:16].lower().startswith(HTML_STARTS):
                raise SourceError("html_error_page")
            first = False
            size += len(chunk)
            if size > max_bytes:
                raise SourceError("too_large", f"{max_bytes:,} bytes")
            sink.write(chunk)
    except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError) as exc:
        raise SourceError("truncated_body", f"after {size:,} bytes ({type(exc).__name__})") from None
    except requests.Timeout:
        raise SourceError("timeout", "while reading the body") from None
    finally:
        resp.close()
    declared = resp.headers.get("Content-Length")
    if declared and not resp.headers.get("Content-Encoding") and int(declared) != size:
        raise SourceError("truncated_body", f"{size:,} of {int(declared):,} bytes")
    return size


def download(url: str, dest: Path, *, expect: str = "csv", headers: dict[str, str] | None = None,
             state: dict[str, str] | None = None, opts: HttpOptions | None = None,
             session: requests.Session | None = None) -> Fetched:
    """Download a URL to ``dest`` with a conditional GET; ``path`` is None when not modified."""
    opts, state = opts or HttpOptions(), state or {}
    hdrs = dict(headers or {})
    if state.get("etag"):
        hdrs["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        hdrs["If-Modified-Since"] = state["last_modified"]
    with _session(session) as s:
        resp = request(s, url, hdrs, opts)
        if resp.status_code == 304:
            resp.close()
            return Fetched(None, state.get("etag"), state.get("last_modified"))
        check_content_type(resp, expect)
        with dest.open("wb") as f:
            read_body(resp, f, opts.max_bytes)
    if expect == "json":
        parse_json(dest.read_bytes())
    return Fetched(dest, resp.headers.get("ETag"), resp.headers.get("Last-Modified"))


def parse_json(body: bytes) -> Any:
    """Parse a JSON body; raise ``SourceError('invalid_json')`` with a short reason."""
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError("invalid_json", str(exc)[:120]) from None


def get_json(url: str, *, headers: dict[str, str] | None = None, opts: HttpOptions | None = None,
             session: requests.Session | None = None) -> Any:
    """GET a JSON document with the same retries, caps and checks as ``download``."""
    opts = opts or HttpOptions()
    buf = io.BytesIO()
    with _session(session) as s:
        resp = request(s, url, {"Accept": "application/json", **(headers or {})}, opts)
        check_content_type(resp, "json")
        read_body(resp, buf, opts.max_bytes)
    return parse_json(buf.getvalue())


def follow_pages(url: str, next_url: Callable[[Any], str | None], items: Callable[[Any], list[Any]],
                 *, headers: dict[str, str] | None = None, opts: HttpOptions | None = None) -> list[Any]:
    """Collect the items of a paged JSON API, following next links; stop with an error on a loop."""
    seen: set[str] = set()
    out: list[Any] = []
    with requests.Session() as session:
        while url:
            if url in seen:
                raise SourceError("paging_loop", url)
            seen.add(url)
            page = get_json(url, headers=headers, opts=opts, session=session)
            out.extend(items(page))
            url = next_url(page) or ""
    return out
