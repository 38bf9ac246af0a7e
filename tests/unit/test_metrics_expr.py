"""Control-relation grammar: parsing, refusal of anything else, evaluation in Polars."""

from __future__ import annotations

import polars as pl
import pytest

from saylau.metrics import expr, protocol
from saylau.profiles import load_profile


def test_parse_sides_and_lines() -> None:
    """Left is actual, right is expected; the line set covers both sides."""
    c = expr.parse("ballots_issued - ballots_in_boxes <= max(3, 0.005 * ballots_issued)")
    assert c.op == "<="
    assert c.actual == ("sub", ("line", "ballots_issued"), ("line", "ballots_in_boxes"))
    assert c.expected == ("max", ("num", 3.0), ("mul", 0.005, ("line", "ballots_issued")))
    assert c.lines == {"ballots_issued", "ballots_in_boxes"}


def test_votes_total_expands_to_options() -> None:
    """votes_total is the sum of the election's option lines."""
    c = expr.parse("ballots_in_boxes == ballots_invalid + votes_total", ["votes_a", "votes_b"])
    assert c.lines == {"ballots_in_boxes", "ballots_invalid", "votes_a", "votes_b"}
    with pytest.raises(expr.RelationSyntaxError):
        expr.parse("x == votes_total")


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true') == 1",
        "a.b == 1",
        "a == b == c",
        "a != b",
        "a * b == 1",
        "a / 2 == 1",
        "abs(a) == 1",
        "max(a) == 1",
        "a == 'x'",
        "a",
        "a ==",
    ],
)
def test_refuses_outside_grammar(text: str) -> None:
    """Anything but sums of lines, numbers, number * term and max/min is refused."""
    with pytest.raises(expr.RelationSyntaxError):
        expr.parse(text)


def test_polars_evaluation_by_hand() -> None:
    """issued 1000, boxes 996: gap 4 <= max(3, 5.0) passes; boxes 990: gap 10 fails."""
    c = expr.parse("ballots_issued - ballots_in_boxes <= max(3, 0.005 * ballots_issued)")
    frame = pl.DataFrame(
        {"ballots_issued": [1000, 1000, 100], "ballots_in_boxes": [996, 990, 96]},
        schema={"ballots_issued": pl.UInt32, "ballots_in_boxes": pl.UInt32},
    )
    out = frame.select(
        expr.to_polars(c.actual).alias("actual"),
        expr.to_polars(c.expected).alias("expected"),
        expr.compare(c.op, expr.to_polars(c.actual), expr.to_polars(c.expected)).alias("passed"),
    )
    assert out["actual"].to_list() == [4.0, 10.0, 4.0]  # unsigned lines never wrap around
    assert out["expected"].to_list() == [5.0, 5.0, 3.0]
    assert out["passed"].to_list() == [True, False, False]


def test_every_profile_relation_parses() -> None:
    """Every kz relation parses for every election kind of the profile."""
    profile = load_profile("kz")
    for kind, e in profile.elections.items():
        election = {"kind": kind, "options": [{"line": o.line} for o in e.options]}
        assert protocol.checks(profile, election)


def test_check_skips_missing_lines_and_other_station_kinds() -> None:
    """A check is null where a line is missing or the station kind is not covered."""
    profile = load_profile("kz")
    election = {"kind": "referendum", "options": [{"line": "votes_yes"}, {"line": "votes_no"}]}
    by_code = {c.code: c for c in protocol.checks(profile, election)}
    frame = pl.DataFrame(
        {"ballots_issued": [960, 960, None], "voters_on_list": [1000, 1000, 1000], "kind": ["regular", "abroad", "regular"]}
    )
    out = frame.select(by_code["CR_TURNOUT_HIGH"].passed(), by_code["CR_ISSUED_LE_LIST"].passed())
    assert out.row(0) == (False, True)
    assert out.row(1) == (None, True)
    assert out.row(2) == (None, None)
