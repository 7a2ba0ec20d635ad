"""JIVE1 against linearmodels IVJIVE (7.1) and UJIVE/JIVE1 against explicit leave-one-out loops."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from linearmodels.iv import IVJIVE
from threadpoolctl import threadpool_limits

from bench.inference_world import controls, three_arms
from design_feasibility.inference import jive
from design_feasibility.inference.jive import caseworker_dummies


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def test_jive1_matches_linearmodels_ivjive():
    # teams = 1: caseworkers are not nested in cells, so [W, dummies minus one] has full rank
    w = three_arms(41, n=2000, g=20, teams=1)
    res = jive(w.y, w.d, w.caseworker, controls(w), method="jive1")
    exog = sm.add_constant(controls(w))
    dummies = pd.DataFrame(caseworker_dummies(w.caseworker)[:, 1:]).add_prefix("cw")
    lm = IVJIVE(pd.Series(w.y), exog, w.d, dummies).fit(
        cov_type="clustered", clusters=pd.Series(w.caseworker), debiased=True)
    for arm in ("Matching", "Activering"):
        assert res.arm(arm).estimate == pytest.approx(lm.params[arm], rel=1e-8, abs=1e-10)
        assert res.arm(arm).se == pytest.approx(lm.std_errors[arm], rel=1e-8)


def _loo_first_stage(target: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Fitted value for client i of the OLS of target on basis without client i (a loop)."""
    out = np.empty_like(target)
    for i in range(len(target)):
        keep = np.arange(len(target)) != i
        coef = np.linalg.lstsq(basis[keep], target[keep], rcond=None)[0]
        out[i] = basis[i] @ coef
    return out


def test_ujive_and_jive1_match_explicit_leave_one_out_regressions():
    # nested teams (collinear dummies) on purpose: lstsq handles the rank, the package its QR
    w = three_arms(42, n=240, g=8, teams=2, periods=2)
    wmat = sm.add_constant(controls(w)).to_numpy()
    zmat = np.column_stack([wmat, caseworker_dummies(w.caseworker)])
    d = w.d.to_numpy()
    dz = _loo_first_stage(d, zmat)
    dw = _loo_first_stage(d, wmat)
    xt = dz - dw
    ujive = np.linalg.solve(xt.T @ d, xt.T @ w.y)
    res = jive(w.y, w.d, w.caseworker, controls(w), method="ujive")
    np.testing.assert_allclose([a.estimate for a in res.arms], ujive, rtol=1e-8, atol=1e-10)
    x, xj = np.column_stack([wmat, d]), np.column_stack([wmat, dz])
    jive1 = np.linalg.solve(xj.T @ x, xj.T @ w.y)[-2:]
    res1 = jive(w.y, w.d, w.caseworker, controls(w), method="jive1")
    np.testing.assert_allclose([a.estimate for a in res1.arms], jive1, rtol=1e-8, atol=1e-10)


def test_ujive_is_close_to_the_truth_on_average():
    est = [jive(w.y, w.d, w.caseworker, controls(w)).arm("Matching").estimate
           for w in (three_arms(4300 + r, g=40) for r in range(30))]
    assert abs(np.mean(est) - 0.15) < 0.05
