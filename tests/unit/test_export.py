"""``saylau export``: site layout, manifest hashes, no external URL in any page, escaped CSVs."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from saylau import store
from saylau.cli import main
from saylau.export import INDEX, MANIFEST, PLOTLY_JS, exported_charts
from saylau.i18n import LANGS

# An external reference is an attribute or CSS url() that loads something from another host.
# Plain text such as the SVG namespace "http://www.w3.org/2000/svg" inside plotly.js loads nothing.
EXTERNAL_REF = re.compile(
    r"""(?:<(?:script|img|iframe|source|embed|audio|video)\b[^>]*\bsrc|<link\b[^>]*\bhref)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def site(demo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Export the demo snapshot in every language, without images (no browser needed)."""
    out = tmp_path_factory.mktemp("site")
    code = main(["export", "--snapshot", str(store.current(demo_root)), "--out", str(out), "--lang", "all", "--no-images"])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def manifest(site: Path) -> dict:
    """Return the site manifest."""
    return json.loads((site / MANIFEST).read_text("utf-8"))


def test_layout(site: Path, manifest: dict):
    """The site has a root index, plotly.js once, and per language an index and the files of every chart."""
    assert (site / INDEX).exists() and (site / PLOTLY_JS).exists()
    assert manifest["charts"] == [spec.slug for spec in exported_charts()]
    for lang in LANGS:
        assert (site / lang / INDEX).exists()
        for slug in manifest["charts"]:
            for suffix in (".html", ".csv", ".metadata.json"):
                assert (site / lang / f"{slug}{suffix}").exists(), (lang, slug, suffix)


def test_manifest_hashes(site: Path, manifest: dict):
    """The manifest lists every file but itself, with its size and sha256."""
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} - {MANIFEST}
    assert set(manifest["files"]) == on_disk
    for name, entry in manifest["files"].items():
        data = (site / name).read_bytes()
        assert entry == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}, name


def test_images_skipped_with_a_note(site: Path, manifest: dict):
    """Without images the manifest says why, and no page links to a PNG."""
    assert manifest["images"] == {"png": False, "note": "PNG fallbacks not requested (--no-images)"}
    assert not list(site.rglob("*.png"))
    assert all(".png" not in p.read_text("utf-8") for p in site.rglob("*.html"))


def test_no_external_reference(site: Path):
    """No page loads a script, style, image or frame from another host, and MathJax is absent."""
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert not EXTERNAL_REF.search(text), page
        assert "mathjax" not in text.lower(), page


def test_external_reference_pattern():
    """The check catches remote scripts, styles and CSS urls, and lets the SVG namespace through."""
    assert EXTERNAL_REF.search('<script src="https://cdn.plot.ly/plotly.min.js"></script>')
    assert EXTERNAL_REF.search("<link rel=stylesheet href=//fonts.googleapis.com/css>")
    assert EXTERNAL_REF.search("body { background: url('http://x.example/a.png') }")
    assert not EXTERNAL_REF.search('<svg xmlns="http://www.w3.org/2000/svg">')
    assert not EXTERNAL_REF.search('<script src="../plotly.min.js"></script>')


def test_csv_and_metadata_agree(site: Path, manifest: dict):
    """Each CSV starts with a BOM and the columns its metadata.json lists; no cell starts a formula."""
    for slug in manifest["charts"]:
        text = (site / "en" / f"{slug}.csv").read_text("utf-8")
        meta = json.loads((site / "en" / f"{slug}.metadata.json").read_text("utf-8"))
        assert text.startswith("\ufeff")
        assert text.lstrip("\ufeff").splitlines()[0].split(",") == meta["columns"]
        assert meta["data_version"] == manifest["snapshot_id"]
        assert not re.search(r'(^|,)"?[=+@]', text.lstrip("\ufeff"), re.MULTILINE), slug


def test_index_has_headlines_and_links(site: Path, manifest: dict):
    """Each language's index shows the headline figures and links to every chart page."""
    page = (site / "kk" / INDEX).read_text("utf-8")
    assert '<html lang="kk">' in page
    assert page.count('<li><strong>') >= 4
    for slug in manifest["charts"]:
        assert f'href="{slug}.html"' in page
