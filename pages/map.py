"""Map: regions coloured by a chosen measure, or every station as a point, and a way into each station."""

from __future__ import annotations

import streamlit as st

from saylau.figures.map_view import METRIC_PARAM, METRICS, STATION_VIEW, VIEWS, metric_name, unmapped_regions
from saylau.i18n import fmt_int, t
from saylau.views import blocks, cached, chrome, search

STATION_CHART_KEY = f"chart-{VIEWS[STATION_VIEW][0]}"
SEARCH_KEY = "station_query"


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
if drawable:
    with map_column:
        for slug in VIEWS[view]:
            blocks.chart_block(slug, ctx, filters=params or None, select=view == STATION_VIEW)
with side:
    if drawable and view == STATION_VIEW:
        st.caption(t("map.click_hint", lang))
    clicked = clicked_station() if view == STATION_VIEW else None
    picked = search.station_search(cached.tables(sid)["stations"], lang, SEARCH_KEY, t("map.station", lang),
                                   t("map.station_placeholder", lang), region=region)
    for station in dict.fromkeys(s for s in (clicked, picked) if s):
        st.page_link("pages/station.py", label=t("map.open_station", lang, station=chrome.literal(station)),
                     icon=":material/arrow_forward:", query_params={"id": station, "lang": lang})
