"""Seeded synthetic station frames with known answers, for tests and benchmarks.

Honest stations draw turnout and leader support independently, so the leader's share does
not depend on turnout and every percentage is binomial. Two manipulations can be injected:
ballot stuffing (a fraction x of non-voters' ballots added for the leader) and rounding
(turnout rewritten to the nearest whole percent).
"""

from __future__ import annotations

import numpy as np
import polars as pl

OPTIONS = ("votes_a", "votes_b", "votes_c")
REGIONS = 17
TURNOUT = 0.55
SUPPORT = 0.5
INVALID = 0.015
TAKEN_AWAY = 0.003
OBSERVED = 0.3


def synthetic_stations(
    stations: int,
    seed: int = 0,
    stuffed: float = 0.0,
    rounded: float = 0.0,
) -> pl.DataFrame:
    """Return a station frame; ``stuffed``/``rounded`` are the manipulated fractions of stations.

    ``votes_a`` is the leader; its honest (clean) share of found ballots is about 50 %.
    """
    rng = np.random.default_rng(seed)
    n = rng.integers(100, 3000, stations)
    turnout = rng.beta(TURNOUT * 40, (1 - TURNOUT) * 40, stations)
    issued = rng.binomial(n, turnout)
    stuff = np.where(rng.random(stations) < stuffed, rng.uniform(0.2, 0.9, stations), 0.0)
    added = np.floor(stuff * (n - issued)).astype(np.int64)
    to_round = rng.random(stations) < rounded
    rounded_issued = np.round(np.round(100 * issued / n) * n / 100).astype(np.int64)
    issued = np.where(to_round, rounded_issued, issued)
    found = issued - rng.binomial(issued, TAKEN_AWAY)
    invalid = rng.binomial(found, INVALID)
    valid = found - invalid
    support = rng.beta(SUPPORT * 30, (1 - SUPPORT) * 30, stations)
    leader = rng.binomial(valid, support)
    second = rng.binomial(valid - leader, 0.6)
    return pl.DataFrame(
        {
            "station_id": [f"S{i:06d}" for i in range(stations)],
            "region_code": [f"R{r:02d}" for r in rng.integers(0, REGIONS, stations)],
            "registered": n,
            "issued": issued + added,
            "found": found + added,
            OPTIONS[0]: leader + added,
            OPTIONS[1]: second,
            OPTIONS[2]: valid - leader - second,
            "observed": rng.random(stations) < OBSERVED,
        }
    )
