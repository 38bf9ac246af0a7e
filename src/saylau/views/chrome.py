"""Shared chrome: the app's style sheet, language (bound to ``?lang=``), the data-version banner and empty states."""

from __future__ import annotations

import string
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import streamlit as st

from saylau.i18n import LANG_NAMES, LANGS, fmt_dt, normalize_lang, t
from saylau.profiles import Profile
from saylau.views import cached

LANG_KEY = "lang"
REGION_KEY = "region"
VIEW_KEY = "view"
ALL = ""  # the "whole country / every section" choice: empty in the URL
_ROUTER = threading.local()
CREDIT_KEY = "saylau-credit"  # key prefix of the container of a credit line under a chart
CREDIT_COLOR = "#595959"  # figures.theme.MUTED_TEXT_COLOR (7:1 on white), without importing Plotly here
PHONE_MAX_WIDTH_PX = 640
MARKDOWN_PUNCTUATION = frozenset(string.punctuation)  # escaped by ``literal``
PHONE_AGENT = "Mobi"  # the User-Agent token of phone browsers ("Mobile", "Mobile Safari"); tablets send none
APP_CSS = f"""<style>
[class*="st-key-{CREDIT_KEY}"] [data-testid="stText"] > span {{
  font-size: 0.875rem; line-height: 1.45; color: {CREDIT_COLOR}; }}
[data-testid="stPageLink-NavLink"] {{ align-items: flex-start; height: auto; }}
[data-testid="stPageLink-NavLink"] > span:last-child,
[data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"] p {{
  white-space: normal; overflow: visible; text-overflow: clip; line-height: 1.45; }}
@media (max-width: {PHONE_MAX_WIDTH_PX}px) {{
  .stApp [data-testid="stHeading"] h1 {{ font-size: 1.75rem; line-height: 1.2; }}
  .stApp [data-testid="stHeading"] h2 {{ font-size: 1.4rem; line-height: 1.25; }}
  .stApp [data-testid="stHeading"] h3 {{ font-size: 1.15rem; line-height: 1.3; }}
  .stApp [data-testid="stHeading"] :is(h1, h2, h3) {{ overflow-wrap: break-word; }}
}}
</style>"""


@contextmanager
def routing() -> Iterator[None]:
    """Mark the current script run as going through the router (``app.py``)."""
    _ROUTER.active = True
    try:
        yield
    finally:
        _ROUTER.active = False


def require_router() -> None:
    """Send a run that bypassed ``app.py`` back through it.

    On a fresh server Streamlit starts in its legacy ``pages/`` mode and a cold deep link such
    as ``/station?id=…`` runs the page file alone, without our navigation and chrome. Calling
    ``st.navigation`` ends legacy mode for the whole server; the rerun then goes through the
    router, which resolves the same URL path.
    """
    if not getattr(_ROUTER, "active", False):
        from saylau.views.navigation import FAVICON, pages

        st.set_page_config(page_title="Saylau", page_icon=FAVICON, layout="wide")
        st.navigation(pages(normalize_lang(st.query_params.get(LANG_KEY))), position="hidden")
        st.rerun()


def app_style() -> None:
    """Add the app's one style sheet: credit lines as captions, wrapping page links, smaller headings on a phone."""
    st.html(APP_CSS)


def lang() -> str:
    """Return the interface language of this session (and make sure the run went through the router)."""
    require_router()
    return normalize_lang(st.session_state.get(LANG_KEY) or st.query_params.get(LANG_KEY) or st.context.locale)


def is_phone() -> bool:
    """Tell whether the reader's browser says it is a phone (``Mobi`` in its User-Agent, as phone browsers send)."""
    return PHONE_AGENT in (st.context.headers.get("User-Agent") or "")


def is_embedded() -> bool:
    """Tell whether the page is shown inside an iframe or with ``?embed=true``."""
    return bool(st.context.is_embedded)


