"""A straightforward pandas implementation of the discrepancy and violation-rate metrics.

It follows the definitions of ``saylau.metrics`` (consensus, classes, per-observed-station
rates with Wilson intervals) in plain, idiomatic pandas, as a yardstick for the Polars engine:
``tests/unit/test_metrics_pandas_reference.py`` checks both agree on small data and
``benchmarks/bench_metrics.py`` times both on the same snapshots.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from saylau.metrics import expr, protocol
from saylau.profiles import Profile

Z95 = 1.959963984540054
DIGITS = 10
OFFICIAL_INDEX = ["station_id", "snapshot_id", "published_at"]  # the stored wide protocol_official's non-line columns


def read_tables(snapshot: Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Read snapshot tables with pandas; ``protocol_official``, stored wide, is melted back into long rows."""
    tables = {n: pd.read_parquet(snapshot / f"{n}.parquet") for n in names}
    official = tables.get("protocol_official")
    if official is not None and "line" not in official.columns:
        long = official.melt(id_vars=OFFICIAL_INDEX, var_name="line", value_name="value").dropna(subset=["value"])
        tables["protocol_official"] = long.astype({"value": "uint32"})
    return tables


def _latest_official(official: pd.DataFrame) -> pd.DataFrame:
    """Keep the newest publication per station and line."""
    ordered = official.sort_values("published_at")
    return ordered.groupby(["station_id", "line"], as_index=False).last()[["station_id", "line", "value"]]


def _passes(wide: pd.DataFrame, checks: tuple[protocol.Check, ...]) -> pd.DataFrame:
    """Evaluate every check on a wide frame: one boolean column per check (NaN where skipped)."""
    out = pd.DataFrame(index=wide.index)
    for c in checks:
        side = {
            name: expr.evaluate(
                tree,
                column=lambda line: wide[line].astype("float64"),
                number=lambda value: value,
                maximum=lambda a, b: np.maximum(a, b),
                minimum=lambda a, b: np.minimum(a, b),
            )
            for name, tree in (("actual", c.comparison.actual), ("expected", c.comparison.expected))
        }
        result = expr.compare(c.comparison.op, side["actual"], side["expected"]).astype("object")
        applies = wide[sorted(c.comparison.lines)].notna().all(axis=1)
        if c.station_kinds:
            applies &= wide["kind"].isin(c.station_kinds)
        result[~applies] = np.nan
        out[c.column] = result
    return out


def _wide(long: pd.DataFrame, index: list[str], lines: tuple[str, ...], kinds: pd.DataFrame) -> pd.DataFrame:
    """Pivot long figures to one column per line and attach the station kind."""
    wide = long.pivot_table(index=index, columns="line", values="value", aggfunc="first").reset_index()
    for line in lines:
        if line not in wide.columns:
            wide[line] = np.nan
    return wide.merge(kinds, on="station_id", how="left")


