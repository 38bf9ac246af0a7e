"""The static export in a real browser: opened from disk with every non-file request blocked, every
chart draws (maps, which Chromium cannot draw from file://, show their PNG) and the manifest holds.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Route, expect

from saylau import store
from saylau.export import INDEX, MANIFEST, export_site

pytestmark = pytest.mark.e2e

LANG = "en"
DRAW_TIMEOUT = 20_000


@pytest.fixture(scope="module")
def site(demo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Export the demo snapshot once, in English, with PNG fallbacks."""
    out = tmp_path_factory.mktemp("site")
    export_site(store.current(demo_root), out, [LANG], images=True)
    return out


def offline(context: BrowserContext) -> list[str]:
    """Abort every request that is not a file:// one; return the list of aborted URLs."""
    blocked: list[str] = []

    def handle(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    return blocked


def test_site_opens_from_disk_with_network_blocked(site: Path, context: BrowserContext):
    """Every chart page draws from disk; maps fall back to their image; nothing is requested elsewhere."""
    blocked = offline(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    manifest = json.loads((site / MANIFEST).read_text())
    assert manifest["images"]["png"], manifest["images"]["note"]
    page.goto((site / LANG / INDEX).as_uri())
    links = page.locator("ul.charts > li > a")
    assert links.count() == len(manifest["charts"])
    for slug in manifest["charts"]:
        page.goto((site / LANG / f"{slug}.html").as_uri())
        fallback = page.locator("figure.file-fallback img")
        if fallback.count():
            expect(fallback).to_be_visible()
            assert page.evaluate("document.querySelector('figure.file-fallback img').naturalWidth") > 0
        else:
            expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=DRAW_TIMEOUT)
    assert blocked == []
    assert errors == []


def test_manifest_hashes_match_files(site: Path):
    """Every file of the site is in the manifest with its sha256, and nothing else is."""
    files = json.loads((site / MANIFEST).read_text())["files"]
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} - {MANIFEST}
    assert set(files) == on_disk
    for name, entry in files.items():
        assert hashlib.sha256((site / name).read_bytes()).hexdigest() == entry["sha256"], name
