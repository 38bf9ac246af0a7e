"""The Forensics page: disclaimer in every language, URL state restored, honest note on tiny regions."""

from __future__ import annotations

import pytest
from harness import run_page

from saylau.forensics.explain import DISCLAIMER
from saylau.i18n import LANGS, t

CHARTS = 7



@pytest.mark.parametrize("lang", LANGS)
def test_page_renders_with_disclaimer(demo_env, lang: str) -> None:
    at = run_page("forensics", lang)
    assert not at.exception, at.exception
    assert any(DISCLAIMER[lang] in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == CHARTS
    assert "fraudulent" not in " ".join(c.value for c in at.caption).replace(DISCLAIMER["en"], "")


def test_url_state_restored(demo_env) -> None:
    at = run_page("forensics", "en", region="ALM", rule="nonleader_mode")
    assert not at.exception, at.exception
    assert at.selectbox(key="region").value == "ALM"
    assert at.selectbox(key="rule").value == "nonleader_mode"
    assert any(t("forensics.rule_nonleader_mode", "en") in c.value for c in at.caption)


def test_manual_peak_slider(demo_env) -> None:
    at = run_page("forensics", "ru", rule="peak", peak="70")
    assert not at.exception, at.exception
    assert at.slider(key="peak").value == 70
    assert any("70,5" in c.value for c in at.caption)


def test_small_region_gets_an_honest_note(demo_env) -> None:
    at = run_page("forensics", "kk", region="ULY")
    assert not at.exception, at.exception
    assert any(t("forensics.too_few_note", "kk").split("{")[0] in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 0
