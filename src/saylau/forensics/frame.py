"""The per-station input frame shared by every forensic screen.

Every method reads one row per polling station with the columns ``station_id``,
``region_code``, ``registered`` (voters on the list, n), ``issued`` (ballots issued, g),
``found`` (ballots found in the boxes, r), one column per option holding its votes (named by
the option's protocol line, e.g. ``votes_yes``) and ``observed`` (an observer was present).
``station_frame`` builds it from the canonical long tables; ``with_shares`` adds the derived
percentages and the inclusion flag of Kobak, Shpilkin & Pshenichnikov (AoAS 2016);
``observed_stations`` lists the stations an observer covered, for ``station_frame``.
"""

from __future__ import annotations

import polars as pl

from saylau.store import latest_official

BASE_COLUMNS = ("station_id", "region_code", "registered", "issued", "found")
LINE_REGISTERED = "voters_on_list"
LINE_ISSUED = "ballots_issued"
LINE_IN_BOXES = "ballots_in_boxes"
LINE_VALID = "ballots_valid"
LINE_INVALID = "ballots_invalid"
MIN_REGISTERED = 100
MAX_PERCENT = 99
LEADER = "leader"
TURNOUT = "turnout"
SHARE = "leader_share"
INCLUDED = "included"
PLOTTED = "plotted"
OBSERVER_TABLES = ("checklists", "protocol_copies")


def station_frame(
    official_long: pl.LazyFrame,
    stations: pl.LazyFrame,
    options: list[str],
    observed: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """Build the per-station forensic input frame from canonical long tables.

    ``official_long`` is ``protocol_official`` (every publication; the latest figure per
    station and line is used), ``stations`` gives ``region_code``, ``options`` are the
    ``votes_*`` lines, and ``observed`` lists observed stations (``station_id`` and,
    optionally, a boolean ``observed`` column; absent stations count as unobserved).
    ``found`` is ``ballots_valid + ballots_invalid`` where both are published, otherwise
    ``ballots_in_boxes``. Stations without a registered or issued figure are dropped.
    """
    lines = [LINE_REGISTERED, LINE_ISSUED, LINE_IN_BOXES, LINE_VALID, LINE_INVALID, *options]
    wide = (
        latest_official(official_long.filter(pl.col("line").is_in(lines)))
        .select("station_id", "line", pl.col("value").cast(pl.Int64))
        .pivot(on="line", on_columns=lines, index="station_id", values="value")
    )
    found = pl.coalesce(pl.col(LINE_VALID) + pl.col(LINE_INVALID), pl.col(LINE_IN_BOXES))
    frame = (
        wide.join(stations.select("station_id", "region_code"), on="station_id", how="left")
        .filter(pl.col(LINE_REGISTERED).is_not_null() & pl.col(LINE_ISSUED).is_not_null())
        .select(
            "station_id",
            pl.col("region_code").fill_null(""),
            pl.col(LINE_REGISTERED).alias("registered"),
            pl.col(LINE_ISSUED).alias("issued"),
            found.fill_null(0).alias("found"),
            *(pl.col(o).fill_null(0) for o in options),
        )
    )
    return frame.join(_observed_flags(observed), on="station_id", how="left").with_columns(
        pl.col("observed").fill_null(False)
    )


def observed_stations(tables: dict[str, pl.LazyFrame]) -> pl.LazyFrame | None:
    """Stations with an observer checklist or a protocol copy (None when neither table exists)."""
    parts = [tables[name].select("station_id") for name in OBSERVER_TABLES if name in tables]
    return pl.concat(parts) if parts else None


def _observed_flags(observed: pl.LazyFrame | None) -> pl.LazyFrame:
    """Reduce an observer table to one boolean per listed station."""
    if observed is None:
        return pl.LazyFrame(schema={"station_id": pl.String, "observed": pl.Boolean})
    flag = pl.col("observed").any() if "observed" in observed.collect_schema() else pl.lit(True)
    return observed.group_by("station_id").agg(flag.alias("observed"))


def option_columns(frame: pl.LazyFrame) -> list[str]:
    """Return the option (votes) columns of a station frame."""
    return [c for c in frame.collect_schema().names() if c not in (*BASE_COLUMNS, "observed")]


def leader_option(frame: pl.LazyFrame, options: list[str] | None = None) -> str:
    """Return the option with the most votes over all stations (the default leader)."""
    options = options or option_columns(frame)
    totals = frame.select(pl.col(options).sum()).collect().row(0)
    return max(zip(options, totals, strict=True), key=lambda pair: pair[1] or 0)[0]


def with_shares(frame: pl.LazyFrame, leader: str) -> pl.LazyFrame:
    """Add ``leader`` votes, ``turnout`` (100·g/n), ``leader_share`` (100·l/r) and two flags.

    ``plotted`` (fingerprints, Klimek et al.): n ≥ 100, r > 0, g ≤ n and l ≤ r.
    ``included`` (integer test, AoAS 2016): also g/n ≤ 0.99 and l/r ≤ 0.99, which drop the
    100 % pile-up that would swamp the integer count.
    """
    n, g, r, lead = pl.col("registered"), pl.col("issued"), pl.col("found"), pl.col(leader)
    plotted = ((n >= MIN_REGISTERED) & (r > 0) & (g <= n) & (lead <= r)).fill_null(False)
    return frame.with_columns(
        lead.alias(LEADER),
        pl.when(n > 0).then(100 * g / n).alias(TURNOUT),
        pl.when(r > 0).then(100 * lead / r).alias(SHARE),
        plotted.alias(PLOTTED),
        (plotted & (100 * g <= MAX_PERCENT * n) & (100 * lead <= MAX_PERCENT * r)).alias(INCLUDED),
    )
