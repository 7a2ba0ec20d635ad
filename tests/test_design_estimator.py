"""The Rotterdam caseworker-preference estimator (report ch. 5, annex B4) on the demo municipality."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from linearmodels.iv import IV2SLS

import core  # noqa: F401
from demo import generate
from design_feasibility import analyse
from design_feasibility import estimates as est
from design_feasibility.first_stage import sanderson_windmeijer
from design_feasibility.frame import build_frame
from design_feasibility.preferences import design_matrix, estimate_preferences


@pytest.fixture(scope="module")
def fitted(demo):
    frame = build_frame(demo.tables)
    return frame, estimate_preferences(frame)


@pytest.fixture(scope="module")
def result(demo):
    return analyse(demo.tables)


def test_frame_drops_exactly_the_planted_missing_caseworkers(demo, fitted):
    frame, _ = fitted
    planted = demo.manifest["defects"]["referral.missing_caseworker"]["count"]
    assert frame.summary.dropped["missing_caseworker"] == planted > 0
    assert frame.summary.analysed == len(demo.tables["referrals"]) - planted
    assert frame.summary.caseworkers == demo.manifest["n_caseworkers"]


# Measured with the demo of this commit over seeds 1-20: the IV 95% CI covered the true Matching
# effect in 20/20 runs at 0.27 and 0.10, and the true Activering effect (0) in 18/20 and 17/20;
# the raw difference was above the true effect in every run. Seeds 1-3 are a fixed sample of these.
@pytest.mark.parametrize("effect", [0.27, 0.10])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_iv_covers_true_effect_and_raw_difference_is_biased_upward(seed, effect):
    data = generate(seed=seed, effect_matching=effect, effect_activering=0.0)
    result = analyse(data.tables)
    truth = data.manifest["true_effects"]
    iv_m, iv_a = result.estimate("iv", "Matching"), result.estimate("iv", "Activering")
    assert iv_m.ci_low <= truth["Matching"] <= iv_m.ci_high
    assert iv_a.ci_low <= truth["Activering"] <= iv_a.ci_high
    raw = result.estimate("raw", "Matching")
    assert raw.ci_low > truth["Matching"]                  # clearly biased upward
    assert raw.estimate - truth["Matching"] > 0.03
    assert abs(iv_m.estimate - truth["Matching"]) < raw.estimate - truth["Matching"]


def _hand_rolled_2sls(y, exog, endog, instr, groups):
    """Textbook 2SLS with the CR1 cluster-robust covariance (Stata's small-sample factor)."""
    x = np.column_stack([exog, endog])
    z = np.column_stack([exog, instr])
    xhat = z @ np.linalg.solve(z.T @ z, z.T @ x)
    beta = np.linalg.solve(xhat.T @ x, xhat.T @ y)
    u = y - x @ beta
    bread = np.linalg.inv(xhat.T @ xhat)
    scores = pd.DataFrame(xhat * u[:, None]).groupby(groups).sum().to_numpy()
    n, k, g = len(y), x.shape[1], len(scores)
    cov = bread @ (scores.T @ scores) @ bread * g / (g - 1) * (n - 1) / (n - k)
    return beta[-endog.shape[1]:], np.sqrt(np.diag(cov))[-endog.shape[1]:]


def test_2sls_equals_hand_rolled_cr1_and_linearmodels_directly(fitted, result):
    frame, prefs = fitted
    y = frame.data["y"].to_numpy()
    exog, endog = est.controls(frame), est.treatments(frame)
    instr, groups = est.instruments(prefs), est.clusters(frame)
    beta, se = _hand_rolled_2sls(y, exog.to_numpy(), endog.to_numpy(), instr.to_numpy(), groups.to_numpy())
    direct = IV2SLS(frame.data["y"], exog, endog, instr).fit(cov_type="clustered", clusters=groups, debiased=True)
    from scipy.stats import t as t_dist
    from design_feasibility.inference.iv import iv_inference
    inference = iv_inference(y, endog, instr, exog, groups.to_numpy(), anderson_rubin_sets=False,
                             names=["Matching", "Activering"])
    g = groups.nunique()
    for i, department in enumerate(("Matching", "Activering")):
        ours, arm = result.estimate("iv", department), inference.arm(department)
        assert ours.estimate == pytest.approx(beta[i], abs=1e-6)
        assert ours.estimate == pytest.approx(direct.params[department], abs=1e-6)
        # CR1 of the same fit equals the textbook formula and linearmodels ...
        assert arm.se_cr1 == pytest.approx(se[i], abs=1e-6)
        assert arm.se_cr1 == pytest.approx(direct.std_errors[department], abs=1e-6)
        # ... but with 80 caseworkers the reported interval is the cluster jackknife (CR3,
        # checked against a leave-one-caseworker-out loop in tests/test_inference_iv.py), t(G-1)
        assert (ours.inference, ours.se) == ("CR3", pytest.approx(arm.se_cr3, rel=1e-9))
        assert ours.se > se[i]
        half = (ours.ci_high - ours.ci_low) / 2
        assert ours.ci_low + half == pytest.approx(ours.estimate, abs=1e-9)
        assert half / ours.se == pytest.approx(t_dist.ppf(0.975, g - 1), rel=1e-6)


def test_first_stage_equals_statsmodels_mnlogit_with_another_base(fitted):
    frame, prefs = fitted
    codes = frame.data["department"].map({"Matching": 0, "Prematching": 1, "Activering": 2})
    direct = sm.MNLogit(codes.to_numpy(), design_matrix(frame.covariates)).fit(method="newton", disp=False)
    probabilities = np.asarray(direct.predict())
    for j, department in enumerate(("Matching", "Prematching", "Activering")):
        np.testing.assert_allclose(prefs.probabilities[department], probabilities[:, j], atol=1e-6)
    np.testing.assert_allclose(prefs.residuals.sum(axis=1), 0, atol=1e-9)


def test_leave_one_out_preference_is_mean_residual_of_the_other_clients(fitted):
    frame, prefs = fitted
    worker = frame.data["caseworker"].iloc[0]
    mine = frame.data.index[frame.data["caseworker"] == worker]
    for i in mine[:3]:
        others = mine.drop(i)
        assert prefs.loo.loc[i, "Matching"] == pytest.approx(prefs.residuals.loc[others, "Matching"].mean(), abs=1e-12)
        assert prefs.loo.loc[i, "Activering"] == pytest.approx(prefs.residuals.loc[others, "Activering"].mean(), abs=1e-12)


def test_table_5_3_ordering_raw_ols_iv(result):
    """As in Table 5.3: the raw difference is the largest, covariates shrink it, the IV is
    below the raw difference; Activering's raw difference is negative (selection)."""
    raw, ols, iv = (result.estimate(m, "Matching").estimate for m in ("raw", "ols", "iv"))
    assert raw > ols > 0 and iv < raw
    assert result.estimate("raw", "Activering").estimate < -0.05
    for e in result.estimates:
        assert e.ci_low < e.estimate < e.ci_high and e.se > 0 and e.n == result.frame.analysed


def test_subgroups_only_where_every_department_cell_meets_the_minimum(fitted, result):
    frame, _ = fitted
    assert {s.group for s in result.subgroups} == {"age", "sex", "education", "origin"}
    for s in result.subgroups:
        counts = frame.data.loc[frame.data[s.group] == s.level, "department"].value_counts()
        assert counts.min() >= result.settings["disclosure_min"] and s.n == counts.sum()
    strict = est.subgroup_estimates(frame, fitted[1], minimum=400)
    kept = {(s.group, s.level) for s in strict}
    for group, level in kept:
        counts = frame.data.loc[frame.data[group] == level, "department"].value_counts()
        assert counts.min() >= 400
    assert len(kept) < len({(s.group, s.level) for s in result.subgroups})


def test_sanderson_windmeijer_with_one_endogenous_equals_linearmodels_first_stage_f(fitted):
    frame, prefs = fitted
    exog, instr, groups = est.controls(frame), est.instruments(prefs), est.clusters(frame)
    endog = est.treatments(frame)[["Matching"]]
    (ours, _), = sanderson_windmeijer(endog.to_numpy(), instr.to_numpy(), exog.to_numpy(), groups.to_numpy())
    model = IV2SLS(frame.data["y"], exog, endog, instr).fit(cov_type="clustered", clusters=groups, debiased=True)
    wald = model.first_stage.diagnostics.loc["Matching", "f.stat"]      # robust Wald, not divided
    assert ours == pytest.approx(wald / instr.shape[1], rel=1e-8)


def test_sanderson_windmeijer_collapses_when_instruments_move_both_treatments_alike(fitted):
    """Two instruments that are (nearly) one: each first stage is strong on its own, but the
    two department effects cannot be told apart - the conditional F must see that."""
    frame, prefs = fitted
    rng = np.random.default_rng(0)
    psi = prefs.loo["Matching"].to_numpy()
    instr = np.column_stack([psi, 2 * psi + rng.normal(scale=1e-4, size=len(psi))])
    endog = est.treatments(frame).to_numpy()
    exog, groups = est.controls(frame).to_numpy(), est.clusters(frame).to_numpy()
    conditional = sanderson_windmeijer(endog, instr, exog, groups)
    single = sanderson_windmeijer(endog[:, :1], instr, exog, groups)
    assert single[0][0] > 50
    assert all(f < 5 for f, _ in conditional)
