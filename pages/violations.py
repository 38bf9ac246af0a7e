"""Violations: rates per observed station with 95 % intervals, by section, item, region, hour and observer."""

from __future__ import annotations

import streamlit as st

from saylau.figures.violations import SECTION_PARAM, observed_stations
from saylau.i18n import fmt_int, t
from saylau.views import blocks, cached, chrome

REGION_KEY = "region"
FILTERED = ("violations-by-section", "violations-by-item")  # charts that read ``?section=``
UNFILTERED = ("violations-verified", "violations-by-region", "violation-index", "violations-by-hour", "violations-by-org")


def seed_from_url(key: str, codes: list[str]) -> None:
    """Accept a code in the URL (``?region=ALM``, as other pages link) for a widget bound by its label."""
    value = st.query_params.get(key)
    if key not in st.session_state and value in codes:
        st.session_state[key] = value


lang = chrome.lang()
sid = chrome.require_data(lang)
prof = cached.profile(sid)
st.title(t("nav.violations", lang))
st.caption(t("violations.intro", lang))

codes = [r.code for r in prof.regions]
sections = [str(s) for s in sorted(prof.sections)]
seed_from_url(REGION_KEY, codes)
seed_from_url(SECTION_PARAM, sections)
left, right = st.columns(2)
region = left.selectbox(t("map.region", lang), [None, *codes], key=REGION_KEY, bind="query-params",
                        format_func=lambda c: prof.region(c).names.get(lang) if c else t("map.all_regions", lang))
section = right.selectbox(t("violations.section", lang), [None, *sections], key=SECTION_PARAM, bind="query-params",
                          format_func=lambda s: prof.sections[int(s)][1].get(lang) if s else t("violations.all_sections", lang))

params = {SECTION_PARAM: section} if section else {}
ctx = blocks.context(sid, lang, region, params)
st.info(t("violations.denominator", lang, n=fmt_int(observed_stations(ctx), lang)), icon=":material/info:")
for slug in FILTERED:
    blocks.chart_block(slug, ctx, filters=params)
for slug in UNFILTERED:
    blocks.chart_block(slug, ctx)
