"""Map: regions coloured by a chosen measure, every station as a point, and a way into each station."""

from __future__ import annotations

import streamlit as st

from saylau.figures.map_view import METRIC_PARAM, METRICS, metric_name, station_statuses, unmapped_regions
from saylau.i18n import fmt_int, t
from saylau.views import blocks, chrome

STATION_CHART_KEY = "chart-station-map"


def clicked_station() -> str | None:
    """Return the station last clicked on the station map, if the chart reports selections."""
    state = st.session_state.get(STATION_CHART_KEY)
    points = state.selection.points if state else []
    return points[0].get("customdata") if points else None


lang, sid, prof = chrome.page_start("map", "map.intro")

left, right = st.columns(2)
region = chrome.region_picker(prof, lang, left)
metric = chrome.url_select(right.selectbox, t("map.metric", lang), list(METRICS), METRIC_PARAM,
                           default=next(iter(METRICS)), format_func=lambda m: metric_name(m, lang))

ctx = blocks.context(sid, lang, region, {METRIC_PARAM: metric})
unmapped = unmapped_regions(ctx)
drawable = len(unmapped) < ctx.tables["region_summary"].height
if unmapped:
    st.info(t("map.unmapped_some" if drawable else "map.unmapped_all", lang, n=fmt_int(len(unmapped), lang),
              profile=prof.code.upper()))
if drawable:
    regions_column, stations_column = st.columns(2, gap="large")  # side by side on a wide screen, stacked on a phone
    with regions_column:
        blocks.chart_block("region-map", ctx, filters={METRIC_PARAM: metric})
    with stations_column:
        station_block = blocks.chart_block("station-map", blocks.context(sid, lang, region), select=True)
        st.caption(t("map.click_hint", lang))
    stations = station_block.data["station_id"].to_list()
else:
    stations = station_statuses(ctx)["station_id"].to_list()
clicked = clicked_station()
example = stations[0] if stations else "…"
station = st.selectbox(t("map.station", lang), stations, placeholder=t("map.station_placeholder", lang, example=example),
                       index=stations.index(clicked) if clicked in stations else None)
if station:
    st.page_link("pages/station.py", label=t("map.open_station", lang, station=station),
                 icon=":material/arrow_forward:", query_params={"id": station, "lang": lang})
