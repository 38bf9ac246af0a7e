"""Klimek et al. model fit: recovers known parameters from model data, is deterministic, survives tiny input."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from saylau.forensics.klimek import MIN_UNITS, FairModel, fair_model, klimek_fit, simulate

UNITS = 20_000
FAIR = FairModel(turnout=0.55, turnout_sd=0.08, share=0.45, share_sd=0.07, theta=0.4)
DATA_SEED = 11


def model_election(f_i: float, f_e: float, alpha: float, units: int = UNITS) -> pl.LazyFrame:
    """A model election (leader column ``winner``) on random electorates, seeded apart from the fit."""
    registered = np.random.default_rng(DATA_SEED).integers(100, 3000, units)
    return simulate(registered, FAIR, f_i, f_e, alpha, seed=DATA_SEED).lazy()


@pytest.fixture(scope="module")
def anomalous() -> pl.LazyFrame:
    """A model election with incremental and extreme anomalies."""
    return model_election(0.3, 0.03, 2.0)


def test_grid_recovers_parameters_given_the_fair_model(anomalous: pl.LazyFrame) -> None:
    fit = klimek_fit(anomalous, "winner", fair=FAIR)
    assert fit is not None and fit.units == UNITS
    assert fit.f_i == pytest.approx(0.3, abs=0.05)
    assert fit.f_e == pytest.approx(0.03, abs=0.01)
    assert fit.alpha == pytest.approx(2.0, abs=0.4)


def test_end_to_end_fit_finds_the_anomalies(anomalous: pl.LazyFrame) -> None:
    fit = klimek_fit(anomalous, "winner")
    assert fit is not None
    assert fit.f_i == pytest.approx(0.3, abs=0.1)
    assert 0.03 / 2 <= fit.f_e <= 0.03 * 2


def test_fair_election_fits_no_anomalies() -> None:
    fit = klimek_fit(model_election(0.0, 0.0, 1.0), "winner")
    assert fit is not None
    assert fit.f_i <= 0.05 and fit.f_e <= 0.004
    assert fit.fair.turnout == pytest.approx(FAIR.turnout, abs=0.02)
    assert fit.fair.share == pytest.approx(FAIR.share, abs=0.02)
    assert fit.fair.turnout_sd == pytest.approx(FAIR.turnout_sd, abs=0.01)
    assert fit.fair.share_sd == pytest.approx(FAIR.share_sd, abs=0.01)


def test_same_seed_same_answer_whatever_the_row_order(anomalous: pl.LazyFrame) -> None:
    shuffled = anomalous.collect().sample(fraction=1.0, shuffle=True, seed=5).lazy()
    assert klimek_fit(anomalous, "winner", seed=3) == klimek_fit(shuffled, "winner", seed=3)
    registered = np.arange(100, 1100)
    assert simulate(registered, FAIR, 0.2, 0.02, 2.0, seed=1).equals(simulate(registered, FAIR, 0.2, 0.02, 2.0, seed=1))


def test_small_units_are_left_out() -> None:
    frame = model_election(0.0, 0.0, 1.0, units=MIN_UNITS)
    small = frame.with_columns(pl.col("registered") // 30, pl.col("issued") // 30, pl.col("found") // 30,
                               pl.col("winner") // 30)
    assert klimek_fit(frame, "winner") is not None
    assert klimek_fit(small, "winner") is None


@pytest.mark.parametrize("units", [0, 1, MIN_UNITS - 1])
def test_tiny_input_returns_none(units: int) -> None:
    assert klimek_fit(model_election(0.2, 0.02, 2.0, units=units), "winner") is None


def test_degenerate_input_returns_none() -> None:
    same = pl.LazyFrame({"registered": [1000] * MIN_UNITS, "issued": [600] * MIN_UNITS,
                         "found": [600] * MIN_UNITS, "winner": [300] * MIN_UNITS})
    assert klimek_fit(same, "winner") is None
    assert fair_model(np.array([]), np.array([])) is None
