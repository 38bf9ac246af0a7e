"""Data & methods: data version and sources, file hashes, downloads, quarantine, revisions,
the data dictionary, the methodology of every metric, licence and privacy.

Every CSV offered here is formula-escaped (``csv_bytes``); Parquet downloads are the exact
files of the snapshot, so their SHA-256 matches the manifest. Input text (quarantined raw
values, source names) is shown only in dataframes.
"""

from importlib import resources
from io import BytesIO

import polars as pl
import streamlit as st

from saylau import schema, store
from saylau.i18n import catalogue, fmt_dt, fmt_int, t, t_code
from saylau.ingest.quarantine import csv_bytes
from saylau.views import cached, chrome
from saylau.views import station_data as sd

CONTENT = "content"
METHODS_FILE = "methods.md"
CURRENT_MARK = "✓"

lang = chrome.lang()
sid = chrome.require_data(lang)
man = cached.manifest(sid)
tables = cached.tables(sid)
prof = cached.profile(sid)


def column(label_key: str, right: bool = False) -> st.column_config.Column:
    """Return a translated dataframe column, right-aligned for figures."""
    return st.column_config.Column(t(label_key, lang), alignment="right" if right else None)


def csv_button(frame: pl.DataFrame, stem: str, label_key: str = "data.csv") -> None:
    """Offer a frame as a formula-escaped CSV named after the data version."""
    st.download_button(t(label_key, lang), data=lambda: csv_bytes(frame), file_name=f"saylau_{stem}_{sid}.csv",
                       mime="text/csv", key=f"csv-{stem}", on_click="ignore", icon=":material/download:")


def parquet_bytes(name: str) -> bytes:
    """Return the snapshot's Parquet file of a table as stored (an empty table when the file is absent)."""
    path = cached.snapshot_dir() / f"{name}.parquet"
    if path.exists():
        return path.read_bytes()
    buffer = BytesIO()
    schema.empty(name).write_parquet(buffer)
    return buffer.getvalue()


def rule_message(rule_id: str, column_name: str | None, value: str | None, english: str) -> str:
    """Return a quarantine message in the interface language (the stored English one for an unknown rule)."""
    key = f"rules.{rule_id}"
    return t(key, lang, column=column_name or "", value=value or "") if key in catalogue("en") else english


def source_problem(source: dict) -> str:
    """Return why a source failed, in the interface language (as stored when its manifest predates translation)."""
    if not source.get("rule_id"):
        return ""
    if source.get("error_value") is None:
        return source.get("error") or ""
    return rule_message(source["rule_id"], None, source["error_value"], source.get("error") or "")


st.title(t("nav.data", lang))
st.write(t("data.intro", lang))

# --- data version and sources -----------------------------------------------------------------
st.header(t("data.version_header", lang), anchor="version")
election = man.get("election", {})
st.caption(t("data.version_facts", lang, version=sid, created=fmt_dt(man.get("created_at"), lang),
             schema=man.get("schema_version", "—"), profile=man.get("profile", "—"),
             status=t(f"status.{election.get('status', 'provisional')}", lang)))
st.subheader(t("data.sources_header", lang))
sources = pl.DataFrame(
    [{"source": s.get("name"), "kind": s.get("kind"), "retrieved_at": fmt_dt(s.get("retrieved_at"), lang),
      **{n: fmt_int(s.get(n), lang) for n in ("records", "accepted", "quarantined")},
      "status": t_code("source_status", s.get("status") or "ok", lang),
      "problem": source_problem(s)}
     for s in man.get("sources", [])],
    schema={"source": pl.String, "kind": pl.String, "retrieved_at": pl.String, "records": pl.String,
            "accepted": pl.String, "quarantined": pl.String, "status": pl.String, "problem": pl.String},
)
st.dataframe(sources, hide_index=True, width="stretch", column_config={
    "source": column("data.col_source"), "kind": column("data.col_kind"), "retrieved_at": column("data.col_retrieved"),
    "records": column("data.col_records", right=True), "accepted": column("data.col_accepted", right=True),
    "quarantined": column("data.col_quarantined", right=True), "status": column("data.col_status"),
    "problem": st.column_config.Column(t("data.col_problem", lang), width="large"),
})
st.subheader(t("data.files_header", lang))
st.caption(t("data.files_help", lang))
files = pl.DataFrame(
    [{"file": name, "rows": fmt_int(info.get("rows"), lang), "sha256": info.get("sha256")} for name, info in man.get("files", {}).items()],
    schema={"file": pl.String, "rows": pl.String, "sha256": pl.String},
)
st.dataframe(files, hide_index=True, width="stretch", column_config={
    "file": column("data.col_file"), "rows": column("data.col_rows", right=True), "sha256": column("data.col_sha"),
})
st.subheader(t("data.snapshots_header", lang))
snapshots = pl.DataFrame(
    [{"snapshot_id": m.get("snapshot_id"), "created_at": fmt_dt(m.get("created_at"), lang),
      "status": t(f"status.{m.get('election', {}).get('status', 'provisional')}", lang),
      "sources": ", ".join(s.get("name", "") for s in m.get("sources", [])),
      "current": CURRENT_MARK if m.get("snapshot_id") == sid else ""}
     for m in reversed(store.list_snapshots())],
    schema={"snapshot_id": pl.String, "created_at": pl.String, "status": pl.String, "sources": pl.String, "current": pl.String},
)
st.dataframe(snapshots, hide_index=True, width="stretch", column_config={
    "snapshot_id": column("data.col_snapshot"), "created_at": column("data.col_created"),
    "status": column("data.col_status"), "sources": column("data.col_sources"), "current": column("data.col_current"),
})

