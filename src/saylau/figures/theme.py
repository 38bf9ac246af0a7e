"""House style for every Plotly figure: one template (screen and briefing variants), palettes, config.

Importing this module registers two templates with ``plotly.io.templates``: ``saylau`` for the
screen and ``saylau_briefing`` for projection at a press briefing (big type, thick lines, no
legend, wide margins). Colours are colour-blind safe: Okabe-Ito for categorical series that are
not parties (parties keep their own colours from the election manifest), ColorBrewer YlGnBu for
sequential and PuOr for diverging scales. Fonts are system fonts only, so nothing is fetched.

It also holds the layout rules every builder shares, so a chart reads on a 390 px phone as
well as on a desktop or a briefing slide: category labels and axis titles wrapped at word
boundaries (``bar_rows``, ``value_axis``), few value ticks (so they never rotate), value
labels beyond bars and whiskers (``end_labels``) and only where the bars leave room for them
(``labels_fit``), and layout changes a builder records for the wider, shorter plotting area
and larger type of a briefing slide (``for_briefing``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas  # noqa: F401  (see below)
import plotly.colors
import plotly.graph_objects as go
import plotly.io as pio

# Plotly's validators look pandas up in ``sys.modules`` without importing it; while another
# session's thread is still importing pandas (Streamlit does so lazily) a figure built in
# parallel meets a half-initialised module and fails. Importing it here, under the import lock,
# before any figure can be built, closes that race (two embeds on one article page hit it).

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

LABEL_WRAP = 17  # characters per line of a category label: a phone keeps most of its width for the bars
WIDE_LABEL_WRAP = 34  # the same on a wide screen, where a label column of this width leaves the bars most of the chart
WIDE_TITLE_WRAP = 60  # characters per line of an axis title under a chart on a wide screen
TITLE_WRAP = 22  # characters per line of an axis title, which Plotly centres under the plot and never wraps
PHONE_FIGURE_PX = 358  # a chart's width on a 390 px phone, less the page's padding
CHAR_PX = 8.5  # width of a character at the screen font size, wide enough for Cyrillic in DejaVu Sans
TICK_GAP_PX = 10  # tick and padding between category labels and the bars
VALUE_TICKS = 5  # most ticks on a value axis, so that a phone-width axis never rotates its labels
COLUMN_TICKS = 6  # most labels under a row of columns (e.g. every fourth of 24 hours), for the same reason
DENSE_BARS = 8  # more bars than this side by side leave no room for a value label on each
LABEL_ROOM = 0.3  # share of an axis span kept free beyond the bars for their value labels
LABEL_GAP_PX = 7  # diameter of the invisible marker under an end label: the gap before the label
LINE_PX = 18  # height of one line of a wrapped category label (Plotly spaces lines 1.3 em apart)
BAR_PX = 24  # thickness of one bar of a horizontal bar chart
ROW_GAP_PX = 10  # space between two rows of a horizontal bar chart
BAR_CHART_BASE_PX = 170  # title, legend, value axis and credit line of a horizontal bar chart
BRIEFING_META = "briefing"  # ``layout.meta`` key: layout changes for drawing the figure on a briefing slide
BRIEFING_PLOT_PX = (1600, 580)  # plotting area of a chart on a 1920×1080 briefing slide, less a safety margin
BRIEFING_SMALL_PLOT_PX = (1150, 230)  # the same on a 1366×768 slide (measured 1182×244), the smaller screen a slide fits

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
        "title": {"standoff": v.font_size // 2, "font": {"size": v.font_size}},
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
    """Give a figure the screen or briefing template and the language's number separators.

    For a briefing, axis titles wrapped for a phone go back on one line (a slide is wide), and
    the layout changes the builder recorded with ``for_briefing`` are applied (e.g. a map zoomed
    to fill the slide, panels side by side instead of stacked).
    """
    if briefing:
        for axis in (*fig.select_xaxes(), *fig.select_yaxes()):
            if axis.title.text:
                axis.title.text = axis.title.text.replace("<br>", " ")
        meta = fig.layout.meta
        if isinstance(meta, dict) and meta.get(BRIEFING_META):
            fig.update_layout(meta[BRIEFING_META])
    return fig.update_layout(template=BRIEFING_TEMPLATE if briefing else TEMPLATE, separators=separators(lang))


def _pieces(word: str, width: int) -> list[str]:
    """Split a word longer than ``width`` after its hyphens ("Западно-", "Казахстанская")."""
    if len(word) <= width or "-" not in word.strip("-"):
        return [word]
    *heads, tail = word.split("-")
    return [f"{head}-" for head in heads] + [tail]


def wrap(text: str, width: int = LABEL_WRAP) -> str:
    """Break a label into lines of at most ``width`` characters (Plotly ``<br>``) at spaces.

    A word longer than ``width`` is broken after its hyphens, or else keeps a line of its own.
    """
    lines: list[str] = []
    for word in text.split():
        for i, piece in enumerate(_pieces(word, width)):
            joined = f"{lines[-1]}{'' if i else ' '}{piece}" if lines else piece
            if lines and len(joined) <= width:
                lines[-1] = joined
            else:
                lines.append(piece)
    return "<br>".join(lines)


def title_width(labels: Sequence[str], narrow: bool = True) -> int:
    """Return how many characters of an axis title fit on a line under a plot beside these labels.

    On a phone (``narrow``) Plotly centres an axis title under the plot, so the title may be as
    wide as the chart less the label column; never fewer than ``TITLE_WRAP`` characters. On a
    wide screen ``WIDE_TITLE_WRAP``.
    """
    if not narrow:
        return WIDE_TITLE_WRAP
    longest = max((len(line) for label in labels for line in wrap(label).split("<br>")), default=0)
    return max(TITLE_WRAP, int((PHONE_FIGURE_PX - longest * CHAR_PX - TICK_GAP_PX) / CHAR_PX))


def value_axis(title: str, width: int = TITLE_WRAP, **settings: Any) -> dict[str, Any]:
    """Return a value axis: its title wrapped at ``width`` characters, few enough ticks that they never rotate."""
    return {"title": {"text": wrap(title, width)}, "nticks": VALUE_TICKS, **settings}


def padded_range(values: Iterable[float | None]) -> list[float]:
    """Return an axis range from 0 that leaves room for a value label beyond the longest bar on either side."""
    present = [float(v) for v in values if v is not None]
    lo, hi = min([*present, 0.0]), max([*present, 0.0])
    pad = (hi - lo or 1.0) * LABEL_ROOM
    return [lo - pad if lo < 0 else 0.0, hi + pad]


@dataclass(frozen=True)
class BarRows:
    """The rows of a horizontal bar chart, each as tall as its wrapped label, on a y axis in pixels from the top.

    Plotly gives every category row the same height, so labels of one to seven lines would
    either overlap or leave most rows empty. Here the y axis is numeric: each row is as tall
    as its own label (or its group of bars), the ticks show the wrapped labels, and every bar
    carries its full label as hover text (the plotted data keeps the labels whole).
    """

    labels: tuple[str, ...]
    centres: tuple[float, ...]
    span: float
    bars: int
    narrow: bool

    def y(self, k: int = 0) -> list[float]:
        """Return the centre of bar ``k`` (of ``bars`` side by side) in every row."""
        return [c + (k + 0.5 - self.bars / 2) * BAR_PX for c in self.centres]

    def bar(self, k: int = 0) -> dict[str, Any]:
        """Return the position settings of the ``k``-th bar trace of the rows (first trace on top)."""
        return {"y": list(self.centres), "orientation": "h", "width": BAR_PX, "offset": (k - self.bars / 2) * BAR_PX,
                "hovertext": list(self.labels)}

    @property
    def axis(self) -> dict[str, Any]:
        """Return the y axis that shows the wrapped labels, first row on top."""
        return {"tickmode": "array", "tickvals": list(self.centres), "ticktext": [self.wrapped(x) for x in self.labels],
                "range": [self.span, 0], "showgrid": False, "zeroline": False}

    def wrapped(self, label: str) -> str:
        """Return a label broken into lines for a phone-wide or a wide chart."""
        return wrap(label, LABEL_WRAP if self.narrow else WIDE_LABEL_WRAP)

    @property
    def title_width(self) -> int:
        """Return how many characters of a value-axis title fit on a line under these rows' bars."""
        return title_width(self.labels, self.narrow)

    @property
    def height(self) -> int:
        """Return the figure height that gives every row its room at the screen template's font size."""
        return BAR_CHART_BASE_PX + round(self.span)


