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


def run_inference(frame: AnalysisFrame, prefs: Preferences, *, disclosure_min: int = 10,
                  bootstrap: int = 0) -> InferenceReport:
    exog, treated = controls(frame), list(frame.arms.treated)
    d, z, g = treatments(frame), instruments(prefs), clusters(frame).to_numpy()
    balance = {dep: joint_balance(prefs.loo[dep], frame.covariates, frame.cells, g,
                                  bootstrap=bootstrap, index=prefs.probabilities[dep])
               for dep in treated}
    report = InferenceReport(balance, effective_f(d, z, exog, g, names=treated))
    if frame.has_outcome:
        y = frame.data["y"].to_numpy(float)
        report.iv = iv_inference(y, d, z, exog, g, names=treated)
        try:
            report.ujive = jive(y, d, g, exog, names=treated)
        except (ValueError, ArithmeticError) as error:   # e.g. leverage 1
            report.notes.append(f"ujive: {error}")
        report.exclusion_monotonicity = exclusion_monotonicity_test(
            y, d, g, exog, min_clients=disclosure_min, names=treated)
    return report
