"""Local files: encodings, delimiters, number formats, bad records, zip bombs, formula injection."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import tomli_w

from saylau import store
from saylau.ingest import csv_bytes, ingest_file, quarantine_rows
from saylau.ingest.files import ENCODING_SNIFF_BYTES, extract_member, read_file
from saylau.ingest.quarantine import SourceError

HEADER = ["region", "uik", "Registered", "Issued early", "Issued in station", "Invalid", "Yes", "No"]
OFFICIAL = {
    "source": {"table": "official"},
    "keys": {"station": ["region", "uik"], "region": "region"},
    "lines": {"voters_on_list": "Registered", "ballots_issued": ["Issued early", "Issued in station"],
              "ballots_invalid": "Invalid"},
    "options": {"columns": ["Yes", "No"]},
}


def write_mapping(tmp: Path, doc: dict = OFFICIAL, name: str = "map.toml") -> Path:
    path = tmp / name
    path.write_bytes(tomli_w.dumps(doc).encode())
    return path


def write_csv(tmp: Path, rows: list[list[str]], sep: str = ",", encoding: str = "utf-8", header=HEADER,
              name: str = "in.csv") -> Path:
    path = tmp / name
    text = "\n".join(sep.join(r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def load(tmp: Path, path: Path, mapping: dict = OFFICIAL):
    result = ingest_file(path, write_mapping(tmp, mapping), tmp / "data")
    src = result.sources[0]
    assert src.records == src.accepted + src.quarantined
    return result, src


def rules(tmp: Path) -> set[tuple[str, str]]:
    q = quarantine_rows(root=tmp / "data")
    return set(zip(q["column"], q["rule_id"], strict=True))


GOOD = [["A", "1", "1000", "10", "500", "3", "300", "207"], ["A", "2", "800", "0", "400", "1", "200", "199"]]


def test_cp1251_file_is_detected(tmp_path):
    rows = [["Алматы", "1", "1000", "10", "500", "3", "300", "207"]]
    result, src = load(tmp_path, write_csv(tmp_path, rows, sep=";", encoding="cp1251"))
    assert src.accepted == 1
    st = store.scan(result.snapshot, "stations").collect()
    assert st["station_id"].to_list() == ["Алматы/1"] and st["registered_voters"].to_list() == [1000]


def test_cp1251_after_an_ascii_head_is_read_again(tmp_path):
    ascii_rows = [["A", str(i), "1000", "10", "500", "3", "300", "207"] for i in range(40_000)]  # longer than the sample
    path = write_csv(tmp_path, [*ascii_rows, ["Алматы", "1", "900", "0", "1", "0", "1", "0"]], encoding="cp1251")
    assert path.read_bytes()[:ENCODING_SNIFF_BYTES].isascii() and not path.read_bytes().isascii()
    result, src = load(tmp_path, path)
    assert src.accepted == len(ascii_rows) + 1
    st = store.scan(result.snapshot, "stations").filter(pl.col("region_code") == "Алматы").collect()
    assert st["station_id"].to_list() == ["Алматы/1"]


def test_bom_and_semicolon(tmp_path):
    path = write_csv(tmp_path, GOOD, sep=";")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _, src = load(tmp_path, path)
    assert (src.records, src.accepted) == (2, 2)


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiter_detection(tmp_path, sep):
    assert read_file(write_csv(tmp_path, GOOD, sep=sep), tmp_path).header == HEADER


def test_thousands_separators_and_spaces(tmp_path):
    rows = [["A", "1", "1\u00a0234", "1 000", "2,000", "3", "300", "207"]]
    result, src = load(tmp_path, write_csv(tmp_path, rows, sep=";"))
    assert src.accepted == 1
    off = store.scan(result.snapshot, "protocol_official").collect()
    values = dict(zip(off["line"], off["value"], strict=True))
    assert values["voters_on_list"] == 1234 and values["ballots_issued"] == 3000


def test_bad_numbers_go_to_quarantine(tmp_path):
    rows = [*GOOD, ["B", "1", "-5", "0", "1.5", "x", "20000000", "0"]]
    _, src = load(tmp_path, write_csv(tmp_path, rows))
    assert (src.accepted, src.quarantined) == (2, 1)
    assert rules(tmp_path) == {("Registered", "negative_count"), ("Issued in station", "fractional_count"),
                               ("Invalid", "unparseable_number"), ("Yes", "absurd_value")}
    q = quarantine_rows(root=tmp_path / "data")
    assert q["record_no"].unique().to_list() == [3] and q["raw_value"].to_list()[0] in {"-5", "1.5", "x", "20000000"}


def test_duplicate_stations_are_all_quarantined(tmp_path):
    rows = [*GOOD, ["A", "2", "900", "0", "1", "0", "1", "0"]]
    _, src = load(tmp_path, write_csv(tmp_path, rows))
    assert (src.accepted, src.quarantined) == (1, 2)
    assert rules(tmp_path) == {("region+uik", "duplicate_key")}


def test_missing_key_part_is_missing_required(tmp_path):
    _, src = load(tmp_path, write_csv(tmp_path, [*GOOD, ["A", "", "1", "0", "1", "0", "1", "0"]]))
    assert src.quarantined == 1 and rules(tmp_path) == {("region+uik", "missing_required")}


def test_control_relation_breaks_are_kept(tmp_path):
    """Votes above issued ballots is a finding for the metrics, not bad input."""
    _, src = load(tmp_path, write_csv(tmp_path, [["A", "1", "100", "0", "10", "0", "90", "90"]]))
    assert src.accepted == 1


def test_missing_column_publishes_nothing(tmp_path):
    load(tmp_path, write_csv(tmp_path, GOOD))
    before = store.current(tmp_path / "data")
    path = write_csv(tmp_path, [r[:-1] for r in GOOD], header=HEADER[:-1], name="b.csv")
    result, src = load(tmp_path, path)
    assert src.status == "failed" and src.rule_id == "missing_column" and "No" in src.error
    assert result.snapshot is None and store.current(tmp_path / "data") == before


def test_extra_columns_are_reported(tmp_path):
    path = write_csv(tmp_path, [[*r, "x"] for r in GOOD], header=[*HEADER, "Comment"])
    _, src = load(tmp_path, path)
    assert src.accepted == 2 and src.extra_columns == ("Comment",)


@pytest.mark.parametrize("content", [b"", b",".join(h.encode() for h in HEADER) + b"\n"])
def test_empty_file_keeps_current(tmp_path, content):
    load(tmp_path, write_csv(tmp_path, GOOD))
    before = store.current(tmp_path / "data")
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    result, src = load(tmp_path, path)
    assert src.rule_id == "empty_source" and result.snapshot is None
    assert store.current(tmp_path / "data") == before


def test_excel_with_dates(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["station", "observed", "code", "org"])
    ws.append(["A/1", datetime(2026, 3, 15, 9, 30), "PRE_OPENED_EARLY", "ngo"])
    ws.append(["A/2", 46096.5, "PRE_OPENED_EARLY", "ngo"])  # Excel serial day number
    wb.save(tmp_path / "inc.xlsx")
    mapping = {"source": {"table": "incidents", "timezone": "Asia/Almaty"}, "keys": {"station": "station"},
               "fields": {"observed_at": "observed", "code": "code", "org_type": "org"}}
    result, src = load(tmp_path, tmp_path / "inc.xlsx", mapping)
    assert src.accepted == 2, quarantine_rows(root=tmp_path / "data")
    inc = store.scan(result.snapshot, "incidents").sort("station_id").collect()
    assert inc["observed_at"].to_list() == [datetime(2026, 3, 15, 4, 30, tzinfo=UTC), datetime(2026, 3, 15, 7, 0, tzinfo=UTC)]
    assert inc["severity"].to_list() == [2, 2]


def test_zip_single_member(tmp_path):
    csv = write_csv(tmp_path, GOOD)
    with zipfile.ZipFile(tmp_path / "in.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(csv, "in.csv")
    _, src = load(tmp_path, tmp_path / "in.zip")
    assert src.accepted == 2


def test_zip_bomb_is_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("a.csv", "w") as f:
            for _ in range(64):
                f.write(b"0" * (1 << 20))
    with pytest.raises(SourceError) as err:
        extract_member(tmp_path / "bomb.zip", None, tmp_path)
    assert err.value.rule_id == "zip_bomb"
    _, src = load(tmp_path, tmp_path / "bomb.zip")
    assert src.rule_id == "zip_bomb"


def test_zip_size_cap_while_streaming(tmp_path):
    with zipfile.ZipFile(tmp_path / "big.zip", "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a.csv", b"x" * 5000)
    with pytest.raises(SourceError, match="expands|beyond"):
        extract_member(tmp_path / "big.zip", None, tmp_path, max_bytes=1000)


def test_formula_injection_is_escaped_on_export(tmp_path):
    evil = '=HYPERLINK("http://x","y")'
    rows = [["A", "1", "1000", "10", "500", "3", "300", "207"], [evil, "2", "=1+1", "0", "1", "0", "1", "0"]]
    result, src = load(tmp_path, write_csv(tmp_path, [[f'"{c}"' if "," in c else c for c in r] for r in rows]))
    st = store.scan(result.snapshot, "stations").collect()
    assert src.quarantined == 1
    q = quarantine_rows(root=tmp_path / "data")
    assert "=1+1" in q["raw_value"].to_list()  # kept as-is in the data
    for df in (q, st, pl.DataFrame({"x": [evil, "+1", "-2", "@a", "\tb", "ok"]})):
        exported = pl.read_csv(io.BytesIO(csv_bytes(df)), infer_schema=False)
        for col in exported.columns:
            assert not exported[col].drop_nulls().str.contains(r"^[=+\-@\t\r]").any()
    assert b"'=HYPERLINK" in csv_bytes(pl.DataFrame({"x": [evil]}))


def test_json_and_ndjson(tmp_path):
    recs = [dict(zip(HEADER, r, strict=True)) for r in GOOD]
    (tmp_path / "a.json").write_text(pl.DataFrame(recs).write_json())
    (tmp_path / "a.ndjson").write_text(pl.DataFrame(recs).write_ndjson())
    for name in ("a.json", "a.ndjson"):
        _, src = load(tmp_path, tmp_path / name)
        assert src.accepted == 2


def test_invalid_json_file(tmp_path):
    (tmp_path / "bad.json").write_text('[{"a": 1},')
    _, src = load(tmp_path, tmp_path / "bad.json")
    assert src.rule_id == "invalid_json"


def test_parquet_long_official(tmp_path):
    pl.DataFrame({"station_id": ["S1", "S1", "S2"], "line": ["voters_on_list", "votes_yes", "voters_on_list"],
                  "value": [100, 60, 90]}).write_parquet(tmp_path / "po.parquet")
    mapping = {"source": {"table": "official"}, "keys": {"station": "station_id"},
               "lines": {"long": {"line": "line", "value": "value"}}}
    result, src = load(tmp_path, tmp_path / "po.parquet", mapping)
    assert src.accepted == 3
    st = store.scan(result.snapshot, "stations").sort("station_id").collect()
    assert st["registered_voters"].to_list() == [100, 90]
