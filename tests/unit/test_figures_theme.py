"""House style, credit line and offline maps: templates, config, credit parts, no external URL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
import pytest

from saylau import geo, i18n
from saylau.figures import maps, theme
from saylau.figures.credit import CREDIT_NAME, Credit, add_credit
from saylau.profiles import load_profile

CREDIT_KEYS = ("credit.source", "credit.as_of", "credit.version", "credit.licence")
CREDIT_TEXTS = {
    "credit.source": "Source: {source}",
    "credit.as_of": "as of {time}",
    "credit.version": "data version {version}",
    "credit.licence": "licence {licence}",
}
MANIFEST = {
    "schema_version": 1,
    "snapshot_id": "demo-referendum-2026-1",
    "created_at": "2026-03-22T06:00:00Z",
    "profile": "kz",
    "election": {"id": "kz-2026-referendum", "status": "final", "licence": "CC BY 4.0"},
    "sources": [
        {"name": "CEC <b>official</b>", "kind": "http", "retrieved_at": "2026-03-22T05:00:00Z"},
        {"name": "observers", "kind": "kobo", "retrieved_at": "2026-03-22T05:30:00Z"},
        {"name": "observers", "kind": "odk", "retrieved_at": "2026-03-22T05:40:00Z"},
    ],
}
STATUS_COLORS = {"match": theme.OKABE_ITO["bluish_green"], "material_change": theme.OKABE_ITO["vermillion"]}


@pytest.fixture()
def credit_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve the credit texts whether or not the catalogues have them yet."""
    real = i18n.catalogue
    monkeypatch.setattr(i18n, "catalogue", lambda lang: {**real(lang), **CREDIT_TEXTS})