def _slip(a: pd.Series, b: pd.Series) -> pd.Series:
    """One differing digit, or two adjacent digits swapped."""
    a, b = a.to_numpy(dtype=np.int64), b.to_numpy(dtype=np.int64)
    da = np.stack([(a // 10**k) % 10 for k in range(DIGITS)])
    db = np.stack([(b // 10**k) % 10 for k in range(DIGITS)])
    differs = da != db
    n = differs.sum(axis=0)
    swapped = (differs[:-1] & (da[:-1] == db[1:]) & (da[1:] == db[:-1])).any(axis=0)
    return pd.Series((n == 1) | ((n == 2) & swapped))


def discrepancy(tables: dict[str, pd.DataFrame], profile: Profile, election: dict) -> dict[str, pd.DataFrame]:
    """Return ``lines`` (station_id, line, official, consensus, diff) and ``stations`` (station_id, class)."""
    lines = protocol.election_lines(profile, election)
    checks = protocol.checks(profile, election)
    errors = [c.column for c in checks if c.severity == protocol.ERROR_SEVERITY]
    stations = tables["stations"]
    kinds = stations[["station_id", "kind"]].astype({"kind": "object"})
    official = _latest_official(tables["protocol_official"])
    official = official[official["line"].isin(lines)]
    copies = tables["protocol_copies"]
    copies = copies[copies["line"].isin(lines)]

    copy_wide = _wide(copies, ["copy_id", "station_id"], lines, kinds)
    copy_wide["passes"] = _passes(copy_wide, checks).eq(True).sum(axis=1)
    ranked = copies.merge(copy_wide[["copy_id", "passes"]], on="copy_id", how="left")
    ranked["support"] = ranked.groupby(["station_id", "line", "value"])["copy_id"].transform("size")
    ranked = ranked.sort_values(["station_id", "line", "support", "passes", "copy_id"],
                                ascending=[True, True, False, False, True])
    cons = ranked.groupby(["station_id", "line"], as_index=False).agg(
        consensus=("value", "first"), disagree=("value", "nunique")
    )
    cons["disagree"] = cons["disagree"] > 1

    merged = official.rename(columns={"value": "official"}).merge(cons, on=["station_id", "line"])
    merged["diff"] = merged["official"].astype("int64") - merged["consensus"].astype("int64")
    merged["differs"] = merged["diff"] != 0
    merged["slip"] = merged["differs"].to_numpy() & _slip(merged["official"], merged["consensus"]).to_numpy()

    off_flags = _passes(_wide(official, ["station_id"], lines, kinds), checks)
    off_flags["station_id"] = _wide(official, ["station_id"], lines, kinds)["station_id"]
    cons_wide = _wide(cons.rename(columns={"consensus": "value"}), ["station_id"], lines, kinds)
    con_flags = _passes(cons_wide, checks)
    con_flags["station_id"] = cons_wide["station_id"]
    both = off_flags.merge(con_flags, on="station_id", suffixes=("_o", "_c"))
    copy_breaks = pd.Series(False, index=both.index)
    official_breaks = pd.Series(False, index=both.index)
    for col in errors:
        o, c = both[f"{col}_o"], both[f"{col}_c"]
        copy_breaks |= c.eq(False) & o.eq(True)
        official_breaks |= o.eq(False) & c.eq(True)
    flags = pd.DataFrame({"station_id": both["station_id"], "copy_breaks": copy_breaks,
                          "official_breaks": official_breaks})

    merged["slip_or_same"] = merged["slip"] | ~merged["differs"]
    merged["disagree_on_diff"] = merged["differs"] & merged["disagree"]
    per = merged.groupby("station_id", as_index=False).agg(
        lines_differing=("differs", "sum"), all_slip=("slip_or_same", "all"),
        disagree_on_diff=("disagree_on_diff", "any"),
    ).merge(flags, on="station_id", how="left")
    out = stations[["station_id"]].merge(per, on="station_id", how="left")
    has_copy = out["station_id"].isin(copies["station_id"])
    has_official = out["station_id"].isin(official["station_id"])
    lone_slip = out["all_slip"].eq(True) & out["lines_differing"].le(1) & ~out["official_breaks"].eq(True)
    conditions = [
        ~has_copy,
        ~has_official,
        out["lines_differing"].fillna(0).eq(0),
        out["disagree_on_diff"].eq(True),
        out["copy_breaks"].eq(True) | lone_slip,
    ]
    choices = ["no_copy", "no_official", "match", "copies_disagree", "transcription_suspect"]
    out["class"] = np.select(conditions, choices, default="material_change")
    return {
        "lines": merged[["station_id", "line", "official", "consensus", "diff"]],
        "stations": out[["station_id", "class"]],
    }


def _wilson(frame: pd.DataFrame) -> pd.DataFrame:
    """Add rate, lo and hi to a frame with observed_stations and stations_with."""
    n = frame["observed_stations"].astype("float64")
    x = frame["stations_with"].astype("float64")
    p = np.where(n > 0, x / n.where(n > 0, 1.0), 0.0)
    safe_n = n.where(n > 0, 1.0)
    z2 = Z95**2
    centre = (p + z2 / (2 * safe_n)) / (1 + z2 / safe_n)
    half = Z95 * np.sqrt(np.clip(p * (1 - p) / safe_n + z2 / (4 * safe_n**2), 0, None)) / (1 + z2 / safe_n)
    frame["rate"] = p
    frame["lo"] = np.where((n > 0) & (x > 0), np.clip(centre - half, 0, 1), 0.0)
    frame["hi"] = np.where((n > 0) & (x < n), np.clip(centre + half, 0, 1), 1.0)
    return frame


def _rates(per_station: pd.DataFrame, key: str) -> pd.DataFrame:
    """Observed stations, stations with a yes, and Wilson rate per key."""
    grouped = per_station.groupby(key, as_index=False).agg(
        observed_stations=("yes", "size"), stations_with=("yes", "sum")
    )
    return _wilson(grouped).sort_values(key).reset_index(drop=True)


def violations(tables: dict[str, pd.DataFrame], profile: Profile) -> dict[str, pd.DataFrame]:
    """Return violation rates by item, section, region and organisation type."""
    items = profile.items_frame().to_pandas()[["item", "section", "severity"]]
    checklists = tables["checklists"].astype({"answer": "object", "org_type": "object"})
    answered = checklists[checklists["answer"].isin(["yes", "no"])].copy()
    answered["yes"] = answered["answer"] == "yes"
    per_item = answered.groupby(["station_id", "item"], as_index=False)["yes"].any().merge(items, on="item")
    per_section = per_item.groupby(["station_id", "section"], as_index=False)["yes"].any()
    per_station = per_item.groupby("station_id", as_index=False)["yes"].any().merge(
        tables["stations"][["station_id", "region_code"]], on="station_id"
    )
    per_org = answered.groupby(["station_id", "org_type"], as_index=False)["yes"].any()
    return {
        "item": _rates(per_item, "item"),
        "section": _rates(per_section, "section"),
        "region_code": _rates(per_station, "region_code"),
        "org_type": _rates(per_org, "org_type"),
    }
