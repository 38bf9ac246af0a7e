"""Overview charts: the result three ways (official, copy tally, sample estimate) and coverage."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from saylau.figures.registry import ChartContext, ChartOutput, chart
from saylau.figures.theme import OKABE_ITO, bar_rows, bar_text, end_labels, padded_range, value_axis
from saylau.i18n import fmt_pct, t

SCOPE_NATIONAL = "national"
COVERAGE_MEASURES = ("observed", "checklist", "copy", "official")
# the result's series: column, legend name key, colour. The official result over every station with
# figures; the copy tally: the same result with the observers' copies in place of the official
# figures where copies exist (``metrics.tally``); the sample estimate where the deployment declares one
RESULT_SERIES = (
    ("official_share", "overview.series_official", OKABE_ITO["blue"]),
    ("copy_share", "overview.series_copies", OKABE_ITO["orange"]),
    ("estimate", "overview.series_estimate", OKABE_ITO["bluish_green"]),
)
COVERAGE_COLOR = OKABE_ITO["sky_blue"]


def _scope(ctx: ChartContext) -> str:
    return ctx.region or SCOPE_NATIONAL


@chart("result", page="overview")
def result_chart(ctx: ChartContext) -> ChartOutput:
    """Official share per option beside the copy tally and, when declared, the sample estimate."""
    lang = ctx.lang
    res = ctx.tables["results"].filter(pl.col("scope") == _scope(ctx))
    est = ctx.tables["estimate"]
    data = res.select("option", pl.col("total_official_share").alias("official_share"),
                      pl.col("mixed_share").alias("copy_share"), "stations_with_copy")
    if est.height:
        data = data.join(est.select("option", "estimate", "moe"), on="option", how="left")
    else:
        data = data.with_columns(pl.lit(None, pl.Float64).alias("estimate"), pl.lit(None, pl.Float64).alias("moe"))
    labels = {o["line"]: ctx.option_name(o["line"]) for o in ctx.election.get("options", [])}
    data = (data.with_columns(pl.col("option").replace_strict(labels, default=pl.col("option")).alias("name"))
            .sort("official_share", "option", descending=[True, False], nulls_last=True))  # the leader on top
    shown = {"estimate": data["estimate"].is_not_null().any(), "copy_share": data["stations_with_copy"].sum() > 0}
    series = [spec for spec in RESULT_SERIES if shown.get(spec[0], True)]
    rows = bar_rows(data["name"].to_list(), bars=len(series), narrow=ctx.narrow)
    ends = {column: data[column] + data["moe"].fill_null(0.0) if column == "estimate" else data[column] for column, _, _ in series}
    fig = go.Figure()
    for k, (column, name_key, color) in enumerate(series):
        margin = {"type": "data", "array": data["moe"].to_list(), "visible": True} if column == "estimate" else None
        name = t(name_key, lang)
        fig.add_bar(x=data[column], **rows.bar(k), name=name, marker_color=color, error_x=margin,
                    hovertemplate=f"%{{hovertext}} · {name}: %{{x:.1%}}<extra></extra>")
        fig.add_trace(end_labels(ends[column].to_list(), rows.y(k), [fmt_pct(v, lang) for v in data[column]]))
    fig.update_layout(xaxis=value_axis(t("overview.axis_share", lang), rows.title_width, tickformat=".0%",
                                       range=padded_range(v for end in ends.values() for v in end)),
                      yaxis=rows.axis, height=rows.height, legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})
    lead = data.sort("official_share", descending=True, nulls_last=True).row(0, named=True) if data.height else None
    if not lead:
        summary = t("chart.empty", lang)
    elif shown["copy_share"]:
        summary = t("overview.result_summary", lang, name=lead["name"], official=fmt_pct(lead["official_share"], lang),
                    copies=fmt_pct(lead["copy_share"], lang))
    else:
        summary = t("overview.result_summary_no_copies", lang, name=lead["name"],
                    official=fmt_pct(lead["official_share"], lang))
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
    rows = bar_rows(data["label"].to_list(), narrow=ctx.narrow)
    fig = go.Figure(go.Bar(x=data["share"], **rows.bar(), marker_color=COVERAGE_COLOR,
                           text=[fmt_pct(v, lang) for v in data["share"]], **bar_text(COVERAGE_COLOR, data["share"]),
                           hovertemplate="%{hovertext}: %{text}<extra></extra>"))
    fig.update_layout(xaxis=value_axis(t("overview.axis_stations", lang), rows.title_width, tickformat=".0%",
                                       range=padded_range([1.0])),
                      yaxis=rows.axis, showlegend=False, height=rows.height)
    summary = t("overview.coverage_summary", lang, observed=fmt_pct(data["share"][0], lang), copy=fmt_pct(data["share"][2], lang))
    return ChartOutput("coverage", t("overview.coverage_title", lang), fig, data, summary)
