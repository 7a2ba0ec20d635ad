"""Two hand-made assessments in the JSON shapes of docs/architecture.md (one nearly ready, one
far from ready), and tests of the rules that turn them into conditions, register and tasks."""
from __future__ import annotations

import copy

import pytest

from workplan.assessment import Assessment
from workplan.report import build_report


def _finding(fid, severity, count, share, table="interventions", column=None):
    return {"id": fid, "severity": severity, "table": table, "column": column, "count": count,
            "share": share, "examples": [], "message": {"nl": fid, "en": fid},
            "advice": {"nl": "", "en": ""}}


def _diag(did, value, threshold, verdict):
    return {"id": did, "value": value, "threshold": threshold, "verdict": verdict,
            "source": {"nl": "", "en": ""}, "explanation": {"nl": "", "en": ""}}


QUESTIONS = ("design.referral_process", "design.assignment", "law_ethics.inequality",
             "law_ethics.transparency", "law_ethics.automated_decisions", "law_ethics.legal_basis",
             "law_ethics.dpia", "people.client_involvement", "people.research_partner",
             "people.feedback_loop", "people.literacy")
CHECKLIST = ("authorised_institution", "project_application", "lawful_acquisition",
             "legal_basis_delivery", "dpia", "art89_safeguards", "iama", "contracts",
             "secure_delivery", "tokens", "output_checking", "publication", "client_council")


def _linkage(findings, verdict, rate, route, done):
    return {"findings": findings, "verdict": verdict,
            "predicted_link_rate": {"value": rate, "low": rate - 0.02, "high": rate + 0.01, "route": route,
                                    "basis": {"nl": "", "en": ""}},
            "reasons": [], "microdata_plan": {},
            "checklist": [{"id": i, "done": done, "note": ""} for i in CHECKLIST]}


def _dimension(did, median, nl, en, level):
    evidence = [{"question": q, "role": "policy", "level": level, "note": ""}
                for q in QUESTIONS if q.startswith(did)]
    return {"id": did, "name": {"nl": nl, "en": en}, "median": median, "weakest": median,
            "by_role": {}, "spread": 0.5, "disagreement": False,
            "recommendation": {"nl": "", "en": ""}, "evidence": evidence}


READY = {
    "format_version": 1, "municipality": "Voorbeeldstad", "date": "2025-03-01",
    "participants": [{"name": "A. Jansen", "role": "project_lead"},
                     {"name": "B. de Vries", "role": "practice"},
                     {"name": "C. Bakker", "role": "researcher"},
                     {"name": "D. Visser", "role": "client"}],
    "maturity_answers": {"respondents": []},
    "maturity": {"version": 1, "mode": "team",
                 "dimensions": [_dimension("design", 4.0, "Opzet", "Design", 4),
                                _dimension("law_ethics", 3.5, "Wet en ethiek", "Law and ethics", 4),
                                _dimension("people", 3.0, "Mensen", "People", 3)],
                 "gate": {"go": True, "blocking": []}, "respondents": []},
    "quality": {"extract_date": "2025-01-31", "mapping": {}, "tables": {"interventions": {"rows": 40000, "columns": 6}},
                "findings": [_finding("coding.catch_all_share", "warning", 1200, 0.03)],
                "eras": [], "summary": {"error": 0, "warning": 1, "info": 0}},
    "linkage": _linkage([], "ready", 0.991, "bsn", True),
    "design": {"frame": {"analysed": 6000, "caseworkers": 60},
               "diagnostics": [_diag("balance", 0.42, 0.10, "pass"), _diag("first_stage", 48.2, 16.38, "pass"),
                               _diag("power", 0.6, 1.0, "pass"), _diag("monotonicity", 0, 0, "pass"),
                               _diag("inference", 60, 50, "pass")],
               "designs": [{"design": "caseworker_preference", "verdict": "feasible", "reasons": []}],
               "estimates": [{"method": "raw", "department": "Matching", "estimate": 0.33, "se": 0.01, "ci_low": 0.31, "ci_high": 0.35},
                             {"method": "ols", "department": "Matching", "estimate": 0.26, "se": 0.01, "ci_low": 0.24, "ci_high": 0.28},
                             {"method": "iv", "department": "Matching", "estimate": 0.27, "se": 0.05, "ci_low": 0.17, "ci_high": 0.37},
                             {"method": "raw", "department": "Activering", "estimate": -0.09, "se": 0.01, "ci_low": -0.11, "ci_high": -0.07},
                             {"method": "iv", "department": "Activering", "estimate": 0.0, "se": 0.06, "ci_low": -0.12, "ci_high": 0.12}],
               "grey_area": [{"department": "Matching", "certainly_yes": 50, "maybe": 5800, "certainly_no": 150, "clients": 6000, "maybe_share": 0.97, "expected_switchers": 0.2},
                             {"department": "Prematching", "certainly_yes": 600, "maybe": 4800, "certainly_no": 600, "clients": 6000, "maybe_share": 0.8, "expected_switchers": 0.1},
                             {"department": "Activering", "certainly_yes": 100, "maybe": 2400, "certainly_no": 3500, "clients": 6000, "maybe_share": 0.4, "expected_switchers": 0.05}]},
    "extract_facts": {"n_clients": 6000, "n_caseworkers": 60, "n_codes": 3,
                      "intervention_clients": {"SOL": 2100, "VAC": 1800, "TAA": 400},
                      "departments": {"Matching": 2900, "Prematching": 2050, "Activering": 1050}},
    "not_run": {},
}

