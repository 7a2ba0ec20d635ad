"""The extract date: given, from the manifest, or inferred from the data - never today."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from core.extract_date import infer_extract_date, resolve_extract_date
from demo import generate


@pytest.mark.parametrize("seed", [2015, 1, 2])
def test_old_extract_date_is_inferred_and_planted_future_records_counted(seed):
    """The demo registration ends 2018-12-31 (years before today); the planted future-dated
    intervention starts are exactly the events after the inferred date."""
    demo = generate(n_clients=1500, seed=seed)
    inferred = infer_extract_date(demo.tables)
    assert (inferred.date, inferred.basis) == (demo.manifest["extract_date"], "inferred")
    assert inferred.after == demo.manifest["defects"]["date.future"]["count"]
    assert "31/12/2018" in inferred.explanation("en") and "inferred" in inferred.explanation("en")
    assert "31-12-2018" in inferred.explanation("nl")


def test_a_stray_far_future_date_and_sentinels_do_not_move_the_date():
    demo = generate(n_clients=600, seed=7, defects=False)
    tables = dict(demo.tables)
    outcomes = tables["outcomes"].copy()
    outcomes.loc[outcomes.index[0], "work_start_date"] = pd.Timestamp("2031-05-01")
    interventions = tables["interventions"].copy()
    interventions.loc[interventions.index[:3], "start_date"] = pd.Timestamp("9999-12-31")
    tables.update(outcomes=outcomes, interventions=interventions)
    inferred = infer_extract_date(tables)
    assert inferred.date == "2018-12-31" and inferred.after == 1


def test_precedence_given_then_manifest_then_data(tmp_path):
    demo = generate(n_clients=300, seed=3)
    assert resolve_extract_date(demo.tables, given="2019-06-30", folder=tmp_path).basis == "given"
    (tmp_path / "manifest.json").write_text(json.dumps({"extract_date": "2019-01-31"}))
    found = resolve_extract_date(demo.tables, folder=tmp_path)
    assert (found.date, found.basis) == ("2019-01-31", "manifest")
    (tmp_path / "manifest.json").write_text("{not json")
    assert resolve_extract_date(demo.tables, folder=tmp_path).basis == "inferred"


def test_no_dates_at_all_is_unknown_not_today():
    result = infer_extract_date({"clients": pd.DataFrame({"client_id": ["a"]})})
    assert (result.date, result.basis) == ("", "unknown")


def test_a_stray_future_outcome_does_not_lengthen_the_design_follow_up():
    """Issue: one outcome dated 2031 made the design step count truncated follow-up as complete.
    The end of observation is the inferred extract date, so the IV stays the same."""
    from design_feasibility import analyse
    demo = generate(n_clients=1500, seed=9, defects=False)
    base = analyse(demo.tables).estimate("iv", "Matching").estimate
    outcomes = demo.tables["outcomes"].copy()
    outcomes.loc[outcomes.index[0], "work_start_date"] = pd.Timestamp("2031-05-01")
    stray = analyse({**demo.tables, "outcomes": outcomes}).estimate("iv", "Matching").estimate
    assert abs(stray - base) < 0.005


def test_quality_profile_of_an_old_extract_finds_its_future_dates_without_a_date_given():
    from quality_checks.profile import profile_extract
    demo = generate(n_clients=1500, seed=2015)
    report = profile_extract(demo.tables)
    assert (report.extract_date, report.extract_date_basis.basis) == ("2018-12-31", "inferred")
    counts = {f.id: f.count for f in report.findings}
    assert counts["date.future"] == demo.manifest["defects"]["date.future"]["count"]
