"""The maturity page in Streamlit's AppTest: fill in, score, restore, switch language.

The page is opened through streamlit_app.py (it is the first step of the navigation), so the
navigation and language switch are exercised too.
"""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from maturity import load, load_bank, score

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "maturity" / "examples" / "demo_quick_scan.json"
BANK = load_bank()
QUICK = [q.id for q in BANK.questions("quick")]
LEGAL = "law_ethics.legal_basis"


def open_page(lang: str = "nl") -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def question(at: AppTest, qid: str, respondent: int = 0):
    return at.radio(key=f"maturity_w_q_{respondent}_{qid}")


def fill(at: AppTest, levels: dict, respondent: int = 0) -> None:
    for qid, level in levels.items():
        question(at, qid, respondent).set_value(level)
    at.run()


def submit(at: AppTest) -> AppTest:
    at.button(key="maturity_submit").click().run()
    assert not at.exception, at.exception
    return at


def dimension_table(at: AppTest):
    return at.dataframe[0].value


def test_quick_scan_filled_in_gives_no_go_naming_the_blocking_item_and_the_dimension_table():
    at = open_page()
    assert at.title[0].value == "Stap 1 - Datavolwassenheid"
    assert [r.key for r in at.radio if r.key.startswith("maturity_w_q_0_")] == [f"maturity_w_q_0_{q}" for q in QUICK]
    at.text_input(key="maturity_w_municipality").input("Testdorp")
    at.text_input(key=f"maturity_w_n_0_{LEGAL}").input("FG heeft nog niet geadviseerd")
    fill(at, {qid: 4 for qid in QUICK} | {LEGAL: 1})
    submit(at)
    assert [e.value for e in at.error] == [
        "No-go: 1 van de 4 kritieke voorwaarden staat een evaluatie in de weg (minimaal niveau 3 nodig): "
        "Rechtsgrond voor onderzoeksgebruik."]
    assert any("Rechtsgrond voor onderzoeksgebruik" in m.value and "niveau 1" in m.value for m in at.markdown)
    assert any(m.value == "**1 blokkerend punt**" for m in at.markdown)
    table = dimension_table(at)
    assert list(table.index) == [d.name["nl"] for d in BANK.dimensions]
    assert table.loc["Wet en ethiek", "Mediaan"] == "2,5" and table.loc["Wet en ethiek", "Zwakste schakel"] == "1"
    assert table.loc["Sturing en eigenaarschap", "Mediaan"] == "4"
    assert len(at.get("vega_lite_chart")) == 1
    result = at.session_state["maturity_result"]
    assert result.municipality == "Testdorp" and result.gate.go is False
    assert result.dimension("law_ethics").evidence[0].note == "FG heeft nog niet geadviseerd"


def test_a_dimension_without_a_score_reads_a_dash():
    at = submit(open_page())                           # nothing answered: no dimension has a score
    table = dimension_table(at)
    assert set(table["Mediaan"]) == {"-"} and "None" not in table.to_string()


def test_all_critical_items_in_place_gives_a_go():
    at = open_page()
    fill(at, {qid: 3 for qid in QUICK})
    submit(at)
    assert len(at.error) == 0
    assert [s.value for s in at.success][0].startswith("Go: alle 4 kritieke voorwaarden")


def test_dont_know_on_a_critical_item_blocks_with_an_explanation():
    at = open_page()
    fill(at, {qid: 4 for qid in QUICK} | {"linkability.bsn": 0})   # 0 is the "weet niet" option
    assert question(at, "linkability.bsn").options[-1] == "Weet niet"
    submit(at)
    assert "BSN geregistreerd en gecontroleerd" in at.error[0].value
    assert at.session_state["maturity_sheet"].respondents[0].answers["linkability.bsn"].level is None


def test_second_respondent_with_another_role_is_combined_and_disagreement_flagged():
    at = open_page()
    fill(at, {qid: 5 for qid in QUICK})
    at.button(key="maturity_add").click().run()
    assert at.selectbox(key="maturity_w_current").value == 1
    at.text_input(key="maturity_w_name_1").input("Teamleider intake")
    at.selectbox(key="maturity_w_role_1").set_value("practice")
    fill(at, {qid: 3 for qid in QUICK}, respondent=1)
    submit(at)
    table = dimension_table(at)
    assert set(table["Spreiding tussen rollen"]) == {"2"}
    assert set(table["Onenigheid"]) == {"ja - bespreken"}
    result = at.session_state["maturity_result"]
    assert [(r.name, r.role) for r in result.respondents] == [("", "policy"), ("Teamleider intake", "practice")]
    assert result.dimension("tools").by_role == {"policy": 5.0, "practice": 3.0}


