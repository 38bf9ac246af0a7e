"""Digit tests against hand-computed values."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from saylau.forensics.digits import SECOND_DIGIT_MEAN, bootstrap_interval, digit_tests

COUNTS = [12, 25, 100, 7, 55, 130]


def _tests(floor: int) -> dict[str, dict]:
    frame = pl.LazyFrame({"v": COUNTS})
    return {row["test"]: row for row in digit_tests(frame, ["v"], floor=floor, n_boot=200).iter_rows(named=True)}


def test_benford_second_digit_mean() -> None:
    assert SECOND_DIGIT_MEAN == pytest.approx(4.187, abs=5e-4)


def test_hand_computed_values() -> None:
    rows = _tests(floor=100)
    # second digits of 12, 25, 100, 55, 130 (7 has none): 2, 5, 0, 5, 3
    assert rows["second_digit_mean"]["counts"] == 5
    assert rows["second_digit_mean"]["value"] == pytest.approx(3.0)
    # last digits of the counts >= 100: 100 and 130
    assert rows["last_digit_mean"]["value"] == 0.0
    assert rows["last_digit_zero_five_share"]["value"] == 1.0
    rows = _tests(floor=10)
    # last digits of 12, 25, 100, 55, 130: 2, 5, 0, 5, 0
    assert rows["last_digit_mean"]["value"] == pytest.approx(2.4)
    assert rows["last_digit_zero_five_share"]["value"] == pytest.approx(0.8)


def test_bootstrap_is_seeded_and_covers_the_mean() -> None:
    counts = np.array([10, 12, 9, 11, 10, 8, 10, 12, 9, 9])
    values = np.arange(10.0)
    first = bootstrap_interval(counts, values, np.random.default_rng(1))
    again = bootstrap_interval(counts, values, np.random.default_rng(1))
    assert first == again
    mean = counts @ values / counts.sum()
    assert first[0] < mean < first[1]
    # the spread matches the standard error of a mean of 100 draws
    se = np.sqrt(counts @ (values - mean) ** 2 / counts.sum() / counts.sum())
    assert first[1] - first[0] == pytest.approx(2 * 1.96 * se, rel=0.2)
