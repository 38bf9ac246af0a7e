"""The credit line: source, "as of" time, status, data version and licence, with every chart.

Where a figure leaves the page as a file or image (PNG and SVG downloads, the static export,
briefing slides) the credit is drawn into it as a layout annotation below the plotting area
(``add_credit``), so the file carries it wherever it goes. On the app's pages and in embeds
the page writes the same lines as wrapping plain text under the chart (``credit_text``): an
annotation does not wrap and would be clipped at phone width. The wording comes from the
catalogues (``credit.*`` and ``status.*`` keys of ``saylau.i18n``), one template per part so
each language keeps its own word order. Text from the manifest is HTML-escaped in the
annotation: Plotly reads a subset of HTML there, and a source name must never become a link
or markup.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import plotly.graph_objects as go

from saylau.figures.theme import MUTED_TEXT_COLOR, SCREEN
from saylau.i18n import fmt_dt, t, to_utc

CREDIT_NAME = "credit"
STATUS_DEFAULT = "provisional"
LICENCE_DEFAULT = "CC BY 4.0"
PART_SEPARATOR = " · "
CREDIT_FONT_RATIO = 0.8
LINE_HEIGHT_RATIO = 1.35
AXIS_CLEARANCE_LINES = 3.2  # tick labels, axis title and its standoff, in base font sizes
AXIS_CLEARANCE_PX = 12  # tick length and label padding
MAP_CLEARANCE_LINES = 0.6


@dataclass(frozen=True)
class Credit:
    """What a chart must say about its data."""

    source: str
    as_of: datetime
    status: str
    version: str
    licence: str
    url: str | None = None

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, Any], url: str | None = None) -> Credit:
        """Build the credit of a snapshot from its manifest (``as_of`` is the snapshot's ``created_at``)."""
        election = manifest.get("election", {})
        names = dict.fromkeys(s["name"] for s in manifest.get("sources", []) if s.get("name"))
        return cls(
            source=", ".join(names),
            as_of=to_utc(manifest["created_at"]),
            status=election.get("status") or STATUS_DEFAULT,
            version=manifest["snapshot_id"],
            licence=election.get("licence") or LICENCE_DEFAULT,
            url=url,
        )


def credit_lines(credit: Credit, lang: str) -> tuple[str, str]:
    """Return the two plain-text lines of a credit in a language."""
    first = [
        t("credit.source", lang, source=credit.source),
        t("credit.as_of", lang, time=fmt_dt(credit.as_of, lang)),
        t(f"status.{credit.status}", lang),
    ]
    second = [t("credit.version", lang, version=credit.version), t("credit.licence", lang, licence=credit.licence)]
    if credit.url:
        second.append(credit.url)
    return PART_SEPARATOR.join(first), PART_SEPARATOR.join(second)


def credit_text(credit: Credit, lang: str) -> str:
    """Return a credit as one plain-text line, for a page to show (wrapping) under a chart."""
    return PART_SEPARATOR.join(credit_lines(credit, lang))


def _layout_value(fig: go.Figure, path: str, default: float) -> float:
    """Return a layout value of a figure: its own, else its template's, else ``default``."""
    template = fig.layout.template
    return fig.layout[path] or (template.layout[path] if template else None) or default


def add_credit(fig: go.Figure, credit: Credit, lang: str) -> go.Figure:
    """Write the credit line into the figure as a bottom annotation and make room for it.

    Args:
        fig: figure to annotate (apply the theme first, so the credit scales with its font).
        credit: what to say.
        lang: interface language.

    Returns:
        The same figure, with one annotation named ``credit`` (replaced if already present).
    """
    base = _layout_value(fig, "font.size", SCREEN.font_size)
    size = base * CREDIT_FONT_RATIO
    has_axes = any("xaxis" in trace for trace in fig.data)
    offset = base * AXIS_CLEARANCE_LINES + AXIS_CLEARANCE_PX if has_axes else size * MAP_CLEARANCE_LINES
    lines = credit_lines(credit, lang)
    height = size * LINE_HEIGHT_RATIO * len(lines)
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != CREDIT_NAME]
    fig.add_annotation(
        name=CREDIT_NAME,
        text="<br>".join(html.escape(line, quote=False) for line in lines),
        xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-offset,
        align="left", showarrow=False, font={"size": size, "color": MUTED_TEXT_COLOR},
    )
    needed = round(offset + height + size)
    return fig.update_layout(margin_b=max(_layout_value(fig, "margin.b", 0), needed))
