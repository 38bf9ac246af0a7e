"""Votes by turnout (Shpilkin) and the "clean peak" excess-vote estimate.

Stations are grouped in turnout bins [k, k + w); each option's votes are summed per bin.
If the leader's share did not depend on turnout, every option's curve would have the same
shape. Taking the leader's share s* in a "clean" bin k* as the fair share, the leader's
expected votes in bin k are s*/(1 − s*) times the other ballots found there (other options
and invalid ballots), and the excess is Σ_{k ≥ k*} (leader_k − s*/(1 − s*)·others_k), a net
sum in which bins below the line count negatively.

How k* is chosen is the main assumption and is an explicit parameter:

* ``below_official`` (default): the bin holding most non-leader ballots among bins that start
  below the official turnout (EFToolkit's first rule, on non-leader ballots).
* ``nonleader_mode``: the bin holding most non-leader ballots anywhere. It does not use the
  official turnout, which a shift of the whole distribution drags along; stuffing adds
  leader ballots only, so the stations left untouched keep the non-leader mode in place. If
  nearly every station was touched no bin is clean: fix k* from an earlier election instead.
* a user-given turnout (``peak=``, in %): the bin that contains it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

from saylau.forensics.frame import LEADER

BIN = 1.0
PeakRule = Literal["below_official", "nonleader_mode"]
PEAK_RULES: tuple[PeakRule, ...] = ("below_official", "nonleader_mode")


@dataclass(frozen=True)
class ShpilkinEstimate:
    """The clean-peak estimate: every share and turnout in %, votes in ballots."""

    rule: str
    bin_width: float
    official_turnout: float
    official_leader_share: float
    clean_turnout: float
    clean_leader_share: float
    leader_votes: int
    excess_votes: float
    excess_share_of_leader: float


def turnout_bin(width: float) -> pl.Expr:
    """Expression: lower edge (in %) of the width-``width`` turnout bin [k, k + w)."""
    scale = round(100 / width)
    return ((pl.col("issued").cast(pl.Int64) * scale) // pl.col("registered") * width).round(6)


def votes_by_turnout(frame: pl.LazyFrame, options: list[str], width: float = BIN) -> pl.DataFrame:
    """Per turnout bin: stations, registered, issued, found and each option's votes.

    Uses stations with n > 0 and g ≤ n; ``turnout`` is the bin's lower edge in %.
    """
    return (
        frame.filter((pl.col("registered") > 0) & (pl.col("issued") <= pl.col("registered")))
        .group_by(turnout_bin(width).alias("turnout"))
        .agg(pl.len().alias("stations"), pl.col("registered", "issued", "found", *options).sum())
        .sort("turnout")
        .collect()
    )


def _peak_bin(curve: pl.DataFrame, rule: PeakRule, official: float, peak: float | None, width: float) -> float:
    """Lower edge of the clean bin k* under the chosen rule or user-given turnout."""
    if peak is not None:
        return round(peak // width * width, 6)
    candidates = curve.filter(pl.col("turnout") < official) if rule == "below_official" else curve
    if candidates.height == 0:
        candidates = curve
    return float(candidates.sort("others", descending=True)["turnout"][0])


def shpilkin(
    frame: pl.LazyFrame,
    leader: str,
    width: float = BIN,
    rule: PeakRule = "below_official",
    peak: float | None = None,
) -> ShpilkinEstimate:
    """Estimate the clean leader share at the clean peak and the leader's excess votes."""
    curve = votes_by_turnout(frame.with_columns(pl.col(leader).alias(LEADER)), [LEADER], width).with_columns(
        (pl.col("found") - pl.col(LEADER)).alias("others")
    )
    totals = curve.select(pl.col("registered", "issued", "found", LEADER).sum()).row(0, named=True)
    official = 100 * totals["issued"] / totals["registered"]
    k_star = _peak_bin(curve, rule, official, peak, width)
    clean = curve.filter(pl.col("turnout") == k_star)
    share = float(clean[LEADER].sum() / clean["found"].sum()) if clean["found"].sum() else 0.0
    ratio = share / (1 - share) if share < 1 else 0.0
    excess = float(
        curve.filter(pl.col("turnout") >= k_star).select((pl.col(LEADER) - ratio * pl.col("others")).sum()).item()
    )
    return ShpilkinEstimate(
        rule="peak" if peak is not None else rule,
        bin_width=width,
        official_turnout=official,
        official_leader_share=100 * totals[LEADER] / totals["found"] if totals["found"] else 0.0,
        clean_turnout=k_star + width / 2,
        clean_leader_share=100 * share,
        leader_votes=int(totals[LEADER]),
        excess_votes=excess,
        excess_share_of_leader=100 * excess / totals[LEADER] if totals[LEADER] else 0.0,
    )
