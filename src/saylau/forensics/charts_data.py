"""Every frame the Forensics page plots, computed once per snapshot and region (pure Polars).

``tables_for_charts`` builds the per-station frame from the canonical tables (observed =
an observer checklist or a protocol copy exists), takes the leader from the whole country
(so a region is screened for the same option), keeps ``region``'s stations if given, and
runs every screen, including the Klimek et al. model fit (``klimek_*`` in the summary, null
when too few stations). Percentages are in % (0–100). The Shpilkin estimate is computed for both
peak rules and for every non-empty 1 pp turnout bin, so a page can switch the clean peak
without recomputing anything; ``rule``/``peak`` only mark which row is ``chosen`` and feed
the one-row ``forensics_summary``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import polars as pl

from saylau.forensics import digit_tests, integer_percent_tables, leader_option, observed_comparison, shpilkin, station_frame
from saylau.forensics import summary as headline
from saylau.forensics.fingerprint import FINE_BIN, MAP_BIN, fingerprint, histogram
from saylau.forensics.frame import observed_stations
from saylau.forensics.klimek import klimek_fit
from saylau.forensics.shpilkin import BIN, PEAK_RULES, PeakRule, votes_by_turnout

MIN_STATIONS = 50
PEAK = "peak"
# integer-test variable -> column suffix in ``integer_percent``
INTEGER_VARIABLES = {"any": "", "turnout": "_turnout", "leader": "_leader"}
INTEGER_FIGURES = ("observed", "expected", "sd", "excess", "z")
SCOPE_ALL = "all"
SHPILKIN_COLUMNS = ("clean_turnout", "clean_leader_share", "excess_votes", "excess_share_of_leader")
KLIMEK_FIGURES = ("f_i", "f_e", "alpha")


def _integer_long(wide: pl.DataFrame, scope: pl.Expr) -> pl.DataFrame:
    """One row per (scope, variable): stations, observed, expected, sd, excess, z."""
    return pl.concat(
        wide.select(
            scope.alias("scope"),
            pl.lit(name).alias("variable"),
            pl.col("stations").cast(pl.Int64),
            *(pl.col(f"{fig}{suffix}").cast(pl.Float64).alias(fig) for fig in INTEGER_FIGURES),
        )
        for name, suffix in INTEGER_VARIABLES.items()
    )


def _shpilkin_table(frame: pl.LazyFrame, leader: str, peaks: list[float], rule: str, peak: float | None) -> pl.DataFrame:
    """Shpilkin estimates for each peak rule and each given clean turnout; ``chosen`` marks the selection."""
    chosen = PEAK if peak is not None else rule
    chosen_bin = peak // BIN * BIN if peak is not None else None
    rows = [asdict(shpilkin(frame, leader, rule=r)) for r in PEAK_RULES]
    rows += [asdict(shpilkin(frame, leader, peak=k)) for k in peaks]
    return pl.DataFrame(rows).select(
        "rule",
        *SHPILKIN_COLUMNS,
        "official_turnout",
        "official_leader_share",
        (
            (pl.col("rule") == chosen)
            & (pl.lit(chosen_bin is None) | ((pl.col("clean_turnout") - BIN / 2) == (chosen_bin or 0.0)))
        ).alias("chosen"),
    )


def _votes_long(curve: pl.DataFrame, options: list[str]) -> pl.DataFrame:
    """Votes per (turnout bin, option), long; ``turnout`` is the bin centre, ``found`` the bin's ballots."""
    return curve.with_columns(pl.col("turnout") + BIN / 2).unpivot(
        options, index=["turnout", "stations", "found"], variable_name="option", value_name="votes"
    ).with_columns(pl.col("votes").cast(pl.Int64))


def expected_leader_votes(votes: pl.DataFrame, leader: str, clean_turnout: float, clean_share: float) -> pl.DataFrame:
    """Leader votes expected at and above the clean bin if the clean share (in %) held there.

    As in ``shpilkin``: s/(1 − s) times the bin's other ballots (other options and invalid).
    Columns: turnout (bin centre), votes.
    """
    share = clean_share / 100
    ratio = share / (1 - share) if share < 1 else 0.0
    return votes.filter((pl.col("option") == leader) & (pl.col("turnout") >= clean_turnout)).select(
        "turnout", (ratio * (pl.col("found") - pl.col("votes"))).alias("votes")
    )


def _observed_long(comparison: pl.DataFrame) -> pl.DataFrame:
    """Observed and unobserved rows as (group, measure, stations, value, lo, hi)."""
    return pl.concat(
        comparison.select(
            "group",
            pl.lit(measure).alias("measure"),
            pl.col("stations").cast(pl.Int64),
            pl.col(measure).alias("value"),
            pl.col(f"{measure}_lo").alias("lo"),
            pl.col(f"{measure}_hi").alias("hi"),
        )
        for measure in ("turnout", "leader_share")
    )


def tables_for_charts(
    tables: dict[str, pl.LazyFrame],
    election: dict,
    region: str | None = None,
    rule: PeakRule = "below_official",
    peak: float | None = None,
) -> dict[str, pl.DataFrame]:
    """Return every frame the Forensics charts plot, plus the one-row ``forensics_summary``."""
    options = [o["line"] for o in election.get("options", [])]
    frame = station_frame(tables["protocol_official"], tables["stations"], options, observed_stations(tables)).collect()
    leader = leader_option(frame.lazy(), options) if frame.height else options[0]
    if region is not None:
        frame = frame.filter(pl.col("region_code") == region)
    lazy = frame.lazy()
    head: dict[str, Any] = headline(lazy, leader)
    enough = head["included"] >= MIN_STATIONS
    if not enough:
        return {"forensics_summary": pl.DataFrame([{**head, "region": region or SCOPE_ALL, "enough": False}])}
    curve = votes_by_turnout(lazy, options, BIN)
    shp = _shpilkin_table(lazy, leader, curve.filter(pl.col("found") > 0)["turnout"].to_list(), rule, peak)
    integer, integer_by_region = integer_percent_tables(lazy, leader, "region_code")
    comparison = observed_comparison(lazy, leader)
    chosen = shp.filter("chosen")
    chosen_row = chosen.row(0, named=True) if chosen.height else shp.row(0, named=True)
    out = {
        "integer_percent": _integer_long(integer, pl.lit(region or SCOPE_ALL)),
        "integer_percent_by_region": _integer_long(integer_by_region, pl.col("region_code")),
        "turnout_histogram": histogram(lazy, leader, "turnout", FINE_BIN),
        "leader_share_histogram": histogram(lazy, leader, "leader_share", FINE_BIN),
        "fingerprint": fingerprint(lazy, leader, MAP_BIN),
        "votes_by_turnout": _votes_long(curve, options),
        "shpilkin": shp,
        "digit_tests": digit_tests(lazy, options),
        "observed": _observed_long(comparison.filter(pl.col("group") != "difference")),
        "observed_difference": comparison.filter(pl.col("group") == "difference"),
    }
    any_row = out["integer_percent"].filter(pl.col("variable") == "any").row(0, named=True)
    klimek = klimek_fit(lazy, leader)
    summary = {
        **head,
        "region": region or SCOPE_ALL,
        "enough": True,
        **{f"integer_{fig}": any_row[fig] for fig in INTEGER_FIGURES},
        "shpilkin_rule": chosen_row["rule"],
        **{f"shpilkin_{col}": chosen_row[col] for col in SHPILKIN_COLUMNS},
        **{f"klimek_{name}": getattr(klimek, name, None) for name in KLIMEK_FIGURES},
    }
    return {**out, "forensics_summary": pl.DataFrame([summary])}
