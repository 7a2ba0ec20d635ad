"""The question bank: dimensions, questions with five anchored levels, roles and thresholds.

Everything here is read from `questions.yaml` and `recommendations.yaml`; this module only
gives it a typed shape.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from core.texts import load_yaml

HERE = Path(__file__).parent
QUESTIONS_FILE = HERE / "questions.yaml"
RECOMMENDATIONS_FILE = HERE / "recommendations.yaml"
LEVELS = (1, 2, 3, 4, 5)
MODES = ("quick", "full")


@dataclass(frozen=True)
class Question:
    id: str
    dimension: str
    short: dict
    text: dict
    levels: tuple          # five {nl, en} statements, level 1 first
    roles: tuple           # roles best placed to answer
    quick: bool
    gate: bool
    why: dict              # gate items: why a low level blocks an evaluation

    def statement(self, level: int) -> dict:
        return self.levels[level - 1]


@dataclass(frozen=True)
class Dimension:
    id: str
    name: dict
    description: dict
    questions: tuple

    def asked(self, mode: str) -> tuple:
        return tuple(q for q in self.questions if mode == "full" or q.quick)


@dataclass(frozen=True)
class QuestionBank:
    version: str
    accepts_answers_from: tuple
    gate_min_level: int
    disagreement_spread: float
    level_names: tuple
    roles: dict            # role id -> {nl, en}, in display order
    dimensions: tuple
    recommendations: dict  # dimension id -> {level: {nl, en}}

    def questions(self, mode: str = "full") -> list[Question]:
        return [q for d in self.dimensions for q in d.asked(mode)]

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    def knows(self, question_id: str) -> bool:
        return question_id in self._by_id

    @cached_property
    def _by_id(self) -> dict:
        return {q.id: q for d in self.dimensions for q in d.questions}

    def gate_questions(self, mode: str = "full") -> list[Question]:
        return [q for q in self.questions(mode) if q.gate]


def _question(entry: dict, dimension: str) -> Question:
    return Question(id=entry["id"], dimension=dimension, short=entry["short"], text=entry["text"],
                    levels=tuple(entry["levels"]), roles=tuple(entry.get("roles", ())),
                    quick=bool(entry.get("quick", False)), gate=bool(entry.get("gate", False)),
                    why=entry.get("why", {}))


@lru_cache(maxsize=None)
def load_bank(questions_file: str | Path = QUESTIONS_FILE,
              recommendations_file: str | Path = RECOMMENDATIONS_FILE) -> QuestionBank:
    data = load_yaml(questions_file)
    recommendations = load_yaml(recommendations_file)
    dimensions = tuple(
        Dimension(id=d["id"], name=d["name"], description=d["description"],
                  questions=tuple(_question(q, d["id"]) for q in d["questions"]))
        for d in data["dimensions"])
    return QuestionBank(
        version=str(data["version"]),
        accepts_answers_from=tuple(str(v) for v in data["accepts_answers_from"]),
        gate_min_level=int(data["scoring"]["gate_min_level"]),
        disagreement_spread=float(data["scoring"]["disagreement_spread"]),
        level_names=tuple(data["levels"]),
        roles=dict(data["roles"]),
        dimensions=dimensions,
        recommendations={dim: {int(level): text for level, text in steps.items()}
                         for dim, steps in recommendations.items()})
