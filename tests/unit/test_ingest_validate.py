"""Stage fast paths: plain whole numbers skip the cleaning, yet every value and state matches it."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from saylau.ingest.mapping import parse_mapping, resolve
from saylau.ingest.validate import (
    NULL_WORDS, RECORD_NO, STATE, check, clean_text, key_is_unique, parsed_value, stage, whole_number,
)

PLAN = resolve(parse_mapping({"source": {"table": "official"}, "keys": {"station": ["uik"]},
                              "lines": {"voters_on_list": "n"}}), ["uik", "n"])
COUNT = next(c.name for c in PLAN.columns if c.kind == "count")
NUMBER_TEXT = st.text(alphabet="0123456789+-., '\u00a0eE١２", max_size=8) | st.sampled_from(
    ["", " ", "nan", "NaN", "-0", "007", "+5", "1e3", "inf", "9223372036854775808", "١٢", "１２", "12 ", "N/A"]
)


def staged_values(values: list[str | None]) -> pl.DataFrame:
    text = pl.DataFrame({RECORD_NO: range(1, len(values) + 1), "uik": [str(i) for i in range(len(values))], "n": values},
                        schema={RECORD_NO: pl.Int64, "uik": pl.String, "n": pl.String})
    return stage(text, PLAN)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.none() | NUMBER_TEXT, min_size=1, max_size=30))
def test_quick_numbers_match_full_cleaning(values):
    out = staged_values(values)
    cleaned = pl.DataFrame({"n": values}, schema={"n": pl.String}).select(clean_text(pl.col("n")).alias("n"))
    number = parsed_value("count", pl.col("n"), "UTC")
    expected = cleaned.select(
        whole_number(number).alias(COUNT),
        pl.when(pl.col("n").is_null()).then(1).when(number.is_null() | number.is_nan()).then(2)
        .when(number != number.floor()).then(3).otherwise(0).cast(pl.UInt8).alias(COUNT + STATE),
    )
    assert out[RECORD_NO].to_list() == list(range(1, len(values) + 1))
    assert_frame_equal(out.select(COUNT, COUNT + STATE), expected)


def test_records_stay_in_source_order_when_some_need_cleaning():
    out = staged_values(["5", "1 000", "7", "x", "9"])
    assert out[RECORD_NO].to_list() == [1, 2, 3, 4, 5]
    assert out[COUNT].to_list() == [5, 1000, 7, None, 9]


def test_counts_are_whole_numbers_rounded_away_from_zero():
    out = staged_values(["1.5", "-1.5", "12.0", "1e400", "-inf", "+nan", "9223372036854775808"])
    assert out[COUNT].dtype == pl.Int64
    assert out[COUNT].to_list()[:3] == [2, -2, 12]
    assert out[COUNT].to_list()[3] > 10**18 and out[COUNT].to_list()[4] < -10**18 and out[COUNT].to_list()[5] is None
    assert out[COUNT + STATE].to_list() == [3, 3, 0, 0, 0, 2, 0]


@given(word=st.sampled_from(NULL_WORDS), flips=st.lists(st.booleans(), min_size=4, max_size=4), text=st.text(alphabet="nNaAuUlLoOeE/ \t", max_size=5))
def test_null_words_in_any_letter_case(word, flips, text):
    spelled = "".join(ch.upper() if flip else ch for ch, flip in zip(word, flips, strict=False)) + word[len(flips):]
    got = pl.select(clean_text(pl.lit(f" {spelled} ")).alias("a"), clean_text(pl.lit(text)).alias("b")).row(0)
    assert got[0] is None
    assert (got[1] is None) == (text.strip().lower() in NULL_WORDS)


def test_count_rules_on_whole_number_stage():
    values = ["5", "-1.5", "0.5", "10000000.5", "inf", "+nan", "-5", "9223372036854775808", None]
    text = pl.DataFrame({RECORD_NO: range(1, len(values) + 1), "uik": [str(i) for i in range(len(values))], "n": values},
                        schema={RECORD_NO: pl.Int64, "uik": pl.String, "n": pl.String})
    checked = check(text, PLAN, "src")
    got = {(r, rule) for r, rule in checked.quarantine.select("record_no", "rule_id").iter_rows()}
    assert got == {(2, "negative_count"), (2, "fractional_count"), (3, "fractional_count"), (4, "absurd_value"),
                   (4, "fractional_count"), (5, "absurd_value"), (6, "unparseable_number"), (7, "negative_count"),
                   (8, "absurd_value"), (9, "missing_required")}
    assert (checked.accepted, checked.quarantined) == (1, 8) and checked.good[COUNT].to_list() == [5]
    assert checked.quarantine.filter(pl.col("record_no") == 6)["raw_value"].to_list() == ["+nan"]


@settings(max_examples=40, deadline=None)
@given(keys=st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]), st.integers(0, 3)), min_size=1, max_size=20))
def test_key_uniqueness_by_hash_matches_exact(keys):
    frame = pl.DataFrame(keys, schema={"k": pl.String, "n": pl.Int64}, orient="row")
    assert key_is_unique(frame, ["k", "n"]).to_list() == frame.select(pl.struct("k", "n").is_unique()).to_series().to_list()


def test_cleaned_records_keep_their_other_numbers():
    plan = resolve(parse_mapping({"source": {"table": "official"}, "keys": {"station": ["uik"]},
                                  "lines": {"voters_on_list": "a", "ballots_issued": "b"}}), ["uik", "a", "b"])
    a, b = (c.name for c in plan.columns if c.kind == "count")
    text = pl.DataFrame({RECORD_NO: [1, 2, 3, 4], "uik": ["1", "2", "3", "4"], "a": ["5", "1 000", "x", "7"],
                         "b": ["1", "2", "3,5", None]}, schema={RECORD_NO: pl.Int64, "uik": pl.String, "a": pl.String, "b": pl.String})
    out = stage(text, plan)
    assert out[RECORD_NO].to_list() == [1, 2, 3, 4] and out["s0"].to_list() == ["1", "2", "3", "4"]
    assert out[a].to_list() == [5, 1000, None, 7] and out[a + STATE].to_list() == [0, 0, 2, 0]
    assert out[b].to_list() == [1, 2, 4, None] and out[b + STATE].to_list() == [0, 0, 3, 1]
