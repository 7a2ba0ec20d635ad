"""Estimates whose interval leaves the range a difference in chances can have (-100 to +100
points) are named in a warning finding and marked on the page (issue 13, problem 8)."""
from __future__ import annotations

import pytest

from design_feasibility import analyse
from design_feasibility.estimates import outside_range
from design_feasibility.result import Estimate, SubgroupEstimate


def _estimate(low, high, **extra):
    return (SubgroupEstimate if extra else Estimate)(method="iv", department="Activering", estimate=(low + high) / 2,
                                                      se=0.1, ci_low=low, ci_high=high, n=100, **extra)


def test_an_interval_beyond_minus_or_plus_one_is_outside_the_range():
    assert outside_range(_estimate(-2.054, -0.015))
    assert outside_range(_estimate(0.2, 1.01))
    assert not outside_range(_estimate(-1.0, 1.0)) and not outside_range(_estimate(-0.229, 0.077))


@pytest.fixture(scope="module")
def result(demo):
    return analyse(demo.tables)


def test_demo_names_its_wild_subgroup_estimates_in_both_languages(result):
    finding = next(f for f in result.findings if f.id == "caseworker_preference.plausible_interval")
    # reference: the rule applied by hand to the printed numbers (percentage points)
    wild = [s for s in result.subgroups if 100 * s.ci_low < -100 or 100 * s.ci_high > 100]
    assert wild and finding.severity == "warning" and finding.value == len(wild)
    for s in wild:
        assert f"{s.department}, " in finding.message("nl") and s.level in finding.message("en")
    assert "leeftijd 18-29" in finding.message("nl") and "age 18-29" in finding.message("en")
    assert finding.message("nl").startswith(f"{len(wild)} schattingen hebben")
    assert "plausible_interval" not in finding.message("nl") + finding.title("nl")


def test_one_wild_estimate_is_written_in_the_singular():
    from core.findings import make
    finding = make("caseworker_preference.plausible_interval", key="diag.plausible_interval.fail",
                   severity="warning", value=1.0, items={"nl": "x", "en": "x"})
    assert finding.message("nl").startswith("1 schatting heeft een interval")
    assert finding.message("en").startswith("1 estimate has an interval")
