"""Map charts: a region choropleth of one headline metric, and station points coloured by status.

Both are drawn by ``saylau.figures.maps`` on the offline MapLibre style (no tiles, no text
layers). Names and values appear in hover labels, legend names and the table alternative, so no
meaning rests on colour alone. A selected region (``ctx.region``) narrows the boundaries to that
region, which also zooms the map to it.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from saylau import geo
from saylau.figures import maps
from saylau.figures.discrepancy import CLASS_COLORS, class_name, in_region
from saylau.figures.registry import ChartContext, ChartOutput, chart
from saylau.figures.theme import OKABE_ITO
from saylau.i18n import fmt_int, fmt_pct, t

PAGE = "map"
METRIC_PARAM = "metric"
# public metric name in the URL → (region_summary column, its denominator column)
METRICS: dict[str, tuple[str, str]] = {
    "turnout": ("turnout", "registered"),
    "violations": ("violation_rate", "observed"),
    "discrepancies": ("discrepancy_share", "compared"),
    "coverage": ("observed_share", "stations"),
}
DEFAULT_METRIC = "turnout"
VIEWS = {"regions": ("region-map",), "stations": ("station-map",)}  # the page's views and the map each draws
STATION_VIEW = "stations"  # the view whose map reports clicks on a station
FINDINGS = ("material_change", "transcription_suspect", "copies_disagree")
STATUS_COLORS: dict[str, str] = {
    **{c: CLASS_COLORS[c] for c in FINDINGS},
    "copy_refused": OKABE_ITO["blue"],
    "observed": OKABE_ITO["bluish_green"],
    "not_observed": OKABE_ITO["grey"],
}
POINT_PX = {False: 7, True: 5}  # a station point's diameter on a wide screen and on a phone
CROWD_PX = {False: 4, True: 3}  # the crowd of stations nobody observed is drawn smaller, under the others
COORD_DIGITS = 4
MAP_HEIGHT_PX = {False: 470, True: 380}  # a map's height on a wide screen and on a phone (``ChartContext.narrow``)
# the plotting area of a map, less a safety margin: half a wide page (the map page sets its two maps side by side)
# or a 700 px article iframe; a 360 px phone
VIEW_PX = {False: (540, 320), True: (320, 230)}
LEGEND_BELOW = {"y": 0, "yanchor": "top"}  # under the map: the tool bar in the top corner would cover a legend there
LEGEND_PX = {False: 60, True: 0}  # the station map grows by its two legend rows; a phone-wide map is bound by width and has height to spare
TOOLBAR_PX = 32  # top margin of a map without a colour bar: room for Plotly's tool bar only


def metric_param(ctx: ChartContext) -> str:
    """Return the metric chosen in the URL (``?metric=``), or the default."""
    value = ctx.params.get(METRIC_PARAM)
    return value if value in METRICS else DEFAULT_METRIC


def metric_name(metric: str, lang: str) -> str:
    """Return the display name of a map metric."""
    return t(f"map.metric_{metric}", lang)


def status_name(status: str, lang: str) -> str:
    """Return the display name of a station status (discrepancy classes share their names)."""
    return class_name(status, lang) if status in FINDINGS else t(f"map.status_{status}", lang)


def _fit(fig: go.Figure, boundaries: dict[str, Any], narrow: bool) -> go.Figure:
    """Size a map for a wide or a phone-wide page column and fit its view to the boundaries (the block shows the title)."""
    return maps.fit_view(fig.update_layout(title={"text": ""}, height=MAP_HEIGHT_PX[narrow]), boundaries, VIEW_PX[narrow])


def _boundaries(ctx: ChartContext) -> dict[str, Any]:
    """Return the simplified region boundaries, only the selected region's when one is chosen."""
    collection = geo.region_geojson(ctx.profile)
    if not ctx.region:
        return collection
    return {**collection, "features": [f for f in collection["features"] if f["id"] == ctx.region]}


def unmapped_regions(ctx: ChartContext) -> list[str]:
    """Return the data's region codes that the profile's boundaries lack (they cannot be drawn)."""
    ids = {f["id"] for f in geo.region_geojson(ctx.profile)["features"]}
    return [c for c in ctx.tables["region_summary"]["region_code"].to_list() if c not in ids]


def _region_names(ctx: ChartContext, codes: pl.Series) -> pl.Expr:
    """Return an expression mapping ``region_code`` to region names in the context language."""
    return pl.col("region_code").replace_strict({c: ctx.region_name(c) for c in codes.unique()}, return_dtype=pl.String)


