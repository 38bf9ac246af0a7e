"""Metrics engine: pure Polars, ``LazyFrame`` in, tables out.

``compute_all`` builds every table of the metrics contract (docs/architecture.md) in three
steps: (1) the register, the newest official figures of every station (read off the grid of
the stored wide form, or of long rows, ``layout``) and, on a second thread meanwhile, wide
copies and incident counts; (2) the consensus copies and their comparison with the official figures while a second thread
folds the checklists per station, then the per-station frame; (3) one ``collect_all`` of the
contract tables. Between steps the results are in memory. Small plans cost less to optimise and
schedule than one plan of all tables, which dominates at 10 k stations; plans over frames in
memory run on the in-memory engine (``layout.collect``), whose fixed cost per plan is lower;
reading Parquet, grouping long tables and joining the copies to the register stay on the default
(streaming) engine, which is faster there at 1 M stations. Work is done per
station with one column per protocol line; per-station frames carry the station's register row
(``protocol.ROW``), so they are matched by gathers and scatters (``layout.spread``) instead of
joins on the station id. The official table (the longest) is out of memory before the
checklists are read, which keeps the peak low. Official figures count for the stations of the register (ingest
quarantines rows of unknown stations). Modules: ``expr`` (relation grammar), ``layout`` (grids
of long tables, rows placed by number), ``protocol`` (wide documents, control relations),
``consensus``, ``discrepancy``, ``tally``, ``incidents`` (violation rates), ``coverage``,
``estimate``, ``aggregate`` (roll-ups).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import polars as pl

from saylau import schema
from saylau.metrics import consensus, coverage, discrepancy, estimate, incidents, layout, protocol, tally
from saylau.metrics.aggregate import NATIONAL, rollup, share
from saylau.profiles import Profile

INPUTS = ("stations", "protocol_official", "protocol_copies", "incidents", "checklists")
TABLES = (
    "station_status",
    "station_discrepancy",
    "discrepancy_lines",
    "relations",
    "results",
    "shift_by_option",
    "violations_by_section",
    "violations_by_item",
    "violations_by_region",
    "violations_by_hour",
    "violations_by_org_type",
    "violations_by_status",
    "coverage",
    "estimate",
    "region_summary",
    "summary",
)
STATUS_SUMS = (
    "registered", "registered_reporting", "issued", "observed", "has_checklist", "has_copy", "has_official",
    "copy_refused", "violation", "compared", "material", "incidents",
)


def _inputs(tables: dict[str, pl.LazyFrame], region: str | None) -> dict[str, pl.LazyFrame]:
    """Fill missing canonical tables with empty ones; keep only ``region``'s stations if given."""
    out = {name: tables[name] if name in tables else schema.empty(name).lazy() for name in INPUTS}
    if region is not None:
        out["stations"] = out["stations"].filter(pl.col("region_code") == region)
        ids = out["stations"].select("station_id")
        for name in INPUTS[1:]:
            out[name] = out[name].join(ids, on="station_id", how="semi")
    return out


def _collected(frames: dict[str, pl.LazyFrame]) -> dict[str, pl.LazyFrame]:
    """Collect frames in one ``collect_all``; return lazy frames over the results."""
    return {name: df.lazy() for name, df in zip(frames, pl.collect_all(frames.values()), strict=True)}


