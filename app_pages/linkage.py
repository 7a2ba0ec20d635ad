"""Step 3: CBS linkage readiness.

Everything is computed by `linkage_readiness.assess`; this page draws the verdict, charts,
tables and the checklist. What the user entered (checklist, outcomes, covariates) is kept in
`st.session_state["linkage_state"]` and drawn from there (widget keys start with `linkage_`); the
result is stored in `st.session_state["linkage_result"]` for the workplan.
"""
from __future__ import annotations

import json
from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

import core  # noqa: F401  (telemetry off first)
from app_pages.common import (
    active_tables,
    choose_placeholder,
    kept,
    kept_in,
    lang,
    page_state,
    page_texts,
    severity_name,
    show_chart,
    show_table,
)
from core import jsonio
from core.findings import verdict_label
from core.canonical import table_name
from core.locales import format_date
from core.texts import pick
from linkage_readiness import (
    ChecklistItem,
    assess,
    catalogue,
    default_checklist,
    from_dicts,
    prefill,
)
from linkage_readiness import checklist as checklist_data
from linkage_readiness.microdata import need_labels
from linkage_readiness.resources import percent

DONE, NOTE = "linkage_done_", "linkage_note_"     # widget keys; the values live in STATE
STATE = "linkage_state"
VERDICT_STYLE = {"ready": st.success, "ready_with_actions": st.warning, "not_ready": st.error}

tr = page_texts("linkage")
language = lang()
cat = catalogue()


def state() -> dict:
    """What the user entered on this page: the checklist (item id -> ChecklistItem), the chosen
    outcomes and covariates, and the maturity result the checklist was last prefilled from."""
    return page_state(STATE, dict)


def set_checklist(items: list[ChecklistItem]) -> None:
    state()["checklist"] = {item.id: item for item in items}


def set_item(item_id: str, **changes) -> None:
    items = state()["checklist"]
    items[item_id] = replace(items.get(item_id, ChecklistItem(item_id)), **changes)


def init_checklist() -> None:
    """First visit: the checklist prefilled from the maturity scan; later, a newer maturity
    result ticks what it can (never unticks)."""
    maturity = st.session_state.get("maturity_result")
    fingerprint = jsonio.dumps(maturity) if maturity is not None else None
    if "checklist" not in state():
        set_checklist(prefill(default_checklist(), maturity, language))
    elif fingerprint != state().get("maturity_seen"):
        set_checklist(prefill(current_checklist(), maturity, language))
    state()["maturity_seen"] = fingerprint


def current_checklist() -> list[ChecklistItem]:
    items = state()["checklist"]
    return [items.get(i, ChecklistItem(i)) for i in checklist_data.spec()]


def restore() -> None:
    upload = st.file_uploader(tr("restore_label"), type=["json"], key="linkage_upload")
    if upload is None or st.session_state.get("linkage_restored") == upload.file_id:
        return
    st.session_state["linkage_restored"] = upload.file_id
    try:
        saved = json.loads(upload.getvalue().decode("utf-8"))
        items = saved.get("checklist") if isinstance(saved, dict) else saved
        set_checklist(from_dicts([i for i in items if isinstance(i, dict) and "id" in i]))
    except (ValueError, TypeError, AttributeError, RecursionError):
        st.error(tr("restore_failed", name=upload.name))
        return
    st.success(tr("restored", name=upload.name))


def unmapped_columns(source: str) -> dict[str, pd.DataFrame] | None:
    """Names of the uploaded columns that were not mapped (the data page keeps the loaded
    extract), so columns that must not go to CBS are flagged by their names too."""
    loaded = st.session_state.get("quality_loaded") if source != "demo" else None
    if loaded is None:
        return None
    return {info.file: pd.DataFrame(columns=info.unused_columns) for info in loaded.sources.values()}


def research_questions() -> tuple[list[str], list[str]]:
    st.subheader(tr("plan_header"))
    st.caption(tr("plan_intro"))
    left, right = st.columns(2)
    outcomes = kept_in(STATE, "outcomes", left.multiselect, "linkage_outcomes", cat["default_outcomes"],
                       label=tr("outcomes"), options=list(cat["outcomes"]), placeholder=choose_placeholder(),
                       format_func=lambda o: pick(cat["outcomes"][o]["label"], language))
    covariates = kept_in(STATE, "covariates", right.multiselect, "linkage_covariates", cat["default_covariates"],
                         label=tr("covariates"), options=list(cat["covariates"]), placeholder=choose_placeholder(),
                         format_func=lambda c: pick(cat["covariates"][c]["label"], language))
    return outcomes, covariates


def checklist_widgets() -> None:
    st.subheader(tr("checklist_header"))
    st.caption(tr("checklist_intro"))
    restore()
    for item in current_checklist():
        spec = checklist_data.spec()[item.id]
        text = spec[language]
        title = text["title"] + (f" ({tr('blocking')})" if spec["blocking"] else "")
        done_column, note_column = st.columns([3, 2])
        kept(done_column.checkbox, DONE + item.id, item.done, lambda done, i=item.id: set_item(i, done=done),
             label=title, help=text["help"])
        if item.prefilled:
            done_column.caption(tr("prefilled"))
        kept(note_column.text_input, NOTE + item.id, item.note, lambda note, i=item.id: set_item(i, note=note),
             label=tr("note"), label_visibility="collapsed", placeholder=tr("note"))


