"""Check the forensic screens against published figures on the real Russian 2011 and 2012 files.

Reads ``../shared/validation/data/{2011,2012}.csv.zip`` (or ``$SAYLAU_VALIDATION_DATA``),
turns each into the canonical long tables (``protocol_official``, ``stations``), builds the
station frame with ``saylau.forensics.station_frame`` and prints our value beside the
published one for every row of the validation table, with PASS/FAIL. When the files are
absent it says so and exits 0; the project tests never need them.

    .venv/bin/python scripts/validate_forensics.py
"""

from __future__ import annotations

import os
import sys
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from saylau.forensics import integer_percent, shpilkin, station_frame, summary
from saylau.forensics.klimek import KlimekFit, klimek_fit

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SAYLAU_VALIDATION_DATA", Path(__file__).resolve().parents[2] / "shared/validation/data"))
REGISTERED_PREFIX = "Число избирателей, "
ISSUED_PREFIX = "Число избирательных бюллетеней, выданных"
VALID = "Число действительных избирательных бюллетеней"
INVALID = "Число недействительных избирательных бюллетеней"
FIRST_OPTION_AFTER = "Число избирательных бюллетеней, не учтенных при получении"
PP_TOLERANCE = 0.01
EXCESS_TOLERANCE = 15
CLEAN_TOLERANCE = 1.0
F_I_TOLERANCE = 0.1
F_E_FACTOR = 2.0
PUBLISHED_AT = datetime(2012, 3, 10, tzinfo=UTC)


@dataclass(frozen=True)
class Election:
    """One validation file, its leader column and the published figures."""

    year: int
    leader: str
    stations: int
    registered: int
    turnout: float
    leader_share: float
    integer_excess: float
    clean_share: float | None


ELECTIONS = (
    Election(2011, '6. Всероссийская политическая партия ""ЕДИНАЯ РОССИЯ""', 95_225, 109_229_337, 60.21, 49.31, 1003.5, None),
    Election(2012, "Путин Владимир Владимирович", 95_415, 109_860_331, 65.34, 63.60, 1159.6, 57.5),
)
# Klimek et al. (PNAS 2012) fits as quoted by Kobak: f_i, f_e, alpha
KLIMEK = {2011: (0.64, 0.033, 2.3), 2012: (0.39, 0.021, 1.5)}


def unquote(label: str) -> str:
    """Collapse the doubled quotes the Russian files carry inside some headers."""
    return label.replace('""', '"')


def read_canonical(path: Path) -> tuple[pl.LazyFrame, pl.LazyFrame, dict[str, str]]:
    """Minimal reader: a Russian UIK file as canonical long tables plus {option line: column}."""
    with zipfile.ZipFile(path) as zf:
        raw = pl.read_csv(zf.read(zf.namelist()[0]))
    columns = raw.columns
    first = columns.index(FIRST_OPTION_AFTER) + 1
    options = {f"votes_{i + 1}": name for i, name in enumerate(columns[first : columns.index("url")])}
    registered = next(c for c in columns if c.startswith(REGISTERED_PREFIX))
    wide = raw.select(
        pl.concat_str("region", "tik", "uik", separator="|").alias("station_id"),
        pl.col("region").alias("region_code"),
        pl.col(registered).alias("voters_on_list"),
        pl.sum_horizontal(c for c in columns if c.startswith(ISSUED_PREFIX)).alias("ballots_issued"),
        pl.col(VALID).alias("ballots_valid"),
        pl.col(INVALID).alias("ballots_invalid"),
        *(pl.col(name).alias(line) for line, name in options.items()),
    )
    official = wide.drop("region_code").unpivot(index="station_id", variable_name="line").with_columns(
        pl.lit("final").alias("snapshot_id"), pl.lit(PUBLISHED_AT).alias("published_at")
    )
    return official.lazy(), wide.select("station_id", "region_code").lazy(), options


