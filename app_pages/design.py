"""Step 4: natural-variation design feasibility.

Everything is computed by `design_feasibility.analyse`; this page draws each design's verdict
and findings, the threshold diagnostics, two explanatory charts and (with an outcome) the
Table 5.3-style estimates. The
result is stored in `st.session_state["design_result"]` for the workplan.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import streamlit as st

import core  # noqa: F401  (telemetry off first)
from app_pages.common import (active_tables, computed, extract_date_for, keep_choice, kept_in, lang, page_state, page_texts,
                              show_chart, show_table, uploaded_mapping)
from core import jsonio
from core.arms import ArmChoice, arm_names, department_values
from core.errors import UserInputError
from core.findings import verdict_label
from core.texts import pick
from design_feasibility import Options
from design_feasibility import inference_findings as checks
from design_feasibility.charts import grey_area_chart, outcome_line_chart, preference_chart
from design_feasibility.config import TEXTS, caseworker_setting, design_configs, shared_setting
from design_feasibility.estimates import outside_range

VERDICT_STYLE = {"feasible": st.success, "feasible_with_caveats": st.warning, "not_feasible": st.error}
SEVERITY_ICON = {"ok": "✅", "info": "ℹ️", "warning": "⚠️", "error": "❌"}
AUTO = ""               # the reference chosen by the package's rule (core.arms)
MAX_VALUES = 24         # department values offered for merging (the most frequent)

tr = page_texts("design")
language = lang()


def pkg(key: str) -> str:
    return TEXTS(key, language)


def settings() -> Options:
    with st.expander(tr("settings"), expanded=False):
        left, middle, right = st.columns(3)
        min_cluster = left.number_input(tr("min_cluster"), min_value=2, max_value=500, step=1,
                                        value=int(caseworker_setting("min_cluster")), key="design_min_cluster")
        target = middle.number_input(tr("target_effect"), min_value=1, max_value=90, step=1,
                                     value=int(round(100 * shared_setting("target_effect"))),
                                     key="design_target", help=tr("target_help"))
        auto = right.checkbox(tr("policy_auto"), value=True, key="design_policy_auto")
        default_date = design_configs()["difference_in_differences"]["policy_date"]
        date = right.date_input(tr("policy_date"), value=dt.date.fromisoformat(default_date),
                                disabled=auto, key="design_policy_date")
    return Options(min_cluster=int(min_cluster), target_effect=target / 100,
                   policy_date=None if auto else pd.Timestamp(date))


def arm_choice(tables: dict, source: str) -> ArmChoice:
    """The user's arms: every value of referrals.department gets an arm name (the same name
    merges values), and the reference; kept in the page's own state per extract."""
    values = department_values(tables["referrals"]) if tables.get("referrals") is not None else []
    mapping = uploaded_mapping()
    given = dict(mapping.arms) if mapping else {}
    store = f"design_arms:{source}"
    with st.expander(tr("arms"), expanded=False):
        st.markdown(tr("arms_help"))
        columns = st.columns(3)
        shown = values[:MAX_VALUES]
        merge = {v: a for v, a in given.items() if v not in shown}    # the mapping file's, for values without a field
        for i, value in enumerate(shown):
            arm = kept_in(store, value, columns[i % 3].text_input, f"design_arm_{i}", given.get(value, value),
                          label=tr("arm_of", value=value))
            merge[value] = arm.strip() or value      # a field emptied: the value as it is
        if len(values) > MAX_VALUES:
            st.caption(tr("arms_more", count=len(values) - MAX_VALUES))
        merge = {v: a for v, a in merge.items() if a != v}      # a value kept as it is merges nothing
        names = arm_names(values, merge)
        reference = page_state(f"{store}:reference", dict)
        if reference.get("reference", AUTO) not in (AUTO, *names):     # the arms changed
            reference["reference"] = AUTO
        automatic = tr("reference_auto")
        chosen = kept_in(f"{store}:reference", "reference", st.selectbox, "design_reference", AUTO,
                         label=tr("reference"), options=[AUTO, *names],
                         format_func=lambda name: name or automatic)
    if chosen:
        return ArmChoice.of(merge, chosen, "given")
    return ArmChoice.of(merge, mapping.reference if mapping else None, "mapping")


def result_for(tables: dict, source: str, options: Options):
    """The analysis, recomputed only when the extract or the settings change."""
    key = (source, tuple((name, len(table)) for name, table in tables.items()), options)
    if st.session_state.get("design_key") != key:
        with st.spinner(tr("computing")):
            st.session_state["design_result"] = computed("design", tables, options)
        st.session_state["design_key"] = key
    return st.session_state["design_result"]


def show_designs(result) -> None:
    """Per design its verdict and the findings that are not threshold diagnostics."""
    st.subheader(tr("designs"))
    for design in result.designs:
        VERDICT_STYLE[design.verdict](f"**{pick(design.label, language)}**: "
                                      f"{verdict_label('design', design.verdict, language)}")
        for f in result.findings_of(design.design):
            if f.source is None:
                advice = f.advice(language)
                st.markdown(f"- {SEVERITY_ICON[f.severity]} {f.message(language)}" + (f" *{advice}*" if advice else ""))


