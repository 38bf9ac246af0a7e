"""Demo generator: schemas, honest arithmetic, scale, determinism, scenarios, coverage and CLI."""

from __future__ import annotations

import ast
import hashlib
import operator
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import shapely

from saylau import geo, schema, store
from saylau.cli import main
from saylau.demo import SCENARIOS, Demo, generate
from saylau.profiles import load_profile

PROFILE = load_profile("kz")
KINDS = tuple(PROFILE.elections)
SMALL = 0.1
BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
COMPARE = {ast.Eq: operator.eq, ast.LtE: operator.le, ast.GtE: operator.ge, ast.Lt: operator.lt, ast.Gt: operator.gt}
FUNCS = {"max": np.maximum, "min": np.minimum}


@pytest.fixture(scope="module")
def national() -> Demo:
    """The default scale-1 referendum (about 10,400 stations; well under a second)."""
    return generate(seed=2026, scale=1.0)


@pytest.fixture(scope="module", params=KINDS)
def small(request: pytest.FixtureRequest) -> Demo:
    """A small demo of every election kind."""
    return generate(seed=11, scale=SMALL, kind=request.param)


def _kind(demo: Demo) -> str:
    """Return the election kind of a demo."""
    return demo.meta["election"]["kind"]


def _term(node: ast.expr, cols: dict[str, np.ndarray], options: list[str]) -> np.ndarray | float:
    """Evaluate one side of a relation check (grammar of docs/architecture.md) on column arrays."""
    match node:
        case ast.Name(id="votes_total"):
            return sum(cols[o] for o in options)
        case ast.Name(id=name):
            return cols[name]
        case ast.Constant(value=value):
            return value
        case ast.BinOp(left=left, op=op, right=right):
            return BINARY[type(op)](_term(left, cols, options), _term(right, cols, options))
        case ast.Call(func=ast.Name(id=func), args=[a, b]):
            return FUNCS[func](_term(a, cols, options), _term(b, cols, options))
    raise ValueError(f"unsupported term {ast.dump(node)}")


def _failures(demo: Demo, wide: pl.DataFrame) -> dict[str, int]:
    """Count documents (rows of ``wide``: station_id plus one column per line) failing each relation."""
    kind = _kind(demo)
    options = [o["line"] for o in demo.meta["election"]["options"]]
    kinds = wide.join(demo.tables["stations"].select("station_id", "kind"), on="station_id", how="left")["kind"]
    cols = {c: wide[c].cast(pl.Int64).to_numpy() for c in wide.columns if c != "station_id"}
    failed: dict[str, int] = {}
    for relation in PROFILE.relations_for(kind):
        tree = ast.parse(relation.check, mode="eval").body
        assert isinstance(tree, ast.Compare) and len(tree.ops) == 1
        try:
            ok = COMPARE[type(tree.ops[0])](_term(tree.left, cols, options), _term(tree.comparators[0], cols, options))
        except KeyError:
            continue
        applies = kinds.is_in(list(relation.station_kinds)).to_numpy() if relation.station_kinds else True
        failed[relation.code] = failed.get(relation.code, 0) + int(np.sum(~ok & applies))
    return failed


def _wide(long: pl.DataFrame, index: str = "station_id") -> pl.DataFrame:
    """Pivot a long protocol table to one row per document and one column per line."""
    return long.pivot(on="line", index=index, values="value")


def _final(demo: Demo) -> pl.DataFrame:
    """Return the final official figures, wide."""
    return _wide(demo.tables["protocol_official"].filter(pl.col("snapshot_id") == "final").drop("snapshot_id", "published_at"))


def _copy_vs_final(demo: Demo, copies: pl.DataFrame) -> pl.DataFrame:
    """Return the copy rows whose value differs from the final official figure."""
    official = demo.tables["protocol_official"].filter(pl.col("snapshot_id") == "final")
    official = official.select("station_id", "line", pl.col("value").alias("official"))
    return copies.join(official, on=["station_id", "line"]).filter(pl.col("value") != pl.col("official"))


def _stations_with(demo: Demo, *scenarios: str) -> pl.Series:
    """Return the stations listed in truth under any of ``scenarios``."""
    return demo.truth.filter(pl.col("scenario").is_in(scenarios))["station_id"].unique()


