"""House style for every Plotly figure: one template (screen and briefing variants), palettes, config.

Importing this module registers two templates with ``plotly.io.templates``: ``saylau`` for the
screen and ``saylau_briefing`` for projection at a press briefing (big type, thick lines, no
legend, wide margins). Colours are colour-blind safe: Okabe-Ito for categorical series that are
not parties (parties keep their own colours from the election manifest), ColorBrewer YlGnBu for
sequential and PuOr for diverging scales. Fonts are system fonts only, so nothing is fetched.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import plotly.colors
import plotly.graph_objects as go
import plotly.io as pio

from saylau.i18n import PLOTLY_SEPARATORS, normalize_lang

TEMPLATE = "saylau"
BRIEFING_TEMPLATE = "saylau_briefing"

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif'
TEXT_COLOR = "#1A1A1A"
MUTED_TEXT_COLOR = "#595959"
GRID_COLOR = "#E5E5E5"
AXIS_LINE_COLOR = "#8C8C8C"
BACKGROUND = "#FFFFFF"
NO_DATA_COLOR = "#D9D9D9"
BOUNDARY_COLOR = "#FFFFFF"
MAP_STYLE = "white-bg"

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
COLORWAY: tuple[str, ...] = tuple(
    OKABE_ITO[name]
    for name in ("blue", "orange", "bluish_green", "vermillion", "sky_blue", "reddish_purple", "yellow", "grey")
)
SEQUENTIAL: list[list[float | str]] = plotly.colors.make_colorscale(plotly.colors.sequential.YlGnBu)
DIVERGING: list[list[float | str]] = plotly.colors.make_colorscale(plotly.colors.diverging.PuOr)

IMAGE_FORMAT = "png"
IMAGE_SCALE = 2
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": IMAGE_FORMAT, "scale": IMAGE_SCALE},
}


@dataclass(frozen=True)
class Variant:
    """Sizes that differ between the screen and the briefing template."""

    font_size: int
    title_size: int
    line_width: float
    marker_size: int
    margin: dict[str, int]
    showlegend: bool | None


SCREEN = Variant(font_size=14, title_size=18, line_width=2.5, marker_size=7,
                 margin={"l": 16, "r": 16, "t": 56, "b": 16}, showlegend=None)
BRIEFING = Variant(font_size=22, title_size=30, line_width=5, marker_size=12,
                   margin={"l": 80, "r": 80, "t": 110, "b": 80}, showlegend=False)


def _template(v: Variant) -> go.layout.Template:
    """Build the template of one variant."""
    axis = {
        "gridcolor": GRID_COLOR,
        "linecolor": AXIS_LINE_COLOR,
        "zerolinecolor": AXIS_LINE_COLOR,
        "ticks": "outside",
        "tickcolor": AXIS_LINE_COLOR,
        "automargin": True,
        "title": {"standoff": v.font_size // 2},
    }
    line = {"width": v.line_width}
    marker = {"size": v.marker_size}
    return go.layout.Template(
        layout={
            "font": {"family": FONT_FAMILY, "size": v.font_size, "color": TEXT_COLOR},
            "title": {"font": {"size": v.title_size}, "x": 0, "xanchor": "left", "xref": "paper", "automargin": True},
            "colorway": COLORWAY,
            "colorscale": {"sequential": SEQUENTIAL, "diverging": DIVERGING},
            "paper_bgcolor": BACKGROUND,
            "plot_bgcolor": BACKGROUND,
            "margin": v.margin,
            "showlegend": v.showlegend,
            "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
            "hoverlabel": {"font": {"family": FONT_FAMILY, "size": v.font_size}},
            "xaxis": axis,
            "yaxis": axis,
            "map": {"style": MAP_STYLE},
        },
        data={
            "scatter": [go.Scatter(line=line, marker=marker)],
            "scattergl": [go.Scattergl(line=line, marker=marker)],
            "scattermap": [go.Scattermap(marker=marker)],
            "choroplethmap": [go.Choroplethmap(marker={"line": {"color": BOUNDARY_COLOR, "width": v.line_width / 2}})],
        },
    )


pio.templates[TEMPLATE] = _template(SCREEN)
pio.templates[BRIEFING_TEMPLATE] = _template(BRIEFING)


def separators(lang: str) -> str:
    """Return Plotly's ``layout.separators`` (decimal mark, then thousands mark) for a language."""
    return PLOTLY_SEPARATORS[normalize_lang(lang)]


def apply_theme(fig: go.Figure, lang: str, briefing: bool = False) -> go.Figure:
    """Give a figure the screen or briefing template and the language's number separators."""
    return fig.update_layout(template=BRIEFING_TEMPLATE if briefing else TEMPLATE, separators=separators(lang))


def plotly_config(slug: str) -> dict[str, Any]:
    """Return ``PLOTLY_CONFIG`` with the image download named after a chart's slug."""
    config = copy.deepcopy(PLOTLY_CONFIG)
    config["toImageButtonOptions"]["filename"] = slug
    return config
