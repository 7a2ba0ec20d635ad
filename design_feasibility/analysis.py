"""Step 4 in one call: `analyse(tables, options) -> DesignResult`.

Every declared design (design_feasibility.registry) judges the extract on its own; a design
that cannot be carried out says why in its findings, and the others still run.
"""
from __future__ import annotations

import logging

import pandas as pd
from threadpoolctl import threadpool_limits

from core.errors import UserInputError
from core.findings import SEVERITIES, make, verdict_rules
from design_feasibility import registry
from design_feasibility.config import Options
from design_feasibility.protocol import Design, DesignRun, Inputs
from design_feasibility.result import DesignOutputs, DesignResult, DesignVerdict

LOG = logging.getLogger(__name__)

REQUIRED_TABLES = ("clients", "referrals")   # outcomes are used when present


def best_verdict(verdicts: list[str]) -> str:
    """The most favourable design verdict (order of core/verdicts.yaml, worst severity first)."""
    rule = verdict_rules()["design"]
    order = [rule["by_severity"][level] for level in SEVERITIES if level in rule["by_severity"]]
    order.append(rule["default"])
    return max(verdicts, key=order.index)


def analyse(tables: dict[str, pd.DataFrame], options: Options | None = None,
            designs: tuple[Design, ...] | None = None) -> DesignResult:
    """All designs' findings and verdicts and (with an outcome) the Table 5.3/5.5 estimates;
    `designs`: default the designs of thresholds.yaml.

    Runs with one BLAS thread: the many tall, narrow least-squares problems are about ten
    times slower when OpenBLAS threads compete for two cores."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _analyse(tables, options or Options(), designs or registry.declared())


def _assess(design: Design, inputs: Inputs) -> DesignRun:
    """One design's run; a design that fails on this extract is a finding, the others go on."""
    try:
        return design.assess(inputs)
    except UserInputError:
        raise
    except Exception as error:   # logged by type only: a message may quote a cell value
        LOG.error("design %s failed: %s", design.name, type(error).__name__)
        return DesignRun(design.name, dict(design.config["label"]), [make(f"{design.name}.failed", key="design.failed",
                                                          severity="error", error=type(error).__name__)])


def _analyse(tables: dict[str, pd.DataFrame], options: Options, designs: tuple[Design, ...]) -> DesignResult:
    for name in REQUIRED_TABLES:
        if tables.get(name) is None:
            raise UserInputError("missing_table", table=name)
    inputs = Inputs(tables, options)
    runs: list[DesignRun] = [_assess(design, inputs) for design in designs]
    verdicts = [DesignVerdict(run.design, run.label, run.verdict, [f.id for f in run.findings]) for run in runs]
    settings = {"min_cluster": options.min_cluster, "target_effect": options.target_effect,
                "disclosure_min": options.disclosure_min,
                "extract_date": inputs.extract_date.date, "extract_date_basis": inputs.extract_date}
    for run in runs:
        settings.update(run.settings)
    return DesignResult(frame=inputs.frame.summary, findings=[f for run in runs for f in run.findings],
                        verdict=best_verdict([v.verdict for v in verdicts]), designs=verdicts,
                        **DesignOutputs.joined(runs), settings=settings, notes=[inputs.frame.summary.outcome_definition])