@chart("region-map", page=PAGE)
def region_map(ctx: ChartContext) -> ChartOutput:
    """Regions coloured by turnout, violation rate, discrepancy share or coverage (``?metric=``)."""
    lang = ctx.lang
    metric = metric_param(ctx)
    column, basis = METRICS[metric]
    summary_table = in_region(ctx.tables["region_summary"], ctx)
    data = summary_table.select(
        "region_code",
        _region_names(ctx, summary_table["region_code"]).alias("region"),
        pl.when(pl.col(basis) > 0).then(pl.col(column)).otherwise(None).alias("value"),
        pl.col(basis).cast(pl.UInt64).alias("denominator"),
    ).sort("region")
    name = metric_name(metric, lang)
    labels = [
        t("map.region_hover", lang, region=r, metric=name, value=fmt_pct(v, lang),
          basis=t(f"map.basis_{metric}", lang, n=fmt_int(n, lang)))
        for r, v, n in data.select("region", "value", "denominator").iter_rows()
    ]
    title = t("map.region_title", lang, metric=name)
    boundaries = _boundaries(ctx)
    fig = _fit(maps.region_choropleth(data.with_columns(pl.Series("label", labels)), boundaries, title, lang=lang,
                                      colorbar_format=".0%"), boundaries, ctx.narrow)
    ranked = data.drop_nulls("value").sort("value", descending=True)
    basis_all = t(f"map.basis_{metric}", lang, n=fmt_int(int(ranked["denominator"].sum()), lang))
    if ranked.height > 1:
        high, low = ranked.row(0, named=True), ranked.row(-1, named=True)
        summary = t("map.region_summary", lang, metric=name, high=high["region"], high_value=fmt_pct(high["value"], lang),
                    low=low["region"], low_value=fmt_pct(low["value"], lang), basis=basis_all)
    elif ranked.height:
        only = ranked.row(0, named=True)
        summary = t("map.region_one", lang, metric=name, region=only["region"], value=fmt_pct(only["value"], lang),
                    basis=basis_all)
    else:
        summary = t("chart.empty", lang)
    return ChartOutput("region-map", title, fig, data.with_columns(pl.lit(metric).alias("metric")), summary)


def station_statuses(ctx: ChartContext) -> pl.DataFrame:
    """Return station_id, region_code, region, status, lat, lon of the stations in scope."""
    frame = in_region(ctx.tables["station_status"], ctx)
    klass = pl.col("disc_class").cast(pl.String)
    status = (
        pl.when(klass.is_in(FINDINGS)).then(klass)
        .when(pl.col("copy_refused")).then(pl.lit("copy_refused"))
        .when(pl.col("observed")).then(pl.lit("observed"))
        .otherwise(pl.lit("not_observed"))
    )
    return frame.select(
        "station_id", "region_code", _region_names(ctx, frame["region_code"]).alias("region"), status.alias("status"),
        pl.col("lat").round(COORD_DIGITS), pl.col("lon").round(COORD_DIGITS),
    )


@chart("station-map", page=PAGE)
def station_map(ctx: ChartContext) -> ChartOutput:
    """Every station as a point coloured by what observers found there; click one to open it."""
    lang = ctx.lang
    data = station_statuses(ctx)
    names = {s: status_name(s, lang) for s in STATUS_COLORS}
    points = data.with_columns(pl.col("region").alias("label"))  # hover: "id · region", then the status name
    regions = pl.DataFrame({"region_code": data["region_code"].unique().sort()}).with_columns(
        pl.lit(None, pl.Float64).alias("value"), _region_names(ctx, data["region_code"]).alias("label")
    )
    title = t("map.station_title", lang)
    boundaries = _boundaries(ctx)
    fig = _fit(maps.station_map(regions, boundaries, points, title, STATUS_COLORS, lang=lang, status_names=names,
                                sizes={s: POINT_PX[ctx.narrow] for s in STATUS_COLORS} | {"not_observed": CROWD_PX[ctx.narrow]}),
               boundaries, ctx.narrow).update_layout(legend=LEGEND_BELOW, margin={"t": TOOLBAR_PX},
                                                     height=MAP_HEIGHT_PX[ctx.narrow] + LEGEND_PX[ctx.narrow])
    counts = dict(data["status"].value_counts().iter_rows())
    summary = t("map.station_summary", lang, total=fmt_int(data.height, lang),
                observed=fmt_int(data.height - counts.get("not_observed", 0), lang),
                material=fmt_int(counts.get("material_change", 0), lang),
                refused=fmt_int(counts.get("copy_refused", 0), lang))
    return ChartOutput("station-map", title, fig, data, summary)
