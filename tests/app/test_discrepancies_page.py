"""Discrepancies page: every language, the three charts, the station table and URL-bound filters."""

from __future__ import annotations

import pytest
from harness import run_page

from saylau.i18n import LANGS, t


@pytest.mark.parametrize("lang", LANGS)
def test_discrepancies_render(demo_env, lang: str):
    """The three charts and the linked station table appear, in the page language."""
    at = run_page("discrepancies", lang)
    assert not at.exception, at.exception
    titles = [s.value for s in at.subheader]
    for key in ("classes_title", "shift_title", "tally_title"):
        assert t(f"discrepancies.{key}", lang) in titles
    table = at.dataframe[-1].value
    assert table["link"].str.startswith("station?id=").all()
    assert table["link"].str.endswith(f"&lang={lang}").all()


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
