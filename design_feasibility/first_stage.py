"""First-stage diagnostics with one endogenous dummy and one preference per treated arm
(Rotterdam: Matching and Activering, Prematching the reference; any 2 to 8 arms).

- Sanderson-Windmeijer (2016) conditional F per arm, with a caseworker-clustered (CR1)
  Wald statistic: after partialling out the controls, the other arms' dummies are
  projected out by 2SLS (with one treated arm: nothing to project out), and the remainder is regressed on both instruments; the Wald statistic
  is divided by L - K + 1 = 1.
- Grey area (annex B4.4, Table B4.1): every client's referral predicted as if the caseworker
  were the one with the weakest and the one with the strongest preference for a department
  (5% extremes trimmed). "Certainly yes": that department is the most likely one with both;
  "certainly no": with neither; "maybe": it depends on the caseworker. The report used the
  linear first stage and counted predictions outside [0, 1]; with a linear model that puts
  nearly everyone in the grey area, so the predicted department comes from a multinomial logit
  of the referral on the covariates and all preferences (the first stage's logit analogue).
- Monotonicity: sign of each department's own-preference coefficient in subgroups.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.disclosure import marked
from design_feasibility.config import caseworker_setting
from design_feasibility.estimates import (clusters, controls, fit, instruments,
                                          reportable_subgroups, treatments)
from design_feasibility.frame import AnalysisFrame
from design_feasibility.inference.iv import primary_coefficients
from design_feasibility.preferences import Preferences, arm_codes, design_matrix, referral_model
from design_feasibility.result import GreyArea


CLASSES = ["certainly_yes", "maybe", "certainly_no"]


@dataclass
class ConditionalF:
    department: str
    f: float            # cluster-robust Sanderson-Windmeijer F
    partial_r2: float   # share of the conditional first-stage variance explained by the instruments


def partial_out(values: np.ndarray, exog: np.ndarray) -> np.ndarray:
    beta, *_ = np.linalg.lstsq(exog, values, rcond=None)
    return values - exog @ beta


def cluster_wald(x: np.ndarray, e: np.ndarray, groups: np.ndarray, k_total: int) -> tuple[np.ndarray, float]:
    """OLS of e on x (both already partialled) and the CR1 Wald statistic that all slopes are 0.

    `k_total` counts every regressor of the full model (for the (n-1)/(n-k) factor)."""
    xtx_inv = np.linalg.inv(x.T @ x)
    coef = xtx_inv @ x.T @ e
    resid = e - x @ coef
    scores = pd.DataFrame(x * resid[:, None]).groupby(groups).sum().to_numpy()
    n, g = len(e), len(scores)
    meat = scores.T @ scores * (g / (g - 1)) * ((n - 1) / (n - k_total))
    cov = xtx_inv @ meat @ xtx_inv
    return coef, float(coef @ np.linalg.solve(cov, coef))


def sanderson_windmeijer(endog: np.ndarray, instr: np.ndarray, exog: np.ndarray,
                         groups: np.ndarray) -> list[tuple[float, float]]:
    """(conditional F, conditional partial R2) for each column of `endog`."""
    d, z = partial_out(endog, exog), partial_out(instr, exog)
    n_endog, n_instr = d.shape[1], z.shape[1]
    k_total = exog.shape[1] + n_instr
    def project(values):   # onto the instruments, without forming the n x n projection matrix
        return z @ np.linalg.lstsq(z, values, rcond=None)[0]

    out = []
    for j in range(n_endog):
        others = np.delete(d, j, axis=1)
        if others.shape[1]:
            fitted = project(others)
            delta = np.linalg.solve(fitted.T @ others, fitted.T @ d[:, j])
            e = d[:, j] - others @ delta
        else:
            e = d[:, j]
        _, wald = cluster_wald(z, e, groups, k_total)
        explained = project(e)
        out.append((wald / (n_instr - n_endog + 1), float(explained @ explained / (e @ e))))
    return out


def conditional_f(frame: AnalysisFrame, prefs: Preferences) -> list[ConditionalF]:
    stats = sanderson_windmeijer(treatments(frame).to_numpy(), instruments(prefs).to_numpy(),
                                 controls(frame).to_numpy(), clusters(frame).to_numpy())
    return [ConditionalF(d, f, r2) for d, (f, r2) in zip(frame.arms.treated, stats)]


def grey_area(frame: AnalysisFrame, prefs: Preferences, minimum: int) -> list[GreyArea]:
    """Per arm: every client's referral predicted (most likely arm of a
    multinomial logit on the covariates and all preferences) with the caseworker at the
    trimmed weakest and at the trimmed strongest preference for that department."""
    trim = caseworker_setting("trim_share")
    exog = design_matrix(frame.covariates).join(instruments(prefs))
    model = referral_model(frame, exog)
    workers = prefs.by_caseworker
    order, treated = list(arm_codes(frame)), frame.arms.treated
    counts = []
    for department in frame.arms.names:
        strength = workers[f"preference_{department}"]
        predictions = []
        for q in (trim, 1 - trim):
            chosen = workers.loc[(strength - strength.quantile(q)).abs().idxmin()]
            scenario = exog.assign(**{f"preference_{d}": chosen[f"preference_{d}"] for d in treated})
            probabilities = pd.DataFrame(np.asarray(model.predict(scenario)), columns=order)
            predictions.append(probabilities)
        low, high = (p[department].to_numpy() for p in predictions)
        chosen_low, chosen_high = ((p.idxmax(axis=1) == department).to_numpy() for p in predictions)
        yes, no = int((chosen_low & chosen_high).sum()), int((~chosen_low & ~chosen_high).sum())
        counts.append((department, yes, len(low) - yes - no, no, float(np.mean(np.abs(high - low)))))
    table = pd.DataFrame([c[1:4] for c in counts], columns=CLASSES, index=[c[0] for c in counts])
    shown = marked(table, minimum)   # small parts read "<10", parts hidden to protect them "x"
    return [GreyArea(d, *shown.loc[d], clients=len(frame.data),
                     maybe_share=round(maybe / len(frame.data), 2), expected_switchers=switch)
            for d, _, maybe, _, switch in counts]


@dataclass
class SubgroupSign:
    group: str
    level: str
    department: str
    coefficient: float
    t: float
    p: float            # two-sided, t(G-1)
    method: str         # standard error: CR3 or CR1 (the IV's primary rule)


def subgroup_first_stages(frame: AnalysisFrame, prefs: Preferences, minimum: int) -> list[SubgroupSign]:
    """Own-preference coefficient of each treated arm's first stage, per subgroup, with
    the primary standard error of the IV (CR3 below 100 caseworkers, t(G-1))."""
    z, d, g = instruments(prefs), treatments(frame), clusters(frame)
    out = []
    for group, level, rows in reportable_subgroups(frame, minimum):
        zr, exog, gr = z.loc[rows], controls(frame, rows=rows), g.loc[rows].to_numpy()   # the same for every arm
        for department in frame.arms.treated:
            j = list(z.columns).index(f"preference_{department}")
            try:
                result = primary_coefficients(d.loc[rows, department].to_numpy(float), zr, zr, exog, gr)
            except (ValueError, ArithmeticError):
                continue
            out.append(SubgroupSign(group, level, department, float(result.estimate[j]),
                                    float(result.t[j]), float(result.p[j]), result.method))
    return out


def cross_effects(frame: AnalysisFrame, prefs: Preferences) -> dict[str, dict[str, float]]:
    """Full first stages: coefficient of every preference in every treated arm's equation."""
    exog = pd.concat([controls(frame), instruments(prefs)], axis=1)
    out = {}
    for department in frame.arms.treated:
        result = fit(frame.dummies(department), exog, groups=clusters(frame))
        out[department] = {p: float(result.params[f"preference_{p}"]) for p in frame.arms.treated}
    return out
