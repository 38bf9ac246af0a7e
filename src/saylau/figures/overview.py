"""Overview charts: the result three ways (official, copy tally, sample estimate) and coverage."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from saylau.figures.registry import ChartContext, ChartOutput, chart
from saylau.i18n import fmt_pct, t

SCOPE_NATIONAL = "national"
COVERAGE_MEASURES = ("observed", "checklist", "copy", "official")
LABEL_HEADROOM = 1.15  # room right of the longest bar for its value label


def _scope(ctx: ChartContext) -> str:
    return ctx.region or SCOPE_NATIONAL


@chart("result", page="overview")
def result_chart(ctx: ChartContext) -> ChartOutput:
    """Official share per option beside the copy tally and, when declared, the sample estimate."""
    lang = ctx.lang
    res = ctx.tables["results"].filter(pl.col("scope") == _scope(ctx))
    est = ctx.tables["estimate"]
    data = res.select("option", "official_share", "copy_share")
    if est.height:
        data = data.join(est.select("option", "estimate", "moe"), on="option", how="left")
    else:
        data = data.with_columns(pl.lit(None, pl.Float64).alias("estimate"), pl.lit(None, pl.Float64).alias("moe"))
    labels = {o["line"]: ctx.option_name(o["line"]) for o in ctx.election.get("options", [])}
    data = data.with_columns(pl.col("option").replace_strict(labels, default=pl.col("option")).alias("name"))
    names = data["name"].to_list()
    fig = go.Figure()
    fig.add_bar(y=names, x=data["official_share"], orientation="h", name=t("overview.series_official", lang),
                marker_color="#0072B2", text=[fmt_pct(v, lang) for v in data["official_share"]], textposition="outside")
    fig.add_bar(y=names, x=data["copy_share"], orientation="h", name=t("overview.series_copies", lang),
                marker_color="#E69F00", text=[fmt_pct(v, lang) for v in data["copy_share"]], textposition="outside")
    if data["estimate"].is_not_null().any():
        fig.add_bar(y=names, x=data["estimate"], orientation="h", name=t("overview.series_estimate", lang),
                    marker_color="#009E73", error_x={"type": "data", "array": data["moe"].to_list(), "visible": True},
                    text=[fmt_pct(v, lang) for v in data["estimate"]], textposition="outside")
    top = max([v for v in [*data["official_share"], *data["copy_share"], *data["estimate"]] if v is not None] or [1.0])
    fig.update_traces(cliponaxis=False)
    fig.update_layout(barmode="group", xaxis={"tickformat": ".0%", "title": t("overview.axis_share", lang),
                                              "range": [0, top * LABEL_HEADROOM]},
                      yaxis={"autorange": "reversed"},
                      legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})
    lead = data.sort("official_share", descending=True, nulls_last=True).row(0, named=True) if data.height else None
    summary = (
        t("overview.result_summary", lang, name=lead["name"], official=fmt_pct(lead["official_share"], lang),
          copies=fmt_pct(lead["copy_share"], lang))
        if lead else t("chart.empty", lang)
    )
    return ChartOutput("result", t("overview.result_title", lang), fig, data.select("option", "name", "official_share", "copy_share", "estimate", "moe"), summary)


@chart("coverage", page="overview")
def coverage_chart(ctx: ChartContext) -> ChartOutput:
    """Share of stations with an observer, a checklist, a protocol copy and an official figure."""
    lang = ctx.lang
    cov = ctx.tables["coverage"].filter(pl.col("scope") == _scope(ctx))
    row = cov.row(0, named=True) if cov.height else {}
    data = pl.DataFrame(
        {
            "measure": list(COVERAGE_MEASURES),
            "label": [t(f"overview.cov_{m}", lang) for m in COVERAGE_MEASURES],
            "stations": [int(row.get(m, 0) or 0) for m in COVERAGE_MEASURES],
            "share": [float(row.get(f"{m}_share", 0.0) or 0.0) for m in COVERAGE_MEASURES],
        }
    )
    fig = go.Figure(go.Bar(x=data["share"], y=data["label"], orientation="h", marker_color="#56B4E9",
                           text=[fmt_pct(v, lang) for v in data["share"]], textposition="outside", cliponaxis=False))
    fig.update_layout(xaxis={"tickformat": ".0%", "range": [0, LABEL_HEADROOM], "title": t("overview.axis_stations", lang)},
                      yaxis={"autorange": "reversed"}, showlegend=False)
    summary = t("overview.coverage_summary", lang, observed=fmt_pct(data["share"][0], lang), copy=fmt_pct(data["share"][2], lang))
    return ChartOutput("coverage", t("overview.coverage_title", lang), fig, data, summary)
