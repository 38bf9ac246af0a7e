"""Discrepancies page: every language, the three views, the station table and URL-bound filters."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from harness import run_page

from saylau.figures.discrepancy import VIEWS
from saylau.i18n import LANGS, t

TITLES = {"stations": "classes_title", "shift": "shift_title", "regions": "tally_title"}  # each view's chart title


@pytest.mark.parametrize("lang", LANGS)
def test_discrepancies_render(demo_env, lang: str):
    """The stations view opens first: the class chart and the linked station table, in the page language."""
    at = run_page("discrepancies", lang)
    assert not at.exception, at.exception
    assert at.segmented_control(key="view").value == "stations"
    assert [s.value for s in at.subheader] == [t("discrepancies.classes_title", lang)]
    table = at.dataframe[-1].value
    assert table["link"].str.startswith("station?id=").all()
    assert table["link"].str.endswith(f"&lang={lang}").all()


@pytest.mark.parametrize("view", ["shift", "regions"])
def test_other_views_draw_their_chart_only(demo_env, view: str):
    """``?view=shift`` and ``?view=regions`` draw their one chart, without the class filter or the station table."""
    at = run_page("discrepancies", "ru", view=view)
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == [t(f"discrepancies.{TITLES[view]}", "ru")]
    assert "class" not in [s.key for s in at.selectbox] and not at.dataframe


def test_every_view_has_its_title():
    """Each view of the page has the title its test expects."""
    assert set(TITLES) == set(VIEWS)


def test_url_state_is_restored(demo_env):
    """``?region=…&class=match`` selects both filters and narrows the station table."""
    at = run_page("discrepancies", "en", region="AST", **{"class": "match"})
    assert not at.exception, at.exception
    assert at.selectbox(key="region").value == "AST"
    assert at.selectbox(key="class").value == "match"
    table = at.dataframe[-1].value
    assert len(table) > 0
    assert set(table[t("discrepancies.col_class", "en")]) == {t("discrepancies.class_match", "en")}
    assert set(table[t("discrepancies.col_region", "en")]) == {"Astana (city)"}


def test_class_findings_open_the_stations_of_their_class(demo_env):
    """The overview's material-change and transcription-slip findings open the station list of that class."""
    at = run_page("overview", "en")
    queries = [dict(parse_qsl(link.proto.query_string)) for link in at.get("page_link")
               if link.proto.page == "discrepancies"]
    assert sorted(q["class"] for q in queries) == ["material_change", "transcription_suspect"]
    at = run_page("discrepancies", "en", **{"class": "material_change"})
    assert not at.exception, at.exception
    assert set(at.dataframe[-1].value[t("discrepancies.col_class", "en")]) == {t("discrepancies.class_material_change", "en")}