def literal(text: str) -> str:
    """Escape Markdown in data text (a station id, an unknown region code) put into a Markdown label such as a page link's.

    Every ASCII punctuation mark gets a backslash, so brackets, emphasis, code, ``:icon:`` and
    ``$math$`` show as typed instead of becoming a link, an image or markup.
    """
    return "".join(f"\\{c}" if c in MARKDOWN_PUNCTUATION else c for c in text)


def url_select(widget: Callable[..., Any], label: str, options: Sequence[Any], key: str, default: Any = None,
               keep_default: bool = False, **kwargs: Any) -> Any:
    """Draw a choice widget whose value lives in the URL as its code (``?region=ALA``, not a label).

    The URL seeds the widget on first load (unknown codes are ignored); every run writes the
    current value back, so a copied address restores the same view in any language.
    """
    if key not in st.session_state:
        code = st.query_params.get(key)
        st.session_state[key] = next((o for o in options if o is not None and str(o) == code), default)
    value = widget(label, options, key=key, **kwargs)
    if value is None or (value == default and not keep_default):
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)
    return value


def view_picker(label: str, views: Sequence[str], format_func: Callable[[str], str], default: str | None = None) -> str:
    """Draw the switch between a page's views (``?view=<slug>``, absent for the default) and return the chosen slug.

    A page with many charts shows one view's two or three at a time: the browser draws them all
    before the first counts as laid out, so seven at once delay every one of them. The default
    is the first view unless ``default`` names another.
    """
    return url_select(st.segmented_control, label, list(views), VIEW_KEY, default=default or views[0], required=True,
                      format_func=format_func)


def region_codes(profile: Profile, sid: str) -> list[str]:
    """Return the region codes of a snapshot's stations: the profile's in its order, then any others."""
    present = set(cached.metric_tables(sid)["region_summary"]["region_code"].to_list())
    known = [r.code for r in profile.regions if r.code in present]
    return known + sorted(present - set(known))


def region_picker(profile: Profile, language: str, container: Any = st) -> str | None:
    """Draw the region filter (``?region=<code>``, empty for the whole country) over the data's regions; return the code."""
    sid = cached.snapshot_id()
    codes = [ALL, *(region_codes(profile, sid) if sid else [])]
    code = url_select(container.selectbox, t("map.region", language), codes, REGION_KEY, default=ALL,
                      format_func=lambda c: profile.region_name(c, language) if c else t("map.all_regions", language))
    return code or None


def language_picker() -> str:
    """Draw the compact language switch (``?lang=kk|ru|en``) and return the chosen language."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = lang()
    current = normalize_lang(st.session_state[LANG_KEY])
    chosen = url_select(st.segmented_control, t("chrome.language", current), LANGS, LANG_KEY, keep_default=True,
                        required=True, format_func=LANG_NAMES.get, label_visibility="collapsed")
    return normalize_lang(chosen)


def data_banner(language: str) -> None:
    """Show which data the page shows: election, status, as-of time and data version."""
    sid = cached.snapshot_id()
    if sid is None:
        return
    man = cached.manifest(sid)
    election = man.get("election", {})
    status = t(f"status.{election.get('status', 'provisional')}", language)
    title = election.get("title", {}).get(language) or election.get("title", {}).get("en", "")
    st.caption(
        t(
            "chrome.banner",
            language,
            title=title,
            date=election.get("date", ""),
            status=status,
            as_of=fmt_dt(man.get("created_at"), language),
            version=sid,
        )
    )


def require_data(language: str) -> str:
    """Return the current snapshot id, or explain how to load data and stop the page."""
    sid = cached.snapshot_id()
    if sid is None:
        st.info(t("chrome.no_data", language))
        st.code("make run   # or: saylau demo --out data", language="bash")
        st.stop()
    return sid


def page_start(slug: str, intro_key: str | None = None) -> tuple[str, str, Profile]:
    """Start a data page: language, current snapshot (or stop with help), title and intro; return them."""
    language = lang()
    sid = require_data(language)
    st.title(t(f"nav.{slug}", language))
    if intro_key:
        st.caption(t(intro_key, language))
    return language, sid, cached.profile(sid)


def coming_soon(language: str) -> None:
    """Say honestly that a view is not built yet."""
    st.info(t("chrome.coming_soon", language))
