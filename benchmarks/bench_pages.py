"""Time to first chart per page on the full-scale demo, cold (fresh server) and warm, in headless Chromium.

Usage: ``python benchmarks/bench_pages.py [--scale 1] [--rounds 3] [--warm-visits 3] [--out benchmarks/pages.md]``.

What is timed: from ``page.goto`` to the first visible chart of the page: a Plotly chart, or, on
pages whose first data element is a headline figure or a table (overview, station, data), that
metric or table. Notes and messages (``st.info``, ``st.warning``) do not count, so the violations
and forensics pages are timed to their first Plotly chart, not to the note above it.

Cold is the first visit on a freshly started ``streamlit run app.py`` (the first script run of the
server: modules are imported, metrics computed and cached). Warm is a later visit to the same
server, twice: from a new browser context (a new visitor: server caches warm, browser cache
empty, so Streamlit's and Plotly's ~7 MB of script are fetched and compiled again) and from a
context that has seen the page (a returning visitor, or a reader moving between pages). Each
round starts a new server per page; the table shows medians over rounds (cold) and over rounds
× warm visits (warm), and each figure's ratio to the reference. A reference row times a one-file app with a single two-bar Plotly chart on the
same machine: no page can beat it, since it is Streamlit's own start-up and Plotly load.
Targets: warm < 1.5 s, cold < 4 s. Prints a markdown table and writes it to ``--out``.
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

from playwright.sync_api import Browser, BrowserContext, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from conftest import BROWSER_ARGS, chromium_path, streamlit_server  # noqa: E402
from test_pages_e2e import station_id  # noqa: E402

PAGES = ("overview", "map", "discrepancies", "violations", "station", "forensics", "data")
FIRST_CHART = ("[data-testid='stMainBlockContainer'] "
               ":is(.js-plotly-plot, [data-testid='stMetric'], [data-testid='stDataFrame'])")
ERROR = "[data-testid='stException']"
WARM_TARGET = 1.5
COLD_TARGET = 4.0
TIMEOUT_MS = 120_000
VIEWPORT = {"width": 1366, "height": 900}
REFERENCE = "reference: one 2-bar Plotly chart"
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
    page.locator(f"{FIRST_CHART}, {ERROR}").first.wait_for(timeout=TIMEOUT_MS)
    elapsed = time.perf_counter() - start
    if page.locator(ERROR).count():
        raise RuntimeError(f"{url} raised: {page.locator(ERROR).first.inner_text()[:300]}")
    page.close()
    return elapsed


def first_chart(browser: Browser, url: str) -> float:
    """Open a URL in a new browser context (empty browser cache) and return the seconds to the first chart."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        return visit(context, url)
    finally:
        context.close()


def returning(browser: Browser, url: str, visits: int) -> list[float]:
    """Visit a URL once to fill a browser cache, then ``visits`` times more from it; return those times."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        visit(context, url)
        return [visit(context, url) for _ in range(visits)]
    finally:
        context.close()


def measure(browser: Browser, root: Path, path: str, rounds: int, warm_visits: int,
            script: Path | None = None) -> tuple[float, float, float]:
    """Return the median cold, warm (new visitor) and warm (returning visitor) seconds over ``rounds`` fresh servers."""
    cold, warm, back = [], [], []
    for _ in range(rounds):
        with streamlit_server(root, **({"script": script} if script else {})) as base:
            cold.append(first_chart(browser, f"{base}/{path}"))
            warm.extend(first_chart(browser, f"{base}/{path}") for _ in range(warm_visits))
            back.extend(returning(browser, f"{base}/{path}", warm_visits))
    return statistics.median(cold), statistics.median(warm), statistics.median(back)


def mark(value: float, target: float) -> str:
    """Format seconds, flagging a missed target."""
    return f"{value:.2f}" + ("" if value < target else " ✗")


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
        rows, loads = [], [load()]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
            cold, warm, back = measure(browser, root, "", args.rounds, args.warm_visits, script=reference)
            rows.append((REFERENCE, cold, warm, back))
            print(f"{REFERENCE}: cold {cold:.2f} s, warm {warm:.2f} s, returning {back:.2f} s (load {load()})", flush=True)
            for name in args.pages.split(","):
                query = f"id={station}&lang=en" if name == "station" else "lang=en"
                cold, warm, back = measure(browser, root, f"{name}?{query}", args.rounds, args.warm_visits)
                rows.append((name, cold, warm, back))
                loads.append(load())
                print(f"{name}: cold {cold:.2f} s, warm {warm:.2f} s, returning {back:.2f} s (load {loads[-1]})", flush=True)
            browser.close()
    ref_cold, ref_warm, ref_back = rows[0][1:]
    table = "\n".join(
        ["| page | cold (s) | warm, new visitor (s) | warm, returning visitor (s) | ratios to the reference (cold / new / returning) |",
         "|---|---:|---:|---:|---:|"]
        + [f"| {name} | {mark(cold, COLD_TARGET)} | {mark(warm, WARM_TARGET)} | {mark(back, WARM_TARGET)} | "
           f"{cold / ref_cold:.1f} / {warm / ref_warm:.1f} / {back / ref_back:.1f} |" for name, cold, warm, back in rows]
    )
    text = (
        f"# Time to first chart, snapshot {snapshot}\n\n{machine()}; headless Chromium; "
        f"targets: warm < {WARM_TARGET} s, cold < {COLD_TARGET} s (✗ = missed).\n\n"
        f"Median of {args.rounds} fresh servers per page (cold: first visit, server and browser cache empty), "
        f"{args.rounds} × {args.warm_visits} visits from new browser contexts (warm, new visitor: server caches warm, "
        f"browser cache empty) and as many from one browser context that has seen the page (warm, returning visitor: "
        f"Streamlit's and Plotly's scripts come from the browser cache); the clock stops at the first visible Plotly chart (the first metric "
        f"or table on the overview, station and data pages). 1-minute load average during the run: "
        f"{', '.join(loads)}.\n\n{table}\n"
    )
    print(text)
    args.out.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
