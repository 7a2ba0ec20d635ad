"""First-stage strength: Montiel Olea-Pflueger effective F with clustered errors.

For one endogenous regressor d and k instruments z (both net of the exogenous controls W),
first-stage coefficients p = (Z'Z)^-1 Z'd and their clustered (CR1) covariance
V = (Z'Z)^-1 Omega (Z'Z)^-1, the effective F is

    F_eff = p' (Z'Z) p / tr(V (Z'Z))                (Montiel Olea & Pflueger 2013, eq. 9)

It equals the non-robust first-stage F under homoskedasticity and the robust (clustered) Wald
F when k = 1. Stock-Yogo critical values assume homoskedastic, serially uncorrelated errors
and do not apply with clustered errors (Andrews, Stock & Sun 2019, Annual Review of
Economics, sec. 4); F_eff is compared with the MOP critical value instead.

Critical value (MOP 2013, "A robust test for weak instruments", JBES 31(3), sec. 4, the
"simplified" test for TSLS): null of weak instruments = Nagar bias of 2SLS may exceed a share
tau of the worst-case (OLS-type) benchmark, test size alpha; with W2 = Q^-1/2 Omega Q^-1/2 and
x = 1/tau, K_eff = tr(W2)^2 (1 + 2x) / (tr(W2 W2) + 2x tr(W2) maxeig(W2)), the critical value
is the 1-alpha quantile of a noncentral chi2(K_eff, x K_eff) divided by K_eff. Its upper
bound over all error structures, reached at K_eff = 1, is 23.109 for tau = 10%, alpha = 5%
(37.418 for tau = 5%): the widely quoted "effective F above 23.1" rule. Both are reported.

Per arm: with several arms, each arm dummy is treated as the one endogenous regressor of its
own first stage on all instruments (the MOP test is defined for one endogenous regressor);
the Sanderson-Windmeijer conditional F of the existing diagnostics remains the check that
the instruments separate the arms from each other.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import ncx2

from design_feasibility.inference._core import (as_matrix, cluster_codes, cluster_sums,
                                                cr1_factor, independent_columns, names_of,
                                                partial_out, with_constant)


@dataclass
class EffectiveF:
    arm: str
    f_eff: float                  # Montiel Olea-Pflueger effective F (clustered, CR1)
    k: int                        # instruments
    k_eff: float                  # MOP effective degrees of freedom
    critical_value: float         # MOP simplified TSLS critical value at K_eff
    conservative_critical_value: float   # its upper bound (K_eff = 1): 23.109 at tau 10%, 5%
    tau: float
    alpha: float
    strong: bool                  # f_eff > critical_value
    robust_f: float               # clustered Wald / k (the usual "robust F", for comparison)
    nonrobust_f: float            # homoskedastic first-stage F (what Stock-Yogo assumes)
    reference: str = "Montiel Olea & Pflueger (2013), JBES 31(3): simplified TSLS test"


def mop_critical_value(k_eff: float, tau: float = 0.10, alpha: float = 0.05) -> float:
    x = 1 / tau
    return float(ncx2.ppf(1 - alpha, k_eff, x * k_eff) / k_eff)


def effective_f(endog, instruments, exog=None, clusters=None, *, tau: float = 0.10,
                alpha: float = 0.05, names=None) -> list[EffectiveF]:
    """Effective F of each arm's first stage (endog column) on all instruments.

    Parameters
    ----------
    endog : (n, m) arm dummies; instruments : (n, k); exog : (n, p) controls (constant
    added if missing); clusters : (n,) caseworker labels; tau : tolerated Nagar bias relative
    to the benchmark (0.10 = 10%); alpha : size of the weak-instrument test.

    Returns
    -------
    list of EffectiveF, one per arm.
    """
    d = as_matrix(endog)
    names = list(names) if names is not None else names_of(endog, "arm", d.shape[1])
    n = d.shape[0]
    w = with_constant(exog, n)
    w = w[:, independent_columns(w)]
    zt = partial_out(as_matrix(instruments), w)
    dt = partial_out(d, w)
    codes, g = cluster_codes(clusters)
    k = zt.shape[1]
    qzz = zt.T @ zt
    q_inv = np.linalg.inv(qzz)
    evals, evecs = np.linalg.eigh(qzz)
    q_half_inv = evecs @ np.diag(evals ** -0.5) @ evecs.T
    out = []
    for j, name in enumerate(names):
        pi = q_inv @ (zt.T @ dt[:, j])
        v = dt[:, j] - zt @ pi
        s = cluster_sums(zt * v[:, None], codes, g)
        omega = s.T @ s * cr1_factor(n, w.shape[1] + k, g)
        f_eff = float(pi @ qzz @ pi / np.trace(q_inv @ omega))
        w2 = q_half_inv @ omega @ q_half_inv
        x = 1 / tau
        tr, tr2, top = np.trace(w2), np.trace(w2 @ w2), np.linalg.eigvalsh(w2).max()
        k_eff = float(tr ** 2 * (1 + 2 * x) / (tr2 + 2 * x * tr * top))
        crit = mop_critical_value(k_eff, tau, alpha)
        cov = q_inv @ omega @ q_inv
        robust = float(pi @ np.linalg.solve(cov, pi) / k)
        sigma2 = float(v @ v) / (n - w.shape[1] - k)
        nonrobust = float(pi @ qzz @ pi / k / sigma2)
        out.append(EffectiveF(name, f_eff, k, k_eff, crit, mop_critical_value(1.0, tau, alpha),
                              tau, alpha, bool(f_eff > crit), robust, nonrobust))
    return out


