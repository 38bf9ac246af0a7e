"""Data functions for the Data & methods page: sources per snapshot, quarantine, rule texts."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from saylau import store
from saylau.ingest.quarantine import RULES

SOURCE_COLUMNS = {"snapshot_id": pl.String, "created_at": pl.String, "current": pl.Boolean, "name": pl.String,
                  "kind": pl.String, "table": pl.String, "status": pl.String, "retrieved_at": pl.String,
                  "records": pl.Int64, "accepted": pl.Int64, "quarantined": pl.Int64, "rule_id": pl.String,
                  "error": pl.String}


def list_sources(root: Path | None = None) -> pl.DataFrame:
    """One row per snapshot and source (newest snapshot first), with counts and status."""
    snap = store.current(root)
    rows = [
        {**{k: src.get(k) for k in SOURCE_COLUMNS}, "snapshot_id": man["snapshot_id"], "created_at": man["created_at"],
         "current": snap is not None and man["snapshot_id"] == snap.name}
        for man in reversed(store.list_snapshots(root))
        for src in man.get("sources", [])
    ]
    return pl.DataFrame(rows, schema=SOURCE_COLUMNS)


def quarantine_rows(snapshot: Path | None = None, root: Path | None = None, source: str | None = None) -> pl.DataFrame:
    """Quarantine rows of a snapshot (default: current), optionally of one source."""
    snap = snapshot or store.current(root)
    if snap is None:
        return store.schema.empty("quarantine")
    lf = store.scan(snap, "quarantine")
    return (lf.filter(pl.col("source") == source) if source else lf).sort("source", "record_no").collect()


def rule_texts() -> pl.DataFrame:
    """Every rule id with its English message template (the UI translates by rule_id)."""
    return pl.DataFrame({"rule_id": list(RULES), "template": list(RULES.values())})
