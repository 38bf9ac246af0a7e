"""Presentation shaping for the station drill-down: one station's rows, laid out for reading.

Nothing here computes a metric: control-relation results, consensus figures, differences and
discrepancy classes come from ``saylau.metrics``. These pure functions only pick one station,
order protocol lines as the profile does, put documents side by side and mark every difference
with a symbol (``≠``, ``Δ``), so no meaning rests on colour alone. Texts arrive already
translated (mappings from codes to labels) and figures are formatted by a ``fmt`` callable, so
the functions stay free of Streamlit and of the interface language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from saylau.store import latest_official

DIFFERS = "≠"
SAME = "="
REVISED = "Δ"
MISSING = "—"
YES_MARK = "⚠"
LABEL_SEPARATOR = " · "
OFFICIAL = "official"
NOTABLE_CLASSES = ("material_change", "copies_disagree", "transcription_suspect")

Formatter = Callable[[int], str]


def station_rows(frame: pl.DataFrame, station_id: str) -> pl.DataFrame:
    """Keep the rows of one station (of any table with a ``station_id`` column)."""
    return frame.filter(pl.col("station_id") == station_id)


def _cell(value: int | None, fmt: Formatter) -> str:
    """Format a figure, or the missing mark."""
    return MISSING if value is None else fmt(value)


def _signed(value: int | None, fmt: Formatter) -> str:
    """Format a difference with its sign ('+12', '−3', '0')."""
    if value is None:
        return MISSING
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{fmt(abs(value))}"


def station_labels(stations: pl.DataFrame) -> dict[str, str]:
    """Return a label per station id, in the frame's order: id, number, territorial commission and address."""
    parts = [pl.col("station_id"), pl.lit("№ ") + pl.col("number").cast(pl.String), pl.col("tec"), pl.col("address")]
    labels = stations.select("station_id", pl.concat_str(parts, separator=LABEL_SEPARATOR, ignore_nulls=True).alias("label"))
    return dict(labels.iter_rows())


def search_stations(stations: pl.DataFrame, query: str, limit: int,
                    region: str | None = None) -> tuple[pl.DataFrame, int]:
    """Return up to ``limit`` stations matching a search, best first, and how many match in all.

    A station matches when its id, number, commission or address contains every word of the
    query, in any letter case (``№`` and ``#`` before a number are ignored); with ``region``,
    only that region's stations are searched. Stations whose id or number is the whole query
    come first, then the rest by id.
    """
    words = [w for w in query.lower().replace("№", " ").replace("#", " ").split() if w]
    if not words:
        return stations.clear(), 0
    if region is not None:
        stations = stations.filter(pl.col("region_code") == region)
    text = pl.concat_str([pl.col("station_id"), pl.col("number").cast(pl.String), pl.col("tec"), pl.col("address")],
                         separator=" ", ignore_nulls=True).str.to_lowercase()
    whole = " ".join(words)
    exact = (pl.col("station_id").str.to_lowercase() == whole) | (pl.col("number").cast(pl.String) == whole)
    found = stations.filter(pl.all_horizontal(text.str.contains(w, literal=True) for w in words))
    return found.sort(exact, "station_id", descending=[True, False]).head(limit), found.height


def station_row(frame: pl.DataFrame, station_id: str) -> dict[str, Any] | None:
    """Return the first row of a station in a table (register, status, class), or None when absent."""
    rows = station_rows(frame, station_id)
    return rows.row(0, named=True) if rows.height else None


def relabel(frame: pl.DataFrame, labels: Mapping[str, Mapping[str, str]]) -> pl.DataFrame:
    """Replace codes by labels in some text columns; codes without a label stay as they are."""
    return frame.with_columns(
        pl.col(name).cast(pl.String).replace_strict(dict(names), default=pl.col(name).cast(pl.String))
        for name, names in labels.items()
    )


def line_order(profile_lines: Sequence[str], present: Iterable[str]) -> list[str]:
    """Order line codes as the profile lists them, unknown lines last (sorted)."""
    present = set(present)
    known = [code for code in profile_lines if code in present]
    return known + sorted(present - set(known))


def copy_labels(copies: pl.DataFrame, station_id: str, type_names: Mapping[str, str]) -> dict[str, str]:
    """Return a label per copy of a station: organisation and its type, numbered when an organisation has several."""
    docs = station_rows(copies, station_id).group_by("copy_id").agg(pl.col("source_org").first(), pl.col("org_type").first())
    docs = docs.sort("source_org", "copy_id").with_columns(
        pl.len().over("source_org").alias("n"), (pl.int_range(pl.len()).over("source_org") + 1).alias("k")
    )
    return {
        row["copy_id"]: f"{row['source_org']} ({type_names.get(str(row['org_type']), str(row['org_type']))})"
        + (f" #{row['k']}" if row["n"] > 1 else "")
        for row in docs.iter_rows(named=True)
    }


def publications(official: pl.DataFrame, station_id: str) -> pl.DataFrame:
    """Return the official publications of a station (snapshot_id, published_at), oldest first."""
    return (
        station_rows(official, station_id)
        .group_by("snapshot_id")
        .agg(pl.col("published_at").max())
        .sort("published_at", "snapshot_id")
    )


