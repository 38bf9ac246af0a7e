"""Plotly figures: one template, the credit line, and one builder per chart (see ``registry``).

Importing this package registers every chart: each submodule that defines builders with
``@chart(...)`` is imported by ``load_charts``; nothing needs to list them by hand.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from saylau.figures.registry import CHARTS, ChartOutput

SKIP = {"registry", "theme", "credit", "assets"}


def load_charts() -> dict:
    """Import every chart module of this package so that all charts are registered."""
    for info in pkgutil.iter_modules(__path__):
        if info.name not in SKIP:
            importlib.import_module(f"{__name__}.{info.name}")
    return CHARTS


def finish(out: ChartOutput, manifest: Mapping[str, Any], lang: str, briefing: bool = False,
           credit: bool = True) -> ChartOutput:
    """Apply the house template (screen or briefing) and, with ``credit``, draw the credit line into the figure.

    Draw the credit wherever the figure leaves the page as a file or image (PNG and SVG
    downloads, the static export, briefing slides). A figure shown on a page of the app or in
    an embed goes without it: the page writes the credit as wrapping text under the chart
    (``credit.credit_text``), which a phone-wide annotation would clip.
    """
    from saylau.figures.credit import Credit, add_credit
    from saylau.figures.theme import apply_theme

    fig = apply_theme(out.figure, lang, briefing=briefing)
    if credit:
        fig = add_credit(fig, Credit.from_manifest(manifest), lang)
    return replace(out, figure=fig)


load_charts()
