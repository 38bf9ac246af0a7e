"""Discrepancies: official figures against observers' protocol copies, by class, option and region."""

from __future__ import annotations

import streamlit as st

from saylau.figures.discrepancy import (
    CLASS_ORDER, CLASS_PARAM, STATION_VIEW, VIEWS, class_name, compared_stations, station_table,
)
from saylau.i18n import fmt_int, t
from saylau.views import blocks, chrome


lang, sid, prof = chrome.page_start("discrepancies", "discrepancies.intro")

view = chrome.view_picker(t("discrepancies.view", lang), list(VIEWS), lambda v: t(f"discrepancies.view_{v}", lang))
left, right = st.columns(2)
region = chrome.region_picker(prof, lang, left)
params: dict[str, str] = {}
if view == STATION_VIEW:
    klass = chrome.url_select(right.selectbox, t("discrepancies.class", lang), [chrome.ALL, *CLASS_ORDER], CLASS_PARAM,
                              default=chrome.ALL,
                              format_func=lambda c: class_name(c, lang) if c else t("discrepancies.all_classes", lang))
    params = {CLASS_PARAM: klass} if klass else {}

ctx = blocks.context(sid, lang, region, params)
if not compared_stations(ctx):
    st.info(t("discrepancies.no_copies", lang), icon=":material/info:")
    st.stop()
for slug in VIEWS[view]:
    blocks.chart_block(slug, ctx, filters=params or None)
if view == STATION_VIEW:
    st.header(t("discrepancies.stations_header", lang), anchor="stations")
    table = station_table(ctx)
    st.caption(t("discrepancies.stations_caption", lang, n=fmt_int(table.height, lang)))
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "link": st.column_config.LinkColumn(t("discrepancies.col_station", lang), display_text=r"id=([^&]+)", pinned=True),
    })
