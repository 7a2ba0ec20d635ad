"""Microdata plan, checklist (with maturity prefill), data minimisation, verdict, JSON round trip."""
import datetime as dt
import json

import pandas as pd
import pytest

from core import jsonio
from core.errors import UserInputError
from linkage_readiness import LinkageResult, assess, checklist, microdata, minimisation

PERIOD = (dt.date(2015, 1, 1), dt.date(2015, 12, 31))
AS_OF = dt.date(2025, 6, 1)


def test_plan_lists_files_and_permissions():
    plan = microdata.plan(["work_start", "health"], ["education", "debts"], PERIOD, AS_OF)
    ids = [f.id for f in plan.files]
    assert ids == ["SECMBUS", "SPOLISBUS", "MEDICIJNTAB", "ZVWZORGKOSTENTAB", "HOOGSTEOPLTAB", "WANBZVWTAB"]
    assert plan.permissions_needed == ["MEDICIJNTAB", "ZVWZORGKOSTENTAB", "WANBZVWTAB"]
    secm = plan.files[0]
    assert (secm.needed_from, secm.needed_to) == (2015, 2017)       # two years of follow-up
    assert secm.needed_for == ["outcome:work_start"]
    assert plan.coverage_problems == []


def test_reference_study_choice_is_the_default():
    plan = microdata.plan(period=PERIOD, as_of=AS_OF)
    assert {f.id for f in plan.files} >= {"SECMBUS", "GBAPERSOONTAB", "HOOGSTEOPLTAB", "GBAHUISHOUDENSBUS",
                                          "WANBZVWTAB", "MEDICIJNTAB"}


def test_coverage_is_checked_against_the_extract_period():
    early = microdata.plan(["debts"], ["work_history"], (dt.date(2008, 3, 1), dt.date(2009, 6, 30)), AS_OF)
    status = {f.id: f.status for f in early.files}
    assert status["WANBZVWTAB"] == "starts_too_late"                # available from 2010
    assert status["SECMBUS"] == "ok"                                # 2004-2009 needed, from 1999
    recent = microdata.plan(["work_start"], [], (dt.date(2024, 1, 1), dt.date(2024, 12, 31)), AS_OF)
    assert {f.status for f in recent.files} == {"not_yet_available"}  # follow-up to 2026
    assert "2026" in recent.files[0].status_text["en"]


def test_extract_period_uses_referral_dates(demo):
    start, end = microdata.extract_period(demo.tables)
    referrals = demo.tables["referrals"]["referral_date"].dropna()
    assert start == referrals.min().date() and start.year == demo.manifest["cohort_year"]
    assert end <= dt.date.fromisoformat(demo.manifest["extract_date"])


def test_unknown_choice_is_a_user_error():
    with pytest.raises(UserInputError) as error:
        microdata.plan(["happiness"], [], PERIOD, AS_OF)
    assert "happiness" in error.value.message("en") and "work_start" in error.value.message("en")


MATURITY = {
    "findings": [],
    "gate": {"threshold": 3, "checked": ["linkability.bsn", "law_ethics.legal_basis"], "blocking": []},
    "dimensions": [
        {"id": "people", "weakest": 3.0, "evidence": []},
        {"id": "linkability", "weakest": 2.0,
         "evidence": [{"question": "linkability.cbs_route", "role": "researcher", "level": 4, "note": "plan"}]},
        {"id": "law_ethics", "weakest": 1.0, "evidence": []},
    ],
}


def test_checklist_prefilled_from_maturity():
    items = checklist.prefill(checklist.default_checklist(), MATURITY, "en")
    done = {i.id for i in items if i.done}
    assert done == {"authorised_institution", "project_application", "lawful_acquisition",
                    "legal_basis_delivery", "output_checking", "client_council"}
    assert all(i.prefilled and "maturity" in i.note for i in items if i.done)


def test_prefill_never_unticks():
    items = checklist.from_dicts([{"id": "dpia", "done": True, "note": "signed 2024"}])
    items = checklist.prefill(items, {"gate": {}, "dimensions": []})
    dpia = next(i for i in items if i.id == "dpia")
    assert dpia.done and dpia.note == "signed 2024" and not dpia.prefilled


def test_minimisation_by_name_and_content():
    tables = {"clients": pd.DataFrame({
        "client_id": ["1", "2", "3"], "Achternaam": ["Jansen", "Bakker", "Visser"],
        "contact": ["a@example.nl", "06-12345678", "b@example.nl"], "postcode": ["3011AB"] * 3,
        "toelichting_klant": ["x", "y", "z"], "Schuldhulp": ["ja", "nee", "ja"], "origin": ["a", "b", "c"],
        "kolom7": ["Klant belde vandaag over de afspraak met de werkgever",
                   "Heeft laten weten dat hij deze week niet kan komen",
                   "Gesprek verplaatst naar volgende maand vanwege ziekte"],
        "team_naam": ["A", "B", "A"]})}
    flags = {(f.column, f.category, f.kind, f.by) for f in minimisation.scan_columns(tables)}
    assert flags == {("Achternaam", "name", "not_for_cbs", "name"),
                     ("contact", "contact", "not_for_cbs", "content"),
                     ("toelichting_klant", "free_text", "not_for_cbs", "name"),
                     ("kolom7", "free_text", "not_for_cbs", "content"),
                     ("Schuldhulp", "debts", "dpia_trigger", "name"),
                     ("origin", "origin", "dpia_trigger", "name")}


