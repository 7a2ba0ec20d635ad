"""The JSON shape of each step's result, declared once (results_schema.yaml), and its check.

`validate(step, data)` gives the first problem as a dotted path (`design.findings[3].severity`)
or None; the workplan uses it on every loaded assessment, the tests on every command's JSON."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from core.texts import load_yaml

SCHEMA_FILE = Path(__file__).with_name("results_schema.yaml")


@lru_cache(maxsize=None)
def _validator(step: str) -> Draft202012Validator:
    schema = load_yaml(SCHEMA_FILE)
    return Draft202012Validator({"$defs": schema["$defs"], **schema[step]})


@lru_cache(maxsize=1)
def _finding_validator() -> Draft202012Validator:
    schema = load_yaml(SCHEMA_FILE)
    return Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/finding"})


def steps() -> list[str]:
    return [name for name in load_yaml(SCHEMA_FILE) if not name.startswith("$")]


def is_finding(data) -> bool:
    """True when `data` is a finding of the one shape (Finding.to_dict)."""
    return next(iter(_finding_validator().iter_errors(data)), None) is None


def validate(step: str, data) -> str | None:
    """The first place where `data` departs from the step's schema, or None."""
    error = next(iter(sorted(_validator(step).iter_errors(data), key=lambda e: list(e.absolute_path))), None)
    if error is None:
        return None
    path = step + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return path
