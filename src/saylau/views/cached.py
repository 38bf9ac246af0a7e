"""The one caching module: every page reads snapshots, metrics and figures data through here.

Keys are small strings (snapshot id, region, station id); snapshots are immutable, so a
snapshot id fully determines every cached value. Frames are held with ``cache_resource``
(Polars frames are immutable, so sharing them across sessions is safe and avoids a copy per
hit); small dicts use ``cache_data``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from saylau import store
from saylau.profiles import Profile, load_profile

MAX_ENTRIES = 64


def snapshot_dir() -> Path | None:
    """Return the folder of the snapshot the app shows (read on every run; a new ingest shows at once)."""
    return store.current()


def snapshot_id() -> str | None:
    """Return the id of the current snapshot, or None when no data are loaded."""
    path = snapshot_dir()
    return path.name if path else None


def _path(sid: str) -> Path:
    return store.data_root() / store.SNAPSHOTS / sid


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False)
def manifest(sid: str) -> dict[str, Any]:
    """Return a snapshot's manifest."""
    return store.manifest(_path(sid))


def profile(sid: str) -> Profile:
    """Return the country profile a snapshot was made for."""
    return load_profile(manifest(sid).get("profile", "kz"))


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def tables(sid: str) -> dict[str, pl.DataFrame]:
    """Return every canonical table of a snapshot, in memory."""
    return store.load_tables(_path(sid))


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def metric_tables(sid: str, region: str | None = None) -> dict[str, pl.DataFrame]:
    """Return every metric table of a snapshot, optionally for one region."""
    from saylau import metrics

    lazy = {name: df.lazy() for name, df in tables(sid).items()}
    return metrics.compute_all(lazy, profile(sid), manifest(sid)["election"], region=region)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def revisions(sid: str) -> pl.DataFrame:
    """Return every revision between official publications of a snapshot."""
    return store.revisions(tables(sid)["protocol_official"].lazy()).collect()


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def forensics_tables(sid: str, region: str | None = None) -> dict[str, pl.DataFrame]:
    """Return every forensics table of a snapshot (optionally one region), as the charts read them."""
    from saylau import forensics

    lazy = {name: df.lazy() for name, df in tables(sid).items()}
    return forensics.tables_for_charts(lazy, manifest(sid)["election"], region=region)


@st.cache_data(max_entries=1024, show_spinner=False)
def station_ids(sid: str) -> list[str]:
    """Return every station id of a snapshot, sorted (for search)."""
    return sorted(tables(sid)["stations"]["station_id"].to_list())
