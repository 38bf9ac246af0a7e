"""Embed view: one registered chart with its title, credit line and data link, sized to its iframe.

``embed?chart=<slug>&lang=..&region=..&<chart params>`` draws nothing else, so a newsroom can
put it in an ``<iframe>`` (the "Embed this chart" code of every chart block). The credit line
is plain text under the chart, wrapping at any frame width (the figure itself carries none, so
it is never shown twice). The chart fills the height the frame leaves after the title, credit
and link, so a 560 px frame never scrolls. A chart's own parameters (``id`` of a station, ...)
are every query parameter that is not one of ``RESERVED``.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from saylau.figures.assets import file_stem
from saylau.figures.registry import CHARTS
from saylau.i18n import t
from saylau.ingest.quarantine import csv_bytes
from saylau.views import blocks, cached

RESERVED = frozenset({"chart", "lang", "region", "embed", "embed_options"})
CHART_KEY = "embed-chart"
MIN_CHART_HEIGHT = 220
COLUMN = '[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]'


def frame_css(chart_key: str, min_height: int) -> str:
    """Return the style that makes the page one screen-high column whose chart takes the height left.

    The header and the sidebar (language picker) are hidden: they have no place in a newsroom's
    frame or on a projected slide.
    """
    return f"""<style>
[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {{ display: none; }}
[data-testid="stMainBlockContainer"] {{ padding: 0.5rem 0.75rem !important; max-width: none; }}
{COLUMN} {{ height: calc(100vh - 1rem); gap: 0.4rem; }}
{COLUMN} > [data-testid="stElementContainer"] {{ flex: 0 0 auto; }}
{COLUMN} > .st-key-{chart_key} {{ flex: 1 1 0; min-height: {min_height}px; }}
[data-testid="stHeading"] > div {{ margin-bottom: 0 !important; }}
[data-testid="stHeading"] h3 {{ padding: 0; font-size: clamp(1rem, 4.2vw, 1.4rem); line-height: 1.3; }}
</style>"""


def chart_params() -> dict[str, str]:
    """Return the chart's own parameters from the URL (everything but the reserved names)."""
    return {key: value for key, value in st.query_params.items() if key not in RESERVED}


def known_region(sid: str, code: str | None, lang: str) -> str | None:
    """Return the region code if the snapshot's profile knows it; otherwise say so and return None."""
    if not code:
        return None
    if code in {r.code for r in cached.profile(sid).regions}:
        return code
    st.info(t("embed.unknown_region", lang))
    return None


def render(sid: str, lang: str) -> None:
    """Draw the chart named by ``?chart=``, or say which charts exist."""
    slug = st.query_params.get("chart", "")
    spec = CHARTS.get(slug)
    if spec is None:
        st.warning(t("embed.unknown", lang))
        st.text("\n".join(CHARTS))
        return
    params = chart_params()
    region = known_region(sid, st.query_params.get("region"), lang)
    ctx = blocks.context(sid, lang, region, params, needs=spec.needs)
    out = blocks.cached_chart(slug, ctx)
    filters = {**({"region": region} if region else {}), **params}
    stem = file_stem(slug, ctx.manifest.get("snapshot_id", ""), filters)
    st.html(frame_css(CHART_KEY, MIN_CHART_HEIGHT))
    st.subheader(out.title, anchor=False)
    figure = go.Figure(out.figure).update_layout(height=None, autosize=True, title_text=None)  # the cached one stays as built
    st.plotly_chart(figure, config=blocks.screen_config(stem),
                    width="stretch", height="stretch", theme=None, key=CHART_KEY, alt=out.summary)
    blocks.credit_caption(ctx.manifest, lang, slug)
    st.download_button(t("embed.data", lang), data=lambda: csv_bytes(out.data), file_name=f"{stem}.csv", mime="text/csv",
                       help=t("embed.data_help", lang), on_click="ignore", icon=":material/download:",
                       type="tertiary", key="embed-csv")
