"""Discrepancy charts: stations by class, net shift per option, official vs copy tally by region.

Also builds the station table of the discrepancies page (one row per compared station, with a
link to its drill-down), so the page itself holds no Polars logic. The class colours are shared
with the station map, so a class looks the same on every view.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from saylau.figures.registry import ChartContext, ChartOutput, chart
from saylau.figures.theme import OKABE_ITO, bar_rows, bar_text, padded_range, value_axis
from saylau.i18n import fmt_int, fmt_pct, fmt_pp, t

PAGE = "discrepancies"
CLASS_PARAM = "class"
VIEWS = {  # the page's views and their charts; the stations view also lists the stations (both take the class filter)
    "stations": ("discrepancy-classes",),
    "shift": ("net-shift",),
    "regions": ("tally-by-region",),
}
STATION_VIEW = "stations"
NO_COPY = "no_copy"
CLASS_ORDER = ("material_change", "transcription_suspect", "copies_disagree", "no_official", "match")
CLASS_COLORS: dict[str, str] = {
    "material_change": OKABE_ITO["vermillion"],
    "transcription_suspect": OKABE_ITO["orange"],
    "copies_disagree": OKABE_ITO["reddish_purple"],
    "no_official": OKABE_ITO["sky_blue"],
    "match": OKABE_ITO["bluish_green"],
}
DIMMED_OPACITY = 0.35
SHIFT_PREFIX = "net_shift_"  # per-option columns of ``station_discrepancy``
PERCENT = 100.0
SCOPE_NATIONAL = "national"


def class_name(code: str, lang: str) -> str:
    """Return the display name of a discrepancy class."""
    return t(f"discrepancies.class_{code}", lang)


def selected_class(ctx: ChartContext) -> str | None:
    """Return the class chosen in the URL (``?class=``), or None for every compared class."""
    value = ctx.params.get(CLASS_PARAM)
    return value if value in CLASS_ORDER else None


def in_region(frame: pl.DataFrame, ctx: ChartContext, column: str = "region_code") -> pl.DataFrame:
    """Keep the rows of the selected region (tables are usually filtered already; this makes it certain)."""
    return frame.filter(pl.col(column) == ctx.region) if ctx.region else frame


def compared_stations(ctx: ChartContext) -> int:
    """Return the number of stations in the selection with both official figures and a protocol copy."""
    return int(in_region(ctx.tables["region_summary"], ctx)["compared"].sum())


def _signed(value: int, lang: str) -> str:
    """Format a vote count with its sign ('+219', '−219')."""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{fmt_int(abs(value), lang)}"


@chart("discrepancy-classes", page=PAGE)
def classes_chart(ctx: ChartContext) -> ChartOutput:
    """Stations with a protocol copy, by how the official figures compare with the copies."""
    lang = ctx.lang
    stations = in_region(ctx.tables["station_discrepancy"], ctx).filter(pl.col("class").cast(pl.String) != NO_COPY)
    counts = dict(stations["class"].cast(pl.String).value_counts().iter_rows())
    total = stations.height
    data = pl.DataFrame(
        {
            "class": list(CLASS_ORDER),
            "name": [class_name(c, lang) for c in CLASS_ORDER],
            "stations": pl.Series([counts.get(c, 0) for c in CLASS_ORDER], dtype=pl.UInt32),
        }
    ).with_columns((pl.col("stations") / total if total else pl.lit(0.0)).alias("share"))
    chosen = selected_class(ctx)
    rows = bar_rows(data["name"].to_list(), narrow=ctx.narrow)
    colors = [CLASS_COLORS[c] for c in CLASS_ORDER]
    fig = go.Figure(
        go.Bar(
            x=data["stations"], **rows.bar(),
            marker={"color": colors, "opacity": [1.0 if chosen in (None, c) else DIMMED_OPACITY for c in CLASS_ORDER]},
            text=[f"{fmt_int(n, lang)} ({fmt_pct(s, lang)})" for n, s in zip(data["stations"], data["share"], strict=True)],
            **bar_text(colors, data["stations"]), hovertemplate="%{hovertext}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(xaxis=value_axis(t("discrepancies.axis_stations", lang), rows.title_width,
                                       range=padded_range(data["stations"])),
                      yaxis=rows.axis, showlegend=False, height=rows.height)
    summary = t("discrepancies.classes_summary", lang, material=fmt_int(counts.get("material_change", 0), lang),
                suspect=fmt_int(counts.get("transcription_suspect", 0), lang), copies=fmt_int(total, lang))
    return ChartOutput("discrepancy-classes", t("discrepancies.classes_title", lang), fig, data, summary)


@chart("net-shift", page=PAGE)
def net_shift_chart(ctx: ChartContext) -> ChartOutput:
    """Votes each option gains in the official figures over the copies, at material-change stations.

    The shift comes from the metrics table ``shift_by_option`` (already computed for the selected
    region); the number of material-change stations is its denominator.
    """
    lang = ctx.lang
    material = in_region(ctx.tables["station_discrepancy"], ctx).filter(pl.col("class").cast(pl.String) == "material_change")
    shifts = ctx.tables["shift_by_option"]
    options = shifts["option"].to_list()
    data = shifts.select("option", pl.Series("name", [ctx.option_name(o) for o in options], dtype=pl.String),
                         "net_shift", "stations")
    rows = bar_rows(data["name"].to_list(), narrow=ctx.narrow)
    colors = [ctx.option_color(o) for o in options]
    fig = go.Figure(
        go.Bar(
            x=data["net_shift"], **rows.bar(), marker_color=colors,
            text=[_signed(v, lang) for v in data["net_shift"]], **bar_text(colors, data["net_shift"]),
            hovertemplate="%{hovertext}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(xaxis=value_axis(t("discrepancies.axis_votes", lang), rows.title_width, zeroline=True,
                                       range=padded_range(data["net_shift"])),
                      yaxis=rows.axis, showlegend=False, height=rows.height)
    gainer = data.sort("net_shift", descending=True).row(0, named=True) if data.height else None
    summary = (
        t("discrepancies.shift_summary", lang, n=fmt_int(material.height, lang), name=gainer["name"],
          votes=fmt_int(gainer["net_shift"], lang))
        if gainer and gainer["net_shift"] > 0
        else t("discrepancies.shift_none", lang, n=fmt_int(material.height, lang))
    )
    return ChartOutput("net-shift", t("discrepancies.shift_title", lang), fig, data, summary)


@chart("tally-by-region", page=PAGE)
def tally_chart(ctx: ChartContext) -> ChartOutput:
    """Official share minus copy-tally share per option and region, over stations with a copy."""
    lang = ctx.lang
    res = ctx.tables["results"].filter((pl.col("scope") != SCOPE_NATIONAL) & (pl.col("stations_with_copy") > 0))
    res = in_region(res, ctx, "scope")
    data = (
        res.select(
            pl.col("scope").alias("region_code"),
            pl.col("scope").replace_strict({c: ctx.region_name(c) for c in res["scope"].unique()}, return_dtype=pl.String)
            .alias("region"),
            "option",
            pl.col("option").replace_strict({o: ctx.option_name(o) for o in res["option"].unique()}, return_dtype=pl.String)
            .alias("name"),
            "official_votes", "copy_votes", "official_share", "copy_share", "stations_with_copy",
            ((pl.col("official_share") - pl.col("copy_share")) * PERCENT).alias("diff_pp"),
        )
        .sort("region", "option")
    )
    options = ctx.election.get("options", [])
    rows = bar_rows(data["region"].unique(maintain_order=True).to_list(), bars=max(len(options), 1), narrow=ctx.narrow)
    fig = go.Figure()
    for k, opt in enumerate(options):
        part = pl.DataFrame({"region": rows.labels}, schema={"region": pl.String}).join(  # one row per bar row, in row order
            data.filter(pl.col("option") == opt["line"]), on="region", how="left", maintain_order="left")
        fig.add_bar(
            x=part["diff_pp"], **rows.bar(k), name=ctx.option_name(opt["line"]),
            marker_color=ctx.option_color(opt["line"]),
            customdata=[[fmt_pct(o, lang), fmt_pct(c, lang), fmt_int(n, lang)]
                        for o, c, n in zip(part["official_share"], part["copy_share"], part["stations_with_copy"], strict=True)],
            hovertemplate=f"%{{hovertext}} · {ctx.option_name(opt['line'])}<br>{t('discrepancies.tally_hover', lang)}<extra></extra>",
        )
    fig.update_layout(xaxis=value_axis(t("discrepancies.axis_pp", lang), rows.title_width, zeroline=True),
                      yaxis=rows.axis,
                      height=rows.height)
    widest = data.sort(pl.col("diff_pp").abs(), descending=True).row(0, named=True) if data.height else None
    summary = (
        t("discrepancies.tally_summary", lang, region=widest["region"], name=widest["name"],
          diff=fmt_pp(widest["diff_pp"], lang), n=fmt_int(widest["stations_with_copy"], lang))
        if widest
        else t("chart.empty", lang)
    )
    return ChartOutput("tally-by-region", t("discrepancies.tally_title", lang), fig, data, summary)


def station_table(ctx: ChartContext) -> pl.DataFrame:
    """Return the compared stations (of the chosen class) with a link to each station's page.

    Columns: ``link`` (``station?id=…&lang=…``), region, class, lines differing, turnout
    difference (pp), copies and the net shift per option; headers are in the context language.
    """
    lang = ctx.lang
    chosen = selected_class(ctx)
    frame = in_region(ctx.tables["station_discrepancy"], ctx).with_columns(pl.col("class").cast(pl.String))
    frame = frame.filter(pl.col("class") == chosen) if chosen else frame.filter(pl.col("class") != NO_COPY)
    rank = {c: i for i, c in enumerate(CLASS_ORDER)}
    options = [o["line"] for o in ctx.election.get("options", [])]
    return (
        frame.sort(pl.col("class").replace_strict(rank, default=len(rank), return_dtype=pl.UInt8),
                   pl.col("lines_differing"), descending=[False, True])
        .select(
            pl.format("station?id={}&lang={}", "station_id", pl.lit(lang)).alias("link"),
            pl.col("region_code").replace_strict({c: ctx.region_name(c) for c in frame["region_code"].unique()},
                                                 return_dtype=pl.String).alias(t("discrepancies.col_region", lang)),
            pl.col("class").replace_strict({c: class_name(c, lang) for c in CLASS_ORDER}, default=pl.col("class"))
            .alias(t("discrepancies.col_class", lang)),
            pl.col("lines_differing").alias(t("discrepancies.col_lines", lang)),
            pl.col("turnout_diff").round(2).alias(t("discrepancies.col_turnout", lang)),
            pl.col("n_copies").alias(t("discrepancies.col_copies", lang)),
            *[pl.col(f"{SHIFT_PREFIX}{o}").alias(t("discrepancies.col_shift", lang, name=ctx.option_name(o)))
              for o in options],
        )
    )
