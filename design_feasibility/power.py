"""Minimum detectable effects (two-sided test, given power) with clustering by caseworker.

For the IV: MDE = (z_{1-a/2} + z_power) * sqrt(var(y) * DEFF / (n * R2)), with R2 the
conditional first-stage partial R2 of the department (Sanderson-Windmeijer) and
DEFF = 1 + (m - 1) * ICC, m the size-weighted mean caseload (sum n_c^2 / n). When the outcome is
present the IV's own clustered standard error is used instead: MDE = (z + z) * SE.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from design_feasibility.config import shared_setting


def multiplier() -> float:
    alpha, power = shared_setting("alpha"), shared_setting("power")
    return float(norm.ppf(1 - alpha / 2) + norm.ppf(power))


def weighted_caseload(sizes: pd.Series) -> float:
    sizes = sizes.to_numpy(float)
    return float((sizes ** 2).sum() / sizes.sum())


def icc(values: pd.Series, groups: pd.Series) -> float:
    """One-way ANOVA intra-class correlation (unbalanced groups), not below 0."""
    frame = pd.DataFrame({"v": values.to_numpy(float), "g": groups.to_numpy()})
    stats = frame.groupby("g")["v"].agg(["size", "mean"])
    n, k = len(frame), len(stats)
    if k < 2 or n <= k:
        return 0.0
    grand = frame["v"].mean()
    msb = float((stats["size"] * (stats["mean"] - grand) ** 2).sum() / (k - 1))
    within = frame["v"] - frame["g"].map(stats["mean"])
    msw = float((within ** 2).sum() / (n - k))
    m0 = (n - (stats["size"] ** 2).sum() / n) / (k - 1)
    denominator = msb + (m0 - 1) * msw
    return max(0.0, (msb - msw) / denominator) if denominator > 0 else 0.0


def iv_mde(n: int, partial_r2: float, outcome_variance: float, caseload: float, rho: float) -> float:
    if partial_r2 <= 0 or n == 0:
        return float("inf")
    design_effect = 1 + (caseload - 1) * rho
    return multiplier() * float(np.sqrt(outcome_variance * design_effect / (n * partial_r2)))


def two_group_mde(n_each: int, rate: float) -> float:
    """MDE of a before/after (or two-group) comparison of a proportion with n per group."""
    if n_each <= 0:
        return float("inf")
    return multiplier() * float(np.sqrt(2 * rate * (1 - rate) / n_each))
