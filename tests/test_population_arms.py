"""The population step's subgroup feasibility uses the data's own arms (core.arms), by the rule
of the design step: a four-arm and a two-arm organisation get their arms, their reference and
per-arm counts equal to a hand count with pandas."""
from __future__ import annotations

import pandas as pd
import pytest

from core.arms import ArmChoice
from demo import generate
from population import Options, analyse


@pytest.fixture(scope="module", params=["four_arms", "two_arms"])
def organisation(request):
    return generate(n_clients=3000, seed=4, organisation=request.param, defects=False)


def _hand_counts(tables: dict, merge: dict | None = None) -> pd.DataFrame:
    """Clients per sex and arm of their first referral, counted with pandas alone."""
    first = tables["referrals"].sort_values("referral_date").drop_duplicates("client_id")
    arm = first["department"].replace(merge or {})
    sex = first["client_id"].map(tables["clients"].drop_duplicates("client_id").set_index("client_id")["sex"])
    return pd.crosstab(sex, arm)


def _row(result, label: str) -> dict:
    return next(r for r in result.feasibility["rows"] if r["label"]["en"] == label)


def _check_counts(result, hand: pd.DataFrame) -> int:
    checked = 0
    for label, level in (("Man", "M"), ("Woman", "V")):
        for arm, n in _row(result, label)["arms"].items():
            if isinstance(n, int):      # "<10"/"x" are hidden cells
                assert n == hand.loc[level, arm]
                checked += 1
    return checked


def test_arms_reference_and_counts_are_the_organisations(organisation):
    arms = sorted(organisation.manifest["arms"])
    reference = organisation.manifest["reference"]     # the planted reference, not the largest arm
    result = analyse(organisation.tables, Options(with_types=False, arms=ArmChoice.of(reference=reference)))
    feas = result.feasibility
    assert (feas["reference_arm"], feas["reference_basis"]) == (reference, "given")
    assert sorted(feas["arms"]) == sorted(a for a in arms if a != reference)
    assert list(_row(result, "Man")["arms"]) == [reference, *feas["arms"]]   # as the PDF's and CLI's columns
    assert sorted(_row(result, "Man")["arms"]) == arms
    assert set(_row(result, "Man")["mde"]) == set(feas["arms"])
    assert _check_counts(result, _hand_counts(organisation.tables)) >= 2 * len(arms) - 1


def test_without_a_reference_the_largest_arm_is_it_as_in_the_design(organisation):
    from design_feasibility.frame import build_frame
    feas = analyse(organisation.tables, Options(with_types=False)).feasibility
    frame = build_frame(organisation.tables).summary
    assert (feas["reference_arm"], feas["reference_basis"]) == (frame.reference, frame.reference_basis)
    first = organisation.tables["referrals"].sort_values("referral_date").drop_duplicates("client_id")
    if len(first["department"].unique()) > 2:
        assert feas["reference_arm"] == first["department"].value_counts().index[0]


def test_merged_arms_count_together():
    extract = generate(n_clients=3000, seed=4, organisation="four_arms", defects=False)
    merge = {"Zorg": "Participatie"}
    result = analyse(extract.tables, Options(with_types=False, arms=ArmChoice.of(merge, "Werkfit")))
    assert sorted(result.feasibility["arms"]) == ["Participatie", "Werk"]
    assert _check_counts(result, _hand_counts(extract.tables, merge)) >= 5


def test_without_referrals_no_subgroup_is_feasible():
    tables = generate(n_clients=300, seed=5, defects=False).tables
    feas = analyse({"clients": tables["clients"], "outcomes": tables["outcomes"]}, Options(with_types=False)).feasibility
    assert (feas["reference_arm"], feas["arms"]) == ("", [])
    assert not any(r["feasible"] for r in feas["rows"] if r.get("needs") is None)
