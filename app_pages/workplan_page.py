"""Step 5: the workplan PDF and the saved assessment.

Gathers what the other pages left in `st.session_state` (`maturity_sheet`, `maturity_result`,
`quality_result`, `linkage_result`, `design_result`), or runs the missing steps on the active
extract (the demo by default) when asked; or works on an uploaded assessment. Shows the
summary, and offers the PDF and the assessment JSON as downloads (built in memory) and a
comparison with a second uploaded assessment. All computation happens in `workplan`.
"""
from __future__ import annotations

import hashlib

import streamlit as st

import core  # noqa: F401  (telemetry off first)
from app_pages.common import (active_tables, choose_placeholder, chosen, extract_date_for, kept_in, lang, mapping_arms,
                              page_texts, show_table)
from core.errors import UserInputError
from workplan import SECTIONS, build_assessment, build_pdf, build_report, compare, loads, render
from workplan.content import LABELS
from workplan.rules import role_name

STEP_KEYS = {"maturity": "maturity_result", "quality": "quality_result",
             "linkage": "linkage_result", "design": "design_result", "population": "population_result"}
BADGE = {"green": ":green-background[{}]", "amber": ":orange-background[{}]",
         "red": ":red-background[{}]", "grey": ":gray-background[{}]"}
EXTRA_ROLES = ("client", "intake_lead", "researcher", "management", "legal")
STATE = "workplan_state"    # what the user chose on this page (see common.kept_in)

tr = page_texts("workplan")
language = lang()


def uploaded_assessment(label: str, key: str):
    """An assessment from an uploaded JSON file (kept in memory), or None with an error shown."""
    upload = st.file_uploader(label, type=["json"], key=key)
    if upload is None:
        return None
    try:
        return loads(upload.getvalue(), upload.name)
    except UserInputError as error:
        st.error(error.message(language))
        return None


def demo_answers():
    """The demo municipality's filled-in quick scan (shipped with the maturity step)."""
    from pathlib import Path

    import maturity
    return maturity.load(Path(maturity.__file__).with_name("examples") / "demo_quick_scan.json")


def live_assessment():
    """The assessment of this session: results from the other pages plus those of steps this
    page ran on the active extract (kept in `workplan_results`)."""
    tables, source = active_tables()
    sheet = st.session_state.get("maturity_sheet")
    default_name = "Demogemeente" if source == "demo" else source
    municipality = st.text_input(tr("municipality"), value=getattr(sheet, "municipality", "") or default_name,
                                 key="workplan_municipality")
    extra = kept_in(STATE, "extra_roles", st.multiselect, "workplan_extra_roles", [],
                    label=tr("extra_roles"), options=EXTRA_ROLES, placeholder=choose_placeholder(),
                    format_func=lambda role: role_name(role, language))
    ran = st.session_state.setdefault("workplan_results", {})
    results = {step: st.session_state.get(key) or ran.get(step) for step, key in STEP_KEYS.items()}
    missing = [step for step, result in results.items() if result is None]
    if missing:
        st.info(tr("missing", steps=", ".join(LABELS("step_" + s, language) for s in missing)))
    run = st.button(tr("run_missing"), key="workplan_run", disabled=not missing)
    if sheet is None and source == "demo" and (run or ran.get("maturity")):
        sheet = demo_answers()
    extract_date = extract_date_for(source)     # the quality page's date, else the demo's manifest
    participants = [{"name": getattr(r, "name", ""), "role": getattr(r, "role", "")}
                    for r in getattr(sheet, "respondents", [])] + [{"name": "", "role": r} for r in extra]
    with st.spinner(tr("running")):
        assessment = build_assessment(tables, municipality=municipality or default_name, answers=sheet,
                                      results=results, participants=participants, run_missing=run,
                                      extract_date=extract_date, arms=chosen("arms", source, mapping_arms()),
                                      dialogue=st.session_state.get("dialogue_record"))
    if run:     # draw again so the note on missing steps and the button reflect the run
        ran.update({step: assessment.result(step) for step in missing if assessment.result(step)})
        st.rerun()
    return assessment


def show_summary(report) -> None:
    st.subheader(tr("summary"))
    columns = st.columns(len(report.lights))
    for column, light in zip(columns, report.lights):
        column.markdown(f"**{LABELS('step_' + light.step, language)}**")
        column.markdown(BADGE[light.light].format(LABELS("light_" + light.light, language)))
        column.caption(light.headline.get(language, ""))
    st.markdown(f"**{tr('gates')}**")
    show_table([{tr("col_item"): g.title[language], tr("col_go"): LABELS(g.status, language)}
                for g in report.gates])
    st.markdown(f"**{tr('actions', weeks=report.total_weeks)}**")
    st.markdown("\n".join(f"{i}. {a.text[language]}" for i, a in enumerate(report.actions, start=1))
                or tr("no_actions"))


st.title(tr("title"))
st.write(tr("intro"))

loaded = uploaded_assessment(tr("upload"), "workplan_upload")
if loaded is not None:
    st.success(tr("using_upload", municipality=loaded.municipality, date=loaded.date))
    assessment = loaded
else:
    assessment = live_assessment()

report = build_report(assessment)
show_summary(report)

st.subheader(tr("export"))
left, right = st.columns(2)
pdf_lang = left.selectbox(tr("pdf_language"), ["nl", "en"], index=["nl", "en"].index(language),
                          key="workplan_pdf_lang", format_func=lambda c: {"nl": "Nederlands", "en": "English"}[c])
sections = kept_in(STATE, "sections", right.multiselect, "workplan_sections", list(SECTIONS),
                   label=tr("sections"), options=SECTIONS, placeholder=choose_placeholder(),
                   format_func=lambda s: tr(f"section_{s}"))
if not sections:
    st.caption(tr("choose_sections"))
# the PDF on offer is always the one of what the screen shows now: same language, sections, results
wanted = (pdf_lang, tuple(sections), hashlib.sha256(assessment.dumps().encode("utf-8")).hexdigest())
if st.button(tr("make_pdf"), key="workplan_make_pdf", disabled=not sections):
    with st.spinner(tr("making_pdf")):
        st.session_state["workplan_pdf"] = (wanted, build_pdf(assessment, pdf_lang, sections))
made = st.session_state.get("workplan_pdf")
if made and made[0] == wanted:
    st.download_button(tr("download_pdf"), made[1], mime="application/pdf",
                       file_name=f"werkplan-{assessment.municipality}-{assessment.date}-{pdf_lang}.pdf",
                       key="workplan_pdf_download")
elif made:
    st.caption(tr("pdf_outdated"))
st.download_button(tr("download_json"), assessment.dumps().encode("utf-8"), mime="application/json",
                   file_name=f"beoordeling-{assessment.municipality}-{assessment.date}.json", key="workplan_json_download")

st.subheader(tr("compare"))
other = uploaded_assessment(tr("compare_upload"), "workplan_compare_upload")
if other is not None:
    st.code("\n".join(render(compare(other, assessment), language)), language=None)
