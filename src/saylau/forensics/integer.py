"""Integer-percentage test (Kobak, Shpilkin & Pshenichnikov, AoAS 2016), with an exact null.

A station is "integer" for a percentage 100·x/n when it lies within ±0.05 pp of a whole
percent; in exact integer arithmetic ``|2000·x − 20·m·n| ≤ n`` with m the nearest percent.
Under the null each station keeps its denominator and observed proportion, X ~ Bin(n, x/n),
and the turnout (g of n) and leader (l of r) draws are independent. The probability p that X
lands in one of the ±0.05 pp windows is summed exactly from the binomial pmf (no Monte
Carlo): E = Σ q_i and Var = Σ q_i(1 − q_i) with q_i = 1 − (1 − p_T,i)(1 − p_L,i).

The pmf is evaluated only inside the windows that meet mean ± (``TAIL_SD``·sd + ``TAIL_ABS``);
the omitted tail mass is below 1e-15 per station, far below any reported digit.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from saylau.forensics.frame import INCLUDED, LEADER, with_shares

TAIL_SD = 7.0
TAIL_ABS = 8.0
STIRLING_FROM = 64
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_LOG_FACTORIAL = np.array([math.lgamma(k + 1.0) for k in range(STIRLING_FROM)])
# (name, numerator, denominator) of the two tested percentages.
VARIABLES = (("turnout", "issued", "registered"), ("leader", LEADER, "found"))


def log_factorial(k: np.ndarray) -> np.ndarray:
    """Return ln(k!) for non-negative integers: exact table below 64, Stirling series above."""
    k = np.asarray(k, dtype=np.int64)
    small = k < STIRLING_FROM
    x = np.where(small, STIRLING_FROM, k) + 1.0
    inv = 1.0 / x
    inv2 = inv * inv
    series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
    large = (x - 0.5) * np.log(x) - x + HALF_LOG_2PI + series
    return np.where(small, _LOG_FACTORIAL[np.where(small, k, 0)], large)


def _ragged(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For non-negative counts c_j return (j repeated c_j times, 0..c_j−1 within each j)."""
    owner = np.repeat(np.arange(counts.size, dtype=np.int32), counts)
    starts = (np.cumsum(counts) - counts).astype(np.int32)
    return owner, np.arange(owner.size, dtype=np.int32) - starts[owner]


def window_probability(trials: np.ndarray, successes: np.ndarray) -> np.ndarray:
    """Return P(X within ±0.05 pp of an integer percent of n), X ~ Bin(n, x/n), per station.

    ``trials`` (n) must be positive for a finite answer (NaN otherwise); x = 0 or x = n make
    X certain, at 0 % or 100 %, which are integers (probability 1). Window edges
    ⌈n(20m − 1)/2000⌉ and ⌊n(20m + 1)/2000⌋ are computed in float64, which is exact here:
    the products are integers below 2**53 and a quotient by 2000 that is not an integer is
    at least 1/2000 away from one.
    """
    n = np.asarray(trials, dtype=np.int64)
    x = np.asarray(successes, dtype=np.int64)
    out = np.full(n.shape, np.nan)
    valid = n > 0
    certain = valid & ((x <= 0) | (x >= n))
    out[certain] = 1.0
    live = np.flatnonzero(valid & ~certain)
    n_s = n[live]
    n_f = n_s.astype(np.float64)
    p = x[live] / n_f
    half = TAIL_SD * np.sqrt(n_f * p * (1 - p)) + TAIL_ABS
    lo = np.maximum(np.floor(n_f * p - half), 0.0)
    hi = np.minimum(np.ceil(n_f * p + half), n_f)
    m_lo = np.floor(100 * lo / n_f)
    station, step = _ragged((np.ceil(100 * hi / n_f) - m_lo + 1).astype(np.int64))
    m = m_lo[station] + step
    n_w = n_f[station]
    first = np.maximum(np.ceil((20 * m - 1) * n_w / 2000), lo[station])
    last = np.minimum(np.floor((20 * m + 1) * n_w / 2000), hi[station])
    window, offset = _ragged(np.maximum(last - first + 1, 0).astype(np.int64))
    owner = station[window]
    k = first.astype(np.int64)[window] + offset
    table = log_factorial(np.arange(n_s.max(initial=0) + 1))
    log_p, log_q = np.log(p), np.log1p(-p)
    log_pmf = (
        (table[n_s] + n_f * log_q)[owner]
        - table[k]
        - table[n_s[owner] - k]
        + k * (log_p - log_q)[owner]
    )
    out[live] = np.bincount(owner, weights=np.exp(log_pmf), minlength=live.size)
    return out


