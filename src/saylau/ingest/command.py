"""``saylau ingest``: load the sources of a sources.toml, or one file with one mapping.

    saylau ingest --config sources.toml [--data DIR]
    saylau ingest FILE --mapping MAP.toml --out DIR [--json]

Prints a progress bar on stderr and a summary table per source (records, accepted,
quarantined, status); the exit code is 1 when any source failed, even if others landed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polars as pl

from saylau import store
from saylau.ingest.pipeline import RunResult, SourceSpec, load_sources, run_sources

BAR_WIDTH = 30
COLUMNS = ("name", "table", "records", "accepted", "quarantined", "status")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``saylau ingest``."""
    parser.add_argument("file", nargs="?", type=Path, help="one local file to ingest (with --mapping)")
    parser.add_argument("--config", type=Path, help="sources.toml listing the deployment's sources")
    parser.add_argument("--mapping", type=Path, help="mapping TOML for FILE")
    parser.add_argument("--data", "--out", dest="data", type=Path, help="data folder (default $SAYLAU_DATA or ./data)")
    parser.add_argument("--profile", help="country profile code (default: [settings] profile, else kz)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")


def progress_bar(done: int, total: int, name: str) -> None:
    """Draw a one-line progress bar on stderr."""
    filled = BAR_WIDTH * done // max(total, 1)
    end = "\n" if done == total else ""
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {name[:40]:<40}{end}")
    sys.stderr.flush()


def summary_table(result: RunResult) -> str:
    """Return a plain-text table with one line per source."""
    rows = [[str(s.summary()[c]) for c in COLUMNS] for s in result.sources]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(COLUMNS)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*COLUMNS), fmt.format(*("-" * w for w in widths)), *(fmt.format(*r) for r in rows)]
    lines += [f"  {s.name}: {s.error}" for s in result.sources if s.error]
    lines.append(f"snapshot: {result.snapshot.name if result.snapshot else 'none (current snapshot unchanged)'}")
    return "\n".join(lines)


def totals(result: RunResult) -> dict[str, object]:
    """Return the JSON summary: counts, snapshot, stations, registered and issued voters."""
    out: dict[str, object] = {
        k: sum(getattr(s, k) for s in result.sources) for k in ("records", "accepted", "quarantined")
    }
    out["snapshot"] = result.snapshot.name if result.snapshot else None
    out["sources"] = [s.summary() for s in result.sources]
    if result.snapshot is not None:
        latest = store.latest_official(store.scan(result.snapshot, "protocol_official"))
        sums = latest.group_by("line").agg(pl.col("value").cast(pl.UInt64).sum()).collect()
        by_line = dict(zip(sums["line"], sums["value"], strict=True))
        out["stations"] = store.scan(result.snapshot, "stations").select(pl.len()).collect().item()
        out["registered"] = by_line.get("voters_on_list", 0)
        out["issued"] = by_line.get("ballots_issued", 0)
    return out


def run(args: argparse.Namespace) -> int:
    """Run the ingest; return 0 when every source landed, 1 otherwise, 2 on bad usage."""
    root = args.data or store.data_root()
    if args.config:
        specs, settings = load_sources(args.config)
    elif args.file and args.mapping:
        specs, settings = [SourceSpec(args.file.name, "file", str(args.file.resolve()), args.mapping)], {}
    else:
        sys.stderr.write("saylau ingest: give --config sources.toml, or FILE --mapping MAP.toml\n")
        return 2
    profile = args.profile or settings.get("profile", "kz")
    result = run_sources(specs, Path(root), profile, progress=None if args.json else progress_bar)
    print(json.dumps(totals(result), ensure_ascii=False) if args.json else summary_table(result))
    return 1 if result.failed else 0
