"""Map figures: a region choropleth and station points on MapLibre, with no tile, glyph or sprite server.

Maps use ``go.Choroplethmap`` and ``go.Scattermap`` (Plotly 7 removed the Mapbox traces) on
the ``white-bg`` style, which has no tile source. That style still names a glyph server, which
MapLibre contacts only to draw text or icons, so nothing here draws any: points are plain
circles (``mode="markers"``, the circle symbol, no clustering, whose counts are text) and
names appear only in hover labels. Points are WebGL, so thousands of stations stay smooth;
their coordinates travel as float32 typed arrays (about 1 m precision) and a point's hover text
holds only what differs between points, which keeps the figure JSON small. The view is fitted
to the boundaries for the page's map, and for a briefing slide (``theme.for_briefing``), so
the same map fills the larger slide.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

from saylau.figures.theme import (
    BRIEFING_SMALL_PLOT_PX, MAP_STYLE, NO_DATA_COLOR, OKABE_ITO, SEQUENTIAL, apply_theme, for_briefing,
)
from saylau.geo import geojson_bounds

HOVER = "%{hovertext}<extra></extra>"
# the colour bar lies above the map, where it takes no width from it (a map is wider than tall) and keeps clear
# of the credit line drawn under the figure in files and on slides
COLORBAR = {"orientation": "h", "x": 0.5, "xanchor": "center", "y": 1, "yanchor": "bottom", "len": 0.9, "thickness": 10,
            "outlinewidth": 0}
POINT_HOVER = "%{{customdata}} · %{{hovertext}}<br>{status}<extra></extra>"
POINT_SIZE = 7
LEGEND_RANK_BASE = 1  # legend ranks of station statuses: 1, 2, … in ``color_map`` order
POINT_OPACITY = 0.85
FALLBACK_POINT_COLOR = OKABE_ITO["grey"]
UIREVISION = "map"
VIEWPORT_PX = (720, 400)
TILE_PX = 512  # width of the world at zoom 0, in pixels
MAX_ZOOM = 12.0


def _mercator_y(lat: float) -> float:
    """Return the Web Mercator y of a latitude, in units of the world width."""
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


def extent(geojson: dict[str, Any]) -> tuple[dict[str, float], tuple[float, float]]:
    """Return the centre of a GeoJSON's bounds and their width and height in pixels at zoom 0 (Web Mercator)."""
    lon_min, lat_min, lon_max, lat_max = geojson_bounds(geojson)
    y_min, y_max = _mercator_y(lat_min), _mercator_y(lat_max)
    lat_mid = math.degrees(2 * math.atan(math.exp((y_min + y_max) * math.pi)) - math.pi / 2)
    size = (TILE_PX * (lon_max - lon_min) / 360, TILE_PX * (y_max - y_min))
    return {"lon": (lon_min + lon_max) / 2, "lat": lat_mid}, size


def fit_zoom(size: tuple[float, float], viewport: tuple[int, int]) -> float:
    """Return the zoom at which an area of ``size`` pixels at zoom 0 (width, height) fills a viewport."""
    scale = min(viewport[0] / max(size[0], 1e-9), viewport[1] / max(size[1], 1e-9))
    return min(math.log2(scale), MAX_ZOOM)


def fit_view(fig: go.Figure, geojson: dict[str, Any], viewport: tuple[int, int] = VIEWPORT_PX) -> go.Figure:
    """Centre a map on a GeoJSON's bounds and zoom it to fill a viewport, and a briefing slide's plotting area.

    A map's zoom is fixed when it is drawn, so on a slide it is fitted to the smallest plotting area
    it must show whole in (a 1366×768 slide's); on a larger screen it is drawn smaller.
    """
    center, size = extent(geojson)
    fig.update_layout(map_center=center, map_zoom=fit_zoom(size, viewport))
    return for_briefing(fig, map={"zoom": fit_zoom(size, BRIEFING_SMALL_PLOT_PX)})


def _base_figure(traces: list[Any], title: str, geojson: dict[str, Any], lang: str) -> go.Figure:
    """Return a themed map: title, offline style and the view fitted to the boundaries."""
    fig = go.Figure(traces, layout={"title": {"text": title}, "map": {"style": MAP_STYLE}, "uirevision": UIREVISION})
    return apply_theme(fit_view(fig, geojson), lang)


def _subset(geojson: dict[str, Any], ids: set[str]) -> dict[str, Any]:
    """Return a FeatureCollection with only the features whose ``id`` is in ``ids``."""
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if f["id"] in ids]}


