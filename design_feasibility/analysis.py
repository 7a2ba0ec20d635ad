"""Step 4 in one call: `analyse(tables, options) -> DesignResult`."""
from __future__ import annotations

import pandas as pd
from threadpoolctl import threadpool_limits

from core import LANGUAGES
from core.errors import UserInputError
from design_feasibility import assignment, power
from design_feasibility.config import Options, analysis_setting, both, number
from design_feasibility.diagnostics import judge, make, pct
from design_feasibility.estimates import subgroup_estimates, table_estimates
from design_feasibility.first_stage import conditional_f, cross_effects, grey_area, subgroup_first_stages
from design_feasibility.frame import TREATED, AnalysisFrame, build_frame
from design_feasibility.other_designs import (child_birthday_design, default_policy_date,
                                              difference_in_differences)
from design_feasibility.preferences import estimate_preferences
from design_feasibility.result import CaseworkerPoint, DesignResult, DesignVerdict, Diagnostic

MIN_CLIENTS = 50   # below this the caseworker design cannot be estimated at all


def _coverage(frame: AnalysisFrame) -> Diagnostic:
    dropped = frame.summary.dropped
    lost = dropped["missing_caseworker"] + dropped["unknown_department"]
    share = 1 - lost / max(frame.summary.referred, 1)
    return make("coverage", share, share=pct(share, 1), caseworker=dropped["missing_caseworker"],
                department_missing=dropped["unknown_department"])


def _caseload(frame: AnalysisFrame, options: Options) -> list[Diagnostic]:
    loads = assignment.caseloads(frame)
    large = int((loads >= options.min_cluster).sum())
    return [make("caseworkers_large", large, caseworkers=len(loads), large=large, minimum=options.min_cluster),
             make("clients_per_caseworker", float(loads.median()), median=number(loads.median(), 0),
                  low=number(loads.min(), 0), high=number(loads.max(), 0))]


def _first_stage(frame, prefs, options) -> tuple[list[Diagnostic], list]:
    stats = conditional_f(frame, prefs)
    crosses = cross_effects(frame, prefs)
    out = [make("first_stage", s.f, department=s.department, f=number(s.f, 1),
                r2=pct(s.partial_r2, 2)) for s in stats]
    signs = subgroup_first_stages(frame, prefs, options.disclosure_min)
    negative = [s for s in signs if s.coefficient < 0]
    significant = [s for s in negative if s.t < -1.96]
    verdict = "fail" if significant else "warn" if negative else "pass"
    names = ", ".join(f"{s.group}={s.level} ({s.department})" for s in negative) or "-"
    out.append(make("monotonicity", len(significant), verdict=verdict, tested=len(signs),
                    negative=len(negative), names=names,
                    cross_ma=number(crosses["Activering"]["Matching"], 2),
                    cross_am=number(crosses["Matching"]["Activering"], 2)))
    return out, stats


def _power(frame, stats, estimates, options) -> list[Diagnostic]:
    """MDE per department: from the IV's clustered SE when an outcome is present, else planned."""
    data = frame.data
    if frame.has_outcome:
        variance, rho = float(data["y"].var()), power.icc(data["y"], data["caseworker"])
    else:
        rate = analysis_setting("assumed_outcome_rate")
        variance, rho = rate * (1 - rate), analysis_setting("assumed_icc")
    caseload = power.weighted_caseload(assignment.caseloads(frame))
    out = []
    for s in stats:
        if frame.has_outcome:
            iv = next(e for e in estimates if e.method == "iv" and e.department == s.department)
            mde, basis = power.multiplier() * iv.se, "basis_observed"
        else:
            mde, basis = power.iv_mde(len(data), s.partial_r2, variance, caseload, rho), "basis_planned"
        out.append(make("power", mde, department=s.department, verdict=judge("power", mde / options.target_effect),
                        threshold=options.target_effect, mde=pct(mde, 1), target=pct(options.target_effect, 0),
                        basis=both(basis, icc=number(rho, 3))))
    return out


