"""Violation charts: rates per observed station with Wilson 95 % intervals, and the severity index.

Every rate is stations with a violation over observed stations (the checklist denominator), so
every chart shows its denominator in the hover text, the data table and the summary sentence.
Checklist items and sections are named from the country profile in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import polars as pl

from saylau.figures.discrepancy import in_region
from saylau.figures.registry import ChartContext, ChartOutput, chart
from saylau.figures.theme import (
    COLUMN_TICKS, MUTED_TEXT_COLOR, OKABE_ITO, TITLE_WRAP, bar_rows, bar_text, end_labels, labels_fit, padded_range,
    value_axis,
)
from saylau.i18n import fmt_int, fmt_num, fmt_pct, t

PAGE = "violations"
SECTION_PARAM = "section"
VIEWS = {  # the page's views and their charts; only the checklist view takes the section filter
    "checklist": ("violations-by-section", "violations-by-item"),
    "regions": ("violations-by-region", "violation-index"),
    "reports": ("violations-by-hour", "violations-verified"),
    "observers": ("violations-by-org",),
}
FILTERED_VIEW = "checklist"
BAR_COLOR = OKABE_ITO["blue"]
INDEX_COLOR = OKABE_ITO["vermillion"]
DIMMED_OPACITY = 0.35
RATE_AXIS_MAX = 1.2  # the most room for direct labels: beyond an interval that reaches 100 %
COLUMN_HEIGHT_PX = 420
INDEX_DIGITS = 2
ORG_TYPES = ("party", "ngo", "media", "international")
STATUSES = ("reported", "verified")
SCOPE_NATIONAL = "national"


def section_name(ctx: ChartContext, section: int) -> str:
    """Return a checklist section's name in the context language."""
    return ctx.profile.sections[section][1].get(ctx.lang) if section in ctx.profile.sections else str(section)


def item_name(ctx: ChartContext, code: str) -> str:
    """Return a checklist item's name in the context language (the code when the profile lacks it)."""
    item = ctx.profile.item(code)
    return item.names.get(ctx.lang) if item else code


def selected_section(ctx: ChartContext) -> int | None:
    """Return the checklist section chosen in the URL (``?section=``), or None for all sections."""
    value = ctx.params.get(SECTION_PARAM)
    return int(value) if value and value.isdigit() and int(value) in ctx.profile.sections else None


def observed_stations(ctx: ChartContext) -> int:
    """Return the number of observed stations (with a checklist answer) in the selection: every rate's denominator."""
    cov = ctx.tables["coverage"].filter(pl.col("scope") == (ctx.region or SCOPE_NATIONAL))
    return int(cov["checklist"][0]) if cov.height else 0


def _labelled(frame: pl.DataFrame, key: str, name: Callable[[object], str]) -> pl.DataFrame:
    """Put a display ``label`` column first, computed from the ``key`` column."""
    return frame.select(key, pl.Series("label", [name(v) for v in frame[key]], dtype=pl.String), pl.exclude(key))


def _rate_figure(data: pl.DataFrame, lang: str, vertical: bool = False, highlight: object | None = None,
                 narrow: bool = True) -> go.Figure:
    """Draw rates as bars with Wilson 95 % error bars and a direct label beyond each interval.

    Columns too many for a label each (``labels_fit``) go without: the hover and the table give them.
    """
    labels = data["label"].to_list()
    key = data.columns[0]
    opacity = [1.0 if highlight in (None, k) else DIMMED_OPACITY for k in data[key]]
    error = {"type": "data", "array": (data["hi"] - data["rate"]).to_list(),
             "arrayminus": (data["rate"] - data["lo"]).to_list(), "color": MUTED_TEXT_COLOR, "thickness": 1.5}
    hover = t("violations.hover", lang)
    custom = [[fmt_pct(r, lang), fmt_int(w, lang), fmt_int(n, lang), fmt_pct(lo, lang), fmt_pct(hi, lang)]
              for r, w, n, lo, hi in data.select("rate", "stations_with", "observed_stations", "lo", "hi").iter_rows()]
    text = [fmt_pct(r, lang) for r in data["rate"]]
    labelled = not vertical or labels_fit(len(labels))
    rows = bar_rows(labels, narrow=narrow)
    rate_axis = value_axis(t("violations.axis_rate", lang), TITLE_WRAP if vertical else rows.title_width, tickformat=".0%",
                           **({"range": [0, min(padded_range(data["hi"])[1], RATE_AXIS_MAX)]} if labelled
                              else {"rangemode": "tozero"}))
    bar = go.Bar(marker={"color": BAR_COLOR, "opacity": opacity}, customdata=custom, showlegend=False)
    if vertical:
        bar.update(x=labels, y=data["rate"], error_y=error, hovertemplate=f"%{{x}}<br>{hover}<extra></extra>")
        ends = end_labels(data["hi"].to_list(), labels, text, horizontal=False)
        axes = {"xaxis": {"nticks": COLUMN_TICKS}, "yaxis": rate_axis, "height": COLUMN_HEIGHT_PX}
    else:
        bar.update(x=data["rate"], error_x=error, hovertemplate=f"%{{hovertext}}<br>{hover}<extra></extra>", **rows.bar())
        ends = end_labels(data["hi"].to_list(), rows.y(), text)
        axes = {"xaxis": rate_axis, "yaxis": rows.axis, "height": rows.height}
    return go.Figure([bar, ends] if labelled else [bar]).update_layout(**axes)