def publication_table(
    official: pl.DataFrame, station_id: str, profile_lines: Sequence[str], line_names: Mapping[str, str], fmt: Formatter
) -> pl.DataFrame:
    """Lay out every official publication of a station side by side, one row per line.

    A figure that differs from the previous publication is prefixed with ``Δ``; the ``revised``
    column carries ``Δ`` on every line that changed at least once.
    """
    rows = station_rows(official, station_id)
    pubs = publications(official, station_id)["snapshot_id"].to_list()
    values = {(r["snapshot_id"], r["line"]): r["value"] for r in rows.iter_rows(named=True)}
    out: dict[str, list[str]] = {"code": [], "line": [], **{p: [] for p in pubs}, "revised": []}
    for code in line_order(profile_lines, rows["line"].unique().to_list()):
        out["code"].append(code)
        out["line"].append(line_names.get(code, code))
        previous, changed = None, False
        for pub in pubs:
            value = values.get((pub, code))
            moved = previous is not None and value is not None and value != previous
            changed |= moved
            out[pub].append(f"{REVISED} {fmt(value)}" if moved else _cell(value, fmt))
            previous = value if value is not None else previous
        out["revised"].append(REVISED if changed else "")
    return pl.DataFrame(out, schema={name: pl.String for name in out})


def comparison_table(
    official: pl.DataFrame,
    copies: pl.DataFrame,
    lines: pl.DataFrame,
    station_id: str,
    profile_lines: Sequence[str],
    line_names: Mapping[str, str],
    labels: Mapping[str, str],
    fmt: Formatter,
) -> pl.DataFrame:
    """Put the latest official figure beside every copy, line by line, with differences marked.

    Args:
        official: canonical ``protocol_official`` (every publication; the latest is used).
        copies: canonical ``protocol_copies``.
        lines: metric ``discrepancy_lines`` (``diff`` = official − consensus copy).
        station_id: the station.
        profile_lines: line codes in profile order.
        line_names: line code → label in the interface language.
        labels: copy_id → column label (``copy_labels``).
        fmt: number formatter of the interface language.

    Returns:
        code, line, official, one column per copy label (``≠`` after a figure that differs from
        the official one), diff (official − consensus copy) and ``mark`` (``≠``, ``=`` or ``—``).
    """
    latest = latest_official(station_rows(official, station_id).lazy()).collect()
    off = dict(zip(latest["line"].to_list(), latest["value"].to_list(), strict=True))
    own = station_rows(copies, station_id)
    doc = {(r["copy_id"], r["line"]): r["value"] for r in own.iter_rows(named=True)}
    diff = dict(station_rows(lines, station_id).select("line", "diff").iter_rows())
    out: dict[str, list[str]] = {"code": [], "line": [], OFFICIAL: [], **{label: [] for label in labels.values()},
                                 "diff": [], "mark": []}
    for code in line_order(profile_lines, set(off) | set(own["line"].to_list())):
        official_value = off.get(code)
        out["code"].append(code)
        out["line"].append(line_names.get(code, code))
        out[OFFICIAL].append(_cell(official_value, fmt))
        differs, compared = False, False
        for copy_id, label in labels.items():
            value = doc.get((copy_id, code))
            gap = official_value is not None and value is not None and value != official_value
            compared |= official_value is not None and value is not None
            differs |= gap
            out[label].append(f"{fmt(value)} {DIFFERS}" if gap else _cell(value, fmt))
        out["diff"].append(_signed(diff.get(code), fmt))
        out["mark"].append(DIFFERS if differs else (SAME if compared else MISSING))
    return pl.DataFrame(out, schema={name: pl.String for name in out})


def copy_documents(copies: pl.DataFrame, relations: pl.DataFrame, station_id: str, labels: Mapping[str, str]) -> pl.DataFrame:
    """Return one row per copy: label, obtained_at, signed, sealed, words_match, failed relations, photo hash."""
    failed = (
        station_rows(relations, station_id)
        .filter(pl.col("passed") == False)  # noqa: E712 (null = not evaluated, not failed)
        .group_by("document")
        .agg(pl.len().cast(pl.UInt32).alias("relations_failed"))
    )
    docs = (
        station_rows(copies, station_id)
        .group_by("copy_id")
        .agg(
            pl.col("org_type").first().cast(pl.String),
            pl.col("obtained_at").min(),
            pl.col("signed").all(ignore_nulls=True),
            pl.col("sealed").all(ignore_nulls=True),
            pl.col("words_match").all(ignore_nulls=True),
            pl.col("evidence_sha256").drop_nulls().unique().sort().str.join(", ").alias("evidence_sha256"),
        )
        .join(failed, left_on="copy_id", right_on="document", how="left")
        .with_columns(pl.col("relations_failed").fill_null(0))
    )
    order = list(labels)
    return (
        docs.filter(pl.col("copy_id").is_in(order))
        .with_columns(pl.col("copy_id").replace_strict(dict(labels)).alias("document"))
        .sort(pl.col("copy_id").replace_strict({c: i for i, c in enumerate(order)}, return_dtype=pl.UInt32))
        .select("document", "copy_id", "org_type", "obtained_at", "signed", "sealed", "words_match",
                "relations_failed", "evidence_sha256")
    )