def _sha(folder: Path) -> dict[str, str]:
    """Return the SHA-256 of every Parquet file in a snapshot folder."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.parquet"))}


def test_tables_pass_schemas(small: Demo) -> None:
    """Every canonical table and the truth table validate strictly; quarantine is empty."""
    for name, table in schema.TABLES.items():
        table.validate(small.tables[name], cast=True)
    schema.Truth.validate(small.truth, cast=True)
    assert small.tables["quarantine"].height == 0
    assert set(small.truth["scenario"].unique()) <= set(SCENARIOS)


def test_honest_official_satisfies_every_relation(small: Demo, national: Demo) -> None:
    """Stations without a manipulation (slips touch copies only) pass every profile relation."""
    for demo in (small, national):
        manipulated = demo.truth.filter(pl.col("scenario") != "transcription_slip")["station_id"]
        honest = _final(demo).filter(~pl.col("station_id").is_in(manipulated.implode()))
        failed = _failures(demo, honest)
        assert set(failed) >= {"CR_BALLOT_BALANCE", "CR_BOX_COMPOSITION", "CR_TURNOUT_HIGH", "CR_BOX_GAP"}
        assert not any(failed.values()), failed


def test_manipulated_official_stays_arithmetically_consistent(national: Demo) -> None:
    """Inflated, rewritten and carousel protocols break no arithmetic (E) relation."""
    stations = _stations_with(national, "turnout_inflation", "protocol_rewrite", "carousel")
    manipulated = _final(national).filter(pl.col("station_id").is_in(stations.implode()))
    errors = {r.code for r in PROFILE.relations if r.severity == "E"}
    failed = _failures(national, manipulated)
    assert {code: n for code, n in failed.items() if code in errors and n} == {}
    assert failed["CR_TURNOUT_HIGH"] > 0


def test_copies_match_official_except_slips_and_rewrites(national: Demo) -> None:
    """Copies equal the final official figures unless the copy slipped or the official was rewritten."""
    diff = _copy_vs_final(national, national.tables["protocol_copies"])
    explained = _stations_with(national, "transcription_slip", "protocol_rewrite")
    assert diff.height > 0
    assert diff["station_id"].is_in(explained.implode()).all()
    rewritten_with_copy = diff.filter(pl.col("station_id").is_in(_stations_with(national, "protocol_rewrite").implode()))
    assert rewritten_with_copy["station_id"].n_unique() >= 5
    assert rewritten_with_copy["line"].str.starts_with("votes_").any()


@pytest.mark.parametrize(("seed", "kind"), [(2026, "referendum"), (5, "presidential")])
def test_every_rewrite_with_a_copy_changes_a_vote(seed: int, kind: str) -> None:
    """Each rewritten protocol with a copy differs from it on a vote line, at small stations too (seed 5 had one that did not)."""
    demo = generate(seed=seed, scale=1.0, kind=kind)
    rewritten = _stations_with(demo, "protocol_rewrite")
    copied = demo.tables["protocol_copies"].filter(pl.col("station_id").is_in(rewritten.implode()))["station_id"].unique()
    changed = _copy_vs_final(demo, demo.tables["protocol_copies"]).filter(pl.col("line").str.starts_with("votes_"))
    assert copied.len() > 0
    assert set(copied) <= set(changed["station_id"])


def test_slipped_copies_break_a_relation_the_official_passes(national: Demo) -> None:
    """Each slipped copy differs from the official in one line, keeps its digit count, and fails a relation."""
    slipped = _stations_with(national, "transcription_slip")
    copies = national.tables["protocol_copies"].filter(pl.col("station_id").is_in(slipped.implode()))
    differing = _copy_vs_final(national, copies)
    same_length = differing["value"].cast(pl.String).str.len_chars() == differing["official"].cast(pl.String).str.len_chars()
    assert same_length.filter(differing["official"] >= 10).all()
    per_copy = differing.group_by("copy_id").len()
    assert per_copy["len"].max() == 1 and per_copy.height >= slipped.len()
    wide = _wide(copies.filter(pl.col("copy_id").is_in(per_copy["copy_id"].implode())), index="copy_id")
    wide = wide.rename({"copy_id": "station_id"}).with_columns(pl.col("station_id").str.replace(r"-C\d+$", ""))
    assert sum(_failures(national, wide).values()) >= per_copy.height
    assert not any(_failures(national, _final(national).filter(pl.col("station_id").is_in(slipped.implode()))).values())


def test_no_station_above_cap(national: Demo) -> None:
    """No station has more than the profile's cap of voters, in any document."""
    assert national.tables["stations"]["registered_voters"].max() <= PROFILE.station_cap
    lists = pl.concat(
        [national.tables[t].filter(pl.col("line") == "voters_on_list").select("value") for t in ("protocol_official", "protocol_copies")]
    )
    assert lists["value"].max() <= PROFILE.station_cap


def test_stations_lie_inside_their_region(national: Demo) -> None:
    """Every domestic station has a position inside its region's boundary; stations abroad have none."""
    shapes = geo.region_shapes(PROFILE)
    st = national.tables["stations"]
    domestic = st.filter(pl.col("kind") != "abroad")
    areas = np.array([shapes[code] for code in domestic["region_code"]])
    assert shapely.contains_xy(areas, domestic["lon"].to_numpy(), domestic["lat"].to_numpy()).all()
    assert st.filter(pl.col("kind") == "abroad")["lat"].is_null().all()


