"""Integer-percentage test: exact binomial null, exact membership, detection on synthetic data."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from saylau.forensics.integer import integer_percent, integer_percent_tables, is_integer_percent, log_factorial, window_probability
from saylau.forensics.synthetic import synthetic_stations


def brute_probability(n: int, x: int) -> float:
    """Sum the binomial pmf over every k whose percentage is within 0.05 pp of an integer."""
    p = x / n
    total = 0.0
    for k in range(n + 1):
        pct = Fraction(100 * k, n)
        if abs(pct - round(pct)) <= Fraction(1, 20):
            total += math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
                              + k * math.log(p) + (n - k) * math.log1p(-p))
    return total


def test_log_factorial_matches_lgamma() -> None:
    k = np.concatenate([np.arange(0, 300), np.array([1_000, 4_999, 65_536, 2_000_000])])
    expected = np.array([math.lgamma(v + 1.0) for v in k])
    assert np.allclose(log_factorial(k), expected, rtol=1e-14, atol=1e-12)


@pytest.mark.parametrize(
    ("n", "x"), [(100, 37), (101, 50), (333, 200), (999, 1), (1000, 500), (1234, 1200), (2500, 1700), (4000, 3999)]
)
def test_window_probability_is_exact(n: int, x: int) -> None:
    assert window_probability(np.array([n]), np.array([x]))[0] == pytest.approx(brute_probability(n, x), rel=1e-10)


def test_window_probability_edge_cases() -> None:
    got = window_probability(np.array([0, 100, 100]), np.array([0, 0, 100]))
    assert math.isnan(got[0]) and got[1] == 1.0 and got[2] == 1.0


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6000).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_membership_is_exact(pair: tuple[int, int]) -> None:
    n, x = pair
    pct = Fraction(100 * x, n)
    expected = abs(pct - round(pct)) <= Fraction(1, 20)
    got = pl.DataFrame({"x": [x], "n": [n]}).select(is_integer_percent("x", "n")).item()
    assert got == expected


def test_expectation_matches_monte_carlo() -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(100, 3000, 2000)
    x = rng.binomial(n, rng.uniform(0.2, 0.9, n.size))
    exact = window_probability(n, x).sum()
    draws = rng.binomial(n, x / n, size=(400, n.size))
    pct = 2000 * draws - 20 * np.floor((200 * draws + n) / (2 * n)) * n
    counts = (np.abs(pct) <= n).sum(axis=1)
    assert abs(counts.mean() - exact) < 4 * counts.std() / math.sqrt(counts.size)


def test_honest_stations_have_no_excess() -> None:
    frame = synthetic_stations(30_000, seed=3).lazy()
    result = integer_percent(frame, "votes_a").row(0, named=True)
    for suffix in ("", "_turnout", "_leader"):
        assert abs(result[f"excess{suffix}"]) < 3 * result[f"sd{suffix}"]


def test_rounded_turnouts_are_detected() -> None:
    frame = synthetic_stations(30_000, seed=3, rounded=0.05).lazy()
    result = integer_percent(frame, "votes_a").row(0, named=True)
    assert result["z_turnout"] > 8 and result["z"] > 6
    assert abs(result["excess_leader"]) < 3 * result["sd_leader"]


def test_regions_add_up_to_national() -> None:
    frame = synthetic_stations(5_000, seed=4).lazy()
    national = integer_percent(frame, "votes_a").row(0, named=True)
    regions = integer_percent(frame, "votes_a", by="region_code")
    assert regions["observed"].sum() == national["observed"]
    assert regions["expected"].sum() == pytest.approx(national["expected"])
    assert (regions["sd"] ** 2).sum() == pytest.approx(national["sd"] ** 2)
    one_pass = integer_percent_tables(frame, "votes_a", "region_code")
    assert one_pass[0].row(0, named=True) == national
    # float sums in a parallel group-by may add in another order: equal up to rounding
    assert_frame_equal(one_pass[1], regions, rel_tol=1e-12)


def test_inclusion_rules() -> None:
    frame = pl.LazyFrame(
        {
            "station_id": ["small", "full", "unanimous", "empty", "kept"],
            "region_code": ["R"] * 5,
            "registered": [99, 200, 200, 200, 200],
            "issued": [50, 199, 100, 0, 100],
            "found": [50, 199, 100, 0, 100],
            "votes_a": [25, 100, 100, 0, 60],
            "observed": [False] * 5,
        }
    )
    assert integer_percent(frame, "votes_a")["stations"].item() == 1
