"""``saylau serve``: run the dashboard (``streamlit run app.py``) and warm its caches meanwhile.

On a plain ``streamlit run`` the first visitor's first script run imports the page modules,
reads the snapshot and computes its metrics and forensics tables, and the visitor waits for
all of it (about 2 s on the demo). Here a background thread starts that work as the server
starts, while a first visitor's browser is still loading Streamlit's scripts. A visitor who
arrives before it has finished waits only for the rest: modules are imported once, and a
cached table being computed is waited for, not computed again (Streamlit's cache). Charts are
not built ahead: they depend on the reader's language, filters and screen.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import threading
import time
from pathlib import Path

LOG = logging.getLogger("saylau.serve")
COMPUTE_PACKAGES = ("saylau.figures", "saylau.metrics", "saylau.forensics")  # what the pages' data and charts need
VIEW_PACKAGES = ("saylau.views",)  # the pages' own helpers: declare Streamlit caches, so imported once the runtime exists
RUNTIME_WAIT = 30.0  # seconds to wait for Streamlit's runtime before filling its caches


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


def run(args: argparse.Namespace) -> int:
    """Start the warm-up thread, then Streamlit on the router script; return when the server stops."""
    from streamlit.web import cli as streamlit_cli

    if not LOG.handlers:
        LOG.addHandler(logging.StreamHandler())
        LOG.setLevel(logging.INFO)
    threading.Thread(target=warm, name="saylau-warm", daemon=True).start()
    options = [o for o in args.streamlit_options if o != "--"]
    streamlit_cli.main(["run", str(args.app), "--server.port", str(args.port), *options], standalone_mode=False)
    return 0
