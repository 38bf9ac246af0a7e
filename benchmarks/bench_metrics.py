"""Benchmark ``saylau.metrics.compute_all`` against a straightforward pandas reference.

For each scale (1 ≈ 10 k stations, 10 ≈ 100 k, 100 ≈ 1 M) a demo snapshot is written with
``saylau demo`` (to a temporary folder, or once into ``--demos DIR`` and reused from there);
then, each in a fresh subprocess so peak memory (``ru_maxrss``) is its own: (a) the full
``compute_all`` from Parquet (reading counts) and (b) the pandas reference of the discrepancy
and violation-rate metrics from the same files. Library imports happen before the clock starts.
Prints a Markdown table with the machine, writes it to ``benchmarks/metrics.md`` and exits 1 if a
target is missed.

    .venv/bin/python benchmarks/bench_metrics.py [--scales 1 10 100] [--seed 2026] [--pandas-up-to 10] [--demos DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORT = HERE / "metrics.md"
KIB_PER_MIB = 1024
FULL_SCALE_STATIONS = 900_000  # the time and memory targets are for about 1 M stations (scale 100)
TARGET_SECONDS = 2.0
TARGET_MIB = 2048
TARGET_SPEEDUP = 10.0
ENGINES = ("polars", "pandas")


def _cpu_seconds() -> float:
    """User plus system CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(engine: str, snapshot: Path) -> dict[str, float]:
    """Run one engine on a snapshot in this process; return wall and CPU seconds, peak MiB, load before."""
    from saylau import store
    from saylau.profiles import load_profile

    manifest = store.manifest(snapshot)
    profile = load_profile(manifest["profile"])
    if engine == "polars":
        from saylau.metrics import compute_all
    else:
        sys.path.insert(0, str(HERE))
        import pandas_reference
    load, start, cpu = os.getloadavg()[0], time.perf_counter(), _cpu_seconds()
    if engine == "polars":
        out = compute_all(store.scan_stored_tables(snapshot), profile, manifest["election"])
        rows = out["station_discrepancy"].height
    else:
        names = ("stations", "protocol_official", "protocol_copies", "checklists")
        tables = pandas_reference.read_tables(snapshot, names)
        rows = len(pandas_reference.discrepancy(tables, profile, manifest["election"])["stations"])
        pandas_reference.violations(tables, profile)
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KIB_PER_MIB
    return {"seconds": seconds, "cpu": cpu, "peak_mib": peak, "stations": rows, "load": load}


def snapshot_for(scale: float, seed: int, folder: Path) -> Path:
    """Return the demo snapshot of a scale under ``folder``, generating it the first time."""
    root = folder / f"s{seed}-x{scale:g}"
    found = sorted((root / "snapshots").glob("*/manifest.json")) if root.exists() else []
    if not found:
        _subprocess(["-m", "saylau.cli", "demo", "--out", str(root), "--seed", str(seed), "--scale", str(scale)])
        found = sorted((root / "snapshots").glob("*/manifest.json"))
    return found[0].parent


def _subprocess(args: list[str]) -> str:
    """Run this script (or the CLI) in a fresh interpreter and return its stdout."""
    done = subprocess.run([sys.executable, *args], check=True, capture_output=True, text=True, env=os.environ)
    return done.stdout


def machine() -> str:
    """Describe the machine: CPU model, cores, RAM, Python and library versions."""
    import numpy
    import pandas
    import polars

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem = next((int(ln.split()[1]) // (KIB_PER_MIB * KIB_PER_MIB) for ln in Path("/proc/meminfo").read_text().splitlines()
                if ln.startswith("MemTotal")), 0)
    load = os.getloadavg()[0]
    return (f"CPU {cpu}, {os.cpu_count()} cores, {mem} GiB RAM, load average {load:.1f} at start; "
            f"Python {platform.python_version()}, polars {polars.__version__}, pandas {pandas.__version__}, "
            f"numpy {numpy.__version__}")


