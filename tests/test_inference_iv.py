"""IV inference: CR1 and CR3 against independent computations, the Anderson-Rubin set against
brute force, the effective F against its formula, and coverage with 15 caseworkers."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from linearmodels.iv import IV2SLS
from scipy.stats import f as f_dist
from threadpoolctl import threadpool_limits

from bench.inference_world import binary, controls, three_arms
from design_feasibility.inference import (anderson_rubin, effective_f, iv_inference,
                                          mop_critical_value)
from design_feasibility.inference.iv import _ar_parts, ar_statistic


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _lm_iv(y, exog, d, z, groups):
    exog = sm.add_constant(exog.loc[:, exog.nunique() > 1], has_constant="add")
    return IV2SLS(pd.Series(np.asarray(y)), exog.reset_index(drop=True), d.reset_index(drop=True),
                  z.reset_index(drop=True)).fit(cov_type="clustered",
                                                clusters=pd.Series(np.asarray(groups)), debiased=True)


def test_cr1_and_estimate_match_linearmodels():
    w = three_arms(11, n=2000, g=20)
    res = iv_inference(w.y, w.d, w.z, controls(w), w.caseworker, anderson_rubin_sets=False)
    lm = _lm_iv(w.y, controls(w), w.d, w.z, w.caseworker)
    for arm in ("Matching", "Activering"):
        assert res.arm(arm).estimate == pytest.approx(lm.params[arm], rel=1e-9)
        assert res.arm(arm).se_cr1 == pytest.approx(lm.std_errors[arm], rel=1e-8)


def test_cr3_matches_a_hand_written_leave_one_cluster_out_loop():
    w = three_arms(12, n=1500, g=12)
    res = iv_inference(w.y, w.d, w.z, controls(w), w.caseworker, anderson_rubin_sets=False)
    full = _lm_iv(w.y, controls(w), w.d, w.z, w.caseworker).params
    exog, labels = controls(w), np.asarray(w.caseworker)
    deviations = []
    for c in np.unique(labels):
        keep = labels != c
        fit = _lm_iv(w.y[keep], exog[keep], w.d[keep], w.z[keep], labels[keep])
        deviations.append([fit.params[a] - full[a] for a in ("Matching", "Activering")])
    dev = np.array(deviations)
    g = len(deviations)
    cr3 = np.sqrt((g - 1) / g * (dev ** 2).sum(axis=0))
    assert res.arm("Matching").se_cr3 == pytest.approx(cr3[0], rel=1e-8)
    assert res.arm("Activering").se_cr3 == pytest.approx(cr3[1], rel=1e-8)


def test_primary_rule_names_the_method():
    w = three_arms(13, n=1500, g=15)
    few = iv_inference(w.y, w.d, w.z, controls(w), w.caseworker, anderson_rubin_sets=False)
    assert few.primary_method == "CR3" and few.arm("Matching").ci == few.arm("Matching").ci_cr3
    many = iv_inference(w.y, w.d, w.z, controls(w), w.caseworker, few_clusters=10,
                        anderson_rubin_sets=False)
    assert many.primary_method == "CR1" and many.arm("Matching").ci == many.arm("Matching").ci_cr1
    assert "CR3" in few.rule and "G = 15" in few.rule


def _brute_force_ar_accepts(world, b, level=0.95):
    """Independent AR test: linearmodels OLS of y - b d on W and Z, clustered t-test."""
    exog = sm.add_constant(pd.concat([controls(world), world.z], axis=1))
    fit = IV2SLS(world.y - b * world.d["treated"].to_numpy(), exog, None, None).fit(
        cov_type="clustered", clusters=pd.Series(world.caseworker), debiased=True)
    g = len(np.unique(world.caseworker))
    return fit.tstats["preference_treated"] ** 2 <= f_dist.ppf(level, 1, g - 1)


@pytest.mark.parametrize("pref_sd", [0.6, 0.03])
def test_exact_ar_set_matches_brute_force(pref_sd):
    w = binary(21, n=1500, g=15, pref_sd=pref_sd)
    ar = anderson_rubin(w.y, w.d, w.z, controls(w), w.caseworker, variance="CR1")[0]
    assert ar.exact
    finite = [v for iv in ar.intervals for v in iv if np.isfinite(v)]
    grid = np.concatenate([np.linspace(-3, 3, 61), np.array(finite) + 1e-4, np.array(finite) - 1e-4,
                           [-1e3, 1e3]])
    for b in grid:
        assert ar.contains(b) == _brute_force_ar_accepts(w, b), b
    if pref_sd < 0.1:
        assert not ar.bounded          # weak instrument: the set is unbounded


def test_joint_ar_statistic_matches_linearmodels_and_projection_contains_estimate():
    w = three_arms(22, n=1500, g=15)
    parts = _ar_parts(w.y, w.d, w.z, controls(w), w.caseworker, "CR1")
    exog = sm.add_constant(pd.concat([controls(w), w.z], axis=1))
    names = list(w.z.columns)
    rng = np.random.default_rng(0)
    for b in rng.normal(0, 0.5, size=(4, 2)):
        fit = IV2SLS(w.y - w.d.to_numpy() @ b, exog, None, None).fit(
            cov_type="clustered", clusters=pd.Series(w.caseworker), debiased=True)
        coef, cov = fit.params[names].to_numpy(), fit.cov.loc[names, names].to_numpy()
        wald = coef @ np.linalg.solve(cov, coef)
        assert ar_statistic(parts, b)[0] == pytest.approx(wald / 2 * 13 / 14, rel=1e-8)
    # projection: b_j is in the set iff some value of the other arm's coefficient is accepted;
    # checked with a continuous minimiser over the other coefficient instead of the grid
    from scipy.optimize import minimize_scalar
    res = iv_inference(w.y, w.d, w.z, controls(w), w.caseworker)
    parts3 = _ar_parts(w.y, w.d, w.z, controls(w), w.caseworker, "CR3")
    crit = f_dist.ppf(0.95, 2, 13)
    for j, arm in enumerate(res.arms):
        assert arm.ar.projection and arm.ar.contains(arm.estimate)
        step = arm.ar.grid_step
        for bj in arm.estimate + np.linspace(-8, 8, 17) * arm.se:
            if min(abs(bj - v) for iv in arm.ar.intervals for v in iv) < 3 * step:
                continue       # within grid resolution of an end point

            def stat(bk, bj=bj, j=j):
                b = np.empty(2)
                b[j], b[1 - j] = bj, bk
                return ar_statistic(parts3, b)[0]
            centre = res.arms[1 - j].estimate
            best = min(minimize_scalar(stat, bounds=(centre + lo, centre + hi), method="bounded").fun
                       for lo, hi in ((-3, -1), (-1, 0), (0, 1), (1, 3)))
            assert arm.ar.contains(bj) == (best <= crit), (arm.arm, bj)


def test_cr3_ar_variance_matches_a_leave_one_cluster_out_loop():
    w = binary(23, n=1200, g=12)
    parts = _ar_parts(w.y, w.d, w.z, controls(w), w.caseworker, "CR3")
    exog = sm.add_constant(pd.concat([controls(w), w.z], axis=1)).reset_index(drop=True)
    labels = np.asarray(w.caseworker)
    for b in (0.0, 0.3):
        target = w.y - b * w.d["treated"].to_numpy()
        def coef(rows, target=target):
            return sm.OLS(target[rows], exog[rows]).fit().params["preference_treated"]
        full = coef(np.ones(len(labels), bool))
        dev = np.array([coef(labels != c) - full for c in np.unique(labels)])
        g = len(dev)
        wald = full ** 2 / ((g - 1) / g * (dev ** 2).sum())
        assert ar_statistic(parts, np.array([b]))[0] == pytest.approx(wald, rel=1e-8)


def test_primary_interval_covers_with_15_caseworkers():
    # fast version of bench/bench_inference.py (1,000 worlds there: 0.976): 300 worlds, 15
    # caseworkers, 6,000 clients, selection on an unobserved trait; the issue asks for >= 93%
    # (these seeds: 0.958; CR1 0.872).
    covered, covered_cr1 = [], []
    for r in range(300):
        w = three_arms(3000 + r, g=15)
        res = iv_inference(w.y, w.d, w.z, controls(w), w.caseworker, anderson_rubin_sets=False)
        for arm in res.arms:
            lo, hi = arm.ci
            covered.append(lo <= w.truth[arm.arm] <= hi)
            covered_cr1.append(arm.ci_cr1[0] <= w.truth[arm.arm] <= arm.ci_cr1[1])
    assert np.mean(covered) >= 0.93, np.mean(covered)
    assert np.mean(covered) > np.mean(covered_cr1)


def test_exact_ar_covers_with_15_caseworkers():
    covered = [anderson_rubin(w.y, w.d, w.z, controls(w), w.caseworker)[0].contains(0.15)
               for w in (binary(4000 + r, g=15) for r in range(100))]
    assert np.mean(covered) >= 0.90


def test_effective_f_matches_its_formula_and_robust_f_with_one_instrument():
    w = three_arms(31, n=2000, g=20)
    exog = sm.add_constant(controls(w))
    res = effective_f(w.d, w.z, controls(w), w.caseworker)
    # independent: linearmodels first stage with clustered errors, F_eff = p'Qp / tr(V Q)
    names = list(w.z.columns)
    zt = w.z.to_numpy() - exog.to_numpy() @ np.linalg.lstsq(exog.to_numpy(), w.z.to_numpy(), rcond=None)[0]
    q = zt.T @ zt
    for arm, row in zip(w.d.columns, res):
        fit = IV2SLS(w.d[arm], pd.concat([exog, w.z], axis=1), None, None).fit(
            cov_type="clustered", clusters=pd.Series(w.caseworker), debiased=True)
        p, v = fit.params[names].to_numpy(), fit.cov.loc[names, names].to_numpy()
        assert row.f_eff == pytest.approx(p @ q @ p / np.trace(v @ q), rel=1e-8)
        assert row.robust_f == pytest.approx(p @ np.linalg.solve(v, p) / 2, rel=1e-8)
        assert 1 <= row.k_eff <= 2 and row.critical_value <= row.conservative_critical_value
    one = effective_f(w.d[["Matching"]], w.z[["preference_Matching"]], controls(w), w.caseworker)[0]
    assert one.f_eff == pytest.approx(one.robust_f, rel=1e-10)
    assert one.k_eff == pytest.approx(1.0)
    assert mop_critical_value(1.0) == pytest.approx(23.1085, abs=1e-3)     # MOP 2013, tau = 10%
    assert mop_critical_value(1.0, tau=0.05) == pytest.approx(37.418, abs=1e-3)
