"""Violations page: every language, every chart with its denominator, and URL-bound filters."""

from __future__ import annotations

import pytest
from harness import run_page

from saylau.figures import CHARTS
from saylau.figures.violations import FILTERED_VIEW, VIEWS
from saylau.i18n import LANGS, catalogue
from saylau.profiles import load_profile

SLUGS = [slug for slug, spec in CHARTS.items() if spec.page == "violations"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("view", list(VIEWS))
def test_violations_render(demo_env, lang: str, view: str):
    """Each view draws its charts (the section filter only where it applies), with the observed-station denominator."""
    at = run_page("violations", lang, view=view)
    assert not at.exception, at.exception
    assert at.segmented_control(key="view").value == view
    assert len(at.get("plotly_chart")) == len(VIEWS[view])
    assert ("section" in [s.key for s in at.selectbox]) == (view == FILTERED_VIEW)
    prefix = catalogue(lang)["violations.denominator"].split("{n}")[0]
    assert any(i.value.startswith(prefix) for i in at.info)


def test_the_page_has_seven_charts():
    """The violations page's views hold seven charts (``test_pages.test_views_hold_every_chart_once``)."""
    assert len(SLUGS) == 7


def test_url_state_is_restored(demo_env):
    """``?region=ALM&section=3`` selects both filters; the item chart keeps that section's items only."""
    at = run_page("violations", "kk", open_all=True, region="ALM", section="3")
    assert not at.exception, at.exception
    assert at.selectbox(key="region").value == "ALM"
    assert at.selectbox(key="section").value == "3"
    prof = load_profile("kz")
    section_items = {i.names.kk for i in prof.items if i.section == 3}
    tables = [df.value for df in at.dataframe]
    items = next(tb for tb in tables if "item" in tb.columns)
    assert set(items["label"]) <= section_items
    at = run_page("violations", "kk", open_all=True, region="ALM", view="regions")
    assert not at.exception, at.exception
    regions = next(df.value for df in at.dataframe if "region_code" in df.value.columns)
    assert set(regions["region_code"]) == {"ALM"}
