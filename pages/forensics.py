"""Forensics: statistical screening signals on the official figures, one method at a time, each with its notes."""

from __future__ import annotations

import streamlit as st

from saylau.figures.forensics import (
    PEAK_PARAM, RULE_METHOD, RULE_PARAM, RULES, VIEWS, chosen_estimate, has_data, summary_row,
)
from saylau.forensics.charts_data import MIN_STATIONS, PEAK
from saylau.forensics.explain import DISCLAIMER, explanation
from saylau.i18n import fmt_int, t
from saylau.views import blocks, chrome


def notes(method: str, language: str) -> None:
    """Show a method's plain-language notes: what it shows, what it does not, assumptions, caveats."""
    text = explanation(method, language)
    st.markdown(f"**{t('forensics.label_shows', language)}.** {text['shows']}")
    st.markdown(f"**{t('forensics.label_does_not_show', language)}.** {text['does_not_show']}")
    with st.expander(t("forensics.more", language)):
        st.markdown(f"**{t('forensics.label_assumptions', language)}.** {text['assumptions']}")
        st.markdown(f"**{t('forensics.label_caveats', language)}.** {text['caveats']}")


lang, sid, prof = chrome.page_start("forensics")
st.warning(DISCLAIMER[lang], icon=":material/warning:")
st.caption(t("forensics.intro", lang))

# a link from before the page had views (``?rule=…`` alone) opens the method the rule belongs to
method = chrome.view_picker(t("forensics.method", lang), list(VIEWS), lambda m: explanation(m, lang)["title"],
                            default=RULE_METHOD if RULE_PARAM in st.query_params else None)
left, right = st.columns(2)
region = chrome.region_picker(prof, lang, left)
ctx = blocks.context(sid, lang, region, needs="forensics")
if not has_data(ctx):
    st.info(t("forensics.too_few_note", lang, n=fmt_int(summary_row(ctx)["included"], lang),
              min=fmt_int(MIN_STATIONS, lang)), icon=":material/info:")
    st.stop()

params: dict[str, str] = {}
if method == RULE_METHOD:
    rule = chrome.url_select(right.selectbox, t("forensics.rule", lang), list(RULES), RULE_PARAM, default=RULES[0],
                             help=t("forensics.rule_help", lang),
                             format_func=lambda r: t(f"forensics.rule_{r}", lang))
    params[RULE_PARAM] = rule
    if rule == PEAK:
        bins = ctx.tables["votes_by_turnout"]["turnout"]
        default = int(chosen_estimate(ctx, {})["clean_turnout"])
        peak = right.slider(t("forensics.peak", lang), int(bins.min()), int(bins.max()), default, step=1,
                            key=PEAK_PARAM, bind="query-params", help=t("forensics.peak_help", lang))
        params[PEAK_PARAM] = str(peak)
    ctx = blocks.context(sid, lang, region, params, needs="forensics")

for slug in VIEWS[method]:
    blocks.chart_block(slug, ctx, filters=params or None)
notes(method, lang)
