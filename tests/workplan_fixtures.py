"""Two assessments made by the real producers (no hand-made step results): a municipality that
is nearly ready and one far from it. Their planted truth (demo manifests, the answers given)
is what the workplan tests check against."""
from __future__ import annotations

import copy
from functools import lru_cache

from core.jsonio import to_plain
from demo import generate
from maturity import load_bank
from maturity.answers import Answer, AnswerSheet, Respondent
from workplan import build_assessment
from workplan.assessment import Assessment

ROLES = ("policy", "practice", "researcher")
PARTICIPANTS_READY = [{"name": "A. Jansen", "role": "policy"}, {"name": "B. de Vries", "role": "practice"},
                      {"name": "C. Bakker", "role": "researcher"}, {"name": "D. Visser", "role": "client"}]
PARTICIPANTS_NOT_READY = [{"name": "E. Smit", "role": "policy"}]


def answers(level: int, municipality: str) -> AnswerSheet:
    """Every question of the full scan answered with `level` by one respondent per role."""
    bank = load_bank()
    questions = [q.id for q in bank.questions("full")]
    return AnswerSheet(version=bank.version, municipality=municipality, mode="full", respondents=[
        Respondent(name=f"R{i}", role=role, answers={q: Answer(level) for q in questions})
        for i, role in enumerate(ROLES)])


@lru_cache(maxsize=1)
def extracts():
    """(ready, not ready) demo extracts: a clean 6,000-client municipality with 80 caseworkers,
    and a small one (900 clients, 8 caseworkers) with the planted defects."""
    return generate(defects=False), generate(n_clients=900, seed=5, n_caseworkers=8)


@lru_cache(maxsize=1)
def _built() -> tuple[dict, dict]:
    clean, small = extracts()
    from linkage_readiness.checklist import spec
    all_done = [{"id": item, "done": True, "note": ""} for item in spec()]
    from linkage_readiness import assess
    ready = build_assessment(
        clean.tables, municipality="Voorbeeldstad", answers=answers(4, "Voorbeeldstad"),
        participants=PARTICIPANTS_READY, date="2025-03-01", extract_date=clean.manifest["extract_date"],
        results={"linkage": assess(clean.tables, checklist=all_done)})
    not_ready = build_assessment(
        small.tables, municipality="Probeerdorp", answers=answers(1, "Probeerdorp"),
        participants=PARTICIPANTS_NOT_READY, date="2025-04-15", extract_date=small.manifest["extract_date"])
    return to_plain(ready), to_plain(not_ready)


def ready_dict() -> dict:
    return copy.deepcopy(_built()[0])


def not_ready_dict() -> dict:
    return copy.deepcopy(_built()[1])


def ready() -> Assessment:
    return Assessment.from_dict(ready_dict())


def not_ready() -> Assessment:
    return Assessment.from_dict(not_ready_dict())
