"""Feasibility diagnostics of the caseworker-preference design and the other designs."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import core  # noqa: F401
from core.jsonio import to_plain
from demo import generate
from design_feasibility import Options, analyse
from design_feasibility.diagnostics import judge
from design_feasibility.config import thresholds
from design_feasibility.other_designs import child_birthday_design, default_policy_date
from design_feasibility.power import icc, iv_mde, multiplier, two_group_mde


@pytest.fixture(scope="module")
def result(demo):
    return analyse(demo.tables)


def _verdicts(result) -> dict[str, str]:
    return {d.id: d.verdict for d in result.diagnostics}


def test_default_demo_passes_the_key_checks(result):
    verdicts = _verdicts(result)
    for key in ("coverage", "balance.caseload", "first_stage.Matching",
                "first_stage.Activering", "inference", "caseworkers_large"):
        assert verdicts[key] == "pass", key
    assert verdicts["balance.preference"] != "fail"     # a p-value: below 0.10 in 1 of 10 random draws
    assert result.design("caseworker_preference").verdict in ("feasible", "feasible_with_caveats")
    coverage = result.diagnostic("coverage")
    assert coverage.value == pytest.approx(1 - 48 / 6000)


def test_every_diagnostic_has_threshold_source_and_two_languages(result):
    for d in to_plain(result)["diagnostics"]:
        assert set(d) >= {"id", "value", "threshold", "verdict", "source", "explanation"}
        assert d["verdict"] in ("pass", "warn", "fail")
        assert d["explanation"]["nl"] and d["explanation"]["en"] and d["explanation"]["nl"] != d["explanation"]["en"]
        assert d["source"]["nl"] and d["source"]["en"] and "{" not in d["explanation"]["en"]


def test_non_random_assignment_fails_the_balance_check():
    result = analyse(generate(random_assignment=False).tables)
    caseload = result.diagnostic("balance.caseload")
    assert caseload.verdict == "fail" and caseload.value < 1e-3
    iv = result.design("caseworker_preference")
    assert iv.verdict == "not_feasible" and caseload.explanation in iv.reasons


def test_equal_preferences_fail_the_first_stage_check():
    result = analyse(generate(preference_spread=0.0).tables)
    for department in ("Matching", "Activering"):
        first = result.diagnostic(f"first_stage.{department}")
        assert first.verdict == "fail" and first.value < 10
    assert result.design("caseworker_preference").verdict == "not_feasible"
    assert _verdicts(result)["balance.caseload"] == "pass"


def test_grey_area_shares_are_proper_and_ordered(result):
    areas = {a.department: a for a in result.grey_area}
    assert set(areas) == {"Matching", "Prematching", "Activering"}
    for area in areas.values():
        counts = [area.certainly_yes, area.maybe, area.certainly_no]
        shown = [c for c in counts if c is not None]          # None: suppressed (small or complementary)
        assert area.clients == result.frame.analysed and all(c == 0 or c >= 10 for c in shown)
        assert sum(shown) == area.clients if len(shown) == 3 else sum(shown) <= area.clients - 10
        assert 0 < area.expected_switchers < 1
    assert 0 < areas["Matching"].maybe / areas["Matching"].clients < 1
    # Activering is the smallest department: its referral moves least with the caseworker (Table B4.1).
    assert areas["Activering"].expected_switchers < min(areas["Matching"].expected_switchers,
                                                         areas["Prematching"].expected_switchers)
    share = result.diagnostic("grey_area.Matching").value
    assert share == areas["Matching"].maybe_share
    if areas["Matching"].maybe is not None:
        assert share == pytest.approx(areas["Matching"].maybe / areas["Matching"].clients, abs=0.005)


def test_grey_area_hides_small_cells():
    result = analyse(generate(seed=7, n_clients=1500, n_caseworkers=20).tables, Options(disclosure_min=200))
    cells = [getattr(a, c) for a in result.grey_area for c in ("certainly_yes", "maybe", "certainly_no")]
    shown = [c for c in cells if c is not None]
    assert None in cells and all(c == 0 or c >= 200 for c in shown)


def test_monotonicity_and_preference_reliability(result):
    mono = result.diagnostic("monotonicity")
    assert mono.verdict == "pass" and mono.value == 0
    assert "Prematching" in mono.explanation["en"]            # the cross-effects caveat
    for department in ("Matching", "Activering"):
        assert 0.5 < result.diagnostic(f"preference_reliability.{department}").value <= 1


def test_power_uses_the_iv_standard_error_when_the_outcome_is_present(result):
    for department in ("Matching", "Activering"):
        power = result.diagnostic(f"power.{department}")
        assert power.value == pytest.approx(multiplier() * result.estimate("iv", department).se)
        assert power.threshold == 0.10
    loose = analyse(generate().tables, Options(target_effect=0.5))
    assert loose.diagnostic("power.Activering").verdict == "pass"


def test_planned_power_without_outcome(demo):
    tables = {k: v for k, v in demo.tables.items() if k != "outcomes"}
    result = analyse(tables)
    assert result.estimates == [] and not result.frame.outcome_present
    mde = result.diagnostic("power.Matching").value
    assert 0 < mde < 1
    assert any("SECMBUS" in m["en"] for m in result.design("caseworker_preference").missing)


def test_power_formulas():
    assert multiplier() == pytest.approx(1.959964 + 0.841621, abs=1e-5)
    # n = 10,000, R2 = 0.05, var = 0.25, no clustering: 2.8016 * sqrt(0.25 / 500)
    assert iv_mde(10_000, 0.05, 0.25, caseload=1, rho=0.5) == pytest.approx(2.801585 * np.sqrt(0.25 / 500), rel=1e-5)
    assert iv_mde(10_000, 0.05, 0.25, caseload=51, rho=0.02) == pytest.approx(
        np.sqrt(2) * iv_mde(10_000, 0.05, 0.25, caseload=1, rho=0.0), rel=1e-9)
    assert two_group_mde(0, 0.2) == float("inf")
    groups = pd.Series(np.repeat(np.arange(50), 40))
    rng = np.random.default_rng(1)
    values = pd.Series(np.repeat(rng.normal(size=50), 40) + rng.normal(size=2000))
    assert icc(values, groups) == pytest.approx(0.5, abs=0.15)
    assert icc(pd.Series(rng.normal(size=2000)), groups) < 0.03


def test_inference_advice_by_number_of_caseworkers():
    assert judge("inference", 80) == "pass"
    assert judge("inference", 30) == "warn"
    assert judge("inference", 6) == "fail"
    result = analyse(generate(seed=5, n_clients=1500, n_caseworkers=25).tables)
    advice = result.diagnostic("inference")
    assert advice.verdict == "warn" and "bootstrap" in advice.explanation["en"]


def test_difference_in_differences_defaults_to_the_coding_change(demo, result):
    assert default_policy_date(demo.tables) == pd.Timestamp(demo.manifest["coding_change"]["date"])
    assert result.settings["policy_date"] == demo.manifest["coding_change"]["date"]
    did = result.design("difference_in_differences")
    assert did.verdict == "feasible_with_caveats"
    early = analyse(demo.tables, Options(policy_date="2015-01-01")).design("difference_in_differences")
    assert early.verdict == "not_feasible"       # the cohort starts in 2015: no quarter before


def test_child_turns_five_design(demo, result, monkeypatch):
    rd = result.design("child_turns_5")
    assert "school" in " ".join(r["en"] for r in rd.reasons)
    single = (demo.tables["clients"]["household_type"] == "alleenstaande_ouder").sum()
    assert any(f"{single} single parents" in r["en"] for r in rd.reasons)
    monkeypatch.setitem(thresholds()["designs"], "rd_min_crossings", 10**6)
    assert child_birthday_design(demo.tables, 0.1, True).verdict == "not_feasible"
    monkeypatch.setitem(thresholds()["designs"], "rd_min_crossings", 1)
    assert child_birthday_design(demo.tables, 0.1, True).verdict == "feasible_with_caveats"
    without = {k: v.drop(columns=["youngest_child_birth_date"]) if k == "clients" else v
               for k, v in demo.tables.items()}
    blocked = analyse(without).design("child_turns_5")
    assert blocked.verdict == "not_feasible" and blocked.missing
