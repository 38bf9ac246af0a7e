"""Paths of the per-station (wide) metrics the kz profile and the tiny election do not reach."""

from __future__ import annotations

import dataclasses

import numpy as np
import polars as pl
from polars.testing import assert_frame_equal
from test_metrics_data import ELECTION, checklist_rows, copy_rows, figures, lazy, tiny

from saylau.metrics import compute_all
from saylau.metrics.aggregate import share
from saylau.profiles import Profile, load_profile

PROFILE = load_profile("kz")
EXTRA_ITEMS = 100  # with the 51 kz items: bit sets of three 64-bit words


def _many_items() -> Profile:
    """The kz profile with extra checklist items, so item bits span several words."""
    extra = tuple(
        dataclasses.replace(PROFILE.items[i % len(PROFILE.items)], code=f"X{i:03d}", section=1 + i % 5,
                            severity=1 + i % 3)
        for i in range(EXTRA_ITEMS)
    )
    return dataclasses.replace(PROFILE, items=PROFILE.items + extra)


def test_item_bits_span_several_words() -> None:
    """Item and section rates and the severity index agree with a per-(station, item) computation."""
    profile = _many_items()
    codes = [i.code for i in profile.items]
    rng = np.random.default_rng(3)
    rows = {
        (f"S{1 + int(s)}", org, typ, codes[int(i)]): str(rng.choice(["yes", "no", "na"]))
        for s, i in zip(rng.integers(0, 4, 600), rng.integers(0, len(codes), 600), strict=True)
        for org, typ in [("ngo_a", "ngo"), ("party_b", "party")][: 1 + int(rng.integers(0, 2))]
    }
    tables = tiny()
    tables["checklists"] = checklist_rows([(s, org, typ, item, a) for (s, org, typ, item), a in rows.items()])
    out = compute_all(lazy(tables), profile, ELECTION)

    items = profile.items_frame().select("item", "section", "severity")
    observed = (
        tables["checklists"].filter(pl.col("answer").is_in(["yes", "no"]))
        .group_by("station_id", "item").agg((pl.col("answer") == "yes").any().alias("yes"))
        .join(items, on="item")
    )
    by_item = observed.group_by("item", "section").agg(
        pl.len().cast(pl.UInt32).alias("observed_stations"), pl.col("yes").sum().cast(pl.UInt32).alias("stations_with")
    ).sort("item", "section")
    assert_frame_equal(out["violations_by_item"].select(by_item.columns), by_item)
    by_section = observed.group_by("station_id", "section").agg(pl.col("yes").any()).group_by("section").agg(
        pl.len().cast(pl.UInt32).alias("observed_stations"), pl.col("yes").sum().cast(pl.UInt32).alias("stations_with")
    ).sort("section")
    assert_frame_equal(out["violations_by_section"].select(by_section.columns), by_section)
    weight = pl.col("severity").cast(pl.Float64)
    index = observed.group_by("station_id").agg(share((weight * pl.col("yes")).sum(), weight.sum()).alias("index"))
    status = out["station_status"].join(index, on="station_id")
    assert status.height > 0
    assert status["violation_index"].to_list() == status["index"].to_list()


def test_copy_without_a_line() -> None:
    """A line one of two copies lacks: counted over the copy that has it, its organisation alone agrees."""
    tables = tiny()
    partial = {k: v for k, v in figures().items() if k != "votes_no"}
    tables["protocol_copies"] = copy_rows([
        ("C1", "S1", "ngo_a", "ngo", figures()),
        ("C2", "S1", "party_b", "party", partial),
    ])
    lines = compute_all(lazy(tables), PROFILE, ELECTION)["discrepancy_lines"].filter(pl.col("station_id") == "S1")
    rows = {r["line"]: r for r in lines.iter_rows(named=True)}
    assert (rows["votes_no"]["n_copies"], rows["votes_no"]["orgs_agree"], rows["votes_no"]["orgs_differ"]) == (
        1, "ngo_a", "")
    assert (rows["votes_yes"]["n_copies"], rows["votes_yes"]["orgs_agree"]) == (2, "ngo_a, party_b")
    assert lines["line"].to_list() == sorted(lines["line"].to_list())
