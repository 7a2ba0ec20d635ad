"""Scoring, gate and recommendations of the maturity questionnaire, on hand-made answer sheets."""
import json
import shutil

import yaml

from core.jsonio import to_plain
from core.texts import pick
from maturity import Answer, AnswerSheet, Respondent, load_bank, score, summary
from maturity.bank import QUESTIONS_FILE, RECOMMENDATIONS_FILE
from maturity.scoring import MaturityResult

BANK = load_bank()
QUICK = [q.id for q in BANK.questions("quick")]
FULL = [q.id for q in BANK.questions("full")]
LEGAL = "law_ethics.legal_basis"


def respondent(role: str, levels: dict, name: str = "") -> Respondent:
    return Respondent(name=name or role, role=role,
                      answers={qid: Answer(level) for qid, level in levels.items()})


def sheet(*respondents: Respondent, mode: str = "quick") -> AnswerSheet:
    return AnswerSheet(version=BANK.version, municipality="Testdorp", mode=mode, respondents=list(respondents))


def everywhere(level, exceptions: dict | None = None, mode: str = "quick") -> dict:
    """The same level for every question of the scan, except the given {question id: level}."""
    return {qid: level for qid in (QUICK if mode == "quick" else FULL)} | (exceptions or {})


def test_level_4_everywhere_except_legal_basis_at_1_is_a_no_go_naming_that_item():
    result = score(sheet(respondent("policy", everywhere(4, {LEGAL: 1}))))
    assert result.gate.go is False and result.verdict == "no_go"
    assert result.gate.blocking == [f"gate.{LEGAL}"] == [f.id for f in result.findings]
    item = result.findings[0]
    assert (item.severity, item.params["reason"], item.params["level"]) == ("error", "below_threshold", 1)
    assert item.title("nl") == BANK.question(LEGAL).short["nl"] == "Rechtsgrond voor onderzoeksgebruik"
    assert "niveau 1" in item.message("nl") and "level 3" in item.message("en")
    assert item.params["roles"] == {"nl": "Beleid", "en": "Policy"}
    assert result.gate.explanation["nl"].startswith("No-go: 1 van de 4 kritieke voorwaarden staat ")
    assert "Rechtsgrond voor onderzoeksgebruik" in result.gate.explanation["nl"]
    law = result.dimension("law_ethics")   # quick scan: legal basis (1) and automated decisions (4)
    assert (law.median, law.weakest, law.weakest_items) == (2.5, 1.0, [LEGAL])
    assert law.recommendation == BANK.recommendations["law_ethics"][1]
    direction = result.dimension("direction")
    assert (direction.median, direction.weakest, direction.recommendation_level) == (4.0, 4.0, 4)


def test_all_gate_items_at_the_threshold_is_a_go():
    result = score(sheet(respondent("bi", everywhere(BANK.gate_min_level))))
    assert result.gate.go is True and result.gate.blocking == [] and result.findings == []
    assert result.verdict == "go"
    assert sorted(result.gate.checked) == sorted(q.id for q in BANK.gate_questions())
    assert result.gate.explanation["en"].startswith("Go: all 4 critical conditions")


def test_dont_know_on_a_gate_item_blocks_and_is_counted_not_scored():
    result = score(sheet(respondent("policy", everywhere(4, {"linkability.bsn": None}))))
    assert [(f.id, f.params["reason"], f.params["level"]) for f in result.findings] == \
        [("gate.linkability.bsn", "dont_know", None)]
    assert "('weet niet': 1)" in result.findings[0].message("nl")
    linkability = result.dimension("linkability")   # the BSN is its only quick-scan question
    assert (linkability.median, linkability.weakest, linkability.dont_know, linkability.answered) == (None, None, 1, 0)
    assert linkability.recommendation["en"].startswith("Nobody could give a level")
    assert result.respondents[0].dont_know == 1 and result.respondents[0].answered == len(QUICK) - 1


def test_dont_know_by_one_role_does_not_block_when_another_role_knows():
    result = score(sheet(respondent("policy", everywhere(4, {"linkability.bsn": None})),
                         respondent("bi", everywhere(4))))
    assert result.gate.go is True
    assert result.dimension("linkability").dont_know == 1


def test_an_unanswered_gate_item_blocks():
    levels = everywhere(4)
    del levels["design.referral_process"]
    result = score(sheet(respondent("practice", levels)))
    assert [(f.id, f.params["reason"]) for f in result.findings] == [("gate.design.referral_process", "unanswered")]
    assert result.respondents[0].open == 1


def test_gate_takes_the_lowest_level_and_names_the_role_that_gave_it():
    result = score(sheet(respondent("policy", everywhere(4)), respondent("privacy", everywhere(4, {LEGAL: 2}))))
    assert [(f.id, f.params["level"]) for f in result.findings] == [(f"gate.{LEGAL}", 2)]
    assert "Privacy officer / FG" in result.findings[0].message("nl")


def test_median_and_weakest_link_with_known_numbers():
    registration = [q.id for q in BANK.dimensions[1].questions]
    one = score(sheet(respondent("bi", dict(zip(registration, [5, 2, 4, 1, 3]))), mode="full"))
    dimension = one.dimension("registration")
    assert (dimension.median, dimension.weakest, dimension.weakest_items) == (3.0, 1.0, [registration[3]])
    # Two respondents: per question the median of both, then median and minimum over questions.
    two = score(sheet(respondent("bi", dict(zip(registration, [2, 4, 1, 5, 3]))),
                      respondent("practice", dict(zip(registration, [5, 4, 2, 5, 4]))), mode="full"))
    dimension = two.dimension("registration")     # question scores 3.5, 4, 1.5, 5, 3.5
    assert (dimension.median, dimension.weakest, dimension.weakest_items) == (3.5, 1.5, [registration[2]])
    assert dimension.recommendation_level == 1
    assert dimension.by_role == {"practice": 4.0, "bi": 3.0} and dimension.spread == 1.0