# --- downloads --------------------------------------------------------------------------------
st.header(t("data.downloads_header", lang), anchor="downloads")
st.caption(t("data.downloads_help", lang))
for name in schema.TABLES:
    cols = st.columns([4, 1, 1])
    cols[0].write(t("data.table_line", lang, table=name, description=t(f"data.table_{name}", lang),
                    rows=fmt_int(tables[name].height, lang)))
    cols[1].download_button(t("data.csv", lang), data=lambda name=name: csv_bytes(tables[name]),
                            file_name=f"saylau_{name}_{sid}.csv", mime="text/csv", key=f"dl-csv-{name}",
                            on_click="ignore", icon=":material/download:")
    cols[2].download_button(t("data.parquet", lang), data=lambda name=name: parquet_bytes(name),
                            file_name=f"{name}.parquet", mime="application/vnd.apache.parquet", key=f"dl-pq-{name}",
                            on_click="ignore", icon=":material/download:")
    if name == store.OFFICIAL and man.get("schema_version", 0) >= store.WIDE_SINCE:
        stored = man.get("files", {}).get(f"{name}.parquet", {}).get("rows")
        cols[0].caption(t("data.official_parquet", lang, rows=fmt_int(stored, lang)))

# --- quarantine -------------------------------------------------------------------------------
st.header(t("data.quarantine_header", lang), anchor="quarantine")
st.caption(t("data.quarantine_help", lang))
quarantine = tables["quarantine"]
if quarantine.height == 0:
    st.success(t("data.quarantine_empty", lang))
cols = st.columns(2)
chosen_sources = cols[0].multiselect(t("data.filter_source", lang), sorted(quarantine["source"].unique().to_list()),
                                     key="q_source", placeholder=t("data.filter_all", lang))
chosen_rules = cols[1].multiselect(t("data.filter_rule", lang), sorted(quarantine["rule_id"].unique().to_list()),
                                   key="q_rule", placeholder=t("data.filter_all", lang))
shown = quarantine.filter(
    pl.col("source").is_in(chosen_sources or quarantine["source"].unique().to_list()),
    pl.col("rule_id").is_in(chosen_rules or quarantine["rule_id"].unique().to_list()),
)
shown = shown.with_columns(pl.Series("message", [rule_message(*row) for row in shown.select(
    "rule_id", "column", "raw_value", "message").iter_rows()], dtype=pl.String))
st.caption(t("data.quarantine_shown", lang, shown=fmt_int(shown.height, lang), total=fmt_int(quarantine.height, lang)))
st.dataframe(shown, hide_index=True, width="stretch", column_config={
    "source": column("data.col_source"), "record_no": column("data.col_record", right=True),
    "column": column("data.col_column"), "rule_id": column("data.col_rule"), "raw_value": column("data.col_raw"),
    "message": column("data.col_message"),
})
csv_button(shown, "quarantine", "data.quarantine_csv")

# --- revisions --------------------------------------------------------------------------------
st.header(t("data.revisions_header", lang), anchor="revisions")
st.caption(t("data.revisions_help", lang))
revisions = cached.revisions(sid)
line_names = {x.code: x.names.get(lang) for x in prof.lines} | {
    o["line"]: o.get(lang) or o.get("en") or o["line"] for o in election.get("options", [])
}
if revisions.height:
    st.caption(t("data.revisions_count", lang, rows=fmt_int(revisions.height, lang),
                 stations=fmt_int(revisions["station_id"].n_unique(), lang)))
    pubs = {p: t_code("publication", p, lang) for p in {*revisions["old_snapshot_id"], *revisions["new_snapshot_id"]}}
    revisions_shown = sd.relabel(revisions, {"line": line_names, "old_snapshot_id": pubs, "new_snapshot_id": pubs})
    st.dataframe(revisions_shown, hide_index=True, width="stretch", column_config={
        "station_id": column("data.col_station"), "line": column("data.col_line"),
        "old_value": column("data.col_old", right=True), "new_value": column("data.col_new", right=True),
        "old_snapshot_id": column("data.col_from"), "new_snapshot_id": column("data.col_to"),
        "revised_at": st.column_config.DatetimeColumn(t("data.col_revised_at", lang), format="YYYY-MM-DD HH:mm"),
    })
else:
    st.info(t("data.revisions_empty", lang))
csv_button(revisions, "revisions", "data.revisions_csv")

# --- data dictionary --------------------------------------------------------------------------
st.header(t("data.dictionary_header", lang), anchor="dictionary")
st.caption(t("data.dictionary_help", lang))
for name in schema.TABLES:
    with st.expander(f"{name} — {t(f'data.table_{name}', lang)}"):
        docs = schema.field_docs(name)
        types = schema.empty(name).schema
        st.dataframe(
            pl.DataFrame({"field": list(docs), "type": [str(types[f]) for f in docs], "description": list(docs.values())}),
            hide_index=True, width="stretch",
            column_config={"field": column("data.col_field"), "type": column("data.col_type"),
                           "description": column("data.col_description")},
        )

# --- methods, licence and privacy (our own trusted Markdown) ---------------------------------
st.header(t("data.methods_header", lang), anchor="methods")
st.markdown(resources.files("saylau").joinpath(CONTENT, lang, METHODS_FILE).read_text("utf-8"))
