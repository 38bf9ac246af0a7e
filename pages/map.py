"""Map: regions coloured by a chosen measure, every station as a point, and a way into each station."""

from __future__ import annotations

import streamlit as st

from saylau.figures.map_view import METRIC_PARAM, METRICS, metric_name
from saylau.i18n import t
from saylau.views import blocks, cached, chrome

REGION_KEY = "region"
STATION_CHART_KEY = "chart-station-map"


def seed_from_url(key: str, codes: list[str]) -> None:
    """Accept a code in the URL (``?region=ALM``, as other pages link) for a widget bound by its label."""
    value = st.query_params.get(key)
    if key not in st.session_state and value in codes:
        st.session_state[key] = value


def clicked_station() -> str | None:
    """Return the station last clicked on the station map, if the chart reports selections."""
    state = st.session_state.get(STATION_CHART_KEY)
    points = state.selection.points if state else []
    return points[0].get("customdata") if points else None


lang = chrome.lang()
sid = chrome.require_data(lang)
prof = cached.profile(sid)
st.title(t("nav.map", lang))
st.caption(t("map.intro", lang))

codes = [r.code for r in prof.regions]
seed_from_url(REGION_KEY, codes)
seed_from_url(METRIC_PARAM, list(METRICS))
left, right = st.columns(2)
region = left.selectbox(t("map.region", lang), [None, *codes], key=REGION_KEY, bind="query-params",
                        format_func=lambda c: prof.region(c).names.get(lang) if c else t("map.all_regions", lang))
metric = right.selectbox(t("map.metric", lang), list(METRICS), key=METRIC_PARAM, bind="query-params",
                         format_func=lambda m: metric_name(m, lang))

ctx = blocks.context(sid, lang, region, {METRIC_PARAM: metric})
blocks.chart_block("region-map", ctx, filters={METRIC_PARAM: metric})
st.caption(t("map.click_hint", lang))
stations = blocks.chart_block("station-map", ctx).data["station_id"].to_list()
clicked = clicked_station()
station = st.selectbox(t("map.station", lang), stations, placeholder=t("map.station_placeholder", lang),
                       index=stations.index(clicked) if clicked in stations else None)
if station:
    st.page_link("pages/station.py", label=t("map.open_station", lang, station=station),
                 icon=":material/arrow_forward:", query_params={"id": station, "lang": lang})