def _in_memory(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Collect one frame; return a lazy frame over the result."""
    return layout.collect(frame).lazy()


def _beside(register: pl.DataFrame, per_station: pl.DataFrame, flag: str) -> pl.LazyFrame:
    """Register rows (in order) with the columns of a per-station frame and ``flag`` (the station is in it).

    A frame listing the register's stations in the register's order is set beside it as it is;
    any other is left-joined on the station.
    """
    if per_station["station_id"].equals(register["station_id"]):
        return register.hstack(per_station.drop("station_id")).lazy().with_columns(pl.lit(True).alias(flag))
    return (
        register.lazy()
        .join(per_station.lazy().with_columns(pl.lit(True).alias(flag)), on="station_id", how="left",
              maintain_order="left")
        .with_columns(pl.col(flag).fill_null(False))
    )


def _station_frame(
    documents: pl.DataFrame, copied: pl.DataFrame, checklists: pl.DataFrame, incident_counts: pl.DataFrame
) -> pl.DataFrame:
    """Every station (in register order) with its copy, discrepancy, checklist and incident columns, and its class.

    The per-station frames (one row per station, with its register row ``_row``) are spread into
    register order and set beside ``documents``: no join on the station ids.
    """
    checklist_columns = ["observed", "has_checklist", "copy_refused", "checked", "violation", "violation_index"]
    parts = [part.filter(pl.col(protocol.ROW).is_not_null()) for part in (copied, checklists, incident_counts)]
    columns = (copied.columns, checklist_columns, ["incidents"])
    spread = [
        layout.spread(part.select(c for c in names if c not in (protocol.ROW, "station_id")), part[protocol.ROW],
                      documents.height)
        for part, names in zip(parts, columns, strict=True)
    ]
    return pl.concat([documents, *spread], how="horizontal").with_columns(discrepancy.station_class().alias("class"))


def _station_status(stations: pl.LazyFrame) -> pl.LazyFrame:
    """Return the station status frame (with the roll-up columns) from ``_station_frame``."""
    return (
        stations.with_columns(
            pl.col(discrepancy.ISSUED).alias("issued"),
            pl.col("class").alias("disc_class"),
            pl.col("observed", "has_checklist", "copy_refused", "violation").fill_null(False),
            (pl.col("n_copies").fill_null(0) > 0).alias("has_copy"),
            pl.col("violation_index").fill_null(0.0),
            pl.col("incidents").fill_null(0),
        )
        .with_columns(
            share("issued", "registered").alias("turnout"),
            pl.when(pl.col("has_official")).then(pl.col("registered")).otherwise(0).alias("registered_reporting"),
            (pl.col("has_copy") & pl.col("has_official")).alias("compared"),
            (pl.col("disc_class") == "material_change").alias("material"),
        )
        .select(
            "station_id", "region_code", "tec", "number", "kind", "urban", "lat", "lon", "registered", "issued",
            "turnout", "observed", "has_checklist", "has_copy", "has_official", "copy_refused", "disc_class",
            "violation_index", "incidents", "violation", "registered_reporting", "compared", "material",
        )
    )


def _with_summary_shares(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Add turnout, violation_rate, discrepancy_share, observed_share and copy_share to a roll-up."""
    return frame.with_columns(
        share("issued", "registered_reporting").alias("turnout"),
        share("violation", "has_checklist").alias("violation_rate"),
        share("material", "compared").alias("discrepancy_share"),
        share("observed", "stations").alias("observed_share"),
        share("has_copy", "stations").alias("copy_share"),
    )


def region_summary(status: pl.LazyFrame) -> pl.LazyFrame:
    """Return one row per region: stations, registered, issued, turnout and headline shares."""
    return _with_summary_shares(rollup(status, "region", STATUS_SUMS)).select(
        "region_code", "stations", "registered", "issued", "turnout", "violation_rate", "discrepancy_share",
        "observed_share", "copy_share", "observed", "has_copy", "compared", "material", "incidents",
    )


def summary(status: pl.LazyFrame) -> pl.LazyFrame:
    """Return the one-row national summary, with station counts per discrepancy class."""
    by_class = status.select(
        pl.struct([(pl.col("disc_class") == c).sum().cast(pl.UInt32).alias(c) for c in discrepancy.CLASSES])
        .alias("stations_by_class")
    )
    return (
        _with_summary_shares(rollup(status, NATIONAL, STATUS_SUMS))
        .join(by_class, how="cross")
        .select(
            "stations", "registered", "issued", "turnout", "observed_share", "copy_share", "incidents",
            "stations_by_class", "violation_rate", "discrepancy_share",
        )
    )


def _copies(
    t: dict[str, pl.LazyFrame], rows: pl.LazyFrame, lines: tuple[str, ...], all_checks: tuple[protocol.Check, ...]
) -> dict[str, pl.LazyFrame]:
    """Wide copies with checks and register rows, incident counts, then the consensus copies with checks (collected)."""
    side = _collected({
        "copies": protocol.with_checks(
            protocol.widen(t["protocol_copies"], ["copy_id", "station_id", "source_org"], lines)
            .join(rows, on="station_id", how="left"),
            all_checks,
        ),
        "incident_counts": incidents.incident_counts(t["incidents"]).join(rows.drop("kind"), on="station_id",
                                                                            how="left"),
    })
    side["consensus"] = _in_memory(protocol.with_checks(consensus.consensus(side["copies"], lines), all_checks))
    return side


def _read(
    t: dict[str, pl.LazyFrame],
    stations: pl.LazyFrame,
    lines: tuple[str, ...],
    all_checks: tuple[protocol.Check, ...],
) -> dict[str, pl.LazyFrame]:
    """Step 1: documents (every station, its newest official figures, checks), copies, consensus, incident counts, rows.

    The copies, their consensus and the incident counts (small) are computed on a second thread
    while the official table is read off its grid.
    """
    register = stations.collect()
    rows = register.lazy().select("station_id", "kind").with_row_index(protocol.ROW)
    with ThreadPoolExecutor(max_workers=1) as pool:
        side = pool.submit(_copies, t, rows, lines, all_checks)
        official = protocol.latest_by_station(t["protocol_official"], lines)
        documents = _in_memory(protocol.with_checks(
            _beside(register, official, "has_official").with_row_index(protocol.ROW), all_checks
        ))
        return {"rows": rows, "documents": documents, **side.result()}


def _checklists(checklists: pl.LazyFrame, items: pl.DataFrame, rows: pl.LazyFrame) -> pl.LazyFrame:
    """Checklists folded per station, with violations and register rows (collected)."""
    folded = incidents.station_checklists(checklists, items).lazy()
    checked = incidents.with_violations(folded, items)
    return layout.collect(checked.join(rows.drop("kind"), on="station_id", how="left")).lazy()


def _document_tables(
    read: dict[str, pl.LazyFrame],
    both: pl.LazyFrame,
    lines: tuple[str, ...],
    options: tuple[str, ...],
    sampled: bool,
) -> dict[str, pl.LazyFrame]:
    """Plans of the contract tables of the documents alone (small beside relations): discrepancy lines, results, estimate."""
    documents = read["documents"]
    results = tally.results(documents, both, options)
    official_share = results.filter(pl.col("scope") == NATIONAL).select(
        "option", pl.col("total_official_share").alias("official_share")
    )
    sample = (
        estimate.estimate(read["consensus"], documents.select("station_id", "region_code",
                                                             pl.col("registered").alias("registered_voters")),
                          official_share, options)
        if sampled
        else estimate.empty()
    )
    return {"discrepancy_lines": discrepancy.discrepancy_lines(both, lines), "results": results, "estimate": sample}


def _compare(
    read: dict[str, pl.LazyFrame],
    t: dict[str, pl.LazyFrame],
    items: pl.DataFrame,
    lines: tuple[str, ...],
    all_checks: tuple[protocol.Check, ...],
    options: tuple[str, ...],
    sampled: bool,
) -> dict[str, pl.LazyFrame | pl.DataFrame]:
    """Step 2: consensus against the official figures (slips included), the tables of documents, checklists, station frame.

    The checklists are folded on a second thread while the consensus is compared with the
    official figures and the contract tables that need no checklist are collected (only the
    station frame needs both); the official table is out of memory by then, so the peak stays low.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        sheets = pool.submit(_checklists, t["checklists"], items, read["rows"])
        both = discrepancy.compared(read["documents"], read["consensus"], lines, all_checks).lazy()
        plans = _document_tables(read, both, lines, options, sampled)
        tables = dict(zip(plans, pl.collect_all(plans.values(), engine=layout.IN_MEMORY), strict=True))
        checklists = sheets.result()
    copied = discrepancy.station_columns(both, options)
    station = _station_frame(
        *[layout.collect(frame) for frame in (read["documents"], copied, checklists, read["incident_counts"])]
    ).lazy()
    return {**tables, "checklists": checklists, "station": station}


def compute_all(
    tables: dict[str, pl.LazyFrame], profile: Profile, election: dict, region: str | None = None
) -> dict[str, pl.DataFrame]:
    """Compute every metrics table of the contract (in three steps, see the module docstring).

    Args:
        tables: canonical tables by name (missing ones count as empty); ``protocol_official`` may
            also be in the store's wide form (``store.scan_stored_tables``), which is read fastest.
        profile: country profile (lines, relations, checklist items, timezone).
        election: the manifest's ``election`` (kind, options, random_sample).
        region: keep only this region's stations.

    Returns:
        The tables named in ``TABLES``, as DataFrames.
    """
    t = _inputs(tables, region)
    t["incidents"] = t["incidents"].select("station_id", "observed_at", "status").collect().lazy()  # read by 3 tables
    options = protocol.option_lines(election)
    lines = protocol.election_lines(profile, election)
    all_checks = protocol.checks(profile, election)
    items = profile.items_frame()
    stations = t["stations"].select(
        "station_id", "region_code", "tec", "number", "kind", "urban", "lat", "lon",
        pl.col("registered_voters").alias("registered"),
    )
    read = _read(t, stations, lines, all_checks)
    done = _compare(read, t, items, lines, all_checks, options, bool(election.get("random_sample")))
    checklists, station = done["checklists"], done["station"]
    violations = checklists.filter(pl.col("checked")).select("station_id", "violation", "violation_index")
    status = _station_status(station).cache()
    station_disc = discrepancy.station_discrepancy(station, options).cache()
    relations = pl.concat(
        [
            protocol.relation_rows(read["documents"].with_columns(pl.lit(None, pl.String).alias("source_org")),
                                   all_checks, pl.lit(protocol.OFFICIAL)),
            protocol.relation_rows(read["copies"], all_checks, pl.col("copy_id")),
        ],
        how="vertical",
    )
    plans: dict[str, pl.LazyFrame] = {
        "relations": relations,
        "station_status": status.drop("violation", "registered_reporting", "compared", "material"),
        "station_discrepancy": station_disc,
        "shift_by_option": discrepancy.shift_by_option(station_disc, options),
        "violations_by_section": incidents.by_section(checklists, items),
        "violations_by_item": incidents.by_item(checklists, items),
        "violations_by_region": incidents.by_region(station.filter(pl.col("checked").fill_null(False))),
        "violations_by_hour": incidents.by_hour(t["incidents"], violations, profile.timezone),
        "violations_by_org_type": incidents.by_org_type(checklists),
        "violations_by_status": incidents.by_status(t["incidents"], violations),
        "coverage": coverage.coverage(status),
        "region_summary": region_summary(status),
        "summary": summary(status),
    }
    tables = dict(zip(plans, pl.collect_all(plans.values(), engine=layout.IN_MEMORY), strict=True))
    return {name: tables[name] if name in tables else done[name] for name in TABLES}
