"""Every page renders in every language without an exception (Streamlit AppTest); chart blocks carry
their credit as plain text and their downloads in one wrapping row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest
from harness import open_expanders, run_page
from streamlit.proto.Block_pb2 import Block as BlockProto
from streamlit.testing.v1.element_tree import Block

from saylau import store
from saylau.figures import CHARTS, discrepancy, forensics, map_view, violations
from saylau.figures.credit import CREDIT_NAME, Credit, credit_text
from saylau.figures.theme import BRIEFING, SCREEN
from saylau.i18n import LANGS, t
from saylau.views import chrome

PAGES = ("overview", "map", "discrepancies", "violations", "station", "forensics", "data")
VIEWS = {"map": map_view.VIEWS, "discrepancies": discrepancy.VIEWS, "violations": violations.VIEWS,
         "forensics": forensics.VIEWS}  # the pages that show one view at a time (``chrome.view_picker``)




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
    run_page("violations", "ru", region="AST")
    calls = []
    for slug, spec in CHARTS.items():
        monkeypatch.setitem(CHARTS, slug, replace(spec, build=lambda ctx, build=spec.build: calls.append(1) or build(ctx)))
    at = run_page("violations", "ru", region="AST")
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 2 and calls == []


def blocks(node: Block) -> Iterator[Block]:
    """Yield every layout block under a node, depth first."""
    for child in getattr(node, "children", {}).values():
        if isinstance(child, Block):
            yield child
            yield from blocks(child)


@pytest.mark.parametrize("lang", LANGS)
def test_chart_blocks_write_the_credit_under_the_chart(demo_env, lang: str):
    """On a page the figure carries no credit (it would be clipped on a phone) and no image button (its PNG
    would lack the credit); the credit is plain text under each chart, never Markdown."""
    at = run_page("overview", lang)
    assert not at.exception, at.exception
    charts = at.get("plotly_chart")
    for chart in charts:
        annotations = json.loads(chart.proto.spec)["layout"].get("annotations", [])
        assert all(a.get("name") != CREDIT_NAME for a in annotations)
        assert "toImage" in json.loads(chart.proto.config)["modeBarButtonsToRemove"]
    credit = credit_text(Credit.from_manifest(store.manifest(store.current(demo_env))), lang)
    assert [x.value for x in at.text].count(credit) == len(charts) == 2
    assert not any(credit in str(el.value) for el in [*at.caption, *at.markdown])


@pytest.mark.parametrize("phone", [False, True])
def test_a_briefing_chart_carries_its_credit(demo_env, phone: bool, monkeypatch: pytest.MonkeyPatch):
    """A chart slide is drawn in the projector's large type with the credit drawn into the figure; on a
    phone, where that type does not fit and the annotation would be clipped, the chart is drawn as the
    pages draw it, with the credit as wrapping plain text under it."""
    monkeypatch.setattr(chrome, "is_phone", lambda: phone)
    at = run_page("briefing", "ru", slide="7")
    assert not at.exception, at.exception
    (chart,) = at.get("plotly_chart")
    layout = json.loads(chart.proto.spec)["layout"]
    credit = credit_text(Credit.from_manifest(store.manifest(store.current(demo_env))), "ru")
    assert any(a.get("name") == CREDIT_NAME for a in layout.get("annotations", [])) != phone
    assert layout["template"]["layout"]["font"]["size"] == (SCREEN if phone else BRIEFING).font_size
    assert [x.value for x in at.text].count(credit) == int(phone)


def test_chart_downloads_share_one_wrapping_row(demo_env):
    """Each chart block's four downloads sit in one horizontal container that wraps (rows on a phone)."""
    at = run_page("overview", "en")
    rows = [b for b in blocks(at.main) if b.type == "flex_container"
            and b.proto.flex_container.direction == BlockProto.FlexContainer.HORIZONTAL
            and [c.type for c in b.children.values()] == ["download_button"] * 4]
    assert [r.proto.id.rsplit("-", 1)[-1] for r in rows] == ["result", "coverage"]
    assert all(r.proto.flex_container.wrap for r in rows)


@pytest.mark.parametrize("page", list(VIEWS))
def test_views_hold_every_chart_once(page: str):
    """No chart of a page with views is left out of them, and none is in two."""
    shown = sorted(slug for slugs in VIEWS[page].values() for slug in slugs)
    assert shown == sorted(slug for slug, spec in CHARTS.items() if spec.page == page)
