"""Every page renders in every language without an exception (Streamlit AppTest)."""

from __future__ import annotations

import pytest
from harness import run_page

from saylau.i18n import LANGS, t

PAGES = ("overview", "map", "discrepancies", "violations", "station", "forensics", "data")




@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_page_renders(demo_env, page: str, lang: str):
    """The page runs to the end with no exception and shows the data banner in its language."""
    at = run_page(page, lang)
    assert not at.exception, at.exception
    banner = " ".join(c.value for c in at.caption)
    assert t(f"status.final", lang) in banner


def test_no_data_page_explains(tmp_path, monkeypatch):
    """With no snapshot the overview explains how to load data instead of failing."""
    monkeypatch.setenv("SAYLAU_DATA", str(tmp_path))
    at = run_page("overview", "en")
    assert not at.exception
    assert any(t("chrome.no_data", "en") in i.value for i in at.info)
