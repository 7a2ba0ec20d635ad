"""Step 4: can this extract support a natural-variation evaluation, and with what precision?

`analyse(tables, Options(...)) -> DesignResult` judges every design declared in
thresholds.yaml (`design_feasibility.registry`): the Rotterdam caseworker-preference (IV)
estimator (report ch. 5, annex B4) with diagnostics of its assumptions, discontinuities at an
age (the youngest child turning 5) and difference-in-differences around a date. Each design's
verdict follows from its findings (`core.findings.verdict("design", ...)`).
"""
import importlib

import core  # noqa: F401  (telemetry off before anything else loads)
from design_feasibility.config import Options

__all__ = ["analyse", "Options", "DesignResult"]
_LAZY = {"analyse": "design_feasibility.analysis", "DesignResult": "design_feasibility.result"}


def __getattr__(name: str):
    """`analyse` and `DesignResult` load the estimators (statsmodels) on first use, so a step
    that needs only a submodule (the population step: `power`) does not wait for them."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'design_feasibility' has no attribute {name!r}")
