"""Integrity of the maturity question bank and recommendations (maturity/*.yaml)."""
from collections import Counter

import pytest

from core import LANGUAGES
from maturity import LEVELS, load, load_bank
from maturity.bank import RECOMMENDATIONS_FILE

BANK = load_bank()
QUESTIONS = BANK.questions("full")
QUICK = BANK.questions("quick")
EXAMPLE = "maturity/examples/demo_quick_scan.json"
GATE_ITEMS = {"law_ethics.legal_basis", "linkability.bsn", "design.referral_process",
              "registration.outcome_history"}


def bilingual(entry) -> bool:
    return isinstance(entry, dict) and all(isinstance(entry.get(lang), str) and entry[lang].strip()
                                           for lang in LANGUAGES)


def test_bank_is_versioned_and_reads_its_own_answers():
    assert BANK.version and BANK.version in BANK.accepts_answers_from


def test_seven_dimensions_and_about_35_questions_with_unique_ids():
    assert [d.id for d in BANK.dimensions] == ["direction", "registration", "linkability", "design",
                                                "law_ethics", "people", "tools"]
    assert 30 <= len(QUESTIONS) <= 40
    ids = [q.id for q in QUESTIONS]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert all(q.id.startswith(q.dimension + ".") for q in QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_every_question_has_five_distinct_levels_in_dutch_and_english(question):
    assert len(question.levels) == len(LEVELS) == 5
    assert all(bilingual(level) for level in question.levels)
    for lang in LANGUAGES:
        assert len({level[lang] for level in question.levels}) == 5
    assert bilingual(question.text) and bilingual(question.short)
    assert question.roles and set(question.roles) <= set(BANK.roles)


def test_roles_levels_and_dimensions_are_named_in_both_languages():
    assert list(BANK.roles) == ["policy", "practice", "bi", "privacy", "researcher"]
    assert all(bilingual(name) for name in BANK.roles.values())
    assert len(BANK.level_names) == 5 and all(bilingual(name) for name in BANK.level_names)
    assert all(bilingual(d.name) and bilingual(d.description) for d in BANK.dimensions)


def test_gate_items_are_the_four_critical_conditions_with_a_reason():
    gates = [q for q in QUESTIONS if q.gate]
    assert {q.id for q in gates} == GATE_ITEMS
    assert all(bilingual(q.why) for q in gates)
    assert 1 <= BANK.gate_min_level <= 5 and BANK.disagreement_spread > 0


def test_quick_scan_covers_every_dimension_and_every_gate_item():
    assert 8 <= len(QUICK) <= 12
    assert {q.dimension for q in QUICK} == {d.id for d in BANK.dimensions}
    assert GATE_ITEMS <= {q.id for q in QUICK}


def test_every_role_is_best_placed_for_some_quick_question():
    assert {role for q in QUICK for role in q.roles} == set(BANK.roles)


def test_each_dimension_has_a_next_step_for_levels_1_to_4():
    assert set(BANK.recommendations) == {d.id for d in BANK.dimensions}, RECOMMENDATIONS_FILE
    for dimension, steps in BANK.recommendations.items():
        assert sorted(steps) == [1, 2, 3, 4], dimension
        assert all(bilingual(text) for text in steps.values()), dimension
        assert len({text["nl"] for text in steps.values()}) == 4, dimension


def test_example_answers_are_a_quick_scan_by_several_roles():
    sheet = load(EXAMPLE)
    assert sheet.mode == "quick" and sheet.version == BANK.version
    assert len({r.role for r in sheet.respondents}) >= 2
    quick_ids = {q.id for q in QUICK}
    assert all(set(r.answers) == quick_ids for r in sheet.respondents)
