"""``saylau serve``: run the dashboard (Streamlit's server on ``app.py``) and warm its caches meanwhile.

On a plain ``streamlit run`` the first visitor's first script run imports the page modules,
reads the snapshot and computes its metrics and forensics tables, and the visitor waits for
all of it (about 2 s on the demo). Here a background thread starts that work as the server
starts, while a first visitor's browser is still loading Streamlit's scripts. A visitor who
arrives before it has finished waits only for the rest: modules are imported once, and a
cached table being computed is waited for, not computed again (Streamlit's cache). Charts are
not built ahead: they depend on the reader's language, filters and screen.

The server is Streamlit's own ``st.App`` on the router script, as ``streamlit run`` would serve
it, with one middleware (``BackendBase``) that tells each page where the server is before
Streamlit's scripts run, so the page does not first look for the server under its own path.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import logging
import pkgutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOG = logging.getLogger("saylau.serve")
COMPUTE_PACKAGES = ("saylau.figures", "saylau.metrics", "saylau.forensics")  # what the pages' data and charts need
VIEW_PACKAGES = ("saylau.views",)  # the pages' own helpers: declare Streamlit caches, so imported once the runtime exists
RUNTIME_WAIT = 30.0  # seconds to wait for Streamlit's runtime before filling its caches
HEAD = b"<head>"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``saylau serve``."""
    parser.add_argument("--app", type=Path, default=Path("app.py"), help="the Streamlit router script")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("streamlit_options", nargs=argparse.REMAINDER,
                        help="after --: options for `streamlit run`, e.g. -- --server.headless true")


def import_packages(names: tuple[str, ...]) -> None:
    """Import every module of some packages (charts register themselves on import)."""
    for name in names:
        package = importlib.import_module(name)
        for info in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{name}.{info.name}")


def warm() -> None:
    """Import the page modules and load the current snapshot's tables into the caches; log, never raise."""
    start = time.perf_counter()
    try:
        import_packages(COMPUTE_PACKAGES)
        from streamlit import runtime

        while not runtime.exists() and time.perf_counter() - start < RUNTIME_WAIT:
            time.sleep(0.05)  # the caches then use the server's storage, as on a visitor's run
        import_packages(VIEW_PACKAGES)
        from saylau.views import cached

        sid = cached.warm()
    except Exception:  # a broken snapshot is reported by the pages themselves; the server keeps running
        LOG.warning("warming the caches failed; the first visit will do the work", exc_info=True)
        return
    LOG.info("caches warm for snapshot %s in %.1f s", sid or "(none)", time.perf_counter() - start)


def base_script(base_url_path: str) -> bytes:
    """The script that names the server's address for Streamlit's page (``window.__streamlit``)."""
    path = json.dumps("/" + base_url_path.strip("/")).replace("<", "\\u003c")
    return f"<script>window.__streamlit={{BACKEND_BASE_URL:location.origin+{path}}}</script>".encode()


class BackendBase:
    """ASGI middleware: put ``base_script`` at the top of every HTML page the server sends.

    Streamlit's page otherwise takes its own path for the server's: at ``/map`` it first asks
    ``/map/_stcore/health``, gets a 404 and asks ``/_stcore/health`` after a fixed 100 ms, on
    every load of every page address but ``/`` (a new visitor, a new tab, a reload).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass every request through; hold an HTML response's body to add the script to it."""
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body: list[bytes] = []

        async def respond(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = message
                    return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await self._send_page(start, b"".join(body), send)

        await self.app(scope, receive, respond)

    @staticmethod
    async def _send_page(start: Message, html: bytes, send: Send) -> None:
        """Send an HTML page with ``base_script`` after its ``<head>`` (uncompressed: it is small)."""
        from streamlit import config

        headers = list(start.get("headers", []))
        if any(k.lower() == b"content-encoding" and v == b"gzip" for k, v in headers):
            html = gzip.decompress(html)
        html = html.replace(HEAD, HEAD + base_script(config.get_option("server.baseUrlPath") or ""), 1)
        kept = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"content-encoding")]
        await send({**start, "headers": [*kept, (b"content-length", str(len(html)).encode())]})
        await send({"type": "http.response.body", "body": html})


def config_options(options: list[str]) -> dict[str, Any]:
    """Read ``--section.option value`` pairs (as ``streamlit run`` takes them) into typed config values."""
    if len(options) % 2 or not all(o.startswith("--") for o in options[::2]):
        raise SystemExit(f"expected --section.option value pairs after --, got {' '.join(options)}")
    words = {"true": True, "false": False}
    return {key[2:]: words.get(value.lower(), int(value) if value.isdigit() else value)
            for key, value in zip(options[::2], options[1::2], strict=True)}


def run(args: argparse.Namespace) -> int:
    """Start the warm-up thread, then Streamlit's server on the router script; return when it stops."""
    import streamlit as st
    from starlette.middleware import Middleware

    if not LOG.handlers:
        LOG.addHandler(logging.StreamHandler())
        LOG.setLevel(logging.INFO)
    app = args.app.resolve()
    # Streamlit's banner, when headless, asks checkip.amazonaws.com for the machine's address; we print our own
    config = {"logger.hideWelcomeMessage": True, **config_options([o for o in args.streamlit_options if o != "--"]),
              "server.port": args.port}
    sys.argv = [str(app)]  # as `streamlit run app.py` sets it: the router's folder anchors paths and config
    threading.Thread(target=warm, name="saylau-warm", daemon=True).start()
    LOG.info("Saylau on http://localhost:%d", args.port)
    st.App(app, middleware=[Middleware(BackendBase)]).run(config=config)
    return 0
