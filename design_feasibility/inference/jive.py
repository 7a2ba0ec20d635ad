"""Jackknife IV with caseworker dummies as instruments: JIVE1 and UJIVE.

The Rotterdam two-step uses the leave-one-out mean residual of the caseworker as a single
constructed instrument per arm. A researcher will want to see that the estimate does not hinge
on that construction; the standard alternatives in the judge literature instrument the arm
dummies D with the caseworker dummies directly, leaving each client out of their own first
stage to avoid the many-instrument bias of 2SLS:

- JIVE1 (Angrist, Imbens & Krueger 1999, J. Applied Econometrics 14(1)): with Z = [W,
  caseworker dummies], h_i the leverage of client i in Z, the leave-one-out first-stage fit
  D~_i = (P_Z D - h_i D_i)_i / (1 - h_i); beta = (X~'X)^-1 X~'y with X = [W, D], X~ = [W, D~].
  This is exactly linearmodels' `IVJIVE` (linearmodels 7.1), which the tests check against.
- UJIVE (Kolesar 2013, "Estimation in an instrumental variables model with treatment effect
  heterogeneity", working paper; used in Kolesar's ManyIV and Stata's manyiv): also the
  controls' projection is left out, X~ = (I - D_Z)^-1 (P_Z - D_Z) D - (I - D_W)^-1 (P_W - D_W)
  D, beta = (X~'D)^-1 X~'y. It stays consistent with many covariates/cells and estimates a
  convex combination of arm effects under heterogeneity (Kolesar 2013).

Standard errors: caseworker-clustered sandwich with X~ as the instrument (JIVE1: the same as
linearmodels' clustered covariance with debiased=True; UJIVE: residuals net of W, factor
G/(G-1)). These are the usual "few-instrument" standard errors; with many weak instruments
they can be too small (Chao et al. 2012; Evdokimov & Kolesar 2018) - use them to compare
point estimates, the primary inference stays with `iv_inference`.

Cell dummies nested within caseworkers are fine: collinear columns of Z are dropped (the
projection only depends on the column space). A caseworker with a single client has leverage
1 and makes JIVE undefined: such clients must be dropped first.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import t as t_dist

from design_feasibility.inference._core import (as_matrix, as_vector, cluster_codes, cluster_sums,
                                                cr1_factor, independent_columns, names_of,
                                                orthonormal_basis, with_constant)


@dataclass
class JiveArm:
    arm: str
    estimate: float
    se: float
    ci: tuple[float, float]    # t(G-1)


@dataclass
class Jive:
    method: str                 # "UJIVE" or "JIVE1"
    n: int
    clusters: int
    instruments: int            # rank of the caseworker dummies beyond the controls
    arms: list[JiveArm]

    def arm(self, name: str) -> JiveArm:
        return next(a for a in self.arms if a.arm == name)


def caseworker_dummies(caseworkers) -> np.ndarray:
    codes, g = cluster_codes(caseworkers)
    out = np.zeros((len(codes), g))
    out[np.arange(len(codes)), codes] = 1.0
    return out


def loo_fit(basis: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Leave-one-out fitted values (P v - h v) / (1 - h) of the projection on `basis`."""
    h = (basis ** 2).sum(axis=1)
    if np.any(h > 1 - 1e-10):
        raise ValueError("an observation has leverage 1 (e.g. a caseworker with one client)")
    fitted = basis @ (basis.T @ values)
    return (fitted - h[:, None] * values) / (1 - h)[:, None]


def jive(y, endog, caseworkers, exog=None, clusters=None, *, method: str = "ujive",
         level: float = 0.95, names=None) -> Jive:
    """JIVE1 or UJIVE of y on the arm dummies, instrumented by caseworker dummies.

    Parameters
    ----------
    y : (n,) outcome; endog : (n, m) arm dummies; caseworkers : (n,) labels (the instruments);
    exog : (n, p) controls (constant added if missing); clusters : (n,) labels for the
    standard errors (default: the caseworkers); method : "ujive" or "jive1".

    Returns
    -------
    Jive with one JiveArm per endogenous column.
    """
    yv = as_vector(y)
    n = len(yv)
    d = as_matrix(endog)
    names = list(names) if names is not None else names_of(endog, "arm", d.shape[1])
    w = with_constant(exog, n)
    w = w[:, independent_columns(w)]
    z = np.column_stack([w, caseworker_dummies(caseworkers)])
    qz = orthonormal_basis(z)
    codes, g = cluster_codes(caseworkers if clusters is None else clusters)
    m = d.shape[1]
    method = method.lower()
    if method == "jive1":
        dz = loo_fit(qz, d)
        x, xt = np.column_stack([w, d]), np.column_stack([w, dz])
        beta = np.linalg.solve(xt.T @ x, xt.T @ yv)
        e = yv - x @ beta
        bread = np.linalg.inv(xt.T @ x)
        s = cluster_sums(xt * e[:, None], codes, g)
        cov = bread @ (s.T @ s) @ bread.T * cr1_factor(n, x.shape[1], g)
        b, cov = beta[-m:], cov[-m:, -m:]
    elif method == "ujive":
        qw = orthonormal_basis(w)
        xt = loo_fit(qz, d) - loo_fit(qw, d)
        b = np.linalg.solve(xt.T @ d, xt.T @ yv)
        r = yv - d @ b
        e = r - qw @ (qw.T @ r)
        bread = np.linalg.inv(xt.T @ d)
        s = cluster_sums(xt * e[:, None], codes, g)
        cov = bread @ (s.T @ s) @ bread.T * g / (g - 1)
    else:
        raise ValueError(f"unknown method {method!r} (ujive or jive1)")
    crit = float(t_dist.ppf(0.5 + level / 2, g - 1))
    se = np.sqrt(np.diag(cov))
    arms = [JiveArm(nm, float(bj), float(sj), (float(bj - crit * sj), float(bj + crit * sj)))
            for nm, bj, sj in zip(names, b, se)]
    return Jive("UJIVE" if method == "ujive" else "JIVE1", n, g, qz.shape[1] - len(independent_columns(w)), arms)


def jive_frame(result: Jive) -> pd.DataFrame:
    return pd.DataFrame([vars(a) for a in result.arms]).assign(method=result.method)