def _iv_verdict(diagnostics: list[Diagnostic], outcome_present: bool) -> DesignVerdict:
    failing = [d for d in diagnostics if d.verdict == "fail"]
    warning = [d for d in diagnostics if d.verdict == "warn"]
    blocking = [d for d in failing if not d.id.startswith("power.")]
    missing = [] if outcome_present else [both("missing.outcome_cbs")]
    if blocking:
        return DesignVerdict("caseworker_preference", "not_feasible", [d.explanation for d in blocking], missing)
    if failing or warning:
        return DesignVerdict("caseworker_preference", "feasible_with_caveats",
                             [d.explanation for d in failing + warning], missing)
    return DesignVerdict("caseworker_preference", "feasible", [both("iv.all_pass")], missing)


def _chart_points(prefs, minimum: int) -> list[CaseworkerPoint]:
    table = prefs.by_caseworker[prefs.by_caseworker["clients"] >= minimum]
    table = table.sort_values("preference_Matching").reset_index(drop=True)
    return [CaseworkerPoint(rank=i + 1, clients=int(r.clients), matching_share=float(r.share_Matching),
                            preference_matching=float(r.preference_Matching)) for i, r in table.iterrows()]


def analyse(tables: dict[str, pd.DataFrame], options: Options | None = None) -> DesignResult:
    """All diagnostics, the design verdicts and (with an outcome) the Table 5.3/5.5 estimates.

    Runs with one BLAS thread: the many tall, narrow least-squares problems are about ten
    times slower when OpenBLAS threads compete for two cores."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _analyse(tables, options or Options())


def _analyse(tables: dict[str, pd.DataFrame], options: Options) -> DesignResult:
    if "referrals" not in tables or "clients" not in tables:
        raise UserInputError("missing_table", table="referrals" if "referrals" not in tables else "clients")
    frame = build_frame(tables)
    if frame.summary.analysed < MIN_CLIENTS or frame.summary.caseworkers < 2 \
            or min(frame.summary.departments.values()) == 0:
        raise UserInputError("design_too_small", clients=frame.summary.analysed,
                             caseworkers=frame.summary.caseworkers)
    prefs = estimate_preferences(frame)
    estimates = table_estimates(frame, prefs) if frame.has_outcome else []
    subgroups = subgroup_estimates(frame, prefs, options.disclosure_min) if frame.has_outcome else []

    diagnostics = [_coverage(frame), *_caseload(frame, options)]
    for department in TREATED:
        value = assignment.reliability(prefs, department, frame)
        diagnostics.append(make("preference_reliability", value, department=department, reliability=number(value, 2)))
    mix = assignment.assignment(frame, prefs)
    p = assignment.combined_p(mix)
    diagnostics.append(make("assignment", p, diagnostic_id="balance.caseload", p=number(p, 3), r2=pct(max(m.partial_r2 for m in mix), 1)))
    tests = assignment.balance(frame, prefs)
    p = assignment.combined_p(tests)
    diagnostics.append(make("balance", p, diagnostic_id="balance.preference", p=number(p, 3),
                            f={lang: " / ".join(number(t.f, 2)[lang] for t in tests) for lang in LANGUAGES},
                            q=tests[0].df, r2=pct(max(t.r2 for t in tests), 1)))
    first, stats = _first_stage(frame, prefs, options)
    diagnostics += first
    grey = grey_area(frame, prefs, options.disclosure_min)
    for area in grey:
        if area.department in TREATED:
            share = area.maybe_share
            diagnostics.append(make("grey_area", share, department=area.department, share=pct(share),
                                    switch=pct(area.expected_switchers, 1)))
    diagnostics += _power(frame, stats, estimates, options)
    g = frame.summary.caseworkers
    diagnostics.append(make("inference", g, caseworkers=g))

    outcome = frame.has_outcome
    policy_date = options.policy_date if options.policy_date is not None else default_policy_date(tables)
    designs = [_iv_verdict(diagnostics, outcome),
               child_birthday_design(tables, options.target_effect, outcome),
               difference_in_differences(tables, policy_date, outcome)]
    notes = [frame.summary.outcome_definition]
    return DesignResult(frame=frame.summary, diagnostics=diagnostics, designs=designs, estimates=estimates,
                        subgroups=subgroups, grey_area=grey,
                        caseworkers=_chart_points(prefs, options.disclosure_min),
                        settings={"min_cluster": options.min_cluster, "target_effect": options.target_effect,
                                  "disclosure_min": options.disclosure_min,
                                  "policy_date": policy_date.date().isoformat()},
                        notes=notes)
