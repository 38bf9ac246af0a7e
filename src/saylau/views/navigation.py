"""The page list: slugs are public URL paths and never change."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from saylau.i18n import t

PAGES = (
    ("overview", "pages/overview.py", ":material/dashboard:"),
    ("map", "pages/map.py", ":material/map:"),
    ("discrepancies", "pages/discrepancies.py", ":material/difference:"),
    ("violations", "pages/violations.py", ":material/report:"),
    ("station", "pages/station.py", ":material/search:"),
    ("forensics", "pages/forensics.py", ":material/query_stats:"),
    ("data", "pages/data.py", ":material/dataset:"),
)
HIDDEN = (
    ("embed", "pages/embed.py"),
    ("briefing", "pages/briefing.py"),
)
SLUGS = frozenset(slug for slug, *_ in PAGES + HIDDEN)
DEFAULT_BASE = "http://localhost:8501"
FAVICON = "🗳️"  # an emoji: a :material/…: favicon would be fetched from a font CDN


def app_base(url: str | None) -> str:
    """Return the app's base URL from a page URL: drop the query and the page's own path segment."""
    parts = urlsplit(url or DEFAULT_BASE)
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1] in SLUGS:
        segments.pop()
    path = "/".join(segments)
    return urlunsplit((parts.scheme, parts.netloc, f"/{path}" if path else "", "", ""))


def pages(lang: str) -> list[st.Page]:
    """Return every page of the app, titled in ``lang``; hidden pages stay routable.

    Streamlit serves the default page only at ``/``, so the default is a hidden page that moves
    to ``/overview`` with the same query parameters: both addresses work and links stay stable.
    """
    visible = [st.Page(path, title=t(f"nav.{slug}", lang), icon=icon, url_path=slug) for slug, path, icon in PAGES]
    overview = visible[0]
    start = st.Page(lambda: st.switch_page(overview, query_params=st.query_params.to_dict()),
                    title=overview.title, url_path="start", default=True, visibility="hidden")
    hidden = [st.Page(path, title=t(f"nav.{slug}", lang), url_path=slug, visibility="hidden") for slug, path in HIDDEN]
    return [start, *visible, *hidden]
