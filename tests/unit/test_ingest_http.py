"""HTTP, KoboToolbox and ODK Central against a real local server (127.0.0.1, port 0)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl
import pytest
import tomli_w

from saylau import store
from saylau.ingest.http import HttpOptions, download, get_json
from saylau.ingest.pipeline import SourceSpec, run_sources
from saylau.ingest.quarantine import SourceError, message

CSV = b"region,uik,Registered,Issued,Yes,No\nA,1,100,60,40,20\nA,2,200,100,70,30\n"
OFFICIAL = {"source": {"table": "official"}, "keys": {"station": ["region", "uik"]},
            "lines": {"voters_on_list": "Registered", "ballots_issued": "Issued"}, "options": {"after": "Issued"}}
FAST = HttpOptions(timeout=0.5, retries=2, backoff=0.01, max_wait=2)
TOKEN = "s3cr3t-token-value"
Handler = Callable[[BaseHTTPRequestHandler], None]


class Server:
    """A tiny HTTP server whose routes are plain functions of the request handler."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: list[tuple[str, dict[str, str]]] = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.hits.append((self.path, dict(self.headers)))
                route = outer.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                else:
                    route(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def reply(status: int, body: bytes, ctype: str = "text/csv", headers: dict[str, str] | None = None,
          length: int | None = None) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)
    return handle


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.httpd.shutdown()


def fetch(server: Server, path: str, tmp: Path, **kw):
    return download(server.url + path, tmp / "out.csv", opts=FAST, **kw)


def error_of(fn: Callable[[], object]) -> str:
    with pytest.raises(SourceError) as err:
        fn()
    return err.value.rule_id


def test_download_and_conditional_get(server, tmp_path):
    def handle(h):
        if h.headers.get("If-None-Match") == '"v1"':
            h.send_response(304)
            h.end_headers()
        else:
            reply(200, CSV, headers={"ETag": '"v1"'})(h)
    server.routes["/r.csv"] = handle
    got = fetch(server, "/r.csv", tmp_path)
    assert got.path.read_bytes() == CSV and got.etag == '"v1"'
    assert fetch(server, "/r.csv", tmp_path, state={"etag": '"v1"'}).path is None


def test_500_after_retries(server, tmp_path):
    server.routes["/x"] = reply(500, b"oops", "text/plain")
    assert error_of(lambda: fetch(server, "/x", tmp_path)) == "http_error"
    assert len(server.hits) == FAST.retries + 1


