"""Step 1: the data-maturity questionnaire.

The answer sheet in `st.session_state["maturity_sheet"]` is the single source of truth; the
widgets are drawn from it on every run and write back into it through their on_change callbacks
(`common.kept`), so a language switch, a new name or another page never loses an answer. The
respondent shown and the role filter live in `st.session_state["maturity_state"]`. The scored
result is kept in `st.session_state["maturity_result"]` (a `maturity.MaturityResult`) for later
steps.
All computation happens in the `maturity` package.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

import core  # noqa: F401  (telemetry off first)
from app_pages import common
from app_pages.common import kept, kept_in, lang, page_state, page_texts
from core import jsonio
from core.errors import UserInputError
from core.texts import pick
from maturity import LEVELS, MODES, Answer, Respondent, load_bank, new_sheet, parse, score, to_json
from maturity.chart import radar_chart
from maturity.summary import evidence_line
from maturity.texts import count_key, score_text

WIDGET = "maturity_w_"       # prefix of every widget key drawn from the sheet
STATE = "maturity_state"     # the respondent shown, the role filter, notes awaiting an answer
DONT_KNOW = 0                # radio option for "don't know" (stored as level None)

tr = page_texts("maturity")
bank = load_bank()
language = lang()

if "maturity_sheet" not in st.session_state:
    st.session_state["maturity_sheet"] = new_sheet(bank=bank)


def the_sheet():
    """The answer sheet as it is now (callbacks look it up, a restore may have replaced it)."""
    return st.session_state["maturity_sheet"]


def state() -> dict:
    """What the user chose besides the sheet: the respondent shown now, the role filter and
    notes typed before the question was answered ((respondent, question) -> note)."""
    return page_state(STATE, lambda: {"current": 0, "pending_notes": {}})


def shown_respondent() -> int:
    current = min(max(int(state().get("current", 0)), 0), len(the_sheet().respondents) - 1)
    state()["current"] = current
    return current


def respondent_at(index: int) -> Respondent | None:
    respondents = the_sheet().respondents
    return respondents[index] if 0 <= index < len(respondents) else None


def set_respondent(index: int, **changes) -> None:
    respondent = respondent_at(index)
    if respondent is not None:
        for name, value in changes.items():
            setattr(respondent, name, value)


def set_level(index: int, qid: str, choice) -> None:
    respondent = respondent_at(index)
    if respondent is None:
        return
    if choice is None:
        respondent.answers.pop(qid, None)
        return
    given = respondent.answers.get(qid)
    note = given.note if given else state()["pending_notes"].pop((index, qid), "")
    respondent.answers[qid] = Answer(level=None if choice == DONT_KNOW else choice, note=note)


def set_note(index: int, qid: str, note: str) -> None:
    respondent = respondent_at(index)
    if respondent is None:
        return
    given = respondent.answers.get(qid)
    if given is None:
        state()["pending_notes"][(index, qid)] = note
    else:
        respondent.answers[qid] = Answer(level=given.level, note=note)


def add_respondent() -> None:
    respondents = the_sheet().respondents
    respondents.append(Respondent(role=next(iter(bank.roles))))
    state()["current"] = len(respondents) - 1


def remove_respondent(index: int) -> None:
    del the_sheet().respondents[index]
    state()["pending_notes"].clear()
    state()["current"] = max(index - 1, 0)


def role_name(role: str) -> str:
    return pick(bank.roles[role], language)


def restore() -> None:
    """Replace the sheet by an uploaded answers file (read in memory, never stored)."""
    upload = st.file_uploader(tr("restore_label"), type=["json"], help=tr("restore_help"),
                              key="maturity_upload")
    if upload is None or st.session_state.get("maturity_restored") == upload.file_id:
        return
    try:
        restored = parse(upload.getvalue(), source=upload.name, bank=bank)
    except UserInputError as error:
        st.error(error.message(language))
        return
    st.session_state["maturity_sheet"] = restored
    st.session_state["maturity_restored"] = upload.file_id
    state().update(current=0, pending_notes={})
    count = len(restored.respondents)
    st.success(tr(count_key("restored", count), name=upload.name, respondents=count))


def scan_settings() -> None:
    labels = {mode: tr(f"mode_{mode}", count=len(bank.questions(mode))) for mode in MODES}
    kept(st.radio, WIDGET + "mode", sheet.mode, lambda mode: setattr(the_sheet(), "mode", mode),
         label=tr("mode"), options=MODES, horizontal=True, format_func=labels.get)
    kept(st.text_input, WIDGET + "municipality", sheet.municipality,
         lambda name: setattr(the_sheet(), "municipality", name), label=tr("municipality"))


def choose_respondent() -> int:
    labels = [tr("respondent_option", number=i + 1, name=r.name or tr("unnamed"), role=role_name(r.role))
              for i, r in enumerate(sheet.respondents)]
    current = shown_respondent()
    kept(st.selectbox, WIDGET + "current", current, lambda index: state().update(current=index),
         label=tr("respondent"), options=list(range(len(sheet.respondents))), format_func=labels.__getitem__)
    respondent = sheet.respondents[current]
    name_column, role_column = st.columns(2)
    kept(name_column.text_input, f"{WIDGET}name_{current}", respondent.name,
         lambda name: set_respondent(current, name=name), label=tr("name"))
    roles = {role: role_name(role) for role in bank.roles}
    kept(role_column.selectbox, f"{WIDGET}role_{current}", respondent.role,
         lambda role: set_respondent(current, role=role), label=tr("role"), options=list(roles),
         format_func=roles.get)
    add_column, remove_column = st.columns(2)
    add_column.button(tr("add_respondent"), on_click=add_respondent, key="maturity_add")
    if len(sheet.respondents) > 1:
        remove_column.button(tr("remove_respondent"), on_click=remove_respondent, args=(current,),
                             key="maturity_remove")
    return current


def ask(question, index: int, respondent: Respondent) -> None:
    """One question: the five anchored statements plus "don't know", and an evidence note."""
    given = respondent.answers.get(question.id)
    options = {level: f"{level}. {pick(question.statement(level), language)}" for level in LEVELS}
    options[DONT_KNOW] = tr("dont_know")
    label = pick(question.text, language)
    if question.gate:
        label = f"{label} ({tr('critical')})"
    qid = question.id
    kept(st.radio, f"{WIDGET}q_{index}_{qid}", None if given is None else DONT_KNOW if given.level is None else given.level,
         lambda choice: set_level(index, qid, choice), label=label, options=list(options),
         format_func=options.get, help=tr("best_answered_by", roles=", ".join(role_name(r) for r in question.roles)))
    note = given.note if given else state()["pending_notes"].get((index, qid), "")
    kept(st.text_input, f"{WIDGET}n_{index}_{qid}", note, lambda text: set_note(index, qid, text), label=tr("note"))
    if given is None and note.strip():
        st.caption(tr("note_needs_answer"))


def questionnaire(index: int) -> None:
    respondent = sheet.respondents[index]
    only_mine = kept_in(STATE, "role_filter", st.checkbox, WIDGET + "role_filter", False, label=tr("role_filter"))
    asked = [q for q in bank.questions(sheet.mode) if not only_mine or respondent.role in q.roles]
    for dimension in bank.dimensions:
        questions = [q for q in dimension.asked(sheet.mode) if q in asked]
        if not questions:
            continue
        st.subheader(pick(dimension.name, language))
        st.caption(pick(dimension.description, language))
        for question in questions:
            ask(question, index, respondent)
    done = sum(q.id in respondent.answers for q in asked)
    st.progress(done / len(asked) if asked else 0.0, text=tr("progress", done=done, total=len(asked)))


def show_gate(result) -> None:
    st.subheader(tr("gate_header"))
    verdict = pick(result.gate.explanation, language)
    (st.success if result.gate.go else st.error)(verdict)
    if result.findings:
        st.markdown(f"**{tr(count_key('blocking_header', len(result.findings)), count=len(result.findings))}**")
        st.markdown("\n".join(f"- **{f.title(language)}** - {f.message(language)} {f.advice(language)}"
                              for f in result.findings))


def show_dimensions(result) -> None:
    st.subheader(tr("dimensions_header"))
    st.caption(tr("dimensions_caption", threshold=score_text(result.disagreement_threshold, language)))
    table = pd.DataFrame([{
        tr("col_dimension"): pick(d.name, language),
        tr("col_median"): score_text(d.median, language),
        tr("col_weakest"): score_text(d.weakest, language),
        tr("col_spread"): score_text(d.spread, language),
        tr("col_disagreement"): tr("disagreement_flag") if d.disagreement else "",
        tr("col_dont_know"): d.dont_know,
    } for d in result.dimensions])
    common.show_table(table.set_index(tr("col_dimension")), hide_index=False)   # st.table drew "-" as a bullet


def show_chart(result) -> None:
    st.subheader(tr("chart_header"))
    titles = {"role": tr("chart_role"), "dimension": tr("chart_dimension"), "score": tr("chart_score")}
    common.show_chart(radar_chart(result, language, titles, bank), width=None)


def show_recommendations(result) -> None:
    st.subheader(tr("recommendations_header"))
    def short(ids: list[str]) -> str:
        return ", ".join(pick(bank.question(qid).short, language) for qid in ids)

    for d in result.dimensions:
        step = ""
        if d.recommendation_level is not None and d.recommendation_level < LEVELS[-1]:
            step = f" ({tr('from_level', level=d.recommendation_level, next=d.recommendation_level + 1)})"
        lines = [f"**{pick(d.name, language)}**{step}: {pick(d.recommendation, language)}"]
        if d.weakest_items:
            lines.append(tr("weakest_items", items=short(d.weakest_items)))
        if d.disagreeing_items:
            lines.append(tr("disagreeing_items", items=short(d.disagreeing_items)))
        st.markdown("  \n".join(lines))
    notes = [e for d in result.dimensions for e in d.evidence]
    if notes:
        with st.expander(tr("evidence_header")):
            st.markdown("\n".join("- " + evidence_line(e, language, bank) for e in notes))


def save_buttons(result) -> None:
    st.subheader(tr("save_header"))
    st.caption(tr("save_caption"))
    stem = "_".join("".join(c if c.isalnum() else " " for c in sheet.municipality).split())
    suffix = f"_{stem}" if stem else ""
    left, right = st.columns(2)
    left.download_button(tr("download_answers"), to_json(sheet).encode("utf-8"),
                         file_name=f"maturity_answers{suffix}.json", mime="application/json",
                         key="maturity_download_answers")
    if result is not None:
        right.download_button(tr("download_result"), jsonio.dumps(result).encode("utf-8"),
                              file_name=f"maturity_result{suffix}.json", mime="application/json",
                              key="maturity_download_result")


st.title(tr("title"))
st.write(tr("intro"))
with st.expander(tr("restore_header")):
    st.caption(tr("example_hint"))
    restore()
sheet = st.session_state["maturity_sheet"]

st.header(tr("settings_header"))
scan_settings()
st.header(tr("respondents_header"))
current_respondent = choose_respondent()
st.header(tr("questions_header"))
questionnaire(current_respondent)

if st.button(tr("show_result"), type="primary", key="maturity_submit"):
    st.session_state["maturity_show_result"] = True
maturity_result = None
if st.session_state.get("maturity_show_result"):
    maturity_result = score(sheet, bank)
    st.session_state["maturity_result"] = maturity_result
    st.header(tr("result_header"))
    show_gate(maturity_result)
    show_dimensions(maturity_result)
    show_chart(maturity_result)
    show_recommendations(maturity_result)
save_buttons(maturity_result)
