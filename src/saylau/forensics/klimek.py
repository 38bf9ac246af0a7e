"""Klimek, Yegorov, Hanel & Thurner (PNAS 2012) fraud model: fair parameters, simulation, fit.

Model (``research/forensics.md`` §2.2). Units are the plotted stations of ``with_shares``
(n ≥ 100 voters, as Klimek did). Each unit has a fair turnout t ~ N(τ, σ_τ) and a fair winner
share v ~ N(ν, σ_ν), both truncated to [0, 1]. With probability f_i it gets an
*incremental* anomaly x ~ |N(0, θ)| on (0, 1), with probability f_e an *extreme* one
x = 1 − |N(0, 0.075)|, otherwise x = 0. On the unit's real electorate n the simulated counts
are cast = round(n·[t + x(1 − t)]) and winner = round(n·[t·v + x(1 − t) + x^α(1 − v)·t]): a
fraction x of non-voters is added for the winner and a fraction x^α of the other votes moves
to the winner.

Fair parameters: τ and ν are the first local maxima above 0.3 of a Gaussian-smoothed
histogram (bandwidth 0.02; Kobak); bumps lower than a quarter of the highest peak are
skipped, so a few isolated stations or a small low-turnout cluster cannot be taken for the
mode. σ_τ = RMS(t − τ) over t < τ and v < ν, σ_ν = RMS(v − ν) over v < ν and
θ = √RMS(v − ν) over v > ν (the "double sqrt" of both reference implementations). σ_ν has no √2: EFToolkit multiplies by √2 but then draws two
normals and normalises them to sum 1, which shrinks the spread by about 1/√2; with the
single truncated normal used here the √2 would double-count (Kobak dropped it too).

Fit: exhaustive grid f_i ∈ {0, 0.01, …, 1}, f_e ∈ {0, 0.002, …, 0.3} (f_i + f_e ≤ 1),
α ∈ {0.5, 0.6, …, 3.5}; α is None when f_i = f_e = 0 (it then plays no part). Fewer than
``MIN_UNITS`` units give no fit. The distance is Pearson's chi-square with a +1 guard,
Σ_b (sim_b − obs_b)² / (obs_b + 1), between the simulated and observed histograms of the
winner's share of ballots in 1-point bins (the last bin includes 100 %). One seeded set of
random draws is shared by every grid point (common random numbers), and a unit is
incremental when its uniform u < f_i and extreme when u ≥ 1 − f_e. The simulated histogram
is then a sum of cumulative per-block histograms, so the distance of every (f_i, f_e) pair
for one α is one small quadratic form: the whole grid (≈470 k points) costs about 31
simulations. On the Russian 2011 file (≈91 k units) the fit takes 0.4–0.8 s on a busy
two-core machine.

Why this distance (checked on the Russian 2011 and 2012 files, published f_i / f_e / α:
0.64 / 0.033 / 2.3 and 0.39 / 0.021 / 1.5; the alternatives with seeds 0–2 and smoothing
bandwidths 0.01–0.03):

* chosen (winner share, 1/(obs + 1)), seeds 0–9: 2011 f_i 0.70–0.72, f_e 0.038–0.046,
  α 2.3–2.6; 2012 f_i 0.36–0.38, f_e 0.024–0.030, α 1.2–1.4. Smoothing bandwidths 0.01–0.03
  move f_i by at most 0.05. Both elections stay within f_i ± 0.1 and f_e × 2.
* EFToolkit's Σ((sim − obs)/(obs + 1))² on the same histogram: 2011 f_i 0.76–0.85 with α
  at 3–4 and f_e jumping between 0.03 and 0.08 with the seed (it weights nearly empty tail
  bins most); fails 2011.
* the same, keeping EFToolkit's √2 in σ_ν with the single normal: f_i ≈ 0.95 for both
  elections; fails both (chi-square with the √2: 2011 0.81, 2012 0.71; fails both).
* plain least squares on the winner share: passes both (2011 0.68–0.72, 2012 0.32–0.37) but
  puts 2012's α at 0.9–1.2.
* 2-D turnout × share histogram (1 × 1 points): least squares passes f_i / f_e for both but
  gives 2012 α ≈ 3.1–4.0; EFToolkit weights fail 2012 (f_e 0.04–0.08).

On data simulated from the model itself the grid recovers (f_i, f_e, α) closely when it is
given the true fair parameters. With estimated ones f_i comes out low when anomalies are
common (true 0.4 gives 0.25–0.33 on 20 k units): anomalies shift the turnout mode and widen
the spreads that define the fair part. A fair model election gives f_i ≤ 0.03, f_e = 0.

The estimates are model-dependent: Mebane–Kalinin finite-mixture fits for the same
elections are about five times lower (f_i 0.12 and 0.08). They are shares of stations the
model attributes to incremental or extreme anomalies, not a count of falsified stations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from saylau.forensics.frame import LEADER, PLOTTED, with_shares

SEED = 0
MIN_UNITS = 500
BINS = 100
MODE_FLOOR = 0.3
PEAK_SHARE = 0.25
SMOOTH_STEPS = 1000
SMOOTH_BANDWIDTH = 0.02
EXTREME_SD = 0.075
F_I_GRID = np.arange(101) / 100
F_E_GRID = np.arange(151) * 0.002
ALPHA_GRID = np.arange(5, 36) / 10


@dataclass(frozen=True)
class FairModel:
    """Fair-election parameters: turnout mode and spread, winner-share mode and spread, θ."""

    turnout: float
    turnout_sd: float
    share: float
    share_sd: float
    theta: float


@dataclass(frozen=True)
class KlimekFit:
    """Best grid point: anomaly shares f_i and f_e, exponent α (None if both are 0), distance, fair model, units."""

    f_i: float
    f_e: float
    alpha: float | None
    distance: float
    fair: FairModel
    units: int


@dataclass(frozen=True)
class Draws:
    """One seeded set of per-unit random draws, shared by every (f_i, f_e, α)."""

    turnout: np.ndarray
    share: np.ndarray
    uniform: np.ndarray
    incremental: np.ndarray
    extreme: np.ndarray


def model_units(frame: pl.LazyFrame, leader: str) -> pl.DataFrame:
    """Registered, issued, found and leader counts of the plotted stations, in a canonical order.

    Sorting by the counts themselves ties each seeded draw to the same unit whatever the
    input order, so the fit does not depend on how the frame was built.
    """
    columns = ["registered", "issued", "found", LEADER]
    return with_shares(frame, leader).filter(PLOTTED).select(columns).sort(columns).collect()


def _mode(values: np.ndarray) -> float:
    """First local maximum above ``MODE_FLOOR`` reaching ``PEAK_SHARE`` of the highest (else the highest)."""
    steps = np.minimum((values * SMOOTH_STEPS).astype(np.int64), SMOOTH_STEPS)
    reach = round(4 * SMOOTH_BANDWIDTH * SMOOTH_STEPS)
    kernel = np.exp(-0.5 * (np.arange(-reach, reach + 1) / (SMOOTH_BANDWIDTH * SMOOTH_STEPS)) ** 2)
    density = np.convolve(np.bincount(steps, minlength=SMOOTH_STEPS + 1), kernel, mode="same")
    inner = density[1:-1]
    peaks = np.flatnonzero((inner > density[:-2]) & (inner >= density[2:])) + 1
    peaks = peaks[(peaks > MODE_FLOOR * SMOOTH_STEPS) & (density[peaks] >= PEAK_SHARE * density.max())]
    return float((peaks[0] if peaks.size else np.argmax(density)) / SMOOTH_STEPS)


def _rms(values: np.ndarray) -> float:
    """Root mean square (NaN for an empty array)."""
    return float(np.sqrt(np.mean(values**2))) if values.size else float("nan")


def fair_model(turnout: np.ndarray, share: np.ndarray) -> FairModel | None:
    """Estimate τ, σ_τ, ν, σ_ν and θ from unit turnouts and winner shares (fractions); None if degenerate."""
    if turnout.size == 0:
        return None
    tau, nu = _mode(turnout), _mode(share)
    low = share < nu
    fair = FairModel(
        turnout=tau,
        turnout_sd=_rms(turnout[(turnout < tau) & low] - tau),
        share=nu,
        share_sd=_rms(share[low] - nu),
        theta=float(np.sqrt(_rms(share[share > nu] - nu))),
    )
    spreads = np.array([fair.turnout_sd, fair.share_sd, fair.theta])
    return fair if np.all(np.isfinite(spreads) & (spreads > 0)) else None


def _truncated(rng: np.random.Generator, mean: float, sd: float, size: int, *, folded: bool = False) -> np.ndarray:
    """N(mean, sd) kept in [0, 1] by redrawing (mean in [0, 1]); ``folded``: |N(0, sd)| kept in (0, 1)."""
    out = np.empty(size)
    todo = np.arange(size)
    while todo.size:
        draw = rng.normal(mean, sd, todo.size)
        draw = np.abs(draw) if folded else draw
        keep = ((draw > 0) & (draw < 1)) if folded else ((draw >= 0) & (draw <= 1))
        out[todo[keep]] = draw[keep]
        todo = todo[~keep]
    return out


def draw(units: int, fair: FairModel, seed: int = SEED) -> Draws:
    """Seeded fair turnouts and shares, fraud-type uniforms and incremental and extreme anomaly sizes."""
    rng = np.random.default_rng(seed)
    return Draws(
        turnout=_truncated(rng, fair.turnout, fair.turnout_sd, units),
        share=_truncated(rng, fair.share, fair.share_sd, units),
        uniform=rng.random(units),
        incremental=_truncated(rng, 0.0, fair.theta, units, folded=True),
        extreme=1 - _truncated(rng, 0.0, EXTREME_SD, units, folded=True),
    )


def anomalies(draws: Draws, f_i: float, f_e: float) -> np.ndarray:
    """Per-unit anomaly size x: incremental when u < f_i, extreme when u ≥ 1 − f_e, else 0."""
    u = draws.uniform
    return np.where(u < f_i, draws.incremental, np.where(u >= 1 - f_e, draws.extreme, 0.0))


def counts(registered: np.ndarray, draws: Draws, x: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Simulated ballots cast (at least 1) and winner votes on each unit's electorate."""
    t, v = draws.turnout, draws.share
    cast = np.maximum(np.rint(registered * (t + x * (1 - t))), 1).astype(np.int64)
    winner = np.rint(registered * (t * v + x * (1 - t) + x**alpha * (1 - v) * t)).astype(np.int64)
    return cast, np.minimum(winner, cast)


