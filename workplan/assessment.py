"""The assessment: everything one scan found, in one object that is saved as JSON.

Each step's result is kept as its plain JSON dict (shapes in docs/architecture.md), so an
assessment saved today can be reloaded, compared and turned into a PDF later without the
step's Python classes. The file carries a format version; loading a file of another version,
or one that was damaged, ends in one clear `UserInputError`.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields
from pathlib import Path

from core import jsonio
from core.cli import write_json
from core.errors import UserInputError
from core.results import is_finding, validate


FORMAT_VERSION = 2          # 2: every step reports findings of one shape (core.findings)
STEPS = ("maturity", "quality", "linkage", "design")      # the steps with a verdict and a light
EXTRAS = ("population",)                                   # results without a verdict

# What an assessment keeps of each step's result: the shape of core/results_schema.yaml plus
# the extras the workplan shows. Validation internals (expectation results, per-caseworker
# points) stay out, and findings lose their (masked) example values.
_KEEP = {
    "maturity": ("version", "mode", "dimensions", "gate", "respondents"),
    "quality": ("extract_date", "extract_date_basis", "mapping", "tables", "eras", "summary", "scorecard"),
    "linkage": ("predicted_link_rate", "reasons", "microdata_plan", "checklist", "min_count"),
    "population": ("settings", "n_clients", "characteristics", "profile", "survival", "cox", "types",
                   "feasibility", "note"),
    "design": ("frame", "designs", "estimates", "subgroups", "grey_area", "outcome_line", "settings", "notes"),
}


@dataclass
class Assessment:
    municipality: str
    date: str                                   # ISO date of the scan
    participants: list[dict] = field(default_factory=list)   # [{"name", "role"}]
    maturity_answers: dict | None = None
    maturity: dict | None = None
    quality: dict | None = None
    linkage: dict | None = None
    design: dict | None = None
    population: dict | None = None              # population.analyse(...) as JSON (no light)
    dialogue: dict | None = None                # dialogue.session_record(...) + its evidence {nl, en}
    extract_facts: dict | None = None           # workplan.facts.extract_facts(...)
    not_run: dict[str, dict] = field(default_factory=dict)   # step -> finding `step.not_run`
    format_version: int = FORMAT_VERSION

    def result(self, step: str) -> dict | None:
        return {"maturity": self.maturity, "quality": self.quality, "linkage": self.linkage,
                "design": self.design, "population": self.population}[step]

    def steps_run(self) -> list[str]:
        return [step for step in STEPS if self.result(step) is not None]

    def findings(self, steps=STEPS) -> list[dict]:
        """The findings of the chosen steps that were run."""
        return [finding for step in steps for finding in (self.result(step) or {}).get("findings", [])]

    def to_dict(self) -> dict:
        return jsonio.to_plain(self)

    def dumps(self) -> str:
        return jsonio.dumps(self)

    def save(self, path: str | Path) -> None:
        write_json(self, path)

    @classmethod
    def from_dict(cls, data, source: str = "assessment") -> "Assessment":
        _check(data, source)
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


def slim(step: str, result: dict) -> dict:
    """The part of a step's JSON result that an assessment stores."""
    kept = {key: result[key] for key in _KEEP[step] if key in result}
    kept["verdict"] = result.get("verdict")
    kept["findings"] = [{**f, "examples": []} for f in result.get("findings", [])]
    return kept


def loads(text: str | bytes, source: str = "assessment") -> Assessment:
    """An assessment from JSON text (an upload in the app, a file on the command line)."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise UserInputError("invalid_json", path=source, detail=str(error).split(":")[0]) from error
    except RecursionError:
        raise UserInputError("invalid_json", path=source, detail="nested too deeply") from None
    return Assessment.from_dict(data, source)


def load(path: str | Path) -> Assessment:
    path = Path(path)
    if not path.is_file():
        raise UserInputError("file_not_found", path=path)
    return loads(path.read_bytes(), str(path))


def today() -> str:
    return dt.date.today().isoformat()


def _check(data, source: str) -> None:
    if not isinstance(data, dict) or "format_version" not in data or "municipality" not in data:
        raise UserInputError("assessment_unrecognised", path=source)
    version = data["format_version"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise UserInputError("assessment_damaged", path=source, field="format_version")
    if version < FORMAT_VERSION:
        raise UserInputError("assessment_old_version", path=source, found=version,
                                 expected=FORMAT_VERSION)
    if version > FORMAT_VERSION:
        raise UserInputError("assessment_new_version", path=source, found=version)
    for problem in _problems(data):
        raise UserInputError("assessment_damaged", path=source, field=problem)


def _problems(data: dict):
    """The names of fields that are missing or have the wrong shape, first one first."""
    if not isinstance(data.get("municipality"), str) or not data["municipality"].strip():
        yield "municipality"
    try:
        dt.date.fromisoformat(str(data.get("date")))
    except ValueError:
        yield "date"
    participants = data.get("participants", [])
    if not isinstance(participants, list) or not all(
            isinstance(p, dict) and isinstance(p.get("role"), str) for p in participants):
        yield "participants"
    for name in ("maturity_answers", "extract_facts", "not_run"):
        if data.get(name) is not None and not isinstance(data[name], dict):
            yield name
    for step in STEPS + EXTRAS + ("dialogue",):
        if data.get(step) is not None and (problem := validate(step, data[step])):
            yield problem
    for step, finding in (data.get("not_run") or {}).items():
        if step not in STEPS + EXTRAS or not is_finding(finding):
            yield f"not_run.{step}"
