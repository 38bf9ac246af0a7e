"""The chart block: every chart on every page is drawn here, with everything that travels with it.

A block shows the title, the chart, the credit line (wrapping plain text under the chart), a
one-sentence summary, downloads (CSV of exactly what is plotted, PNG and SVG with the credit
line drawn into the figure, ``metadata.json``) in one row that wraps on a phone, a table
alternative and the embed code. Plotly's own image button is left out on screen: it would save
the figure as shown, without the credit.

Speed: a chart is built once per snapshot, language and filters (``cached.chart``); files are
made on click; the table alternative and the embed code travel only when their expander is
opened. A collapsed expander's content would otherwise be sent with the page and make the
browser load its table and code viewers (about 3 MB of script) before the first chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
import streamlit as st

from saylau.figures.assets import embed_snippet, embed_url, file_stem, metadata, metadata_bytes, to_image
from saylau.figures.credit import Credit, credit_text
from saylau.figures.registry import ChartContext, ChartOutput
from saylau.figures.theme import plotly_config
from saylau.i18n import t
from saylau.views import cached, chrome
from saylau.views.chrome import CREDIT_KEY
from saylau.views.navigation import app_base

SCREEN_ONLY_BUTTONS = ["toImage"]  # saves the figure as shown, without its credit: the PNG download has it


def cached_chart(slug: str, ctx: ChartContext, credit: bool = False) -> ChartOutput:
    """Return a chart of the context's snapshot, language and filters, built once and then shared.

    The context names the snapshot (its manifest), the language, region and chart parameters;
    the tables come from ``cached`` by the chart's ``needs``, as ``context`` would load them.
    With ``credit`` the credit line is drawn into the figure, as files need it.
    """
    params = tuple(sorted((str(k), str(v)) for k, v in ctx.params.items()))
    return cached.chart(slug, ctx.manifest["snapshot_id"], ctx.lang, ctx.region, params, credit, ctx.narrow)


def screen_config(stem: str) -> dict[str, Any]:
    """Return the Plotly config of a chart drawn on a page without its credit: no client-side image button.

    A phone shows Plotly's tool bar at all times (there is no hover), over the legend; it gets none.
    """
    return plotly_config(stem) | {"modeBarButtonsToRemove": SCREEN_ONLY_BUTTONS, "displayModeBar": not chrome.is_phone()}


def credit_caption(manifest: Mapping[str, Any], lang: str, key: str) -> None:
    """Write a snapshot's credit line under a chart as wrapping plain text (never Markdown or HTML).

    Args:
        manifest: snapshot manifest (source names in it come from the data and are shown verbatim).
        lang: interface language.
        key: unique suffix of the container key on this page (the chart's slug).
    """
    with st.container(key=f"{CREDIT_KEY}-{key}"):
        st.text(credit_text(Credit.from_manifest(manifest), lang), width="stretch")


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

    The chart is built once per snapshot, language and filters (``cached.chart``), without the
    credit line in the figure; the PNG and SVG are made when clicked, from the same chart built
    with the credit drawn in. The table alternative and the embed code are sent when their
    expander is opened (``alternatives``), so the first paint carries the charts only. With
    ``select`` a click on a point reruns the page; the selection is in
    ``st.session_state[f"chart-{slug}"]``.
    """
    lang = ctx.lang
    out = cached_chart(slug, ctx)
    filters = {"lang": lang, **({"region": ctx.region} if ctx.region else {}), **(filters or {})}
    stem = file_stem(slug, ctx.manifest.get("snapshot_id", ""), {k: v for k, v in filters.items() if k != "lang"})
    st.subheader(out.title, anchor=slug)
    st.plotly_chart(out.figure, config=screen_config(stem), width="stretch", height=height or "content",
                    theme=None, key=f"chart-{slug}", alt=out.summary,
                    on_select="rerun" if select else "ignore", selection_mode="points")
    credit_caption(ctx.manifest, lang, slug)
    st.caption(out.summary)
    meta = metadata(slug, out.title, ctx.manifest, filters, lang, out.data.columns)
    with st.container(horizontal=True, gap="small", key=f"downloads-{slug}"):
        st.download_button(t("block.csv", lang), data=lambda: csv_bytes(out.data), file_name=f"{stem}.csv",
                           mime="text/csv", key=f"csv-{slug}", on_click="ignore", icon=":material/download:")
        st.download_button(t("block.png", lang), data=lambda: image_bytes(slug, ctx, "png"), file_name=f"{stem}.png",
                           mime="image/png", key=f"png-{slug}", on_click="ignore", icon=":material/image:")
        st.download_button(t("block.svg", lang), data=lambda: image_bytes(slug, ctx, "svg"), file_name=f"{stem}.svg",
                           mime="image/svg+xml", key=f"svg-{slug}", on_click="ignore", icon=":material/image:")
        st.download_button(t("block.metadata", lang), data=lambda: metadata_bytes(meta),
                           file_name=f"{stem}.metadata.json", mime="application/json", key=f"meta-{slug}",
                           on_click="ignore", icon=":material/description:")
    alternatives(slug, lang, out.data, embed_url(base_url(), slug, filters), out.title)
    return out


def image_bytes(slug: str, ctx: ChartContext, fmt: str) -> bytes:
    """Render a chart as a PNG or SVG file with its credit line drawn into the figure."""
    return to_image(cached_chart(slug, ctx, credit=True).figure, fmt)


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
    """Return the chart context of a snapshot (metric, forensics or raw tables, by ``needs``) for a language and filters.

    The context is ``narrow`` when the reader's browser says it is a phone (``chrome.is_phone``).
    """
    return ChartContext(cached.chart_tables(sid, needs, region), cached.profile(sid), cached.manifest(sid), lang, region,
                        dict(params or {}), chrome.is_phone())
