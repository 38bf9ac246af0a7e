"""Forensics charts: screening signals drawn from ``saylau.forensics.charts_data.tables_for_charts``.

Every chart shows where official figures look unlike honest counting; none marks a station
as fraudulent, and every summary says the chart is a screening signal. Percentages are in %
(0–100). ``ctx.params`` may hold ``rule`` (a Shpilkin peak rule) and ``peak`` (a clean
turnout in %); without them the estimate chosen when the tables were built is shown.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from saylau.figures.registry import ChartContext, ChartOutput, chart
from saylau.figures.theme import (
    BACKGROUND, BRIEFING, BRIEFING_PLOT_PX, LINE_PX, MUTED_TEXT_COLOR, OKABE_ITO, SCREEN, SEQUENTIAL, TEXT_COLOR, end_labels,
    for_briefing, padded_range, value_axis, wrap,
)
from saylau.forensics.charts_data import PEAK, expected_leader_votes
from saylau.forensics.fingerprint import FINE_BIN
from saylau.forensics.shpilkin import PEAK_RULES
from saylau.i18n import fmt_int, fmt_num, fmt_pct, t

PAGE = "forensics"
NEEDS = "forensics"
RULE_PARAM = "rule"
PEAK_PARAM = "peak"
RULES = (*PEAK_RULES, PEAK)
VIEWS = {  # the page's views: a method (saylau.forensics.explain) and the chart slugs shown above its notes
    "integer_percent": ("integer-percentages", "turnout-histogram", "leader-share-histogram"),
    "fingerprint": ("fingerprint",),
    "shpilkin": ("votes-by-turnout",),
    "digits": ("digit-tests",),
    "observed": ("observed-vs-unobserved",),
}
RULE_METHOD = "shpilkin"  # the one method whose chart takes the clean-peak rule
OBSERVED_COLOR = OKABE_ITO["vermillion"]
EXPECTED_COLOR = OKABE_ITO["grey"]
WHOLE_COLOR = OKABE_ITO["vermillion"]
OTHER_COLOR = OKABE_ITO["blue"]
LEADER_EXPECTED_COLOR = OKABE_ITO["grey"]
GROUP_COLORS = {"observed": OKABE_ITO["bluish_green"], "unobserved": OKABE_ITO["orange"]}
CHANCE_SD = 2
FLAG_SD = 3
Z_PAD = 0.5  # room beyond the outermost dot or flag line, in sd
TAIL_PERCENT = 90.0
TITLE_WRAP = 28
PANEL_WRAP = 42  # characters per line of a title over a panel that spans the whole width (no tick labels beside it)
COUNT_BAR_PX = 20  # one bar of the counts panel
COUNT_GAP_PX = 8
COUNT_ROW_PX = LINE_PX + 2 * COUNT_BAR_PX + COUNT_GAP_PX  # a variable's name above its two bars
DOT_PX = 10
REGION_ROW_PX = 30  # a region's name above its dot
REGION_HEAD = 0.5  # room above the first region for its name, in rows
ROW_LABEL_PX = SCREEN.font_size  # region names in the body size of the screen, also on a slide, where all must fit
AXIS_PX = 26  # tick labels under a panel
PANEL_GAP_PX = 12
CREDIT_PX = 100  # the bottom margin the credit line takes (``credit.add_credit``)
BRIEFING_SPLIT = (0.42, 0.5)  # on a slide the counts end and the regions start at these shares of the width
KEY_SEPARATOR = "   "
PANEL_PX = 170
HIST_PX = 360
HEATMAP_PX = 460
CURVE_PX = 440
GRID_HALF = 0.5
LABEL_ROOM = 0.9
FILL_COLOR = "rgba(0, 114, 178, 0.3)"


def _empty(slug: str, ctx: ChartContext, title_key: str) -> ChartOutput:
    """An empty chart that says honestly why nothing is plotted."""
    fig = go.Figure().add_annotation(text=t("forensics.too_few", ctx.lang), showarrow=False, x=0.5, y=0.5,
                                     xref="paper", yref="paper")
    fig.update_layout(xaxis={"visible": False}, yaxis={"visible": False}, height=HIST_PX // 2)
    return ChartOutput(slug, t(title_key, ctx.lang), fig, pl.DataFrame(), t("forensics.too_few", ctx.lang))


def _subplots(titles: list[str], **kwargs: Any) -> go.Figure:
    """Stacked panels with wrapped titles, so they fit on a phone."""
    return make_subplots(rows=len(titles), cols=1, subplot_titles=[wrap(x, TITLE_WRAP) for x in titles], **kwargs)


def _dot_rows(fig: go.Figure, rows: int) -> go.Figure:
    """First category on top, with room above it for the value labels of dot plots."""
    return fig.update_yaxes(range=[rows - 1 + LABEL_ROOM / 2, -LABEL_ROOM])


def has_data(ctx: ChartContext) -> bool:
    """Tell whether the selection holds enough stations for the screens."""
    summary = ctx.tables.get("forensics_summary")
    return summary is not None and summary.height > 0 and bool(summary["enough"][0])


def summary_row(ctx: ChartContext) -> dict[str, Any]:
    """Return the one-row forensics summary as a dict."""
    return ctx.tables["forensics_summary"].row(0, named=True)


def _names(ctx: ChartContext, key: str, codes: list[str]) -> dict[str, str]:
    """Translated labels ``forensics.<key>_<code>`` for a list of codes."""
    return {code: t(f"forensics.{key}_{code}", ctx.lang) for code in codes}


def _pct(value: float | None, lang: str, digits: int = 1) -> str:
    """Format a percentage given in 0–100."""
    return fmt_pct(None if value is None else value / 100, lang, digits)


def _signed(value: float, lang: str, digits: int = 1) -> str:
    """Format a number with an explicit sign."""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{fmt_num(abs(value), lang, digits)}"


def _lines(text: str) -> int:
    """Return the number of lines of a Plotly label."""
    return text.count("<br>") + 1


def _key(items: list[tuple[str, str]]) -> str:
    """Return a one-line colour key (a coloured square before each name) for a panel title."""
    return KEY_SEPARATOR.join(f'<span style="color:{color}">■</span> {html.escape(name)}' for name, color in items)


def _briefing_top(*titles: str) -> int:
    """Return the top margin that holds the panel titles in a briefing slide's type size."""
    line = LINE_PX * BRIEFING.font_size / SCREEN.font_size
    return round(max(_lines(x) for x in titles) * line) + PANEL_GAP_PX