def simulate(
    registered: np.ndarray, fair: FairModel, f_i: float, f_e: float, alpha: float, seed: int = SEED
) -> pl.DataFrame:
    """A seeded model election on the given electorates: registered, issued = found = cast, winner."""
    draws = draw(registered.size, fair, seed)
    cast, winner = counts(registered, draws, anomalies(draws, f_i, f_e), alpha)
    return pl.DataFrame({"registered": registered, "issued": cast, "found": cast, "winner": winner})


def _share_bins(ballots: np.ndarray, votes: np.ndarray) -> np.ndarray:
    """1-point bin (0–99) of each unit's winner share; exact integer arithmetic, 100 % in the last bin."""
    return np.minimum(votes * BINS // ballots, BINS - 1)


def _cumulative(bins: np.ndarray, blocks: np.ndarray, rows: int) -> np.ndarray:
    """Row k: histogram of the units whose block index is ≤ k (first ``rows`` rows)."""
    per_block = np.bincount(blocks * BINS + bins, minlength=(rows + 1) * BINS).reshape(-1, BINS)
    return np.cumsum(per_block[:rows], axis=0, dtype=np.float64)


def klimek_fit(frame: pl.LazyFrame, leader: str, seed: int = SEED, fair: FairModel | None = None) -> KlimekFit | None:
    """Fit (f_i, f_e, α) by the chi-square grid above (``fair`` overrides the estimate); None below ``MIN_UNITS``."""
    units = model_units(frame, leader)
    if units.height < MIN_UNITS:
        return None
    registered, issued, found, votes = (units[c].to_numpy().astype(np.int64) for c in units.columns)
    fair = fair or fair_model(issued / registered, votes / found)
    if fair is None:
        return None
    observed = np.bincount(_share_bins(found, votes), minlength=BINS).astype(np.float64)
    weight = 1 / (observed + 1)
    draws = draw(units.height, fair, seed)
    below = np.searchsorted(F_I_GRID, draws.uniform, side="right")  # u < F_I_GRID[k]  <=>  below ≤ k
    above = np.searchsorted(F_E_GRID, 1 - draws.uniform, side="left")  # u ≥ 1 − F_E_GRID[k]  <=>  above ≤ k
    fair_bins = _share_bins(*counts(registered, draws, np.zeros(units.height), 1.0))
    base = np.bincount(fair_bins, minlength=BINS) - _cumulative(fair_bins, below, F_I_GRID.size) - observed
    fair_above = _cumulative(fair_bins, above, F_E_GRID.size)
    allowed = F_I_GRID[:, None] + F_E_GRID[None, :] <= 1 + 1e-9
    best = (np.inf, 0, 0, 0.0)
    for alpha in ALPHA_GRID:
        incremental = _share_bins(*counts(registered, draws, draws.incremental, alpha))
        extreme = _share_bins(*counts(registered, draws, draws.extreme, alpha))
        rows = base + _cumulative(incremental, below, F_I_GRID.size)
        cols = _cumulative(extreme, above, F_E_GRID.size) - fair_above
        # Σ w (rows_i + cols_e)²; einsum, not BLAS: threaded BLAS is slower than this on small matrices
        squares = np.einsum("ib,b->i", rows**2, weight)[:, None] + np.einsum("eb,b->e", cols**2, weight)[None, :]
        distance = np.where(allowed, squares + 2 * np.einsum("ib,eb->ie", rows * weight, cols), np.inf)
        i, e = np.unravel_index(np.argmin(distance), distance.shape)
        if distance[i, e] < best[0]:
            best = (float(distance[i, e]), int(i), int(e), float(alpha))
    value, i, e, alpha = best
    f_i, f_e = round(float(F_I_GRID[i]), 3), round(float(F_E_GRID[e]), 3)
    return KlimekFit(f_i, f_e, alpha if f_i or f_e else None, value, fair, units.height)
