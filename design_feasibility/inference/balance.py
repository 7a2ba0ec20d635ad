"""Joint balance of client covariates against the (leave-one-out) caseworker preference.

Under random assignment of clients to caseworkers within team/period cells, client covariates
do not predict the preference of the client's caseworker once the cells are controlled for.
The preference is regressed (OLS) on a constant, the cell dummies and the covariates; the
covariates' joint Wald statistic uses caseworker-clustered CR1 errors.

Small-sample reference. With G clusters the CR1 Wald statistic W of q restrictions is far
from chi2(q)/q or F(q, G-1) when G is small: the issue's Monte Carlo found 84% rejections at
5% with 15 caseworkers. Treating the G cluster scores as a sample of G vectors gives
Hotelling's T^2, for which F* = (W/q) (G-q)/(G-1) ~ F(q, G-q) exactly under normality; this
is the correction used here (Cameron & Miller 2015, "A practitioner's guide to
cluster-robust inference", J. Human Resources 50(2), sec. VII.A; Pustejovsky & Tipton 2018,
JBES, "Small-sample methods for cluster-robust variance estimation", whose HTZ test is the
same form with estimated degrees of freedom). It needs G > q.

Wild cluster bootstrap (optional, `bootstrap` > 0): the restricted wild cluster bootstrap
(WCR) of the same Wald statistic, the null imposed, Rademacher or Webb six-point weights per
caseworker (Cameron, Gelbach & Miller 2008, REStat; MacKinnon & Webb 2017; MacKinnon,
Nielsen & Webb 2023, J. Econometrics "Cluster-robust inference: a guide to empirical
practice"). When G <= q the clustered variance is singular and the bootstrap studentises
nothing: it bootstraps the homoskedastic F statistic instead (still a valid WCR test, less
refined), and `p` is the bootstrap p-value.

Index test (optional `index`): with few caseworkers a joint test of q covariates has little
power (F(q, G-q) with G - q small). Given one index that summarises the covariates by their
relevance for the referral - the predicted probability of the arm from the first-step model,
which does not involve the caseworker - the preference is regressed on the cells and the
index, and its coefficient gets a 1-df test with t(G-1): CR3 (cluster jackknife) below
FEW_CLUSTERS caseworkers, CR1 above, as for the IV (see iv.py). It looks in the one direction
that matters most for the IV: clients with better predicted prospects reaching caseworkers
with a stronger preference.

R-squared: `partial_r2` is the share of the preference's variance *net of the cells* that
the covariates explain, 1 - RSS(cells + covariates) / RSS(cells). It is not the R-squared of
the whole regression, which counts what team and period dummies explain.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import f as f_dist
from scipy.stats import t as t_dist

from design_feasibility.inference._core import (as_matrix, as_vector, cluster_codes, cluster_sums,
                                                cr1_factor, hotelling_f, independent_columns,
                                                names_of, orthonormal_basis, partial_out,
                                                with_constant)

WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


@dataclass
class BalanceRow:
    covariate: str
    coefficient: float
    se: float          # CR1, caseworker-clustered
    t: float
    p: float           # two-sided, t(G-1)


@dataclass
class JointBalance:
    f: float                   # Hotelling-corrected F* = (W/q)(G-q)/(G-1) (nan if G <= q)
    df_num: int                # q
    df_den: int                # G - q
    p: float                   # primary p-value (corrected F; bootstrap when G <= q)
    p_corrected_f: float       # from F(q, G-q); nan if G <= q
    p_uncorrected: float       # the old reference: W/q against F(q, G-1) (for comparison)
    p_bootstrap: float | None  # wild cluster restricted bootstrap p-value, if run
    bootstrap_reps: int
    method: str                # "hotelling_f" or "wild_cluster_bootstrap"
    wald: float                # CR1 Wald statistic W
    q: int                     # covariates tested (after dropping collinear ones)
    clusters: int              # G
    n: int
    partial_r2: float          # covariates' share of the variance net of the cells
    table: list[BalanceRow] = field(default_factory=list)
    index_coefficient: float | None = None   # preference on the index (given the cells)
    index_se: float | None = None
    index_p: float | None = None             # t(G-1), CR3 below FEW_CLUSTERS, else CR1
    index_method: str | None = None

    def frame(self) -> pd.DataFrame:
        """The per-covariate balance table as a DataFrame."""
        return pd.DataFrame([asdict(r) for r in self.table])


def _wald_cr1(xt: np.ndarray, yt: np.ndarray, codes: np.ndarray, g: int, k_total: int):
    """Coefficients, CR1 covariance and Wald statistic (all slopes 0) of yt on xt, both
    already net of the cells. yt may be n x B (B bootstrap samples at once)."""
    n, q = xt.shape
    xtx_inv = np.linalg.inv(xt.T @ xt)
    ymat = yt if yt.ndim == 2 else yt[:, None]
    coef = xtx_inv @ (xt.T @ ymat)                              # q x B
    resid = ymat - xt @ coef                                    # n x B
    factor = cr1_factor(n, k_total, g)
    # cluster scores: G x q x B
    scores = np.stack([cluster_sums(xt[:, [j]] * resid, codes, g) for j in range(q)], axis=1)
    meat = np.einsum("gjb,glb->bjl", scores, scores) * factor   # B x q x q
    cov = xtx_inv[None] @ meat @ xtx_inv[None]
    try:
        wald = np.einsum("jb,bj->b", coef, np.linalg.solve(cov, coef.T[..., None])[..., 0])
    except np.linalg.LinAlgError:
        wald = np.full(ymat.shape[1], np.nan)
    return coef, cov, wald, resid


def _homoskedastic_f(xt, ymat, rss_restricted):
    coef, *_ = np.linalg.lstsq(xt, ymat, rcond=None)
    rss = ((ymat - xt @ coef) ** 2).sum(axis=0)
    return (rss_restricted - rss) / np.maximum(rss, 1e-300)


def joint_balance(y, X, cells=None, clusters=None, *, bootstrap: int = 0,
                  weights: str = "rademacher", seed: int = 0, index=None) -> JointBalance:
    """Joint test that covariates `X` do not predict the preference `y` given the cells.

    Parameters
    ----------
    y : (n,) leave-one-out caseworker preference (or any assignment-level variable).
    X : (n, q) covariates (DataFrame for named rows in the table); collinear columns dropped.
    cells : (n, c) team/period cell dummies, without or with a constant (one is added).
    clusters : (n,) caseworker labels.
    bootstrap : number of wild cluster restricted bootstrap replications (0 = none; 999 is
        a good choice when reported). Always used as the primary p-value when G <= q.
    weights : "rademacher" or "webb" (Webb six-point, recommended for G < ~12).
    seed : seed of the bootstrap weights.
    index : optional (n,) covariate index (e.g. the first-step predicted probability of the
        arm) for the 1-df index test.

    Returns
    -------
    JointBalance with the corrected F, p-values, partial R-squared and per-covariate rows.
    """
    yv = as_vector(y)
    n = len(yv)
    x_all = as_matrix(X)
    names = names_of(X, "x", x_all.shape[1])
    keep = independent_columns(partial_out(x_all, with_constant(cells, n)))
    x_cov, names = x_all[:, keep], [names[j] for j in keep]
    w = with_constant(cells, n)
    w = w[:, independent_columns(w)]
    codes, g = cluster_codes(clusters)
    if g < 3:
        raise ValueError(f"clustered inference needs at least 3 caseworkers, not {g}")
    q = x_cov.shape[1]
    k_total = w.shape[1] + q
    yt, xt = partial_out(yv[:, None], w)[:, 0], partial_out(x_cov, w)

    rss_r = float(yt @ yt)
    coef, cov, wald, resid = _wald_cr1(xt, yt, codes, g, k_total)
    coef, cov, wald = coef[:, 0], cov[0], float(wald[0])
    rss_u = float(resid[:, 0] @ resid[:, 0])
    partial_r2 = 1 - rss_u / rss_r if rss_r > 0 else 0.0

    se = np.sqrt(np.maximum(np.diag(cov), 0))
    tstat = np.divide(coef, se, out=np.full(q, np.nan), where=se > 0)
    p_t = 2 * t_dist.sf(np.abs(tstat), g - 1)
    table = [BalanceRow(nm, float(b), float(s), float(t), float(p))
             for nm, b, s, t, p in zip(names, coef, se, tstat, p_t)]

    p_unc = float(f_dist.sf(wald / q, q, g - 1)) if q and np.isfinite(wald) else float("nan")
    if q and g > q and np.isfinite(wald):
        f_star, d1, d2 = hotelling_f(wald, q, g)
        p_corr = float(f_dist.sf(f_star, d1, d2))
    else:
        f_star, d1, d2, p_corr = float("nan"), q, g - q, float("nan")

    reps = int(bootstrap) if bootstrap else (999 if (q and g <= q) else 0)
    p_boot = None
    if reps and q:
        rng = np.random.default_rng(seed)
        support = WEBB if weights == "webb" else np.array([-1.0, 1.0])
        p_boot = _wild_bootstrap(yt, xt, w, codes, g, k_total, wald, rss_r, support, reps, rng,
                                 studentised=g > q)
    if q == 0:
        method, p = "none", 1.0
    elif g > q:
        method, p = "hotelling_f", p_corr
    else:
        method, p = "wild_cluster_bootstrap", float(p_boot)
    out = JointBalance(f=float(f_star), df_num=int(d1), df_den=int(d2), p=float(p),
                       p_corrected_f=p_corr, p_uncorrected=p_unc, p_bootstrap=p_boot,
                       bootstrap_reps=reps, method=method, wald=wald, q=q, clusters=g, n=n,
                       partial_r2=float(partial_r2), table=table)
    if index is not None:
        from design_feasibility.inference.iv import primary_coefficients
        ix = as_vector(index)
        fit = primary_coefficients(yv, ix, ix, w, clusters)
        out.index_method = fit.method
        out.index_coefficient, out.index_se, out.index_p = float(fit.estimate[0]), float(fit.se[0]), float(fit.p[0])
    return out


def _wild_bootstrap(yt, xt, w, codes, g, k_total, wald, rss_r, support, reps, rng, studentised,
                    chunk: int = 200) -> float:
    """WCR bootstrap p-value. Under the null (no covariate effect) the restricted residuals
    are yt (y net of the cells) and y* = fitted_r + yt * v_g; net of the cells, the restricted
    fit vanishes, so y* net of the cells is M_W (yt * v_g) (re-partialled: yt * v_g is not
    orthogonal to the cells)."""
    basis = orthonormal_basis(w)
    exceed = 0
    observed = wald if studentised else float(_homoskedastic_f(xt, yt[:, None], np.array([rss_r]))[0])
    done = 0
    while done < reps:
        b = min(chunk, reps - done)
        v = rng.choice(support, size=(g, b))
        ystar = yt[:, None] * v[codes]
        ystar -= basis @ (basis.T @ ystar)
        if studentised:
            stat = _wald_cr1(xt, ystar, codes, g, k_total)[2]
        else:
            stat = _homoskedastic_f(xt, ystar, (ystar ** 2).sum(axis=0))
        exceed += int((stat >= observed).sum())
        done += b
    return (1 + exceed) / (1 + reps)
