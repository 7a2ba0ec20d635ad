"""The inference checks on the step-4 analysis frame of the demo municipality."""
from __future__ import annotations

import json

import pytest
from threadpoolctl import threadpool_limits

from core.jsonio import to_plain
from design_feasibility.estimates import table_estimates
from design_feasibility.frame import build_frame
from design_feasibility.inference.pipeline import run_inference
from design_feasibility.preferences import estimate_preferences


@pytest.fixture(scope="module")
def demo_report(demo):
    with threadpool_limits(limits=1, user_api="blas"):
        frame = build_frame(demo.tables)
        prefs = estimate_preferences(frame)
        return frame, prefs, run_inference(frame, prefs), table_estimates(frame, prefs)


def test_iv_matches_the_design_step_and_names_its_method(demo_report):
    frame, _, report, estimates = demo_report
    for est in (e for e in estimates if e.method == "iv"):
        arm = report.iv.arm(est.department)
        assert arm.estimate == pytest.approx(est.estimate, rel=1e-9)
        assert arm.se == pytest.approx(est.se, rel=1e-8) and arm.primary_method == est.inference
        assert arm.primary_method in ("CR1", "CR3") and arm.ar is not None
    assert report.iv.clusters == frame.summary.caseworkers


def test_every_check_runs_on_the_demo(demo_report):
    _, _, report, _ = demo_report
    assert set(report.balance) == {"Matching", "Activering"}
    for b in report.balance.values():
        assert 0 <= b.p <= 1 and 0 <= b.partial_r2 < 1 and b.index_p is not None
    assert [e.arm for e in report.effective_f] == ["Matching", "Activering"]
    assert report.ujive is not None and len(report.ujive.arms) == 2
    em = report.exclusion_monotonicity
    assert em.df > 0 and all(p.clients >= 10 for p in em.points)


def test_the_report_serialises_to_strict_json(demo_report):
    _, _, report, _ = demo_report
    text = json.dumps(to_plain(report), allow_nan=False)     # unbounded AR ends become null
    assert '"primary_method"' in text and '"points"' in text
