"""Snapshots over time, CLI, mappings, secrets and the property 'nothing is lost' (hypothesis)."""

from __future__ import annotations

import json
import shutil
import string
from pathlib import Path
from unittest import mock

import polars as pl
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saylau import store
from saylau.cli import main
from saylau.ingest import files as ingest_files
from saylau.ingest import ingest_file, list_sources, rule_texts
from saylau.ingest.mapping import MappingError, load_mapping, parse_mapping, resolve, slugify
from saylau.ingest.pipeline import load_sources
from saylau.ingest.quarantine import RULES
from saylau.ingest.secrets import Secret, get_secret, mask

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MAPPING = {"source": {"table": "official"}, "keys": {"station": ["region", "uik"]},
           "lines": {"voters_on_list": "Registered", "ballots_issued": "Issued"}, "options": {"after": "Issued"}}


def files(tmp: Path, csv: str, mapping: dict = MAPPING) -> tuple[Path, Path]:
    (tmp / "m.toml").write_bytes(tomli_w.dumps(mapping).encode())
    (tmp / "in.csv").write_text(csv, encoding="utf-8")
    return tmp / "in.csv", tmp / "m.toml"


def test_examples_parse():
    for path in EXAMPLES.glob("*.toml"):
        if path.name != "sources.toml":
            assert load_mapping(path).table
    specs, settings_ = load_sources(EXAMPLES / "sources.toml")
    assert {s.kind for s in specs} == {"file", "http", "kobo", "odk"} and settings_["profile"] == "kz"


def test_slugs_are_stable_ascii():
    assert slugify('6. Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"') == "6_vserossiyskaya_politicheskaya_partiya_edinaya_rossiya"
    assert slugify("Тоқаев Қасым-Жомарт") == "toqaev_qasym_zhomart"
    plan = resolve(parse_mapping(MAPPING), ["region", "uik", "Registered", "Issued", "Да", "Нет", "Да!"])
    assert plan.options == {"votes_da": "Да", "votes_net": "Нет", "votes_da_2": "Да!"}


@pytest.mark.parametrize("column", ["observer/name", "observer_phone", "_geolocation/lat", "IIN", "_submitted_by",
                                    "__system/submitterId"])
def test_personal_columns_cannot_be_mapped(column):
    doc = {**MAPPING, "fields": {}, "lines": {"voters_on_list": column}}
    with pytest.raises(MappingError):
        parse_mapping(doc)


def test_revisions_are_detectable_and_tables_carried_forward(tmp_path):
    data = tmp_path / "data"
    first = ingest_file(*files(tmp_path, "region,uik,Registered,Issued,Yes\nA,1,100,60,50\nA,2,80,40,30\n"), data)
    second = ingest_file(*files(tmp_path, "region,uik,Registered,Issued,Yes\nA,1,100,70,55\n"), data)
    assert first.snapshot != second.snapshot and store.current(data) == second.snapshot
    off = store.scan(second.snapshot, "protocol_official")
    revs = store.revisions(off).collect()
    assert set(zip(revs["line"], revs["old_value"], revs["new_value"], strict=True)) == {("ballots_issued", 60, 70),
                                                                                      ("votes_yes", 50, 55)}
    assert store.scan(second.snapshot, "stations").collect().height == 2
    listed = list_sources(data)
    assert listed.height == 2 and listed.filter("current")["snapshot_id"].to_list() == [second.snapshot.name]


def test_snapshot_of_schema_1_is_carried_forward(tmp_path):
    """A snapshot written before snapshot_id became Categorical (String in the file) still merges with a new load."""
    data = tmp_path / "data"
    first = ingest_file(*files(tmp_path, "region,uik,Registered,Issued,Yes\nA,1,100,60,50\n"), data)
    path = first.snapshot / "protocol_official.parquet"
    pl.read_parquet(path).with_columns(pl.col("snapshot_id").cast(pl.String)).write_parquet(path)
    second = ingest_file(*files(tmp_path, "region,uik,Registered,Issued,Yes\nA,1,100,70,55\n"), data)
    off = store.scan(second.snapshot, "protocol_official").collect()
    assert off.schema["snapshot_id"] == pl.Categorical and off["snapshot_id"].n_unique() == 2
    assert store.revisions(off.lazy()).collect().height == 2


