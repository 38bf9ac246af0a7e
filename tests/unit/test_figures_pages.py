"""Chart builders of the map, discrepancies and violations pages, on small hand-made metric tables."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest
from polars.testing import assert_series_equal

from saylau import geo
from saylau.figures import CHARTS, maps
from saylau.figures.discrepancy import station_table
from saylau.figures.map_view import station_statuses
from saylau.figures.registry import ChartContext
from saylau.figures.theme import LABEL_WRAP, VALUE_TICKS, WIDE_LABEL_WRAP, apply_theme
from saylau.i18n import fmt_int, fmt_pct, t
from saylau.profiles import load_profile

PROFILE = load_profile("kz")
MANIFEST = {
    "snapshot_id": "test",
    "election": {
        "kind": "referendum",
        "options": [
            {"line": "votes_yes", "kk": "Иә", "ru": "Да", "en": "Yes", "color": "#0072B2"},
            {"line": "votes_no", "kk": "Жоқ", "ru": "Нет", "en": "No", "color": "#D55E00"},
        ],
    },
}
RATE = {"observed_stations": pl.UInt32, "stations_with": pl.UInt32, "rate": pl.Float64, "lo": pl.Float64, "hi": pl.Float64}


def rates(keys: dict[str, list], observed: list[int], hits: list[int]) -> pl.DataFrame:
    """Return a rate table: key columns, observed_stations, stations_with, rate and a made-up interval."""
    rate = [h / n for h, n in zip(hits, observed, strict=True)]
    return pl.DataFrame(
        {**keys, "observed_stations": observed, "stations_with": hits, "rate": rate,
         "lo": [r * 0.5 for r in rate], "hi": [min(r * 1.5, 1.0) for r in rate]},
        schema_overrides=RATE,
    )


TABLES: dict[str, pl.DataFrame] = {
    "violations_by_section": rates({"section": pl.Series([1, 3], dtype=pl.Int8)}, [40, 50], [4, 20]),
    "violations_by_item": rates(
        {"item": ["PRE_OPENED_EARLY", "PRE_BOX_NOT_EMPTY", "CNT_BALLOTS_NOT_SHOWN"],
         "section": pl.Series([1, 1, 5], dtype=pl.Int8)},
        [40, 40, 30], [2, 6, 9],
    ),
    "violations_by_region": rates({"region_code": ["ALM", "AST"]}, [20, 30], [10, 3]).with_columns(
        pl.Series("violation_index", [0.2, 0.05])
    ),
    "violations_by_hour": rates({"hour": pl.Series([7, 8], dtype=pl.Int8)}, [50, 50], [1, 5]),
    "violations_by_org_type": rates({"org_type": ["ngo", "party"]}, [30, 25], [12, 5]),
    "violations_by_status": rates({"status": ["reported", "verified"]}, [50, 50], [30, 12]),
    "coverage": pl.DataFrame({"scope": ["national", "ALM", "AST"], "checklist": pl.Series([50, 20, 30], dtype=pl.UInt32)}),
    "station_discrepancy": pl.DataFrame(
        {
            "station_id": ["KZ-19-1", "KZ-19-2", "KZ-71-1", "KZ-71-2", "KZ-71-3"],
            "region_code": ["ALM", "ALM", "AST", "AST", "AST"],
            "class": ["material_change", "match", "material_change", "no_copy", "transcription_suspect"],
            "n_copies": pl.Series([1, 2, 1, 0, 1], dtype=pl.UInt32),
            "lines_differing": pl.Series([2, 0, 3, 0, 1], dtype=pl.UInt32),
            "turnout_diff": [1.5, 0.0, 0.0, None, 0.0],
            "net_shift_votes_yes": [10, 0, 5, None, 0],
            "net_shift_votes_no": [-10, 0, -5, None, 0],
        }
    ),
    "shift_by_option": pl.DataFrame(
        {"option": ["votes_yes", "votes_no"], "net_shift": [15, -15], "stations": pl.Series([2, 2], dtype=pl.UInt32)}
    ),
    "results": pl.DataFrame(
        {
            "scope": ["national", "national", "ALM", "ALM", "AST", "AST"],
            "option": ["votes_no", "votes_yes"] * 3,
            "official_votes": pl.Series([40, 160, 20, 80, 20, 80], dtype=pl.UInt64),
            "copy_votes": pl.Series([50, 150, 30, 70, 20, 80], dtype=pl.UInt64),
            "official_share": [0.2, 0.8, 0.2, 0.8, 0.2, 0.8],
            "copy_share": [0.25, 0.75, 0.3, 0.7, 0.2, 0.8],
            "stations_with_copy": pl.Series([4, 4, 2, 2, 2, 2], dtype=pl.UInt32),
            "total_official_share": [0.3, 0.7, 0.3, 0.7, 0.3, 0.7],
            "mixed_share": [0.35, 0.65, 0.4, 0.6, 0.3, 0.7],
        }
    ),
    "region_summary": pl.DataFrame(
        {
            "region_code": ["ALM", "AST"],
            "stations": pl.Series([2, 3], dtype=pl.UInt32),
            "registered": pl.Series([1000, 3000], dtype=pl.UInt64),
            "turnout": [0.6, 0.8],
            "violation_rate": [0.5, 0.1],
            "discrepancy_share": [0.5, 0.0],
            "observed_share": [1.0, 1.0],
            "observed": pl.Series([20, 30], dtype=pl.UInt32),
            "compared": pl.Series([2, 0], dtype=pl.UInt32),
        }
    ),
    "station_status": pl.DataFrame(
        {
            "station_id": ["KZ-19-1", "KZ-19-2", "KZ-71-1", "KZ-71-2"],
            "region_code": ["ALM", "ALM", "AST", "AST"],
            "lat": [43.2, 43.3, 51.1, 51.2],
            "lon": [76.9, 77.0, 71.4, 71.5],
            "observed": [True, True, False, True],
            "copy_refused": [False, False, False, True],
            "disc_class": ["material_change", "match", "no_copy", "no_copy"],
        }
    ),
}


def ctx(lang: str = "en", region: str | None = None, **params: str) -> ChartContext:
    """Return a chart context over the hand-made tables."""
    return ChartContext(TABLES, PROFILE, MANIFEST, lang, region, params)


def build(slug: str, context: ChartContext):
    """Build a registered chart."""
    return CHARTS[slug].build(context)


@pytest.fixture()
def geo_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the simplified boundary cache in a temporary data folder shared by the session."""
    root = Path(tmp_path_factory.getbasetemp()) / "geo-data"
    monkeypatch.setenv("SAYLAU_DATA", str(root))
    return root