def show_diagnostics(result) -> None:
    """The findings judged against a threshold with a source (the caseworker design's checks)."""
    diagnostics = result.diagnostics()
    if not diagnostics:
        return
    st.subheader(tr("diagnostics"))
    rows = [{tr("col_check"): f.title(language),
             tr("col_verdict"): f"{SEVERITY_ICON[f.severity]} {pkg('severity.' + f.severity)}",
             tr("col_value"): f.value, tr("col_threshold"): f.threshold, tr("col_meaning"): f.message(language),
             tr("col_source"): pick(f.source, language)} for f in diagnostics]
    show_table(rows)


def show_charts(result) -> None:
    if not result.grey_area:     # the caseworker design could not be estimated
        return
    st.subheader(tr("charts"))
    st.markdown(tr("preference_explained", arm=result.caseworkers[0].arm if result.caseworkers else ""))
    show_chart(preference_chart(result, language))
    st.markdown(tr("grey_explained"))
    show_chart(grey_area_chart(result.grey_area, language), theme=None)


def show_estimates(result) -> None:
    if not result.estimates:
        st.info(tr("no_outcome"))
        return
    st.subheader(tr("estimates", reference=result.frame.reference))
    st.markdown(tr("raw_misleads"))
    rows = [{tr("col_method"): pkg("method." + e.method), tr("col_department"): e.department,
             tr("col_estimate"): 100 * e.estimate, tr("col_ci"): checks.interval_text(e.ci_low, e.ci_high, language),
             tr("col_se"): 100 * e.se, tr("col_inference"): e.inference,
             tr("col_ar"): checks.interval_text(e.ar_low, e.ar_high, language) if e.method == "iv" else "",
             "⚠": tr("outside_range") if outside_range(e) else ""} for e in result.estimates]
    show_table(rows, specs={tr("col_estimate"): "+.1f", tr("col_se"): ".1f"})
    st.caption(result.frame.outcome_definition[language])
    if result.subgroups:
        with st.expander(tr("subgroups", minimum=result.settings["disclosure_min"])):
            rows = [{tr("col_group"): f"{pkg('group.' + s.group)}: {s.level}", tr("col_department"): s.department,
                     tr("col_estimate"): 100 * s.estimate,
                     tr("col_ci"): checks.interval_text(s.ci_low, s.ci_high, language),
                     tr("col_inference"): s.inference, "n": s.n, "⚠": tr("outside_range") if outside_range(s) else ""}
                    for s in result.subgroups]
            show_table(rows, specs={tr("col_estimate"): "+.1f"})


def show_inference(result) -> None:
    """The judge-design checks side by side per arm, the exclusion/monotonicity chart, the
    balance table per characteristic and what each check means."""
    check = lambda key, **values: checks.TEXTS(key, language, **values)  # noqa: E731
    if result.estimates:
        st.subheader(check("table.title", reference=result.frame.reference))
        show_table(checks.arm_table(jsonio.to_plain(result), language))
    if result.outcome_line:
        st.markdown(f"**{check('exclusion_monotonicity.label')}**")
        show_chart(outcome_line_chart(result.outcome_line, language), width="content")
        st.caption(check("exclusion_monotonicity.chart", minimum=result.settings["disclosure_min"]))
        for f in (f for f in result.diagnostics() if f.id.endswith(".exclusion_monotonicity")):
            st.markdown(f"{SEVERITY_ICON[f.severity]} {f.message(language)}")
    if result.balance:
        with st.expander(check("balance_table.title")):
            st.markdown(check("balance_table.explain"))
            rows = [{check("table.department"): b.department, tr("col_characteristic"): b.covariate,
                     tr("col_coefficient"): b.coefficient, tr("col_se"): b.se, "p": b.p} for b in result.balance]
            show_table(rows, specs={name: ".4f" for name in (tr("col_coefficient"), tr("col_se"), "p")})
    if result.grey_area:
        with st.expander(check("explained.title")):
            for item in checks.explanations(caseworker_setting("diagnostics"), language):
                st.markdown(f"**{item['label']}**  \n{item['explain']}  \n*{check('explained.verdict')}:* {item['verdict']}")


st.title(tr("title"))
st.markdown(tr("intro"))
tables, source = active_tables()
st.caption(tr("source_demo") if source == "demo" else tr("source_upload", source=source))
options = replace(settings(), arms=arm_choice(tables, source), extract_date=extract_date_for(source))
keep_choice("arms", source, options.arms)     # the population page compares the same arms
try:
    result = result_for(tables, source, options)
except UserInputError as error:
    st.error(error.message(language))
    st.stop()

frame = result.frame
st.caption(result.settings["extract_date_basis"].explanation(language))
st.caption(tr("frame", analysed=frame.analysed, referred=frame.referred, caseworkers=frame.caseworkers))
show_designs(result)
show_diagnostics(result)
show_charts(result)
show_estimates(result)
show_inference(result)
st.download_button(tr("download"), data=jsonio.dumps(result), file_name="design_feasibility.json",
                   mime="application/json", key="design_download")
