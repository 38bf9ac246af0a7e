"""Digit tests (Mebane; USAID/UMich Election Forensics Toolkit): secondary diagnostics only.

* Second-digit mean (2BL) of vote counts ≥ 10; Benford's second-digit law gives 4.187.
* Last-digit mean of counts ≥ ``LAST_DIGIT_FLOOR`` (uniform last digits give 4.5) and the
  share of those counts ending in 0 or 5 (0.2).

Intervals are percentile bootstrap 95 % intervals over stations. Each statistic is a mean of
a ten-valued digit, so resampling N stations with replacement is the same as drawing the ten
digit counts from a multinomial with the observed frequencies; that draw is vectorised and
seeded. Digit patterns also arise from strategic voting, district size and rounding habits,
so they are never a headline flag.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

LAST_DIGIT_FLOOR = 100
N_BOOT = 1000
SEED = 20120304
CONFIDENCE = 0.95
BENFORD_SECOND = tuple(sum(math.log10(1 + 1 / (10 * k + j)) for k in range(1, 10)) for j in range(10))
SECOND_DIGIT_MEAN = sum(j * r for j, r in enumerate(BENFORD_SECOND))
DIGITS = np.arange(10, dtype=np.float64)
ZERO_FIVE = np.isin(DIGITS, (0, 5)).astype(np.float64)
# test name -> (digit kind, value of each digit 0-9, expected value under no manipulation)
TESTS: dict[str, tuple[str, np.ndarray, float]] = {
    "second_digit_mean": ("second", DIGITS, SECOND_DIGIT_MEAN),
    "last_digit_mean": ("last", DIGITS, 4.5),
    "last_digit_zero_five_share": ("last", ZERO_FIVE, 0.2),
}
DIGIT_SCHEMA = {
    "column": pl.String,
    "test": pl.String,
    "counts": pl.Int64,
    "value": pl.Float64,
    "expected": pl.Float64,
    "lo": pl.Float64,
    "hi": pl.Float64,
}


def second_digit(column: str) -> pl.Expr:
    """Expression: second digit of a count (null below 10)."""
    text = pl.col(column).cast(pl.Int64).cast(pl.String)
    return pl.when(pl.col(column) >= 10).then(text.str.slice(1, 1).cast(pl.Int64))


def last_digit(column: str, floor: int = LAST_DIGIT_FLOOR) -> pl.Expr:
    """Expression: last digit of a count (null below ``floor``)."""
    return pl.when(pl.col(column) >= floor).then(pl.col(column).cast(pl.Int64) % 10)


def _digit_counts(frame: pl.LazyFrame, columns: list[str], floor: int) -> dict[tuple[str, str], np.ndarray]:
    """Counts of digits 0-9 per (column, digit kind)."""
    kinds = {"second": second_digit, "last": lambda c: last_digit(c, floor)}
    digits = frame.select(
        extract(c).alias(f"{kind}|{c}") for c in columns for kind, extract in kinds.items()
    ).collect()
    return {
        (c, kind): np.bincount(digits[f"{kind}|{c}"].drop_nulls().to_numpy(), minlength=10)
        for c in columns
        for kind in kinds
    }


def bootstrap_interval(
    counts: np.ndarray, values: np.ndarray, rng: np.random.Generator, n_boot: int = N_BOOT
) -> tuple[float, float]:
    """Percentile bootstrap interval of Σ values·counts / Σ counts, resampling the units."""
    total = int(counts.sum())
    if total == 0:
        return math.nan, math.nan
    draws = rng.multinomial(total, counts / total, size=n_boot) @ values / total
    tail = 100 * (1 - CONFIDENCE) / 2
    lo, hi = np.percentile(draws, (tail, 100 - tail))
    return float(lo), float(hi)


def digit_tests(
    frame: pl.LazyFrame,
    columns: list[str],
    floor: int = LAST_DIGIT_FLOOR,
    n_boot: int = N_BOOT,
    seed: int = SEED,
) -> pl.DataFrame:
    """One row per (column, test): counts used, value, expected value and bootstrap interval."""
    counts = _digit_counts(frame, columns, floor)
    rng = np.random.default_rng(seed)
    rows = []
    for column in columns:
        for test, (kind, values, expected) in TESTS.items():
            freq = counts[(column, kind)]
            used = int(freq.sum())
            lo, hi = bootstrap_interval(freq, values, rng, n_boot)
            rows.append(
                {
                    "column": column,
                    "test": test,
                    "counts": used,
                    "value": float(freq @ values / used) if used else math.nan,
                    "expected": expected,
                    "lo": lo,
                    "hi": hi,
                }
            )
    return pl.DataFrame(rows, schema=DIGIT_SCHEMA)