@pytest.fixture(scope="module")
def geojson(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return geo.region_geojson(load_profile("kz"), tmp_path_factory.mktemp("geo"))


@pytest.fixture(scope="module")
def values() -> pl.DataFrame:
    codes = [r.code for r in load_profile("kz").regions]
    return pl.DataFrame({
        "region_code": codes,
        "value": [None if i == 0 else i / 20 for i in range(len(codes))],
        "label": [f"{c}: {i}" for i, c in enumerate(codes)],
    })


@pytest.fixture(scope="module")
def stations() -> pl.DataFrame:
    return pl.DataFrame({
        "station_id": ["KZ-71-1", "KZ-71-2", "KZ-75-3", "KZ-00-4"],
        "lat": [51.16, 51.17, 43.25, None],
        "lon": [71.45, 71.40, 76.95, None],
        "status": ["match", "material_change", "no_copy", "match"],
        "label": ["№1", "№2", "№3", "abroad"],
    })


def test_templates_registered():
    """Screen and briefing templates exist; briefing has big type, thick lines and no legend."""
    screen, briefing = pio.templates[theme.TEMPLATE], pio.templates[theme.BRIEFING_TEMPLATE]
    assert screen.layout.font.family == briefing.layout.font.family == theme.FONT_FAMILY
    assert 20 <= briefing.layout.font.size <= 24 < 20 + screen.layout.font.size
    assert briefing.layout.showlegend is False and screen.layout.showlegend is None
    assert briefing.data.scatter[0].line.width > screen.data.scatter[0].line.width
    assert briefing.layout.margin.l > screen.layout.margin.l
    assert list(screen.layout.colorway) == list(theme.COLORWAY)
    assert set(theme.COLORWAY) == set(theme.OKABE_ITO.values())


def test_font_stack_is_system_only():
    """No web font: the stack names only fonts the system has and ends in a generic family."""
    assert theme.FONT_FAMILY.endswith("sans-serif")
    assert "url(" not in theme.FONT_FAMILY and "http" not in theme.FONT_FAMILY


def test_separators_follow_language():
    """Decimal comma and space thousands for kk/ru, decimal point and comma thousands for en."""
    assert theme.separators("ru")[0] == theme.separators("kk")[0] == ","
    assert theme.separators("en") == ".,"
    fig = theme.apply_theme(go.Figure(), "kk", briefing=True)
    assert fig.layout.separators == theme.separators("kk")
    assert fig.layout.template.layout.font.size == theme.BRIEFING.font_size


def test_plotly_config_per_chart():
    """The config names the image after the slug, hides the logo and never sets showSendToCloud."""
    config = theme.plotly_config("map-regions")
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"] == {"format": "png", "scale": 2, "filename": "map-regions"}
    assert "showSendToCloud" not in config and "filename" not in theme.PLOTLY_CONFIG["toImageButtonOptions"]


def test_credit_from_manifest():
    """The manifest gives source names (deduplicated), UTC time, status, version and licence."""
    credit = Credit.from_manifest(MANIFEST, url="https://saylau.example/map")
    assert credit.source == "CEC <b>official</b>, observers"
    assert credit.as_of == datetime(2026, 3, 22, 6, tzinfo=UTC)
    assert (credit.status, credit.version, credit.licence) == ("final", "demo-referendum-2026-1", "CC BY 4.0")


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_credit_annotation_has_every_part(credit_catalogue, lang: str):
    """One bottom annotation carries source, as-of UTC time, status, data version and licence."""
    fig = theme.apply_theme(go.Figure(go.Bar(x=["a"], y=[1])), lang)
    credit = Credit.from_manifest(MANIFEST)
    add_credit(fig, credit, lang)
    add_credit(fig, credit, lang)
    notes = [a for a in fig.layout.annotations if a.name == CREDIT_NAME]
    assert len(notes) == 1
    text = notes[0].text
    for part in ("Source: CEC &lt;b&gt;official&lt;/b&gt;, observers", "as of 2026-03-22 06:00 UTC",
                 i18n.t("status.final", lang), "data version demo-referendum-2026-1", "licence CC BY 4.0"):
        assert part in text
    assert "<b>" not in text
    assert notes[0].yref == "paper" and notes[0].y == 0 and notes[0].yanchor == "top"
    assert fig.layout.margin.b > abs(notes[0].yshift)


def test_credit_keys_in_every_catalogue():
    """The credit's wording exists in kk, ru and en with the placeholders credit.py fills."""
    for lang in i18n.LANGS:
        cat = i18n.catalogue(lang)
        for key, english in CREDIT_TEXTS.items():
            assert key in cat, (lang, key)
            placeholder = english[english.index("{"):english.index("}") + 1]
            assert placeholder in cat[key], (lang, key)


def test_choropleth_sends_each_region_once(geojson, values):
    """Regions with a value are on the colour scale, the rest grey; each geometry travels once."""
    fig = maps.region_choropleth(values, geojson, "Turnout", lang="ru", colorbar_format=".0%")
    coloured, grey = fig.data
    assert isinstance(coloured, go.Choroplethmap) and isinstance(grey, go.Choroplethmap)
    assert list(grey.locations) == ["ABA"] and len(coloured.locations) == 19
    sent = [f["id"] for tr in fig.data for f in tr.geojson["features"]]
    assert sorted(sent) == sorted(f["id"] for f in geojson["features"])
    assert list(coloured.customdata) == list(coloured.locations)
    assert fig.layout.map.style == "white-bg" and fig.layout.separators == theme.separators("ru")
    assert 3 < fig.layout.map.zoom < 5 and 60 < fig.layout.map.center.lon < 70
    assert coloured.colorbar.orientation == "h" and coloured.colorbar.tickformat == ".0%"  # under the map, not beside it


def test_station_points_are_glyph_free(stations):
    """Points are circle markers (no text, no clustering) coloured by status, customdata = station id."""
    traces = maps.station_points(stations, STATUS_COLORS, {"match": "Match"}, sizes={"match": 9})
    # drawn last = on top: the first status of the colour map; the legend keeps its order
    assert [t.name for t in traces] == ["no_copy", "material_change", "Match"]
    assert [t.name for t in sorted(traces, key=lambda t: t.legendrank)] == ["Match", "material_change", "no_copy"]
    assert [list(t.customdata) for t in traces] == [["KZ-75-3"], ["KZ-71-2"], ["KZ-71-1"]]
    for trace in traces:
        assert isinstance(trace, go.Scattermap) and trace.mode == "markers"
        assert trace.text is None and trace.marker.symbol in (None, "circle") and not trace.cluster.enabled
    assert traces[2].marker.color == STATUS_COLORS["match"] and traces[0].marker.color == maps.FALLBACK_POINT_COLOR
    assert traces[2].marker.size == 9 and traces[0].marker.size == maps.POINT_SIZE


def test_map_figures_reference_no_external_host(credit_catalogue, geojson, values, stations):
    """The serialised map (with credit) holds no URL, no map layers and no text on the map."""
    fig = maps.station_map(values, geojson, stations, "Stations", STATUS_COLORS, lang="en")
    add_credit(fig, Credit.from_manifest(MANIFEST), "en")
    text = fig.to_json()
    assert "http" not in text and "mapbox" not in text
    layout = json.loads(text)["layout"]
    assert "layers" not in layout["map"] and layout["map"]["style"] == "white-bg"
    assert all(t.get("mode", "markers") == "markers" for t in json.loads(text)["data"])


def test_view_fits_bounds(geojson):
    """A wider viewport zooms in further; the centre stays in Kazakhstan."""
    narrow, wide = (maps.fit_view(go.Figure(), geojson, size).layout.map for size in ((360, 400), (1440, 800)))
    assert wide.zoom == pytest.approx(narrow.zoom + 2, abs=0.01)
    assert 40 < narrow.center.lat < 56 and narrow.center == wide.center


def test_briefing_map_fills_the_slide(geojson, values):
    """On a briefing slide the same map is zoomed to fill the slide's plotting area (a 1366×768 one); on screen it is not."""
    screen = maps.region_choropleth(values, geojson, "Turnout")
    zoom = screen.layout.map.zoom
    slide = theme.apply_theme(go.Figure(screen), "en", briefing=True)
    assert slide.layout.map.zoom == pytest.approx(maps.fit_zoom(maps.extent(geojson)[1], theme.BRIEFING_SMALL_PLOT_PX))
    assert abs(slide.layout.map.zoom - zoom) > 0.1
    assert slide.layout.map.center == screen.layout.map.center
    assert theme.apply_theme(go.Figure(screen), "en").layout.map.zoom == zoom


def test_briefing_layout_applies_only_to_briefing():
    """Layout recorded with ``for_briefing`` changes the figure for a slide and leaves the screen figure alone."""
    fig = theme.for_briefing(go.Figure(layout={"margin": {"t": 40}, "xaxis": theme.value_axis("Share of observed stations")}),
                             margin_t=90)
    screen, slide = theme.apply_theme(go.Figure(fig), "en"), theme.apply_theme(go.Figure(fig), "en", briefing=True)
    assert screen.layout.margin.t == 40 and "<br>" in screen.layout.xaxis.title.text
    assert slide.layout.margin.t == 90 and slide.layout.xaxis.title.text == "Share of observed stations"


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("Official figures published", ["Official figures", "published"]),
        ("Западно-Казахстанская область", ["Западно-", "Казахстанская", "область"]),
        ("Бюллетеньдер көрсетілмеді, дауыс жария етілмеді",
         ["Бюллетеньдер", "көрсетілмеді,", "дауыс жария", "етілмеді"]),
        ("Turnout", ["Turnout"]),
        ("", [""]),
    ],
)
def test_wrap_breaks_at_word_boundaries(text: str, lines: list[str]):
    """Labels wrap at spaces (a long word after its hyphens) into lines of at most ``LABEL_WRAP`` characters."""
    assert theme.wrap(text).split("<br>") == lines
    assert theme.wrap(text).replace("<br>", " ").replace("- ", "-") == text


