"""Time to first chart per page on the full-scale demo, cold (fresh server) and warm, in headless Chromium.

Usage: ``python benchmarks/bench_pages.py [--scale 1] [--rounds 3] [--warm-visits 3] [--out benchmarks/pages.md]``.

What is timed: from ``page.goto`` to the first visible chart of the page: a Plotly chart, or, on
pages whose first data element is a headline figure or a table (overview, station, data), that
metric or table. Notes and messages (``st.info``, ``st.warning``) do not count, so the violations
and forensics pages are timed to their first Plotly chart, not to the note above it. The page is
checked for it on every animation frame.

Cold is the first visit to a freshly started server, started as ``make run`` starts it (``saylau
serve``: ``streamlit run app.py`` with a thread that imports the page modules and computes the
snapshot's tables as the server starts), made as soon as the server answers its health check, so
the warm-up is usually still running; the first script run then builds the charts and waits for
whatever is left of the warm-up. Warm is a later visit to the same
server, twice: from a new browser context (a new visitor: server caches warm, browser cache
empty, so Streamlit's and Plotly's ~7 MB of script are fetched and compiled again) and from a
context that has seen the page (a returning visitor, or a reader moving between pages). Each
round starts a new server per page; the table shows medians over rounds (cold) and over rounds
× warm visits (warm), and each figure's ratio to the reference. A reference row times a one-file app with a single two-bar Plotly chart on the
same machine: no page can beat it, since it is Streamlit's own start-up and Plotly load.
Targets: warm < 1.5 s, cold < 4 s. Prints a markdown table, writes it to ``--out`` and exits 1 if any figure misses its target.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from conftest import BROWSER_ARGS, chromium_path, streamlit_server  # noqa: E402
from test_pages_e2e import search_option, station_id  # noqa: E402

from saylau.i18n import t  # noqa: E402

PAGES = ("overview", "map", "discrepancies", "violations", "station", "forensics", "data")
FIRST_CHART = ("[data-testid='stMainBlockContainer'] "
               ":is(.js-plotly-plot, [data-testid='stMetric'], [data-testid='stDataFrame'])")
ERROR = "[data-testid='stException']"
WARM_TARGET = 1.5
COLD_TARGET = 4.0
TIMEOUT_MS = 120_000
VIEWPORT = {"width": 1366, "height": 900}
REFERENCE = "reference: one 2-bar Plotly chart"
WAYS = {"cold": "cold (s)", "new": "warm, new visitor (s)", "returning": "warm, returning visitor, new tab (s)",
        "reload": "warm, reload (s)", "navigation": "warm, in-app navigation (s)"}  # way of arriving: its column
ARM = """sel => {
  window.__old = new WeakSet(document.querySelectorAll(sel));
  window.__stale = new WeakSet();
  if (window.__watch) window.__watch.disconnect();
  window.__watch = new MutationObserver(changes => {
    for (const c of changes) if (c.target.getAttribute('data-stale') === 'true') window.__stale.add(c.target);
  });
  window.__watch.observe(document, {subtree: true, attributes: true, attributeFilter: ['data-stale']});
}"""
ARRIVED = """([sel, name]) => location.pathname.endsWith('/' + name) && [...document.querySelectorAll(sel)].some(n => {
  const box = n.closest('[data-testid=stElementContainer]');
  const r = n.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && (!box || box.getAttribute('data-stale') !== 'true')
    && (!window.__old.has(n) || (box !== null && window.__stale.has(box)));
})"""
VISIBLE = """sel => [...document.querySelectorAll(sel)].some(n => {
  const r = n.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
})"""
REFERENCE_APP = '''import plotly.graph_objects as go
import streamlit as st

st.title("Reference")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])), theme=None)
'''


def visit(context: BrowserContext, url: str) -> float:
    """Open a URL in a new tab of a browser context and return the seconds until the first chart is visible."""
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    settle(page, url)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def settle(page: Page, url: str) -> None:
    """Wait for the first chart (or an error) of the page in view, checked every frame; raise if the page showed an exception.

    Checked on every animation frame (``polling="raf"``): ``locator.wait_for`` re-checks at growing
    intervals of up to 500 ms, which would add up to half a second to a page that is slower than the
    first few checks.
    """
    page.wait_for_function(VISIBLE, arg=f"{FIRST_CHART}, {ERROR}", timeout=TIMEOUT_MS, polling="raf")
    raise_on_error(page, url)


def raise_on_error(page: Page, where: str) -> None:
    """Raise if the page shows a Streamlit exception."""
    if page.locator(ERROR).count():
        raise RuntimeError(f"{where} raised: {page.locator(ERROR).first.inner_text()[:300]}")


def first_chart(browser: Browser, url: str) -> float:
    """Open a URL in a new browser context (empty browser cache) and return the seconds to the first chart."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        return visit(context, url)
    finally:
        context.close()


