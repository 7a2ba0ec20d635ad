"""Scoring an answer sheet: per dimension the median and the weakest link, the spread between
roles, a go/no-go gate on critical items, and the next step per dimension.

There is deliberately no overall score: a strong dimension does not make up for a weak one.

- Per question, the answers of all respondents who gave a level are combined by their median.
  A dimension's `median` is the median of its question scores and `weakest` the lowest one.
- "Don't know" is never scored as a level; it is counted per dimension and per respondent.
- `by_role` is the median of all levels a role gave in the dimension; `spread` is the largest
  minus the smallest role median, and `disagreement` is flagged when it reaches the threshold
  in questions.yaml.
- Gate: a critical item passes when every level given for it reaches `gate_min_level`
  (one respondent who knows it is not in place is enough to block). An item nobody could
  give a level for blocks too: it is not shown to be in place. Each blocking item is a
  finding `gate.<question id>` (severity error, texts in findings.yaml); the verdict is
  `core.findings.verdict("maturity", findings)` and the gate's `go` is that verdict being go.
- Evidence notes are free text: they leave the tool masked (`core.privacy.mask_text`).
- The recommendation is the step from the weakest level (rounded down) to the next level.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass
from statistics import median
from typing import get_args, get_type_hints

from core import LANGUAGES
from core.findings import Finding, make, verdict, verdict_label
from core.privacy import mask_text
from core.texts import pick
from maturity.answers import AnswerSheet
from maturity.bank import LEVELS, Dimension, Question, QuestionBank, load_bank
from maturity.texts import bilingual, count_key


@dataclass
class Evidence:
    question: str
    role: str
    level: int | None
    note: str                           # masked


@dataclass
class DimensionScore:
    id: str
    name: dict
    median: float | None
    weakest: float | None
    by_role: dict[str, float]
    spread: float | None
    disagreement: bool
    recommendation: dict
    recommendation_level: int | None    # the level the recommended step starts from
    question_scores: dict[str, float] = field(default_factory=dict)   # question -> median level
    weakest_items: list[str] = field(default_factory=list)
    disagreeing_items: list[str] = field(default_factory=list)
    answered: int = 0                   # answers with a level
    dont_know: int = 0
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Gate:
    go: bool
    threshold: int
    checked: list[str]
    blocking: list[str]                 # ids of the blocking findings (MaturityResult.findings)
    explanation: dict


@dataclass
class RespondentSummary:
    name: str
    role: str
    answered: int
    dont_know: int
    open: int


@dataclass
class MaturityResult:
    version: str
    municipality: str
    mode: str
    verdict: str                        # go | no_go (core/verdicts.yaml)
    findings: list[Finding]             # one per blocking critical condition
    dimensions: list[DimensionScore]
    gate: Gate
    respondents: list[RespondentSummary]
    disagreement_threshold: float

    def dimension(self, dimension_id: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.id == dimension_id)

    @classmethod
    def from_dict(cls, data: dict) -> "MaturityResult":
        """Rebuild a result from its JSON form (core.jsonio.to_plain)."""
        return _build(cls, data)


def _build(kind, data):
    """A dataclass (with nested dataclasses and lists of them) from plain data."""
    hints = get_type_hints(kind)
    values = {}
    for item in fields(kind):
        value = data.get(item.name)
        nested = [t for t in (hints[item.name], *get_args(hints[item.name])) if is_dataclass(t)]
        if nested and isinstance(value, list):
            value = [_build(nested[0], v) for v in value]
        elif nested and isinstance(value, dict):
            value = _build(nested[0], value)
        values[item.name] = value
    return kind(**values)


def _levels(sheet: AnswerSheet, question: Question, role: str | None = None) -> list[int]:
    return [r.answers[question.id].level for r in sheet.respondents
            if question.id in r.answers and r.answers[question.id].level is not None
            and role in (None, r.role)]


def _dont_knows(sheet: AnswerSheet, questions) -> int:
    return sum(1 for r in sheet.respondents for q in questions
               if q.id in r.answers and r.answers[q.id].level is None)


def _role_medians(sheet: AnswerSheet, questions, bank: QuestionBank) -> dict[str, float]:
    medians = {}
    for role in bank.roles:
        given = [level for q in questions for level in _levels(sheet, q, role)]
        if given:
            medians[role] = float(median(given))
    return medians


def _spread(values) -> float | None:
    values = list(values)
    return float(max(values) - min(values)) if values else None


def _recommendation(bank: QuestionBank, dimension: str, weakest: float | None) -> tuple[dict, int | None]:
    if weakest is None:
        return bilingual("recommendation_unknown"), None
    level = math.floor(weakest)
    if level >= LEVELS[-1]:
        return bilingual("recommendation_top"), level
    return dict(bank.recommendations[dimension][level]), level


def _dimension(sheet: AnswerSheet, dimension: Dimension, bank: QuestionBank) -> DimensionScore:
    questions = dimension.asked(sheet.mode)
    scores = {q.id: float(median(levels)) for q in questions if (levels := _levels(sheet, q))}
    weakest = min(scores.values()) if scores else None
    by_role = _role_medians(sheet, questions, bank)
    spread = _spread(by_role.values())
    threshold = bank.disagreement_spread
    recommendation, from_level = _recommendation(bank, dimension.id, weakest)
    return DimensionScore(
        id=dimension.id, name=dict(dimension.name),
        median=float(median(scores.values())) if scores else None,
        weakest=weakest, by_role=by_role, spread=spread,
        disagreement=spread is not None and spread >= threshold,
        recommendation=recommendation, recommendation_level=from_level,
        question_scores=scores,
        weakest_items=[qid for qid, score in scores.items() if score == weakest],
        disagreeing_items=[q.id for q in questions
                           if (_spread(_role_medians(sheet, [q], bank).values()) or 0) >= threshold],
        answered=sum(len(_levels(sheet, q)) for q in questions),
        dont_know=_dont_knows(sheet, questions),
        evidence=[Evidence(q.id, r.role, r.answers[q.id].level, mask_text(r.answers[q.id].note))
                  for q in questions for r in sheet.respondents
                  if q.id in r.answers and r.answers[q.id].note.strip()])


def gate_finding_id(question_id: str) -> str:
    """The id of the finding that says critical condition `question_id` blocks the go."""
    return f"gate.{question_id}"


def _blocking(sheet: AnswerSheet, question: Question, bank: QuestionBank) -> Finding | None:
    threshold = bank.gate_min_level
    levels = _levels(sheet, question)
    if levels and min(levels) >= threshold:
        return None
    values = dict(threshold=threshold, condition=dict(question.short), why=dict(question.why))
    if levels:
        lowest = min(levels)
        roles = sorted({r.role for r in sheet.respondents
                        if question.id in r.answers and r.answers[question.id].level == lowest})
        role_names = {lang: ", ".join(pick(bank.roles[role], lang) for role in roles)
                      for lang in LANGUAGES}
        reason = "below_threshold"
        values.update(level=lowest, roles=role_names)
    else:
        dont_know = _dont_knows(sheet, [question])
        reason = "dont_know" if dont_know else "unanswered"
        values.update(level=None, roles=None, dont_know=dont_know)
    return make(gate_finding_id(question.id), key=f"gate.{reason}", reason=reason, **values)


def _gate(sheet: AnswerSheet, bank: QuestionBank, findings: list[Finding], outcome: str) -> Gate:
    """The gate of the verdict `outcome` that `findings` (the blocking items) gave."""
    critical = bank.gate_questions(sheet.mode)
    values = dict(count=len(critical), threshold=bank.gate_min_level,
                  verdict={lang: verdict_label("maturity", outcome, lang) for lang in LANGUAGES})
    go = outcome == "go"
    if go:
        explanation = bilingual("gate_go", **values)
    else:
        items = {lang: "; ".join(f.title(lang) for f in findings) for lang in LANGUAGES}
        explanation = bilingual(count_key("gate_no_go", len(findings)), blocking=len(findings),
                                items=items, **values)
    return Gate(go=go, threshold=bank.gate_min_level, checked=[q.id for q in critical],
                blocking=[f.id for f in findings], explanation=explanation)


def _respondent(sheet: AnswerSheet, index: int, bank: QuestionBank) -> RespondentSummary:
    respondent = sheet.respondents[index]
    asked = [q.id for q in bank.questions(sheet.mode)]
    given = [respondent.answers[qid] for qid in asked if qid in respondent.answers]
    return RespondentSummary(name=respondent.name, role=respondent.role,
                             answered=sum(a.level is not None for a in given),
                             dont_know=sum(a.level is None for a in given),
                             open=len(asked) - len(given))


def score(sheet: AnswerSheet, bank: QuestionBank | None = None) -> MaturityResult:
    """Score the questions of the sheet's mode (answers to other questions are kept, not scored)."""
    bank = bank or load_bank()
    findings = [item for q in bank.gate_questions(sheet.mode) if (item := _blocking(sheet, q, bank))]
    outcome = verdict("maturity", findings)
    return MaturityResult(
        version=bank.version, municipality=sheet.municipality, mode=sheet.mode,
        verdict=outcome, findings=findings,
        dimensions=[_dimension(sheet, d, bank) for d in bank.dimensions],
        gate=_gate(sheet, bank, findings, outcome),
        respondents=[_respondent(sheet, i, bank) for i in range(len(sheet.respondents))],
        disagreement_threshold=bank.disagreement_spread)
