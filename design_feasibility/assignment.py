"""Is the caseworker preference usable? Random assignment (balance) and reliability.

Assignment: under random assignment within team and period cells, the mix of clients differs
between caseworkers only by chance. The clients' predicted chances of each treated arm (in
Rotterdam Matching and Activering; from the multinomial logit, i.e. all covariates weighted by
their relevance for the referral) are compared across caseworkers with an F-test of caseworker
dummies on top of the cells; Bonferroni over the treated arms.

Preference balance (covariates against each caseworker preference) is tested with the
small-sample corrected F of `design_feasibility.inference.balance.joint_balance`; the two
arms' p-values are combined with Bonferroni (`combined_p`).

Reliability: the share of the spread of caseworkers' mean residuals that is signal rather than
sampling noise: (var(means) - mean(s2_c / n_c)) / var(means).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import f as f_dist

from design_feasibility.estimates import controls
from design_feasibility.frame import AnalysisFrame
from design_feasibility.preferences import Preferences


@dataclass
class Assignment:
    department: str
    f: float
    p: float
    partial_r2: float   # share of the index's within-cell variance that lies between caseworkers


def _rss(y: np.ndarray, x: np.ndarray) -> tuple[float, int]:
    if x.shape[1] == 0:
        return float(y @ y), 0
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    return float(resid @ resid), int(np.linalg.matrix_rank(x))


def _within(values: pd.DataFrame, groups: np.ndarray) -> np.ndarray:
    """Deviation from the caseworker mean (the caseworker dummies partialled out)."""
    return (values - values.groupby(groups).transform("mean")).to_numpy(float)


def assignment(frame: AnalysisFrame, prefs: Preferences) -> list[Assignment]:
    """F-test of caseworker dummies on top of the cells; the unrestricted model is fitted
    within caseworkers (Frisch-Waugh-Lovell), so no n x G dummy matrix is formed."""
    groups = frame.data["caseworker"].to_numpy()
    n_workers = len(np.unique(groups))
    cells = controls(frame, covariates=False).join(frame.cells).to_numpy()
    cells_within = _within(frame.cells.reset_index(drop=True), groups)
    n = len(frame.data)
    out = []
    for department in frame.arms.treated:
        index = prefs.probabilities[department]
        rss_r, k_r = _rss(index.to_numpy(), cells)
        rss_u, k_within = _rss(_within(index.to_frame(), groups)[:, 0], cells_within)
        k_u = n_workers + k_within
        q, df = k_u - k_r, n - k_u
        if q < 1 or df < 1 or rss_u <= 0:
            out.append(Assignment(department, 0.0, 1.0, 0.0))
            continue
        f = ((rss_r - rss_u) / q) / (rss_u / df)
        out.append(Assignment(department, float(f), float(f_dist.sf(f, q, df)), float(1 - rss_u / rss_r)))
    return out


def combined_p(results: list) -> float:
    return min(1.0, len(results) * min(b.p for b in results))


def reliability(prefs: Preferences, department: str, frame: AnalysisFrame) -> float:
    residual = prefs.residuals[department]
    stats = residual.groupby(frame.data["caseworker"].to_numpy()).agg(["mean", "var", "size"])
    total = float(stats["mean"].var())
    if not total > 0:
        return 0.0
    noise = float((stats["var"] / stats["size"]).mean())
    return max(0.0, (total - noise) / total)


def caseloads(frame: AnalysisFrame) -> pd.Series:
    return frame.data.groupby("caseworker").size()