def test_unknown_station_with_a_register(tmp_path):
    data = tmp_path / "data"
    reg = {"source": {"table": "stations"}, "keys": {"station": ["region", "uik"], "region": "region"},
           "fields": {"registered_voters": "Registered"}}
    ingest_file(*files(tmp_path, "region,uik,Registered\nA,1,100\n", reg), data)
    res = ingest_file(*files(tmp_path, "region,uik,Registered,Issued,Yes\nA,1,100,60,50\nZ,9,80,40,30\n"), data)
    src = res.sources[0]
    assert (src.accepted, src.quarantined) == (1, 1)
    q = store.scan(res.snapshot, "quarantine").filter(pl.col("source") == "in.csv").collect()
    assert q["rule_id"].to_list() == ["unknown_station"] and q["raw_value"].to_list() == ["Z/9"]


def test_cli_json(tmp_path, capsys):
    path, mapping = files(tmp_path, "region,uik,Registered,Issued,Yes\nA,1,100,60,50\nA,2,80,-1,30\n")
    code = main(["ingest", str(path), "--mapping", str(mapping), "--out", str(tmp_path / "d"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {k: out[k] for k in ("records", "accepted", "quarantined", "stations", "registered", "issued")} == {
        "records": 2, "accepted": 1, "quarantined": 1, "stations": 1, "registered": 100, "issued": 60}
    assert out["snapshot"] == store.current(tmp_path / "d").name


def test_cli_config_failing_source_still_lands_others(tmp_path, capsys):
    path, mapping = files(tmp_path, "region,uik,Registered,Issued,Yes\nA,1,100,60,50\n")
    (tmp_path / "sources.toml").write_bytes(tomli_w.dumps({"sources": [
        {"name": "good", "kind": "file", "location": "in.csv", "mapping": "m.toml"},
        {"name": "gone", "kind": "file", "location": "missing.csv", "mapping": "m.toml"},
    ]}).encode())
    code = main(["ingest", "--config", str(tmp_path / "sources.toml"), "--data", str(tmp_path / "d")])
    captured = capsys.readouterr()
    assert code == 1 and "good" in captured.out and "failed" in captured.out and "[#" in captured.err
    assert store.current(tmp_path / "d") is not None


def test_secrets_are_never_shown(tmp_path, monkeypatch):
    (tmp_path / "secrets.toml").write_text('KOBO_TOKEN = "abc123secret"\n')
    secret = get_secret("KOBO_TOKEN", tmp_path / "secrets.toml")
    assert "abc123secret" not in repr(secret) and "abc123secret" not in str(secret)
    assert mask("failed with abc123secret in it") == "failed with *** in it"
    monkeypatch.setenv("OTHER", "zzz-env-secret")
    assert get_secret("OTHER").reveal() == "zzz-env-secret" and isinstance(secret, Secret)
    with pytest.raises(KeyError):
        get_secret("NOT_SET_ANYWHERE", tmp_path / "secrets.toml")


def test_rule_texts_cover_every_rule():
    assert rule_texts()["rule_id"].to_list() == list(RULES)


CELL = st.text(alphabet=string.ascii_letters + string.digits + " -.,;=+@\"'\u00a0ЖҚ\t", max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=5, max_size=5), min_size=1, max_size=12))
def test_fuzzed_csv_loses_nothing(tmp_path_factory, rows):
    tmp = tmp_path_factory.mktemp("fz")
    frame = pl.DataFrame(rows, schema=["region", "uik", "Registered", "Issued", "Yes"], orient="row")
    (tmp / "in.csv").write_text(frame.write_csv(), encoding="utf-8")
    (tmp / "m.toml").write_bytes(tomli_w.dumps(MAPPING).encode())
    result = ingest_file(tmp / "in.csv", tmp / "m.toml", tmp / "data")
    src = result.sources[0]
    assert src.status in ("ok", "rejected", "failed")
    if src.status != "failed":
        assert src.records == len(rows) == src.accepted + src.quarantined
    else:
        assert src.rule_id == "empty_source"
    if result.snapshot is not None:  # written without the store's key re-check
        official = store.scan(result.snapshot, "protocol_official").collect()
        assert official.select("station_id", "snapshot_id", "line").is_unique().all()
        assert store.scan(result.snapshot, "stations").collect()["station_id"].is_unique().all()


JSON_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**8), st.floats(allow_nan=True), CELL)


