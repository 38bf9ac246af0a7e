"""A 200 MB CSV is scanned, not loaded: only mapped columns are materialised (bounded memory)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import tomli_w

TARGET_BYTES = 200 * 1024**2
CHUNK_ROWS = 100_000
NOTE = "x" * 300  # a wide column the mapping ignores (like the 'url' column of CIK exports)
PEAK_LIMIT_MB = 900
MAPPING = {"source": {"table": "official"}, "keys": {"station": ["region", "uik"]},
           "lines": {"voters_on_list": "Registered", "ballots_issued": "Issued"}, "options": {"columns": ["Yes", "No"]}}
CHILD = """
import json, resource, sys
from pathlib import Path
from saylau.ingest import ingest_file
src = ingest_file(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])).sources[0]
print(json.dumps({"records": src.records, "accepted": src.accepted,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_big_csv(path: Path) -> int:
    rows = 0
    with path.open("wb") as f:
        f.write(b"region,uik,Registered,Issued,Yes,No,note\n")
        while f.tell() < TARGET_BYTES:
            i = pl.int_range(rows, rows + CHUNK_ROWS, eager=True)
            pl.DataFrame({"region": (i % 20).cast(pl.String), "uik": i.cast(pl.String), "Registered": (i % 3000),
                          "Issued": (i % 2000), "Yes": (i % 1000), "No": (i % 900), "note": NOTE}).write_csv(f, include_header=False)
            rows += CHUNK_ROWS
    return rows


@pytest.mark.slow
def test_200mb_csv_streams_with_bounded_memory(tmp_path):
    rows = write_big_csv(tmp_path / "big.csv")
    assert (tmp_path / "big.csv").stat().st_size >= TARGET_BYTES
    (tmp_path / "m.toml").write_bytes(tomli_w.dumps(MAPPING).encode())
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "big.csv"), str(tmp_path / "m.toml"),
                          str(tmp_path / "data")], capture_output=True, text=True, check=True, timeout=120)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["records"] == result["accepted"] == rows
    assert result["peak_mb"] < PEAK_LIMIT_MB, result
