"""Table 5.3 and 5.5 of the report: raw difference, OLS on covariates and the IV estimate.

All three are linear probability models of the outcome on the dummies of the treated arms
(in Rotterdam Matching and Activering; the reference arm, Prematching, has none), with standard
errors clustered by caseworker (CR1: the small-sample factor G/(G-1) * (n-1)/(n-k), as Stata).
The IV uses the leave-one-out caseworker preferences for the treated arms as instruments
(annex B4.3).
"""
from __future__ import annotations

import pandas as pd
import statsmodels.api as sm
from linearmodels.iv import IV2SLS

from core import LANGUAGES
from core.texts import format_number
from design_feasibility.config import TEXTS
from design_feasibility.frame import SUBGROUPS, AnalysisFrame
from design_feasibility.inference.iv import IVInference, iv_inference
from design_feasibility.preferences import Preferences
from design_feasibility.result import Estimate, SubgroupEstimate


def nonconstant(columns: pd.DataFrame) -> pd.DataFrame:
    return columns.loc[:, columns.nunique() > 1]


def controls(frame: AnalysisFrame, covariates: bool = True, rows=None) -> pd.DataFrame:
    """Constant, client covariates and team/period cells (within which assignment is random)."""
    parts = [frame.covariates, frame.cells] if covariates else []
    exog = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=frame.data.index)
    if rows is not None:
        exog = exog.loc[rows]
    return sm.add_constant(nonconstant(exog), has_constant="add")


def treatments(frame: AnalysisFrame) -> pd.DataFrame:
    return pd.DataFrame({d: frame.dummies(d) for d in frame.arms.treated}, index=frame.data.index)


def instruments(prefs: Preferences) -> pd.DataFrame:
    return prefs.loo[list(prefs.treated)].add_prefix("preference_")


def clusters(frame: AnalysisFrame) -> pd.Series:
    return pd.Series(pd.factorize(frame.data["caseworker"])[0], index=frame.data.index)


def fit(y, exog, endog=None, instr=None, groups=None):
    """Linear model (2SLS when endog/instr given) with CR1 caseworker-clustered errors."""
    return IV2SLS(y, exog, endog, instr).fit(cov_type="clustered", clusters=groups, debiased=True)


def _rows(result, method: str, n: int, frame: AnalysisFrame) -> list[Estimate]:
    ci = result.conf_int()
    return [Estimate(method=method, department=d, estimate=float(result.params[d]),
                     se=float(result.std_errors[d]), ci_low=float(ci.loc[d, "lower"]),
                     ci_high=float(ci.loc[d, "upper"]), n=n, reference=frame.arms.reference)
            for d in frame.arms.treated]


def primary_iv(frame: AnalysisFrame, prefs: Preferences, rows=None) -> IVInference:
    """The IV with its primary inference (CR3 below 100 caseworkers, else CR1; t(G-1))."""
    rows = frame.data.index if rows is None else rows
    return iv_inference(frame.data.loc[rows, "y"].to_numpy(float), treatments(frame).loc[rows],
                        instruments(prefs).loc[rows], controls(frame, rows=rows), clusters(frame).loc[rows].to_numpy(),
                        anderson_rubin_sets=False)


def iv_rows(primary: IVInference, reference: str) -> list[Estimate]:
    """One IV estimate per arm with the primary standard error and interval (method named),
    and the Anderson-Rubin set's outer ends when it was computed (+-inf: unbounded)."""
    out = []
    for arm in primary.arms:
        ends = arm.ar.intervals if arm.ar is not None and not arm.ar.empty else []
        out.append(Estimate(method="iv", department=arm.arm, estimate=arm.estimate, se=arm.se,
                            ci_low=arm.ci[0], ci_high=arm.ci[1], n=primary.n, inference=arm.primary_method,
                            ar_low=ends[0][0] if ends else None, ar_high=ends[-1][1] if ends else None,
                            reference=reference))
    return out


def table_estimates(frame: AnalysisFrame, prefs: Preferences, primary: IVInference | None = None) -> list[Estimate]:
    """Raw difference, OLS with covariates, IV - every treated arm vs the reference.

    The IV's standard error and interval are the primary ones of
    `design_feasibility.inference.iv_inference` (`primary`, computed when not given): the
    cluster jackknife (CR3, t(G-1)) when caseworkers are few, where CR1 covers too rarely
    (0.86 with 15 caseworkers, 0.98 with CR3)."""
    y, d, g, n = frame.data["y"], treatments(frame), clusters(frame), len(frame.data)
    raw = fit(y, pd.concat([controls(frame, covariates=False), d], axis=1), groups=g)
    ols = fit(y, pd.concat([controls(frame), d], axis=1), groups=g)
    return (_rows(raw, "raw", n, frame) + _rows(ols, "ols", n, frame)
            + iv_rows(primary or primary_iv(frame, prefs), frame.arms.reference))


EFFECT_RANGE = (-1.0, 1.0)     # a difference between two chances (proportion points)


def outside_range(estimate: Estimate) -> bool:
    """The estimate's 95% interval leaves the range a difference in chances can have: the
    group is too small for an estimate (such an estimate is marked and not to be used)."""
    low, high = EFFECT_RANGE
    return estimate.ci_low < low or estimate.ci_high > high


def estimate_names(estimates: list[Estimate]) -> dict[str, str]:
    """The estimates as a reader names them, per language: "Activering, opleiding hoog: -55,1
    (-187,6 .. 77,4)" (percentage points)."""
    def name(e: Estimate, lang: str) -> str:
        what = (f"{TEXTS('group.' + e.group, lang)} {e.level}" if isinstance(e, SubgroupEstimate)
                else TEXTS("method." + e.method, lang))
        points = [format_number(100 * v, lang, "+.1f") for v in (e.estimate, e.ci_low, e.ci_high)]
        return f"{e.department}, {what}: {points[0]} ({points[1]} .. {points[2]})"
    return {lang: "; ".join(name(e, lang) for e in estimates) for lang in LANGUAGES}


def reportable(frame: AnalysisFrame, rows, minimum: int) -> bool:
    """Every arm's cell of the subgroup has at least `minimum` clients (disclosure)."""
    counts = frame.data.loc[rows, "department"].value_counts()
    return len(counts) == len(frame.arms.names) and counts.min() >= minimum


def reportable_subgroups(frame: AnalysisFrame, minimum: int):
    """(group, level, rows) of every known subgroup where each department cell has at least
    `minimum` clients (disclosure) and there are at least two caseworkers."""
    for group in SUBGROUPS:
        for level, part in frame.data.groupby(group):
            if level != "onbekend" and reportable(frame, part.index, minimum) and part["caseworker"].nunique() > 1:
                yield group, str(level), part.index


def subgroup_estimates(frame: AnalysisFrame, prefs: Preferences, minimum: int) -> list[SubgroupEstimate]:
    """IV estimates per age band, sex, education and origin (Table 5.5), only where every
    group x department cell meets the disclosure minimum and the model is identified; with
    the primary inference of the full-sample IV (CR3 below 100 caseworkers of the subgroup)."""
    out = []
    for group, level, rows in reportable_subgroups(frame, minimum):
        try:
            primary = primary_iv(frame, prefs, rows)
        except (ValueError, ArithmeticError):
            continue
        out += [SubgroupEstimate(**vars(row), group=group, level=level)
                for row in iv_rows(primary, frame.arms.reference)]
    return out
