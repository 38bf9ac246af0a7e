"""What travels with a chart: embed code, ``metadata.json``, file names and PNG/SVG images."""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import plotly.graph_objects as go

EMBED_HEIGHT = 560
IMAGE_SCALE = 2
IMAGE_WIDTH = 1200
IMAGE_HEIGHT = 700
_KALEIDO_LOCK = threading.Lock()
_kaleido_started = False


def file_stem(slug: str, snapshot_id: str, params: Mapping[str, str] | None = None) -> str:
    """Return a descriptive, filesystem-safe file name stem for a chart's downloads."""
    parts = ["saylau", slug, *[f"{k}-{v}" for k, v in sorted((params or {}).items()) if v]]
    stem = "_".join(parts) + f"_{snapshot_id}"
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in stem)


def embed_url(base_url: str, slug: str, params: Mapping[str, str] | None = None) -> str:
    """Return the URL of a chart's embed page with its filters and ``embed=true``."""
    query = {"chart": slug, **{k: v for k, v in (params or {}).items() if v}, "embed": "true"}
    return f"{base_url.rstrip('/')}/embed?{urlencode(query)}"


def embed_snippet(url: str, title: str, height: int = EMBED_HEIGHT) -> str:
    """Return iframe code to paste into an article: titled, lazy-loaded, full width."""
    return (
        f'<iframe src="{html.escape(url, quote=True)}" title="{html.escape(title, quote=True)}" '
        f'loading="lazy" style="width: 100%; min-width: 100%; height: {height}px; border: 0;" '
        f'allow="clipboard-write"></iframe>'
    )


def metadata(
    slug: str, title: str, manifest: Mapping[str, Any], filters: Mapping[str, str], lang: str, columns: list[str]
) -> dict[str, Any]:
    """Return the ``metadata.json`` of a chart: source, licence, retrieval time, version, status, filters."""
    election = manifest.get("election", {})
    return {
        "chart": slug,
        "title": title,
        "language": lang,
        "filters": dict(filters),
        "columns": columns,
        "election": {k: election.get(k) for k in ("id", "kind", "date", "title")},
        "status": election.get("status"),
        "licence": election.get("licence", "CC BY 4.0"),
        "data_version": manifest.get("snapshot_id"),
        "snapshot_created_at": manifest.get("created_at"),
        "sources": [
            {k: s.get(k) for k in ("name", "kind", "retrieved_at", "records", "accepted", "quarantined")}
            for s in manifest.get("sources", [])
        ],
    }


def metadata_bytes(meta: Mapping[str, Any]) -> bytes:
    """Serialise chart metadata as pretty UTF-8 JSON."""
    return json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8")


def to_image(fig: go.Figure, fmt: str) -> bytes:
    """Render a figure to PNG or SVG with Kaleido and the local Chromium (kept running between calls)."""
    import kaleido

    global _kaleido_started
    with _KALEIDO_LOCK:
        if not _kaleido_started:
            kaleido.start_sync_server(silence_warnings=True)
            _kaleido_started = True
        return fig.to_image(format=fmt, width=IMAGE_WIDTH, height=IMAGE_HEIGHT, scale=IMAGE_SCALE if fmt == "png" else 1)
