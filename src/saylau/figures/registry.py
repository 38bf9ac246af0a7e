"""Chart registry: every chart has a stable slug and one builder, shared by pages, embeds and export.

A builder takes a ``ChartContext`` (metric tables, profile, manifest, language, filters) and
returns a ``ChartOutput``: the figure, exactly the data it plots, and a one-sentence summary.
Pages, the ``embed`` page, the briefing mode and ``saylau export`` all draw charts from here,
so a chart looks and reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
import polars as pl

from saylau.profiles import Profile


@dataclass(frozen=True)
class ChartContext:
    """Everything a chart builder may read."""

    tables: Mapping[str, pl.DataFrame]
    profile: Profile
    manifest: Mapping[str, Any]
    lang: str
    region: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    narrow: bool = False  # drawn for a phone-wide column (maps fit their view to it)

    @property
    def election(self) -> Mapping[str, Any]:
        """Return the election block of the manifest."""
        return self.manifest.get("election", {})

    def option_name(self, line: str) -> str:
        """Return the display name of a vote option line in the context language."""
        for opt in self.election.get("options", []):
            if opt["line"] == line:
                return opt.get(self.lang) or opt.get("en") or line
        return line

    def option_color(self, line: str, default: str = "#999999") -> str:
        """Return the colour of a vote option line."""
        return next((o.get("color", default) for o in self.election.get("options", []) if o["line"] == line), default)

    def region_name(self, code: str) -> str:
        """Return a region's name in the context language (the code if unknown)."""
        return self.profile.region_name(code, self.lang)


@dataclass(frozen=True)
class ChartOutput:
    """A built chart: figure, the exact data it plots, and a one-sentence text summary."""

    slug: str
    title: str
    figure: go.Figure
    data: pl.DataFrame
    summary: str


@dataclass(frozen=True)
class ChartSpec:
    """A registered chart: slug, the page it belongs to, what it needs, and its builder."""

    slug: str
    page: str
    needs: str
    build: Callable[[ChartContext], ChartOutput]


CHARTS: dict[str, ChartSpec] = {}


def chart(slug: str, page: str, needs: str = "metrics") -> Callable[[Callable[[ChartContext], ChartOutput]], Callable[[ChartContext], ChartOutput]]:
    """Register a chart builder under a slug that never changes."""

    def register(build: Callable[[ChartContext], ChartOutput]) -> Callable[[ChartContext], ChartOutput]:
        if slug in CHARTS:
            raise ValueError(f"chart slug {slug!r} registered twice")
        CHARTS[slug] = ChartSpec(slug, page, needs, build)
        return build

    return register


def charts_for(page: str) -> list[ChartSpec]:
    """Return the charts of one page, in registration order."""
    return [spec for spec in CHARTS.values() if spec.page == page]
