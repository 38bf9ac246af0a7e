"""Benchmark every forensic screen on seeded synthetic stations (default 100 k, target < 1 s).

Builds a station frame with ``saylau.forensics.synthetic`` (10 % stuffed, 1 % rounded), runs
each method once to warm up, then times ``REPEATS`` runs and keeps the median; the cold
first run is reported too. Prints a Markdown table with the machine and writes it to
``benchmarks/forensics.md``.

    .venv/bin/python benchmarks/bench_forensics.py [--stations 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from saylau import forensics
from saylau.forensics.klimek import klimek_fit
from saylau.forensics.synthetic import OPTIONS, synthetic_stations

REPORT = Path(__file__).resolve().parent / "forensics.md"
REPEATS = 5
TARGET_SECONDS = 1.0
LEADER = OPTIONS[0]


def methods(frame: pl.LazyFrame) -> dict[str, Callable[[], object]]:
    """Every screen as a zero-argument call on the same frame."""
    return {
        "integer percentages, national and by region (exact null)": lambda: forensics.integer_percent_tables(
            frame, LEADER, "region_code"
        ),
        "0.1 pp histograms (turnout, share)": lambda: [
            forensics.histogram(frame, LEADER, v) for v in ("turnout", "leader_share")
        ],
        "1 pp fingerprint": lambda: forensics.fingerprint(frame, LEADER),
        "votes by turnout + Shpilkin": lambda: (
            forensics.votes_by_turnout(frame, list(OPTIONS)),
            forensics.shpilkin(frame, LEADER),
        ),
        "digit tests (1000 bootstrap)": lambda: forensics.digit_tests(frame, list(OPTIONS)),
        "observed vs unobserved": lambda: forensics.observed_comparison(frame, LEADER),
        "Klimek et al. model fit (grid search)": lambda: klimek_fit(frame, LEADER),
    }


def timed(call: Callable[[], object]) -> float:
    """Wall seconds of one call."""
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> int:
    """Run the benchmark, print the table and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    frame = synthetic_stations(args.stations, seed=args.seed, stuffed=0.1, rounded=0.01).lazy()
    calls = methods(frame)
    rows = []
    for name, call in calls.items():
        cold = timed(call)
        rows.append((name, cold, statistics.median(timed(call) for _ in range(REPEATS))))
    total_cold = timed(lambda: [c() for c in calls.values()])
    total = statistics.median(timed(lambda: [c() for c in calls.values()]) for _ in range(REPEATS))
    cpu_start = time.process_time()
    for call in calls.values():
        call()
    cpu = time.process_time() - cpu_start
    verdict = "PASS" if total < TARGET_SECONDS else "FAIL"
    lines = [
        "# Forensics benchmark",
        "",
        f"{args.stations:,} synthetic stations (seed {args.seed}); median of {REPEATS} warm runs.",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.processor() or platform.platform()}, "
        f"Python {platform.python_version()}, polars {pl.__version__}.",
        "",
        "| method | first run (s) | median (s) |",
        "|---|---:|---:|",
        *(f"| {name} | {cold:.3f} | {warm:.3f} |" for name, cold, warm in rows),
        f"| **all methods** | {total_cold:.3f} | **{total:.3f}** |",
        "",
        f"Process CPU time of one warm run of all methods: {cpu:.3f} s. Load average when measured: "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (other jobs share the machine; wall times rise with it).",
        "",
        f"Target: all methods under {TARGET_SECONDS:.0f} s: **{verdict}**.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    REPORT.write_text(text, encoding="utf-8")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
