"""Violations: rates per observed station with 95 % intervals, by section, item, region, hour and observer."""

from __future__ import annotations

import streamlit as st

from saylau.figures.violations import FILTERED_VIEW, SECTION_PARAM, VIEWS, observed_stations
from saylau.i18n import fmt_int, t
from saylau.views import blocks, chrome


lang, sid, prof = chrome.page_start("violations", "violations.intro")

view = chrome.view_picker(t("violations.view", lang), list(VIEWS), lambda v: t(f"violations.view_{v}", lang))
sections = [str(s) for s in sorted(prof.sections)]
left, right = st.columns(2)
region = chrome.region_picker(prof, lang, left)
params: dict[str, str] = {}
if view == FILTERED_VIEW:
    section = chrome.url_select(right.selectbox, t("violations.section", lang), [chrome.ALL, *sections], SECTION_PARAM,
                                default=chrome.ALL, format_func=lambda s: prof.sections[int(s)][1].get(lang) if s
                                else t("violations.all_sections", lang))
    params = {SECTION_PARAM: section} if section else {}

ctx = blocks.context(sid, lang, region, params)
observed = observed_stations(ctx)
if not observed:
    st.info(t("violations.no_checklists", lang), icon=":material/info:")
    st.stop()
st.info(t("violations.denominator", lang, n=fmt_int(observed, lang)), icon=":material/info:")
for slug in VIEWS[view]:
    blocks.chart_block(slug, ctx, filters=params or None)
