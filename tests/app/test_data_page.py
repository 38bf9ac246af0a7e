"""Data & methods: every language, sources and hashes, quarantine browsing and translation, downloads, methods."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from harness import run_page

from saylau import schema, store
from saylau.i18n import LANGS, fmt_int, t

FORMULA = '=HYPERLINK("http://x","y")'




@pytest.fixture(scope="module")
def quarantined_root(demo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copy the demo snapshot into a new data folder with a few quarantined rows from two sources."""
    root = tmp_path_factory.mktemp("quarantined")
    snap = store.current(demo_root)
    tables = store.load_tables(snap)
    tables["quarantine"] = pl.DataFrame({
        "source": ["cec.csv", "cec.csv", "kobo"],
        "record_no": [3, 7, 1],
        "column": ["votes_yes", "station", "observed_at"],
        "rule_id": ["negative_count", "unknown_station", "invalid_datetime"],
        "raw_value": ["-5", FORMULA, "yesterday"],
        "message": ["votes_yes: -5 is negative", "station: unknown", "observed_at: bad"],
    })
    meta = {k: v for k, v in store.manifest(snap).items() if k not in ("schema_version", "snapshot_id", "created_at", "files")}
    meta["sources"] = [*meta["sources"], {"name": "cec-api", "kind": "http", "status": "failed", "records": 0, "accepted": 0,
                                          "quarantined": 0, "rule_id": "unreachable", "error_value": "ConnectionError",
                                          "error": "the server could not be reached (no connection): ConnectionError"}]
    store.write_snapshot(tables, meta, root=root, snapshot_id="with-quarantine")
    return root


@pytest.mark.parametrize("lang", LANGS)
def test_data_page_renders(demo_env, lang: str):
    """The page runs in every language and shows sources, files, downloads and the methodology."""
    at = run_page("data", lang)
    assert not at.exception, at.exception
    headers = [h.value for h in at.header]
    for key in ("version_header", "downloads_header", "quarantine_header", "revisions_header",
                "dictionary_header", "methods_header"):
        assert t(f"data.{key}", lang) in headers
    files = next(df.value for df in at.dataframe if "sha256" in df.value.columns)
    assert "stations.parquet" in set(files["file"])
    methods = at.markdown[-1].value
    assert "Wilson" in methods or "Уилсон" in methods


def test_every_table_downloadable(demo_env):
    """Each canonical table is offered as CSV and as Parquet; the quarantine and revisions as CSV."""
    at = run_page("data", "en")
    keys = {b.key for b in at.get("download_button")}
    for name in schema.TABLES:
        assert {f"dl-csv-{name}", f"dl-pq-{name}"} <= keys
    assert {"csv-quarantine", "csv-revisions"} <= keys


def test_quarantine_filter_and_translation(quarantined_root: Path, monkeypatch: pytest.MonkeyPatch):
    """Quarantined rows are listed, filtered by source and rule, with messages in the interface language."""
    monkeypatch.setenv("SAYLAU_DATA", str(quarantined_root))
    at = run_page("data", "ru")
    assert not at.exception, at.exception
    table = next(df.value for df in at.dataframe if "rule_id" in df.value.columns)
    assert len(table) == 3
    assert t("rules.negative_count", "ru", column="votes_yes", value="-5") in set(table["message"])
    assert FORMULA in set(table["raw_value"])
    assert not any(FORMULA in m.value for m in at.markdown)
    at.multiselect(key="q_source").select("cec.csv").run()
    at.multiselect(key="q_rule").select("unknown_station").run()
    table = next(df.value for df in at.dataframe if "rule_id" in df.value.columns)
    assert list(table["record_no"]) == [7]


def test_failed_source_says_why_in_the_language(quarantined_root: Path, monkeypatch: pytest.MonkeyPatch):
    """A source that failed is listed with its status and the reason, in the interface language."""
    monkeypatch.setenv("SAYLAU_DATA", str(quarantined_root))
    at = run_page("data", "kk")
    assert not at.exception, at.exception
    sources = next(df.value for df in at.dataframe if "problem" in df.value.columns)
    failed = sources[sources["source"] == "cec-api"].iloc[0]
    assert failed["status"] == t("source_status.failed", "kk")
    assert failed["problem"] == t("rules.unreachable", "kk", column="", value="ConnectionError")
    assert set(sources[sources["source"] != "cec-api"]["problem"]) == {""}


@pytest.mark.parametrize(("lang", "sep"), [("kk", "\u00a0"), ("en", ",")])
def test_counts_are_written_in_the_page_language(demo_env, lang: str, sep: str):
    """The sources and files tables write their counts as the page's language does (not as bare integers)."""
    at = run_page("data", lang)
    assert not at.exception, at.exception
    sources, files = at.dataframe[0].value, at.dataframe[1].value
    records = store.manifest(store.current())["sources"][0]["records"]
    assert sources["records"][0] == fmt_int(records, lang) and sep in sources["records"][0]
    assert all(any(ch.isdigit() for ch in v) for v in files["rows"])


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_official_parquet_download_says_how_it_is_stored(demo_env, lang: str):
    """The official figures' Parquet file is stored wide: the page says so with the file's own row count."""
    at = run_page("data", lang)
    assert not at.exception, at.exception
    path = store.current() / "protocol_official.parquet"
    file_rows = pl.scan_parquet(path).select(pl.len()).collect().item()
    assert "line" not in pl.read_parquet_schema(path)  # one column per protocol line
    assert t("data.official_parquet", lang, rows=fmt_int(file_rows, lang)) in [c.value for c in at.caption]
    files = at.dataframe[1].value
    assert files.loc[files["file"] == "protocol_official.parquet", "rows"].item() == fmt_int(file_rows, lang)
