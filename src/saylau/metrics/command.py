"""``saylau metrics``: compute every metrics table of a snapshot; print a summary or write Parquet.

``saylau metrics --snapshot DIR --json`` prints the national summary as JSON;
``saylau metrics --snapshot DIR --out OUT`` writes one ``<table>.parquet`` per metrics table.
Without ``--snapshot`` the current snapshot of the data folder is used.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

from saylau import store
from saylau.metrics import compute_all
from saylau.profiles import load_profile

JSON_INDENT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the sub-command's options."""
    parser.add_argument("--snapshot", type=Path, help="snapshot folder (default: the current one)")
    parser.add_argument("--region", help="keep only this region code")
    parser.add_argument("--json", action="store_true", help="print the national summary as JSON")
    parser.add_argument("--out", type=Path, help="write every metrics table as Parquet into this folder")


def national_summary(tables: dict[str, pl.DataFrame]) -> dict[str, Any]:
    """Return the national summary as plain JSON-ready values, with official shares per option."""
    summary = tables["summary"].row(0, named=True) if tables["summary"].height else {}
    national = tables["results"].filter(pl.col("scope") == "national")
    summary["result"] = dict(zip(national["option"], national["total_official_share"], strict=True))
    return summary


def run(args: argparse.Namespace) -> int:
    """Compute the metrics of one snapshot; return 0 on success, 2 when there is no snapshot."""
    snapshot = args.snapshot or store.current()
    if snapshot is None:
        print("no snapshot found", file=sys.stderr)
        return 2
    manifest = store.manifest(snapshot)
    out = compute_all(store.scan_stored_tables(snapshot), load_profile(manifest["profile"]), manifest["election"],
                      region=args.region)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, frame in out.items():
            frame.write_parquet(args.out / f"{name}.parquet")
    if args.json or not args.out:
        print(json.dumps(national_summary(out), ensure_ascii=False, indent=JSON_INDENT))
    return 0