def _top_summary(data: pl.DataFrame, lang: str) -> str:
    """Say which row has the highest rate, with its numerator and denominator (observed stations)."""
    top = data.sort("rate", descending=True).row(0, named=True) if data.height else None
    if not top or not top["observed_stations"]:
        return t("chart.empty", lang)
    return t("violations.rate_summary", lang, name=top["label"], rate=fmt_pct(top["rate"], lang),
             n=fmt_int(top["stations_with"], lang), observed=fmt_int(top["observed_stations"], lang))


def _rate_output(slug: str, ctx: ChartContext, data: pl.DataFrame, title_key: str, summary: str | None = None,
                 vertical: bool = False, highlight: object | None = None) -> ChartOutput:
    """Build a rate chart with its summary (by default: the highest rate and its denominator)."""
    fig = _rate_figure(data, ctx.lang, vertical, highlight, ctx.narrow)
    return ChartOutput(slug, t(title_key, ctx.lang), fig, data, summary or _top_summary(data, ctx.lang))


@chart("violations-by-section", page=PAGE)
def by_section_chart(ctx: ChartContext) -> ChartOutput:
    """Share of observed stations with a violation in each checklist section."""
    data = _labelled(ctx.tables["violations_by_section"], "section", lambda s: section_name(ctx, int(s)))
    return _rate_output("violations-by-section", ctx, data, "violations.section_title", highlight=selected_section(ctx))


@chart("violations-by-item", page=PAGE)
def by_item_chart(ctx: ChartContext) -> ChartOutput:
    """Share of observed stations where each checklist item was seen (one section if chosen)."""
    frame = ctx.tables["violations_by_item"]
    section = selected_section(ctx)
    if section is not None:
        frame = frame.filter(pl.col("section") == section)
    data = _labelled(frame.sort("rate", descending=True), "item", lambda code: item_name(ctx, str(code)))
    return _rate_output("violations-by-item", ctx, data, "violations.item_title")


@chart("violations-by-region", page=PAGE)
def by_region_chart(ctx: ChartContext) -> ChartOutput:
    """Share of observed stations with any violation, per region."""
    frame = in_region(ctx.tables["violations_by_region"].drop("violation_index"), ctx)
    data = _labelled(frame.sort("rate", descending=True), "region_code", lambda c: ctx.region_name(str(c)))
    return _rate_output("violations-by-region", ctx, data, "violations.region_title")


@chart("violations-by-hour", page=PAGE)
def by_hour_chart(ctx: ChartContext) -> ChartOutput:
    """Share of observed stations with an incident report in each local hour of voting day."""
    data = _labelled(ctx.tables["violations_by_hour"], "hour", lambda h: f"{int(h):02d}:00")
    return _rate_output("violations-by-hour", ctx, data, "violations.hour_title", vertical=True)


@chart("violations-by-org", page=PAGE)
def by_org_chart(ctx: ChartContext) -> ChartOutput:
    """Violation rate by the type of organisation that observed the station."""
    data = _labelled(ctx.tables["violations_by_org_type"], "org_type",
                     lambda o: t(f"violations.org_{o}", ctx.lang) if o in ORG_TYPES else str(o))
    return _rate_output("violations-by-org", ctx, data, "violations.org_title")


@chart("violations-verified", page=PAGE)
def verified_chart(ctx: ChartContext) -> ChartOutput:
    """Share of observed stations with any incident report beside those with a verified one."""
    frame = ctx.tables["violations_by_status"]
    rank = {s: i for i, s in enumerate(STATUSES)}
    frame = frame.sort(pl.col("status").replace_strict(rank, default=len(rank), return_dtype=pl.UInt8))
    data = _labelled(frame, "status", lambda s: t(f"violations.status_{s}", ctx.lang) if s in STATUSES else str(s))
    counts = dict(zip(data["status"], data["stations_with"], strict=True))
    observed = int(data["observed_stations"].max() or 0) if data.height else 0
    summary = t("violations.verified_summary", ctx.lang, verified=fmt_int(counts.get("verified", 0), ctx.lang),
                reported=fmt_int(counts.get("reported", 0), ctx.lang), observed=fmt_int(observed, ctx.lang))
    return _rate_output("violations-verified", ctx, data, "violations.verified_title", summary if observed else None)


@chart("violation-index", page=PAGE)
def index_chart(ctx: ChartContext) -> ChartOutput:
    """Severity-weighted violation index per region (mean over observed stations, 0 to 1)."""
    lang = ctx.lang
    frame = in_region(ctx.tables["violations_by_region"].select("region_code", "observed_stations", "violation_index"), ctx)
    data = _labelled(frame.sort("violation_index", descending=True), "region_code", lambda c: ctx.region_name(str(c)))
    rows = bar_rows(data["label"].to_list(), narrow=ctx.narrow)
    fig = go.Figure(
        go.Bar(
            x=data["violation_index"], marker_color=INDEX_COLOR, **rows.bar(),
            text=[fmt_num(v, lang, INDEX_DIGITS) for v in data["violation_index"]], **bar_text(INDEX_COLOR, data["violation_index"]),
            customdata=[fmt_int(n, lang) for n in data["observed_stations"]],
            hovertemplate="%{hovertext}<br>" + t("violations.index_hover", lang) + "<extra></extra>",
        )
    )
    fig.update_layout(xaxis=value_axis(t("violations.axis_index", lang), rows.title_width,
                                       range=padded_range(data["violation_index"])),
                      yaxis=rows.axis, showlegend=False, height=rows.height)
    top = data.row(0, named=True) if data.height else None
    summary = (
        t("violations.index_summary", lang, name=top["label"], index=fmt_num(top["violation_index"], lang, INDEX_DIGITS),
          observed=fmt_int(top["observed_stations"], lang))
        if top
        else t("chart.empty", lang)
    )
    return ChartOutput("violation-index", t("violations.index_title", lang), fig, data, summary)
