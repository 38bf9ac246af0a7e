"""Overview: headline figures with their denominators, the result three ways, coverage, top findings."""

import streamlit as st

from saylau.i18n import fmt_int, fmt_pct, t
from saylau.views import blocks, cached, chrome, findings

lang = chrome.lang()
sid = chrome.require_data(lang)
man = cached.manifest(sid)
st.title(man["election"]["title"].get(lang) or man["election"]["title"]["en"])
tables = cached.metric_tables(sid)
summary = tables["summary"].row(0, named=True)
coverage = tables["coverage"].filter(scope="national").row(0, named=True)

cols = st.columns(3)
cols[0].metric(t("overview.stations", lang), fmt_int(summary["stations"], lang),
               help=t("overview.stations_help", lang))
cols[1].metric(t("overview.registered", lang), fmt_int(summary["registered"], lang))
cols[2].metric(t("overview.turnout", lang), fmt_pct(summary["turnout"], lang),
               help=t("overview.turnout_help", lang, issued=fmt_int(summary["issued"], lang)))
cols = st.columns(3)
cols[0].metric(t("overview.observed", lang), fmt_pct(summary["observed_share"], lang),
               help=t("overview.observed_help", lang, n=fmt_int(coverage["observed"], lang)))
cols[1].metric(t("overview.copies", lang), fmt_pct(summary["copy_share"], lang),
               help=t("overview.copies_help", lang, n=fmt_int(coverage["copy"], lang)))
cols[2].metric(t("overview.incidents", lang), fmt_int(summary["incidents"], lang),
               help=t("overview.incidents_help", lang, rate=fmt_pct(summary["violation_rate"], lang)))

ctx = blocks.context(sid, lang)
blocks.chart_block("result", ctx)
blocks.chart_block("coverage", ctx)

st.header(t("overview.findings", lang))
findings.top_findings(sid, lang)
