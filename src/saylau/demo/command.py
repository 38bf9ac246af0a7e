"""``saylau demo``: write a seeded synthetic election as a snapshot and print a short summary."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import polars as pl

from saylau import geo, store
from saylau.demo.generator import generate
from saylau.profiles import load_profile

DEFAULT_SEED = 2026
DEFAULT_PROFILE = "kz"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``saylau demo``."""
    parser.add_argument("--out", type=Path, required=True, help="data root (gets snapshots/<id>/ and current)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (same seed, same bytes)")
    parser.add_argument("--scale", type=float, default=1.0, help="size relative to the real country (1 ≈ 10,300 stations)")
    parser.add_argument("--kind", choices=sorted(load_profile(DEFAULT_PROFILE).elections), default="referendum")


def run(args: argparse.Namespace) -> int:
    """Generate the demo, write it as the current snapshot and print stations, voters, turnout and time."""
    if args.scale <= 0:
        raise SystemExit("saylau demo: --scale must be positive")
    started = time.perf_counter()
    cache = Path(args.out) / geo.CACHE_FOLDER
    demo = generate(seed=args.seed, scale=args.scale, kind=args.kind, profile_code=DEFAULT_PROFILE, cache_dir=cache)
    path = store.write_snapshot(
        demo.tables,
        demo.meta,
        root=args.out,
        snapshot_id=f"demo-{args.kind}-s{args.seed}-x{args.scale:g}",
        extra={"truth": demo.truth},
        validated=True,
    )
    registered = int(demo.tables["stations"]["registered_voters"].sum())
    issued = int(
        demo.tables["protocol_official"]
        .filter((pl.col("snapshot_id") == "final") & (pl.col("line") == "ballots_issued"))["value"]
        .sum()
    )
    print(
        f"{path.name}: {demo.tables['stations'].height:,} stations, {registered:,} registered, "
        f"turnout {issued / max(registered, 1):.1%}, {time.perf_counter() - started:.1f} s → {path}"
    )
    return 0
