"""Station drill-down (deep link ``station?id=KZ-71-379``): official figures of every publication,
every observer copy line by line, control relations, discrepancy class, incidents, checklists,
evidence hashes and a share link. User-supplied text appears only in ``st.text`` and dataframes.
"""

from datetime import datetime
from urllib.parse import urlencode

import polars as pl
import streamlit as st

from saylau.figures.registry import ChartContext
from saylau.figures.station import SEVERITIES
from saylau.i18n import fmt_day, fmt_dt, fmt_int, fmt_pp, t, t_code
from saylau.schema import ANSWERS, COMPLAINT_STATUSES, INCIDENT_STATUSES, ORG_TYPES
from saylau.views import blocks, cached, chrome, search
from saylau.views import station_data as sd

ID_KEY = "id"
SEARCH_KEY = "station_search"
NOTABLE_LIMIT = 12
TABLE_HEIGHT = 460
LINE_WIDTH_PX = {True: 170, False: 380}  # pinned protocol-line column: on a phone it leaves room for a figure column
FIGURE_WIDTH_PX = 140  # a figure column, so its right-aligned figures sit in view beside the line column
MATCH_CLASSES = ("match", "no_copy")

lang = chrome.lang()
sid = chrome.require_data(lang)
tables = cached.tables(sid)
metrics = cached.metric_tables(sid)
prof = cached.profile(sid)
man = cached.manifest(sid)


def fmt(value: int) -> str:
    """Format a protocol figure in the interface language."""
    return fmt_int(value, lang)


def column(label_key: str, right: bool = False) -> st.column_config.Column:
    """Return a translated dataframe column, right-aligned for figures."""
    return st.column_config.Column(t(label_key, lang), alignment="right" if right else None)


def line_column() -> st.column_config.Column:
    """Return the protocol-line column: pinned and narrow enough that a figure column stays in view on a phone."""
    return st.column_config.Column(t("station.col_line", lang), width=LINE_WIDTH_PX[chrome.is_phone()], pinned=True)


def figure_column(label: str, help_text: str | None = None) -> st.column_config.Column:
    """Return a column of protocol figures beside the line column: right-aligned and narrow enough to stay in view."""
    return st.column_config.Column(label, help=help_text, alignment="right", width=FIGURE_WIDTH_PX)


def publication_column(name: str, published_at: datetime) -> st.column_config.Column:
    """Return the column of one official publication: its translated name and day, the full time as help."""
    return figure_column(f"{t_code('publication', name, lang)} · {fmt_day(published_at, lang)}",
                         t("station.published_at", lang, time=fmt_dt(published_at, lang)))


def when(label_key: str) -> st.column_config.DatetimeColumn:
    """Return a translated UTC time column."""
    return st.column_config.DatetimeColumn(t(label_key, lang), format="YYYY-MM-DD HH:mm")


def csv_button(frame: pl.DataFrame, stem: str, label_key: str = "station.csv") -> None:
    """Offer a table as a formula-escaped CSV named after the station and the data version."""
    st.download_button(t(label_key, lang), data=lambda: blocks.csv_bytes(frame),
                       file_name=f"saylau_{stem}_{station_id}_{sid}.csv", mime="text/csv", key=f"csv-{stem}",
                       on_click="ignore", icon=":material/download:")


def open_station(chosen: str) -> None:
    """Put the station picked among the search matches into the URL (``?id=``)."""
    st.query_params[ID_KEY] = chosen


search.station_search(tables["stations"], lang, SEARCH_KEY, t("station.search", lang),
                      t("station.search_placeholder", lang), on_pick=open_station)
requested = st.query_params.get(ID_KEY)
record = sd.station_row(tables["stations"], requested) if requested else None
station_id = requested if record is not None else None
if requested and record is None:
    st.warning(t("station.unknown", lang, version=sid))
    st.text(requested)
if station_id is None:
    st.info(t("station.choose", lang))
    st.subheader(t("station.notable", lang))
    notable = sd.notable_stations(metrics["station_status"], NOTABLE_LIMIT,
                                  lambda s: f"{blocks.base_url()}/station?{urlencode({ID_KEY: s, 'lang': lang})}")
    st.dataframe(
        sd.relabel(notable, {"disc_class": {c: t(f"discrepancies.class_{c}", lang) for c in sd.NOTABLE_CLASSES},
                             "region_code": {r.code: r.names.get(lang) for r in prof.regions}}),
        hide_index=True, width="stretch",
        column_config={
            "station_id": column("station.col_station"), "region_code": column("station.region"),
            "disc_class": column("station.col_class"), "incidents": column("station.col_incidents", right=True),
            "link": st.column_config.LinkColumn(t("station.col_open", lang), display_text=t("station.open", lang)),
        },
    )
    st.stop()

