"""Election-forensics screens: pure functions on a per-station frame (see ``frame.py``).

Every statistic here is a screening signal, not proof: it shows where official figures look
unlike what honest counting usually produces and where a closer look is worthwhile. None
of them labels a station as fraudulent. Percentages are in % (0–100). The plain-language
texts for each method are in ``saylau.forensics.explain``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import polars as pl

from saylau.forensics.digits import digit_tests
from saylau.forensics.fingerprint import fingerprint, histogram
from saylau.forensics.frame import INCLUDED, leader_option, option_columns, station_frame, with_shares
from saylau.forensics.integer import integer_percent, integer_percent_tables, integer_stations, window_probability
from saylau.forensics.observed import observed_comparison
from saylau.forensics.shpilkin import PeakRule, shpilkin, votes_by_turnout

__all__ = [
    "digit_tests",
    "fingerprint",
    "histogram",
    "integer_percent",
    "integer_percent_tables",
    "integer_stations",
    "leader_option",
    "observed_comparison",
    "option_columns",
    "run_all",
    "shpilkin",
    "station_frame",
    "summary",
    "votes_by_turnout",
    "window_probability",
]


def summary(frame: pl.LazyFrame, leader: str) -> dict[str, Any]:
    """Headline counts: stations, included, registered, issued, found, turnout and leader share."""
    row = (
        with_shares(frame, leader)
        .select(
            pl.len().alias("stations"),
            pl.col(INCLUDED).sum().alias("included"),
            pl.col("registered", "issued", "found", leader).sum(),
        )
        .collect()
        .row(0, named=True)
    )
    return {
        "stations": row["stations"],
        "included": row["included"],
        "registered": row["registered"],
        "issued": row["issued"],
        "found": row["found"],
        "turnout": 100 * row["issued"] / row["registered"] if row["registered"] else None,
        "leader": leader,
        "leader_votes": row[leader],
        "leader_share": 100 * row[leader] / row["found"] if row["found"] else None,
    }


def run_all(
    frame: pl.LazyFrame,
    leader: str | None = None,
    *,
    rule: PeakRule = "below_official",
    peak: float | None = None,
    by_region: bool = False,
) -> dict[str, Any]:
    """Run every screen and return one JSON-ready dictionary of headline figures.

    ``leader`` defaults to the option with most votes; ``rule``/``peak`` choose Shpilkin's
    clean bin; ``by_region`` adds the integer-percentage table per region.
    """
    frame = frame.collect().lazy()
    leader = leader or leader_option(frame)
    national, regional = integer_percent_tables(frame, leader, "region_code")
    integer = national.row(0, named=True)
    digits = digit_tests(frame, [leader])
    result: dict[str, Any] = {
        **summary(frame, leader),
        "integer_percent": integer,
        "shpilkin": asdict(shpilkin(frame, leader, rule=rule, peak=peak)),
        "digits": {
            "column": leader,
            **{row["test"]: row["value"] for row in digits.iter_rows(named=True)},
            "intervals": {row["test"]: [row["lo"], row["hi"]] for row in digits.iter_rows(named=True)},
            "counts": {row["test"]: row["counts"] for row in digits.iter_rows(named=True)},
        },
        "observed": observed_comparison(frame, leader).to_dicts(),
    }
    if by_region:
        result["integer_percent_by_region"] = regional.to_dicts()
    return result
from saylau.forensics.charts_data import tables_for_charts  # noqa: E402  (re-export; needs the names above)
