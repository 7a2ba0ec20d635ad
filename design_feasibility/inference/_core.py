"""Linear-algebra helpers shared by the inference checks (no pandas models, no statsmodels).

Conventions used throughout the subpackage:
- arrays are float64 numpy arrays, observations in rows;
- `exog` always contains a constant (one is added when no column is constant);
- clustered ("CR1") variances use the Stata/linearmodels small-sample factor
  G/(G-1) * (n-1)/(n-k), k the number of regressors of the full model;
- intervals and single-coefficient tests with G clusters use t(G-1), joint tests of q
  restrictions use the Hotelling-type correction F * (G-q)/(G-1) against F(q, G-q).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import linalg


def as_matrix(values) -> np.ndarray:
    """Float 2-D array (n x k) from a vector, array, Series or DataFrame; None -> n x 0."""
    out = np.asarray(values, dtype=float)
    return out[:, None] if out.ndim == 1 else out


def as_vector(values) -> np.ndarray:
    return np.asarray(values, dtype=float).reshape(-1)


def names_of(values, default: str, count: int) -> list[str]:
    if isinstance(values, pd.DataFrame):
        return [str(c) for c in values.columns]
    if isinstance(values, pd.Series) and values.name is not None:
        return [str(values.name)]
    return [default] if count == 1 else [f"{default}{j}" for j in range(count)]


def with_constant(exog, n: int) -> np.ndarray:
    """`exog` as a matrix with a constant column (added if no column is constant)."""
    if exog is None:
        return np.ones((n, 1))
    x = as_matrix(exog)
    if x.shape[1] and np.any((np.ptp(x, axis=0) == 0) & (np.abs(x[0]) > 0)):
        return x
    return np.column_stack([np.ones(n), x])


def independent_columns(x: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Indices of a maximal set of linearly independent columns (QR with column pivoting)."""
    if x.shape[1] == 0:
        return np.arange(0)
    # the columns of x and of R in x = QR have the same linear relations; pivot on small R
    r_small = np.linalg.qr(x, mode="r") if x.shape[0] > x.shape[1] else x
    _, r, piv = linalg.qr(r_small, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    rank = int((diag > tol * max(diag[0], 1e-300)).sum()) if len(diag) else 0
    return np.sort(piv[:rank])


def orthonormal_basis(x: np.ndarray) -> np.ndarray:
    """An n x rank(x) matrix Q with orthonormal columns spanning the columns of x."""
    keep = independent_columns(x)
    q, _ = np.linalg.qr(x[:, keep])
    return q


def partial_out(values: np.ndarray, exog: np.ndarray) -> np.ndarray:
    """Residuals of each column of `values` on `exog` (Frisch-Waugh-Lovell)."""
    if exog.shape[1] == 0:
        return values.copy()
    q = orthonormal_basis(exog)
    return values - q @ (q.T @ values)


def cluster_codes(clusters) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(pd.Series(np.asarray(clusters)), sort=True)
    if (codes < 0).any():
        raise ValueError("clusters contain missing values")
    return codes, len(uniques)


def cluster_sums(values: np.ndarray, codes: np.ndarray, g: int) -> np.ndarray:
    """G x k matrix of per-cluster column sums of an n x k matrix."""
    values = as_matrix(values)
    return np.column_stack([np.bincount(codes, weights=values[:, j], minlength=g)
                            for j in range(values.shape[1])]) if values.shape[1] else np.zeros((g, 0))


def cr1_factor(n: int, k: int, g: int) -> float:
    """Small-sample factor of the CR1 clustered variance (Stata, linearmodels debiased)."""
    return g / (g - 1) * (n - 1) / (n - k)


def hotelling_f(wald: float, q: int, g: int) -> tuple[float, int, int]:
    """Hotelling-type small-sample version of a clustered Wald statistic of q restrictions:
    F* = (W/q) (G-q)/(G-1), referred to F(q, G-q). Exact for a Hotelling T^2 of G normal
    cluster scores (cf. Cameron & Miller 2015, sec. VII; Kott 1994; Pustejovsky & Tipton
    2018 use the same correction with estimated degrees of freedom). Requires G > q."""
    return wald / q * (g - q) / (g - 1), q, g - q