def integer_probability(numerator: str, denominator: str) -> pl.Expr:
    """Expression: exact null probability that a station's percentage is integer."""
    return pl.map_batches(
        [denominator, numerator],
        lambda s: pl.Series(window_probability(s[0].to_numpy(), s[1].to_numpy())),
        return_dtype=pl.Float64,
        is_elementwise=True,
    )


def is_integer_percent(numerator: str, denominator: str) -> pl.Expr:
    """Expression: 100·x/n lies within ±0.05 pp of a whole percent (exact integer test)."""
    x, n = pl.col(numerator).cast(pl.Int64), pl.col(denominator).cast(pl.Int64)
    nearest = (200 * x + n) // (2 * n)
    return (2000 * x - 20 * nearest * n).abs() <= n


def integer_stations(frame: pl.LazyFrame, leader: str) -> pl.LazyFrame:
    """Included stations with observed integer flags and exact null probabilities.

    Columns: station_id, region_code, int_turnout, int_leader, int_any, p_turnout,
    p_leader, p_any.
    """
    flags = [is_integer_percent(num, den).alias(f"int_{name}") for name, num, den in VARIABLES]
    probs = [integer_probability(num, den).alias(f"p_{name}") for name, num, den in VARIABLES]
    return (
        with_shares(frame, leader)
        .filter(INCLUDED)
        .select("station_id", "region_code", *flags, *probs)
        .with_columns(
            (pl.col("int_turnout") | pl.col("int_leader")).alias("int_any"),
            (1 - (1 - pl.col("p_turnout")) * (1 - pl.col("p_leader"))).alias("p_any"),
        )
    )


def _summary(suffix: str, name: str) -> list[pl.Expr]:
    """Observed count, expectation, sd, excess and z for one integer flag."""
    hit, prob = pl.col(f"int_{name}"), pl.col(f"p_{name}")
    sd = (prob * (1 - prob)).sum().sqrt()
    excess = hit.sum() - prob.sum()
    return [
        hit.sum().alias(f"observed{suffix}"),
        prob.sum().alias(f"expected{suffix}"),
        sd.alias(f"sd{suffix}"),
        excess.alias(f"excess{suffix}"),
        pl.when(sd > 0).then(excess / sd).alias(f"z{suffix}"),
    ]


def integer_percent(frame: pl.LazyFrame, leader: str, by: str | None = None) -> pl.DataFrame:
    """Integer-percentage counts against the exact binomial expectation, nationally or ``by``.

    Unsuffixed columns are "turnout or leader share integer" (the headline); ``_turnout``
    and ``_leader`` are each alone. ``z`` = excess / sd.
    """
    return summarise(integer_stations(frame, leader), by)


def integer_percent_tables(frame: pl.LazyFrame, leader: str, by: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """National and per-``by`` integer-percentage tables from one evaluation of the exact null."""
    stations = integer_stations(frame, leader).collect().lazy()
    return summarise(stations, None), summarise(stations, by)


def summarise(stations: pl.LazyFrame, by: str | None) -> pl.DataFrame:
    """Summarise ``integer_stations`` rows nationally (``by`` None) or per ``by`` value."""
    exprs = [
        pl.len().alias("stations"),
        *_summary("", "any"),
        *_summary("_turnout", "turnout"),
        *_summary("_leader", "leader"),
    ]
    if by is None:
        return stations.select(exprs).collect()
    return stations.group_by(by).agg(exprs).sort(by).collect()
