"""Property tests: roll-ups conserve totals; degenerate inputs never crash, divide by zero or give NaN."""

from __future__ import annotations

import math

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_metrics_data import ELECTION, checklist_rows, copy_rows, figures, lazy, official_rows, stations

from saylau import schema
from saylau.metrics import TABLES, compute_all
from saylau.metrics.aggregate import rollup
from saylau.profiles import load_profile

PROFILE = load_profile("kz")
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REGIONS = ("AST", "ALA", "SHY")
ITEMS = ("PRE_BOX_NOT_EMPTY", "ROOM_CAMPAIGN_MATERIAL", "CNT_PROTOCOL_COPY_REFUSED")


def _finite(tables: dict[str, pl.DataFrame]) -> None:
    """No float column of any table holds NaN or ±inf."""
    for name, df in tables.items():
        for col, dtype in df.schema.items():
            if dtype.is_float():
                values = [v for v in df[col].to_list() if v is not None]
                assert all(math.isfinite(v) for v in values), (name, col)


@st.composite
def station_frames(draw: st.DrawFn) -> pl.DataFrame:
    """Random stations with regions, TECs and registered voters (zero allowed)."""
    n = draw(st.integers(0, 30))
    return pl.DataFrame(
        {
            "station_id": [f"S{i}" for i in range(n)],
            "region_code": [draw(st.sampled_from(REGIONS)) for _ in range(n)],
            "tec": [f"T{draw(st.integers(0, 3))}" for _ in range(n)],
            "registered": [draw(st.integers(0, 3000)) for _ in range(n)],
            "observed": [draw(st.booleans()) for _ in range(n)],
        },
        schema={"station_id": pl.String, "region_code": pl.String, "tec": pl.String, "registered": pl.UInt32,
                "observed": pl.Boolean},
    )


@given(station_frames())
@SETTINGS
def test_rollups_conserve_totals(frame: pl.DataFrame) -> None:
    """Summing stations to TECs, regions or the nation gives the same totals."""
    sums = ["registered", "observed"]
    national = rollup(frame.lazy(), "national", sums).collect()
    for level in ("station", "tec", "region"):
        rolled = rollup(frame.lazy(), level, sums).collect()
        assert rolled["stations"].sum() == national["stations"].item() == frame.height
        assert rolled["registered"].sum() == national["registered"].item() == frame["registered"].sum()
        assert rolled["observed"].sum() == national["observed"].item() == frame["observed"].sum()
    tec = rollup(frame.lazy(), "tec", sums).collect()
    region = rollup(tec.lazy().rename({"stations": "n"}), "region", ["n", "registered"]).collect()
    assert region["registered"].to_list() == rollup(frame.lazy(), "region", sums).collect()["registered"].to_list()


@st.composite
def elections(draw: st.DrawFn) -> dict[str, pl.DataFrame]:
    """Small random elections: zero voters, missing documents and unanswered checklists allowed."""
    n = draw(st.integers(0, 4))
    ids = [f"S{i + 1}" for i in range(n)]
    base = stations().head(n).with_columns(
        pl.Series([draw(st.integers(0, 1500)) for _ in ids], dtype=pl.UInt32).alias("registered_voters")
    )

    def doc() -> dict[str, int]:
        on_list = draw(st.integers(0, 1500))
        issued = draw(st.integers(0, on_list))
        yes = draw(st.integers(0, issued))
        return figures(on_list=on_list, issued=issued, yes=yes, no=issued - yes, invalid=0, vnc=0, received=issued)

    official = {s: doc() for s in ids if draw(st.booleans())}
    copies = [(f"C{s}{k}", s, f"org{k}", "ngo", doc()) for s in ids for k in range(draw(st.integers(0, 2)))]
    answers = [(s, "o", "ngo", item, draw(st.sampled_from(schema.ANSWERS))) for s in ids for item in ITEMS
               if draw(st.booleans())]
    return {
        "stations": base,
        "protocol_official": official_rows(official) if official else schema.empty("protocol_official"),
        "protocol_copies": copy_rows(copies) if copies else schema.empty("protocol_copies"),
        "checklists": checklist_rows(answers) if answers else schema.empty("checklists"),
    }


@given(elections(), st.booleans())
@SETTINGS
def test_degenerate_inputs_never_crash_or_give_nan(tables: dict[str, pl.DataFrame], sample: bool) -> None:
    """Empty tables, zero registered voters and zero observed stations give finite numbers."""
    out = compute_all(lazy(tables), PROFILE, {**ELECTION, "random_sample": sample})
    assert tuple(out) == TABLES
    _finite(out)
    for name in ("coverage", "region_summary", "summary"):
        for col in out[name].columns:
            if col.endswith("_share") or col.endswith("_rate"):
                assert out[name][col].is_between(0.0, 1.0).all(), (name, col)
    assert out["summary"].height == 1
    assert out["station_status"].height == tables["stations"].height


def test_all_inputs_missing() -> None:
    """No tables at all: every contract table exists, empty or zero, without NaN."""
    out = compute_all({}, PROFILE, ELECTION)
    _finite(out)
    assert out["station_status"].height == 0
    assert out["summary"].row(0, named=True)["turnout"] == 0.0
    assert out["violations_by_hour"]["rate"].sum() == 0.0