ctx = ChartContext(tables, prof, man, lang, None, {ID_KEY: station_id}, chrome.is_phone())
line_names = {x.code: x.names.get(lang) for x in prof.lines} | {
    o["line"]: ctx.option_name(o["line"]) for o in man["election"].get("options", [])
}
profile_lines = list(line_names)
type_names = {o: t(f"station.org_{o}", lang) for o in ORG_TYPES}
copy_names = sd.copy_labels(tables["protocol_copies"], station_id, type_names)

# --- header -----------------------------------------------------------------------------------
st.title(t("station.title", lang, id=station_id))
facts = sd.station_row(metrics["station_status"], station_id) or {}
cols = st.columns(4)
cols[0].metric(t("station.kind", lang), t(f"station.kind_{record['kind']}", lang))
cols[1].metric(t("station.registered", lang), fmt(record["registered_voters"]))
cols[2].metric(t("station.copies", lang), fmt(len(copy_names)))
cols[3].metric(t("station.incidents", lang), fmt(facts.get("incidents", 0)))
st.text("\n".join((
    f"{t('station.region', lang)}: {ctx.region_name(record['region_code'])}",
    f"{t('station.tec', lang)}: {record['tec']}",
    f"{t('station.number', lang)}: {record['number']}",
    f"{t('station.address', lang)}: {record['address'] or t('station.no_address', lang)}",
)))

# --- discrepancy class ------------------------------------------------------------------------
disc = sd.station_row(metrics["station_discrepancy"], station_id)
klass = str(disc["class"]) if disc else "no_copy"
st.header(t("station.class_header", lang), anchor="class")
explain = t(f"discrepancies.class_{klass}", lang) + " — " + t(f"station.explain_{klass}", lang)
(st.info if klass in MATCH_CLASSES else st.warning)(explain)
if disc and klass not in ("no_copy", "no_official"):
    st.caption(t("station.class_facts", lang, copies=fmt(disc["n_copies"]), lines=fmt(disc["lines_differing"]),
                 turnout=fmt_pp(disc["turnout_diff"], lang)))

# --- official figures, every publication ------------------------------------------------------
st.header(t("station.official_header", lang), anchor="official")
pubs = sd.publications(tables["protocol_official"], station_id)
if pubs.height:
    st.caption(t("station.official_help", lang))
    pub_table = sd.publication_table(tables["protocol_official"], station_id, profile_lines, line_names, fmt)
    st.dataframe(
        pub_table, hide_index=True, width="stretch", height=TABLE_HEIGHT,
        column_config={
            "code": None, "line": line_column(), "revised": column("station.col_revised"),
            **{p: publication_column(p, at) for p, at in pubs.rows()},
        },
    )
    publication_names = {p: t_code("publication", p, lang) for p in pubs["snapshot_id"]}
    revisions = sd.relabel(sd.station_revisions(cached.revisions(sid), station_id, line_names),
                           {"old_snapshot_id": publication_names, "new_snapshot_id": publication_names})
    if revisions.height:
        st.subheader(t("station.revisions_header", lang))
        st.dataframe(
            revisions, hide_index=True, width="stretch",
            column_config={
                "line": column("station.col_line"), "code": None, "old_value": column("station.col_old", right=True),
                "new_value": column("station.col_new", right=True), "change": column("station.col_change", right=True),
                "old_snapshot_id": column("station.col_from"), "new_snapshot_id": column("station.col_to"),
                "revised_at": when("station.col_revised_at"),
            },
        )
    csv_button(sd.station_rows(tables["protocol_official"], station_id), "official")
else:
    st.info(t("station.no_official", lang))

