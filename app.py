"""Saylau router: page config, shared chrome (language, data version) and explicit navigation."""

import streamlit as st

from saylau.i18n import t
from saylau.views import chrome

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

st.set_page_config(page_title="Saylau", page_icon="🗳️", layout="wide")
embedded = chrome.is_embedded()
lang = chrome.lang() if embedded else chrome.language_picker()
pages = [
    st.Page(path, title=t(f"nav.{slug}", lang), icon=icon, url_path=slug, default=slug == "overview")
    for slug, path, icon in PAGES
] + [st.Page(path, title=t(f"nav.{slug}", lang), url_path=slug, visibility="hidden") for slug, path in HIDDEN]
page = st.navigation(pages, position="hidden" if embedded else "top")
if not embedded and page.url_path not in {slug for slug, _ in HIDDEN}:
    chrome.data_banner(lang)
page.run()
