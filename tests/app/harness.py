"""AppTest harness shared by the page tests: open a page through the router as a deep link would."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT = 90


def run_page(page: str, lang: str, open_all: bool = False, **params: str) -> AppTest:
    """Run ``app.py`` on ``pages/<page>.py`` with ``?lang=…&<params>`` set, and return the finished test.

    With ``open_all`` every expander that sends its content only when opened (the table
    alternative and embed code of each chart block) is opened, as a reader would, and the page
    runs again.
    """
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py").run()
    return open_expanders(at) if open_all else at


def open_expanders(at: AppTest) -> AppTest:
    """Open every expander with a key (they track their state and draw their content when open), then rerun."""
    keys = [e.key for e in at.expander if e.key]
    for key in keys:
        at.session_state[key] = True
    return at.run() if keys else at