def test_national_totals_at_scale_1(national: Demo) -> None:
    """Scale 1 matches the country: stations, abroad, registered voters, turnout, 'yes' share."""
    stations = national.tables["stations"]
    abroad = stations.filter(pl.col("kind") == "abroad")
    assert 10_200 <= stations.height - abroad.height <= 10_450
    assert 65 <= abroad.height <= 80
    assert (abroad["region_code"] == PROFILE.abroad_region).all()
    assert abroad["registered_voters"].is_between(100, 300).all()
    registered = stations["registered_voters"].sum()
    assert 12_000_000 <= registered <= 12_600_000
    final = _final(national)
    turnout = final["ballots_issued"].sum() / final["voters_on_list"].sum()
    assert 0.55 <= turnout <= 0.80
    assert 0.66 <= final["votes_yes"].sum() / final["ballots_issued"].sum() <= 0.76
    assert 0.04 <= (stations["kind"] == "special").mean() <= 0.08
    revised = store.revisions(national.tables["protocol_official"].lazy()).collect()["station_id"].n_unique()
    assert 0.002 * stations.height <= revised <= 0.01 * stations.height


@pytest.mark.parametrize("seed", [1, 2, 2026])
def test_every_scenario_present_and_coverage(seed: int) -> None:
    """Each scenario occurs at scale 1, and 10–15 % of stations are observed."""
    demo = generate(seed=seed, scale=1.0)
    counts = dict(demo.truth.group_by("scenario").len().iter_rows())
    assert set(counts) == set(SCENARIOS), counts
    stations = demo.tables["stations"].height
    assert 0.05 <= counts["turnout_inflation"] / stations <= 0.15
    assert 0.02 <= counts["protocol_rewrite"] / stations <= 0.05
    assert 0.10 <= demo.tables["checklists"]["station_id"].n_unique() / stations <= 0.15


def test_observation_tables_are_consistent(national: Demo) -> None:
    """Incidents mirror 'yes' answers; refused stations have no copy; counting violations at 45–60 %."""
    checklists, copies = national.tables["checklists"], national.tables["protocol_copies"]
    assert national.tables["incidents"].height == (checklists["answer"] == "yes").sum()
    assert set(checklists["org_type"].unique()) == set(schema.ORG_TYPES)
    refused = _stations_with(national, "copy_refused")
    assert not copies["station_id"].is_in(refused.implode()).any()
    said_refused = checklists.filter((pl.col("item") == "CNT_PROTOCOL_COPY_REFUSED") & (pl.col("answer") == "yes"))
    assert set(said_refused["station_id"]) == set(refused)
    counted = checklists.filter(pl.col("item").str.starts_with("CNT_") & (pl.col("answer") != "na"))
    bad_count = counted.group_by("station_id", "observer_org").agg((pl.col("answer") == "yes").any())["answer"].mean()
    assert 0.45 <= bad_count <= 0.60
    second = copies.group_by("station_id").agg(pl.col("copy_id").n_unique() > 1)["copy_id"].mean()
    assert 0.10 <= second <= 0.30
    incidents = national.tables["incidents"]
    assert incidents["text"].str.contains("<b>|\\[link\\]|=HYPERLINK", literal=False).any()
    assert (incidents["observed_at"] >= checklists["arrived_at"].min()).all()


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    """The same seed writes byte-identical Parquet files; another seed does not."""
    folders = []
    for i, seed in enumerate((5, 5, 6)):
        demo = generate(seed=seed, scale=SMALL)
        extra = {"truth": demo.truth}
        folders.append(store.write_snapshot(demo.tables, demo.meta, root=tmp_path / str(i), snapshot_id="x", extra=extra))
    first, again, other = (_sha(f) for f in folders)
    assert first == again and "truth.parquet" in first
    assert all(first[name] != other[name] for name in first if name not in ("regions.parquet", "quarantine.parquet"))


def test_manifest_fields(small: Demo) -> None:
    """The election block carries the profile's options and the demo's fixed source entry."""
    election = small.meta["election"]
    assert [o["line"] for o in election["options"]] == [o.line for o in PROFILE.elections[_kind(small)].options]
    assert election["random_sample"] is True and election["status"] == "final"
    assert set(small.tables["protocol_official"]["line"].unique()) >= {o["line"] for o in election["options"]}
    assert small.meta["sources"][0]["quarantined"] == 0


def test_unknown_kind_is_refused() -> None:
    """An election kind the profile lacks raises a clear error."""
    with pytest.raises(ValueError, match="unknown election kind"):
        generate(kind="mayor")


def test_cli_writes_current_snapshot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``saylau demo`` writes a verified snapshot with truth, points current at it and prints a summary."""
    assert main(["demo", "--out", str(tmp_path), "--seed", "3", "--scale", "0.05", "--kind", "presidential"]) == 0
    snap = store.current(tmp_path)
    assert snap is not None and snap.name == "demo-presidential-s3-x0.05"
    manifest = store.verify(snap)
    assert manifest["election"]["kind"] == "presidential"
    assert (snap / "truth.parquet").exists()
    assert "stations" in capsys.readouterr().out
