"""Exclusion/monotonicity test (FLL 2023 type): size in clean worlds, power against steered
defiers and direct caseworker effects, its documented blind spot, and agreement of J with
linearmodels' two-step GMM."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from linearmodels.iv import IVGMM
from threadpoolctl import threadpool_limits

from bench.inference_world import binary, three_arms
from design_feasibility.inference import exclusion_monotonicity_test
from design_feasibility.inference.jive import caseworker_dummies


@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _rate(reps, seed0, **world):
    p = [exclusion_monotonicity_test(w.y, w.d, w.caseworker, w.cells).p
         for w in (binary(seed0 + r, **world) for r in range(reps))]
    return float(np.mean(np.array(p) < 0.05))


@pytest.mark.parametrize("g", [15, 80])
def test_size_in_clean_worlds(g):
    # 100 worlds: binomial SD of a 5% rate is 2.2 points; accept <= 11% (bench: 500 worlds)
    assert _rate(100, 8000 + g, g=g) <= 0.11


def test_rejects_when_defiers_are_steered_in_directions_of_their_own():
    # 25% unobserved defiers, each caseworker steering them by a push unrelated to his or her
    # preference; complier effect 0.15, defier effect 0.65, 15 caseworkers, 6,000 clients.
    # With a defier effect of 0.35 the power is only about 0.3 (bench): the test needs large
    # caseloads and a large effect contrast to see such defiers.
    assert _rate(40, 8100, g=15, defiers=0.25, defier_effect=0.65) >= 0.7


def test_rejects_when_caseworkers_affect_the_outcome_beyond_the_referral():
    assert _rate(20, 8200, g=30, direct_sd=0.05) >= 0.9


def test_cannot_see_defiers_who_mirror_the_preference():
    # documented blind spot: the caseworker means stay on a line
    assert _rate(40, 8300, g=15, defiers=0.25, defier_mode="mirror") <= 0.15


def test_j_matches_linearmodels_two_step_gmm_and_chart_respects_disclosure():
    w = binary(8400, n=3000, g=20, teams=1)
    res = exclusion_monotonicity_test(w.y, w.d, w.caseworker, w.cells, min_clients=10)
    exog = np.column_stack([np.ones(len(w.y)), w.cells.to_numpy()])
    dummies = caseworker_dummies(w.caseworker)[:, 1:]
    lm = IVGMM(w.y, exog, w.d.to_numpy(), dummies, weight_type="robust").fit(iter_limit=2)
    assert res.j == pytest.approx(lm.j_stat.stat, rel=1e-8)
    assert res.df == 18 and res.slope["treated"] == pytest.approx(lm.params.iloc[-1], rel=1e-8)
    assert res.slope_within_bounds
    # a caseworker with few clients is tested but not shown
    small = binary(8401, n=3000, g=20, teams=1)
    cw = np.asarray(small.caseworker).copy()
    rows = np.flatnonzero(cw == cw[0])[:5]
    cw[rows] = 999
    res2 = exclusion_monotonicity_test(small.y, small.d, cw, small.cells, min_clients=10)
    assert res2.caseworkers == 21 and res2.hidden == 1 and len(res2.points) == 20
    chart = res2.chart_frame()
    assert chart["clients"].min() >= 10
    assert list(chart.columns) == ["clients", "propensity_treated", "mean_outcome", "fitted"]


def test_several_arms():
    w = three_arms(8500, g=15)
    res = exclusion_monotonicity_test(w.y, w.d, w.caseworker, w.cells)
    assert set(res.slope) == {"Matching", "Activering"} and res.df == 15 - 3 - 2
    assert isinstance(res.chart_frame(), pd.DataFrame)
