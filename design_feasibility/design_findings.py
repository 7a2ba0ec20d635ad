"""The findings one design collects: ids `<design>.<finding>`, texts from findings.yaml.

A diagnostic (a value judged against the `pass`/`warn` bounds of thresholds.yaml) becomes a
finding with that value, its threshold and source, and a severity from the level it reaches
(`shared.severity_of_verdict`, unless the diagnostic declares its own `severity`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from core.findings import Finding, catalogue, make
from design_feasibility.config import shared_setting


def judge(bounds: dict, value: float | None) -> str:
    """pass | warn | fail of `value` against a diagnostic's bounds (no value fails)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "fail"
    if bounds["direction"] == "higher":
        return "pass" if value >= bounds["pass"] else "warn" if value >= bounds["warn"] else "fail"
    return "pass" if value <= bounds["pass"] else "warn" if value <= bounds["warn"] else "fail"


def severity(bounds: dict, level: str) -> str:
    return {**shared_setting("severity_of_verdict"), **bounds.get("severity", {})}[level]


@dataclass
class DesignFindings:
    """The findings of design `design`, in the order they were added."""
    design: str
    findings: list[Finding] = field(default_factory=list)

    def add(self, name: str, key: str, **values) -> Finding:
        """A finding `<design>.<name>` with the texts of catalogue entry `key`."""
        finding = make(f"{self.design}.{name}", key=key, **values)
        self.findings.append(finding)
        return finding

    def diagnostic(self, kind: str, value: float | None, bounds: dict, *, department: str | None = None,
                   level: str | None = None, threshold: float | None = None, name: str | None = None,
                   key: str | None = None, **params) -> Finding:
        """Diagnostic `kind` for one department or all: named `kind.department`, `kind` or
        `name`; its text `key`, else `diag.kind.level` when that exists, else `diag.kind`."""
        level = level or judge(bounds, value)
        variant = f"diag.{kind}.{level}"
        return self.add(name or (f"{kind}.{department}" if department else kind),
                        key or (variant if variant in catalogue() else f"diag.{kind}"),
                        severity=severity(bounds, level), value=None if value is None else float(value),
                        threshold=float(bounds["pass"] if threshold is None else threshold),
                        source=dict(bounds["source"]), department=department or "", **params)