def test_refused_connection_is_retried_then_reported_as_unreachable(tmp_path):
    """A port nobody listens on fails as 'unreachable' (after the retries), not as an error the server answered."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free once the socket closes: nothing listens there
    assert error_of(lambda: download(f"http://127.0.0.1:{port}/r.csv", tmp_path / "out.csv", opts=FAST)) == "unreachable"


def test_429_honours_retry_after(server, tmp_path):
    calls = []

    def handle(h):
        calls.append(time.monotonic())
        (reply(429, b"", headers={"Retry-After": "1"}) if len(calls) == 1 else reply(200, CSV))(h)
    server.routes["/r.csv"] = handle
    assert fetch(server, "/r.csv", tmp_path).path.read_bytes() == CSV
    assert calls[1] - calls[0] >= 0.9


def test_timeout(server, tmp_path):
    def slow(h):
        time.sleep(1.5)
        reply(200, CSV)(h)
    server.routes["/slow"] = slow
    opts = HttpOptions(timeout=0.2, retries=1, backoff=0.01)
    assert error_of(lambda: download(server.url + "/slow", tmp_path / "o", opts=opts)) == "timeout"


def test_truncated_body(server, tmp_path):
    server.routes["/t"] = reply(200, CSV[:20], length=len(CSV))
    assert error_of(lambda: fetch(server, "/t", tmp_path)) == "truncated_body"


def test_invalid_json(server, tmp_path):
    server.routes["/j"] = reply(200, b'{"results": [', "application/json")
    assert error_of(lambda: get_json(server.url + "/j", opts=FAST)) == "invalid_json"


def test_html_error_page_with_200(server, tmp_path):
    server.routes["/h"] = reply(200, b"<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html")
    server.routes["/h2"] = reply(200, b"  <html><body>Login</body></html>", "text/plain")
    assert error_of(lambda: fetch(server, "/h", tmp_path)) == "html_error_page"
    assert error_of(lambda: fetch(server, "/h2", tmp_path)) == "html_error_page"


def test_wrong_content_type_and_size_cap(server, tmp_path):
    server.routes["/img"] = reply(200, b"\x89PNG", "image/png")
    server.routes["/big"] = reply(200, CSV * 100)
    assert error_of(lambda: fetch(server, "/img", tmp_path)) == "wrong_content_type"
    capped = HttpOptions(timeout=1, retries=0, max_bytes=100)
    assert error_of(lambda: download(server.url + "/big", tmp_path / "o", opts=capped)) == "too_large"


def run(server: Server, tmp: Path, specs: list[tuple[str, str, dict, dict]]):
    out = []
    for name, kind, mapping, opts in specs:
        path = tmp / f"{name}.toml"
        path.write_bytes(tomli_w.dumps(mapping).encode())
        out.append(SourceSpec(name, kind, server.url, path, {"retries": 1, "backoff": 0.01, "timeout": 2, **opts}))
    return run_sources(out, tmp / "data", secrets_file=tmp / "none.toml")


def test_http_500_keeps_current_snapshot(server, tmp_path):
    server.routes["/r.csv"] = reply(200, CSV)
    (tmp_path / "web.toml").write_bytes(tomli_w.dumps(OFFICIAL).encode())
    spec = SourceSpec("web", "http", server.url + "/r.csv", tmp_path / "web.toml", {"retries": 0})
    first = run_sources([spec], tmp_path / "d2")
    assert first.snapshot is not None
    server.routes["/r.csv"] = reply(500, b"down", "text/plain")
    again = run_sources([spec], tmp_path / "d2")
    assert again.snapshot is None and again.sources[0].rule_id == "http_error"
    entry = again.sources[0].summary()
    assert entry["status"] == "failed" and entry["error_value"] == "500 Internal Server Error"
    assert entry["error"] == message("http_error", value=entry["error_value"])
    assert store.current(tmp_path / "d2") == first.snapshot


KOBO_RECORD = {
    "_id": 1, "_uuid": "u1", "meta/instanceID": "uuid:a", "_submission_time": "2026-03-15T15:00:00",
    "_geolocation": [43.25, 76.9], "_submitted_by": "observer42", "observer/name": "Aigerim", "observer/phone": "+77011234567",
    "_validation_status": {}, "station/region": "ALM", "station/number": "101",
    "protocol/voters_on_list": "1000", "protocol/ballots_issued": "600", "protocol/votes_yes": "400",
    "protocol/votes_no": "190", "copy/obtained_at": "2026-03-15T21:30:00", "copy/signed": "yes",
}
KOBO_MAPPING = {
    "source": {"table": "copies", "timezone": "Asia/Almaty"},
    "keys": {"station": ["station/region", "station/number"], "separator": "-"},
    "lines": {"voters_on_list": "protocol/voters_on_list", "ballots_issued": "protocol/ballots_issued"},
    "options": {"columns": ["protocol/votes_yes", "protocol/votes_no"]},
    "fields": {"copy_id": "_id", "obtained_at": "copy/obtained_at", "signed": "copy/signed"},
    "constants": {"source_org": "Example Observers", "org_type": "ngo"},
}


def kobo_pages(server: Server, pages: list[dict]) -> None:
    def handle(h):
        start = int(h.path.split("start=")[1].split("&")[0]) if "start=" in h.path else 0
        reply(200, json.dumps(pages[start]).encode(), "application/json")(h)
    server.routes["/api/v2/assets/aX/data.json"] = handle


def test_kobo_payload_loads_without_personal_data(server, tmp_path, monkeypatch):
    monkeypatch.setenv("KOBO_TOKEN", TOKEN)
    edited = {**KOBO_RECORD, "meta/instanceID": "uuid:b", "meta/deprecatedID": "uuid:a", "protocol/votes_no": "200"}
    rejected = {**KOBO_RECORD, "_id": 3, "meta/instanceID": "uuid:c", "_validation_status": {"uid": "validation_status_not_approved"}}
    second = {**KOBO_RECORD, "_id": 2, "meta/instanceID": "uuid:d", "station/number": "102"}
    nxt = f"{server.url}/api/v2/assets/aX/data.json?start=1"
    kobo_pages(server, [{"count": 4, "next": nxt, "results": [KOBO_RECORD, edited]},
                        {"count": 4, "next": None, "results": [rejected, second]}])
    result = run(server, tmp_path, [("kobo", "kobo", KOBO_MAPPING, {"asset": "aX", "auth_env": "KOBO_TOKEN"})])
    src = result.sources[0]
    assert (src.status, src.records, src.accepted, src.excluded) == ("ok", 2, 2, 2), src.error
    assert server.hits[0][1]["Authorization"] == f"Token {TOKEN}" and "limit=1000" in server.hits[0][0]
    copies = store.scan(result.snapshot, "protocol_copies").collect()
    assert set(copies["station_id"]) == {"ALM-101", "ALM-102"}
    row = copies.filter((pl.col("copy_id") == "1") & (pl.col("line") == "votes_no"))
    assert row["value"].item() == 200 and row["signed"].item() is True
    assert row["obtained_at"].item().hour == 16  # 21:30 Almaty = 16:30 UTC
    stored = b"".join(p.read_bytes() for p in result.snapshot.iterdir())
    for personal in (b"Aigerim", b"+77011234567", b"observer42", b"43.25", TOKEN.encode()):
        assert personal not in stored
    state = json.loads((tmp_path / "data" / "ingest_state.json").read_text())
    assert state["kobo"]["since"] == "2026-03-15T15:00:00"


def test_kobo_next_link_loop(server, tmp_path, monkeypatch):
    monkeypatch.setenv("KOBO_TOKEN", TOKEN)
    loop = f"{server.url}/api/v2/assets/aX/data.json?start=1"
    kobo_pages(server, [{"next": loop, "results": [KOBO_RECORD]}, {"next": loop, "results": []}])
    result = run(server, tmp_path, [("kobo", "kobo", KOBO_MAPPING, {"asset": "aX", "auth_env": "KOBO_TOKEN"})])
    assert result.sources[0].rule_id == "paging_loop" and result.snapshot is None


def test_odk_payload_loads(server, tmp_path, monkeypatch):
    monkeypatch.setenv("ODK_USER", "me@example.org")
    monkeypatch.setenv("ODK_PASSWORD", TOKEN)
    base = {"__system": {"submitterId": "7", "submitterName": "Bolat", "updatedAt": None, "reviewState": None,
                         "submissionDate": "2026-03-15T10:00:00.000Z"},
            "visit": {"region": "AST", "station": "5", "arrived_at": "2026-03-15T06:40:00.000+05:00",
                      "where": {"type": "Point", "coordinates": [71.4, 51.1, 350]}},
            "opening": {"opened_early": "no", "box_not_empty": "yes", "box_not_sealed": None}}
    rejected = {**base, "visit": {**base["visit"], "station": "6"}, "__system": {**base["__system"], "reviewState": "rejected"}}
    later = {**base, "visit": {**base["visit"], "station": "7"}}
    path = "/v1/projects/1/forms/checklist.svc/Submissions"

    def handle(h):
        if "skiptoken" in h.path:
            reply(200, json.dumps({"value": [later]}).encode(), "application/json")(h)
        else:
            nxt = f"{server.url}{path}?%24skiptoken=abc"
            reply(200, json.dumps({"value": [base, rejected], "@odata.nextLink": nxt}).encode(), "application/json")(h)
    server.routes[path] = handle
    mapping = {"source": {"table": "checklists"}, "keys": {"station": ["visit/region", "visit/station"], "separator": "-"},
               "fields": {"arrived_at": "visit/arrived_at"}, "constants": {"observer_org": "Obs", "org_type": "ngo"},
               "items": {"columns": {"PRE_OPENED_EARLY": "opening/opened_early", "PRE_BOX_NOT_EMPTY": "opening/box_not_empty",
                                     "PRE_BOX_NOT_SEALED": "opening/box_not_sealed"}}}
    result = run(server, tmp_path, [("odk", "odk", mapping, {"project": 1, "form": "checklist",
                                                            "user_env": "ODK_USER", "auth_env": "ODK_PASSWORD"})])
    src = result.sources[0]
    assert (src.status, src.accepted, src.excluded) == ("ok", 2, 1), src.error
    assert server.hits[0][1]["Authorization"].startswith("Basic ")
    assert "reviewState%20ne%20%27rejected%27" in server.hits[0][0]
    ck = store.scan(result.snapshot, "checklists").filter(pl.col("station_id") == "AST-5").sort("item").collect()
    assert ck["answer"].to_list() == ["yes", "na", "no"]
    assert ck["arrived_at"][0].hour == 1
    stored = b"".join(p.read_bytes() for p in result.snapshot.iterdir())
    assert b"Bolat" not in stored and b"71.4" not in stored
