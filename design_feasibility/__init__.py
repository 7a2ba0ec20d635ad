"""Step 4: can this extract support a natural-variation evaluation, and with what precision?

`analyse(tables, Options(...)) -> DesignResult` judges every design declared in
thresholds.yaml (`design_feasibility.registry`): the Rotterdam caseworker-preference (IV)
estimator (report ch. 5, annex B4) with diagnostics of its assumptions, discontinuities at an
age (the youngest child turning 5) and difference-in-differences around a date. Each design's
verdict follows from its findings (`core.findings.verdict("design", ...)`).
"""
import core  # noqa: F401  (telemetry off before anything else loads)
from design_feasibility.analysis import analyse
from design_feasibility.config import Options
from design_feasibility.result import DesignResult

__all__ = ["analyse", "Options", "DesignResult"]
