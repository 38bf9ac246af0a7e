"""Real-shaped input: official results only, from regions the country profile does not know.

Shaped like the Russian precinct files the loaders are checked against (one row per precinct,
region / territorial commission / precinct keys, protocol lines, one column per candidate):
no observer data at all, and no region with a boundary in the profile. Every page must still
render in every language and say honestly what it cannot show.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from harness import run_page

from saylau.cli import main
from saylau.i18n import LANGS, t

REGIONS = ("Northern Province", "Southern Province", "Capital District")
CANDIDATES = ("Candidate A", "Candidate B", "Candidate C")
PRECINCTS = 120
MAPPING = """
[source]
table = "official"
[keys]
station = ["region", "tik", "uik"]
region = "region"
tec = "tik"
number = "uik"
[lines]
voters_on_list = "Registered"
ballots_received = "Received"
ballots_issued = ["Issued early", "Issued in station", "Issued outside"]
ballots_issued_outside = "Issued outside"
ballots_unused_cancelled = "Cancelled"
ballots_in_boxes = "In boxes"
ballots_invalid = "Invalid"
ballots_valid = "Valid"
[options]
after = "Valid"
[election]
id = "elsewhere-2030"
kind = "presidential"
title = "Presidential election elsewhere"
date = "2030-03-03"
status = "final"
"""


def precincts(seed: int = 5) -> pl.DataFrame:
    """Return arithmetically consistent precinct rows for ``PRECINCTS`` precincts."""
    rng = np.random.default_rng(seed)
    registered = rng.integers(400, 2500, PRECINCTS)
    issued = rng.binomial(registered, 0.6)
    outside, early = rng.binomial(issued, 0.03), rng.binomial(issued, 0.01)
    invalid = rng.binomial(issued, 0.02)
    votes = np.array([rng.multinomial(n, [0.6, 0.3, 0.1]) for n in issued - invalid])
    received = registered + 10
    return pl.DataFrame({
        "region": [REGIONS[i % len(REGIONS)] for i in range(PRECINCTS)],
        "tik": [f"TIK {i % 7}" for i in range(PRECINCTS)],
        "uik": [str(1000 + i) for i in range(PRECINCTS)],
        "Registered": registered, "Received": received, "Issued early": early,
        "Issued in station": issued - outside - early, "Issued outside": outside,
        "Cancelled": received - issued, "In boxes": issued, "Invalid": invalid, "Valid": issued - invalid,
        **{name: votes[:, k] for k, name in enumerate(CANDIDATES)},
    })


@pytest.fixture(scope="module")
def official_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ingest the precinct file into a fresh data folder and return the folder."""
    folder = tmp_path_factory.mktemp("official-only")
    source, mapping = folder / "precincts.csv", folder / "mapping.toml"
    precincts().write_csv(source)
    mapping.write_text(MAPPING, "utf-8")
    root = folder / "data"
    assert main(["ingest", str(source), "--mapping", str(mapping), "--out", str(root)]) == 0
    return root


@pytest.fixture()
def official_env(official_only: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at the official-only snapshot."""
    monkeypatch.setenv("SAYLAU_DATA", str(official_only))
    return official_only


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ("overview", "map", "discrepancies", "violations", "station", "forensics", "data"))
def test_every_page_renders(official_env, page: str, lang: str):
    """No page fails on regions the profile does not know or on missing observer data."""
    at = run_page(page, lang)
    assert not at.exception, at.exception


def test_overview_shows_the_official_result_and_no_empty_findings(official_env):
    """The result has the official series only; findings are not listed as zeros but explained as absent."""
    at = run_page("overview", "en")
    assert not at.exception, at.exception
    assert t("findings.none", "en") in [c.value for c in at.caption]
    assert not at.get("page_link")


def test_map_says_why_it_draws_nothing(official_env):
    """With no region in the profile's boundaries the map page explains instead of drawing the wrong country."""
    at = run_page("map", "en")
    assert not at.exception, at.exception
    assert any(t("map.unmapped_all", "en", n="3", profile="KZ") == i.value for i in at.info)
    assert not at.get("plotly_chart")
    assert set(at.selectbox[0].options) == {t("map.all_regions", "en"), *REGIONS}
    at.text_input(key="station_query").input("1005").run()  # the stations are still found, by their number
    assert at.selectbox[2].label == t("search.matches", "en", n="1")
    assert "1005" in at.selectbox[2].options[0]


def test_violations_say_there_is_no_denominator(official_env):
    """Without checklists the violations page explains that a rate has no denominator, and draws no empty chart."""
    at = run_page("violations", "ru")
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [t("violations.no_checklists", "ru")]
    assert not at.get("plotly_chart")


def test_discrepancies_say_there_is_nothing_to_compare(official_env):
    """Without copies the discrepancies page says there is nothing to compare, and draws no empty chart."""
    at = run_page("discrepancies", "kk")
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [t("discrepancies.no_copies", "kk")]
    assert not at.get("plotly_chart")