def read_mapped(path: Path, year: int) -> tuple[pl.LazyFrame, pl.LazyFrame, dict[str, str]] | None:
    """The same tables through ``saylau.ingest`` and ``examples/ru{year}.toml``, when both exist."""
    mapping = ROOT / "examples" / f"ru{year}.toml"
    try:
        from saylau.forensics.command import load_mapped
    except ImportError:
        return None
    if not mapping.exists():
        return None
    tables, meta = load_mapped(path, mapping)
    options = {o["line"]: o["en"] for o in meta["election"]["options"]}
    return tables["protocol_official"], tables["stations"], options


def check(label: str, ours: float | str, published: float | str, ok: bool) -> bool:
    """Print one comparison row and return whether it passed."""
    print(f"  {label:<44} {str(ours):>24} {str(published):>24}  {'PASS' if ok else 'FAIL'}")
    return ok


def klimek_row(fit: KlimekFit | None, year: int) -> bool:
    """Compare our Klimek model fit with the published one (f_i ±0.1, f_e within a factor of 2)."""
    f_i, f_e, alpha = KLIMEK[year]
    published = f"{f_i} / {f_e} (α {alpha})"
    if fit is None:
        return check("Klimek fit f_i / f_e (f_i ±0.1, f_e ×2)", "too few units", published, False)
    ok = abs(fit.f_i - f_i) <= F_I_TOLERANCE and f_e / F_E_FACTOR <= fit.f_e <= f_e * F_E_FACTOR
    return check("Klimek fit f_i / f_e (f_i ±0.1, f_e ×2)", f"{fit.f_i:.2f} / {fit.f_e:.3f} (α {fit.alpha})",
                 published, ok)


def validate(election: Election) -> bool:
    """Compute and compare every figure of one election; return True when all pass."""
    path = DATA / f"{election.year}.csv.zip"
    mapped = read_mapped(path, election.year)
    official, stations, options = mapped or read_canonical(path)
    leader = next(line for line, name in options.items() if unquote(name) == unquote(election.leader))
    frame = station_frame(official, stations, list(options), None).collect().lazy()
    head = summary(frame, leader)
    excess = integer_percent(frame, leader).row(0, named=True)
    reader = "saylau.ingest + examples mapping" if mapped else "minimal reader (ingest mapping not found)"
    print(f"\n{election.year}  leader: {unquote(election.leader)}; read with {reader}")
    print(f"  {'check':<44} {'ours':>24} {'published':>24}  result")
    results = [
        check(
            "stations / registered voters",
            f"{head['stations']:,} / {head['registered']:,}",
            f"{election.stations:,} / {election.registered:,}",
            head["stations"] == election.stations and head["registered"] == election.registered,
        ),
        check("turnout Σissued/Σregistered, % (±0.01)", f"{head['turnout']:.3f}", election.turnout,
              abs(head["turnout"] - election.turnout) <= PP_TOLERANCE),
        check("leader share Σleader/Σfound, % (±0.01)", f"{head['leader_share']:.3f}", election.leader_share,
              abs(head["leader_share"] - election.leader_share) <= PP_TOLERANCE),
        check("integer-percentage excess (±15)",
              f"{excess['excess']:.1f} (sd {excess['sd']:.1f})", election.integer_excess,
              abs(excess["excess"] - election.integer_excess) <= EXCESS_TOLERANCE),
        klimek_row(klimek_fit(frame, leader), election.year),
    ]
    if election.clean_share is not None:
        estimate = shpilkin(frame, leader)
        results.append(
            check("Shpilkin clean leader share, % (±1)",
                  f"{estimate.clean_leader_share:.2f} (bin {estimate.clean_turnout - 0.5:.0f}-{estimate.clean_turnout + 0.5:.0f} %)",
                  f"≈ {election.clean_share}", abs(estimate.clean_leader_share - election.clean_share) <= CLEAN_TOLERANCE)
        )
    return all(results)


def main() -> int:
    """Validate every election whose file is present; exit 1 on any failure."""
    missing = [e.year for e in ELECTIONS if not (DATA / f"{e.year}.csv.zip").exists()]
    if missing:
        print(f"validation data not found in {DATA} (missing {missing}); nothing to check.")
        return 0
    print(f"validation data: {DATA}")
    ok = all([validate(e) for e in ELECTIONS])
    print("\nall checks passed" if ok else "\nsome checks FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
