"""The demo municipality hits the report's calibration targets (Tables 5.1-5.3, annex B4)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from linearmodels.iv import IV2SLS
from scipy import stats

from core.canonical import DEPARTMENTS
from demo import generate

# Report "Re-integratie in BOLD Cities": n = 5,988; Table 5.2; Table 5.1 column "Totaal".
REFERRALS = {"Matching": 2888, "Prematching": 2043, "Activering": 1057}
WORK_RATES = {"Matching": 0.442, "Prematching": 0.115, "Activering": 0.023}
WORK_TOLERANCE = {"Matching": 0.03, "Prematching": 0.025, "Activering": 0.015}
TABLE_5_1 = {
    "age": {"18-30": 0.253, "30-45": 0.417, "45-55": 0.207, "55-65": 0.122},
    "female": {True: 0.478},
    "education": {"laag": 0.330, "midden": 0.399, "hoog": 0.114, "onbekend": 0.158},
    "origin": {"autochtoon": 0.239, "turks_marokkaans": 0.199, "surinaams_antilliaans": 0.254, "anders": 0.308},
    "cohabiting": {True: 0.329},
    "children": {True: 0.429},
}
COVARIATE_TOLERANCE = 0.03


def analysis_frame(extract) -> pd.DataFrame:
    t = extract.tables
    df = t["clients"].merge(t["referrals"], on="client_id").merge(t["outcomes"], on="client_id")
    age = (df["referral_date"] - df["birth_date"]).dt.days / 365.25
    within = df["work_start_date"].notna() & (df["work_start_date"] <= df["referral_date"] + pd.DateOffset(months=12))
    return pd.DataFrame({
        "department": df["department"].astype(object),
        "caseworker": df["caseworker_id"].astype(object),
        "age_years": age,
        "age": pd.cut(age, [18, 30, 45, 55, 66], right=False, labels=list(TABLE_5_1["age"])).astype(object),
        "female": (df["sex"] == "V").astype(bool),
        "education": df["education_level"].fillna("onbekend").astype(object),
        "origin": df["origin"].astype(object),
        "cohabiting": df["household_type"].str.startswith("samenwonend").astype(bool),
        "children": (df["n_children"] > 0).astype(bool),
        "work": within.astype(float),
        "later_work": (df["work_start_date"].notna() & ~within).astype(bool),
    })


@pytest.fixture(scope="module")
def frame(demo_clean):
    return analysis_frame(demo_clean)


def loo_share(frame: pd.DataFrame, department: str) -> pd.Series:
    """Share of `department` among the caseworker's other clients (leave-one-out)."""
    hit = (frame["department"] == department).astype(float)
    grouped = hit.groupby(frame["caseworker"])
    return (grouped.transform("sum") - hit) / (grouped.transform("size") - 1)


def first_stage_t(frame: pd.DataFrame) -> float:
    """t-value of the leave-one-out Matching share in a regression of Matching on it."""
    y = (frame["department"] == "Matching").astype(float)
    result = stats.linregress(loo_share(frame, "Matching"), y)
    return result.slope / result.stderr


def test_size_ages_and_cohort(demo_clean, frame):
    clients, benefits = demo_clean.tables["clients"], demo_clean.tables["benefits"]
    assert len(clients) == 6000
    first = benefits.groupby("client_id")["start_date"].min()
    assert (first.dt.year == 2015).all()
    age = (first - clients.set_index("client_id")["birth_date"]).dt.days / 365.25
    assert age.min() >= 18 and age.max() < 65.3     # 18 up to the 2015 state pension age (65 y 3 m)


def test_referral_shares_close_to_report(frame):
    shares = frame["department"].value_counts(normalize=True)
    total = sum(REFERRALS.values())
    for department, count in REFERRALS.items():
        assert shares[department] == pytest.approx(count / total, abs=0.02), department


@pytest.mark.parametrize("covariate", list(TABLE_5_1))
def test_covariate_mix_close_to_table_5_1(frame, covariate):
    shares = frame[covariate].value_counts(normalize=True)
    for level, target in TABLE_5_1[covariate].items():
        assert shares.get(level, 0.0) == pytest.approx(target, abs=COVARIATE_TOLERANCE), (covariate, level)


def test_department_profiles_follow_table_5_1(frame):
    """Matching younger and better educated, Activering older, Prematching more unknown education."""
    by = frame.groupby("department")
    young = by["age"].apply(lambda s: (s == "18-30").mean())
    old = by["age"].apply(lambda s: (s == "55-65").mean())
    unknown = by["education"].apply(lambda s: (s == "onbekend").mean())
    middle = by["education"].apply(lambda s: (s == "midden").mean())
    assert young["Matching"] > young["Prematching"] > young["Activering"]
    assert old["Activering"] > 0.25 > old["Matching"]
    assert unknown["Prematching"] > unknown["Activering"] > unknown["Matching"]
    assert middle["Matching"] > 0.45 > middle["Prematching"]