@settings(max_examples=25, deadline=None)
@given(records=st.lists(st.fixed_dictionaries({k: JSON_VALUE for k in ("region", "uik", "Registered", "Issued", "Yes")}),
                        min_size=1, max_size=12))
def test_fuzzed_json_loses_nothing(tmp_path_factory, records):
    tmp = tmp_path_factory.mktemp("fj")
    (tmp / "in.json").write_text(json.dumps(records), encoding="utf-8")
    (tmp / "m.toml").write_bytes(tomli_w.dumps({**MAPPING, "options": {"columns": ["Yes"]}}).encode())
    src = ingest_file(tmp / "in.json", tmp / "m.toml", tmp / "data").sources[0]
    assert src.records == len(records) == src.accepted + src.quarantined, src.error


PLAIN = st.integers(0, 10**4).map(str)
NUMBERISH = st.one_of(PLAIN, PLAIN, PLAIN, st.integers(-5, 10**7).map(str), st.integers(0, 10**21).map(str),
                      st.text(alphabet=string.digits + " +-.,\u00a0eN", max_size=7), st.sampled_from(["", "NaN", "null"]))


def _outcome(tmp: Path) -> tuple:
    """What one ingest of ``tmp``'s files kept: counts, official rows, stations and quarantine rows."""
    result = ingest_file(tmp / "in.csv", tmp / "m.toml", tmp / "data")
    src = result.sources[0]
    kept: tuple = ()
    if result.snapshot is not None:
        official = store.scan(result.snapshot, "protocol_official").select("station_id", pl.col("line").cast(pl.String), "value")
        kept = (sorted(official.collect().rows()), sorted(store.scan(result.snapshot, "stations").collect().rows()),
                store.scan(result.snapshot, "quarantine").drop("source").collect().rows())
    return src.status, src.records, src.accepted, src.quarantined, kept


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from(["A", "B"]), st.integers(1, 4).map(str), NUMBERISH, NUMBERISH, NUMBERISH),
                     min_size=1, max_size=8))
def test_counts_parsed_by_the_csv_reader_keep_what_the_text_keeps(tmp_path_factory, rows):
    """Reading counts with the CSV reader gives the same snapshot and quarantine as reading their text."""
    tmp = tmp_path_factory.mktemp("wn")
    frame = pl.DataFrame(rows, schema=["region", "uik", "Registered", "Issued", "Yes"], orient="row")
    (tmp / "in.csv").write_text(frame.write_csv(), encoding="utf-8")
    (tmp / "m.toml").write_bytes(tomli_w.dumps(MAPPING).encode())
    fast = _outcome(tmp)
    shutil.rmtree(tmp / "data")
    with mock.patch.object(ingest_files.RawSource, "collect_whole", return_value=None):
        text = _outcome(tmp)
    assert fast == text


def test_clean_counts_are_parsed_by_the_csv_reader(tmp_path, monkeypatch):
    """A CSV of plain whole numbers is staged from the reader's Int64 columns; one odd cell sends it to the text."""
    calls: list[bool] = []  # per ingest: whether the reader's parse was used
    real = ingest_files.RawSource.collect_whole

    def spy(self: ingest_files.RawSource, *args: object) -> pl.DataFrame | None:
        out = real(self, *args)
        calls.append(out is not None)
        return out

    monkeypatch.setattr(ingest_files.RawSource, "collect_whole", spy)
    csv, mapping = files(tmp_path, "region,uik,Registered,Issued,Yes\nA,1,900,500,300\nA,2,800,400,250\n")
    assert ingest_file(csv, mapping, tmp_path / "d1").sources[0].accepted == 2 and calls == [True]
    csv.write_text("region,uik,Registered,Issued,Yes\nA,1,900,500,300\nA,2,800,\"1 400\",250\n", encoding="utf-8")
    assert ingest_file(csv, mapping, tmp_path / "d2").sources[0].accepted == 2 and calls == [True, False]
