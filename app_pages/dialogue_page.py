"""The data dialogue: the database game step by step on a projector, the printable card set,
and the session's conclusions (kept in `st.session_state["dialogue_record"]`, a dict from
`dialogue.session_record`; `dialogue.evidence_text(record, lang)` gives the workplan text).
Persons are invented (`dialogue.persons`), never taken from an extract."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

import core  # noqa: F401  (telemetry off first)
from app_pages.common import choose_placeholder, date_format, kept_in, lang, page_state, page_texts, show_table
from core.texts import pick
from dialogue import CONCERNS, TOPICS, build_pdf, evidence_text, persons, session_record
from dialogue.cards import TEXTS, cards_of, data

tr = page_texts("dialogue")
language = lang()
conf = data()

st.title(tr("title"))
st.write(tr("intro"))

GAME = "dialogue_game"     # what the user chose on this page (see common.kept_in)
left, middle, right = st.columns(3)
kept_in(GAME, "persons", left.number_input, "dialogue_persons_w", 8, label=tr("persons"),
        min_value=4, max_value=30, step=2)
kept_in(GAME, "seed", middle.number_input, "dialogue_seed_w", 2018, label=tr("seed"), min_value=0, max_value=99999, step=1)
game = page_state(GAME, dict)
right.download_button(tr("download_cards"), build_pdf(game["persons"], game["seed"], language),
                      file_name="datadialoog_kaarten.pdf", mime="application/pdf")

people = persons(game["persons"], game["seed"])
steps = tr("steps")
step = kept_in(GAME, "step", st.radio, "dialogue_step_w", 0, label=tr("step"), options=range(len(steps)),
               format_func=lambda i: steps[i], horizontal=True)
attributes = conf["attributes"]
labels = {k: pick(v["label"], language) for k, v in attributes.items()}


def card_html(title: str, card: dict, found: bool | None) -> str:
    source = conf["sources"][card["source"]]
    family = {"sans": "sans-serif", "serif": "serif", "serif_bold": "serif", "mono": "monospace",
              "condensed": "sans-serif"}[source["font"]]
    weight = "bold" if source["font"] == "serif_bold" else "normal"
    style = "italic" if source["font"] == "condensed" else "normal"
    fill = "#FFF3B0" if found else "#CDEBC5" if found is not None else "#EEEEEE"
    return (f"<div style='background:{fill};border:1px solid #bbb;border-radius:4px;padding:6px;margin:3px;"
            f"min-height:88px'><b>{title}</b><br><span style='color:{source['colour']};font-family:{family};"
            f"font-weight:{weight};font-style:{style}'>{card['label']}<br><span style='font-size:1.4em'>"
            f"{card['value']}</span></span></div>")


def show_cards(items, columns=5):
    cols = st.columns(columns)
    for i, (title, card, found) in enumerate(items):
        cols[i % columns].markdown(card_html(title, card, found), unsafe_allow_html=True)


def linked() -> pd.DataFrame:
    rows = []
    for number, p in enumerate(people, start=1):
        rows.append({"nr": number, "work": p.found_work, **p.values})
    return pd.DataFrame(rows)


if step == 0:
    st.caption(tr("cards_explained"))
    for p in people[:2]:
        show_cards([(p.name, c, p.found_work) for c in cards_of(p, language)])
elif step == 1:
    st.caption(tr("pseudonymise_explained"))
    for number, p in enumerate(people[:2], start=1):
        show_cards([(f"<s>{p.name}</s> &rarr; {TEXTS('card.number', language)} {number}", c, p.found_work)
                    for c in cards_of(p, language)])
elif step == 2:
    st.caption(tr("shuffle_explained"))
    pile = [(f"{TEXTS('card.number', language)} {n}", c, None)
            for n, p in enumerate(people, start=1) for c in cards_of(p, language)]
    order = np.random.default_rng(game["seed"]).permutation(len(pile))[:20]
    show_cards([pile[i] for i in order])
elif step == 3:
    st.caption(tr("link_explained"))
    table = linked().drop(columns=["work"]).rename(columns=labels)
    show_table(table)
elif step in (4, 5):
    table = linked()
    numeric = [k for k, v in attributes.items() if "choices" not in v]
    means = table.groupby("work")[numeric].mean().T.rename(columns={True: tr("found_work"), False: tr("no_work")})
    means.index = [labels[k] for k in means.index]
    gap = (table.groupby("work")[numeric].mean().diff().iloc[-1].abs()
           / table[numeric].std().replace(0, np.nan)).idxmax()
    if step == 4:
        st.caption(tr("pattern_explained"))
        show_table(means, specs={column: ".1f" for column in means.columns}, hide_index=False)
    else:
        group_mean = table.groupby("work")[gap].transform("mean")
        other_mean = table["work"].map({True: table.loc[~table["work"], gap].mean(),
                                        False: table.loc[table["work"], gap].mean()})
        misfits = table[(table[gap] - other_mean).abs() < (table[gap] - group_mean).abs()]
        if len(misfits):
            st.warning(tr("outlier_explained", attribute=labels[gap]))
            show_table(misfits[["nr", "work", gap]].rename(columns={gap: labels[gap], "work": tr("found_work")}))
        else:
            st.info(tr("no_outliers"))
else:
    st.subheader(tr("record_title"))
    saved = st.session_state.get("dialogue_record") or {}
    with st.form("dialogue_form"):
        date = st.date_input(tr("date"), value=dt.date.fromisoformat(saved.get("date", dt.date.today().isoformat())),
                             format=date_format())
        group = st.text_input(tr("group"), value=saved.get("group", ""))
        participants = st.number_input(tr("participants"), min_value=1, max_value=200, step=1,
                                       value=int(saved.get("participants", 8)))
        topic_labels, concern_labels = TEXTS.entries["topic_labels"], TEXTS.entries["concern_labels"]
        topics = st.multiselect(tr("topics"), TOPICS, default=saved.get("topics", list(TOPICS)),
                                format_func=lambda k: pick(topic_labels[k], language), placeholder=choose_placeholder())
        concerns = st.multiselect(tr("concerns"), CONCERNS, default=saved.get("concerns", []),
                                  format_func=lambda k: pick(concern_labels[k], language), placeholder=choose_placeholder())
        conclusions = st.text_area(tr("conclusions"), value=saved.get("conclusions", ""))
        follow_up = st.text_area(tr("follow_up"), value=saved.get("follow_up", ""))
        if st.form_submit_button(tr("save")):
            st.session_state["dialogue_record"] = session_record(date.isoformat(), group, participants, topics,
                                                                 concerns, conclusions, follow_up)
    if st.session_state.get("dialogue_record"):
        st.success(tr("saved"))
        st.write(evidence_text(st.session_state["dialogue_record"], language))
