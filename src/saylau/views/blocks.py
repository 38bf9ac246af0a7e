"""The chart block: every chart on every page is drawn here, with everything that travels with it.

A block shows the title, the chart (credit line inside the figure), a one-sentence summary,
downloads (CSV of exactly what is plotted, PNG, SVG, ``metadata.json``), a table alternative
and the embed code.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from saylau.figures import finish
from saylau.figures.assets import embed_snippet, embed_url, file_stem, metadata, metadata_bytes, to_image
from saylau.figures.registry import CHARTS, ChartContext, ChartOutput
from saylau.figures.theme import plotly_config
from saylau.i18n import t
from saylau.ingest.quarantine import csv_bytes
from saylau.views import cached
from saylau.views.navigation import app_base


def build(slug: str, ctx: ChartContext) -> ChartOutput:
    """Build a registered chart and give it the house style and credit line."""
    out = CHARTS[slug].build(ctx)
    return finish(out, ctx.manifest, ctx.lang)


def base_url() -> str:
    """Return the app's base URL as the browser sees it (for share and embed links)."""
    return app_base(st.context.url)


def chart_block(slug: str, ctx: ChartContext, filters: Mapping[str, str] | None = None, height: int | None = None,
                select: bool = False) -> ChartOutput:
    """Draw one chart with summary, downloads, table alternative and embed code; return it.

    With ``select`` a click on a point reruns the page; the selection is in
    ``st.session_state[f"chart-{slug}"]``.
    """
    lang = ctx.lang
    out = build(slug, ctx)
    filters = {"lang": lang, **({"region": ctx.region} if ctx.region else {}), **(filters or {})}
    stem = file_stem(slug, ctx.manifest.get("snapshot_id", ""), {k: v for k, v in filters.items() if k != "lang"})
    st.subheader(out.title, anchor=slug)
    st.plotly_chart(out.figure, config=plotly_config(stem), width="stretch", height=height or "content",
                    theme=None, key=f"chart-{slug}", alt=out.summary,
                    on_select="rerun" if select else "ignore", selection_mode="points")
    st.caption(out.summary)
    cols = st.columns(4)
    cols[0].download_button(t("block.csv", lang), data=csv_bytes(out.data), file_name=f"{stem}.csv",
                            mime="text/csv", key=f"csv-{slug}", on_click="ignore", icon=":material/download:")
    cols[1].download_button(t("block.png", lang), data=lambda: to_image(out.figure, "png"), file_name=f"{stem}.png",
                            mime="image/png", key=f"png-{slug}", on_click="ignore", icon=":material/image:")
    cols[2].download_button(t("block.svg", lang), data=lambda: to_image(out.figure, "svg"), file_name=f"{stem}.svg",
                            mime="image/svg+xml", key=f"svg-{slug}", on_click="ignore", icon=":material/image:")
    meta = metadata(slug, out.title, ctx.manifest, filters, lang, out.data.columns)
    cols[3].download_button(t("block.metadata", lang), data=metadata_bytes(meta), file_name=f"{stem}.metadata.json",
                            mime="application/json", key=f"meta-{slug}", on_click="ignore", icon=":material/description:")
    with st.expander(t("block.table", lang)):
        st.dataframe(out.data, hide_index=True, width="stretch")
    with st.expander(t("block.embed", lang)):
        st.caption(t("block.embed_help", lang))
        st.code(embed_snippet(embed_url(base_url(), slug, filters), out.title), language="html", wrap_lines=True)
    return out


def context(sid: str, lang: str, region: str | None = None, params: Mapping[str, str] | None = None, needs: str = "metrics") -> ChartContext:
    """Return the chart context of a snapshot (metric, forensics or raw tables, by ``needs``) for a language and filters."""
    loaders = {"forensics": cached.forensics_tables, "tables": lambda s, _region: cached.tables(s)}
    tables = loaders.get(needs, cached.metric_tables)(sid, region)
    return ChartContext(tables, cached.profile(sid), cached.manifest(sid), lang, region, dict(params or {}))
