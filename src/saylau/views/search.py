"""Station search: a text box bound to ``?q=`` and the stations that match it in a short list.

One select box of every station (10,379 in the demo; a million at the largest scale tested)
would send its whole option list on every run of the page (about 0.6 MB of labels on the
station page) and cost the browser half a second to build it on every load. The box sends
only the query; the list holds at most ``LIMIT`` matches, best first (``station_data.search_stations``).
"""

from __future__ import annotations

from collections.abc import Callable
from zlib import crc32

import polars as pl
import streamlit as st

from saylau.i18n import fmt_int, t
from saylau.views import station_data as sd

QUERY_KEY = "q"
LIMIT = 50


def query_box(label: str, placeholder: str, key: str) -> str:
    """Draw the search box, seeded from ``?q=`` and written back to it; return the query without outer spaces."""
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(QUERY_KEY, "")
    query = st.text_input(label, key=key, placeholder=placeholder).strip()
    if not query:
        st.query_params.pop(QUERY_KEY, None)
    elif st.query_params.get(QUERY_KEY) != query:
        st.query_params[QUERY_KEY] = query
    return query


def station_search(stations: pl.DataFrame, lang: str, key: str, label: str, placeholder: str,
                   region: str | None = None, on_pick: Callable[[str], None] | None = None) -> str | None:
    """Draw the search box and, for a query, the matching stations to pick from; return the picked station.

    ``stations`` is the register; with ``region`` only that region's stations are searched.
    ``on_pick`` is called with the station when the reader picks one (e.g. to put it in the URL).
    """
    query = query_box(label, placeholder, key)
    if not query:
        return None
    matches, total = sd.search_stations(stations, query, LIMIT, region)
    if total == 0:
        st.caption(t("search.none", lang))
        return None
    labels = sd.station_labels(matches)
    pick_key = f"{key}-pick-{crc32(f'{region}|{query}'.encode()):08x}"  # a new list per search: no pick carries over

    def picked() -> None:
        if on_pick is not None and st.session_state[pick_key]:
            on_pick(st.session_state[pick_key])

    choice = st.selectbox(t("search.matches", lang, n=fmt_int(total, lang)), list(labels), index=None, key=pick_key,
                          format_func=labels.__getitem__, placeholder=t("search.pick", lang), on_change=picked)
    if total > LIMIT:
        st.caption(t("search.more", lang, limit=fmt_int(LIMIT, lang)))
    return choice
