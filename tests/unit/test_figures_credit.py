"""Where the credit line goes: drawn into figures that leave the page, plain text beside those that stay."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import pytest

from saylau.figures import finish
from saylau.figures.credit import CREDIT_NAME, PART_SEPARATOR, Credit, credit_lines, credit_text
from saylau.figures.registry import ChartOutput

MANIFEST = {
    "snapshot_id": "demo-1",
    "created_at": "2026-03-22T06:00:00Z",
    "election": {"status": "final", "licence": "CC BY 4.0"},
    "sources": [{"name": "CEC <b>official</b> [link](x)"}],
}


def chart() -> ChartOutput:
    """Return a tiny bar chart as a builder would."""
    return ChartOutput("tiny", "Tiny", go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h")),
                       pl.DataFrame({"x": [1, 2]}), "Two bars.")


def credit_annotations(fig: go.Figure) -> list[str]:
    """Return the text of every credit annotation of a figure."""
    return [a.text for a in fig.layout.annotations if a.name == CREDIT_NAME]


@pytest.mark.parametrize("briefing", [False, True])
def test_finish_draws_the_credit_for_files_only(briefing: bool):
    """``finish`` draws the credit by default (files, slides) and leaves it out with ``credit=False`` (screen)."""
    drawn = finish(chart(), MANIFEST, "en", briefing=briefing)
    shown = finish(chart(), MANIFEST, "en", briefing=briefing, credit=False)
    assert len(credit_annotations(drawn.figure)) == 1
    assert credit_annotations(shown.figure) == []
    screen_margin = shown.figure.layout.margin.b or shown.figure.layout.template.layout.margin.b
    assert screen_margin < drawn.figure.layout.margin.b  # no room kept for a credit that is not drawn


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_credit_text_is_the_plain_credit(lang: str):
    """The on-page credit holds both lines unescaped (it is shown as plain text); the figure's is escaped."""
    credit = Credit.from_manifest(MANIFEST)
    text = credit_text(credit, lang)
    assert text == PART_SEPARATOR.join(credit_lines(credit, lang))
    assert "CEC <b>official</b> [link](x)" in text and "demo-1" in text and "CC BY 4.0" in text
    (annotation,) = credit_annotations(finish(chart(), MANIFEST, lang).figure)
    assert "<b>official" not in annotation and "&lt;b&gt;official" in annotation


def test_page_credit_colour_matches_the_figures():
    """The app's style sheet writes the on-page credit in the figures' muted text colour."""
    from saylau.figures.theme import MUTED_TEXT_COLOR
    from saylau.views.chrome import APP_CSS, CREDIT_COLOR

    assert CREDIT_COLOR == MUTED_TEXT_COLOR and CREDIT_COLOR in APP_CSS
