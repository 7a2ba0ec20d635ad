"""Turn the computed statistics into diagnostics: value, threshold, verdict, source, sentence."""
from __future__ import annotations

import math

from design_feasibility.config import TEXTS, both, number, thresholds
from design_feasibility.result import Diagnostic


def spec(kind: str) -> dict:
    return thresholds()["diagnostics"][kind]


def judge(kind: str, value: float | None) -> str:
    bounds = spec(kind)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "fail"
    if bounds["direction"] == "higher":
        return "pass" if value >= bounds["pass"] else "warn" if value >= bounds["warn"] else "fail"
    return "pass" if value <= bounds["pass"] else "warn" if value <= bounds["warn"] else "fail"


def make(kind: str, value: float | None, *, department: str | None = None, verdict: str | None = None,
         threshold: float | None = None, diagnostic_id: str | None = None, **values) -> Diagnostic:
    """A diagnostic of `kind` (a key of thresholds.yaml and texts.yaml) for one department or all;
    its id is `kind.department`, `kind`, or `diagnostic_id` when given."""
    bounds = spec(kind)
    verdict = verdict or judge(kind, value)
    key = f"diag.{kind}"
    return Diagnostic(
        id=diagnostic_id or (f"{kind}.{department}" if department else kind),
        value=None if value is None else float(value),
        threshold=float(bounds["pass"] if threshold is None else threshold),
        verdict=verdict, source=dict(bounds["source"]),
        explanation=both(f"{key}.{verdict}" if f"{key}.{verdict}" in TEXTS.entries else key,
                         department=department or "", **values),
        label=both(f"label.{kind}", department=department or ""))


def pct(value: float, digits: int = 0) -> dict[str, str]:
    return number(value, digits, percent=True)
