"""``saylau serve``: the page is told where the server is; options after ``--`` keep their types."""

from __future__ import annotations

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor

import pytest

from saylau.serve import BackendBase, base_script, config_options

PAGE = b"<!doctype html><html><head><title>x</title></head><body></body></html>"


def _serve(body: bytes, content_type: bytes, encoding: bytes | None = None, chunks: int = 1) -> list[dict]:
    """Send one GET through ``BackendBase`` over an app answering ``body``; return the messages sent."""

    async def app(scope, receive, send) -> None:
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200,
                    "headers": headers + ([(b"content-encoding", encoding)] if encoding else [])})
        size = -(-len(body) // chunks)
        for i in range(chunks):
            part = body[i * size:(i + 1) * size]
            await send({"type": "http.response.body", "body": part, "more_body": i < chunks - 1})

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request"}

    request = BackendBase(app)({"type": "http", "method": "GET", "path": "/map"}, receive, send)
    with ThreadPoolExecutor(1) as pool:  # its own event loop: the browser tests may hold this thread's
        pool.submit(asyncio.run, request).result()
    return sent


def _body(sent: list[dict]) -> bytes:
    """The body bytes of the messages sent, joined."""
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def _header(sent: list[dict], name: bytes) -> bytes | None:
    """One header of the response start sent first."""
    return dict(sent[0]["headers"]).get(name)


@pytest.mark.parametrize("chunks", [1, 3])
def test_an_html_page_gets_the_script_first_in_its_head(chunks: int) -> None:
    """The script comes right after <head>, and Content-Length counts it."""
    sent = _serve(PAGE, b"text/html; charset=utf-8", chunks=chunks)
    body = _body(sent)
    assert body.startswith(b"<!doctype html><html><head>" + base_script(""))
    assert body.replace(base_script(""), b"") == PAGE
    assert _header(sent, b"content-length") == str(len(body)).encode()


def test_a_compressed_page_is_sent_uncompressed_with_the_script() -> None:
    """A gzip-compressed page is unpacked, given the script and sent plain."""
    sent = _serve(gzip.compress(PAGE), b"text/html", encoding=b"gzip")
    assert _body(sent).replace(base_script(""), b"") == PAGE
    assert _header(sent, b"content-encoding") is None


def test_other_responses_pass_untouched() -> None:
    """Scripts and JSON are sent as they came, message by message."""
    body = b"console.log('<head>')"
    sent = _serve(body, b"application/javascript", chunks=2)
    assert _body(sent) == body
    assert len(sent) == 3
    assert _header(sent, b"content-length") == str(len(body)).encode()


def test_the_script_names_the_base_path_as_data() -> None:
    """The base path is a JSON string in the script; a '<' in it cannot close the script tag."""
    assert base_script("") == b'<script>window.__streamlit={BACKEND_BASE_URL:location.origin+"/"}</script>'
    assert b'location.origin+"/dash"' in base_script("/dash/")
    assert b"</script><" not in base_script("</script><b>")


def test_options_after_the_dashes_keep_their_types() -> None:
    """Words true/false become booleans, digits numbers, the rest text; a lone option is refused."""
    assert config_options(["--server.headless", "true", "--server.address", "127.0.0.1", "--server.maxUploadSize", "50"]) == {
        "server.headless": True, "server.address": "127.0.0.1", "server.maxUploadSize": 50}
    assert config_options(["--server.headless", "False"]) == {"server.headless": False}
    assert config_options([]) == {}
    with pytest.raises(SystemExit):
        config_options(["--server.headless"])