def test_raw_work_rates_close_to_table_5_2(frame):
    rates = frame.groupby("department")["work"].mean()
    for department, target in WORK_RATES.items():
        assert rates[department] == pytest.approx(target, abs=WORK_TOLERANCE[department]), department


def test_raw_difference_biased_upward_and_iv_recovers_truth(demo_clean, frame):
    rates = frame.groupby("department")["work"].mean()
    true_effect = demo_clean.manifest["true_effects"]["Matching"]
    assert true_effect == 0.27
    assert rates["Matching"] - rates["Prematching"] > true_effect + 0.03     # report: raw +33 vs IV +27
    data = frame.assign(M=(frame["department"] == "Matching").astype(float),
                        A=(frame["department"] == "Activering").astype(float),
                        zM=loo_share(frame, "Matching"), zA=loo_share(frame, "Activering"), const=1.0)
    fit = IV2SLS(data["work"], data[["const"]], data[["M", "A"]], data[["zM", "zA"]]).fit(
        cov_type="clustered", clusters=pd.Categorical(data["caseworker"]).codes)
    assert abs(fit.params["M"] - true_effect) < 2.5 * fit.std_errors["M"]
    assert fit.std_errors["M"] < 0.08


def test_some_work_starts_fall_outside_the_12_month_window(frame):
    assert 0.05 < frame["later_work"].mean() < 0.25


def test_caseworkers_teams_and_strong_first_stage(demo_clean, frame):
    referrals = demo_clean.tables["referrals"]
    assert referrals["caseworker_id"].nunique() == 80
    assert referrals["team"].nunique() == 5
    assert referrals.groupby("caseworker_id")["team"].nunique().max() == 1
    assert first_stage_t(frame) > 10
    share = frame.groupby("caseworker")["department"].apply(lambda s: (s == "Matching").mean())
    assert share.quantile(0.95) - share.quantile(0.05) > 0.3     # a wide grey area


@pytest.mark.parametrize("covariate", ["age", "female", "education", "origin", "children"])
def test_random_assignment_covariates_independent_of_caseworker(frame, covariate):
    table = pd.crosstab(frame["caseworker"], frame[covariate])
    assert stats.chi2_contingency(table).pvalue > 0.01


def test_non_random_assignment_sorts_clients_over_caseworkers():
    frame = analysis_frame(generate(defects=False, random_assignment=False))
    groups = [g["age_years"].to_numpy() for _, g in frame.groupby("caseworker")]
    assert stats.f_oneway(*groups).pvalue < 1e-6
    table = pd.crosstab(frame["caseworker"], frame["education"])
    assert stats.chi2_contingency(table).pvalue < 1e-6


def test_no_preference_spread_means_no_first_stage():
    frame = analysis_frame(generate(defects=False, preference_spread=0.0))
    assert abs(first_stage_t(frame)) < 3


@pytest.mark.parametrize("matching, activering", [(0.0, 0.0), (0.1, -0.05)])
def test_effect_parameters_shift_work_rates(matching, activering):
    extract = generate(defects=False, effect_matching=matching, effect_activering=activering)
    rates = analysis_frame(extract).groupby("department")["work"].mean()
    assert extract.manifest["true_effects"] == {"Matching": matching, "Activering": activering}
    # The baselines stay calibrated to the raw rates at the default effects.
    assert rates["Matching"] == pytest.approx(WORK_RATES["Matching"] - 0.27 + matching, abs=0.03)
    assert rates["Prematching"] == pytest.approx(WORK_RATES["Prematching"], abs=0.025)


def test_other_sizes_and_parameters():
    extract = generate(n_clients=400, seed=1, n_caseworkers=20, interventions_per_client=8)
    assert extract.tables["referrals"]["caseworker_id"].dropna().nunique() == 20
    assert len(extract.tables["interventions"]) / 400 > 5
    assert set(extract.tables["referrals"]["department"]) == set(DEPARTMENTS)
    assert extract.manifest["n_caseworkers"] == 20


@pytest.mark.parametrize("params", [{"n_caseworkers": 1}, {"effect_matching": 0.99, "effect_activering": -0.5},
                                    {"preference_spread": -1.0}])
def test_impossible_parameters_are_refused(params):
    with pytest.raises(ValueError):
        generate(n_clients=100, **params)


def test_unknown_parameter_is_refused():
    with pytest.raises(TypeError):
        generate(n_clients=100, effect=0.3)


def test_same_seed_same_tables_other_seed_other_tables():
    first, second = generate(n_clients=1500, seed=7), generate(n_clients=1500, seed=7)
    for name, table in first.tables.items():
        pd.testing.assert_frame_equal(table, second.tables[name])
    assert first.manifest == second.manifest
    other = generate(n_clients=1500, seed=8)
    assert not other.tables["clients"]["bsn"].equals(first.tables["clients"]["bsn"])
    assert not np.array_equal(other.tables["referrals"]["department"], first.tables["referrals"]["department"])
