"""Station drill-down: every language, deep link, unknown id, plain-text incident texts, no personal fields."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from harness import run_page
from streamlit.testing.v1 import AppTest

from saylau import store
from saylau.i18n import LANGS, fmt_day, t
from saylau.views import chrome
from saylau.views import station_data as sd

PERSONAL = re.compile(r"name|phone|iin|e-?mail|passport|username", re.IGNORECASE)
DANGEROUS = ("<b>", "[link](", "=HYPERLINK(", "<script>")
PHONE_TABLE_PX = 328  # a table's width on a 360 px phone: the page keeps 1 rem each side
MARKDOWN_KINDS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "success", "error")




@pytest.fixture(scope="module")
def picks(demo_root: Path) -> dict[str, str]:
    """Pick demo stations: one with copies and a discrepancy, one with a dangerous incident text."""
    snap = store.current(demo_root)
    copies = store.scan(snap, "protocol_copies").select("station_id").unique().collect()
    incidents = store.scan(snap, "incidents").collect()
    risky = incidents.filter(pl.any_horizontal(pl.col("text").str.contains(d, literal=True) for d in DANGEROUS))
    official = store.latest_official(store.scan(snap, "protocol_official")).collect()
    own = store.scan(snap, "protocol_copies").collect()
    differing = (
        official.join(own, on=["station_id", "line"], suffix="_copy").filter(pl.col("value") != pl.col("value_copy"))
        .select("station_id").unique().sort("station_id")
    )
    return {
        "copy": copies.sort("station_id")["station_id"][0],
        "differs": differing["station_id"][0],
        "risky": risky.sort("station_id")["station_id"][0],
    }


def markdown_texts(at: AppTest) -> list[str]:
    """Return the text of every element that Streamlit renders as Markdown."""
    return [str(el.value) for kind in MARKDOWN_KINDS for el in getattr(at, kind)]


def shown_columns(at: AppTest) -> list[str]:
    """Return the column names of every dataframe on the page."""
    return [str(c) for df in at.dataframe for c in df.value.columns]


@pytest.mark.parametrize("lang", LANGS)
def test_station_renders_in_every_language(demo_env, picks, lang: str):
    """A deep link restores the station and shows its header, figures, copies and share link."""
    at = run_page("station", lang, id=picks["differs"])
    assert not at.exception, at.exception
    assert at.title[0].value == t("station.title", lang, id=picks["differs"])
    headers = [h.value for h in at.header]
    for key in ("official_header", "copies_header", "relations_header", "share_header"):
        assert t(f"station.{key}", lang) in headers
    assert any(f"id={picks['differs']}" in c.value and f"lang={lang}" in c.value for c in at.code)


def test_deep_link_opens_station_with_an_empty_search(demo_env, picks):
    """``?id=`` opens the station with the search box empty, and the comparison marks differing lines with ≠."""
    at = run_page("station", "en", id=picks["differs"])
    assert at.title[0].value == t("station.title", "en", id=picks["differs"])
    assert at.text_input(key="station_search").value == ""
    comparison = next(df.value for df in at.dataframe if "mark" in df.value.columns and "official" in df.value.columns)
    assert "≠" in set(comparison["mark"])


def test_search_lists_matches_and_picking_one_opens_it(demo_env, picks):
    """A query lists the matching stations (exact id first, labels with number and address); picking one opens it."""
    at = run_page("station", "ru")
    at.text_input(key="station_search").input(f"  {picks['copy'].lower()} ").run()
    assert not at.exception, at.exception
    assert at.query_params["q"] == picks["copy"].lower()
    matches = next(s for s in at.selectbox if s.label.startswith(t("search.matches", "ru", n="")))
    assert matches.options[0].startswith(f"{picks['copy']} · № ")
    matches.set_value(picks["copy"]).run()
    assert not at.exception, at.exception
    assert at.query_params["id"] == picks["copy"]
    assert at.title[0].value == t("station.title", "ru", id=picks["copy"])


def test_search_is_restored_from_the_url_and_says_when_nothing_matches(demo_env):
    """``?q=`` fills the search box; a query that matches nothing says so, with no list."""
    at = run_page("station", "kk", q="zzz-no-such-station")
    assert not at.exception, at.exception
    assert at.text_input(key="station_search").value == "zzz-no-such-station"
    assert t("search.none", "kk") in [c.value for c in at.caption]
    assert not at.selectbox


def test_unknown_station_is_explained(demo_env):
    """An id that is not in the register gives a message and the search, not an exception."""
    at = run_page("station", "ru", id="KZ-00-000000")
    assert not at.exception
    assert t("station.unknown", "ru", version=store.current().name) in [w.value for w in at.warning]
    assert "KZ-00-000000" in [x.value for x in at.text]
    assert at.text_input(key="station_search").value == ""


def test_no_station_lists_notable_ones(demo_env):
    """Without an id the page explains the search and lists stations worth a look, with links."""
    at = run_page("station", "kk")
    assert not at.exception
    assert t("station.choose", "kk") in [i.value for i in at.info]
    assert "link" in at.dataframe[0].value.columns


def test_incident_texts_are_plain_text_only(demo_env, picks):
    """Dangerous incident texts appear in dataframes, never in a Markdown-rendering element."""
    at = run_page("station", "en", open_all=True, id=picks["risky"])
    assert not at.exception
    cells = " ".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())
    assert any(d in cells for d in DANGEROUS)
    rendered = " ".join(markdown_texts(at))
    assert not any(d in rendered for d in DANGEROUS)
    reports = next(df.value for df in at.dataframe if "text" in df.value.columns)
    assert set(reports["severity"]) <= {t(f"station.severity_{s}", "en") for s in (1, 2, 3)}


def test_no_personal_fields_shown(demo_env, picks):
    """No dataframe the page shows has a column that could hold a person's name, phone or IIN."""
    for key in ("copy", "risky"):
        at = run_page("station", "en", open_all=True, id=picks[key])
        assert not [c for c in shown_columns(at) if PERSONAL.search(c)]


@pytest.mark.parametrize("lang", LANGS)
def test_publication_columns_are_translated(demo_env, picks, lang: str, monkeypatch: pytest.MonkeyPatch):
    """Each publication column is named in the language with its day, and is narrow enough to keep its
    right-aligned figures in view beside the pinned line column on a phone."""
    monkeypatch.setattr(chrome, "is_phone", lambda: True)
    at = run_page("station", lang, id=picks["differs"])
    table = next(df for df in at.dataframe if "revised" in df.value.columns)
    config = json.loads(table.proto.columns)
    official = store.scan(store.current(demo_env), "protocol_official").collect()
    pubs = sd.publications(official, picks["differs"])
    assert pubs.height >= 2
    for name, published_at in pubs.rows():
        label = f"{t(f'publication.{name}', lang)} · {fmt_day(published_at, lang)}"
        assert config[name]["label"] == label and config[name]["alignment"] == "right"
        assert config["line"]["width"] + config[name]["width"] <= PHONE_TABLE_PX
    assert config["line"]["pinned"]
    monkeypatch.setattr(chrome, "is_phone", lambda: False)
    wide = json.loads(next(df for df in run_page("station", lang, id=picks["differs"]).dataframe
                           if "revised" in df.value.columns).proto.columns)
    assert wide["line"]["width"] > config["line"]["width"]