@pytest.mark.parametrize(
    ("slug", "table"),
    [
        ("violations-by-section", "violations_by_section"),
        ("violations-by-hour", "violations_by_hour"),
        ("violations-by-org", "violations_by_org_type"),
        ("violations-verified", "violations_by_status"),
    ],
)
def test_rate_chart_plots_its_input(slug: str, table: str):
    """A rate chart plots exactly the input rates with their intervals, and its summary names the denominator."""
    out = build(slug, ctx())
    src = TABLES[table]
    assert_series_equal(out.data["rate"].sort(), src["rate"].sort())
    bar = out.figure.data[0]
    plotted = bar.y if slug == "violations-by-hour" else bar.x
    assert sorted(plotted) == sorted(src["rate"].to_list())
    assert sorted(out.data["observed_stations"].to_list()) == sorted(src["observed_stations"].to_list())
    assert fmt_int(int(src["observed_stations"].max()), "en") in out.summary
    assert "observed" in out.title.lower()


def test_section_and_item_names_come_from_the_profile():
    """Sections and items are named in the reader's language; ``?section=`` keeps one section's items."""
    sections = build("violations-by-section", ctx("kk"))
    assert sections.data["label"].to_list() == [PROFILE.sections[1][1].kk, PROFILE.sections[3][1].kk]
    items = build("violations-by-item", ctx("ru", section="1"))
    assert set(items.data["item"]) == {"PRE_OPENED_EARLY", "PRE_BOX_NOT_EMPTY"}
    assert PROFILE.item("PRE_BOX_NOT_EMPTY").names.ru == items.data["label"][0]
    assert build("violations-by-item", ctx(section="9")).data.height == 3


@pytest.mark.parametrize("slug", ["violations-by-region", "violation-index", "tally-by-region", "discrepancy-classes"])
def test_region_filter_is_respected(slug: str):
    """With a region chosen, only that region's rows are plotted."""
    out = build(slug, ctx(region="ALM"))
    column = "region_code" if "region_code" in out.data.columns else None
    if column:
        assert set(out.data[column]) == {"ALM"}
    else:
        assert out.data["stations"].sum() == 2


def test_violation_index_plots_the_index_with_its_denominator():
    """The index chart plots the mean severity index and states the observed stations."""
    out = build("violation-index", ctx())
    assert out.data["violation_index"].to_list() == [0.2, 0.05]
    assert list(out.figure.data[0].x) == [0.2, 0.05]
    assert "20 observed stations" in out.summary


