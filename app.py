"""Saylau router: page config, shared chrome (language, data version) and explicit navigation."""

import streamlit as st

from saylau.views import chrome, navigation

with chrome.routing():
    st.set_page_config(page_title="Saylau", page_icon=navigation.FAVICON, layout="wide")
    chrome.app_style()
    embedded = chrome.is_embedded()
    lang = chrome.lang() if embedded else chrome.language_picker()
    page = st.navigation(navigation.pages(lang), position="hidden" if embedded else "top")
    if not embedded and page.url_path not in {slug for slug, _ in navigation.HIDDEN}:
        chrome.data_banner(lang)
    page.run()
