"""The chart block: every chart on every page is drawn here, with everything that travels with it.

A block shows the title, the chart (credit line inside the figure), a one-sentence summary,
downloads (CSV of exactly what is plotted, PNG, SVG, ``metadata.json``), a table alternative
and the embed code.

Speed: a chart is built once per snapshot, language and filters (``cached.chart``); files are
made on click; the table alternative and the embed code travel only when their expander is
opened. A collapsed expander's content would otherwise be sent with the page and make the
browser load its table and code viewers (about 3 MB of script) before the first chart.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
import streamlit as st

from saylau.figures.assets import embed_snippet, embed_url, file_stem, metadata, metadata_bytes, to_image
from saylau.figures.registry import ChartContext, ChartOutput
from saylau.figures.theme import plotly_config
from saylau.i18n import t
from saylau.views import cached
from saylau.views.navigation import app_base


def cached_chart(slug: str, ctx: ChartContext) -> ChartOutput:
    """Return a chart of the context's snapshot, language and filters, built once and then shared.

    The context names the snapshot (its manifest), the language, region and chart parameters;
    the tables come from ``cached`` by the chart's ``needs``, as ``context`` would load them.
    """
    params = tuple(sorted((str(k), str(v)) for k, v in ctx.params.items()))
    return cached.chart(slug, ctx.manifest["snapshot_id"], ctx.lang, ctx.region, params)


def base_url() -> str:
    """Return the app's base URL as the browser sees it (for share and embed links)."""
    return app_base(st.context.url)


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """Return a frame as formula-escaped CSV (the ingest package is imported on the first download, not with the page)."""
    from saylau.ingest import quarantine

    return quarantine.csv_bytes(frame)


def chart_block(slug: str, ctx: ChartContext, filters: Mapping[str, str] | None = None, height: int | None = None,
                select: bool = False) -> ChartOutput:
    """Draw one chart with summary, downloads, table alternative and embed code; return it.

    The chart is built once per snapshot, language and filters (``cached.chart``). Files are
    made when a download is clicked, and the table alternative and the embed code are sent
    when their expander is opened (``alternatives``), so the first paint carries the charts
    only. With ``select`` a click on a point reruns the page; the selection is in
    ``st.session_state[f"chart-{slug}"]``.
    """
    lang = ctx.lang
    out = cached_chart(slug, ctx)
    filters = {"lang": lang, **({"region": ctx.region} if ctx.region else {}), **(filters or {})}
    stem = file_stem(slug, ctx.manifest.get("snapshot_id", ""), {k: v for k, v in filters.items() if k != "lang"})
    st.subheader(out.title, anchor=slug)
    st.plotly_chart(out.figure, config=plotly_config(stem), width="stretch", height=height or "content",
                    theme=None, key=f"chart-{slug}", alt=out.summary,
                    on_select="rerun" if select else "ignore", selection_mode="points")
    st.caption(out.summary)
    cols = st.columns(4)
    cols[0].download_button(t("block.csv", lang), data=lambda: csv_bytes(out.data), file_name=f"{stem}.csv",
                            mime="text/csv", key=f"csv-{slug}", on_click="ignore", icon=":material/download:")
    cols[1].download_button(t("block.png", lang), data=lambda: to_image(out.figure, "png"), file_name=f"{stem}.png",
                            mime="image/png", key=f"png-{slug}", on_click="ignore", icon=":material/image:")
    cols[2].download_button(t("block.svg", lang), data=lambda: to_image(out.figure, "svg"), file_name=f"{stem}.svg",
                            mime="image/svg+xml", key=f"svg-{slug}", on_click="ignore", icon=":material/image:")
    meta = metadata(slug, out.title, ctx.manifest, filters, lang, out.data.columns)
    cols[3].download_button(t("block.metadata", lang), data=lambda: metadata_bytes(meta), file_name=f"{stem}.metadata.json",
                            mime="application/json", key=f"meta-{slug}", on_click="ignore", icon=":material/description:")
    alternatives(slug, lang, out.data, embed_url(base_url(), slug, filters), out.title)
    return out


@st.fragment
def alternatives(slug: str, lang: str, data: pl.DataFrame, url: str, title: str) -> None:
    """Show a chart's table alternative and embed code, each in an expander whose content is sent when opened.

    Collapsed content would still be sent with the page and make the browser load the table and
    code viewers before it draws the first chart; opening an expander reruns only this fragment.
    """
    with st.expander(t("block.table", lang), key=f"table-{slug}", on_change="rerun") as table:
        if table.open:
            st.dataframe(data, hide_index=True, width="stretch")
    with st.expander(t("block.embed", lang), key=f"embed-{slug}", on_change="rerun") as embed:
        if embed.open:
            st.caption(t("block.embed_help", lang))
            st.code(embed_snippet(url, title), language="html", wrap_lines=True)


def context(sid: str, lang: str, region: str | None = None, params: Mapping[str, str] | None = None, needs: str = "metrics") -> ChartContext:
    """Return the chart context of a snapshot (metric, forensics or raw tables, by ``needs``) for a language and filters."""
    return ChartContext(cached.chart_tables(sid, needs, region), cached.profile(sid), cached.manifest(sid), lang, region,
                        dict(params or {}))
