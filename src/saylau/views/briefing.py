"""Briefing mode: one headline figure or one key chart per screen, in large type, for a press conference.

``briefing?slide=N&lang=..&embed=true`` shows slide N (1-based): first the headline figures
(turnout, result, observed share, copies, material discrepancies), then the first chart of
each page in ``KEY_CHART_PAGES`` drawn with the ``saylau_briefing`` template. The data
status (election, provisional or final, as-of time, data version) stays on every slide. The
"previous" and "next" buttons answer to the ← and → keys and write the slide into the URL,
so a slide can be linked and reloaded. Each slide fits one screen (1920x1080 and 1366x768):
the headline or chart takes the height the status bar and the navigation leave, and prints to
one PDF page. A chart slide keeps the credit line drawn into the figure, as a screenshot or
printed page of it must carry it. On a phone a chart slide draws its chart as the pages do.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import streamlit as st

from saylau.export import Headline, headlines
from saylau.figures import finish
from saylau.figures.assets import file_stem
from saylau.figures.registry import CHARTS, charts_for
from saylau.figures.theme import plotly_config
from saylau.i18n import fmt_dt, t
from saylau.views import blocks, cached
from saylau.views.embed import COLUMN, frame_css

SLIDE_KEY = "slide"
KEY_CHART_PAGES = ("overview", "map", "discrepancies", "violations", "forensics")
CHART_KEY = "briefing-chart"
NAV_KEY = "briefing-nav"
MIN_CHART_HEIGHT = 320  # the chart takes what the slide leaves; this keeps it readable on a 1366x768 projector
HEADLINE = f'{COLUMN} > [data-testid="stElementContainer"]:has(.saylau-headline)'
SLIDE_CSS = f"""<style>
.saylau-status {{ font-size: min(1.6rem, 3.2vh, 4.5vw); color: #404040; border-bottom: 3px solid #0072B2; padding-bottom: .4rem; }}
.saylau-status strong {{ color: #1B1F24; }}
{HEADLINE} {{ flex: 1 1 0; min-height: 0; overflow: hidden; }}
{HEADLINE} [data-testid="stHtml"] {{ height: 100%; }}
.saylau-headline {{ display: flex; flex-direction: column; justify-content: center; height: 100%; }}
.saylau-headline .label {{ font-size: min(3.2rem, 5.5vh, 8vw); font-weight: 600; line-height: 1.2; }}
.saylau-headline .value {{ font-size: min(11rem, 17vh, 21vw); font-weight: 700; line-height: 1.05; color: #0072B2; }}
.saylau-headline .detail {{ font-size: min(2.2rem, 3.8vh, 5.5vw); line-height: 1.3; color: #303030; max-width: 75rem; }}
.saylau-slide-title {{ font-size: min(2.6rem, 7vw); font-weight: 700; line-height: 1.2; margin: 0; }}
.saylau-position {{ font-size: 1.3rem; color: #404040; }}
@media (max-width: 640px) {{ .st-key-{NAV_KEY} {{ flex-wrap: wrap !important; }} }}
@media print {{
  .st-key-{NAV_KEY} {{ display: none !important; }}
  html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
    height: 1080px !important; max-height: 1080px !important; overflow: hidden !important; }}
}}
@page {{ size: 1920px 1080px; margin: 0; }}
</style>"""


@dataclass(frozen=True)
class Slide:
    """One slide: a headline figure (``headline`` key) or a registered chart (``chart`` slug)."""

    kind: str
    name: str


def slides(figures: list[Headline]) -> list[Slide]:
    """Return every slide: the headline figures, then the first chart of each key page."""
    charts = [Slide("chart", specs[0].slug) for page in KEY_CHART_PAGES if (specs := charts_for(page))]
    return [Slide("headline", h.key) for h in figures] + charts


def current(total: int) -> int:
    """Return the 1-based slide number from the URL, kept within 1..total."""
    try:
        number = int(st.query_params.get(SLIDE_KEY, "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), total)


def _go(number: int) -> None:
    """Write a slide number into the URL (button callback)."""
    st.query_params[SLIDE_KEY] = str(number)


def status_bar(sid: str, lang: str) -> None:
    """Show the election, its provisional or final status, the as-of time and the data version."""
    man = cached.manifest(sid)
    election = man.get("election", {})
    title = election.get("title", {}).get(lang) or election.get("title", {}).get("en", "")
    status = t(f"status.{election.get('status', 'provisional')}", lang)
    rest = t("chrome.banner", lang, title="", date=election.get("date", ""), status=status,
             as_of=fmt_dt(man.get("created_at"), lang), version=sid).lstrip(" ·")
    st.html(f'<div class="saylau-status"><strong>{html.escape(title)}</strong> · {html.escape(rest)}</div>')


def headline_slide(figure: Headline, lang: str) -> None:
    """Draw one headline figure in large type with the sentence that gives its denominator."""
    st.html(
        f'<div class="saylau-headline"><div class="label">{html.escape(t(f"briefing.{figure.key}", lang))}</div>'
        f'<div class="value">{html.escape(figure.value)}</div>'
        f'<div class="detail">{html.escape(figure.detail)}</div></div>'
    )


def chart_slide(sid: str, slug: str, lang: str) -> None:
    """Draw one registered chart with the briefing template, filling the screen below its title.

    On a phone the chart is drawn as the pages draw it: the projector's large type does not fit a
    phone's width (labels overlap), and the credit, which an annotation there would clip, is
    written under the chart as wrapping text.
    """
    spec = CHARTS[slug]
    ctx = blocks.context(sid, lang, needs=spec.needs)
    projector = not ctx.narrow
    out = finish(spec.build(ctx), ctx.manifest, lang, briefing=projector, credit=projector)
    st.html(f'<h2 class="saylau-slide-title">{html.escape(out.title)}</h2>')
    stem = file_stem(slug, sid, {"view": "briefing"})
    st.plotly_chart(out.figure.update_layout(height=None, autosize=True, title_text=None), config=plotly_config(stem),
                    width="stretch", height="stretch", theme=None, key=CHART_KEY, alt=out.summary)
    if not projector:
        blocks.credit_caption(ctx.manifest, lang, slug)


def navigation(number: int, total: int, lang: str) -> None:
    """Draw the previous / next buttons (← / → keys) and the slide position; hidden when printing."""
    with st.container(horizontal=True, wrap=False, vertical_alignment="center", key=NAV_KEY):
        st.button(t("briefing.previous", lang), icon=":material/arrow_back:", shortcut="Left",
                  disabled=number <= 1, on_click=_go, args=(number - 1,), key="briefing-previous")
        st.button(t("briefing.next", lang), icon=":material/arrow_forward:", shortcut="Right",
                  disabled=number >= total, on_click=_go, args=(number + 1,), key="briefing-next", type="primary")
        st.html(f'<span class="saylau-position">{html.escape(t("briefing.position", lang, n=number, total=total))}'
                f' · {html.escape(t("briefing.keys", lang))}</span>')


def render(sid: str, lang: str) -> None:
    """Draw the slide named by ``?slide=``, with the status bar and the navigation."""
    figures = {h.key: h for h in headlines(blocks.context(sid, lang))}
    deck = slides(list(figures.values()))
    number = current(len(deck))
    slide = deck[number - 1]
    st.html(SLIDE_CSS + frame_css(CHART_KEY, MIN_CHART_HEIGHT))
    status_bar(sid, lang)
    if slide.kind == "headline":
        headline_slide(figures[slide.name], lang)
    else:
        chart_slide(sid, slide.name, lang)
    navigation(number, len(deck), lang)
