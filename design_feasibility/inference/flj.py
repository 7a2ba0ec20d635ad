"""A joint test of exclusion and monotonicity at the caseworker level (Frandsen, Lefgren &
Leslie 2023, "Judging judge fixed effects", American Economic Review 113(1): 253-277).

Idea (FLL, sec. II-III): if caseworkers affect the outcome only through the referral
(exclusion) and every client who is referred by a lenient caseworker would also be referred
by a stricter one (monotonicity), then each caseworker's mean outcome is a function of his or
her referral propensity alone: caseworkers with the same propensity have the same mean
outcome. With effects that do not vary along the propensity (the linear case used here) the
caseworker means lie on a straight line, E[y | caseworker c] = a + b' p_c, with p_c the
caseworker's propensity to refer to each arm, and the slope is bounded by the range of the
outcome. FLL test that the caseworker fixed effects in the outcome equation are explained by
the propensity (plus the slope bound); Stata's `testjfe` implements it.

Formulation here: the overidentifying-restrictions (Hansen 1982 J) test of the linear model
y = W g + D b + e with the caseworker dummies as instruments, two-step efficient GMM with a
heteroskedasticity-robust weight (clients independent given the caseworker). J compares the
departures of the caseworker means of y - D b from a common value with their sampling noise:
a weighted lack-of-fit test of the caseworker means against the line, both estimated.
Under the null J ~ chi2(C - m), C the number of caseworker dummies beyond the controls W and
m the number of arms. Team/period cells belong in W (assignment is random within cells);
caseworker means in the chart are net of W (plus the overall mean).

What it cannot see. The test sees a violation only when it moves caseworkers' mean
outcomes off the line their referral propensities predict: defiers whom caseworkers steer in
directions of their own (not tied to their propensity), or a caseworker effect on the outcome
beyond the referral (advice, pressure, sanctions). Defiers who simply mirror each caseworker's
preference (a fixed share of clients does the opposite of what the caseworker prefers) keep
the means exactly on a line - the IV estimate is then a mixture of complier and defier
effects with a negative weight, and neither this test nor any test on caseworker-level means
can detect it. Nonlinearity from effects that vary with the propensity (an upward-sloping MTE)
also rejects linearity without violating the assumptions; with few caseworkers and large
caseloads the test has power against small departures, with many small caseloads little.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import chi2

from design_feasibility.inference._core import (as_matrix, as_vector, cluster_codes, cluster_sums,
                                                independent_columns, names_of, partial_out,
                                                with_constant)
from design_feasibility.inference.jive import caseworker_dummies


@dataclass
class CaseworkerPoint:
    clients: int
    propensity: dict[str, float]   # share referred to each arm, net of the controls (+ overall share)
    mean_outcome: float            # net of the controls (+ overall mean)
    fitted: float                  # on the estimated line


@dataclass
class ExclusionMonotonicity:
    j: float                       # Hansen J statistic
    df: int                        # C - m
    p: float
    slope: dict[str, float]        # b per arm (GMM)
    intercept: float               # line through the overall means
    outcome_range: float           # max(y) - min(y): FLL's bound on |slope|
    slope_within_bounds: bool
    caseworkers: int               # all caseworkers used in the test
    n: int
    min_clients: int               # disclosure minimum for the chart points
    points: list[CaseworkerPoint] = field(default_factory=list)   # only >= min_clients
    hidden: int = 0                # caseworkers not shown (fewer than min_clients)
    mean_propensity: dict[str, float] = field(default_factory=dict)   # share of all clients in each arm

    def by_arm(self) -> list[dict]:
        """The chart's rows, one panel per arm: each shown caseworker's share referred to the
        arm, his or her mean outcome net of the other arms' part of the line (a partial
        residual), and the line in this arm alone - so the points scatter around a straight
        line exactly as the caseworker means scatter around the fitted values."""
        mean = self.intercept + sum(self.slope[a] * self.mean_propensity[a] for a in self.slope)
        rows = []
        for arm, b in self.slope.items():
            for pt in self.points:
                line = mean + b * (pt.propensity[arm] - self.mean_propensity[arm])
                rows.append({"department": arm, "clients": pt.clients, "propensity": pt.propensity[arm],
                             "mean_outcome": line + pt.mean_outcome - pt.fitted, "line": line})
        return rows

    def chart_frame(self) -> pd.DataFrame:
        rows = [{"clients": p.clients, **{f"propensity_{k}": v for k, v in p.propensity.items()},
                 "mean_outcome": p.mean_outcome, "fitted": p.fitted} for p in self.points]
        return pd.DataFrame(rows)


def exclusion_monotonicity_test(y, endog, caseworkers, exog=None, *, min_clients: int = 10,
                                names=None) -> ExclusionMonotonicity:
    """FLL-type joint test that caseworker mean outcomes lie on a line in the propensities.

    Parameters
    ----------
    y : (n,) outcome; endog : (n, m) arm dummies; caseworkers : (n,) labels;
    exog : (n, p) controls within which assignment is random (cells; covariates optional),
    constant added if missing; min_clients : disclosure minimum for a chart point.

    Returns
    -------
    ExclusionMonotonicity with J, df, p, the GMM slope(s) and the chart points.
    """
    yv = as_vector(y)
    n = len(yv)
    d = as_matrix(endog)
    m = d.shape[1]
    names = list(names) if names is not None else names_of(endog, "arm", m)
    w = with_constant(exog, n)
    w = w[:, independent_columns(w)]
    dummies = caseworker_dummies(caseworkers)
    full = np.column_stack([w, dummies])
    keep = independent_columns(full)
    extra = [j - w.shape[1] for j in keep if j >= w.shape[1]]
    yt, dt = partial_out(yv[:, None], w)[:, 0], partial_out(d, w)
    zt = partial_out(dummies[:, extra], w)
    c = zt.shape[1]

    # step 1: 2SLS with the caseworker dummies; step 2: efficient GMM with the robust weight
    zz_inv = np.linalg.pinv(zt.T @ zt)
    zd, zy = zt.T @ dt, zt.T @ yt
    b1 = np.linalg.solve(zd.T @ zz_inv @ zd, zd.T @ zz_inv @ zy)
    e1 = yt - dt @ b1
    s = (zt * e1[:, None] ** 2).T @ zt
    s_inv = np.linalg.pinv(s)
    b2 = np.linalg.solve(zd.T @ s_inv @ zd, zd.T @ s_inv @ zy)
    g = zt.T @ (yt - dt @ b2)
    j = float(g @ s_inv @ g)
    df = c - m
    p = float(chi2.sf(j, df)) if df > 0 else float("nan")

    codes, n_cw = cluster_codes(caseworkers)
    counts = np.bincount(codes, minlength=n_cw)
    ybar, dbar = yv.mean(), d.mean(axis=0)
    mean_y = cluster_sums(yt[:, None], codes, n_cw)[:, 0] / counts + ybar
    mean_d = cluster_sums(dt, codes, n_cw) / counts[:, None] + dbar
    fitted = ybar + (mean_d - dbar) @ b2
    shown = np.flatnonzero(counts >= min_clients)
    points = [CaseworkerPoint(int(counts[i]), {nm: float(mean_d[i, k]) for k, nm in enumerate(names)},
                              float(mean_y[i]), float(fitted[i])) for i in shown]
    points.sort(key=lambda pt: pt.fitted)
    yrange = float(yv.max() - yv.min())
    return ExclusionMonotonicity(
        j=j, df=int(df), p=p, slope={nm: float(b) for nm, b in zip(names, b2)},
        intercept=float(ybar - dbar @ b2), outcome_range=yrange,
        slope_within_bounds=bool(np.all(np.abs(b2) <= yrange)), caseworkers=int(n_cw), n=n,
        min_clients=min_clients, points=points, hidden=int(n_cw - len(shown)),
        mean_propensity={nm: float(v) for nm, v in zip(names, dbar)})
