"""Step 4: can this extract support a natural-variation evaluation, and with what precision?

`analyse(tables, Options(...)) -> DesignResult` replicates the Rotterdam caseworker-preference
(IV) estimator (report ch. 5, annex B4), judges its assumptions with diagnostics, and judges two
other designs (youngest child turns 5; difference-in-differences around a date).
"""
import core  # noqa: F401  (telemetry off before anything else loads)
from design_feasibility.analysis import analyse
from design_feasibility.config import Options
from design_feasibility.result import DesignResult

__all__ = ["analyse", "Options", "DesignResult"]