def bar_rows(labels: Sequence[str], bars: int = 1, narrow: bool = True) -> BarRows:
    """Lay out the rows of a horizontal bar chart: one per label, with ``bars`` bars side by side in each.

    Labels wrap at ``LABEL_WRAP`` characters for a phone (``narrow``), at ``WIDE_LABEL_WRAP`` otherwise.
    """
    centres, top = [], 0.0
    for label in labels:
        lines = wrap(label, LABEL_WRAP if narrow else WIDE_LABEL_WRAP).count("<br>") + 1
        row = max(LINE_PX * lines, BAR_PX * bars) + ROW_GAP_PX
        centres.append(top + row / 2)
        top += row
    return BarRows(tuple(labels), tuple(centres), top, bars, narrow)


def _luminance(color: str) -> float:
    """Return the WCAG relative luminance of a ``#RRGGBB`` colour."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_on(color: str) -> str:
    """Return the text colour (house black or white) with the higher contrast on a ``#RRGGBB`` background."""
    lum = _luminance(color)
    return TEXT_COLOR if (lum + 0.05) / (_luminance(TEXT_COLOR) + 0.05) >= 1.05 / (lum + 0.05) else BACKGROUND


def bar_text(colors: str | Sequence[str], values: Sequence[float | None]) -> dict[str, Any]:
    """Return the value-label settings of bars without whiskers (bar colour, or one per bar; the bars' values).

    A label sits inside the end of a bar long enough to hold it, in black or white, whichever
    reads better on the bar; otherwise just beyond the bar. So the longest bar needs no room
    beyond it for its label, even on a phone. A bar of zero gets its label beside the axis
    (Plotly's automatic placement would drop it, and a missing "0" reads as missing data).
    """
    inside = text_on(colors) if isinstance(colors, str) else [text_on(c) for c in colors]
    position = ["outside" if v == 0 else "auto" for v in values]
    return {"textposition": position, "insidetextanchor": "end", "cliponaxis": False,
            "insidetextfont": {"color": inside}, "outsidetextfont": {"color": TEXT_COLOR}}