def test_bar_rows_fit_each_label():
    """Each row is as tall as its wrapped label; bars keep the full label as hover text; first row on top."""
    labels = ["Turnout", "Ballots not shown or the vote not announced aloud"]
    rows = theme.bar_rows(labels)
    assert rows.centres[1] - rows.centres[0] > theme.LINE_PX * 2
    bar = rows.bar()
    assert bar["hovertext"] == labels and bar["y"] == list(rows.centres)
    assert rows.axis["range"] == [rows.span, 0]
    assert rows.axis["ticktext"][1].count("<br>") == 2
    grouped = theme.bar_rows(labels, bars=3)
    assert grouped.y(0)[0] < grouped.y(2)[0] and grouped.y(1)[0] == grouped.centres[0]


def test_value_axis_limits_ticks_and_wraps_title():
    """Value axes carry few ticks (no rotation on a phone) and a wrapped title."""
    axis = theme.value_axis("Share of observed stations with an incident report")
    assert axis["nticks"] == theme.VALUE_TICKS
    assert all(len(line) <= theme.TITLE_WRAP for line in axis["title"]["text"].split("<br>"))


def test_dense_columns_have_no_value_labels():
    """Up to ``DENSE_BARS`` columns get a value label each; more do not."""
    assert theme.labels_fit(theme.DENSE_BARS) and not theme.labels_fit(theme.DENSE_BARS + 1)


def test_bar_text_reads_on_its_bar():
    """Inside labels are black on light bars and white on dark ones."""
    assert theme.text_on("#F0E442") == theme.TEXT_COLOR and theme.text_on("#000080") == theme.BACKGROUND
    assert theme.bar_text(["#F0E442", "#000080"], [1, 2])["insidetextfont"]["color"] == [theme.TEXT_COLOR, theme.BACKGROUND]


def test_zero_bar_keeps_its_label():
    """A bar of zero has its label drawn beside the axis; Plotly's automatic placement would drop it."""
    assert theme.bar_text("#000080", [0, 3, 0.0])["textposition"] == ["outside", "auto", "outside"]


def test_geo_cache_folder_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Without a cache folder the file goes to $SAYLAU_DATA/cache."""
    monkeypatch.setenv("SAYLAU_DATA", str(tmp_path))
    assert geo.cache_path(load_profile("kz")).parent == tmp_path / geo.CACHE_FOLDER


def test_all_grey_map_has_no_colour_bar(geojson, values):
    """Without any value the map is one grey trace: no empty colour scale."""
    fig = maps.region_choropleth(values.with_columns(pl.lit(None, pl.Float64).alias("value")), geojson, "Regions")
    assert len(fig.data) == 1 and fig.data[0].showscale is False and len(fig.data[0].locations) == 20
