"""Violation rates per observed station, with Wilson 95 % intervals, and a severity index.

A station counts as observed for a checklist item when any organisation answered it ``yes``
or ``no`` (``na`` = stage not observed). Rates are stations with a ``yes`` over observed
stations, never raw counts alone. Incident reports (by hour and verification status) use the
stations observed on the checklist as denominator and count only those stations; ``rejected``
reports are excluded. The severity index of a station is Σ severity of items answered yes over
Σ severity of items observed (0..1).
"""

from __future__ import annotations

import polars as pl

from saylau.metrics.aggregate import count, share

Z95 = 1.959963984540054
ANSWERED = ("yes", "no")
HOURS = 24
VERIFIED = "verified"
REPORTED = ("reported", "verified")
RATE_COLUMNS = ("observed_stations", "stations_with", "rate", "lo", "hi")


def wilson(with_col: str = "stations_with", n_col: str = "observed_stations") -> list[pl.Expr]:
    """Return rate, lo and hi (Wilson score 95 %); n = 0 gives rate 0 and the interval [0, 1]."""
    n = pl.col(n_col).cast(pl.Float64)
    p = share(with_col, n_col)
    z2 = Z95 * Z95
    safe_n = pl.when(n > 0).then(n).otherwise(1.0)
    denom = 1.0 + z2 / safe_n
    centre = (p + z2 / (2.0 * safe_n)) / denom
    half = Z95 * (p * (1.0 - p) / safe_n + z2 / (4.0 * safe_n * safe_n)).clip(lower_bound=0.0).sqrt() / denom
    x = pl.col(with_col)
    return [
        p.alias("rate"),
        pl.when((n > 0) & (x > 0)).then((centre - half).clip(0.0, 1.0)).otherwise(0.0).alias("lo"),
        pl.when((n > 0) & (x < n)).then((centre + half).clip(0.0, 1.0)).otherwise(1.0).alias("hi"),
    ]