@pytest.fixture(scope="module")
def demo_result(demo):
    return assess(demo.tables, as_of=AS_OF)


def test_demo_verdict_and_reasons(demo_result, demo):
    assert demo_result.verdict == "not_ready"                         # no partner, no legal basis yet
    reasons = {r.id: r.severity for r in demo_result.reasons}
    assert reasons["linkage.blocking_item_open"] == "error"
    assert reasons["linkage.bsn_errors"] == "warning"
    assert "linkage.supplier_permission" in reasons and "linkage.link_rate_too_low" not in reasons
    planted = demo.manifest["defects"]
    bsn_reason = next(r for r in demo_result.reasons if r.id == "linkage.bsn_errors").message("en")
    assert f"BSN 000000000 as placeholder ({planted['bsn.sentinel']['count']})" in bsn_reason
    assert f"BSN fails the 11-test ({planted['bsn.invalid_checksum']['count']})" in bsn_reason
    assert "bsn." not in bsn_reason                                    # titles, not internal ids


def test_reason_texts_never_show_a_count_below_the_disclosure_threshold(demo_clean):
    tables = dict(demo_clean.tables)
    clients = tables["clients"].copy()
    nine_digits = clients.index[clients["bsn"].str.fullmatch(r"\d{9}").fillna(False)]
    clients.loc[nine_digits[:3], "bsn"] = "000000000"                 # 3 placeholders: below 10
    wrong = nine_digits[3:15]                                          # 12 last digits changed: 11-test fails
    clients.loc[wrong, "bsn"] = [b[:8] + str((int(b[8]) + 1) % 10) for b in clients.loc[wrong, "bsn"]]
    tables["clients"] = clients
    result = assess(tables, as_of=AS_OF)
    reason = next(r for r in result.reasons if r.id == "linkage.bsn_errors")
    assert reason.message("en") == ("Fix the BSN problems before delivery: BSN 000000000 as placeholder "
                                    "(fewer than 10), BSN fails the 11-test (12).")
    assert "(minder dan 10)" in reason.message("nl") and "(3)" not in reason.message("nl")


def test_organisation_in_place_gives_ready(demo_clean):
    items = [{"id": item_id, "done": True} for item_id in checklist.spec()]
    result = assess(demo_clean.tables, outcomes=["work_start"], covariates=["age_sex", "education"],
                    checklist=items, as_of=AS_OF)
    assert [f.severity for f in result.findings if f.severity == "error"] == []
    assert result.verdict == "ready", [r.message("en") for r in result.reasons]
    assert result.reasons == []


def test_low_link_rate_is_not_ready(demo_clean):
    tables = dict(demo_clean.tables)
    clients = tables["clients"].copy()
    clients.loc[clients.index[:1500], ["bsn", "postcode"]] = None
    tables["clients"] = clients
    result = assess(tables, as_of=AS_OF)
    assert result.predicted_link_rate.value < 0.80
    assert {r.id: r.severity for r in result.reasons}["linkage.link_rate_too_low"] == "error"
    assert result.verdict == "not_ready"


def test_result_round_trips_through_json(demo_result):
    text = jsonio.dumps(demo_result)
    data = json.loads(text)
    assert set(data) >= {"findings", "predicted_link_rate", "verdict", "reasons", "microdata_plan", "checklist"}
    assert set(data["predicted_link_rate"]) >= {"value", "low", "high", "route", "basis"}
    assert set(data["checklist"][0]) >= {"id", "done", "note"}
    ids = [f["id"] for f in data["findings"]]
    assert data["reasons"] == [i for i in ids if i.startswith("linkage.")] and "linkage.bsn_errors" in ids
    assert {"id", "severity", "count", "params", "message", "advice"} <= set(data["findings"][0])
    again = LinkageResult.from_dict(data)
    assert again.checklist == demo_result.checklist
    assert again.microdata_plan == demo_result.microdata_plan
    assert jsonio.dumps(again) == text


def test_saved_checklist_is_taken_up(demo_result, demo):
    saved = json.loads(jsonio.dumps(demo_result))["checklist"]
    saved[0].update(done=True, note="UvA, contract 2025-01")
    again = assess(demo.tables, checklist=saved, as_of=AS_OF)
    assert again.checklist[0].done and again.checklist[0].note == "UvA, contract 2025-01"


def test_checklist_reads_the_gate_findings_of_a_scored_maturity_result():
    from maturity import Answer, AnswerSheet, Respondent, load_bank, score
    bank = load_bank()
    gate = [q.id for q in bank.gate_questions("quick")]

    def scored(legal_basis: int):
        levels = {q.id: 1 for q in bank.questions("quick")} | dict.fromkeys(gate, 3)
        levels["law_ethics.legal_basis"] = legal_basis
        answers = {qid: Answer(level) for qid, level in levels.items()}
        return score(AnswerSheet(bank.version, "Testdorp", "quick", [Respondent("A", "privacy", answers)]))

    def done(maturity) -> set[str]:
        return {i.id for i in checklist.prefill(checklist.default_checklist(), jsonio.to_plain(maturity)) if i.done}

    # legal basis passes the gate (level >= 3): both items that need it at level 3 are ticked
    assert done(scored(3)) == {"lawful_acquisition", "legal_basis_delivery"}
    # blocked at level 2 (its finding says so): nothing that needs the legal basis
    assert scored(2).gate.blocking == ["gate.law_ethics.legal_basis"] and done(scored(2)) == set()