def show_verdict(result) -> None:
    st.subheader(tr("verdict_header"))
    VERDICT_STYLE[result.verdict](verdict_label("linkage", result.verdict, language))
    rate = result.predicted_link_rate
    value_column, route_column = st.columns(2)
    value_column.metric(tr("link_rate"), pick(percent(rate.value), language),
                        tr("link_rate_band", low=pick(percent(rate.low), language),
                           high=pick(percent(rate.high), language)), delta_color="off", delta_arrow="off")
    route_column.metric(tr("route"), tr(f"route_{rate.route}"))
    st.caption(pick(rate.basis, language))
    st.markdown(f"**{tr('reasons_header')}**")
    if not result.reasons:
        st.write(tr("no_reasons"))
    for reason in result.reasons:
        st.markdown(f"- **{tr('kind_' + reason.params['kind'])}**: {reason.message(language)}")


def show_keys(result) -> None:
    st.subheader(tr("key_header"))
    left, right = st.columns(2)
    completeness = pd.DataFrame([{"element": pick(row["label"], language), "share": row["share"]}
                                 for row in result.key_completeness])
    show_chart(alt.Chart(completeness, title=tr("key_chart_title")).mark_bar().encode(
        x=alt.X("share:Q", title=tr("share_complete"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("element:N", title=tr("element"), sort=None),
        tooltip=[alt.Tooltip("element:N", title=tr("element")),
                 alt.Tooltip("share:Q", title=tr("share_complete"), format=".1%")]), left)
    routes = pd.DataFrame([{"route": tr("route_" + row["route"]), "clients": row["clients"],
                            "expected": row["expected"], "source": tr("source_" + row["source"]),
                            "basis": pick(row["label"], language)}
                           for row in result.predicted_link_rate.by_route if row["clients"] is not None])
    if not routes.empty:
        show_chart(alt.Chart(routes, title=tr("route_chart_title")).mark_bar().encode(
            x=alt.X("clients:Q", title=tr("clients")), y=alt.Y("route:N", title=tr("route_label"), sort=None),
            color=alt.Color("source:N", title=tr("source_of_rate")),
            tooltip=[alt.Tooltip("basis:N", title=tr("route_label")), alt.Tooltip("clients:Q", title=tr("clients")),
                     alt.Tooltip("expected:Q", title=tr("expected"), format=".1%")]), right)
    if any(row["clients"] is None for row in result.predicted_link_rate.by_route):
        right.caption(tr("withheld_routes", min_count=result.min_count))
    st.markdown(f"**{tr('at_risk_header')}**")
    if not result.at_risk:
        st.write(tr("no_at_risk"))
        return
    columns = ("address_pc6", "address_pc4", "none")
    table = pd.DataFrame([{tr("reason"): pick(row["label"], language),
                           **{tr("fallback_" + c): row[c] for c in columns}, tr("total"): row["total"]}
                          for row in result.at_risk])
    show_table(table, width="content")
    st.caption(tr("at_risk_caption", min_count=result.min_count))


def show_findings(result) -> None:
    st.subheader(tr("findings_header"))
    if not result.data_findings:
        st.write(tr("no_findings"))
        return
    show_table([{
        tr("severity"): severity_name(f.severity), tr("finding_id"): f.title(language),
        tr("where"): f"{table_name(f.table, language)}: {f.column}" if f.column else table_name(f.table, language),
        tr("count"): f.count,
        tr("share"): pick(percent(f.share), language) if f.share is not None else "",
        tr("message"): f.message(language), tr("advice"): f.advice(language),
        tr("examples"): ", ".join(f.examples)} for f in result.data_findings], width="content")


def show_plan(result) -> None:
    plan = result.microdata_plan
    if plan.period["start"]:
        st.caption(tr("period", start=format_date(plan.period["start"], language),
                      end=format_date(plan.period["end"], language)))
    else:
        st.caption(tr("period_unknown"))
    labels = need_labels(language)
    show_table([{
        tr("file"): f.id, tr("file_name"): pick(cat["files"][f.id]["name"], language),
        tr("needed_for"): ", ".join(labels[n] for n in f.needed_for),
        tr("permission"): tr("answer_yes") if f.permission else tr("answer_no"),
        tr("coverage"): tr("from_year", year=f.coverage_from), tr("coverage_check"): f.status_text[language],
        tr("caveats"): pick(cat["files"][f.id]["caveats"], language)} for f in plan.files], width="content")
    st.caption(pick(cat["verify_note"], language))


st.title(tr("title"))
st.write(tr("intro"))
tables, source = active_tables()
st.caption(tr("source_demo") if source == "demo" else tr("source_upload", source=source))
init_checklist()

verdict_area = st.container()
outcomes, covariates = research_questions()
plan_area = st.container()
checklist_widgets()

result = assess(tables, outcomes=outcomes, covariates=covariates, source_tables=unmapped_columns(source),
                checklist=jsonio.to_plain(current_checklist()), lang=language)
st.session_state["linkage_result"] = result

with verdict_area:
    show_verdict(result)
    show_keys(result)
    show_findings(result)
with plan_area:
    show_plan(result)
st.download_button(tr("download"), data=jsonio.dumps(result), file_name="linkage_result.json",
                   mime="application/json", help=tr("download_help"), key="linkage_download")