# --- copies line by line ----------------------------------------------------------------------
st.header(t("station.copies_header", lang), anchor="copies")
if copy_names:
    st.caption(t("station.copies_help", lang))
    comparison = sd.comparison_table(tables["protocol_official"], tables["protocol_copies"], metrics["discrepancy_lines"],
                                     station_id, profile_lines, line_names, copy_names, fmt)
    st.dataframe(
        comparison, hide_index=True, width="stretch", height=TABLE_HEIGHT,
        column_config={
            "code": None, "line": line_column(), "official": figure_column(t("station.col_official", lang)),
            **{label: figure_column(label) for label in copy_names.values()},
            "diff": column("station.col_diff", right=True), "mark": column("station.col_mark"),
        },
    )
    csv_button(sd.station_rows(tables["protocol_copies"], station_id), "copies")
    st.subheader(t("station.documents_header", lang))
    st.caption(t("station.evidence_help", lang))
    documents = sd.copy_documents(tables["protocol_copies"], metrics["relations"], station_id, copy_names)
    st.dataframe(
        sd.relabel(documents, {"org_type": type_names}),
        hide_index=True, width="stretch",
        column_config={
            "document": column("station.col_document"), "copy_id": column("station.col_copy_id"),
            "org_type": column("station.col_org_type"), "obtained_at": when("station.col_obtained"),
            "signed": column("station.col_signed"), "sealed": column("station.col_sealed"),
            "words_match": column("station.col_words"), "relations_failed": column("station.col_failed", right=True),
            "evidence_sha256": column("station.col_hash"),
        },
    )
else:
    st.info(t("station.no_copies", lang))

# --- control relations ------------------------------------------------------------------------
st.header(t("station.relations_header", lang), anchor="relations")
st.caption(t("station.relations_help", lang))
documents_order = {sd.OFFICIAL: t("station.doc_official", lang), **copy_names}
relation_texts = {code: names.get(lang) for code, names in prof.relation_text.items()}
checks = sd.relation_table(metrics["relations"], station_id, documents_order, relation_texts,
                           {True: t("station.passed", lang), False: t("station.failed", lang)})
st.dataframe(
    checks, hide_index=True, width="stretch", height=TABLE_HEIGHT,
    column_config={
        "document": column("station.col_document"), "code": None, "relation": column("station.col_relation"),
        "severity": column("station.col_severity"), "expected": column("station.col_expected", right=True),
        "actual": column("station.col_actual", right=True), "result": column("station.col_result"),
    },
)

# --- incidents --------------------------------------------------------------------------------
st.header(t("station.incidents_header", lang), anchor="incidents")
item_names = {i.code: i.names.get(lang) for i in prof.items}
incidents = sd.incident_table(tables["incidents"], station_id, item_names)
if incidents.height:
    blocks.chart_block("station-incidents", ctx, filters={ID_KEY: station_id})
    st.subheader(t("station.reports_header", lang))
    st.caption(t("station.reports_help", lang))
    status_names = {s: t(f"station.status_{s}", lang) for s in INCIDENT_STATUSES}
    complaint_names = {c: t(f"station.complaint_{c}", lang) for c in COMPLAINT_STATUSES}
    severity_names = {str(s): t(f"station.severity_{s}", lang) for s in SEVERITIES}
    st.dataframe(
        sd.relabel(incidents, {"status": status_names, "org_type": type_names, "complaint_status": complaint_names,
                               "severity": severity_names}),
        hide_index=True, width="stretch",
        column_config={
            "observed_at": when("station.col_time"), "item": column("station.col_item"), "code": None,
            "severity": column("station.col_severity"), "status": column("station.col_status"),
            "org_type": column("station.col_org_type"), "act_filed": column("station.col_act"),
            "complaint_status": column("station.col_complaint"),
            "text": st.column_config.Column(t("station.col_text", lang), width="large"),
            "incident_id": column("station.col_incident_id"),
        },
    )
    csv_button(incidents, "incidents")
else:
    st.info(t("station.no_incidents", lang))

# --- checklists -------------------------------------------------------------------------------
st.header(t("station.checklist_header", lang), anchor="checklists")
visits = sd.observer_visits(tables["checklists"], station_id)
if visits.height:
    st.dataframe(
        sd.relabel(visits, {"org_type": type_names}),
        hide_index=True, width="stretch",
        column_config={
            "organisation": column("station.col_org"), "org_type": column("station.col_org_type"),
            "arrived_at": when("station.col_arrived"), "left_at": when("station.col_left"),
        },
    )
    st.caption(t("station.checklist_help", lang))
    answers = {a: t(f"station.answer_{a}", lang) for a in ANSWERS}
    checklist = sd.checklist_table(tables["checklists"], station_id, [i.code for i in prof.items], item_names, answers)
    st.dataframe(checklist, hide_index=True, width="stretch", height=TABLE_HEIGHT,
                 column_config={"code": None, "item": column("station.col_item"), "mark": column("station.col_seen")})
else:
    st.info(t("station.no_checklist", lang))

# --- share ------------------------------------------------------------------------------------
st.header(t("station.share_header", lang), anchor="share")
st.caption(t("station.share_help", lang))
st.code(f"{blocks.base_url()}/station?{urlencode({ID_KEY: station_id, 'lang': lang})}", language=None, wrap_lines=True)
