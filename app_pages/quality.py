"""Step 2: the data-quality profile of the registration extract.

Uploads stay in memory (`st.file_uploader`); the confirmed extract is kept in
`st.session_state["extract_tables"]` / `["extract_source"]` for the later steps, the profile in
`st.session_state["quality_result"]` (a `quality_checks.report.QualityReport`).
All computation happens in the `quality_checks` package.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import core  # noqa: F401  (telemetry off first)
from app_pages.common import (choose_placeholder, date_format, demo_extract, keep_choice, kept_in, lang, page_texts, show_chart,
                              show_table)
from core import jsonio
from core.canonical import TABLES, table_name
from core.errors import UserInputError
from core.exports import INTERNAL, findings_frame, spreadsheet_csv
from core.extract_date import ExtractDate, infer_extract_date
from core.locales import format_month
from quality_checks import Mapping, list_sheets, load_mapping, load_uploads, propose_mapping
from quality_checks.charts import code_usage_chart, date_checks_chart, missingness_chart
from quality_checks.profile import DEFAULT_POLICY_DATES, profile_extract, profile_loaded

tr = page_texts("quality")
language = lang()
SEVERITY_KEYS = {"error": "errors", "warning": "warnings", "info": "infos"}
STATE = "quality_state"     # what the user chose on this page (see common.kept_in)

st.title(tr("title"))
st.write(tr("intro"))


def uploaded_files() -> list[tuple[str, bytes]]:
    uploads = st.file_uploader(tr("upload_label"), type=["csv", "txt", "tsv", "xlsx", "parquet"],
                               accept_multiple_files=True, help=tr("upload_help"), key="quality_uploads")
    return [(u.name, u.getvalue()) for u in uploads or []]


def chosen_sheets(files) -> dict[str, str]:
    sheets = {}
    for name, data in files:
        names = list_sheets(data)
        if len(names) > 1:
            sheets[name] = st.selectbox(tr("sheet", file=name), names, key=f"quality_sheet_{name}")
    return sheets


def mapping_editor(files, given: Mapping) -> Mapping:
    """Table per file, then source -> canonical column per table, editable; returns the result."""
    none = tr("not_used")
    first = propose_mapping(files, given)
    options = [none, *TABLES]
    chosen = {}
    for name, _ in files:
        current = first.files.get(name)
        table = st.selectbox(tr("mapping_file", file=name), options, key=f"quality_table_{name}",
                             index=options.index(current) if current else 0)
        if table != none:
            chosen[name] = table
    proposed = propose_mapping(files, Mapping(files=chosen, sheets=dict(first.sheets), tables=dict(given.tables)))
    edited = Mapping(files=dict(proposed.files), sheets=dict(proposed.sheets), tables={})
    for file, table in proposed.files.items():
        columns = proposed.tables.get(table, {})
        st.caption(f"{file} → {table}")
        frame = pd.DataFrame({"source": list(columns), "target": [t or none for t in columns.values()]})
        result = st.data_editor(frame, key=f"quality_map_{file}_{table}", hide_index=True, disabled=["source"],
                                column_config={
                                    "source": st.column_config.TextColumn(tr("mapping_source_column")),
                                    "target": st.column_config.SelectboxColumn(
                                        tr("mapping_target_column"), options=[none, *TABLES[table].names])})
        edited.tables[table] = {s: (None if t == none else t) for s, t in zip(result["source"], result["target"])}
    return edited


def upload_step() -> None:
    files = uploaded_files()
    if not files:
        st.info(tr("no_files"))
        return
    st.subheader(tr("mapping_header"))
    st.caption(tr("mapping_intro"))
    given = st.file_uploader(tr("mapping_upload"), type=["yaml", "yml", "json"], key="quality_mapping_file")
    try:
        mapping = load_mapping(given.getvalue(), given.name) if given else Mapping()
        mapping.sheets.update(chosen_sheets(files))
        confirmed = mapping_editor(files, mapping)
        st.download_button(tr("mapping_download"), jsonio.dumps(confirmed.to_dict()),
                           file_name="kolomindeling.json", mime="application/json")
        if st.button(tr("confirm"), type="primary"):
            with st.spinner(tr("reading")):
                loaded = load_uploads(files, confirmed)
            st.session_state["extract_tables"] = loaded.tables
            st.session_state["extract_source"] = ", ".join(name for name, _ in files)
            st.session_state["quality_loaded"] = loaded
            st.session_state["extract_inferred"] = infer_extract_date(loaded.tables)   # once per upload
            st.session_state.pop("quality_result", None)
    except UserInputError as error:
        st.error(error.message(language))
    loaded = st.session_state.get("quality_loaded")
    if loaded is not None:
        st.success(tr("loaded", tables=", ".join(f"{t} ({len(df)})" for t, df in loaded.tables.items())))


def settings(default_date: str, default_policy) -> tuple[str, list[str]] | None:
    st.subheader(tr("settings"))
    left, right = st.columns(2)
    # one field per extract: a new upload starts from its own (inferred) date, not the demo's
    extract = st.session_state.get("extract_source", "demo")
    extract_date = kept_in(STATE, f"extract_date {extract}", left.date_input, f"quality_extract_date_{extract}",
                           dt.date.fromisoformat(default_date), label=tr("extract_date"), format=date_format())
    text = kept_in(STATE, "policy_dates", right.text_input, "quality_policy_dates", ", ".join(default_policy),
                   label=tr("policy_dates"))
    policy = [p.strip() for p in text.split(",") if p.strip()]
    for value in policy:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            st.error(tr("bad_policy_date", value=value))
            return None
    return extract_date.isoformat(), policy


def run_profile(source: str, options) -> None:
    extract_date, policy = options
    with st.spinner(tr("running")):
        if source == "demo":       # the later steps work on the demo from now on
            st.session_state.pop("extract_tables", None)
            st.session_state.pop("extract_source", None)
            tables, manifest = demo_extract()
            same = extract_date == manifest["extract_date"]
            report = profile_extract(tables, extract_date=ExtractDate(extract_date, "manifest") if same else extract_date,
                                     policy_dates=policy)
        else:
            loaded = st.session_state["quality_loaded"]
            inferred = st.session_state["extract_inferred"]
            report = profile_loaded(loaded, extract_date=inferred if inferred.date == extract_date else extract_date,
                                    policy_dates=policy)
    st.session_state["quality_result"] = report
    st.session_state["quality_result_source"] = source
    extract = "demo" if source == "demo" else st.session_state.get("extract_source", "upload")   # as active_tables
    # a given date: the later pages use it too; else they find the same one by the same rule
    keep_choice("extract_date", extract, report.extract_date_basis if report.extract_date_basis.basis == "given" else None)


def scorecard(report) -> None:
    st.subheader(tr("scorecard"))
    for column, (severity, key) in zip(st.columns(3), SEVERITY_KEYS.items()):
        column.metric(tr(key), report.summary[severity])
    names = report.source_names()
    rows = [{tr("table"): names.get(table) or table_name(table, language),
             **{tr(k): counts[s] for s, k in SEVERITY_KEYS.items()}} for table, counts in report.scorecard.items()]
    show_table(rows)


def findings_table(report) -> None:
    st.subheader(tr("findings"))
    chosen = kept_in(STATE, "severity", st.multiselect, "quality_severity", ["error", "warning"],
                     label=tr("severity_filter"), options=list(SEVERITY_KEYS), placeholder=choose_placeholder(),
                     format_func=lambda s: tr(SEVERITY_KEYS[s]))
    shown = [f for f in report.findings if f.severity in chosen]
    if not shown:
        st.info(tr("no_findings"))
        return
    frame = findings_frame(shown, language, report.source_names())
    show_table(frame.iloc[:, :6])        # one line per finding; what was found and what to do below
    st.caption(tr("details_below"))
    for _, row in frame.iterrows():
        with st.expander(f"{row.iloc[0]}: {row.iloc[1]}"):
            st.markdown("\n\n".join(f"**{name}**: {row[name]}" for name in frame.columns[6:] if row[name]))


def eras(report) -> None:
    st.subheader(tr("eras"))
    st.caption(tr("eras_intro"))
    names = tr("era_columns")
    frame = pd.DataFrame(jsonio.to_plain(report.eras))
    if not frame.empty:
        frame[["start", "end"]] = frame[["start", "end"]].map(lambda month: format_month(month, language))
        show_table(frame.rename(columns=names))
    chart = code_usage_chart(report, language)
    if chart is not None:
        show_chart(chart)


def charts(report) -> None:
    for title, chart in ((tr("missingness"), missingness_chart(report, language)),
                         (tr("date_checks"), date_checks_chart(report, language))):
        if chart is not None:
            st.subheader(title)
            show_chart(chart)


def downloads(report) -> None:
    st.subheader(tr("downloads"))
    st.caption(tr("download_note"))
    a, b, c = st.columns(3)
    a.download_button(tr("download_json"), jsonio.dumps(report), file_name="datakwaliteit.json",
                      mime="application/json")
    own = findings_frame(report.findings, language, report.source_names(), audience=INTERNAL)   # the steward's own
    b.download_button(tr("download_csv"), spreadsheet_csv(own, language),
                      file_name="bevindingen.csv", mime="text/csv")
    c.download_button(tr("download_suite"), jsonio.dumps(report.expectations["suites"]),
                      file_name="gx_suite.json", mime="application/json")


source = kept_in(STATE, "source", st.radio, "quality_source",
                 "upload" if "extract_tables" in st.session_state else "demo",
                 label=tr("source"), options=["demo", "upload"], horizontal=True,
                 format_func=lambda s: tr(f"source_{s}"))
if source == "demo":
    _, manifest = demo_extract()
    options = settings(manifest["extract_date"], manifest["policy_dates"])
    ready = True
else:
    upload_step()
    inferred = st.session_state.get("extract_inferred") if "quality_loaded" in st.session_state else None
    options = settings((inferred and inferred.date) or dt.date.today().isoformat(), DEFAULT_POLICY_DATES)
    ready = "quality_loaded" in st.session_state

if options is not None and ready and st.button(tr("run"), type="primary", key="quality_run"):
    run_profile(source, options)

report = st.session_state.get("quality_result")
if report is not None and st.session_state.get("quality_result_source") == source:
    shown = st.session_state.get("extract_source") if source == "upload" else tr("source_demo")
    st.caption(tr("result_for", source=shown) + " "
               + report.extract_date_basis.explanation(language))
    scorecard(report)
    findings_table(report)
    eras(report)
    charts(report)
    downloads(report)
    notes = report.ingest_notes()
    if notes:
        with st.expander(tr("notes")):
            st.write("\n".join(f"- {note.message(language)}" for note in notes))