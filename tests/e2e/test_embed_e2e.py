"""Newsroom features in a real browser: every chart's embed page, an embed inside a plain article,
the chart downloads, and the briefing mode (keys, one slide per 1920x1080 screen, PDF print).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from saylau import store
from saylau.figures.assets import EMBED_HEIGHT
from saylau.figures.credit import Credit, credit_lines
from saylau.figures.registry import CHARTS
from saylau.i18n import t

pytestmark = pytest.mark.e2e

LOAD_TIMEOUT = 45_000
SLIDE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": EMBED_HEIGHT}
CHART_PARAMS = {"station": "id"}  # pages whose charts show one item named in the URL
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CSV_BOM = "\ufeff"


SETTLE_MS = 1500


def manifest(root: Path) -> dict:
    """Return the demo snapshot's manifest."""
    return store.manifest(store.current(root))


def embed_query(slug: str, root: Path, lang: str = "en") -> str:
    """Return the embed query of a chart, with the item its page needs (a station id)."""
    query = f"chart={slug}&lang={lang}&embed=true"
    key = CHART_PARAMS.get(CHARTS[slug].page)
    if key:
        first = store.load_tables(store.current(root))["stations"]["station_id"].sort()[0]
        query += f"&{key}={first}"
    return query


def credit_first_line(root: Path, lang: str) -> str:
    """Return the first line of the credit as the embed page shows it."""
    return credit_lines(Credit.from_manifest(manifest(root)), lang)[0]


@pytest.mark.parametrize("slug", list(CHARTS))
def test_every_chart_embeds(server: str, demo_root: Path, watched_page: Page, slug: str):
    """Each registered chart's embed page draws the chart, its credit and data link, with no page scroll."""
    watched_page.set_viewport_size(PHONE)
    watched_page.goto(f"{server}/embed?{embed_query(slug, demo_root)}")
    expect(watched_page.locator(".js-plotly-plot").first).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(watched_page.get_by_text(credit_first_line(demo_root, "en")).first).to_be_visible()
    expect(watched_page.get_by_role("button", name=t("embed.data", "en"))).to_be_visible()
    watched_page.wait_for_timeout(500)
    assert watched_page.evaluate("document.scrollingElement.scrollHeight") <= PHONE["height"] + 1
    assert watched_page.outside == []


def test_unknown_chart_says_so(server: str, page: Page):
    """An unknown slug gets a clear message and the list of charts, not a traceback."""
    page.goto(f"{server}/embed?chart=no-such-chart&lang=ru&embed=true")
    expect(page.get_by_text(t("embed.unknown", "ru"))).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(page.get_by_text(next(iter(CHARTS))).first).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0


def test_embed_inside_an_article(server: str, demo_root: Path, watched_page: Page, tmp_path: Path):
    """The embed code of a chart block, pasted into a plain page, shows the chart and its credit line."""
    watched_page.goto(f"{server}/?lang=kk")
    watched_page.get_by_text(t("block.embed", "kk")).first.click()
    snippet = watched_page.locator("[data-testid='stCode'] code").first.inner_text()
    assert snippet.startswith("<iframe") and "embed=true" in snippet
    article = tmp_path / "article.html"
    article.write_text(f"<!doctype html><html lang='kk'><title>article</title><body><h1>Мақала</h1>{snippet}</body></html>")
    watched_page.set_viewport_size(PHONE | {"height": 844})
    watched_page.goto(article.as_uri())
    frame = watched_page.frame_locator("iframe")
    expect(frame.locator(".js-plotly-plot").first).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(frame.get_by_text(credit_first_line(demo_root, "kk")).first).to_be_visible()
    assert watched_page.outside == []


@pytest.mark.parametrize(
    ("label", "suffix"), [("block.csv", ".csv"), ("block.png", ".png"), ("block.svg", ".svg"), ("block.metadata", ".metadata.json")]
)
def test_chart_downloads(server: str, demo_root: Path, page: Page, tmp_path: Path, label: str, suffix: str):
    """The first chart block's downloads are valid files with the expected header or magic bytes."""
    page.goto(f"{server}/?lang=en")
    button = page.get_by_role("button", name=t(label, "en")).first
    expect(button).to_be_visible(timeout=LOAD_TIMEOUT)
    with page.expect_download(timeout=LOAD_TIMEOUT) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("saylau_result_") and download.suggested_filename.endswith(suffix)
    body = Path(download.path()).read_bytes()
    if suffix == ".csv":
        header = body.decode("utf-8").splitlines()[0]
        assert header.startswith(CSV_BOM) and header.lstrip(CSV_BOM).split(",")[0] == "option"
    elif suffix == ".png":
        assert body.startswith(PNG_MAGIC)
    elif suffix == ".svg":
        assert re.search(rb"<svg[^>]*xmlns=\"http://www.w3.org/2000/svg\"", body[:2000])
    else:
        meta = json.loads(body)
        assert meta["chart"] == "result" and meta["data_version"] == manifest(demo_root)["snapshot_id"]


def briefing_url(server: str, slide: int) -> str:
    """Return the URL of a briefing slide in English, chromeless."""
    return f"{server}/briefing?slide={slide}&lang=en&embed=true"


def idle(page: Page) -> None:
    """Wait until the Streamlit script has finished its run (the "running" indicator is gone)."""
    page.wait_for_timeout(SETTLE_MS)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=LOAD_TIMEOUT)


def press_until(page: Page, key: str, url_pattern: str, attempts: int = 3) -> None:
    """Press a key on an idle page until the URL matches; a key pressed while the app is still
    wiring its shortcut listeners may be dropped, as it would be for a person pressing too early.
    """
    for attempt in range(attempts):
        idle(page)
        page.mouse.click(SLIDE["width"] // 2, SLIDE["height"] // 2)  # focus the document
        page.keyboard.press(key)
        try:
            expect(page).to_have_url(re.compile(url_pattern), timeout=LOAD_TIMEOUT // attempts)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise


def test_briefing_keys_fit_and_print(server: str, demo_root: Path, browser: Browser, tmp_path: Path):
    """Slides move with the arrow keys (and the URL follows), fit 1920x1080 and print to one PDF page each."""
    page = browser.new_page(viewport=SLIDE)
    page.goto(briefing_url(server, 1))
    status = page.locator(".saylau-status")
    expect(status).to_contain_text(t("status." + manifest(demo_root)["election"]["status"], "en"), timeout=LOAD_TIMEOUT)
    expect(page.locator(".saylau-headline .value")).to_be_visible()
    press_until(page, "ArrowRight", r"slide=2")
    expect(page.locator(".saylau-status")).to_be_visible(timeout=LOAD_TIMEOUT)
    press_until(page, "ArrowLeft", r"slide=1")
    total = int(re.search(r"(\d+)\D*$", page.locator(".saylau-position").inner_text().split("·")[0]).group(1))
    page.goto(briefing_url(server, total))
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(status).to_be_visible()
    page.wait_for_timeout(800)
    assert page.evaluate("document.scrollingElement.scrollHeight") <= SLIDE["height"] + 1
    pdf = page.pdf(width=f"{SLIDE['width']}px", height=f"{SLIDE['height']}px", print_background=True)
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.close()
