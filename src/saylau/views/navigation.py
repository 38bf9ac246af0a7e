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
    """Return every page of the app, titled in ``lang``; hidden pages stay routable."""
    visible = [
        st.Page(path, title=t(f"nav.{slug}", lang), icon=icon, url_path=slug, default=slug == "overview")
        for slug, path, icon in PAGES
    ]
    return visible + [st.Page(path, title=t(f"nav.{slug}", lang), url_path=slug, visibility="hidden") for slug, path in HIDDEN]
