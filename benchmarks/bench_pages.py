"""Time to first chart per page on the full-scale demo, cold (fresh server) and warm, in headless Chromium.

Usage: ``python benchmarks/bench_pages.py [--scale 1] [--out benchmarks/pages.md]``. For each page a
fresh ``streamlit run`` serves one cold visit (the first script run of the server: metrics are
computed and cached), then a new browser context makes the warm visit. The clock runs from
``page.goto`` to the first visible Plotly chart (or metric / table on pages that start without
one). Targets: warm < 1.5 s, cold < 4 s. Prints a markdown table and writes it to ``--out``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from conftest import BROWSER_ARGS, chromium_path, streamlit_server  # noqa: E402
from test_pages_e2e import CONTENT, station_id  # noqa: E402

PAGES = ("overview", "map", "discrepancies", "violations", "station", "forensics", "data")
WARM_TARGET = 1.5
COLD_TARGET = 4.0
TIMEOUT_MS = 120_000


def first_chart(browser: Browser, url: str) -> float:
    """Open a URL in a new browser context and return the seconds until the first chart is visible."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.locator(f"{CONTENT}, [data-testid='stException']").first.wait_for(timeout=TIMEOUT_MS)
    elapsed = time.perf_counter() - start
    if page.locator("[data-testid='stException']").count():
        raise RuntimeError(f"{url} raised: {page.locator('[data-testid=stException]').first.inner_text()[:300]}")
    context.close()
    return elapsed


def mark(value: float, target: float) -> str:
    """Format seconds, flagging a missed target."""
    return f"{value:.2f}" + ("" if value < target else " ✗")


def machine() -> str:
    """Describe the machine the numbers come from."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def main() -> int:
    """Generate the demo, time every page cold and warm, print and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--data", type=Path, default=None, help="time an existing data root instead of a new demo")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "pages.md")
    args = parser.parse_args()
    from saylau import store
    from saylau.cli import main as saylau

    with tempfile.TemporaryDirectory(prefix="saylau-bench-pages-") as tmp:
        root = args.data or Path(tmp)
        if args.data is None:
            assert saylau(["demo", "--out", str(root), "--scale", str(args.scale)]) == 0
        snapshot = store.current(root).name
        station = station_id(root)
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
            for name in PAGES:
                query = f"id={station}&lang=en" if name == "station" else "lang=en"
                with streamlit_server(root) as base:
                    url = f"{base}/{name}?{query}"
                    cold = first_chart(browser, url)
                    warm = first_chart(browser, url)
                rows.append((name, cold, warm))
                print(f"{name}: cold {cold:.2f} s, warm {warm:.2f} s", flush=True)
            browser.close()
    table = "\n".join(
        ["| page | cold (s) | warm (s) |", "|---|---:|---:|"]
        + [f"| {name} | {mark(cold, COLD_TARGET)} | {mark(warm, WARM_TARGET)} |" for name, cold, warm in rows]
    )
    text = (
        f"# Time to first chart, snapshot {snapshot}\n\n{machine()}; headless Chromium; "
        f"targets: warm < {WARM_TARGET} s, cold < {COLD_TARGET} s (✗ = missed).\n\n{table}\n"
    )
    print(text)
    args.out.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
