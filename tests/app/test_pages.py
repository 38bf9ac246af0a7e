"""Every page renders in every language without an exception (Streamlit AppTest)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from harness import open_expanders, run_page

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


def test_chart_alternatives_are_sent_when_opened(demo_env):
    """A chart block's table alternative and embed code are not in the first paint; opening them shows both."""
    at = run_page("overview", "en")
    assert not at.exception, at.exception
    slugs = ("result", "coverage")
    assert {e.key for e in at.expander} >= {f"{kind}-{slug}" for kind in ("table", "embed") for slug in slugs}
    assert not at.dataframe and not at.code
    at = open_expanders(at)
    assert not at.exception, at.exception
    assert len(at.dataframe) == len(slugs)
    assert [c.value.startswith("<iframe") for c in at.code] == [True] * len(slugs)


def test_charts_are_built_once_per_view(demo_env, monkeypatch):
    """A second visit to a page draws its charts from the cache: no builder runs again."""
    from saylau.figures import CHARTS

    run_page("violations", "ru", region="AST")
    calls = []
    for slug, spec in CHARTS.items():
        monkeypatch.setitem(CHARTS, slug, replace(spec, build=lambda ctx, build=spec.build: calls.append(1) or build(ctx)))
    at = run_page("violations", "ru", region="AST")
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 7 and calls == []
