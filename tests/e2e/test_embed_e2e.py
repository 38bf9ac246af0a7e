"""Newsroom features in a real browser: every chart's embed page, an embed inside a plain article,
the chart downloads, and the briefing mode (keys, one slide per 1920x1080 or 1366x768 screen, PDF print).

On a page or in an embed the credit line is wrapping text under the chart, not part of the figure;
the PNG and SVG files and the briefing slides carry it inside the figure.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, FrameLocator, Locator, Page, expect

from conftest import streamlit_server

from saylau import store
from saylau.figures.assets import EMBED_HEIGHT, embed_snippet
from saylau.figures.credit import Credit, credit_lines
from saylau.figures.registry import CHARTS
from saylau.figures.theme import MUTED_TEXT_COLOR
from saylau.i18n import t
from saylau.views.chrome import CREDIT_KEY

pytestmark = pytest.mark.e2e

LOAD_TIMEOUT = 45_000
SLIDE = {"width": 1920, "height": 1080}
PROJECTOR = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": EMBED_HEIGHT}
DESKTOP = {"width": 1366, "height": 900}
CREDIT_BAND = 0.2  # the credit is the lowest text of an exported image: look for it in the bottom fifth
CREDIT_PIXELS = 500  # pixels of the credit colour there (a 2x PNG credit has thousands, a chart without one ~10)
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
    """Return the first line of the credit (its source, time and status)."""
    return credit_lines(Credit.from_manifest(manifest(root)), lang)[0]


def expect_credit_under_chart(view: Page | FrameLocator, slug: str, first_line: str) -> Locator:
    """Check that a view shows the credit once, as wrapping text under the chart and not inside the figure."""
    credit = view.locator(f".st-key-{CREDIT_KEY}-{slug}")
    expect(credit).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(credit).to_contain_text(first_line)
    expect(view.locator(".js-plotly-plot").get_by_text(first_line)).to_have_count(0)
    assert credit.evaluate("e => e.scrollWidth <= e.clientWidth"), "the credit line overflows instead of wrapping"
    return credit


def credit_pixels(png: bytes) -> int:
    """Count the pixels of the credit colour in the bottom band of a PNG."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    band = image.crop((0, int(image.height * (1 - CREDIT_BAND)), image.width, image.height))
    colour = tuple(int(MUTED_TEXT_COLOR[i:i + 2], 16) for i in (1, 3, 5))
    return sum(count for count, rgb in band.getcolors(band.width * band.height) if rgb == colour)


@pytest.mark.parametrize("slug", list(CHARTS))
def test_every_chart_embeds(server: str, demo_root: Path, watched_page: Page, slug: str):
    """Each registered chart's embed page draws the chart, its credit (once, as text) and data link, with no page scroll."""
    watched_page.set_viewport_size(PHONE)
    watched_page.goto(f"{server}/embed?{embed_query(slug, demo_root)}")
    expect(watched_page.locator(".js-plotly-plot").first).to_be_visible(timeout=LOAD_TIMEOUT)
    expect_credit_under_chart(watched_page, slug, credit_first_line(demo_root, "en"))
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
    """The embed code of a chart block, pasted into a plain page, shows the chart and its whole credit line in the frame."""
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
    credit = expect_credit_under_chart(frame, "result", credit_first_line(demo_root, "kk")).bounding_box()
    box = watched_page.locator("iframe").bounding_box()
    assert credit and box and box["y"] <= credit["y"] and credit["y"] + credit["height"] <= box["y"] + box["height"]
    assert credit["x"] + credit["width"] <= box["x"] + box["width"]
    assert watched_page.outside == []