def test_uploaded_answers_are_restored_in_memory_and_score_as_on_the_command_line():
    at = open_page()
    at.file_uploader(key="maturity_upload").set_value(
        ("demo_quick_scan.json", EXAMPLE.read_bytes(), "application/json"))
    at.run()
    assert at.success[0].value == "Antwoorden hersteld uit demo_quick_scan.json: 3 respondenten."
    saved = load(EXAMPLE)
    assert at.session_state["maturity_sheet"] == saved
    assert at.text_input(key="maturity_w_municipality").value == "Demogemeente"
    assert question(at, "design.assignment").value == saved.respondents[0].answers["design.assignment"].level
    at.selectbox(key="maturity_w_current").set_value(1).run()
    assert question(at, "design.assignment", 1).value == 1
    assert at.text_input(key="maturity_w_n_1_design.assignment").value == \
        saved.respondents[1].answers["design.assignment"].note
    submit(at)
    assert at.session_state["maturity_result"] == score(saved)


@pytest.mark.parametrize("content", [b"{broken", b'{"version": "0.1", "mode": "quick", "respondents": []}'])
def test_a_damaged_upload_shows_one_message_and_keeps_the_answers(content):
    at = open_page()
    fill(at, {"linkability.bsn": 2})
    at.file_uploader(key="maturity_upload").set_value(("oud.json", content, "application/json"))
    at.run()
    assert len(at.error) == 1 and "oud.json" in at.error[0].value
    assert at.session_state["maturity_sheet"].respondents[0].answers["linkability.bsn"].level == 2


def test_english_page_shows_english_texts():
    at = open_page("en")
    assert at.title[0].value == "Step 1 - Data maturity"
    bsn = question(at, "linkability.bsn")
    assert bsn.label.startswith("Is every client's BSN recorded") and bsn.label.endswith("(critical condition)")
    assert bsn.options[-1] == "Don't know" and bsn.options[2].startswith("3. The BSN is filled in")
    fill(at, {qid: 4 for qid in QUICK} | {LEGAL: 2})
    submit(at)
    assert at.error[0].value.startswith("No-go: 1 of the 4 critical conditions")
    assert "Median" in dimension_table(at).columns and "Law and ethics" in dimension_table(at).index


def test_answers_survive_a_language_switch():
    at = open_page("en")
    fill(at, {"design.assignment": 2})
    at.session_state["lang"] = "nl"
    at.run()
    assert question(at, "design.assignment").value == 2
    assert question(at, "design.assignment").options[1].startswith("2. Indeling naar wijk")


def test_removing_a_respondent_keeps_the_others_answers():
    at = open_page()
    fill(at, {"linkability.bsn": 4})
    at.button(key="maturity_add").click().run()
    fill(at, {"linkability.bsn": 2}, respondent=1)
    at.selectbox(key="maturity_w_current").set_value(0).run()
    at.button(key="maturity_remove").click().run()
    sheet = at.session_state["maturity_sheet"]
    assert [r.answers["linkability.bsn"].level for r in sheet.respondents] == [2]
    assert question(at, "linkability.bsn").value == 2


def test_role_filter_shows_only_the_questions_for_that_role():
    at = open_page()
    at.selectbox(key="maturity_w_role_0").set_value("privacy").run()
    at.checkbox(key="maturity_w_role_filter").check().run()
    shown = [r.key.removeprefix("maturity_w_q_0_") for r in at.radio if r.key.startswith("maturity_w_q_0_")]
    assert shown == [q.id for q in BANK.questions("quick") if "privacy" in q.roles]
    assert shown == ["linkability.bsn", "law_ethics.legal_basis", "law_ethics.automated_decisions"]


def test_full_scan_asks_all_questions_and_keeps_quick_answers():
    at = open_page()
    fill(at, {"linkability.bsn": 3})
    at.radio(key="maturity_w_mode").set_value("full").run()
    keys = [r.key for r in at.radio if r.key.startswith("maturity_w_q_0_")]
    assert len(keys) == len(BANK.questions("full")) == 35
    assert question(at, "linkability.bsn").value == 3
    assert at.session_state["maturity_sheet"].mode == "full"