def main() -> int:
    """Generate snapshots, measure both engines per scale, print and write the Markdown report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine; the best is reported")
    parser.add_argument("--pandas-up-to", type=float, default=float("inf"),
                        help="skip the pandas reference above this scale (it takes ~10 min at 1 M stations)")
    parser.add_argument("--demos", type=Path, help="keep demo snapshots in this folder and reuse them")
    parser.add_argument("--measure", nargs=2, metavar=("ENGINE", "SNAPSHOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return 0
    header = machine()
    rows = ["| scale | stations | load (1 min) | polars s | polars CPU s | polars peak MiB | pandas s | pandas CPU s | "
            "pandas peak MiB | speed-up |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    missed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="saylau-bench-") as tmp:
        for scale in args.scales:
            snapshot = snapshot_for(scale, args.seed, args.demos or Path(tmp))
            engines = [e for e in ENGINES if e == "polars" or scale <= args.pandas_up_to]
            runs = {
                engine: [json.loads(_subprocess([__file__, "--measure", engine, str(snapshot)]))
                         for _ in range(args.repeat)]
                for engine in engines
            }
            best = {engine: min(found, key=lambda r: r["seconds"]) for engine, found in runs.items()}
            loads = [r["load"] for found in runs.values() for r in found]
            pol, pan = best["polars"], best.get("pandas")
            versus = (f"{pan['seconds']:.2f} | {pan['cpu']:.2f} | {pan['peak_mib']:.0f} | "
                      f"{pan['seconds'] / max(pol['seconds'], 1e-9):.1f}×" if pan else "not run | — | — | —")
            rows.append(f"| {scale:g} | {pol['stations']:,} | {min(loads):.1f}–{max(loads):.1f} | "
                        f"{pol['seconds']:.2f} | {pol['cpu']:.2f} | {pol['peak_mib']:.0f} | {versus} |")
            print(rows[-1], flush=True)
            missed += misses(pol, pan)
    report = "\n".join([
        "# Metrics benchmark",
        "",
        f"Machine: {header}.",
        "",
        "Polars = the full `compute_all` (every contract table) from the snapshot's Parquet files; "
        "pandas = `benchmarks/pandas_reference.py` (discrepancy classes and the four checklist "
        "violation-rate tables only) from the same files. Both times include reading the Parquet "
        "files and exclude interpreter start-up and library imports. Best of "
        f"{args.repeat} runs by wall time, each in a fresh process; CPU s = user + system CPU of that "
        "run (on a shared machine it moves less than wall time); peak = `ru_maxrss`; load = the range "
        "of the 1-minute load average at the start of the scale's runs (2 cores). Targets: 1 M stations in "
        f"< {TARGET_SECONDS:g} s and < {TARGET_MIB} MiB, ≥ {TARGET_SPEEDUP:g}× the pandas reference.",
        "",
        *rows,
        "",
        f"Targets missed: {'; '.join(missed)}." if missed else "Every target measured here is met.",
        "",
    ])
    print(report)
    REPORT.write_text(report, encoding="utf-8")
    return 1 if missed else 0


def misses(polars: dict[str, float], pandas: dict[str, float] | None) -> list[str]:
    """Name the targets one scale's best runs miss: speed-up where pandas ran, time and memory from 1 M stations."""
    out = []
    if pandas and pandas["seconds"] / max(polars["seconds"], 1e-9) < TARGET_SPEEDUP:
        out.append(f"≥ {TARGET_SPEEDUP:g}× pandas at {polars['stations']:,} stations")
    if polars["stations"] >= FULL_SCALE_STATIONS:
        if polars["seconds"] >= TARGET_SECONDS:
            out.append(f"< {TARGET_SECONDS:g} s at {polars['stations']:,} stations ({polars['seconds']:.2f} s)")
        if polars["peak_mib"] >= TARGET_MIB:
            out.append(f"< {TARGET_MIB} MiB at {polars['stations']:,} stations ({polars['peak_mib']:.0f} MiB)")
    return out


if __name__ == "__main__":
    sys.exit(main())
