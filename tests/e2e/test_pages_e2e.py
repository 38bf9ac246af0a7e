"""Every page in a real browser: loads in each language with no console error and no request leaving
the machine, maps draw, deep links restore their view, station search works, axe finds no serious
violation, a cold deep link shows our navigation rather than Streamlit's legacy page list, and on a
phone the top findings wrap instead of being cut and headings are sized for the screen.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect

from conftest import streamlit_server

from saylau.figures.map_view import VIEWS
from saylau.i18n import LANGS, t
from saylau.profiles import load_profile

pytestmark = pytest.mark.e2e

PAGES = ("overview", "map", "discrepancies", "violations", "station", "forensics", "data")
CONTENT = "[data-testid='stMainBlockContainer'] :is(.js-plotly-plot, [data-testid='stMetric'], [data-testid='stDataFrame'], [data-testid='stAlert'])"
LOAD_TIMEOUT = 45_000
SETTLE_MS = 800
SERIOUS = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
PHONE_AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36"
MAP_ZOOM = "p => p._fullLayout.map.zoom"
PHONE_H1_MAX_PX = 28
LINK_LABEL = ":scope > span:last-child, p"  # a page link's label and its paragraph (not the icon)
CORE = "/_stcore/"  # Streamlit's own endpoints (health, host-config, stream), at the server's root


def station_id(root: Path) -> str:
    """Return a station id of the demo snapshot."""
    from saylau import store

    return store.load_tables(store.current(root))["stations"]["station_id"].sort()[0]


def open_page(page: Page, url: str) -> None:
    """Open a page and wait until its first chart, metric, table or message has drawn."""
    page.goto(url)
    page.locator(CONTENT).first.wait_for(timeout=LOAD_TIMEOUT)
    page.wait_for_timeout(SETTLE_MS)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_clean(server: str, demo_root: Path, watched_page: Page, name: str, lang: str):
    """The page draws in the language, logs no console error and fetches nothing from elsewhere."""
    query = f"id={station_id(demo_root)}&" if name == "station" else ""
    open_page(watched_page, f"{server}/{name}?{query}lang={lang}")
    assert watched_page.errors == []
    assert watched_page.outside == []
    expect(watched_page.get_by_text(t(f"nav.{name}", lang), exact=True).first).to_be_visible()


def test_a_page_finds_its_server_at_once(server: str, watched_page: Page):
    """At a page's own address the browser asks for Streamlit's endpoints at the server's root only.

    Left to itself, Streamlit's page first tries ``/map/_stcore/health`` and waits 100 ms after the 404
    (``serve.BackendBase`` tells it where the server is).
    """
    core: list[str] = []
    watched_page.on("request", lambda r: core.append(urlparse(r.url).path) if CORE in r.url else None)
    open_page(watched_page, f"{server}/map?lang=en")
    assert core
    assert all(path.startswith(CORE) for path in core), core
    assert watched_page.errors == []


def test_map_draws(server: str, watched_page: Page):
    """The map page draws a Plotly map with a MapLibre canvas, offline."""
    open_page(watched_page, f"{server}/map?lang=en")
    plot = watched_page.locator(".js-plotly-plot").filter(has=watched_page.locator("canvas.maplibregl-canvas")).first
    expect(plot).to_be_visible()
    box = plot.locator("canvas.maplibregl-canvas").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200
    assert watched_page.outside == []


def test_deep_link_restores_region(server: str, watched_page: Page):
    """``violations?region=ALA&lang=kk`` opens with Almaty selected, named in Kazakh."""
    open_page(watched_page, f"{server}/violations?region=ALA&lang=kk")
    name = load_profile("kz").region("ALA").names.get("kk")
    label = t("map.region", "kk")
    box = watched_page.get_by_role("combobox", name=label)
    expect(box).to_be_visible(timeout=LOAD_TIMEOUT)
    expect(box).to_match_aria_snapshot(f'- combobox "{label}": {name}')
    assert "region=ALA" in watched_page.url


def search_option(page: Page, label: str, station: str) -> Locator:
    """Search for a station by its id in a station search box (English page) and return its entry among the matches, open."""
    box = page.get_by_role("textbox", name=label)
    box.fill(station)
    box.press("Enter")
    page.get_by_role("combobox", name=re.compile(re.escape(t("search.matches", "en", n="")))).click()
    option = page.get_by_role("option").filter(has_text=f"{station} · ").first
    option.wait_for(timeout=LOAD_TIMEOUT)
    return option


def test_station_search_finds_station(server: str, demo_root: Path, watched_page: Page):
    """Typing a station id in the search box, pressing Enter and choosing it among the matches opens its page."""
    wanted = station_id(demo_root)
    open_page(watched_page, f"{server}/station?lang=en")
    search_option(watched_page, t("station.search", "en"), wanted).click()
    expect(watched_page.get_by_role("heading", name=t("station.title", "en", id=wanted))).to_be_visible(timeout=LOAD_TIMEOUT)
    assert f"id={wanted}" in watched_page.url


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violation(server: str, demo_root: Path, watched_page: Page, name: str):
    """axe-core finds no serious or critical violation on the page."""
    query = f"id={station_id(demo_root)}&" if name == "station" else ""
    open_page(watched_page, f"{server}/{name}?{query}lang=en")
    results = Axe().run(watched_page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert serious == [], results.generate_report()


def test_cold_deep_link_shows_our_navigation(demo_root: Path, page: Page):
    """A first visit to ``/map`` on a fresh server shows our page titles, not the legacy ``pages/`` list."""
    with streamlit_server(demo_root) as base:
        page.goto(f"{base}/map?lang=en")
        page.locator(".js-plotly-plot").first.wait_for(timeout=LOAD_TIMEOUT)
        page.wait_for_timeout(SETTLE_MS)
        for name in PAGES:
            expect(page.get_by_role("link", name=t(f"nav.{name}", "en"), exact=True).first).to_be_visible()
        assert page.get_by_role("link", name="app", exact=True).count() == 0


@pytest.mark.parametrize("lang", LANGS)
def test_phone_findings_wrap_and_headings_fit(server: str, demo_root: Path, page: Page, lang: str):
    """On a phone every top finding is shown whole (wrapped, still a link) and page titles are phone-sized."""
    page.set_viewport_size(PHONE)
    page.goto(f"{server}/overview?lang={lang}")
    links = page.locator("[data-testid='stPageLink-NavLink']")
    expect(links.nth(3)).to_be_visible(timeout=LOAD_TIMEOUT)  # at least four findings, all drawn
    for link in links.all():
        assert link.get_attribute("href")
        assert link.evaluate(f"a => [...a.querySelectorAll('{LINK_LABEL}')].every(e => e.scrollWidth <= e.clientWidth)")
    assert max(b["height"] for b in (link.bounding_box() for link in links.all()) if b) > 30  # a long one wraps
    page.goto(f"{server}/station?id={station_id(demo_root)}&lang={lang}")
    title = page.locator("[data-testid='stHeading'] h1").first
    expect(title).to_be_visible(timeout=LOAD_TIMEOUT)
    assert title.evaluate("h => parseFloat(getComputedStyle(h).fontSize)") <= PHONE_H1_MAX_PX


def test_a_phone_gets_maps_fitted_to_its_width(server: str, browser: Browser, page: Page):
    """A phone browser gets the maps zoomed out to show the whole country in its narrow column, and no
    Plotly tool bar (a touch screen would show it over the legend at all times)."""
    phone = browser.new_context(viewport=PHONE, user_agent=PHONE_AGENT, is_mobile=True, has_touch=True)
    try:
        zooms = []
        for tab in (page, phone.new_page()):
            zooms.append([])
            for view in VIEWS:
                tab.goto(f"{server}/map?view={view}&lang=en")
                plot = tab.locator(".js-plotly-plot").first
                expect(plot).to_be_visible(timeout=LOAD_TIMEOUT)
                tab.wait_for_timeout(SETTLE_MS)
                zooms[-1].append(plot.evaluate(MAP_ZOOM))
                assert (tab.locator(".modebar").count() > 0) == (tab is page)
        (wide_region, wide_stations), (phone_region, phone_stations) = zooms
        assert phone_region < wide_region - 0.5 and phone_stations < wide_stations - 0.5
    finally:
        phone.close()
