"""The Forensics page: disclaimer in every language, URL state restored, honest note on tiny regions."""

from __future__ import annotations

import pytest
from harness import run_page

from saylau.figures.forensics import RULE_METHOD, VIEWS
from saylau.forensics.explain import DISCLAIMER, explanation
from saylau.i18n import LANGS, t


@pytest.mark.parametrize("lang", LANGS)
def test_page_renders_with_disclaimer(demo_env, lang: str) -> None:
    """The first method opens by default, with the disclaimer and its notes, and no other method's chart."""
    at = run_page("forensics", lang)
    assert not at.exception, at.exception
    assert any(DISCLAIMER[lang] in w.value for w in at.warning)
    first = next(iter(VIEWS))
    assert at.segmented_control(key="view").value == first
    assert len(at.get("plotly_chart")) == len(VIEWS[first])
    assert any(explanation(first, lang)["shows"] in m.value for m in at.markdown)
    assert "fraudulent" not in " ".join(c.value for c in at.caption).replace(DISCLAIMER["en"], "")
    assert "rule" not in [s.key for s in at.selectbox]  # the clean-peak rule belongs to one method's view


@pytest.mark.parametrize("method", list(VIEWS))
def test_every_method_opens_from_its_link(demo_env, method: str) -> None:
    """``?view=<method>`` shows that method's charts and notes; together the views hold every forensics chart."""
    at = run_page("forensics", "kk", view=method)
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == len(VIEWS[method])
    assert any(explanation(method, "kk")["shows"] in m.value for m in at.markdown)
    assert at.query_params.get("view") == (None if method == next(iter(VIEWS)) else method)  # the default stays out


def test_a_link_with_a_rule_opens_its_method(demo_env) -> None:
    """``?rule=…`` without ``?view=`` (links made before the page had views) opens the votes-by-turnout method."""
    at = run_page("forensics", "en", rule="nonleader_mode")
    assert not at.exception, at.exception
    assert at.segmented_control(key="view").value == RULE_METHOD
    assert at.selectbox(key="rule").value == "nonleader_mode"
    assert len(at.get("plotly_chart")) == len(VIEWS[RULE_METHOD])


def test_url_state_restored(demo_env) -> None:
    at = run_page("forensics", "en", region="ALM", view=RULE_METHOD, rule="nonleader_mode")
    assert not at.exception, at.exception
    assert at.selectbox(key="region").value == "ALM"
    assert at.selectbox(key="rule").value == "nonleader_mode"
    assert any(t("forensics.rule_nonleader_mode", "en") in c.value for c in at.caption)


def test_manual_peak_slider(demo_env) -> None:
    at = run_page("forensics", "ru", view=RULE_METHOD, rule="peak", peak="70")
    assert not at.exception, at.exception
    assert at.slider(key="peak").value == 70
    assert any("70,5" in c.value for c in at.caption)


def test_small_region_gets_an_honest_note(demo_env) -> None:
    at = run_page("forensics", "kk", region="ULY")
    assert not at.exception, at.exception
    assert any(t("forensics.too_few_note", "kk").split("{")[0] in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 0
