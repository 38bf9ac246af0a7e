"""``saylau forensics``: run every screen on a snapshot or on a mapped file and print the figures.

    saylau forensics --snapshot DIR --json
    saylau forensics FILE --mapping MAP.toml [--leader NAME] --json

Without ``--snapshot`` or FILE the current snapshot of ``$SAYLAU_DATA`` is used. Stations
with an observer checklist or a protocol copy count as observed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import polars as pl

from saylau import store
from saylau.forensics import run_all, station_frame
from saylau.forensics.frame import OBSERVER_TABLES, observed_stations
from saylau.forensics.klimek import klimek_fit
from saylau.forensics.shpilkin import PEAK_RULES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command-line options of ``saylau forensics``."""
    parser.add_argument("file", nargs="?", type=Path, help="Result file to read through --mapping.")
    parser.add_argument("--mapping", type=Path, help="Ingest mapping (TOML) for FILE.")
    parser.add_argument("--snapshot", type=Path, help="Snapshot folder (default: the current one).")
    parser.add_argument("--leader", help="Leading option: its votes_* line or its name (default: most votes).")
    parser.add_argument("--rule", choices=PEAK_RULES, default=PEAK_RULES[0], help="Shpilkin clean-peak rule.")
    parser.add_argument("--peak", type=float, help="Fix Shpilkin's clean turnout (in %%) instead of a rule.")
    parser.add_argument("--by-region", action="store_true", help="Add the integer test per region.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")


def _leader_line(name: str | None, options: list[dict[str, Any]]) -> str | None:
    """Resolve ``--leader`` given as a votes_* line or as an option name in any language."""
    if name is None:
        return None
    for option in options:
        if name == option["line"] or name in (option.get(lang) for lang in ("kk", "ru", "en")):
            return option["line"]
    raise SystemExit(f"unknown leader {name!r}; options: {', '.join(o['line'] for o in options)}")


def _from_snapshot(folder: Path) -> tuple[dict[str, pl.LazyFrame], dict[str, Any]]:
    """Canonical tables (lazy) and manifest of a snapshot."""
    tables = {name: store.scan(folder, name) for name in ("protocol_official", "stations", *OBSERVER_TABLES)}
    return tables, store.manifest(folder)


def load_mapped(path: Path, mapping: Path) -> tuple[dict[str, pl.LazyFrame], dict[str, Any]]:
    """Canonical tables (lazy, in memory, no snapshot written) and manifest fields of a mapped file.

    Uses ``saylau.ingest``'s reader, mapping and validation; quarantined records are left out.
    """
    from saylau.ingest import files
    from saylau.ingest.mapping import load_mapping
    from saylau.ingest.pipeline import SourceResult, ingest_raw
    from saylau.profiles import load_profile

    plan = load_mapping(mapping)
    with tempfile.TemporaryDirectory(prefix="saylau-forensics-") as tmp:
        raw = files.read_file(
            path, Path(tmp), encoding=plan.encoding, delimiter=plan.delimiter, sheet=plan.sheet, member=plan.member
        )
        result = ingest_raw(raw, plan, SourceResult(path.name, "file"), "file", None, load_profile())
    if result.status != "ok" or "protocol_official" not in result.tables:
        raise SystemExit(f"{path.name}: no official figures accepted ({result.status}, {result.error or ''})")
    options = [{"line": line, "kk": label, "ru": label, "en": label} for line, label in result.options.items()]
    return {name: df.lazy() for name, df in result.tables.items()}, {"election": {**result.election, "options": options}}


def _print_text(result: dict[str, Any]) -> None:
    """Print the headline figures as short plain text."""
    integer, shp, dig = result["integer_percent"], result["shpilkin"], result["digits"]
    print(f"stations {result['stations']:,} (included {result['included']:,}); leader {result['leader']}")
    print(f"turnout {result['turnout']:.2f} %, leader share {result['leader_share']:.2f} %")
    print(
        f"integer percentages: {integer['observed']:,} observed, {integer['expected']:.1f} expected, "
        f"excess {integer['excess']:.1f} (sd {integer['sd']:.1f})"
    )
    print(
        f"Shpilkin ({shp['rule']}): clean turnout {shp['clean_turnout']:.1f} %, clean leader share "
        f"{shp['clean_leader_share']:.2f} %, excess votes {shp['excess_votes']:,.0f}"
    )
    print(
        f"digits: second-digit mean {dig['second_digit_mean']:.3f} (Benford 4.187), "
        f"0/5 last digits {dig['last_digit_zero_five_share']:.3f} (0.2)"
    )
    if (fit := result["klimek"]) is not None:
        print(
            f"Klimek model fit: f_i {fit['f_i']}, f_e {fit['f_e']}, alpha {fit['alpha']} "
            "(shares of stations the model attributes to anomalies; model-dependent)"
        )
    print("Screening signals, not proof of fraud.")


def run(args: argparse.Namespace) -> int:
    """Run the screens and print the figures; return the exit code."""
    if args.file is not None:
        if args.mapping is None:
            print("FILE needs --mapping MAP.toml", file=sys.stderr)
            return 2
        tables, meta = load_mapped(args.file, args.mapping)
    else:
        folder = args.snapshot or store.current()
        if folder is None:
            print("no snapshot found; pass --snapshot DIR or FILE --mapping MAP.toml", file=sys.stderr)
            return 2
        tables, meta = _from_snapshot(folder)
    options = meta.get("election", {}).get("options", [])
    frame = station_frame(
        tables["protocol_official"], tables["stations"], [o["line"] for o in options], observed_stations(tables)
    ).collect().lazy()
    result = run_all(
        frame, _leader_line(args.leader, options), rule=args.rule, peak=args.peak, by_region=args.by_region
    )
    fit = klimek_fit(frame, result["leader"])
    result["klimek"] = None if fit is None else {"f_i": fit.f_i, "f_e": fit.f_e, "alpha": fit.alpha}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        _print_text(result)
    return 0
