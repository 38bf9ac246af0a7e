"""The one caching module: every page reads snapshots, metrics and figures data through here.

Keys are small strings (snapshot id, region, station id); snapshots are immutable, so a
snapshot id fully determines every cached value. Frames are held with ``cache_resource``
(Polars frames are immutable, so sharing them across sessions is safe and avoids a copy per
hit); small dicts use ``cache_data``. Built charts (figure with the house style, the data it
plots, its summary) are held per snapshot, chart, language, filters and whether the credit
line is drawn into the figure (for PNG and SVG files) or not (on screen, where the page writes
it under the chart), so a page that was drawn once is drawn again without building or
validating a Plotly figure; callers must not change a cached figure (copy it first).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import streamlit as st

from saylau import store
from saylau.profiles import Profile, load_profile

if TYPE_CHECKING:
    from saylau.figures.registry import ChartOutput

MAX_ENTRIES = 64
CHART_ENTRIES = 1024  # built charts: every page's charts in three languages, with room for filters and stations


def snapshot_dir() -> Path | None:
    """Return the folder of the snapshot the app shows (read on every run; a new ingest shows at once)."""
    return store.current()


def snapshot_id() -> str | None:
    """Return the id of the current snapshot, or None when no data are loaded."""
    path = snapshot_dir()
    return path.name if path else None


def warm() -> str | None:
    """Load the current snapshot's tables, metrics, forensics tables and revisions into the caches.

    Called with the same arguments as the pages, so their first run finds every table computed.
    Returns the snapshot id (None when no data are loaded).
    """
    sid = snapshot_id()
    if sid is not None:
        metric_tables(sid)
        forensics_tables(sid)
        revisions(sid)
    return sid


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


def metric_tables(sid: str, region: str | None = None) -> dict[str, pl.DataFrame]:
    """Return every metric table of a snapshot, optionally for one region."""
    return _metric_tables(sid, region)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def _metric_tables(sid: str, region: str | None) -> dict[str, pl.DataFrame]:
    """Compute the metric tables; always called with both arguments, since Streamlit keys ``f(a)`` and
    ``f(a, None)`` apart and would compute and hold the same tables twice."""
    from saylau import metrics

    lazy = {name: df.lazy() for name, df in tables(sid).items()}
    return metrics.compute_all(lazy, profile(sid), manifest(sid)["election"], region=region)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def revisions(sid: str) -> pl.DataFrame:
    """Return every revision between official publications of a snapshot."""
    return store.revisions(tables(sid)["protocol_official"].lazy()).collect()


def forensics_tables(sid: str, region: str | None = None) -> dict[str, pl.DataFrame]:
    """Return every forensics table of a snapshot (optionally one region), as the charts read them."""
    return _forensics_tables(sid, region)


@st.cache_resource(max_entries=MAX_ENTRIES, show_spinner=False)
def _forensics_tables(sid: str, region: str | None) -> dict[str, pl.DataFrame]:
    """Compute the forensics tables (both arguments always given, as for ``_metric_tables``)."""
    from saylau import forensics

    lazy = {name: df.lazy() for name, df in tables(sid).items()}
    return forensics.tables_for_charts(lazy, manifest(sid)["election"], region=region)


def chart_tables(sid: str, needs: str, region: str | None = None) -> dict[str, pl.DataFrame]:
    """Return the tables a chart reads (``needs`` of its registry entry): metric, forensics or canonical."""
    if needs == "forensics":
        return forensics_tables(sid, region)
    if needs == "tables":
        return tables(sid)
    return metric_tables(sid, region)


@st.cache_resource(max_entries=CHART_ENTRIES, show_spinner=False)
def chart(slug: str, sid: str, lang: str, region: str | None = None,
          params: tuple[tuple[str, str], ...] = (), credit: bool = False, narrow: bool = False) -> ChartOutput:
    """Return a registered chart of a snapshot, built for a language and filters, in the house style.

    ``params`` are the chart's own filters as sorted (name, value) pairs; with ``credit`` the
    credit line is drawn into the figure (for files); ``narrow`` builds it for a phone-wide
    column (``ChartContext.narrow``). The figure is shared by every session:
    draw it, never change it.
    """
    from saylau.figures import CHARTS, finish
    from saylau.figures.registry import ChartContext

    spec = CHARTS[slug]
    man = manifest(sid)
    ctx = ChartContext(chart_tables(sid, spec.needs, region), profile(sid), man, lang, region, dict(params), narrow)
    return finish(spec.build(ctx), man, lang, credit=credit)