def labels_fit(bars: int) -> bool:
    """Tell whether bars side by side (columns, or the bars of a group) leave room for a value label on each."""
    return bars <= DENSE_BARS


def end_labels(values: Sequence[float | None], positions: Sequence[Any], text: Sequence[str],
               horizontal: bool = True) -> go.Scatter:
    """Return value labels just beyond the ends of bars or of their whiskers (``values``) at bar ``positions``.

    Each label sits on an invisible marker, so it keeps a small gap from a whisker's cap. Over
    grouped bars on a category axis, give the figure ``scattermode="group"`` and ``scattergap``
    equal to its ``bargap``, and add one label trace per bar trace in the same order.
    """
    position = {"x": list(values), "y": list(positions)} if horizontal else {"x": list(positions), "y": list(values)}
    return go.Scatter(**position, text=list(text), mode="markers+text", orientation="h" if horizontal else "v",
                      textposition="middle right" if horizontal else "top center",
                      marker={"size": LABEL_GAP_PX, "opacity": 0}, hoverinfo="skip", showlegend=False,
                      cliponaxis=False)


def for_briefing(fig: go.Figure, **layout: Any) -> go.Figure:
    """Record layout changes that ``apply_theme`` makes when the figure is drawn on a briefing slide.

    A builder draws one figure for the page; the briefing slide is wider, shorter and set in
    larger type, so some charts need another arrangement there (``BRIEFING_PLOT_PX``).
    """
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return fig.update_layout(meta={**meta, BRIEFING_META: {**meta.get(BRIEFING_META, {}), **layout}})


def plotly_config(slug: str) -> dict[str, Any]:
    """Return ``PLOTLY_CONFIG`` with the image download named after a chart's slug."""
    config = copy.deepcopy(PLOTLY_CONFIG)
    config["toImageButtonOptions"]["filename"] = slug
    return config
