"""Votes by turnout and the clean-peak estimate on synthetic elections with known stuffing."""

from __future__ import annotations

import polars as pl
import pytest

from saylau.forensics.shpilkin import shpilkin, votes_by_turnout
from saylau.forensics.synthetic import OPTIONS, synthetic_stations


def _honest_share(seed: int) -> float:
    honest = synthetic_stations(40_000, seed=seed)
    return 100 * honest["votes_a"].sum() / honest["found"].sum()


@pytest.mark.parametrize("rule", ["below_official", "nonleader_mode"])
def test_recovers_clean_share_under_stuffing(rule: str) -> None:
    stuffed = synthetic_stations(40_000, seed=5, stuffed=0.2)
    result = shpilkin(stuffed.lazy(), "votes_a", rule=rule)
    assert result.official_leader_share > _honest_share(5) + 3
    assert result.clean_leader_share == pytest.approx(_honest_share(5), abs=1.0)
    true_excess = stuffed["votes_a"].sum() - synthetic_stations(40_000, seed=5)["votes_a"].sum()
    assert result.excess_votes == pytest.approx(true_excess, rel=0.25)


def test_honest_election_has_small_excess() -> None:
    result = shpilkin(synthetic_stations(40_000, seed=6).lazy(), "votes_a")
    assert abs(result.excess_share_of_leader) < 2


def test_user_peak_is_used() -> None:
    result = shpilkin(synthetic_stations(5_000, seed=6).lazy(), "votes_a", peak=52.3)
    assert result.rule == "peak" and result.clean_turnout == 52.5


def test_votes_by_turnout_keeps_every_vote() -> None:
    frame = synthetic_stations(5_000, seed=8)
    curve = votes_by_turnout(frame.lazy(), list(OPTIONS), width=0.5)
    assert curve.select(pl.col(*OPTIONS).sum()).row(0) == frame.select(pl.col(*OPTIONS).sum()).row(0)
    assert ((curve["turnout"] * 2) % 1 == 0).all()
