"""Top findings on the overview: a few plain sentences, each linking to the view that shows it."""

from __future__ import annotations

import polars as pl
import streamlit as st

from saylau.figures.discrepancy import CLASS_PARAM
from saylau.figures.map_view import METRIC_PARAM
from saylau.i18n import fmt_int, fmt_pct, t
from saylau.views import cached
from saylau.views.chrome import literal

TOP_REGIONS = 3
VIOLATION_METRIC = "violations"  # a region finding opens the map coloured by this measure (map_view.METRICS)


def top_findings(sid: str, lang: str) -> None:
    """List the headline findings of a snapshot with links to their views.

    A finding is listed only where the data can support it: comparisons where copies exist,
    refusals where observers were present, revisions and slips where there are any, and
    violation rates of regions with checklists. With none of these, a note says so.
    """
    tables = cached.metric_tables(sid)
    prof = cached.profile(sid)
    classes = tables["station_discrepancy"]["class"].value_counts()
    count = dict(zip(classes["class"].to_list(), classes["count"].to_list(), strict=True))
    cov = tables["coverage"].filter(pl.col("scope") == "national").row(0, named=True)
    suspect, revised = count.get("transcription_suspect", 0), cached.revisions(sid)["station_id"].n_unique()
    candidates = [  # (shown, page, label, query: a class finding opens the station list of that class)
        (cov["copy"] > 0, "pages/discrepancies.py",
         t("findings.material", lang, n=fmt_int(count.get("material_change", 0), lang), copies=fmt_int(cov["copy"], lang)),
         {CLASS_PARAM: "material_change"}),
        (suspect > 0, "pages/discrepancies.py", t("findings.suspect", lang, n=fmt_int(suspect, lang)),
         {CLASS_PARAM: "transcription_suspect"}),
        (cov["observed"] > 0, "pages/violations.py", t("findings.refused", lang, n=fmt_int(cov["copy_refused"], lang),
                                                       observed=fmt_int(cov["observed"], lang)), {}),
        (revised > 0, "pages/data.py", t("findings.revisions", lang, n=fmt_int(revised, lang)), {}),
    ]
    links = [(page, label, query) for shown, page, label, query in candidates if shown]
    regions = (tables["region_summary"].filter(pl.col("violation_rate").is_not_null() & (pl.col("observed") > 0))
               .sort("violation_rate", descending=True).head(TOP_REGIONS))
    for row in regions.iter_rows(named=True):
        name = literal(prof.region_name(row["region_code"], lang))  # an unknown code is data text
        links.append(("pages/map.py", t("findings.region", lang, region=name, rate=fmt_pct(row["violation_rate"], lang)),
                      {"region": row["region_code"], METRIC_PARAM: VIOLATION_METRIC}))
    if not links:
        st.caption(t("findings.none", lang))
    for page, label, params in links:
        st.page_link(page, label=label, icon=":material/arrow_forward:", query_params={"lang": lang, **params})
