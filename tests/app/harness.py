"""AppTest harness shared by the page tests: open a page through the router as a deep link would."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT = 90


def run_page(page: str, lang: str, **params: str) -> AppTest:
    """Run ``app.py`` on ``pages/<page>.py`` with ``?lang=…&<params>`` set, and return the finished test."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page(f"pages/{page}.py").run()