def returning(browser: Browser, url: str, visits: int) -> tuple[list[float], list[float]]:
    """Fill a browser cache with one visit, then time ``visits`` new tabs and ``visits`` reloads of one tab."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        visit(context, url)
        tabs = [visit(context, url) for _ in range(visits)]
        page = context.new_page()
        page.goto(url)
        settle(page, url)
        reloads = []
        for _ in range(visits):
            start = time.perf_counter()
            page.reload()
            settle(page, url)
            reloads.append(time.perf_counter() - start)
        return tabs, reloads
    finally:
        context.close()


def navigations(browser: Browser, base: str, name: str, station: str, visits: int) -> list[float]:
    """Time in-app moves to a page: a click on its link in the top navigation (on the overview, or on the data
    page for the overview itself), or, for a station, choosing it among the matches of the station search (the
    clock starts at that click, once the query has been typed and its matches listed).

    The clock stops at the first chart of the new page: one that was not on the previous page, or that
    was and has been redrawn by the new page's run (Streamlit marks an element stale until then).
    """
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    times = []
    try:
        for _ in range(visits):
            if name == "station":
                page.goto(f"{base}/station?lang=en")
                target = search_option(page, t("station.search", "en"), station)
            else:
                start_page = f"{base}/{'data' if name == 'overview' else 'overview'}?lang=en"
                page.goto(start_page)
                settle(page, start_page)
                target = page.locator(f"a[href$='/{name}']").first
            page.evaluate(ARM, FIRST_CHART)
            start = time.perf_counter()
            target.click()
            page.wait_for_function(ARRIVED, arg=[FIRST_CHART, name], timeout=TIMEOUT_MS, polling="raf")
            times.append(time.perf_counter() - start)
            raise_on_error(page, name)
        return times
    finally:
        context.close()


def measure(browser: Browser, root: Path, path: str, rounds: int, warm_visits: int,
            script: Path | None = None, station: str | None = None) -> dict[str, float | None]:
    """Return median seconds per way of arriving (``WAYS``) over ``rounds`` fresh servers; navigation needs ``station``."""
    times: dict[str, list[float]] = {way: [] for way in WAYS}
    for _ in range(rounds):
        with streamlit_server(root, **({"script": script} if script else {})) as base:
            times["cold"].append(first_chart(browser, f"{base}/{path}"))
            times["new"].extend(first_chart(browser, f"{base}/{path}") for _ in range(warm_visits))
            tabs, reloads = returning(browser, f"{base}/{path}", warm_visits)
            times["returning"].extend(tabs)
            times["reload"].extend(reloads)
            if station is not None:
                times["navigation"].extend(navigations(browser, base, path.split("?")[0], station, warm_visits))
    return {way: statistics.median(values) if values else None for way, values in times.items()}


def target(way: str) -> float:
    """The target of a way of arriving (``WAYS``): cold or warm."""
    return COLD_TARGET if way == "cold" else WARM_TARGET


def mark(value: float, limit: float) -> str:
    """Format seconds, flagging a missed target."""
    return f"{value:.2f}" + ("" if value < limit else " ✗")


def machine() -> str:
    """Describe the machine the numbers come from."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def load() -> str:
    """Return the 1-minute load average (other work on the machine slows every number)."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def main() -> int:
    """Generate the demo, time every page cold and warm, print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--data", type=Path, default=None, help="time an existing data root instead of a new demo")
    parser.add_argument("--rounds", type=int, default=3, help="fresh servers per page (cold visits)")
    parser.add_argument("--warm-visits", type=int, default=3, help="warm visits per server")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated pages to time")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "pages.md")
    args = parser.parse_args()
    from saylau import store
    from saylau.cli import main as saylau

    with tempfile.TemporaryDirectory(prefix="saylau-bench-pages-") as tmp:
        root = args.data or Path(tmp) / "data"
        if args.data is None:
            assert saylau(["demo", "--out", str(root), "--scale", str(args.scale)]) == 0
        snapshot = store.current(root).name
        station = station_id(root)
        reference = Path(tmp) / "reference" / "reference_app.py"
        (reference.parent / ".streamlit").mkdir(parents=True)
        (reference.parent / ".streamlit" / "config.toml").write_bytes((ROOT / ".streamlit" / "config.toml").read_bytes())
        reference.write_text(REFERENCE_APP, "utf-8")
        rows: list[tuple[str, dict[str, float | None]]] = []
        loads = [load()]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
            rows.append((REFERENCE, measure(browser, root, "", args.rounds, args.warm_visits, script=reference)))
            print(f"{REFERENCE}: {rows[-1][1]} (load {load()})", flush=True)
            for name in args.pages.split(","):
                query = f"id={station}&lang=en" if name == "station" else "lang=en"
                rows.append((name, measure(browser, root, f"{name}?{query}", args.rounds, args.warm_visits, station=station)))
                loads.append(load())
                print(f"{name}: {rows[-1][1]} (load {loads[-1]})", flush=True)
            browser.close()
    reference_times = rows[0][1]

    def cells(times: dict[str, float | None]) -> list[str]:
        return [mark(v, target(way)) if v is not None else "—" for way, v in times.items()]

    def ratios(times: dict[str, float | None]) -> str:
        return " / ".join(f"{v / reference_times[way]:.1f}" for way, v in times.items() if way != "navigation")

    table = "\n".join(
        [f"| page | {' | '.join(WAYS.values())} | ratios to the reference (cold / new / returning / reload) |",
         "|---|" + "---:|" * (len(WAYS) + 1)]
        + [f"| {name} | {' | '.join(cells(times))} | {ratios(times)} |" for name, times in rows]
    )
    text = (
        f"# Time to first chart, snapshot {snapshot}\n\n{machine()}; headless Chromium; "
        f"targets: warm < {WARM_TARGET} s, cold < {COLD_TARGET} s (✗ = missed).\n\n"
        f"Median of {args.rounds} fresh servers per page (cold: first visit, server and browser cache empty), "
        f"{args.rounds} × {args.warm_visits} visits from new browser contexts (warm, new visitor: server caches warm, "
        f"browser cache empty), as many new tabs of one browser context that has seen the page (warm, returning "
        f"visitor: Streamlit's and Plotly's scripts come from the browser cache, but each tab is a new renderer that "
        f"compiles them again), as many reloads of one such tab (warm, reload: the renderer keeps its compiled "
        f"scripts), and as many moves inside the app (warm, in-app navigation: a click on the page's link in the top "
        f"navigation of the overview, or of the data page for the overview; for a station, choosing it among "
        f"the matches of the station search). The clock stops when the first Plotly chart is laid out (the first metric or table on "
        f"the overview, station and data pages); a map's WebGL layer paints after that. 1-minute load average "
        f"during the run: {', '.join(loads)}.\n\n{table}\n"
    )
    print(text)
    args.out.write_text(text, "utf-8")
    missed = [v for _, times in rows for way, v in times.items() if v is not None and v >= target(way)]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
