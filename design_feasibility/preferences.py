"""Caseworker preferences as in annex B4.1-B4.2 of the report.

(1) multinomial logit of the department on client covariates; (2) residual = referral dummy
minus predicted probability; (3) preference of client i's caseworker = mean residual of the
caseworker's *other* clients (leave-one-out), for every department.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from design_feasibility.frame import AnalysisFrame


@dataclass
class Preferences:
    probabilities: pd.DataFrame   # MNLogit predicted probability per department
    residuals: pd.DataFrame       # referral dummy - predicted probability
    loo: pd.DataFrame             # leave-one-out caseworker preference per department
    by_caseworker: pd.DataFrame   # per caseworker: clients, mean residual and share per department
    treated: tuple[str, ...]      # the arms compared with the reference (one instrument each)


def design_matrix(covariates: pd.DataFrame) -> pd.DataFrame:
    return sm.add_constant(covariates, has_constant="add")


def arm_codes(frame: AnalysisFrame) -> dict[str, int]:
    """MNLogit codes of the arms: the reference is the base category (0); predicted
    probabilities do not depend on the base. With two arms this is the binary logit."""
    return {arm: code for code, arm in enumerate((frame.arms.reference, *frame.arms.treated))}


def referral_model(frame: AnalysisFrame, exog: pd.DataFrame | None = None):
    """The multinomial logit of the referral on the covariates (statsmodels MNLogit)."""
    codes = frame.data["department"].map(arm_codes(frame)).to_numpy()
    exog = design_matrix(frame.covariates) if exog is None else exog
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.MNLogit(codes, exog).fit(method="newton", maxiter=100, disp=False)


def leave_one_out(values: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Mean of `values` over the other members of each row's group."""
    grouped = values.groupby(groups.to_numpy())
    total, size = grouped.transform("sum"), grouped.transform("size")
    return (total - values).div(size - 1, axis=0)


def estimate_preferences(frame: AnalysisFrame) -> Preferences:
    model = referral_model(frame)
    predicted = np.asarray(model.predict())
    names = frame.arms.names
    probabilities = pd.DataFrame(predicted, columns=list(arm_codes(frame)))[list(names)]
    actual = pd.DataFrame({d: frame.dummies(d) for d in names})
    residuals = actual - probabilities
    caseworker = frame.data["caseworker"]
    loo = leave_one_out(residuals, caseworker)
    by_caseworker = pd.concat(
        [actual.groupby(caseworker.to_numpy()).size().rename("clients"),
         actual.groupby(caseworker.to_numpy()).mean().add_prefix("share_"),
         residuals.groupby(caseworker.to_numpy()).mean().add_prefix("preference_")], axis=1)
    return Preferences(probabilities, residuals, loo, by_caseworker, frame.arms.treated)