def test_several_embeds_on_a_fresh_server(demo_root: Path, page: Page, tmp_path: Path):
    """An article with several embeds, opened first on a fresh server, draws every one (their sessions start at once)."""
    slugs = ("result", "region-map", "violations-by-section", "turnout-histogram")
    with streamlit_server(demo_root) as base:
        frames = "".join(embed_snippet(f"{base}/embed?{embed_query(slug, demo_root)}", slug) for slug in slugs)
        article = tmp_path / "article.html"
        article.write_text(f"<!doctype html><html lang='en'><title>article</title><body>{frames}</body></html>")
        page.set_viewport_size({"width": 760, "height": 2600})
        page.goto(article.as_uri())
        for k in range(len(slugs)):
            frame = page.frame_locator("iframe").nth(k)
            expect(frame.locator(".js-plotly-plot").first).to_be_visible(timeout=LOAD_TIMEOUT)
            assert frame.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize(
    ("label", "suffix"), [("block.csv", ".csv"), ("block.png", ".png"), ("block.svg", ".svg"), ("block.metadata", ".metadata.json")]
)
def test_chart_downloads(server: str, demo_root: Path, page: Page, tmp_path: Path, label: str, suffix: str):
    """The result block's downloads are valid files with the expected header or magic bytes; the PNG
    and SVG carry the credit line inside the figure."""
    page.goto(f"{server}/?lang=en")
    # the result block's own buttons: the first visible button on a page still drawing may be a later block's
    button = page.locator(".st-key-downloads-result").get_by_role("button", name=t(label, "en"))
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
        assert credit_pixels(body) > CREDIT_PIXELS
    elif suffix == ".svg":
        assert re.search(rb"<svg[^>]*xmlns=\"http://www.w3.org/2000/svg\"", body[:2000])
        assert html.escape(credit_first_line(demo_root, "en"), quote=False).encode() in body
    else:
        meta = json.loads(body)
        assert meta["chart"] == "result" and meta["data_version"] == manifest(demo_root)["snapshot_id"]


@pytest.mark.parametrize(("viewport", "rows"), [(PHONE, 2), (DESKTOP, 1)], ids=["phone", "desktop"])
def test_downloads_flow_in_rows(server: str, page: Page, viewport: dict, rows: int):
    """A chart block's four downloads take at most two rows on a phone and one on a desktop."""
    page.set_viewport_size(viewport)
    page.goto(f"{server}/overview?lang=kk")
    buttons = page.locator(".st-key-downloads-result [data-testid='stDownloadButton']")
    expect(buttons).to_have_count(4, timeout=LOAD_TIMEOUT)
    buttons.first.scroll_into_view_if_needed()
    tops = {round(box["y"]) for box in (b.bounding_box() for b in buttons.all()) if box}
    assert 1 <= len(tops) <= rows


def briefing_url(server: str, slide: int, lang: str = "en") -> str:
    """Return the URL of a briefing slide, chromeless."""
    return f"{server}/briefing?slide={slide}&lang={lang}&embed=true"


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


@pytest.mark.parametrize("viewport", [SLIDE, PROJECTOR], ids=["1920x1080", "1366x768"])
def test_briefing_slides_fit_the_screen(server: str, demo_root: Path, browser: Browser, viewport: dict):
    """A headline slide and a chart slide (Kazakh, the longest texts) fit the screen whole, down to the
    position line; the chart slide's figure carries the credit line."""
    page = browser.new_page(viewport=viewport)
    page.goto(briefing_url(server, 1, "kk"))
    expect(page.locator(".saylau-headline .value")).to_be_visible(timeout=LOAD_TIMEOUT)
    total = int(re.search(r"(\d+)\D*$", page.locator(".saylau-position").inner_text().split("·")[0]).group(1))
    for slide in (1, total):
        page.goto(briefing_url(server, slide, "kk"))
        position = page.locator(".saylau-position")
        expect(position).to_be_visible(timeout=LOAD_TIMEOUT)
        idle(page)
        box = position.bounding_box()
        assert box and box["y"] + box["height"] <= viewport["height"], f"slide {slide}: position line cut off"
        assert page.evaluate("(m => m.scrollHeight <= m.clientHeight + 1)(document.querySelector('[data-testid=stMain]'))")
    expect(page.locator(".js-plotly-plot").get_by_text(credit_first_line(demo_root, "kk"))).to_be_visible()
    page.close()
