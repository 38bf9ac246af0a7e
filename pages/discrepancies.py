"""Discrepancies: official figures against observers' protocol copies, by class, option and region."""

from __future__ import annotations

import streamlit as st

from saylau.figures.discrepancy import CLASS_ORDER, CLASS_PARAM, class_name, station_table
from saylau.i18n import fmt_int, t
from saylau.views import blocks, cached, chrome

REGION_KEY = "region"


def seed_from_url(key: str, codes: list[str]) -> None:
    """Accept a code in the URL (``?region=ALM``, as other pages link) for a widget bound by its label."""
    value = st.query_params.get(key)
    if key not in st.session_state and value in codes:
        st.session_state[key] = value


lang = chrome.lang()
sid = chrome.require_data(lang)
prof = cached.profile(sid)
st.title(t("nav.discrepancies", lang))
st.caption(t("discrepancies.intro", lang))

codes = [r.code for r in prof.regions]
seed_from_url(REGION_KEY, codes)
seed_from_url(CLASS_PARAM, list(CLASS_ORDER))
left, right = st.columns(2)
region = left.selectbox(t("map.region", lang), [None, *codes], key=REGION_KEY, bind="query-params",
                        format_func=lambda c: prof.region(c).names.get(lang) if c else t("map.all_regions", lang))
klass = right.selectbox(t("discrepancies.class", lang), [None, *CLASS_ORDER], key=CLASS_PARAM, bind="query-params",
                        format_func=lambda c: class_name(c, lang) if c else t("discrepancies.all_classes", lang))

params = {CLASS_PARAM: klass} if klass else {}
ctx = blocks.context(sid, lang, region, params)
blocks.chart_block("discrepancy-classes", ctx, filters=params)
blocks.chart_block("net-shift", ctx)
blocks.chart_block("tally-by-region", ctx)

st.header(t("discrepancies.stations_header", lang), anchor="stations")
table = station_table(ctx)
st.caption(t("discrepancies.stations_caption", lang, n=fmt_int(table.height, lang)))
st.dataframe(table, hide_index=True, width="stretch", column_config={
    "link": st.column_config.LinkColumn(t("discrepancies.col_station", lang), display_text=r"id=([^&]+)", pinned=True),
})
