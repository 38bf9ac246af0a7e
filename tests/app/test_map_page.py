"""Map page: every language, both maps, the metric picker and region filter restored from the URL."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest
from harness import run_page

from saylau.i18n import LANGS, t
from saylau.views import search
from saylau.views import station_data as sd


@pytest.mark.parametrize("lang", LANGS)
def test_map_renders(demo_env, lang: str):
    """The region map opens first, with the region and metric filters and the station search, in the page language."""
    at = run_page("map", lang)
    assert not at.exception, at.exception
    assert at.segmented_control(key="view").value == "regions"
    titles = [s.value for s in at.subheader]
    assert titles == [t("map.region_title", lang, metric=t("map.metric_turnout", lang))]
    labels = [s.label for s in at.selectbox]
    assert labels == [t("map.region", lang), t("map.metric", lang)]
    assert at.text_input(key="station_query").label == t("map.station", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_station_view_renders(demo_env, lang: str):
    """``?view=stations`` draws the station map with its hint; the metric picker (regions only) is not shown."""
    at = run_page("map", lang, view="stations")
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == [t("map.station_title", lang)]
    assert any(t("map.click_hint", lang) == c.value for c in at.caption)
    assert [s.label for s in at.selectbox] == [t("map.region", lang)]
    assert at.text_input(key="station_query").label == t("map.station", lang)


def test_url_state_is_restored(demo_env):
    """``?region=ALM&metric=violations`` selects both widgets and narrows the map and the station search to the region."""
    at = run_page("map", "en", region="ALM", metric="violations", q="KZ")
    assert not at.exception, at.exception
    assert at.selectbox(key="region").value == "ALM"
    assert at.selectbox(key="metric").value == "violations"
    titles = [s.value for s in at.subheader]
    assert t("map.region_title", "en", metric=t("map.metric_violations", "en")) in titles
    assert at.text_input(key="station_query").value == "KZ"
    stations = at.selectbox[2].options
    assert stations and all(s.startswith("KZ-19-") for s in stations)
    assert any("Almaty Region" in c.value and t("map.metric_violations", "en") in c.value for c in at.caption)
    at = run_page("map", "en", region="ALM", view="stations")
    assert not at.exception, at.exception
    assert at.selectbox(key="region").value == "ALM"


def test_finding_a_station_links_to_it(demo_env):
    """Searching the map's region and picking a match shows a link to its drill-down page."""
    at = run_page("map", "ru", region="AST")
    at.text_input(key="station_query").input("KZ").run()
    matches = at.selectbox[2]
    assert len(matches.options) == search.LIMIT
    station = matches.options[0].split(sd.LABEL_SEPARATOR)[0]
    matches.set_value(station).run()
    assert not at.exception, at.exception
    links = [link for link in at.get("page_link") if station in link.proto.label.replace("\\", "")]
    assert links and links[0].proto.page == "station"
    assert links[0].proto.query_string == f"id={station}&lang=ru"
    assert t("search.more", "ru", limit=search.LIMIT) in [c.value for c in at.caption]


def test_station_points_carry_no_repeated_text(demo_env):
    """Each station point sends its id and region only; the status name is written once per trace."""
    at = run_page("map", "ru", view="stations")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    points = [tr for tr in spec["data"] if tr["type"] == "scattermap"]
    assert points
    for trace in points:
        assert trace["name"] in trace["hovertemplate"]
        assert all("<br>" not in text and trace["name"] not in text for text in trace["hovertext"])
        assert len(trace["customdata"]) == len(trace["hovertext"])


def test_region_findings_open_the_map_on_violation_rates(demo_env):
    """A region finding on the overview ("<region>: violations at …") opens the map of that region coloured by violation rate."""
    at = run_page("overview", "en")
    links = [link for link in at.get("page_link") if link.proto.page == "map"]
    assert links
    queries = [dict(parse_qsl(link.proto.query_string)) for link in links]
    assert all(q["metric"] == "violations" and q["region"] for q in queries)
    at = run_page("map", "en", region=queries[0]["region"], metric=queries[0]["metric"])
    assert not at.exception, at.exception
    assert at.selectbox(key="metric").value == "violations"
    assert at.selectbox(key="region").value == queries[0]["region"]
