"""Browser fixtures: a real Streamlit server on 127.0.0.1 and Debian's headless Chromium.

Outside CI the browser tests skip when no Chromium is installed; in CI (``CI=true``) a
missing browser is a failure, because ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
START_TIMEOUT = 60


def chromium_path() -> str | None:
    """Return the system Chromium, or skip (outside CI) / fail (in CI) when there is none."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium for the browser tests (.ci/run does)")
    pytest.skip("no Chromium on this machine")
    return None


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(root: Path, script: Path = ROOT / "app.py") -> Iterator[str]:
    """Start a server on a data folder, yield its base URL once healthy, then stop it.

    Our ``app.py`` runs as ``make run`` runs it (``saylau serve``, which warms the caches); any
    other script with a plain ``streamlit run``.
    """
    port = free_port()
    options = ["--server.address", "127.0.0.1", "--server.headless", "true"]
    command = (["-m", "saylau.cli", "serve", "--app", script.name, "--port", str(port), "--", *options]
               if script == ROOT / "app.py" else ["-m", "streamlit", "run", script.name, "--server.port", str(port), *options])
    proc = subprocess.Popen(
        [sys.executable, *command],
        cwd=script.parent, env={**os.environ, "SAYLAU_DATA": str(root)}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + START_TIMEOUT
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        else:
            proc.kill()
            pytest.fail(f"streamlit did not start: {proc.stdout.read().decode()[-2000:]}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(demo_root: Path) -> Iterator[str]:
    """A server on the demo snapshot, shared by the whole browser-test session."""
    chromium_path()
    with streamlit_server(demo_root) as base:
        yield base


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    """Launch Debian's Chromium (Playwright cannot download browsers here)."""
    return {"executable_path": chromium_path(), "args": BROWSER_ARGS}


@pytest.fixture()
def watched_page(page):
    """A page that records console errors and every request that leaves the machine."""
    page.outside = []
    page.errors = []
    page.on("request", lambda r: page.outside.append(r.url)
            if r.url.startswith("http") and r.url.split("/")[2].split(":")[0] not in LOCAL_HOSTS else None)
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page
