"""Benchmark: full ingest of a 1 M-row official-results CSV beside a plain ``pl.read_csv``.

Generates the CSV in a temporary folder, runs each step in its own subprocess (wall time and
CPU seconds, imports included, and peak RSS from ``getrusage``), alternating the two steps
``RUNS`` times on a machine other jobs share; each run's ratio pairs neighbouring measurements
and the 1-minute load average is kept beside it. CPU seconds (user + system, all threads) are
less disturbed by other jobs than wall time. Prints a markdown table (medians) with the machine and every
run, and writes it to ``benchmarks/ingest.md``. Targets: ingest within 3x of the plain read, < 2 GB.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl
import tomli_w

ROWS = 1_000_000
RUNS = 5
OUT = Path(__file__).with_name("ingest.md")
LINES = ["voters_on_list", "ballots_received", "ballots_issued", "ballots_unused_cancelled", "ballots_in_boxes",
         "ballots_invalid", "ballots_valid"]
OPTIONS = ["Candidate A", "Candidate B", "Candidate C", "Against all"]
MAPPING = {"source": {"table": "official"}, "keys": {"station": ["region", "tec", "uik"], "region": "region", "tec": "tec"},
           "lines": {line: line for line in LINES}, "options": {"after": "ballots_valid"}}
CHILD = """
import json, resource, sys, time
from pathlib import Path
t = time.perf_counter()
if sys.argv[1] == "read":
    import polars as pl
    rows = pl.read_csv(sys.argv[2]).height
else:
    from saylau.ingest import ingest_file
    rows = ingest_file(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])).sources[0].accepted
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"rows": rows, "wall": time.perf_counter() - t, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": usage.ru_maxrss / 1024}))
"""


def generate(path: Path, rows: int = ROWS) -> None:
    """Write a synthetic wide official-results CSV (one row per station)."""
    i = pl.int_range(0, rows, eager=True)
    reg = (i * 7919 % 2500 + 500).cast(pl.Int64)
    issued = reg * 6 // 10
    cols = {"region": (i % 20).cast(pl.String).str.zfill(2), "tec": (i % 400).cast(pl.String), "uik": i.cast(pl.String),
            "voters_on_list": reg, "ballots_received": reg, "ballots_issued": issued, "ballots_unused_cancelled": reg - issued,
            "ballots_in_boxes": issued, "ballots_invalid": issued // 50, "ballots_valid": issued - issued // 50}
    shares = (0.55, 0.25, 0.15)
    votes = [(cols["ballots_valid"] * s).cast(pl.Int64) for s in shares]
    cols.update({name: v for name, v in zip(OPTIONS, votes, strict=False)})
    cols[OPTIONS[-1]] = cols["ballots_valid"] - sum(votes)
    pl.DataFrame(cols).write_csv(path)


def measure(*args: str) -> dict[str, float]:
    """Run one step in a fresh interpreter; return rows, wall and CPU seconds, peak RSS (MB) and the load before it."""
    load = os.getloadavg()[0]
    out = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, check=True)
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "load": load}


def machine() -> str:
    """Describe CPU, cores, RAM and versions."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GB RAM, Python {platform.python_version()}, "
            f"polars {pl.__version__}, {platform.system()} {platform.release()}")


def median(runs: list[dict[str, float]], key: str) -> float:
    """Median of one measured field over the runs."""
    return statistics.median(r[key] for r in runs)


def main() -> int:
    """Generate, measure, print and write the table; exit 1 when a target is missed."""
    reads: list[dict[str, float]] = []
    ingests: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="saylau-bench-") as tmp:
        csv, mapping = Path(tmp) / "official.csv", Path(tmp) / "map.toml"
        generate(csv)
        mapping.write_bytes(tomli_w.dumps(MAPPING).encode())
        size = csv.stat().st_size / 1024**2
        for i in range(RUNS):
            reads.append(measure("read", str(csv)))
            ingests.append(measure("ingest", str(csv), str(mapping), str(Path(tmp) / f"data{i}")))
    ratios = [i["wall"] / r["wall"] for r, i in zip(reads, ingests, strict=True)]
    ratio, peak, read_peak = statistics.median(ratios), max(i["peak_mb"] for i in ingests), max(r["peak_mb"] for r in reads)
    ok = ratio <= 3 and peak < 2048
    table = "\n".join([
        f"# Ingest benchmark\n\n{ROWS:,} stations × {len(LINES) + len(OPTIONS)} lines, CSV {size:.0f} MB "
        f"→ {ROWS * (len(LINES) + len(OPTIONS)):,} `protocol_official` rows.\n\nMachine: {machine()}\n",
        f"Each step runs in a fresh interpreter (imports included), alternating, {RUNS} times on a shared machine; "
        "wall and CPU (user + system, all threads) are medians, peak the largest, the wall ratio the median of "
        "each run's ratio.\n",
        "| step | rows | wall (s) | CPU (s) | peak RSS (MB) | wall ratio | CPU ratio | RSS ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| `pl.read_csv` (types inferred) | {reads[0]['rows']:,} | {median(reads, 'wall'):.2f} | "
        f"{median(reads, 'cpu'):.2f} | {read_peak:.0f} | 1.0 | 1.0 | 1.0 |",
        f"| full ingest (`ingest_file`: read, map, validate, quarantine, snapshot) | {ingests[0]['rows']:,} | "
        f"{median(ingests, 'wall'):.2f} | {median(ingests, 'cpu'):.2f} | {peak:.0f} | {ratio:.1f} | "
        f"{median(ingests, 'cpu') / median(reads, 'cpu'):.1f} | {peak / read_peak:.1f} |",
        "\n| run | load (1 min) before read / ingest | `pl.read_csv` wall / CPU (s) | ingest wall / CPU (s) | ratio |",
        "|---:|---:|---:|---:|---:|",
        *(f"| {n} | {r['load']:.2f} / {i['load']:.2f} | {r['wall']:.2f} / {r['cpu']:.2f} | {i['wall']:.2f} / {i['cpu']:.2f} "
          f"| {x:.1f} |" for n, (r, i, x) in enumerate(zip(reads, ingests, ratios, strict=True), start=1)),
        f"\nTargets: within 3x of the plain read ({'met' if ratio <= 3 else 'missed'}), peak under 2 GB "
        f"({'met' if peak < 2048 else 'missed'}).\n",
    ])
    print(table)
    OUT.write_text(table, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
