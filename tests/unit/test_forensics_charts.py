"""Forensics chart frames and builders: every builder plots exactly its data, in every language."""

from __future__ import annotations

from datetime import UTC, datetime

import plotly.graph_objects as go
import polars as pl
import pytest

from saylau.figures import finish, theme
from saylau.figures.forensics import PANEL_WRAP, PEAK_PARAM, RULE_PARAM, chosen_estimate
from saylau.figures.registry import ChartContext, charts_for
from saylau.figures.theme import LINE_PX
from saylau.forensics import shpilkin, tables_for_charts
from saylau.forensics.charts_data import MIN_STATIONS, PEAK, expected_leader_votes
from saylau.forensics.synthetic import OPTIONS, synthetic_stations
from saylau.i18n import LANGS
from saylau.profiles import load_profile

STATIONS = 3_000
LINES = {"registered": "voters_on_list", "issued": "ballots_issued", "found": "ballots_in_boxes"}
ELECTION = {"options": [{"line": o, "kk": o, "ru": o, "en": o} for o in OPTIONS]}
MANIFEST = {"snapshot_id": "test", "created_at": "2026-03-22T06:00:00Z", "election": ELECTION,
            "sources": [{"name": "test", "kind": "demo"}], "licence": "CC BY 4.0"}
SLUGS = ("integer-percentages", "turnout-histogram", "leader-share-histogram", "fingerprint", "votes-by-turnout",
         "digit-tests", "observed-vs-unobserved")


def canonical(frame: pl.DataFrame) -> dict[str, pl.LazyFrame]:
    """Canonical long tables (official protocol, stations, observer checklists) of a station frame."""
    official = frame.rename(LINES).unpivot([*LINES.values(), *OPTIONS], index="station_id", variable_name="line",
                                           value_name="value").with_columns(
        pl.lit("final").alias("snapshot_id"), pl.lit(datetime(2026, 3, 16, tzinfo=UTC)).alias("published_at")
    )
    return {
        "protocol_official": official.lazy(),
        "stations": frame.select("station_id", "region_code").lazy(),
        "checklists": frame.filter("observed").select("station_id").lazy(),
    }


@pytest.fixture(scope="module")
def stations() -> pl.DataFrame:
    """A synthetic election with stuffing and rounding injected."""
    return synthetic_stations(STATIONS, seed=3, stuffed=0.1, rounded=0.05)


