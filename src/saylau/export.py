"""Static export: ``saylau export --snapshot DIR --out SITE`` writes a site that needs no server.

The site survives election night when the app itself is overloaded or blocked: copy the
folder to any static host or CDN, or open ``index.html`` from disk. Nothing on it is fetched
from elsewhere: plotly.js is written once as ``plotly.min.js`` beside the pages (one cached
download for a reader instead of 4.6 MB inlined into every chart page), MathJax is left out,
and fonts are system fonts.

Layout::

    SITE/index.html               languages, election title
    SITE/plotly.min.js            the plotly.js bundled with plotly.py
    SITE/<lang>/index.html        title, status, headline figures, every chart with its files
    SITE/<lang>/<slug>.html       one interactive chart (credit line inside the figure)
    SITE/<lang>/<slug>.png        static fallback, when a browser is available to Kaleido
    SITE/<lang>/<slug>.csv        exactly what is plotted, spreadsheet formulas escaped
    SITE/<lang>/<slug>.metadata.json
    SITE/manifest.json            snapshot, languages, charts, image note, sha256 of every file
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.offline
import polars as pl

from saylau import store
from saylau.figures import finish
from saylau.figures.assets import metadata, metadata_bytes, to_image
from saylau.figures.credit import Credit, credit_text
from saylau.figures.registry import CHARTS, ChartContext, ChartOutput, ChartSpec
from saylau.figures.theme import plotly_config
from saylau.i18n import LANG_NAMES, LANGS, fmt_dt, fmt_int, fmt_pct, t
from saylau.ingest.quarantine import csv_bytes
from saylau.profiles import Profile, load_profile

PLOTLY_JS = "plotly.min.js"
MANIFEST = "manifest.json"
INDEX = "index.html"
ALL_LANGS = "all"
MATERIAL_CLASS = "material_change"
MAPLIBRE_TRACES = frozenset({"choroplethmap", "scattermap", "densitymap"})
PER_ITEM_PAGES = frozenset({"station"})  # charts of one station need ?id=; the site has no page per station
PAGE_CSS = """
:root { color-scheme: light; --ink: #1B1F24; --muted: #595959; --line: #D0D5DD; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
       color: var(--ink); background: #fff; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem; }
a { color: var(--accent); }
.status { color: var(--muted); font-size: .95rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .75rem; padding: 0;
           list-style: none; }
.figures li { border: 1px solid var(--line); border-radius: 4px; padding: .6rem .8rem; }
.figures strong { display: block; font-size: 1.8rem; }
.figures span { color: var(--muted); font-size: .9rem; }
.charts { padding-left: 1.2rem; }
.charts li { margin: .3rem 0; }
.files a { margin-right: .6rem; font-size: .9rem; }
body.chart main { max-width: none; height: 100vh; display: flex; flex-direction: column; padding: .5rem; }
body.chart h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
body.chart .plot { flex: 1 1 0; min-height: 280px; }
body.chart p { margin: .25rem 0; font-size: .9rem; }
body.chart figure { margin: 0; flex: 1 1 0; min-height: 0; }
body.chart figure img { max-width: 100%; max-height: 100%; object-fit: contain; }
"""
# Chromium refuses MapLibre's map worker on a file:// page: there, a map shows its PNG instead.
FILE_FALLBACK_JS = """<script>
if (location.protocol === "file:") {
  document.querySelector(".plot").hidden = true;
  document.querySelector(".file-fallback").hidden = false;
}
</script>"""


@dataclass(frozen=True)
class Headline:
    """One headline figure: its catalogue key, the value as text and a sentence with its denominator."""

    key: str
    value: str
    detail: str


def headlines(ctx: ChartContext) -> list[Headline]:
    """Return the headline figures (turnout, result, observed, copies, material discrepancies) in a language.

    Args:
        ctx: chart context holding the metric tables of ``saylau.metrics.compute_all``.

    Returns:
        The headline figures in presentation order; the result is omitted when no figures are published.
    """
    lang = ctx.lang
    summary = ctx.tables["summary"].row(0, named=True)
    status = ctx.tables["station_status"]
    stations = summary["stations"]
    observed = int(status["observed"].sum())
    copies = int(status["has_copy"].sum())
    compared = int((status["has_copy"] & status["has_official"]).sum())
    material = int((status["disc_class"] == MATERIAL_CLASS).sum())
    out = [
        Headline("turnout", fmt_pct(summary["turnout"], lang),
                 t("briefing.turnout_detail", lang, issued=fmt_int(summary["issued"], lang),
                   registered=fmt_int(summary["registered"], lang))),
    ]
    national = ctx.tables["results"].filter(pl.col("scope") == "national").sort("total_official_share", descending=True,
                                                                              nulls_last=True)
    if national.height:
        lead = national.row(0, named=True)
        name = ctx.option_name(lead["option"])
        detail = (t("briefing.result_detail", lang, name=name, copies=fmt_pct(lead["mixed_share"], lang))
                  if copies else t("briefing.result_detail_no_copies", lang, name=name))
        out.append(Headline("result", fmt_pct(lead["total_official_share"], lang), detail))
    out += [
        Headline("observed", fmt_pct(summary["observed_share"], lang),
                 t("briefing.of_stations", lang, n=fmt_int(observed, lang), total=fmt_int(stations, lang))),
        Headline("copies", fmt_pct(summary["copy_share"], lang),
                 t("briefing.of_stations", lang, n=fmt_int(copies, lang), total=fmt_int(stations, lang))),
        Headline("material", fmt_int(material, lang),
                 t("briefing.material_detail", lang, compared=fmt_int(compared, lang),
                   share=fmt_pct(material / compared if compared else 0.0, lang))),
    ]
    return out


def exported_charts() -> list[ChartSpec]:
    """Return the registered charts the site carries (every chart that does not need one station's id)."""
    return [spec for spec in CHARTS.values() if spec.page not in PER_ITEM_PAGES]


def chart_tables(tables: Mapping[str, pl.DataFrame], profile: Profile, election: Mapping[str, Any],
                 needs: set[str]) -> dict[str, Mapping[str, pl.DataFrame]]:
    """Return the tables charts read, for each kind they need (``metrics`` always, for the headline figures)."""
    from saylau import forensics, metrics

    lazy = {name: df.lazy() for name, df in tables.items()}
    out: dict[str, Mapping[str, pl.DataFrame]] = {"metrics": metrics.compute_all(lazy, profile, dict(election)),
                                                  "tables": tables}
    if "forensics" in needs:
        out["forensics"] = forensics.tables_for_charts(lazy, dict(election))
    return out


def _page(lang: str, title: str, body: str, css_class: str = "", head: str = "") -> str:
    """Return a complete HTML page with the shared inline style (nothing external)."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style>{head}</head>"
        f'<body class="{css_class}"><main>{body}</main></body></html>\n'
    )


def _chart_page(out: ChartOutput, lang: str, credit: Credit, stem: str, png: bool) -> str:
    """Return the HTML page of one chart: title, figure (plotly.js from the site root), summary and files."""
    figure = go.Figure(out.figure).update_layout(height=None, autosize=True, title_text=None)
    div = figure.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False,
                         config={**plotly_config(stem), "responsive": True}, div_id=f"chart-{out.slug}",
                         default_width="100%", default_height="100%")
    summary = html.escape(out.summary)
    image = f'<img src="{out.slug}.png" alt="{summary}">'
    fallback = f"<noscript>{image}</noscript>" if png else ""
    if png and any(trace.type in MAPLIBRE_TRACES for trace in out.figure.data):
        note = html.escape(t("export.map_from_disk", lang))
        fallback += f'<figure class="file-fallback" hidden>{image}<figcaption>{note}</figcaption></figure>{FILE_FALLBACK_JS}'
    credit_line = html.escape(credit_text(credit, lang))
    body = (
        f'<h1>{html.escape(out.title)}</h1><div class="plot" role="figure" aria-label="{summary}">{div}</div>'
        f'{fallback}<p>{summary}</p><p class="status">{credit_line}</p>'
        f'<p class="files">{_file_links(out.slug, lang, png)} '
        f'<a href="{INDEX}">{html.escape(t("export.all_charts", lang))}</a></p>'
    )
    return _page(lang, out.title, body, "chart", f'<script src="../{PLOTLY_JS}"></script>')


def _file_links(slug: str, lang: str, png: bool) -> str:
    """Return the links to a chart's PNG (when rendered), CSV and metadata files."""
    files = (("png", f"{slug}.png"),) * png + (("csv", f"{slug}.csv"), ("metadata", f"{slug}.metadata.json"))
    return "".join(f'<a href="{name}">{html.escape(t(f"export.{key}", lang))}</a>' for key, name in files)


def _index_page(lang: str, manifest: Mapping[str, Any], figures: Sequence[Headline], charts: Sequence[ChartOutput],
                png: bool) -> str:
    """Return a language's index: title, status line, headline figures and every chart."""
    election = manifest.get("election", {})
    title = election.get("title", {}).get(lang) or election.get("title", {}).get("en", "Saylau")
    status = t("chrome.banner", lang, title=title, date=election.get("date", ""),
               status=t(f"status.{election.get('status', 'provisional')}", lang),
               as_of=fmt_dt(manifest.get("created_at"), lang), version=manifest.get("snapshot_id", ""))
    items = "".join(
        f"<li><strong>{html.escape(h.value)}</strong>{html.escape(t(f'briefing.{h.key}', lang))}"
        f"<br><span>{html.escape(h.detail)}</span></li>"
        for h in figures
    )
    links = "".join(
        f'<li><a href="{c.slug}.html">{html.escape(c.title)}</a> <span class="files">{_file_links(c.slug, lang, png)}</span></li>'
        for c in charts
    )
    others = " · ".join(f'<a href="../{code}/{INDEX}" lang="{code}">{LANG_NAMES[code]}</a>' for code in LANGS if code != lang)
    body = (
        f"<h1>{html.escape(title)}</h1><p class=\"status\">{html.escape(status)}</p>"
        f"<h2>{html.escape(t('export.headlines', lang))}</h2><ul class=\"figures\">{items}</ul>"
        f"<h2>{html.escape(t('export.charts', lang))}</h2><ul class=\"charts\">{links}</ul>"
        f"<p class=\"status\">{html.escape(t('export.offline', lang))}</p><p>{others}</p>"
    )
    return _page(lang, title, body)


def _root_page(langs: Sequence[str], manifest: Mapping[str, Any]) -> str:
    """Return the site's root page: the election title in every exported language, linking to its index."""
    titles = manifest.get("election", {}).get("title", {})
    items = "".join(
        f'<li lang="{code}"><a href="{code}/{INDEX}">{LANG_NAMES[code]}</a> · {html.escape(titles.get(code) or titles.get("en", ""))}</li>'
        for code in langs
    )
    return _page(langs[0], "Saylau", f"<h1>Saylau</h1><ul class=\"charts\">{items}</ul>")


def _write_images(charts: Sequence[ChartOutput], folder: Path) -> str | None:
    """Write a PNG fallback per chart; return None, or why no images could be rendered (then none are kept)."""
    written = []
    try:
        for chart in charts:
            path = folder / f"{chart.slug}.png"
            path.write_bytes(to_image(chart.figure, "png"))
            written.append(path)
    except Exception as exc:  # Kaleido raises several browser errors; each one means no reliable images
        for path in written:
            path.unlink()
        return f"PNG fallbacks skipped: {type(exc).__name__}: {exc}"
    return None


def _sha256(path: Path) -> str:
    """Return the hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_site(snapshot: Path, out: Path, langs: Sequence[str], images: bool = True) -> dict[str, Any]:
    """Write the static site of a snapshot and return its manifest.

    Args:
        snapshot: snapshot folder (``DATA/snapshots/<id>``).
        out: site folder (created; files of an earlier export are overwritten).
        langs: interface languages to export.
        images: render PNG fallbacks with Kaleido (skipped with a note if no browser works).

    Returns:
        The site manifest, also written to ``out/manifest.json``.
    """
    man = store.manifest(snapshot)
    profile = load_profile(man.get("profile", "kz"))
    specs = exported_charts()
    by_need = chart_tables(store.load_tables(snapshot), profile, man["election"], {spec.needs for spec in specs})
    credit = Credit.from_manifest(man)
    out.mkdir(parents=True, exist_ok=True)
    (out / PLOTLY_JS).write_text(plotly.offline.get_plotlyjs(), "utf-8")
    image_note = None if images else "PNG fallbacks not requested (--no-images)"
    for lang in langs:
        folder = out / lang
        folder.mkdir(exist_ok=True)
        charts = [finish(spec.build(ChartContext(by_need[spec.needs], profile, man, lang)), man, lang)
                  for spec in specs]
        if image_note is None:
            image_note = _write_images(charts, folder)
        for chart in charts:
            (folder / f"{chart.slug}.csv").write_bytes(csv_bytes(chart.data))
            meta = metadata(chart.slug, chart.title, man, {"lang": lang}, lang, chart.data.columns)
            (folder / f"{chart.slug}.metadata.json").write_bytes(metadata_bytes(meta))
            page = _chart_page(chart, lang, credit, f"saylau_{chart.slug}_{man['snapshot_id']}", image_note is None)
            (folder / f"{chart.slug}.html").write_text(page, "utf-8")
        figures = headlines(ChartContext(by_need["metrics"], profile, man, lang))
        (folder / INDEX).write_text(_index_page(lang, man, figures, charts, image_note is None), "utf-8")
    (out / INDEX).write_text(_root_page(langs, man), "utf-8")
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.name != MANIFEST)
    site = {
        "generator": "saylau export",
        "snapshot_id": man["snapshot_id"],
        "snapshot_created_at": man.get("created_at"),
        "exported_at": store.iso(store.utc_now()),
        "election": man.get("election", {}),
        "languages": list(langs),
        "charts": [spec.slug for spec in specs],
        "images": {"png": image_note is None, "note": image_note},
        "files": {p.relative_to(out).as_posix(): {"bytes": p.stat().st_size, "sha256": _sha256(p)} for p in files},
    }
    (out / MANIFEST).write_bytes(metadata_bytes(site))
    return site


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the ``saylau export`` options."""
    parser.add_argument("--snapshot", type=Path, default=None,
                        help="snapshot folder (default: the current snapshot of $SAYLAU_DATA or ./data)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the site into")
    parser.add_argument("--lang", choices=(*LANGS, ALL_LANGS), default=ALL_LANGS, help="language(s) to export")
    parser.add_argument("--no-images", dest="images", action="store_false", help="do not render PNG fallbacks")


def run(args: argparse.Namespace) -> int:
    """Export the site; print where it is and what was skipped; return the exit code."""
    snapshot = args.snapshot or store.current()
    if snapshot is None or not (snapshot / MANIFEST).exists():
        print(f"no snapshot at {snapshot or store.data_root()}: run `saylau demo --out data` or pass --snapshot")
        return 2
    langs = LANGS if args.lang == ALL_LANGS else (args.lang,)
    site = export_site(snapshot, args.out, langs, images=args.images)
    print(f"wrote {len(site['files'])} files for {len(site['charts'])} charts in {', '.join(langs)} to {args.out}")
    if site["images"]["note"]:
        print(site["images"]["note"])
    return 0
