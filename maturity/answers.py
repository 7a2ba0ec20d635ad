"""Answer sheets: who answered what, saved to and restored from a JSON file.

File shape (`version` is the question bank version the answers were given to):

    {"version": "1.0", "municipality": "...", "mode": "quick" | "full",
     "respondents": [{"name": "...", "role": "policy",
                      "answers": {"linkability.bsn": {"level": 3, "note": "..."}}}]}

A level of null means "don't know"; a question that is absent has not been answered.
Saving and loading keep every answer and note exactly.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import UserInputError
from core import jsonio
from maturity.bank import LEVELS, MODES, QuestionBank, load_bank


@dataclass
class Answer:
    level: int | None = None    # None: "don't know"
    note: str = ""


@dataclass
class Respondent:
    name: str = ""
    role: str = "policy"
    answers: dict[str, Answer] = field(default_factory=dict)


@dataclass
class AnswerSheet:
    version: str
    municipality: str = ""
    mode: str = "quick"
    respondents: list[Respondent] = field(default_factory=list)


def new_sheet(municipality: str = "", mode: str = "quick", bank: QuestionBank | None = None) -> AnswerSheet:
    """An empty sheet for the current question bank with one respondent."""
    bank = bank or load_bank()
    return AnswerSheet(version=bank.version, municipality=municipality, mode=mode,
                       respondents=[Respondent(role=next(iter(bank.roles)))])


def to_json(sheet: AnswerSheet) -> str:
    return jsonio.dumps(sheet)


def save(sheet: AnswerSheet, path: str | Path) -> None:
    jsonio.write(sheet, path)


def load(path: str | Path, bank: QuestionBank | None = None) -> AnswerSheet:
    path = Path(path)
    if not path.is_file():
        raise UserInputError("file_not_found", path=path)
    return parse(path.read_bytes(), source=str(path), bank=bank)


def parse(content: str | bytes, source: str = "upload", bank: QuestionBank | None = None) -> AnswerSheet:
    """An answer sheet from JSON text; anything unusable raises a one-line user error."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserInputError("answers_encoding", path=source) from None
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        raise UserInputError("invalid_json", path=source,
                             detail=f"{error.msg} (line {error.lineno}, column {error.colno})") from None
    except RecursionError:
        raise UserInputError("invalid_json", path=source, detail="nested too deeply") from None
    return _Reader(bank or load_bank(), source).sheet(data)


class _Reader:
    """Checks a decoded answers file against the question bank while building the sheet."""

    def __init__(self, bank: QuestionBank, source: str):
        self.bank = bank
        self.source = source

    def _field(self, data, name: str, kind: type, expected: str, default=None, where: str = ""):
        value = data.get(name, default) if isinstance(data, dict) else None
        if not isinstance(value, kind):
            raise UserInputError("answers_field", path=self.source, field=where + name, expected=expected)
        return value

    def sheet(self, data) -> AnswerSheet:
        if not isinstance(data, dict):
            raise UserInputError("answers_field", path=self.source, field="(file)",
                               expected='{"version", "municipality", "mode", "respondents"}')
        version = self._field(data, "version", str, f'"{self.bank.version}"')
        if version not in self.bank.accepts_answers_from:
            raise UserInputError("answers_version", path=self.source, found=version,
                               expected=self.bank.version)
        mode = self._field(data, "mode", str, '"quick" | "full"')
        if mode not in MODES:
            raise UserInputError("answers_mode", path=self.source, mode=mode)
        respondents = self._field(data, "respondents", list, '[{"name", "role", "answers"}]')
        if not respondents:
            raise UserInputError("answers_no_respondents", path=self.source)
        return AnswerSheet(version=version, mode=mode,
                           municipality=self._field(data, "municipality", str, '"..."', default=""),
                           respondents=[self.respondent(entry, number)
                                        for number, entry in enumerate(respondents, start=1)])

    def respondent(self, data, number: int) -> Respondent:
        where = f"respondents[{number}]."
        name = self._field(data, "name", str, '"..."', default="", where=where)
        label = f"{number} ({name})" if name else str(number)
        role = self._field(data, "role", str, '"' + '" | "'.join(self.bank.roles) + '"', where=where)
        if role not in self.bank.roles:
            raise UserInputError("answers_role", path=self.source, respondent=label, role=role,
                               roles=", ".join(self.bank.roles))
        answers = self._field(data, "answers", dict, '{"question id": {"level", "note"}}', default={},
                              where=where)
        return Respondent(name=name, role=role,
                          answers={question: self.answer(question, entry, label)
                                   for question, entry in answers.items()})

    def answer(self, question: str, data, respondent: str) -> Answer:
        if not self.bank.knows(question):
            raise UserInputError("answers_unknown_question", path=self.source, question=question,
                               respondent=respondent)
        if not isinstance(data, dict) or "level" not in data:
            raise UserInputError("answers_field", path=self.source, field=f"{question}.level",
                               expected='{"level": 1-5 | null, "note": "..."}')
        level = data["level"]
        if level is not None and (type(level) is not int or level not in LEVELS):
            raise UserInputError("answers_level", path=self.source, level=json.dumps(level),
                               question=question, respondent=respondent)
        note = self._field(data, "note", str, '"..."', default="", where=f"{question}.")
        return Answer(level=level, note=note)
