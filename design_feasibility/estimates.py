"""Table 5.3 and 5.5 of the report: raw difference, OLS on covariates and the IV estimate.

All three are linear probability models of the outcome on Matching and Activering dummies
(Prematching is the reference), with standard errors clustered by caseworker (CR1: the
small-sample factor G/(G-1) * (n-1)/(n-k), as Stata). The IV uses the leave-one-out caseworker
preferences for Matching and Activering as instruments (annex B4.3).
"""
from __future__ import annotations

import pandas as pd
import statsmodels.api as sm
from linearmodels.iv import IV2SLS

from core import LANGUAGES
from core.texts import format_number
from design_feasibility.config import TEXTS
from design_feasibility.frame import SUBGROUPS, TREATED, AnalysisFrame
from design_feasibility.inference.iv import iv_inference
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
    return pd.DataFrame({d: frame.dummies(d) for d in TREATED}, index=frame.data.index)


def instruments(prefs: Preferences) -> pd.DataFrame:
    return prefs.loo[list(TREATED)].add_prefix("preference_")


def clusters(frame: AnalysisFrame) -> pd.Series:
    return pd.Series(pd.factorize(frame.data["caseworker"])[0], index=frame.data.index)


def fit(y, exog, endog=None, instr=None, groups=None):
    """Linear model (2SLS when endog/instr given) with CR1 caseworker-clustered errors."""
    return IV2SLS(y, exog, endog, instr).fit(cov_type="clustered", clusters=groups, debiased=True)


def _rows(result, method: str, n: int) -> list[Estimate]:
    ci = result.conf_int()
    return [Estimate(method=method, department=d, estimate=float(result.params[d]),
                     se=float(result.std_errors[d]), ci_low=float(ci.loc[d, "lower"]),
                     ci_high=float(ci.loc[d, "upper"]), n=n) for d in TREATED]


def iv_model(frame: AnalysisFrame, prefs: Preferences, rows=None):
    rows = frame.data.index if rows is None else rows
    return fit(frame.data.loc[rows, "y"], controls(frame, rows=rows), treatments(frame).loc[rows],
               instruments(prefs).loc[rows], clusters(frame).loc[rows])


def table_estimates(frame: AnalysisFrame, prefs: Preferences) -> list[Estimate]:
    """Raw difference, OLS with covariates, IV - Matching and Activering vs Prematching.

    The IV's standard error and interval are the primary ones of
    `design_feasibility.inference.iv_inference`: the cluster jackknife (CR3, t(G-1)) when
    caseworkers are few, where CR1 covers too rarely (0.86 with 15 caseworkers, 0.98 with CR3)."""
    y, d, g, n = frame.data["y"], treatments(frame), clusters(frame), len(frame.data)
    raw = fit(y, pd.concat([controls(frame, covariates=False), d], axis=1), groups=g)
    ols = fit(y, pd.concat([controls(frame), d], axis=1), groups=g)
    iv = _rows(iv_model(frame, prefs), "iv", n)
    primary = iv_inference(y.to_numpy(float), d, instruments(prefs), controls(frame), g.to_numpy(),
                           anderson_rubin_sets=False, names=list(TREATED))
    for row in iv:
        arm = primary.arm(row.department)
        row.se, (row.ci_low, row.ci_high), row.inference = arm.se, arm.ci, arm.primary_method
    return _rows(raw, "raw", n) + _rows(ols, "ols", n) + iv


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
    """Every department cell of the subgroup has at least `minimum` clients (disclosure)."""
    counts = frame.data.loc[rows, "department"].value_counts()
    return len(counts) == 3 and counts.min() >= minimum


def reportable_subgroups(frame: AnalysisFrame, minimum: int):
    """(group, level, rows) of every known subgroup where each department cell has at least
    `minimum` clients (disclosure) and there are at least two caseworkers."""
    for group in SUBGROUPS:
        for level, part in frame.data.groupby(group):
            if level != "onbekend" and reportable(frame, part.index, minimum) and part["caseworker"].nunique() > 1:
                yield group, str(level), part.index


def subgroup_estimates(frame: AnalysisFrame, prefs: Preferences, minimum: int) -> list[SubgroupEstimate]:
    """IV estimates per age band, sex, education and origin (Table 5.5), only where every
    group x department cell meets the disclosure minimum and the model is identified."""
    out = []
    for group, level, rows in reportable_subgroups(frame, minimum):
        try:
            result = iv_model(frame, prefs, rows)
        except (ValueError, ArithmeticError):
            continue
        out += [SubgroupEstimate(**vars(row), group=group, level=level) for row in _rows(result, "iv", len(rows))]
    return out