def relation_table(
    relations: pl.DataFrame,
    station_id: str,
    labels: Mapping[str, str],
    texts: Mapping[str, str],
    result_names: Mapping[bool, str],
) -> pl.DataFrame:
    """Return the control-relation results of every document of a station, official first.

    ``labels`` maps ``official`` and each copy_id to a document label, ``texts`` maps relation
    codes to their wording, ``result_names`` maps passed (True/False) to a marked word.
    """
    order = {doc: i for i, doc in enumerate(labels)}
    rows = station_rows(relations, station_id).filter(pl.col("document").is_in(list(labels)))
    return rows.sort(
        pl.col("document").replace_strict(order, return_dtype=pl.UInt32), pl.col("passed"), pl.col("relation").cast(pl.String)
    ).select(
        pl.col("document").replace_strict(dict(labels)).alias("document"),
        pl.col("relation").cast(pl.String).alias("code"),
        pl.col("relation").cast(pl.String).replace_strict(dict(texts), default=pl.col("relation").cast(pl.String))
        .alias("relation"),
        pl.col("severity").cast(pl.String),
        "expected",
        "actual",
        pl.col("passed").replace_strict(dict(result_names), return_dtype=pl.String).alias("result"),
    )


def incident_table(incidents: pl.DataFrame, station_id: str, item_names: Mapping[str, str]) -> pl.DataFrame:
    """Return a station's incident reports in time order, the free text kept verbatim (plain text only)."""
    return (
        station_rows(incidents, station_id)
        .sort("observed_at", "incident_id")
        .select(
            "observed_at",
            pl.col("code").replace_strict(dict(item_names), default=pl.col("code")).alias("item"),
            "text",
            "code",
            "severity",
            pl.col("status").cast(pl.String),
            pl.col("org_type").cast(pl.String),
            "act_filed",
            pl.col("complaint_status").cast(pl.String),
            "incident_id",
        )
    )


def checklist_table(
    checklists: pl.DataFrame, station_id: str, item_order: Sequence[str], item_names: Mapping[str, str],
    answer_names: Mapping[str, str],
) -> pl.DataFrame:
    """Return one row per checklist item and one column per observing organisation (answers translated)."""
    rows = station_rows(checklists, station_id)
    orgs = sorted(rows["observer_org"].unique().to_list())
    answers = {(r["observer_org"], r["item"]): str(r["answer"]) for r in rows.iter_rows(named=True)}
    items = line_order(item_order, rows["item"].unique().to_list())
    out: dict[str, list[str]] = {"code": items, "item": [item_names.get(i, i) for i in items]}
    for org in orgs:
        out[org] = [answer_names.get(answers[(org, i)], answers[(org, i)]) if (org, i) in answers else MISSING
                    for i in items]
    out["mark"] = [YES_MARK if any(answers.get((org, i)) == "yes" for org in orgs) else "" for i in items]
    return pl.DataFrame(out, schema={name: pl.String for name in out})


def observer_visits(checklists: pl.DataFrame, station_id: str) -> pl.DataFrame:
    """Return each observing organisation of a station with its type, arrival and departure (UTC)."""
    return (
        station_rows(checklists, station_id)
        .group_by("observer_org")
        .agg(pl.col("org_type").first().cast(pl.String), pl.col("arrived_at").min(), pl.col("left_at").max())
        .sort("observer_org")
        .rename({"observer_org": "organisation"})
    )


def station_revisions(revisions: pl.DataFrame, station_id: str, line_names: Mapping[str, str]) -> pl.DataFrame:
    """Return the revisions of a station's official figures with line labels."""
    return station_rows(revisions, station_id).select(
        pl.col("line").replace_strict(dict(line_names), default=pl.col("line")).alias("line"),
        pl.col("line").alias("code"),
        "old_value",
        "new_value",
        (pl.col("new_value").cast(pl.Int64) - pl.col("old_value").cast(pl.Int64)).alias("change"),
        "old_snapshot_id",
        "new_snapshot_id",
        "revised_at",
    )


def notable_stations(status: pl.DataFrame, limit: int, url_for: Callable[[str], str]) -> pl.DataFrame:
    """Return stations worth opening first (material changes, disagreeing copies, slips, then most incidents) with links."""
    rank = {klass: i for i, klass in enumerate(NOTABLE_CLASSES)}
    top = (
        status.filter(pl.col("disc_class").cast(pl.String).is_in(NOTABLE_CLASSES) | (pl.col("incidents") > 0))
        .with_columns(
            pl.col("disc_class").cast(pl.String).replace_strict(rank, default=len(rank), return_dtype=pl.UInt8)
            .alias("rank")
        )
        .sort("rank", "incidents", "station_id", descending=[False, True, False])
        .head(limit)
        .select("station_id", "region_code", pl.col("disc_class").cast(pl.String), "incidents")
    )
    return top.with_columns(pl.Series("link", [url_for(i) for i in top["station_id"]], dtype=pl.String))
