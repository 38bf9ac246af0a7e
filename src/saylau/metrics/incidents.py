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

from saylau import schema
from saylau.metrics import layout
from saylau.metrics.aggregate import count, share
from saylau.metrics.coverage import COPY_REFUSED_ITEM

Z95 = 1.959963984540054
ANSWERED = ("yes", "no")
HOURS = 24
VERIFIED = "verified"
REPORTED = ("reported", "verified")
RATE_COLUMNS = ("observed_stations", "stations_with", "rate", "lo", "hi")
WORD_BITS = 64
ANSWERED_BITS = "answered_"
YES_BITS = "yes_"
ORG_ANSWERED_BITS = "org_answered_"
ORG_YES_BITS = "org_yes_"
ORG_TYPE = pl.Enum(schema.ORG_TYPES)


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


def _bit(index: pl.Expr) -> pl.Expr:
    """The bit of ``index`` within its 64-bit word, as a UInt64 (2 ** (index mod 64))."""
    return pl.lit(2, pl.UInt64).pow((index % WORD_BITS).cast(pl.UInt64))


def _words(n: int) -> range:
    """Word numbers of a bit set over ``n`` indices."""
    return range((n + WORD_BITS - 1) // WORD_BITS)


def _masks(indices: list[int], n: int) -> list[int]:
    """Bit set of ``indices`` (out of ``n``), one integer per 64-bit word."""
    return [sum(1 << (i % WORD_BITS) for i in indices if i // WORD_BITS == w) for w in _words(n)]


def _has_any(prefix: str, masks: list[int]) -> pl.Expr:
    """True where the per-station words ``prefix<w>`` share a bit with ``masks``."""
    return pl.any_horizontal((pl.col(f"{prefix}{w}") & pl.lit(m, pl.UInt64)) != 0 for w, m in enumerate(masks))


def _count(prefix: str, masks: list[int]) -> pl.Expr:
    """Number of bits the per-station words ``prefix<w>`` share with ``masks``."""
    return pl.sum_horizontal(
        (pl.col(f"{prefix}{w}") & pl.lit(m, pl.UInt64)).bitwise_count_ones() for w, m in enumerate(masks)
    )


def _folded(answered: pl.Expr, yes: pl.Expr, refused: pl.Expr, org_type: pl.Expr, answered_bits: list[pl.Expr],
            yes_bits: list[pl.Expr]) -> list[pl.Expr]:
    """The checklist columns (but ``observed``) of answers or sheets: flags (any item answered, any yes, copy
    refused), bit words of items answered and answered yes, and the organisation type."""
    org_bit = _bit(org_type.cast(ORG_TYPE).to_physical())

    def bits(flag: pl.Expr, bit: pl.Expr) -> pl.Expr:
        return pl.when(flag).then(bit).otherwise(pl.lit(0, pl.UInt64))

    return [
        answered.alias("has_checklist"),
        refused.alias("copy_refused"),
        *[e.alias(f"{prefix}{w}") for w, pair in enumerate(zip(answered_bits, yes_bits, strict=True))
          for prefix, e in zip((ANSWERED_BITS, YES_BITS), pair, strict=True)],
        bits(answered, org_bit).alias(f"{ORG_ANSWERED_BITS}0"),
        bits(yes, org_bit).alias(f"{ORG_YES_BITS}0"),
    ]


def _per_answer(rows: pl.DataFrame, items: pl.DataFrame) -> pl.LazyFrame:
    """One row per checklist answer, with the columns it adds to its station."""
    answered, yes = pl.col("answer").is_in(ANSWERED), pl.col("answer") == "yes"
    item = pl.col("item").cast(pl.Enum(items["item"]), strict=False).to_physical()

    def word(flag: pl.Expr, w: int) -> pl.Expr:
        return pl.when(flag & (item // WORD_BITS == w)).then(_bit(item)).otherwise(pl.lit(0, pl.UInt64))

    words = _words(items.height)
    return rows.lazy().select(
        "station_id",
        *_folded(answered, yes, (pl.col("item") == COPY_REFUSED_ITEM) & yes, pl.col("org_type"),
                 [word(answered, w) for w in words], [word(yes, w) for w in words]),
    )


def _per_sheet(rows: pl.DataFrame, cells: layout.Grid, items: pl.DataFrame) -> pl.LazyFrame:
    """One row per checklist sheet (a wide row of the grid: station, organisation, its type), with its columns."""
    codes = [code for (code,) in cells.columns]
    sheets = pl.concat(
        [cells.rows, rows.select(cells.cell("answer", k).alias(f"_a{k}") for k in range(len(codes)))],
        how="horizontal",
    )
    answered = {k: pl.col(f"_a{k}").is_in(ANSWERED) for k in range(len(codes))}
    yes = {k: pl.col(f"_a{k}") == "yes" for k in range(len(codes))}

    def word(flags: dict[int, pl.Expr], w: int) -> pl.Expr:
        per_item = [
            pl.any_horizontal(flags[k] for k, c in enumerate(codes) if c == item).cast(pl.UInt64)
            * pl.lit(1 << (i % WORD_BITS), pl.UInt64)
            for i, item in enumerate(items["item"]) if i // WORD_BITS == w and item in codes
        ]
        return pl.sum_horizontal(per_item).cast(pl.UInt64) if per_item else pl.lit(0, pl.UInt64)

    refused = [yes[k] for k, c in enumerate(codes) if c == COPY_REFUSED_ITEM]
    words = _words(items.height)
    return sheets.lazy().select(
        "station_id",
        *_folded(pl.any_horizontal(answered.values()), pl.any_horizontal(yes.values()),
                 pl.any_horizontal(refused) if refused else pl.lit(False), pl.col("org_type"),
                 [word(answered, w) for w in words], [word(yes, w) for w in words]),
    )


def station_checklists(checklists: pl.LazyFrame, items: pl.DataFrame) -> pl.DataFrame:
    """Per station with a checklist row: observed, has_checklist, copy_refused and bit sets of answers.

    A station's checklist rows are folded into bit sets in one group-by on the station, however
    many organisations answered: ``answered_<w>``/``yes_<w>`` hold bit i of profile item i (word
    w = i // 64) when any organisation answered it yes or no / yes; ``org_answered_0`` and
    ``org_yes_0`` hold bit t of organisation type t (``schema.ORG_TYPES``) likewise. When the
    rows are a ``layout.grid`` of sheets (station and organisation) × items, as the demo and
    ingest write them, each sheet is folded from its item columns first and only the sheets are
    grouped; otherwise every answer is.
    """
    rows = checklists.select("station_id", "observer_org", "item", "answer", "org_type").collect()
    cells = layout.grid(rows, ["station_id", "observer_org", "org_type"], ["item"])
    parts = _per_answer(rows, items) if cells is None else _per_sheet(rows, cells, items)
    names = parts.collect_schema().names()[1:]
    return (
        parts.group_by("station_id")
        .agg(
            pl.lit(True).alias("observed"),
            pl.col("has_checklist", "copy_refused").any(),
            pl.col(*[n for n in names if n not in ("has_checklist", "copy_refused")]).bitwise_or(),
        )
        .collect()
    )


def with_violations(stations: pl.LazyFrame, items: pl.DataFrame) -> pl.LazyFrame:
    """Add checked (a profile item answered yes or no), violation (one answered yes) and violation_index (0..1).

    The index is Σ severity of the items answered yes over Σ severity of the items answered.

    Args:
        stations: ``station_checklists`` output.
        items: the profile's checklist items (item, section, severity).
    """
    every_item = _masks(list(range(items.height)), items.height)
    by_severity = {
        int(s): _masks([i for i, v in enumerate(items["severity"]) if v == s], items.height)
        for s in items["severity"].unique()
    }

    def weight(prefix: str) -> pl.Expr:
        return pl.sum_horizontal(pl.lit(s, pl.Int64) * _count(prefix, m) for s, m in by_severity.items())

    return stations.with_columns(
        _has_any(ANSWERED_BITS, every_item).alias("checked"),
        _has_any(YES_BITS, every_item).alias("violation"),
        share(weight(YES_BITS), weight(ANSWERED_BITS)).alias("violation_index"),
    )


def _rates(stations: pl.LazyFrame, keys: dict[str, pl.Series], tests: list[tuple[pl.Expr, pl.Expr]]) -> pl.LazyFrame:
    """Rates per key value from per-station tests.

    Args:
        stations: one row per station.
        keys: key columns, one value per test.
        tests: per key value, (the station is observed for it, the station has a yes for it).

    Returns:
        keys…, observed_stations, stations_with, rate, lo, hi for the key values observed at
        least once, sorted by the keys.
    """
    return (
        stations.select(
            *[pl.lit(values).alias(name) for name, values in keys.items()],
            pl.concat_list([seen.sum() for seen, _ in tests]).explode().cast(pl.UInt32).alias("observed_stations"),
            pl.concat_list([hit.sum() for _, hit in tests]).explode().cast(pl.UInt32).alias("stations_with"),
        )
        .filter(pl.col("observed_stations") > 0)
        .with_columns(wilson())
        .sort(list(keys))
    )


def _answer_rates(stations: pl.LazyFrame, keys: dict[str, pl.Series], masks: list[list[int]]) -> pl.LazyFrame:
    """Rates per key value whose items are the bit set ``masks[k]``: answered, and answered yes."""
    return _rates(stations, keys, [(_has_any(ANSWERED_BITS, m), _has_any(YES_BITS, m)) for m in masks])


def by_item(stations: pl.LazyFrame, items: pl.DataFrame) -> pl.LazyFrame:
    """Violation rate per checklist item (``stations``: ``station_checklists`` output)."""
    return _answer_rates(
        stations,
        {"item": items["item"], "section": items["section"]},
        [_masks([i], items.height) for i in range(items.height)],
    )


def by_section(stations: pl.LazyFrame, items: pl.DataFrame) -> pl.LazyFrame:
    """Violation rate per checklist section (a station counts once per section)."""
    sections = items["section"].unique().sort()
    return _answer_rates(
        stations,
        {"section": sections},
        [_masks([i for i, s in enumerate(items["section"]) if s == section], items.height) for section in sections],
    )


def by_org_type(stations: pl.LazyFrame) -> pl.LazyFrame:
    """Violation rate by type of observing organisation (stations observed by that type)."""
    return _rates(
        stations,
        {"org_type": pl.Series(schema.ORG_TYPES)},
        [(_has_any(ORG_ANSWERED_BITS, [1 << t]), _has_any(ORG_YES_BITS, [1 << t]))
         for t in range(len(schema.ORG_TYPES))],
    )


def by_region(violations: pl.LazyFrame) -> pl.LazyFrame:
    """Share of observed stations with any violation per region, and the mean severity index.

    Args:
        violations: region_code, violation and violation_index of each observed station.
    """
    return (
        violations.group_by("region_code")
        .agg(
            pl.len().cast(pl.UInt32).alias("observed_stations"),
            count("violation").alias("stations_with"),
            pl.col("violation_index").mean().fill_null(0.0).alias("violation_index"),
        )
        .with_columns(wilson())
        .select("region_code", *RATE_COLUMNS, "violation_index")
        .sort("region_code")
    )


def _reported(incidents: pl.LazyFrame, violations: pl.LazyFrame) -> pl.LazyFrame:
    """Incident reports that are not rejected, at stations observed on the checklist."""
    return incidents.filter(pl.col("status").is_in(REPORTED)).join(
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
    verified = pl.col("status") == VERIFIED
    hits = reported.select(
        pl.col("station_id").filter(verified).n_unique().cast(pl.UInt32).alias(VERIFIED),
        pl.col("station_id").n_unique().cast(pl.UInt32).alias("reported"),
    ).unpivot(variable_name="status", value_name="stations_with")
    statuses = pl.LazyFrame({"status": [VERIFIED, "reported"]})
    return _against_observed(hits, statuses, "status", violations)


def incident_counts(incidents: pl.LazyFrame) -> pl.LazyFrame:
    """Number of reports per station, rejected ones excluded."""
    return (
        incidents.filter(pl.col("status").is_in(REPORTED))
        .group_by("station_id")
        .agg(pl.len().cast(pl.UInt32).alias("incidents"))
    )