NOT_READY = copy.deepcopy(READY) | {
    "municipality": "Probeerdorp", "date": "2025-04-15",
    "participants": [{"name": "E. Smit", "role": "project_lead"}],
    "maturity": {"version": 1, "mode": "team",
                 "dimensions": [_dimension("design", 2.0, "Opzet", "Design", 2),
                                _dimension("law_ethics", 1.5, "Wet en ethiek", "Law and ethics", 1),
                                _dimension("people", 2.0, "Mensen", "People", 2)],
                 "gate": {"go": False, "blocking": [{"id": "no_owner", "text": {"nl": "Er is geen eigenaar van de data", "en": "Nobody owns the data"}}]},
                 "respondents": []},
    "quality": {"extract_date": "2025-01-31", "mapping": {}, "tables": {},
                "findings": [_finding("date.end_before_start", "error", 7, 0.0002, column="end_date"),
                             _finding("coding.era_change", "warning", 1, None, column="intervention_code"),
                             _finding("referral.missing_caseworker", "error", 412, 0.08, table="referrals", column="caseworker_id")],
                "eras": [], "summary": {"error": 2, "warning": 1, "info": 0}},
    "linkage": _linkage([_finding("bsn.invalid_checksum", "error", 23, 0.004, table="clients", column="bsn"),
                         _finding("bsn.sentinel", "error", 4, 0.001, table="clients", column="bsn")],
                        "not_ready", 0.91, "address", False),
    "design": {"frame": {"analysed": 900, "caseworkers": 8},
               "diagnostics": [_diag("balance", 0.004, 0.10, "fail"), _diag("first_stage", 3.1, 16.38, "fail"),
                               _diag("power", 2.4, 1.0, "fail"), _diag("inference", 8, 50, "fail")],
               "designs": [{"design": "caseworker_preference", "verdict": "not_feasible",
                            "reasons": [{"nl": "Te weinig werkconsulenten.", "en": "Too few caseworkers."}]}],
               "estimates": []},
    "extract_facts": {"n_clients": 900, "n_caseworkers": 8, "n_codes": 4,
                      "intervention_clients": {"SOL": 310, "VAC": 220, "TAA": 60, "WLB": None},
                      "departments": {"Matching": 400, "Prematching": 350, "Activering": 150}},
}


def ready() -> Assessment:
    return Assessment.from_dict(copy.deepcopy(READY))