def _panel_title(fig: go.Figure, text: str, axis: str) -> None:
    """Write a panel's title above its plotting area, left-aligned, so it follows the panel wherever it is placed."""
    fig.add_annotation(text=text, xref=f"x{axis} domain", yref=f"y{axis} domain", x=0, y=1, xanchor="left",
                       yanchor="bottom", yshift=PANEL_GAP_PX // 2, align="left", showarrow=False)


def _excess_panel(fig: go.Figure, regions: pl.DataFrame, lang: str) -> tuple[str, int]:
    """Draw the excess per region (sd) in the second panel, each name above its dot; return its title and height."""
    title = wrap(t("forensics.integer_panel_regions", lang), PANEL_WRAP)
    flagged = [OBSERVED_COLOR if abs(z or 0.0) >= FLAG_SD else EXPECTED_COLOR for z in regions["z"]]
    fig.add_scatter(x=regions["z"], y=regions["scope_name"], mode="markers", showlegend=False,
                    marker={"color": flagged, "size": DOT_PX}, customdata=regions.select("observed", "expected").to_numpy(),
                    hovertemplate=t("forensics.integer_region_hover", lang), row=2, col=1)
    for x in (-FLAG_SD, FLAG_SD):
        fig.add_vline(x=x, line_dash="dot", line_color=MUTED_TEXT_COLOR, row=2, col=1)
    z_range = [min(regions["z"].min() or 0.0, -FLAG_SD) - Z_PAD, max(regions["z"].max() or 0.0, FLAG_SD) + Z_PAD]
    fig.update_xaxes(value_axis(t("forensics.axis_z", lang), PANEL_WRAP, zeroline=True, range=z_range), row=2, col=1)
    fig.update_yaxes(showticklabels=False, ticks="", range=[regions.height - 0.5, -0.5 - REGION_HEAD], row=2, col=1)
    for name in regions["scope_name"]:  # in the screen's body size, also on a slide, where every region must fit
        fig.add_annotation(x=0, xref="x2 domain", y=name, yref="y2", text=name, showarrow=False, xanchor="left",
                           yanchor="bottom", yshift=DOT_PX // 2 + 1, font_size=ROW_LABEL_PX,
                           bgcolor=BACKGROUND)  # the ±3 sd lines pass behind a name, not through it
    _panel_title(fig, title, "2")
    return title, round((regions.height + REGION_HEAD) * REGION_ROW_PX)


@chart("integer-percentages", page=PAGE, needs=NEEDS)
def integer_percentages(ctx: ChartContext) -> ChartOutput:
    """Stations at a whole-percent turnout or leader share: observed against the exact chance expectation.

    Two panels with their titles above them and their row labels above their rows, so both
    span the whole width (a phone keeps its width for the bars): the national counts, then the
    excess per region. Heights are laid out in pixels, so titles, axes and rows never overlap;
    on a briefing slide the panels stand side by side (``for_briefing``).
    """
    slug, lang = "integer-percentages", ctx.lang
    if not has_data(ctx):
        return _empty(slug, ctx, "forensics.integer_title")
    variables = _names(ctx, "var", ["any", "turnout", "leader"])
    head = ctx.tables["integer_percent"].with_columns(
        pl.col("scope").alias("scope_name"), pl.col("variable").replace_strict(variables).alias("name")
    )
    regions = ctx.tables["integer_percent_by_region"].filter(pl.col("variable") == "any")
    by_region = ctx.region is None and regions.height > 1
    regions = regions.with_columns(
        pl.col("scope").map_elements(ctx.region_name, return_dtype=pl.String).alias("scope_name"),
        pl.col("variable").replace_strict(variables).alias("name"),
    ).sort("z")
    data = pl.concat([head, regions] if by_region else [head]).with_columns(
        (pl.col("expected") + CHANCE_SD * pl.col("sd")).alias("chance_hi")
    ).select("scope", "scope_name", "variable", "name", "stations", "observed", "expected", "sd", "chance_hi",
             "excess", "z")
    counts = data.head(head.height)
    observed, expected = t("forensics.series_observed", lang), t("forensics.series_expected", lang)
    fig = make_subplots(rows=2 if by_region else 1, cols=1)
    group = 2 * COUNT_BAR_PX / COUNT_ROW_PX  # the two bars of a row, in rows
    label = LINE_PX / COUNT_ROW_PX
    whisker = {"type": "data", "array": (CHANCE_SD * counts["sd"]).to_list(), "color": TEXT_COLOR}
    for series, column, color, error, ends, text in (
        (observed, "observed", OBSERVED_COLOR, None, "observed", [fmt_int(v, lang) for v in counts["observed"]]),
        (expected, "expected", EXPECTED_COLOR, whisker, "chance_hi", [fmt_num(v, lang) for v in counts["expected"]]),
    ):
        fig.add_bar(y=counts["name"], x=counts[column], orientation="h", name=series, marker_color=color, error_x=error,
                    hovertemplate=f"%{{y}}<br>{html.escape(series)}: %{{x:,.1f}}<extra></extra>", row=1, col=1)
        fig.add_trace(end_labels(counts[ends].to_list(), counts["name"].to_list(), text), row=1, col=1)
    for i, name in enumerate(counts["name"]):  # each row's name above its two bars (category axes count rows from 0)
        fig.add_annotation(text=name, xref="x domain", yref="y", x=0, y=i - group / 2, xanchor="left",
                           yanchor="bottom", showarrow=False)
    fig.update_yaxes(range=[counts.height - 1 + group / 2 + COUNT_GAP_PX / COUNT_ROW_PX, -group / 2 - label],
                     showticklabels=False, ticks="", row=1, col=1)
    fig.update_xaxes(value_axis(t("forensics.axis_stations", lang), PANEL_WRAP,
                                range=padded_range([*counts["observed"], *counts["chance_hi"]])), row=1, col=1)
    title = wrap(t("forensics.integer_panel_counts", lang), PANEL_WRAP) + "<br>" + _key(
        [(observed, OBSERVED_COLOR), (expected, EXPECTED_COLOR)])
    _panel_title(fig, title, "")
    titles = [title]
    top = _lines(title) * LINE_PX + PANEL_GAP_PX
    counts_px = counts.height * COUNT_ROW_PX
    plot_px = counts_px
    if by_region:
        region_title, regions_px = _excess_panel(fig, regions, lang)
        titles.append(region_title)
        gap = AXIS_PX + _lines(fig.layout.xaxis.title.text) * LINE_PX + PANEL_GAP_PX * 2 + _lines(region_title) * LINE_PX
        plot_px = counts_px + gap + regions_px
        fig.update_layout(yaxis={"domain": [(regions_px + gap) / plot_px, 1]}, yaxis2={"domain": [0, regions_px / plot_px]})
        # a slide is wide and short: the counts left, the regions right over the whole height
        for_briefing(fig, xaxis={"domain": [0, BRIEFING_SPLIT[0]]}, xaxis2={"domain": [BRIEFING_SPLIT[1], 1]},
                     yaxis2={"domain": [0, 1]})
    # on a slide the counts keep their proportions in the larger type, at the top
    briefing_counts = min(counts_px * BRIEFING.font_size / SCREEN.font_size / BRIEFING_PLOT_PX[1], 1)
    for_briefing(fig, yaxis={"domain": [1 - briefing_counts, 1]}, margin_t=_briefing_top(*titles))
    fig.update_layout(barmode="group", bargap=1 - group, scattermode="group", scattergap=1 - group, showlegend=False,
                      margin_t=top, height=top + plot_px + CREDIT_PX)
    row = head.filter(pl.col("variable") == "any").row(0, named=True)
    summary = t("forensics.integer_summary", lang, observed=fmt_int(row["observed"], lang),
                stations=fmt_int(row["stations"], lang), expected=fmt_num(row["expected"], lang),
                sd=fmt_num(row["sd"], lang), excess=_signed(row["excess"], lang),
                z=_signed(row["z"] or 0.0, lang))
    return ChartOutput(slug, t("forensics.integer_title", lang), fig, data, summary)


def _histogram(ctx: ChartContext, slug: str, table: str, key: str) -> ChartOutput:
    """Station counts in 0.1 pp bins (a step outline), whole-percent bins as bars on top (both histograms)."""
    lang = ctx.lang
    title_key = f"forensics.{key}_title"
    if not has_data(ctx):
        return _empty(slug, ctx, title_key)
    tenth = (pl.col("bin") * 10).round().cast(pl.Int64) % 10
    data = ctx.tables[table].select(
        "bin", "stations",
        pl.when(tenth == 0).then(pl.lit("whole")).when(tenth == 5).then(pl.lit("half")).otherwise(pl.lit("other"))
        .alias("kind"),
    )
    whole = data.filter(pl.col("kind") == "whole")
    fig = go.Figure()
    fig.add_scatter(x=data["bin"], y=data["stations"], mode="lines", line={"shape": "hvh", "width": 1},
                    line_color=OTHER_COLOR, fill="tozeroy", fillcolor=FILL_COLOR, name=t("forensics.series_other_bins", lang),
                    hovertemplate=t("forensics.hist_hover", lang))
    fig.add_bar(x=whole["bin"], y=whole["stations"], width=FINE_BIN, marker_color=WHOLE_COLOR, marker_line_width=0,
                name=t("forensics.series_whole_bins", lang), hovertemplate=t("forensics.hist_hover", lang))
    peak = whole.sort("stations", descending=True).row(0, named=True)
    fig.add_annotation(x=peak["bin"], y=peak["stations"], text=t("forensics.series_whole_bins", lang),
                       font_color=WHOLE_COLOR, showarrow=True, arrowcolor=WHOLE_COLOR, ax=-40, ay=-24, xanchor="right")
    used = data.filter(pl.col("stations") > 0)["bin"]
    fig.update_layout(bargap=0, showlegend=False, height=HIST_PX,
                      xaxis={"title": t(f"forensics.axis_{key}", lang), "ticksuffix": " %",
                             "range": [used.min() - 1, used.max() + 1]},
                      yaxis={"title": t("forensics.axis_stations", lang)})
    totals = data.group_by("kind").agg(pl.col("stations").sum())
    count = dict(zip(totals["kind"], totals["stations"], strict=True))
    summary = t("forensics.hist_summary", lang, whole=fmt_int(count.get("whole", 0), lang),
                half=fmt_int(count.get("half", 0), lang))
    return ChartOutput(slug, t(title_key, lang), fig, data, summary)


@chart("turnout-histogram", page=PAGE, needs=NEEDS)
def turnout_histogram(ctx: ChartContext) -> ChartOutput:
    """Stations by turnout in 0.1 pp bins."""
    return _histogram(ctx, "turnout-histogram", "turnout_histogram", "turnout")


@chart("leader-share-histogram", page=PAGE, needs=NEEDS)
def leader_share_histogram(ctx: ChartContext) -> ChartOutput:
    """Stations by the leader's share in 0.1 pp bins."""
    return _histogram(ctx, "leader-share-histogram", "leader_share_histogram", "leader_share")


@chart("fingerprint", page=PAGE, needs=NEEDS)
def fingerprint_chart(ctx: ChartContext) -> ChartOutput:
    """Turnout × leader-share map: stations per 1 pp × 1 pp cell (log colour scale); the summary adds the Klimek fit."""
    slug, lang = "fingerprint", ctx.lang
    if not has_data(ctx):
        return _empty(slug, ctx, "forensics.fingerprint_title")
    data = ctx.tables["fingerprint"].select("turnout", "leader_share", "stations")
    top = int(data["stations"].max())
    ticks = [10**k for k in range(int(math.log10(top)) + 1)]
    fig = go.Figure(go.Heatmap(
        x=data["turnout"], y=data["leader_share"], z=data["stations"].log(10), customdata=data["stations"],
        colorscale=SEQUENTIAL, zmin=0, zmax=math.log10(top), xgap=0, ygap=0,
        colorbar={"title": {"text": t("forensics.axis_stations", lang), "side": "right"},
                  "tickvals": [math.log10(v) for v in ticks], "ticktext": [fmt_int(v, lang) for v in ticks],
                  "thickness": 12},
        hovertemplate=t("forensics.fingerprint_hover", lang),
    ))
    axis = {"range": [-GRID_HALF, 100 + GRID_HALF], "ticksuffix": " %", "showgrid": False}
    fig.update_layout(height=HEATMAP_PX, xaxis={**axis, "title": t("forensics.axis_turnout", lang)},
                      yaxis={**axis, "title": t("forensics.axis_leader_share", lang)})
    tail = int(data.filter((pl.col("turnout") >= TAIL_PERCENT) & (pl.col("leader_share") >= TAIL_PERCENT))["stations"].sum())
    head = summary_row(ctx)
    summary = t("forensics.fingerprint_summary", lang, turnout=_pct(head["turnout"], lang),
                share=_pct(head["leader_share"], lang), tail=fmt_int(tail, lang),
                total=fmt_int(data["stations"].sum(), lang), cut=_pct(TAIL_PERCENT, lang, 0))
    if head.get("klimek_f_i") is not None:
        summary += " " + t("forensics.klimek_fit", lang, f_i=fmt_num(head["klimek_f_i"], lang, 2),
                           f_e=fmt_num(head["klimek_f_e"], lang, 3), alpha=fmt_num(head["klimek_alpha"], lang, 1))
    return ChartOutput(slug, t("forensics.fingerprint_title", lang), fig, data, summary)


def chosen_estimate(ctx: ChartContext, params: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the Shpilkin row for the peak rule or clean turnout in ``params`` (default: the chosen row)."""
    params = ctx.params if params is None else params
    table = ctx.tables["shpilkin"]
    rule, peak = params.get(RULE_PARAM), params.get(PEAK_PARAM)
    if rule == PEAK and peak not in (None, ""):
        peaks = table.filter(pl.col("rule") == PEAK)
        target = math.floor(float(peak)) + GRID_HALF
        return peaks.sort((pl.col("clean_turnout") - target).abs()).row(0, named=True)
    if rule in PEAK_RULES:
        return table.filter(pl.col("rule") == rule).row(0, named=True)
    chosen = table.filter("chosen")
    return (chosen if chosen.height else table).row(0, named=True)


@chart("votes-by-turnout", page=PAGE, needs=NEEDS)
def votes_by_turnout_chart(ctx: ChartContext) -> ChartOutput:
    """Votes per option by 1 pp turnout bin, with the clean peak and the leader's expected votes above it."""
    slug, lang = "votes-by-turnout", ctx.lang
    if not has_data(ctx):
        return _empty(slug, ctx, "forensics.votes_title")
    head = summary_row(ctx)
    leader = head["leader"]
    est = chosen_estimate(ctx)
    votes = ctx.tables["votes_by_turnout"]
    expected = expected_leader_votes(votes, leader, est["clean_turnout"], est["clean_leader_share"]).with_columns(
        pl.lit("leader_expected").alias("series")
    )
    data = pl.concat([votes.select("turnout", pl.col("option").alias("series"), pl.col("votes").cast(pl.Float64)),
                      expected.select("turnout", "series", "votes")])
    names = {**{line: ctx.option_name(line) for line in votes["option"].unique(maintain_order=True)},
             "leader_expected": t("forensics.series_leader_expected", lang, name=ctx.option_name(leader))}
    data = data.with_columns(pl.col("series").replace_strict(names).alias("name"))
    fig = go.Figure()
    for series, part in data.group_by("series", maintain_order=True):
        code = series[0]
        is_expected = code == "leader_expected"
        color = LEADER_EXPECTED_COLOR if is_expected else ctx.option_color(code)
        fig.add_scatter(x=part["turnout"], y=part["votes"], mode="lines", name=names[code], line_color=color,
                        line_dash="dash" if is_expected else "solid", showlegend=False,
                        hovertemplate=f"{names[code]}<br>" + t("forensics.votes_hover", lang))
        last = part.sort("votes", descending=True).row(0, named=True)
        fig.add_annotation(x=last["turnout"], y=last["votes"], text=names[code], font_color=color, showarrow=False,
                           xanchor="right", yanchor="bottom", xshift=-4)
    fig.add_vline(x=est["clean_turnout"], line_dash="dot", line_color=MUTED_TEXT_COLOR)
    fig.add_annotation(x=est["clean_turnout"], y=1, yref="paper", text=t("forensics.clean_peak", lang),
                       showarrow=False, xanchor="right", yanchor="bottom", font_color=MUTED_TEXT_COLOR)
    fig.update_layout(height=CURVE_PX, xaxis={"title": t("forensics.axis_turnout", lang), "ticksuffix": " %",
                                              "range": [data["turnout"].min() - 1, data["turnout"].max() + 1]},
                      yaxis={"title": t("forensics.axis_votes", lang), "rangemode": "tozero"})
    summary = t("forensics.votes_summary", lang, turnout=_pct(est["clean_turnout"], lang),
                rule=t(f"forensics.rule_{est['rule']}", lang), share=_pct(est["clean_leader_share"], lang),
                name=ctx.option_name(leader), excess=fmt_int(est["excess_votes"], lang),
                pct=_pct(est["excess_share_of_leader"], lang))
    return ChartOutput(slug, t("forensics.votes_title", lang), fig, data, summary)


@chart("digit-tests", page=PAGE, needs=NEEDS)
def digit_tests_chart(ctx: ChartContext) -> ChartOutput:
    """Digit statistics per option with bootstrap 95 % intervals against their expected values."""
    slug, lang = "digit-tests", ctx.lang
    if not has_data(ctx):
        return _empty(slug, ctx, "forensics.digits_title")
    raw = ctx.tables["digit_tests"]
    tests = raw["test"].unique(maintain_order=True).to_list()
    test_names = _names(ctx, "test", tests)
    data = raw.with_columns(
        pl.col("column").map_elements(ctx.option_name, return_dtype=pl.String).alias("name"),
        pl.col("test").replace_strict(test_names).alias("test_name"),
        ((pl.col("expected") < pl.col("lo")) | (pl.col("expected") > pl.col("hi"))).fill_null(False).alias("outside"),
    )
    fig = _subplots([test_names[x] for x in tests], vertical_spacing=0.2)
    for i, test in enumerate(tests, start=1):
        part = data.filter(pl.col("test") == test)
        fig.add_scatter(
            x=part["value"], y=part["name"], mode="markers+text", showlegend=False, cliponaxis=False,
            marker={"color": [ctx.option_color(c) for c in part["column"]], "size": 10},
            text=[fmt_num(v, lang, 2) for v in part["value"]], textposition="top center",
            error_x={"type": "data", "symmetric": False, "array": (part["hi"] - part["value"]).to_list(),
                     "arrayminus": (part["value"] - part["lo"]).to_list(), "color": MUTED_TEXT_COLOR},
            customdata=part.select("lo", "hi", "counts").to_numpy(), hovertemplate=t("forensics.digits_hover", lang),
            row=i, col=1,
        )
        fig.add_vline(x=part["expected"][0], line_dash="dash", line_color=MUTED_TEXT_COLOR, row=i, col=1)
    _dot_rows(fig, data["column"].n_unique())
    fig.update_layout(height=PANEL_PX * len(tests) + 80)
    outside = int(data["outside"].sum())
    summary = t("forensics.digits_summary", lang, outside=fmt_int(outside, lang), total=fmt_int(data.height, lang))
    return ChartOutput(slug, t("forensics.digits_title", lang), fig,
                       data.select("column", "name", "test", "test_name", "counts", "value", "expected", "lo", "hi",
                                   "outside"), summary)


@chart("observed-vs-unobserved", page=PAGE, needs=NEEDS)
def observed_chart(ctx: ChartContext) -> ChartOutput:
    """Turnout and leader share at stations with and without observers, with 95 % intervals."""
    slug, lang = "observed-vs-unobserved", ctx.lang
    if not has_data(ctx):
        return _empty(slug, ctx, "forensics.observed_title")
    measures = _names(ctx, "measure", ["turnout", "leader_share"])
    groups = _names(ctx, "group", list(GROUP_COLORS))
    data = ctx.tables["observed"].with_columns(
        pl.col("group").replace_strict(groups).alias("group_name"),
        pl.col("measure").replace_strict(measures).alias("measure_name"),
    )
    fig = _subplots(list(measures.values()), vertical_spacing=0.22)
    for i, measure in enumerate(measures, start=1):
        part = data.filter((pl.col("measure") == measure) & pl.col("value").is_not_null())
        fig.add_scatter(
            x=part["value"], y=part["group_name"], mode="markers+text", showlegend=False, cliponaxis=False,
            marker={"color": [GROUP_COLORS[g] for g in part["group"]], "size": 11},
            text=[_pct(v, lang) for v in part["value"]], textposition="top center",
            error_x={"type": "data", "symmetric": False, "array": (part["hi"] - part["value"]).to_list(),
                     "arrayminus": (part["value"] - part["lo"]).to_list(), "color": MUTED_TEXT_COLOR},
            customdata=part.select("stations", "lo", "hi").to_numpy(), hovertemplate=t("forensics.observed_hover", lang),
            row=i, col=1,
        )
        fig.update_xaxes(ticksuffix=" %", row=i, col=1)
    _dot_rows(fig, len(groups))
    fig.update_layout(height=2 * PANEL_PX + 100)
    diff = ctx.tables["observed_difference"].row(0, named=True)
    summary = (
        t("forensics.observed_summary", lang, turnout=_signed(diff["turnout"], lang),
          moe=fmt_num(diff["turnout"] - diff["turnout_lo"], lang), share=_signed(diff["leader_share"], lang))
        if diff["turnout"] is not None
        else t("forensics.observed_none", lang)
    )
    return ChartOutput(slug, t("forensics.observed_title", lang), fig, data.select(
        "group", "group_name", "measure", "measure_name", "stations", "value", "lo", "hi"), summary)