def test_roles_differing_by_the_threshold_are_flagged_and_less_is_not():
    assert BANK.disagreement_spread == 2
    direction = [q.id for q in BANK.dimensions[0].questions]
    flagged = score(sheet(respondent("policy", dict.fromkeys(direction, 5)),
                          respondent("practice", dict.fromkeys(direction, 3)), mode="full")).dimension("direction")
    assert (flagged.by_role, flagged.spread, flagged.disagreement) == ({"policy": 5.0, "practice": 3.0}, 2.0, True)
    assert flagged.disagreeing_items == direction
    calm = score(sheet(respondent("policy", dict.fromkeys(direction, 5)),
                       respondent("practice", dict.fromkeys(direction, 4)), mode="full")).dimension("direction")
    assert (calm.spread, calm.disagreement, calm.disagreeing_items) == (1.0, False, [])


def test_respondents_of_the_same_role_are_pooled_into_one_role_median():
    result = score(sheet(respondent("practice", everywhere(1), "A"), respondent("practice", everywhere(2), "B"),
                         respondent("practice", everywhere(5), "C")))
    assert result.dimension("tools").by_role == {"practice": 2.0}
    assert result.dimension("tools").spread == 0.0


def test_top_level_everywhere_gives_the_keep_it_up_step():
    result = score(sheet(respondent("researcher", everywhere(5))))
    assert all(d.recommendation_level == 5 and d.recommendation["en"].startswith("All answers are at the highest")
               for d in result.dimensions)


def test_quick_scan_ignores_answers_to_full_scan_questions():
    result = score(sheet(respondent("bi", everywhere(4, {"direction.owner": 1}, mode="full"))))
    assert result.dimension("direction").weakest == 4.0
    full = score(sheet(respondent("bi", everywhere(4, {"direction.owner": 1}, mode="full")), mode="full"))
    assert full.dimension("direction").weakest == 1.0


def test_evidence_notes_reach_the_result():
    answers = {qid: Answer(4) for qid in QUICK}
    answers["linkability.bsn"] = Answer(3, "Elfproef sinds 2016")
    result = score(sheet(Respondent("Jan", "bi", answers)))
    evidence = result.dimension("linkability").evidence
    assert [(e.question, e.role, e.level, e.note) for e in evidence] == [("linkability.bsn", "bi", 3, "Elfproef sinds 2016")]


def test_evidence_notes_are_masked_when_they_leave_the_tool():
    answers = {qid: Answer(4) for qid in QUICK}
    answers["linkability.bsn"] = Answer(3, "Gecontroleerd bij 123.456.782 op 12-03-2024")
    result = score(sheet(Respondent("Jan", "bi", answers)))
    note = result.dimension("linkability").evidence[0].note
    assert note == "Gecontroleerd bij ******782 op 12-03-2024"          # the date stays
    text = summary(result, "nl") + json.dumps(to_plain(result))
    assert "123.456.782" not in text and "123456782" not in text and "******782" in text


def test_gate_threshold_is_read_from_the_yaml(tmp_path):
    data = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    data["scoring"]["gate_min_level"] = 4
    stricter = tmp_path / "questions.yaml"
    stricter.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copy(RECOMMENDATIONS_FILE, tmp_path / "recommendations.yaml")
    bank = load_bank(stricter, tmp_path / "recommendations.yaml")
    answers = sheet(respondent("policy", everywhere(3)))
    assert score(answers).gate.go is True
    strict = score(answers, bank).gate
    assert strict.go is False and strict.threshold == 4 and len(strict.blocking) == 4
    assert strict.explanation["en"].startswith("No-go: 4 of the 4 critical conditions stand ")


def test_result_has_the_contracted_json_shape_and_rebuilds():
    result = score(sheet(respondent("policy", everywhere(4, {LEGAL: 1})),
                         respondent("bi", everywhere(2))))
    plain = json.loads(json.dumps(to_plain(result)))
    assert {"version", "mode", "verdict", "findings", "dimensions", "gate", "respondents"} <= set(plain)
    assert plain["verdict"] == "no_go" and plain["gate"]["blocking"] == [f["id"] for f in plain["findings"]]
    assert {"id", "name", "median", "weakest", "by_role", "spread", "disagreement",
            "recommendation"} <= set(plain["dimensions"][0])
    assert set(plain["dimensions"][0]["name"]) == {"nl", "en"}
    assert {"go", "threshold", "checked", "blocking"} <= set(plain["gate"])
    blocking = plain["findings"][0]
    assert {"id", "severity", "params", "message", "advice"} <= set(blocking) and blocking["severity"] == "error"
    assert set(blocking["message"]) == {"nl", "en"}
    assert MaturityResult.from_dict(plain) == result
    # direction: one quick question, policy 4 and BI 2 -> question score 3 -> step from level 3
    assert pick(plain["dimensions"][0]["recommendation"], "en") == BANK.recommendations["direction"][3]["en"]
