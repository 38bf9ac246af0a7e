"""Station drill-down charts: the incident reports of one station on a timeline.

Builders read the canonical ``incidents`` table (``needs="tables"``) and the station id from
``ctx.params["id"]``. The reports' free text is never put into the figure (Plotly renders
some HTML in labels and hovers); only checklist item names from the profile are.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from saylau.figures.registry import ChartContext, ChartOutput, chart
from saylau.figures.theme import OKABE_ITO, title_width, value_axis
from saylau.i18n import fmt_int, t

SEVERITIES = (1, 2, 3)
STATUS_STYLE = {  # marker symbol and colour per report status: shape carries the meaning, colour repeats it
    "reported": ("circle", OKABE_ITO["blue"]),
    "verified": ("diamond", OKABE_ITO["vermillion"]),
    "rejected": ("x", OKABE_ITO["grey"]),
}
MARKER_SIZE = 13
SEVERITY_RANGE = (0.5, 3.5)
CHART_HEIGHT = 340
TIME_TICKS = 4  # "15:00" labels that fit unrotated beside the severity names on a phone


@chart("station-incidents", page="station", needs="tables")
def incidents_chart(ctx: ChartContext) -> ChartOutput:
    """Incident reports of one station by local time of day and severity, shaped by status."""
    lang = ctx.lang
    station_id = ctx.params.get("id", "")
    tz = ctx.profile.timezone
    names = {i.code: i.names.get(lang) for i in ctx.profile.items}
    data = (
        ctx.tables["incidents"]
        .filter(pl.col("station_id") == station_id)
        .sort("observed_at", "incident_id")
        .select(
            "incident_id",
            pl.col("observed_at").dt.convert_time_zone(tz).dt.replace_time_zone(None).alias("local_time"),
            "code",
            pl.col("code").replace_strict(names, default=pl.col("code")).alias("item"),
            "severity",
            pl.col("status").cast(pl.String),
        )
    )
    severity_names = {s: t(f"station.severity_{s}", lang) for s in SEVERITIES}
    fig = go.Figure()
    for status, (symbol, colour) in STATUS_STYLE.items():
        part = data.filter(pl.col("status") == status)
        if part.height:
            fig.add_scatter(
                x=part["local_time"].to_list(), y=part["severity"].to_list(),
                mode="markers", name=t(f"station.status_{status}", lang), hovertext=part["item"].to_list(),
                hovertemplate="%{x|%H:%M} · %{hovertext}<extra></extra>",
                marker={"symbol": symbol, "size": MARKER_SIZE, "color": colour, "line": {"width": 1, "color": "#FFFFFF"}},
            )
    fig.update_layout(
        height=CHART_HEIGHT,
        xaxis=value_axis(t("station.axis_time", lang, tz=tz), title_width(list(severity_names.values())),
                         tickformat="%H:%M", nticks=TIME_TICKS),
        yaxis={"title": t("station.axis_severity", lang), "tickvals": list(SEVERITIES),
               "ticktext": [severity_names[s] for s in SEVERITIES], "range": SEVERITY_RANGE, "zeroline": False},
        legend={"orientation": "h", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom"},
    )
    verified = data.filter(pl.col("status") == "verified").height
    summary = (
        t("station.incidents_summary", lang, n=fmt_int(data.height, lang), verified=fmt_int(verified, lang), id=station_id)
        if data.height else t("chart.empty", lang)
    )
    return ChartOutput("station-incidents", t("station.incidents_title", lang, id=station_id), fig, data, summary)
