"""Metrics engine: pure Polars, ``LazyFrame`` in, tables out, one ``collect_all`` at the end.

``compute_all`` builds every table of the metrics contract (docs/architecture.md) as one lazy
plan so shared sub-plans (latest official figures, wide documents, consensus) run once.
Modules: ``expr`` (relation grammar), ``protocol`` (wide documents, control relations),
``consensus``, ``discrepancy``, ``tally``, ``incidents`` (violation rates), ``coverage``,
``estimate``, ``aggregate`` (roll-ups).
"""

from __future__ import annotations

import polars as pl

from saylau import schema
from saylau.metrics import consensus, coverage, discrepancy, estimate, incidents, protocol, tally
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
    out = {name: tables.get(name, schema.empty(name).lazy()) for name in INPUTS}
    if region is not None:
        out["stations"] = out["stations"].filter(pl.col("region_code") == region)
        ids = out["stations"].select("station_id")
        for name in INPUTS[1:]:
            out[name] = out[name].join(ids, on="station_id", how="semi")
    return out


def _checked(wide: pl.LazyFrame, kinds: pl.LazyFrame, all_checks: tuple[protocol.Check, ...]) -> pl.LazyFrame:
    """Attach the station kind to wide documents and evaluate every check on them."""
    return protocol.with_checks(wide.join(kinds, on="station_id", how="left"), all_checks).cache()


def _station_status(
    t: dict[str, pl.LazyFrame],
    official_wide: pl.LazyFrame,
    station_disc: pl.LazyFrame,
    answers: pl.LazyFrame,
    items_observed: pl.LazyFrame,
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Return the station status frame and the per-station violation frame."""
    observed = answers.group_by("station_id").agg(
        pl.lit(True).alias("observed"),
        pl.col("answered").any().alias("has_checklist"),
        ((pl.col("item") == coverage.COPY_REFUSED_ITEM) & pl.col("yes")).any().alias("copy_refused"),
    )
    violations = incidents.station_violations(items_observed)
    issued = official_wide.select("station_id", pl.col(discrepancy.ISSUED).alias("issued"))
    has_official = official_wide.select("station_id", pl.lit(True).alias("has_official"))
    status = (
        t["stations"]
        .select("station_id", "region_code", "tec", "number", "kind", "urban", "lat", "lon",
                pl.col("registered_voters").alias("registered"))
        .join(issued, on="station_id", how="left", maintain_order="left")
        .join(has_official, on="station_id", how="left", maintain_order="left")
        .join(observed, on="station_id", how="left", maintain_order="left")
        .join(station_disc.select("station_id", pl.col("class").alias("disc_class"), "n_copies"),
              on="station_id", how="left", maintain_order="left")
        .join(violations, on="station_id", how="left", maintain_order="left")
        .join(incidents.incident_counts(t["incidents"]), on="station_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("observed", "has_checklist", "copy_refused", "has_official", "violation").fill_null(False),
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
    return status, violations


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


def compute_all(
    tables: dict[str, pl.LazyFrame], profile: Profile, election: dict, region: str | None = None
) -> dict[str, pl.DataFrame]:
    """Compute every metrics table of the contract in one ``collect_all``.

    Args:
        tables: canonical tables by name (missing ones count as empty).
        profile: country profile (lines, relations, checklist items, timezone).
        election: the manifest's ``election`` (kind, options, random_sample).
        region: keep only this region's stations.

    Returns:
        The tables named in ``TABLES``, as DataFrames.
    """
    t = _inputs(tables, region)
    options = protocol.option_lines(election)
    lines = protocol.election_lines(profile, election)
    all_checks = protocol.checks(profile, election)
    kinds = t["stations"].select("station_id", protocol.STATION_KIND)
    items = profile.items_frame().lazy()

    copies = (
        t["protocol_copies"].filter(pl.col("line").is_in(list(lines))).with_columns(pl.col("line").cast(pl.String))
    ).cache()
    official_wide = _checked(protocol.latest_wide(t["protocol_official"], lines), kinds, all_checks)
    compared = protocol.narrow(official_wide.join(copies.select("station_id").unique(), on="station_id", how="semi"),
                               lines).cache()
    copies_wide = _checked(protocol.widen(copies, ["copy_id", "station_id", "source_org"], lines), kinds, all_checks)
    cons_lines = consensus.consensus_lines(copies, copies_wide.select("copy_id", "passes")).cache()
    cons_wide = _checked(
        protocol.widen(cons_lines.rename({"consensus": "value"}), ["station_id"], lines), kinds, all_checks
    )

    relations = pl.concat(
        [
            protocol.relation_rows(official_wide.with_columns(pl.lit(None, pl.String).alias("source_org")),
                                   all_checks, pl.lit(protocol.OFFICIAL)),
            protocol.relation_rows(copies_wide, all_checks, pl.col("copy_id")),
        ],
        how="vertical",
    )
    disc_lines = discrepancy.discrepancy_lines(compared, cons_lines).cache()
    station_disc = discrepancy.station_discrepancy(
        t["stations"],
        disc_lines,
        discrepancy.relation_flags(official_wide, cons_wide, all_checks),
        consensus.consensus_stations(copies, cons_lines),
        official_wide.select("station_id"),
        options,
    ).cache()
    answers = incidents.item_answers(t["checklists"]).cache()
    items_observed = incidents.station_items(answers, items).cache()
    status, violations = _station_status(t, official_wide, station_disc, answers, items_observed)
    status, violations = status.cache(), violations.cache()
    results = tally.results(official_wide, disc_lines, t["stations"], options)
    official_share = results.filter(pl.col("scope") == NATIONAL).select(
        "option", pl.col("total_official_share").alias("official_share")
    )
    sample = (
        estimate.estimate(cons_wide, t["stations"], official_share, options)
        if election.get("random_sample")
        else estimate.empty()
    )
    plans: dict[str, pl.LazyFrame] = {
        "station_status": status.drop("violation", "registered_reporting", "compared", "material"),
        "station_discrepancy": station_disc,
        "discrepancy_lines": disc_lines.select(
            "station_id", "line", "official", "consensus", "diff", "n_copies", "orgs_agree", "orgs_differ",
            "disagree", "slip",
        ).sort("station_id", "line"),
        "relations": relations,
        "results": results,
        "shift_by_option": discrepancy.shift_by_option(station_disc, options),
        "violations_by_section": incidents.by_section(items_observed),
        "violations_by_item": incidents.by_item(items_observed),
        "violations_by_region": incidents.by_region(violations, t["stations"]),
        "violations_by_hour": incidents.by_hour(t["incidents"], violations, profile.timezone),
        "violations_by_org_type": incidents.by_org_type(t["checklists"]),
        "violations_by_status": incidents.by_status(t["incidents"], violations),
        "coverage": coverage.coverage(status),
        "estimate": sample,
        "region_summary": region_summary(status),
        "summary": summary(status),
    }
    return dict(zip(plans, pl.collect_all(plans.values()), strict=True))
