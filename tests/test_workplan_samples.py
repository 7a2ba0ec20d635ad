"""The workplan's rules on two assessments made by the real producers (tests/workplan_fixtures):
lights, conditions, tasks and register follow the planted truth of the demo extracts and the
answers given, and small counts never reach a text."""
from __future__ import annotations

import re

import pytest

from core.findings import catalogue
from workplan.report import build_report
from workplan_fixtures import extracts, not_ready, ready


def _condition(report, cid):
    return next(c for c in report.conditions if c.id == cid)


def _title(finding_id: str, lang: str = "en") -> str:
    return catalogue()[finding_id]["title"][lang]


def _planted(finding_id: str) -> int:
    return extracts()[1].manifest["defects"][finding_id]["count"]


def test_lights_follow_the_step_verdicts():
    good, bad = build_report(ready()), build_report(not_ready())
    lights = {l.step: l.light for l in good.lights}
    # level 4 on every question passes the gate (minimum 3); a clean extract has no errors;
    # a ticked checklist and valid BSNs leave linkage at most "with actions"
    assert lights["maturity"] == "green" and lights["quality"] != "red" and lights["linkage"] != "red"
    bad_lights = {l.step: l.light for l in bad.lights}
    # level 1 everywhere blocks the gate; planted date/code errors; planted BSN errors + open checklist
    assert (bad_lights["maturity"], bad_lights["quality"], bad_lights["linkage"]) == ("red", "red", "red")


def test_not_run_step_is_grey_and_its_conditions_stay_to_do():
    a = ready()
    a.design = None
    report = build_report(a)
    assert {l.step: l.light for l in report.lights}["design"] == "grey"
    condition = _condition(report, "enough_observations")
    assert (condition.met, condition.decided) == (False, False)
    assert next(g for g in report.gates if g.id == "design").go is None


def test_conditions_are_decided_by_the_evidence():
    good, bad = build_report(ready()), build_report(not_ready())
    assert _condition(good, "research_registration").met
    condition = _condition(bad, "research_registration")
    assert not condition.met and condition.decided
    evidence = condition.evidence[0]["en"]
    assert f"{_title('date.end_before_start')} ({_planted('date.end_before_start')})" in evidence
    # 7 referrals without caseworker were planted: under the disclosure threshold, so "<10"
    assert f"{_title('referral.missing_caseworker')} (<10)" in evidence
    assert "date.end_before_start" not in evidence            # titles, never ids
    assert _condition(good, "diverse_team").met and not _condition(bad, "diverse_team").met
    # every answer at level 4: the questions behind these conditions pass (minimum 3)
    assert _condition(good, "transparency").met and _condition(good, "no_automated_decisions").met
    assert not _condition(bad, "transparency").met


def test_tasks_are_triggered_by_findings_and_lengthen_the_plan():
    good, bad = build_report(ready()), build_report(not_ready())
    bad_tasks = " ".join(t.text["en"] for p in bad.phases for t in p.tasks)
    assert (f"Repair the BSN registration before delivery: {_title('bsn.sentinel')} (<10), "
            f"{_title('bsn.invalid_checksum')} (<10)") in bad_tasks
    assert "crosswalk between the coding eras" in bad_tasks
    good_tasks = " ".join(t.text["en"] for p in good.phases for t in p.tasks)
    assert "Repair the BSN" not in good_tasks
    assert bad.total_weeks > good.total_weeks
    assert all(t.priority == 1 for t in bad.actions[:3])


def test_register_follows_the_extract():
    small = extracts()[1].tables["interventions"]
    codes = small["intervention_code"].nunique()
    largest = small.groupby("intervention_code")["client_id"].nunique().max()
    bad = {e.text["en"] for e in build_report(not_ready()).register}
    assert any(f"even the largest of the {codes} intervention codes has {largest} clients" in t for t in bad)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_text_is_filled_and_no_small_count_slips_in(lang):
    for report in (build_report(ready()), build_report(not_ready())):
        texts = [e.text[lang] for e in report.register] + [
            t.text[lang] for p in report.phases for t in p.tasks]
        assert not [t for t in texts if "{" in t or " - " == t]
        # the planted 7 missing caseworkers and 5 bad BSNs never appear as numbers (a count of
        # estimates, "5 schattingen", is not a count of people)
        assert not [t for t in texts if re.search(r"(^| )[57] (?!schattingen|estimates)", t)]


def test_grey_area_share_survives_hidden_counts():
    """Disclosure control may hide the 'always' and 'never' counts; the grey-area share must
    then come from the published share, not from the visible counts (which would read 100%)."""
    from workplan.charts import grey_area
    from workplan.rules import derive_facts
    a = ready()
    area = next(g for g in a.design["grey_area"] if g["department"] == "Activering")
    area.update(certainly_yes=None, certainly_no=None, maybe=int(0.4 * area["clients"]), maybe_share=0.4)
    assert derive_facts(a)["grey_activering"] == 0.4
    drawn = grey_area(a.design, "en").to_dict()["datasets"]
    shares = {(row["department"], row["label"]): row["share"] for rows in drawn.values() for row in rows}
    assert shares[("Activering", "maybe (grey area)")] == pytest.approx(0.4, abs=0.001)
    assert shares[("Activering", "hidden (protects small numbers)")] == pytest.approx(0.6, abs=0.001)
