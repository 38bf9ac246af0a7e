"""Map: regions coloured by a chosen measure, or every station as a point, and a way into each station."""

from __future__ import annotations

import streamlit as st

from saylau.figures.map_view import (
    METRIC_PARAM, METRICS, STATION_VIEW, VIEWS, metric_name, station_statuses, unmapped_regions,
)
from saylau.i18n import fmt_int, t
from saylau.views import blocks, chrome

STATION_CHART_KEY = f"chart-{VIEWS[STATION_VIEW][0]}"


def clicked_station() -> str | None:
    """Return the station last clicked on the station map, if the chart reports selections."""
    state = st.session_state.get(STATION_CHART_KEY)
    points = state.selection.points if state else []
    return points[0].get("customdata") if points else None


lang, sid, prof = chrome.page_start("map", "map.intro")

view = chrome.view_picker(t("map.view", lang), list(VIEWS), lambda v: t(f"map.view_{v}", lang))
left, right = st.columns(2)
region = chrome.region_picker(prof, lang, left)
params: dict[str, str] = {}
if view != STATION_VIEW:
    params[METRIC_PARAM] = chrome.url_select(right.selectbox, t("map.metric", lang), list(METRICS), METRIC_PARAM,
                                             default=next(iter(METRICS)), format_func=lambda m: metric_name(m, lang))

ctx = blocks.context(sid, lang, region, params)
unmapped = unmapped_regions(ctx)
drawable = len(unmapped) < ctx.tables["region_summary"].height
if unmapped:
    st.info(t("map.unmapped_some" if drawable else "map.unmapped_all", lang, n=fmt_int(len(unmapped), lang),
              profile=prof.code.upper()))
map_column, side = st.columns(2, gap="large")  # the map keeps the half-page width it is fitted to; stacked on a phone
drawn = []
if drawable:
    with map_column:
        drawn = [blocks.chart_block(slug, ctx, filters=params or None, select=view == STATION_VIEW)
                 for slug in VIEWS[view]]
# the station map plots every station in scope: its data is the list, no second pass over the statuses
stations = (drawn[0].data if drawn and view == STATION_VIEW else station_statuses(ctx))["station_id"].to_list()
clicked = clicked_station() if view == STATION_VIEW else None
example = stations[0] if stations else "…"
with side:
    if drawable and view == STATION_VIEW:
        st.caption(t("map.click_hint", lang))
    station = st.selectbox(t("map.station", lang), stations,
                           placeholder=t("map.station_placeholder", lang, example=example),
                           index=stations.index(clicked) if clicked in stations else None)
    if station:
        st.page_link("pages/station.py", label=t("map.open_station", lang, station=station),
                     icon=":material/arrow_forward:", query_params={"id": station, "lang": lang})