def test_verified_summary_states_both_counts():
    """Verified vs reported: the summary gives both numerators over the observed stations."""
    summary = build("violations-verified", ctx()).summary
    assert all(n in summary for n in ("30", "12", "50"))


def test_discrepancy_classes_count_compared_stations():
    """Classes count stations with a copy (not ``no_copy``); the chosen class is highlighted."""
    out = build("discrepancy-classes", ctx(**{"class": "material_change"}))
    counts = dict(zip(out.data["class"], out.data["stations"], strict=True))
    assert counts == {"material_change": 2, "transcription_suspect": 1, "copies_disagree": 0, "no_official": 0, "match": 1}
    assert list(out.figure.data[0].x) == out.data["stations"].to_list()
    assert "Of 4 stations with a protocol copy" in out.summary
    opacity = out.figure.data[0].marker.opacity
    assert opacity[0] == 1.0 and min(opacity) < 1.0


def test_net_shift_plots_the_metrics_table():
    """Net shift plots ``shift_by_option`` as given and names the material-change stations."""
    out = build("net-shift", ctx())
    assert out.data["net_shift"].to_list() == [15, -15]
    assert list(out.figure.data[0].x) == [15, -15]
    assert "At 2 stations with a material change" in out.summary and "Yes" in out.summary


def test_tally_by_region_is_official_minus_copy():
    """The tally chart plots official minus copy share per region in percentage points."""
    out = build("tally-by-region", ctx())
    alm_yes = out.data.filter((pl.col("region_code") == "ALM") & (pl.col("option") == "votes_yes"))
    assert alm_yes["diff_pp"][0] == pytest.approx(10.0)
    assert "national" not in out.data["region_code"].to_list()
    assert "2 stations with a copy" in out.summary


def test_station_table_links_each_station():
    """The station table links to ``station?id=…&lang=…`` and honours the class filter."""
    table = station_table(ctx("kk", **{"class": "material_change"}))
    assert table["link"].to_list() == ["station?id=KZ-71-1&lang=kk", "station?id=KZ-19-1&lang=kk"]
    everything = station_table(ctx())
    assert "station?id=KZ-71-2&lang=en" not in everything["link"].to_list()
    assert everything.height == 4


def test_station_statuses():
    """Stations get one status each: finding first, then refused copy, observed, not observed."""
    status = dict(station_statuses(ctx()).select("station_id", "status").iter_rows())
    assert status == {"KZ-19-1": "material_change", "KZ-19-2": "observed", "KZ-71-1": "not_observed",
                      "KZ-71-2": "copy_refused"}
    assert station_statuses(ctx(region="AST"))["region_code"].unique().to_list() == ["AST"]


def test_region_map_plots_the_chosen_metric(geo_cache: Path):
    """The choropleth plots the metric of ``?metric=``; a zero denominator is no data, not zero."""
    out = build("region-map", ctx(metric="discrepancies"))
    values = dict(zip(out.data["region_code"], out.data["value"], strict=True))
    assert values == {"ALM": 0.5, "AST": None}
    assert t("map.metric_discrepancies", "en") in out.title
    turnout = build("region-map", ctx("ru", metric="nonsense"))
    assert dict(zip(turnout.data["region_code"], turnout.data["value"], strict=True)) == {"ALM": 0.6, "AST": 0.8}
    assert fmt_int(4000, "ru") in turnout.summary
    one = build("region-map", ctx(region="AST"))
    assert one.data["region_code"].to_list() == ["AST"]
    assert all(tr.type == "choroplethmap" for tr in one.figure.data)
    assert len(one.figure.data[0].geojson["features"]) == 1


def test_station_map_has_no_text_layer(geo_cache: Path):
    """Station points are markers only (no glyphs), one trace per status with a legend name."""
    out = build("station-map", ctx())
    points = [tr for tr in out.figure.data if tr.type == "scattermap"]
    assert all(tr.mode == "markers" for tr in points)
    assert {tr.name for tr in points} == {t("discrepancies.class_material_change", "en"), t("map.status_observed", "en"),
                                         t("map.status_not_observed", "en"), t("map.status_copy_refused", "en")}
    assert sum(len(tr.customdata) for tr in points) == out.data.height == 4


def test_maps_fit_a_phone_column(geo_cache: Path):
    """Built for a phone, a map zooms out to show the whole country and is shorter; its data stay the same."""
    for slug in ("region-map", "station-map"):
        wide, narrow = build(slug, ctx()), build(slug, replace(ctx(), narrow=True))
        assert narrow.figure.layout.map.zoom < wide.figure.layout.map.zoom - 0.5
        assert narrow.figure.layout.height < wide.figure.layout.height
        assert narrow.data.equals(wide.data)
    sizes = {tr.name: tr.marker.size for tr in build("station-map", replace(ctx(), narrow=True)).figure.data
             if tr.type == "scattermap"}
    assert sizes[t("map.status_not_observed", "en")] < sizes[t("map.status_observed", "en")]