def not_ready() -> Assessment:
    return Assessment.from_dict(copy.deepcopy(NOT_READY))


def _condition(report, cid):
    return next(c for c in report.conditions if c.id == cid)


def test_lights_follow_the_step_results():
    assert [l.light for l in build_report(ready()).lights] == ["green", "amber", "green", "green"]
    # quality is red because referral.missing_caseworker touches 8% of the rows (> 2%)
    assert [l.light for l in build_report(not_ready()).lights] == ["red", "red", "red", "red"]


def test_not_run_step_is_grey_and_its_conditions_stay_to_do():
    a = ready()
    a.design = None
    report = build_report(a)
    assert report.lights[3].light == "grey"
    condition = _condition(report, "enough_observations")
    assert (condition.met, condition.decided) == (False, False)
    assert report.gates[3].go is None


def test_conditions_are_decided_by_the_evidence():
    good, bad = build_report(ready()), build_report(not_ready())
    assert _condition(good, "research_registration").met
    condition = _condition(bad, "research_registration")
    assert not condition.met and condition.decided
    assert "date.end_before_start (<10)" in condition.evidence[0]["en"]
    assert "referral.missing_caseworker (412)" in condition.evidence[0]["en"]
    assert _condition(good, "diverse_team").met and not _condition(bad, "diverse_team").met
    assert _condition(good, "assumptions_checked").met
    assert not _condition(bad, "assumptions_checked").met


def test_tasks_are_triggered_by_findings_and_lengthen_the_plan():
    good, bad = build_report(ready()), build_report(not_ready())
    bad_tasks = " ".join(t.text["en"] for p in bad.phases for t in p.tasks)
    assert "Repair the BSN registration before delivery: bsn.invalid_checksum (23), bsn.sentinel (<10)" in bad_tasks
    assert "crosswalk between the coding eras" in bad_tasks
    assert "Choose another research design" in bad_tasks
    good_tasks = " ".join(t.text["en"] for p in good.phases for t in p.tasks)
    assert "BSN" not in good_tasks and "crosswalk between the coding eras" not in good_tasks
    assert bad.total_weeks > good.total_weeks
    assert all(t.priority == 1 for t in bad.actions[:3])


def test_register_is_tailored():
    good = {e.text["en"] for e in build_report(ready()).register}
    bad = {e.text["en"] for e in build_report(not_ready()).register}
    assert any("raw difference for Matching is +33%" in t and "estimate is +27%" in t for t in good)
    assert any("even the largest of the 4 intervention codes has 310 clients" in t for t in bad)
    assert any("not possible for 1 of the 3 intervention codes" in t for t in good)
    assert any("Selective linkage" in t and "91.0%" in t for t in bad)
    assert not any("Selective linkage" in t for t in good)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_text_is_filled(lang):
    for report in (build_report(ready()), build_report(not_ready())):
        texts = [e.text[lang] for e in report.register] + [
            t.text[lang] for p in report.phases for t in p.tasks]
        assert not [t for t in texts if "{" in t or " - " == t]


def test_grey_area_share_survives_hidden_counts():
    """Disclosure control may hide the 'always' and 'never' counts (complementary suppression
    hides large cells too); the grey-area share must then come from the published share, not
    from the visible counts (which would make it 100%)."""
    from workplan.charts import grey_area
    from workplan.rules import derive_facts
    ready = Assessment.from_dict(copy.deepcopy(READY))
    ready.design["grey_area"][2].update(certainly_yes=None, certainly_no=None, maybe=2400, maybe_share=0.4)
    assert derive_facts(ready)["grey_activering"] == 0.4
    drawn = grey_area(ready.design, "en").to_dict()["datasets"]
    shares = {(row["department"], row["label"]): row["share"] for rows in drawn.values() for row in rows}
    assert shares[("Activering", "maybe (grey area)")] == pytest.approx(0.4)
    assert shares[("Activering", "hidden (protects small numbers)")] == pytest.approx(0.6)