def region_traces(
    values: pl.DataFrame, geojson: dict[str, Any], colorscale: str | Sequence[Any] = SEQUENTIAL,
    colorbar_format: str | None = None,
) -> list[go.Choroplethmap]:
    """Return the choropleth traces: regions with a value on the colour scale, the others in grey.

    Each region's geometry is sent once: the grey trace carries only the regions without a value,
    and a trace with no region is left out (no empty colour bar).

    Args:
        values: columns ``region_code``, ``value`` (null = no data) and ``label`` (hover text,
            already formatted in the reader's language).
        geojson: region boundaries whose feature ``id`` is the region code (``saylau.geo``).
        colorscale: a Plotly colour scale; the theme's sequential scale by default.
        colorbar_format: d3 format of the colour bar's ticks (e.g. ``".0%"``).
    """
    ids = [f["id"] for f in geojson["features"]]
    labels = dict(zip(values["region_code"], values["label"], strict=True))
    shown = values.filter(pl.col("value").is_not_null() & pl.col("region_code").is_in(ids))
    codes = shown["region_code"].to_list()
    missing = sorted(set(ids) - set(codes), key=ids.index)
    traces = []
    if codes:
        traces.append(go.Choroplethmap(
            geojson=_subset(geojson, set(codes)), locations=codes, z=shown["value"].to_list(), customdata=codes,
            hovertext=shown["label"].to_list(), hovertemplate=HOVER, colorscale=colorscale,
            colorbar={**COLORBAR, "tickformat": colorbar_format}, showlegend=False, name="value",
        ))
    if missing:
        traces.append(go.Choroplethmap(
            geojson=_subset(geojson, set(missing)), locations=missing, z=[0] * len(missing), customdata=missing,
            hovertext=[labels.get(i, "") for i in missing], hovertemplate=HOVER,
            colorscale=[[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]], showscale=False, showlegend=False, name="no-data",
        ))
    return traces


def region_choropleth(
    values: pl.DataFrame, geojson: dict[str, Any], title: str, colorscale: str | Sequence[Any] = SEQUENTIAL,
    lang: str = "en", colorbar_format: str | None = None,
) -> go.Figure:
    """Return a region choropleth on an offline MapLibre map, themed for a language."""
    return _base_figure(region_traces(values, geojson, colorscale, colorbar_format), title, geojson, lang)


def station_points(
    stations: pl.DataFrame, color_map: Mapping[str, str], status_names: Mapping[str, str] | None = None,
    sizes: Mapping[str, int] | None = None,
) -> list[go.Scattermap]:
    """Return one circle-marker trace per station status, with ``customdata`` = station id for click-through.

    The hover label reads "station id · label" over the status name. Each point carries only
    its id and its label; the status name is written once per trace, in its hover template.
    Traces are drawn in reverse legend order, so the first statuses of ``color_map`` (the
    findings) lie on top of the crowd of later ones; the legend keeps ``color_map``'s order.

    Args:
        stations: columns ``station_id``, ``lat``, ``lon``, ``status`` and ``label`` (shown after
            the id in the hover label, e.g. the region); stations without coordinates are left out.
        color_map: colour per status; its order is the legend order, other statuses follow in grey.
        status_names: legend name per status (the status code when absent).
        sizes: marker diameter per status in pixels (``POINT_SIZE`` when absent).
    """
    located = stations.filter(pl.col("lat").is_not_null() & pl.col("lon").is_not_null())
    present = located["status"].unique(maintain_order=True).to_list()
    order = [s for s in color_map if s in present] + [s for s in present if s not in color_map]
    names, sizes = status_names or {}, sizes or {}
    traces = []
    for rank, status in reversed(list(enumerate(order))):
        part = located.filter(pl.col("status") == status)
        name = names.get(status, status)
        traces.append(go.Scattermap(
            lat=part["lat"].cast(pl.Float32).to_numpy(), lon=part["lon"].cast(pl.Float32).to_numpy(), mode="markers",
            marker={"size": sizes.get(status, POINT_SIZE), "opacity": POINT_OPACITY,
                    "color": color_map.get(status, FALLBACK_POINT_COLOR)},
            customdata=part["station_id"].to_list(), hovertext=part["label"].to_list(),
            hovertemplate=POINT_HOVER.format(status=html.escape(name, quote=False)),
            name=name, legendgroup=status, legendrank=LEGEND_RANK_BASE + rank,
        ))
    return traces


def station_map(
    values: pl.DataFrame, geojson: dict[str, Any], stations: pl.DataFrame, title: str,
    color_map: Mapping[str, str], lang: str = "en", colorscale: str | Sequence[Any] = SEQUENTIAL,
    status_names: Mapping[str, str] | None = None, colorbar_format: str | None = None,
    sizes: Mapping[str, int] | None = None,
) -> go.Figure:
    """Return the region choropleth with station points drawn over it."""
    traces = [*region_traces(values, geojson, colorscale, colorbar_format),
              *station_points(stations, color_map, status_names, sizes)]
    return _base_figure(traces, title, geojson, lang)