def test_a_briefing_map_shows_the_whole_country(geo_cache: Path):
    """On a slide a map fits the plotting area of a 1366×768 screen (measured 1182×244 px), and nearly fills it."""
    _, (width, height) = maps.extent(geo.region_geojson(load_profile("kz")))
    for slug in ("region-map", "station-map"):
        scale = 2 ** apply_theme(go.Figure(build(slug, ctx()).figure), "en", briefing=True).layout.map.zoom
        assert width * scale <= 1182 and height * scale <= 244
        assert width * scale > 1182 * 0.8 or height * scale > 244 * 0.8


def test_result_labels_sit_beyond_the_whisker():
    """Each result bar has its value label; the estimate's label starts beyond its error bar, not on it."""
    tables = {**TABLES, "estimate": pl.DataFrame({"option": ["votes_no", "votes_yes"], "estimate": [0.24, 0.76],
                                                  "moe": [0.03, 0.03]})}
    out = build("result", ChartContext(tables, PROFILE, MANIFEST, "ru", None, {}))
    bars = [tr for tr in out.figure.data if tr.type == "bar"]
    labels = [tr for tr in out.figure.data if tr.type == "scatter"]
    assert len(bars) == len(labels) == 3
    estimate = labels[2]
    assert list(estimate.x) == pytest.approx([0.79, 0.27])
    assert list(estimate.text) == [fmt_pct(0.76, "ru"), fmt_pct(0.24, "ru")]
    assert list(estimate.y) == [y + bars[2].offset + bars[2].width / 2 for y in bars[2].y]  # the middle of its bar
    assert list(bars[0].hovertext) == ["Да", "Нет"]  # the leader on top


def test_result_is_every_station_official_beside_the_copy_tally():
    """The official bar is the result over every station; the copy tally puts copies in place where they exist."""
    no_estimate = {**TABLES, "estimate": pl.DataFrame(schema={"option": pl.String, "estimate": pl.Float64, "moe": pl.Float64})}
    out = build("result", ChartContext(no_estimate, PROFILE, MANIFEST, "en"))
    official, copies = (tr for tr in out.figure.data if tr.type == "bar")
    assert list(official.x) == [0.7, 0.3] and list(copies.x) == [0.65, 0.35]
    uncopied = TABLES["results"].with_columns(pl.lit(0, pl.UInt32).alias("stations_with_copy"))
    alone = build("result", ChartContext({**no_estimate, "results": uncopied}, PROFILE, MANIFEST, "en"))
    assert [tr.name for tr in alone.figure.data if tr.type == "bar"] == [t("overview.series_official", "en")]
    assert alone.summary == t("overview.result_summary_no_copies", "en", name="Yes", official=fmt_pct(0.7, "en"))


def test_long_labels_wrap_and_the_data_keeps_them_whole():
    """Category labels wrap at word boundaries for the ticks (narrower on a phone); hover text and data keep them whole."""
    for narrow, width in ((True, LABEL_WRAP), (False, WIDE_LABEL_WRAP)):
        out = build("violations-by-item", replace(ctx("kk"), narrow=narrow))
        bar = out.figure.data[0]
        names = out.data["label"].to_list()
        assert list(bar.hovertext) == names and not any("<br>" in n for n in names)
        ticks = out.figure.layout.yaxis.ticktext
        assert [tick.replace("<br>", " ") for tick in ticks] == names
        lines = [line for tick in ticks for line in tick.split("<br>")]
        assert all(len(line) <= width or " " not in line for line in lines)
        assert any(len(line) > LABEL_WRAP for line in lines) != narrow
        assert out.figure.layout.xaxis.nticks == VALUE_TICKS


def test_dense_columns_drop_their_value_labels():
    """A row of more than ``DENSE_BARS`` columns (the hours of a day) has no value labels; a short one has."""
    hours = rates({"hour": pl.Series(range(24), dtype=pl.Int8)}, [50] * 24, [h % 7 for h in range(24)])
    dense = build("violations-by-hour", ChartContext({**TABLES, "violations_by_hour": hours}, PROFILE, MANIFEST, "en"))
    assert [tr.type for tr in dense.figure.data] == ["bar"] and dense.data.height == 24
    assert [tr.type for tr in build("violations-by-hour", ctx()).figure.data] == ["bar", "scatter"]
