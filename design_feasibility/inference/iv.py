"""Inference for the judge-design 2SLS that holds with few caseworkers.

Model: y = W g + D b + e, D the n x m endogenous arm dummies (e.g. Matching and Activering,
Prematching the reference), Z the instruments (the leave-one-out caseworker preferences, one
per arm: just identified; more instruments are allowed), W the exogenous controls with a
constant (covariates and team/period cells). Errors are clustered by caseworker.

Standard errors and intervals (all intervals use t(G-1), G = number of caseworkers):
- CR1: the usual clustered sandwich with the factor G/(G-1) (n-1)/(n-k) (Stata, linearmodels
  `debiased=True`). With few clusters it is too small: the issue's Monte Carlo found 75-77%
  coverage of a nominal 95% interval with 15 caseworkers.
- CR3: the delete-one-cluster jackknife, V = (G-1)/G sum_g (b_(g) - b)(b_(g) - b)', b_(g)
  the 2SLS estimate without caseworker g, centred at the full-sample estimate (the "CV3" of
  MacKinnon, Nielsen & Webb 2023, "Fast and reliable jackknife and bootstrap methods for
  cluster-robust inference", J. Applied Econometrics 38(5); and their 2023 guide in the J.
  of Econometrics). The first step (the multinomial logit and the preferences) is taken as
  given: the preferences are not re-estimated without cluster g.
- Primary interval: CR3 when G < FEW_CLUSTERS, else CR1; the method is named in the output.
  See docs/inference.md for the Monte Carlo behind the threshold.

Weak-instrument-robust Anderson-Rubin (1949) confidence set per arm: b0 is in the set when
the instruments do not enter the regression of y - D b0 on W and Z, judged by the clustered
Wald statistic (variance of the primary method: CR3 jackknife of the reduced-form
coefficient with few caseworkers, CR1 otherwise) with the Hotelling-type small-sample reference F*(G-k)/(G-1) ~ F(k, G-k)
(k instruments; for k = 1 this is t(G-1)^2). The set does not depend on instrument strength
and may be a bounded interval, the union of two half-lines, the whole line or empty. With one
endogenous variable and one instrument it is found exactly (a quadratic inequality, as for
Fieller's interval; it is unbounded exactly when the first stage is insignificant at the same
level - Dufour 1997, Econometrica). With several arms the joint AR set is computed on a grid
and projected on each arm (Dufour & Taamouti 2005, Econometrica): valid whatever the strength
of the instruments, conservative for one arm.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import f as f_dist
from scipy.stats import t as t_dist

from design_feasibility.inference._core import (as_matrix, as_vector, cluster_codes, cluster_sums,
                                                cr1_factor, independent_columns, names_of,
                                                partial_out, with_constant)

FEW_CLUSTERS = 100   # CR3 is primary below this many caseworkers (docs/inference.md)
GRID_POINTS = {1: 2001, 2: 241, 3: 41}
# The joint grid has GRID_POINTS[m] ** m points: beyond 3 treated arms (21 ** 4 = 194,481 and
# 21 ** 7 = 1.8e9 points) the projection is not computed and each arm's set is None.
MAX_PROJECTION_ARMS = 3


@dataclass
class ARSet:
    """Anderson-Rubin confidence set of one arm: a union of closed intervals; -inf/inf mark
    unbounded ends. `exact`: solved analytically; otherwise grid inversion (projection when
    there are several arms), resolution `grid_step`, and `grid_limited` says that the set
    reaches the edge of the grid on some side (reported as unbounded there)."""
    intervals: list[tuple[float, float]]
    bounded: bool
    empty: bool
    exact: bool
    projection: bool
    grid_step: float | None = None
    grid_limited: bool = False

    def contains(self, value: float) -> bool:
        return any(lo <= value <= hi for lo, hi in self.intervals)


@dataclass
class ArmInference:
    arm: str
    estimate: float
    se_cr1: float
    ci_cr1: tuple[float, float]
    se_cr3: float
    ci_cr3: tuple[float, float]
    primary_method: str            # "CR3" or "CR1"
    se: float                      # primary
    ci: tuple[float, float]        # primary, t(G-1)
    p: float                       # primary two-sided p-value of b = 0, t(G-1)
    ar: ARSet | None = None


@dataclass
class IVInference:
    n: int
    clusters: int
    level: float
    primary_method: str
    few_clusters: int               # threshold of the rule
    rule: str
    arms: list[ArmInference] = field(default_factory=list)

    def arm(self, name: str) -> ArmInference:
        return next(a for a in self.arms if a.arm == name)


def _tsls(zx, zz, zy):
    """2SLS from cross-products: (A' B^-1 A)^-1 A' B^-1 c (pseudo-inverses when singular,
    e.g. a cell dummy that is empty once a caseworker is left out)."""
    try:
        bz = np.linalg.solve(zz, np.column_stack([zx, zy]))
    except np.linalg.LinAlgError:
        bz = np.linalg.pinv(zz) @ np.column_stack([zx, zy])
    lhs, rhs = zx.T @ bz[:, :-1], zx.T @ bz[:, -1]
    try:
        return np.linalg.solve(lhs, rhs)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(lhs, rhs, rcond=None)[0]


def tsls_cr1_cr3(y, endog, instruments, exog, clusters):
    """2SLS coefficients of the endogenous variables with CR1 and CR3 covariance matrices.

    Returns (beta_endog (m,), cov_cr1 (m x m), cov_cr3 (m x m), G, n)."""
    yv = as_vector(y)
    n = len(yv)
    d, zi = as_matrix(endog), as_matrix(instruments)
    w = with_constant(exog, n)
    w = w[:, independent_columns(w)]
    m = d.shape[1]
    x, z = np.column_stack([w, d]), np.column_stack([w, zi])
    codes, g = cluster_codes(clusters)
    if g < 3:
        raise ValueError(f"clustered inference needs at least 3 caseworkers, not {g}")
    zx, zz, zy = z.T @ x, z.T @ z, z.T @ yv
    beta = _tsls(zx, zz, zy)
    # CR1
    xhat = z @ np.linalg.solve(zz, zx)
    e = yv - x @ beta
    bread = np.linalg.inv(xhat.T @ xhat)
    scores = cluster_sums(xhat * e[:, None], codes, g)
    cov1 = bread @ (scores.T @ scores) @ bread * cr1_factor(n, x.shape[1], g)
    # CR3: delete-one-cluster estimates from cross-products
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(g + 1))
    dev = np.empty((g, m))
    for c in range(g):
        rows = order[bounds[c]:bounds[c + 1]]
        zc = z[rows]
        b_c = _tsls(zx - zc.T @ x[rows], zz - zc.T @ zc, zy - zc.T @ yv[rows])
        dev[c] = b_c[-m:] - beta[-m:]
    cov3 = (g - 1) / g * dev.T @ dev
    return beta[-m:], cov1[-m:, -m:], cov3, g, n


@dataclass
class PrimaryCoefficients:
    """Coefficients with the primary clustered standard error (the rule of `iv_inference`)."""
    estimate: np.ndarray
    se: np.ndarray
    t: np.ndarray
    p: np.ndarray                  # two-sided, t(G-1)
    method: str                    # "CR3" or "CR1"
    clusters: int


def primary_coefficients(y, regressors, instruments, exog=None, clusters=None, *,
                         few_clusters: int = FEW_CLUSTERS) -> PrimaryCoefficients:
    """2SLS (OLS when `instruments` is `regressors`) coefficients of `regressors` given `exog`
    with the primary standard error: CR3 when G < few_clusters, else CR1; t(G-1) p-values."""
    beta, cov1, cov3, g, _ = tsls_cr1_cr3(y, regressors, instruments, exog, clusters)
    method = "CR3" if g < few_clusters else "CR1"
    se = np.sqrt(np.maximum(np.diag(cov3 if method == "CR3" else cov1), 0))
    t = np.divide(beta, se, out=np.full(len(beta), np.nan), where=se > 0)
    return PrimaryCoefficients(beta, se, t, 2 * t_dist.sf(np.abs(t), g - 1), method, g)


def iv_inference(y, endog, instruments, exog=None, clusters=None, *, level: float = 0.95,
                 few_clusters: int = FEW_CLUSTERS, anderson_rubin_sets: bool = True,
                 names=None) -> IVInference:
    """2SLS with CR1 and CR3 (cluster jackknife) intervals, a primary interval and
    Anderson-Rubin confidence sets per arm.

    Parameters
    ----------
    y : (n,) outcome.
    endog : (n, m) arm dummies (DataFrame columns name the arms).
    instruments : (n, k >= m) instruments (leave-one-out preferences).
    exog : (n, p) exogenous controls; a constant is added when none is present.
    clusters : (n,) caseworker labels.
    level : confidence level of all intervals and sets.
    few_clusters : CR3 is the primary method when G < few_clusters, else CR1.
    anderson_rubin_sets : compute the AR set of each arm.

    Returns
    -------
    IVInference with one ArmInference per endogenous column.
    """
    d = as_matrix(endog)
    names = list(names) if names is not None else names_of(endog, "arm", d.shape[1])
    beta, cov1, cov3, g, n = tsls_cr1_cr3(y, endog, instruments, exog, clusters)
    crit = float(t_dist.ppf(0.5 + level / 2, g - 1))
    primary = "CR3" if g < few_clusters else "CR1"
    ar_sets = anderson_rubin(y, endog, instruments, exog, clusters, level=level, variance=primary,
                             centre=beta, scale=np.sqrt(np.maximum(np.diag(cov1), np.diag(cov3)))) \
        if anderson_rubin_sets and d.shape[1] <= MAX_PROJECTION_ARMS else [None] * len(names)
    arms = []
    for j, name in enumerate(names):
        s1, s3 = float(np.sqrt(cov1[j, j])), float(np.sqrt(cov3[j, j]))
        b = float(beta[j])
        s = s3 if primary == "CR3" else s1
        arms.append(ArmInference(
            arm=name, estimate=b, se_cr1=s1, ci_cr1=(b - crit * s1, b + crit * s1),
            se_cr3=s3, ci_cr3=(b - crit * s3, b + crit * s3), primary_method=primary, se=s,
            ci=(b - crit * s, b + crit * s), p=float(2 * t_dist.sf(abs(b) / s, g - 1)) if s > 0 else float("nan"),
            ar=ar_sets[j]))
    rule = (f"CR3 (cluster jackknife) with t(G-1) when there are fewer than {few_clusters} "
            f"caseworkers, otherwise CR1 with t(G-1); here G = {g}.")
    return IVInference(n=n, clusters=g, level=level, primary_method=primary,
                       few_clusters=few_clusters, rule=rule, arms=arms)


# ---------------------------------------------------------------- Anderson-Rubin

@dataclass
class _ARParts:
    """Everything the clustered AR statistic needs, as functions of b. The coefficient of Z in
    the regression of y - D b on W and Z is pi(b) = pi_y - pi_d b; its variance is
    kappa * sum_g u_g(b) u_g(b)' with u_g(b) = alpha_g - gamma_g b (linear in b): for CR1
    u_g = (Z'Z)^-1 (cluster score), for CR3 u_g = delete-cluster-g coefficient minus pi(b)."""
    pi_y: np.ndarray      # k      reduced-form coefficients of y on Z (net of W)
    pi_d: np.ndarray      # k x m  first-stage coefficients
    alpha: np.ndarray     # G x k
    gamma: np.ndarray     # G x k x m
    kappa: float
    g: int
    k: int
    variance: str


def _ar_parts(y, endog, instruments, exog, clusters, variance: str = "CR1") -> _ARParts:
    yv = as_vector(y)
    n = len(yv)
    d, zi = as_matrix(endog), as_matrix(instruments)
    w = with_constant(exog, n)
    w = w[:, independent_columns(w)]
    codes, g = cluster_codes(clusters)
    k, m = zi.shape[1], d.shape[1]
    if g <= k + 1:
        raise ValueError(f"the Anderson-Rubin test needs more than {k + 1} caseworkers, not {g}")
    lhs = np.column_stack([yv, d])                               # n x (1+m)
    if variance == "CR1":
        yt, zt = partial_out(lhs, w), partial_out(zi, w)
        q_inv = np.linalg.inv(zt.T @ zt)
        pi = q_inv @ (zt.T @ yt)                                 # k x (1+m)
        r = yt - zt @ pi
        scores = np.stack([cluster_sums(zt * r[:, [j]], codes, g) for j in range(1 + m)], axis=2)
        u = np.einsum("kl,glj->gkj", q_inv, scores)              # G x k x (1+m)
        kappa = cr1_factor(n, w.shape[1] + k, g)
    elif variance == "CR3":
        x = np.column_stack([w, zi])
        xx, xy = x.T @ x, x.T @ lhs
        full = np.linalg.lstsq(xx, xy, rcond=None)[0]
        pi = full[-k:]
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(g + 1))
        u = np.empty((g, k, 1 + m))
        for c in range(g):
            rows = order[bounds[c]:bounds[c + 1]]
            xc = x[rows]
            a, rhs = xx - xc.T @ xc, xy - xc.T @ lhs[rows]
            try:
                coef = np.linalg.solve(a, rhs)
            except np.linalg.LinAlgError:
                coef = np.linalg.lstsq(a, rhs, rcond=None)[0]
            u[c] = coef[-k:] - pi
        kappa = (g - 1) / g
    else:
        raise ValueError(f"variance must be CR1 or CR3, not {variance!r}")
    # pi(b) = pi_y - pi_d b and u_g(b) = u_y - u_d b: minus signs go into gamma
    return _ARParts(pi[:, 0], pi[:, 1:], u[:, :, 0], u[:, :, 1:], kappa, g, k, variance)


def ar_statistic(parts: _ARParts, b: np.ndarray) -> np.ndarray:
    """Hotelling-corrected clustered AR statistic F*(b) for each row of b (P x m)."""
    b = np.atleast_2d(b)
    coef = parts.pi_y[None, :] - b @ parts.pi_d.T                              # P x k
    u = parts.alpha[None] - np.einsum("gkm,pm->pgk", parts.gamma, b)            # P x G x k
    cov = np.einsum("pgk,pgl->pkl", u, u) * parts.kappa
    wald = np.einsum("pk,pk->p", coef, np.linalg.solve(cov, coef[..., None])[..., 0])
    return wald / parts.k * (parts.g - parts.k) / (parts.g - 1)


def ar_pvalue(parts: _ARParts, b) -> np.ndarray:
    return f_dist.sf(ar_statistic(parts, np.atleast_2d(b)), parts.k, parts.g - parts.k)


def _exact_one(parts: _ARParts, crit: float) -> ARSet:
    """k = m = 1: F*(b) <= crit is a quadratic inequality A b^2 + B b + C <= 0."""
    scale = parts.kappa
    pi_y, pi_d = parts.pi_y[0], parts.pi_d[0, 0]
    a, c = parts.alpha[:, 0], parts.gamma[:, 0, 0]
    saa, sac, scc = a @ a, a @ c, c @ c
    # F*(b) = (pi_y - pi_d b)^2 / (kappa (saa - 2 b sac + b^2 scc)) (k = 1: no correction)
    qa = pi_d ** 2 - crit * scale * scc
    qb = -2 * pi_y * pi_d + 2 * crit * scale * sac
    qc = pi_y ** 2 - crit * scale * saa
    disc = qb ** 2 - 4 * qa * qc
    inf = float("inf")
    if qa > 0:
        if disc < 0:
            return ARSet([], True, True, True, False)
        r = np.sqrt(disc)
        lo, hi = sorted(((-qb - r) / (2 * qa), (-qb + r) / (2 * qa)))
        return ARSet([(float(lo), float(hi))], True, False, True, False)
    if qa < 0:
        if disc < 0:
            return ARSet([(-inf, inf)], False, False, True, False)
        r = np.sqrt(disc)
        lo, hi = sorted(((-qb - r) / (2 * qa), (-qb + r) / (2 * qa)))
        return ARSet([(-inf, float(lo)), (float(hi), inf)], False, False, True, False)
    if qb == 0:   # degenerate (A = B = 0): everything or nothing
        return ARSet([(-inf, inf)] if qc <= 0 else [], qc > 0, qc > 0, True, False)
    root = -qc / qb
    return ARSet([(-inf, float(root))] if qb > 0 else [(float(root), inf)], False, False, True, False)


def _runs(grid: np.ndarray, accepted: np.ndarray) -> tuple[list[tuple[float, float]], bool]:
    """Intervals of accepted grid points (outer points widened by half a step; ends of the
    grid that are accepted become unbounded)."""
    step = grid[1] - grid[0]
    out, limited = [], False
    edges = np.flatnonzero(np.diff(np.concatenate([[0], accepted.astype(int), [0]])))
    for start, stop in zip(edges[::2], edges[1::2] - 1):
        lo = -np.inf if start == 0 else grid[start] - step / 2
        hi = np.inf if stop == len(grid) - 1 else grid[stop] + step / 2
        limited |= start == 0 or stop == len(grid) - 1
        out.append((float(lo), float(hi)))
    return out, bool(limited)


def anderson_rubin(y, endog, instruments, exog=None, clusters=None, *, level: float = 0.95,
                   variance: str = "CR3", centre=None, scale=None, half_width: float = 10.0,
                   min_half_width: float = 1.0, points: int | None = None) -> list[ARSet]:
    """Anderson-Rubin confidence set for each arm (see the module text).

    `variance`: "CR3" (jackknife variance of the reduced-form coefficient, the default: with
    CR1 the AR set covered 82% with 15 caseworkers in the tests' worlds) or "CR1".

    The grid (when the set is not solved exactly) spans centre +- max(half_width * scale,
    min_half_width) per arm; `centre`/`scale` default to the 2SLS estimate and its CR1 SE.
    """
    parts = _ar_parts(y, endog, instruments, exog, clusters, variance)
    m = parts.pi_d.shape[1]
    crit = float(f_dist.ppf(level, parts.k, parts.g - parts.k))
    if m == 1 and parts.k == 1:
        return [_exact_one(parts, crit)]
    if centre is None or scale is None:
        beta, cov1, _, _, _ = tsls_cr1_cr3(y, endog, instruments, exog, clusters)
        centre, scale = beta, np.sqrt(np.diag(cov1))
    half = np.maximum(half_width * np.asarray(scale), min_half_width)
    npts = points or GRID_POINTS.get(m, 21)
    axes = [np.linspace(c - h, c + h, npts) for c, h in zip(centre, half)]
    grid = np.array(list(itertools.product(*axes))) if m > 1 else axes[0][:, None]
    stat = np.concatenate([ar_statistic(parts, chunk) for chunk in np.array_split(grid, max(1, len(grid) // 5000))])
    accepted = (stat <= crit).reshape([npts] * m)
    out = []
    for j in range(m):
        along = accepted.any(axis=tuple(a for a in range(m) if a != j)) if m > 1 else accepted
        intervals, limited = _runs(axes[j], along)
        # a set that touches the edge of the grid in a nuisance direction may extend further
        if m > 1:
            other_edges = [np.take(accepted, [0, npts - 1], axis=a).any() for a in range(m) if a != j]
            limited |= any(other_edges)
        out.append(ARSet(intervals, bounded=all(np.isfinite(v) for iv in intervals for v in iv),
                         empty=not intervals, exact=False, projection=m > 1,
                         grid_step=float(axes[j][1] - axes[j][0]), grid_limited=limited))
    return out