@pytest.fixture(scope="module")
def tables(stations: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Chart frames of the whole synthetic election."""
    return tables_for_charts(canonical(stations), ELECTION)


def context(tables: dict[str, pl.DataFrame], lang: str = "en", region: str | None = None, **params: str) -> ChartContext:
    """A chart context over the synthetic frames."""
    return ChartContext(tables, load_profile("kz"), MANIFEST, lang, region, params)


def _values(series: object) -> set:
    """Plotted or tabled values as a comparable set (floats rounded)."""
    return {round(float(v), 6) if isinstance(v, int | float) else v for v in list(series) if v is not None}


def test_every_forensics_chart_is_registered() -> None:
    assert {spec.slug for spec in charts_for("forensics")} == set(SLUGS)
    assert all(spec.needs == "forensics" for spec in charts_for("forensics"))


def test_summary_row_matches_tables(tables: dict[str, pl.DataFrame], stations: pl.DataFrame) -> None:
    row = tables["forensics_summary"].row(0, named=True)
    assert tables["forensics_summary"].height == 1
    assert row["stations"] == STATIONS and row["leader"] == "votes_a" and row["enough"]
    head = tables["integer_percent"].filter(pl.col("variable") == "any").row(0, named=True)
    assert row["integer_observed"] == head["observed"] and row["integer_sd"] == head["sd"]
    assert tables["integer_percent_by_region"]["scope"].n_unique() == stations["region_code"].n_unique()
    assert tables["turnout_histogram"].height == tables["leader_share_histogram"].height == 1001


@pytest.mark.parametrize("slug", SLUGS)
def test_builder_plots_exactly_its_data(tables: dict[str, pl.DataFrame], slug: str) -> None:
    out = finish(charts_for("forensics")[SLUGS.index(slug)].build(context(tables)), MANIFEST, "en")
    assert out.slug == slug and out.data.height > 0
    tabled = [_values(out.data[c]) for c in out.data.columns]
    for trace in out.figure.data:
        arrays = [trace.customdata.ravel()] if trace.type == "heatmap" else [trace.x, trace.y]
        for array in arrays:
            assert any(_values(array) <= column for column in tabled), (slug, trace.name)


def test_expected_curve_adds_up_to_the_excess(tables: dict[str, pl.DataFrame]) -> None:
    est = chosen_estimate(context(tables))
    votes = tables["votes_by_turnout"]
    expected = expected_leader_votes(votes, "votes_a", est["clean_turnout"], est["clean_leader_share"])
    leader = votes.filter((pl.col("option") == "votes_a") & (pl.col("turnout") >= est["clean_turnout"]))
    assert leader["votes"].sum() - expected["votes"].sum() == pytest.approx(est["excess_votes"])


def test_peak_rule_and_manual_peak(tables: dict[str, pl.DataFrame], stations: pl.DataFrame) -> None:
    mode = chosen_estimate(context(tables, **{RULE_PARAM: "nonleader_mode"}))
    assert mode["excess_votes"] == pytest.approx(shpilkin(stations.lazy(), "votes_a", rule="nonleader_mode").excess_votes)
    manual = chosen_estimate(context(tables, **{RULE_PARAM: PEAK, PEAK_PARAM: "52"}))
    assert manual["rule"] == PEAK and manual["clean_turnout"] == 52.5
    assert manual["excess_votes"] == pytest.approx(shpilkin(stations.lazy(), "votes_a", peak=52).excess_votes)


@pytest.mark.parametrize("lang", LANGS)
def test_summaries_in_every_language(tables: dict[str, pl.DataFrame], lang: str) -> None:
    for spec in charts_for("forensics"):
        out = spec.build(context(tables, lang))
        assert out.summary and out.title and "forensics." not in out.summary + out.title
        assert "{" not in out.summary


def test_region_filter(stations: pl.DataFrame) -> None:
    region = stations["region_code"].mode()[0]
    part = tables_for_charts(canonical(stations), ELECTION, region=region)
    assert part["forensics_summary"]["stations"][0] == stations.filter(pl.col("region_code") == region).height
    assert part["integer_percent"]["scope"].unique().to_list() == [region]
    assert part["fingerprint"]["stations"].sum() < STATIONS


def test_too_few_stations_say_so(stations: pl.DataFrame) -> None:
    tiny = stations.head(MIN_STATIONS // 2)
    part = tables_for_charts(canonical(tiny), ELECTION)
    assert not part["forensics_summary"]["enough"][0]
    for spec in charts_for("forensics"):
        out = spec.build(context(part))
        assert out.data.height == 0 and out.summary


@pytest.mark.parametrize("lang", LANGS)
def test_integer_panels_never_overlap(tables: dict[str, pl.DataFrame], lang: str) -> None:
    """Integer percentages: stacked panels with room between them on screen, side by side on a briefing slide."""
    out = charts_for("forensics")[SLUGS.index("integer-percentages")].build(context(tables, lang))
    layout = out.figure.layout
    assert layout.yaxis2.domain[1] < layout.yaxis.domain[0]
    titles = [a.text for a in layout.annotations if a.yref.endswith("domain")]
    assert len(titles) == 2 and all(len(line) <= PANEL_WRAP or "<span" in line
                                    for title in titles for line in title.split("<br>"))
    assert layout.margin.t >= (titles[0].count("<br>") + 1) * LINE_PX
    assert not any("<br>" in name for name in out.data["name"])
    slide = theme.apply_theme(go.Figure(out.figure), lang, briefing=True).layout
    assert slide.xaxis.domain[1] < slide.xaxis2.domain[0] and list(slide.yaxis2.domain) == [0, 1]
