"""Forensics: statistical screening signals on the official figures, each with its plain-language notes."""

from __future__ import annotations

import streamlit as st

from saylau.figures.forensics import PEAK_PARAM, RULE_PARAM, RULES, chosen_estimate, has_data, summary_row
from saylau.forensics.charts_data import MIN_STATIONS, PEAK
from saylau.forensics.explain import DISCLAIMER, explanation
from saylau.i18n import fmt_int, t
from saylau.views import blocks, cached, chrome

REGION_KEY = "region"
# (method in saylau.forensics.explain, chart slugs shown before its notes)
SECTIONS = (
    ("integer_percent", ("integer-percentages", "turnout-histogram", "leader-share-histogram")),
    ("fingerprint", ("fingerprint",)),
    ("shpilkin", ("votes-by-turnout",)),
    ("digits", ("digit-tests",)),
    ("observed", ("observed-vs-unobserved",)),
)


def seed_from_url(key: str, codes: list[str]) -> None:
    """Accept a code in the URL (``?region=ALM``, as other pages link) for a widget bound by its label."""
    value = st.query_params.get(key)
    if key not in st.session_state and value in codes:
        st.session_state[key] = value


def notes(method: str, language: str) -> None:
    """Show a method's plain-language notes: what it shows, what it does not, assumptions, caveats."""
    text = explanation(method, language)
    st.markdown(f"**{t('forensics.label_shows', language)}.** {text['shows']}")
    st.markdown(f"**{t('forensics.label_does_not_show', language)}.** {text['does_not_show']}")
    with st.expander(t("forensics.more", language)):
        st.markdown(f"**{t('forensics.label_assumptions', language)}.** {text['assumptions']}")
        st.markdown(f"**{t('forensics.label_caveats', language)}.** {text['caveats']}")


lang = chrome.lang()
sid = chrome.require_data(lang)
prof = cached.profile(sid)
st.title(t("nav.forensics", lang))
st.warning(DISCLAIMER[lang], icon=":material/warning:")
st.caption(t("forensics.intro", lang))

codes = [r.code for r in prof.regions]
seed_from_url(REGION_KEY, codes)
seed_from_url(RULE_PARAM, list(RULES))
left, right = st.columns(2)
region = left.selectbox(t("map.region", lang), [None, *codes], key=REGION_KEY, bind="query-params",
                        format_func=lambda c: prof.region(c).names.get(lang) if c else t("map.all_regions", lang))
rule = right.selectbox(t("forensics.rule", lang), RULES, key=RULE_PARAM, bind="query-params",
                       help=t("forensics.rule_help", lang), format_func=lambda r: t(f"forensics.rule_{r}", lang))

ctx = blocks.context(sid, lang, region, needs="forensics")
if not has_data(ctx):
    st.info(t("forensics.too_few_note", lang, n=fmt_int(summary_row(ctx)["included"], lang),
              min=fmt_int(MIN_STATIONS, lang)), icon=":material/info:")
    st.stop()

params = {RULE_PARAM: rule}
if rule == PEAK:
    bins = ctx.tables["votes_by_turnout"]["turnout"]
    default = int(chosen_estimate(ctx, {})["clean_turnout"])
    peak = right.slider(t("forensics.peak", lang), int(bins.min()), int(bins.max()), default, step=1,
                        key=PEAK_PARAM, bind="query-params", help=t("forensics.peak_help", lang))
    params[PEAK_PARAM] = str(peak)
ctx = blocks.context(sid, lang, region, params, needs="forensics")

for method, slugs in SECTIONS:
    for slug in slugs:
        blocks.chart_block(slug, ctx, filters=params if slug == "votes-by-turnout" else None)
    notes(method, lang)
    st.divider()
