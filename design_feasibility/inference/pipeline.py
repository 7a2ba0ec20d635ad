"""Adapter: all inference checks on the step-4 analysis frame (the only module here that
knows `AnalysisFrame` and `Preferences`; everything else takes plain arrays).

    from design_feasibility.inference.pipeline import run_inference
    report = run_inference(frame, prefs, disclosure_min=options.disclosure_min)

Matrices are the ones the existing estimator uses (design_feasibility.estimates): controls =
constant + covariate dummies + team/period cells, arms = Matching and Activering dummies
(Prematching the reference), instruments = leave-one-out preferences, clusters = caseworker.
Call it inside `threadpool_limits(1)` as `analyse` does.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from design_feasibility.estimates import clusters, controls, instruments, treatments
from design_feasibility.frame import AnalysisFrame
from design_feasibility.inference.balance import JointBalance, joint_balance
from design_feasibility.inference.flj import ExclusionMonotonicity, exclusion_monotonicity_test
from design_feasibility.inference.iv import IVInference, iv_inference
from design_feasibility.inference.jive import Jive, jive
from design_feasibility.inference.strength import EffectiveF, effective_f
from design_feasibility.preferences import Preferences


@dataclass
class InferenceReport:
    balance: dict[str, JointBalance]                      # per treated department
    effective_f: list[EffectiveF]
    iv: IVInference | None = None                         # only with an outcome
    ujive: Jive | None = None
    exclusion_monotonicity: ExclusionMonotonicity | None = None
    notes: list[str] = field(default_factory=list)


def _attempt(report: InferenceReport, name: str, compute, fallback=None):
    """`compute()`, or `fallback` with a note when the data cannot carry the check (too few
    caseworkers for the test, a singular matrix, leverage 1)."""
    try:
        return compute()
    except (ValueError, ArithmeticError) as error:   # numpy's LinAlgError is a ValueError
        report.notes.append(f"{name}: {error}")
        return fallback


def run_inference(frame: AnalysisFrame, prefs: Preferences, *, disclosure_min: int = 10,
                  bootstrap: int = 0, tau: float = 0.10, alpha: float = 0.05) -> InferenceReport:
    """Every check; `tau`, `alpha`: the effective F's worst-case bias and size. A check the
    data cannot carry is left out (None, or no Anderson-Rubin sets) with a note."""
    exog = controls(frame)
    d, z, g, arms = treatments(frame), instruments(prefs), clusters(frame).to_numpy(), list(frame.arms.treated)
    balance = {dep: joint_balance(prefs.loo[dep], frame.covariates, frame.cells, g,
                                  bootstrap=bootstrap, index=prefs.probabilities[dep])
               for dep in arms}
    report = InferenceReport(balance, [])
    report.effective_f = _attempt(report, "effective_f", lambda: effective_f(
        d, z, exog, g, tau=tau, alpha=alpha, names=arms), [])
    if frame.has_outcome:
        y = frame.data["y"].to_numpy(float)
        report.iv = _attempt(report, "anderson_rubin", lambda: iv_inference(y, d, z, exog, g, names=arms)) \
            or iv_inference(y, d, z, exog, g, anderson_rubin_sets=False, names=arms)
        report.ujive = _attempt(report, "ujive", lambda: jive(y, d, g, exog, names=arms))
        report.exclusion_monotonicity = _attempt(report, "exclusion_monotonicity", lambda: exclusion_monotonicity_test(
            y, d, g, exog, min_clients=disclosure_min, names=arms))
    return report