def _rates(station_level: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
    """Turn rows (station, keys…, yes) into keys, observed_stations, stations_with, rate, lo, hi."""
    return (
        station_level.group_by(keys)
        .agg(pl.len().cast(pl.UInt32).alias("observed_stations"), count("yes").alias("stations_with"))
        .with_columns(wilson())
        .sort(keys)
    )


def answered(checklists: pl.LazyFrame) -> pl.LazyFrame:
    """Keep checklist rows answered yes or no, with a boolean ``yes``."""
    return checklists.filter(pl.col("answer").cast(pl.String).is_in(ANSWERED)).with_columns(
        (pl.col("answer").cast(pl.String) == "yes").alias("yes")
    )


def item_answers(checklists: pl.LazyFrame) -> pl.LazyFrame:
    """Per station and checklist item: ``answered`` (yes or no by any organisation) and ``yes`` (any)."""
    return checklists.group_by("station_id", "item").agg(
        pl.col("answer").is_in(ANSWERED).any().alias("answered"),
        (pl.col("answer") == "yes").any().alias("yes"),
    )


def station_items(answers: pl.LazyFrame, items: pl.LazyFrame) -> pl.LazyFrame:
    """Return station_id, item, section, severity, yes (any organisation) for observed items of ``item_answers``."""
    return (
        answers.filter(pl.col("answered"))
        .select("station_id", "item", "yes")
        .join(items.select("item", "section", "severity"), on="item", how="inner")
    )


def station_violations(items_observed: pl.LazyFrame) -> pl.LazyFrame:
    """Per observed station: violation (any yes) and violation_index (severity-weighted, 0..1)."""
    weight = pl.col("severity").cast(pl.Float64)
    return items_observed.group_by("station_id").agg(
        pl.col("yes").any().alias("violation"),
        share((weight * pl.col("yes").cast(pl.Float64)).sum(), weight.sum()).alias("violation_index"),
    )


def by_item(items_observed: pl.LazyFrame) -> pl.LazyFrame:
    """Violation rate per checklist item."""
    return _rates(items_observed, ["item", "section"])


def by_section(items_observed: pl.LazyFrame) -> pl.LazyFrame:
    """Violation rate per checklist section (a station counts once per section)."""
    per_station = items_observed.group_by("station_id", "section").agg(pl.col("yes").any())
    return _rates(per_station, ["section"])


def by_region(violations: pl.LazyFrame, stations: pl.LazyFrame) -> pl.LazyFrame:
    """Share of observed stations with any violation per region, and the mean severity index."""
    joined = violations.join(stations.select("station_id", "region_code"), on="station_id", how="inner")
    return (
        joined.group_by("region_code")
        .agg(
            pl.len().cast(pl.UInt32).alias("observed_stations"),
            count("violation").alias("stations_with"),
            pl.col("violation_index").mean().fill_null(0.0).alias("violation_index"),
        )
        .with_columns(wilson())
        .select("region_code", *RATE_COLUMNS, "violation_index")
        .sort("region_code")
    )


def by_org_type(checklists: pl.LazyFrame) -> pl.LazyFrame:
    """Violation rate by type of observing organisation (stations observed by that type)."""
    per_station = (
        answered(checklists)
        .group_by("station_id", pl.col("org_type").cast(pl.String))
        .agg(pl.col("yes").any())
    )
    return _rates(per_station, ["org_type"])


def _reported(incidents: pl.LazyFrame, violations: pl.LazyFrame) -> pl.LazyFrame:
    """Incident reports that are not rejected, at stations observed on the checklist."""
    return incidents.filter(pl.col("status").cast(pl.String).is_in(REPORTED)).join(
        violations.select("station_id"), on="station_id", how="semi"
    )


def _against_observed(hits: pl.LazyFrame, keys: pl.LazyFrame, key: str, violations: pl.LazyFrame) -> pl.LazyFrame:
    """Attach the observed-station denominator to per-key station counts; add rates."""
    observed = violations.select(pl.len().cast(pl.UInt32).alias("observed_stations"))
    return (
        keys.join(hits, on=key, how="left")
        .join(observed, how="cross")
        .with_columns(pl.col("stations_with").fill_null(0).cast(pl.UInt32))
        .with_columns(wilson())
        .select(key, *RATE_COLUMNS)
        .sort(key)
    )


def by_hour(incidents: pl.LazyFrame, violations: pl.LazyFrame, timezone: str) -> pl.LazyFrame:
    """Share of observed stations with an incident report in each local hour of the day (0-23)."""
    hour = pl.col("observed_at").dt.convert_time_zone(timezone).dt.hour().cast(pl.Int8).alias("hour")
    hits = (
        _reported(incidents, violations)
        .group_by(hour)
        .agg(pl.col("station_id").n_unique().cast(pl.UInt32).alias("stations_with"))
    )
    hours = pl.LazyFrame({"hour": pl.Series(range(HOURS), dtype=pl.Int8)})
    return _against_observed(hits, hours, "hour", violations)


def by_status(incidents: pl.LazyFrame, violations: pl.LazyFrame) -> pl.LazyFrame:
    """Share of observed stations with a verified report, and with any report (verified included)."""
    reported = _reported(incidents, violations)
    verified = pl.col("status").cast(pl.String) == VERIFIED
    hits = reported.select(
        pl.col("station_id").filter(verified).n_unique().cast(pl.UInt32).alias(VERIFIED),
        pl.col("station_id").n_unique().cast(pl.UInt32).alias("reported"),
    ).unpivot(variable_name="status", value_name="stations_with")
    statuses = pl.LazyFrame({"status": [VERIFIED, "reported"]})
    return _against_observed(hits, statuses, "status", violations)


def incident_counts(incidents: pl.LazyFrame) -> pl.LazyFrame:
    """Number of reports per station, rejected ones excluded."""
    return (
        incidents.filter(pl.col("status").cast(pl.String).is_in(REPORTED))
        .group_by("station_id")
        .agg(pl.len().cast(pl.UInt32).alias("incidents"))
    )
