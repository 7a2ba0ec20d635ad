"""The Rotterdam caseworker-preference (IV) design (report ch. 5, annex B4), kind
`caseworker_preference`, for the municipality's own arms (core.arms: 2 to 8
values of referrals.department, one of them the reference): diagnostics of its assumptions as
findings and, with an outcome, the Table 5.3/5.5 estimates of every treated arm. The arms and
the reference are always stated (finding `arms`). Too few or too many arms, or too few clients
or caseworkers to estimate anything, is a finding too (with what it would take), not an error.
"""
from __future__ import annotations

from core.arms import rare_share
from design_feasibility import assignment, power
from design_feasibility.config import shared_setting
from design_feasibility.design_findings import DesignFindings, judge
from design_feasibility import inference_findings
from design_feasibility.estimates import estimate_names, outside_range, subgroup_estimates, table_estimates
from design_feasibility.inference.pipeline import run_inference
from design_feasibility.first_stage import conditional_f, cross_effects, grey_area, subgroup_first_stages
from design_feasibility.frame import AnalysisFrame
from design_feasibility.preferences import estimate_preferences
from design_feasibility.protocol import DeclaredDesign, DesignRun, Inputs
from design_feasibility.result import CaseworkerPoint


def _chart_points(prefs, minimum: int) -> list[CaseworkerPoint]:
    """The chart of the first treated arm (Rotterdam: Matching)."""
    arm = prefs.treated[0]
    table = prefs.by_caseworker[prefs.by_caseworker["clients"] >= minimum]
    table = table.sort_values(f"preference_{arm}").reset_index(drop=True)
    return [CaseworkerPoint(rank=i + 1, clients=int(r["clients"]), arm=arm, share=float(r[f"share_{arm}"]),
                            preference=float(r[f"preference_{arm}"])) for i, r in table.iterrows()]


def _largest_cross(crosses: dict[str, dict[str, float]], arms: int) -> dict:
    """The text key and values of the largest cross-effect (one arm's preference in another
    arm's first stage); with two arms there is none."""
    pairs = [(into, of, value) for into, row in crosses.items() for of, value in row.items() if of != into]
    if not pairs:
        return {"key": "diag.monotonicity.two_arms"}
    into, of, value = max(pairs, key=lambda pair: abs(pair[2]))
    return {"key": "diag.monotonicity", "cross": value, "cross_from": of, "cross_to": into, "arms": arms}


class CaseworkerPreference(DeclaredDesign):

    def bounds(self, kind: str) -> dict:
        return self.config["diagnostics"][kind]

    def diagnose(self, found: DesignFindings, kind: str, value, **values):
        return found.diagnostic(kind, value, self.bounds(kind), **values)

    def too_small(self, frame: AnalysisFrame) -> dict | None:
        """The counts of the too-small finding when the design cannot be estimated at all."""
        summary, c = frame.summary, self.config
        departments = sum(count > 0 for count in summary.departments.values())
        if summary.analysed >= c["min_clients"] and summary.caseworkers >= c["min_caseworkers"] \
                and departments == len(frame.arms.names):
            return None
        return {"clients": summary.analysed, "caseworkers": summary.caseworkers, "departments": departments,
                "arms": len(frame.arms.names),
                "min_clients": c["min_clients"], "min_caseworkers": c["min_caseworkers"],
                "good_caseworkers": self.bounds("caseworkers_large")["pass"],
                "good_caseload": self.bounds("clients_per_caseworker")["pass"]}

    def assess(self, inputs: Inputs) -> DesignRun:
        frame, options, found = inputs.frame, inputs.options, self.findings()
        treated = frame.arms.treated
        self._arms(found, frame)
        if not frame.has_outcome:
            found.add("outcome_missing", "diag.outcome_missing")
        if not self._arms_in_range(found, frame):
            return self.run(found)
        counts = self.too_small(frame)
        if counts:
            found.add("too_small", "diag.too_small", value=float(counts["clients"]),
                      threshold=float(counts["min_clients"]), **counts)
            return self.run(found)
        prefs = estimate_preferences(frame)
        strength = self.bounds("effective_f")
        report = run_inference(frame, prefs, disclosure_min=options.disclosure_min,
                               tau=strength["tau"], alpha=strength["alpha"])
        estimates = table_estimates(frame, prefs, report.iv) if frame.has_outcome else []
        subgroups = subgroup_estimates(frame, prefs, options.disclosure_min) if frame.has_outcome else []

        self._coverage(found, frame)
        self._caseload(found, frame, options.min_cluster)
        for department in treated:
            value = assignment.reliability(prefs, department, frame)
            self.diagnose(found, "preference_reliability", value, department=department, reliability=value)
        self._assignment(found, frame, prefs, report)
        stats = self._first_stage(found, frame, prefs, options.disclosure_min)
        inference_findings.add_findings(found, self.config["diagnostics"], report, {s.department: s.f for s in stats})
        grey = grey_area(frame, prefs, options.disclosure_min)
        for area in grey:
            if area.department in treated:
                self.diagnose(found, "grey_area", area.maybe_share, department=area.department,
                              share=area.maybe_share, switch=area.expected_switchers, maybe=area.maybe)
        self._power(found, frame, stats, estimates, options.target_effect)
        self.diagnose(found, "inference", frame.summary.caseworkers, caseworkers=frame.summary.caseworkers)
        self._plausible(found, estimates + subgroups)
        return self.run(found, estimates=estimates, subgroups=subgroups, grey_area=grey,
                        caseworkers=_chart_points(prefs, options.disclosure_min),
                        balance=inference_findings.balance_table(report),
                        outcome_line=inference_findings.outcome_line(report))

    def _arms(self, found, frame):
        """The arms compared and the reference, with where the reference comes from; the
        values too rare to be an arm."""
        arms = frame.arms
        found.add("arms", f"diag.arms.{arms.basis}", n_arms=len(arms.names), treated=", ".join(arms.treated) or "-",
                  reference=arms.reference, arms=list(arms.names))
        if arms.rare:
            found.add("rare_arms", "diag.rare_arms", count=frame.summary.dropped["rare_arm"],
                      values=", ".join(arms.rare), share=rare_share())

    def _arms_in_range(self, found, frame) -> bool:
        """Between min_arms and max_arms arms; otherwise the finding `arms_count`."""
        count, low, high = len(frame.arms.names), self.config["min_arms"], self.config["max_arms"]
        if low <= count <= high:
            return True
        found.add("arms_count", "diag.arms_count.too_few" if count < low else "diag.arms_count.too_many",
                  value=float(count), n_arms=count, names=", ".join(frame.arms.names) or "-",
                  minimum=low, maximum=high)
        return False

    def _plausible(self, found, estimates):
        """Estimates whose interval leaves the possible range, named for the reader."""
        wild = [e for e in estimates if outside_range(e)]
        if estimates:
            self.diagnose(found, "plausible_interval", len(wild), items=estimate_names(wild))

    def _coverage(self, found, frame):
        dropped = frame.summary.dropped
        department = dropped["unknown_department"] + dropped["rare_arm"]
        share = 1 - (dropped["missing_caseworker"] + department) / max(frame.summary.referred, 1)
        self.diagnose(found, "coverage", share, share=share, caseworker=dropped["missing_caseworker"],
                      department_missing=department)

    def _caseload(self, found, frame, minimum: int):
        loads = assignment.caseloads(frame)
        large = int((loads >= minimum).sum())
        self.diagnose(found, "caseworkers_large", large, caseworkers=len(loads), large=large, minimum=minimum)
        self.diagnose(found, "clients_per_caseworker", float(loads.median()), median=float(loads.median()),
                      low=float(loads.min()), high=float(loads.max()))

    def _assignment(self, found, frame, prefs, report):
        mix = assignment.assignment(frame, prefs)
        p = assignment.combined_p(mix)
        self.diagnose(found, "assignment", p, name="balance.caseload", p=p, r2=max(m.partial_r2 for m in mix))
        # covariates against each leave-one-out preference, with the small-sample corrected
        # (Hotelling) F of design_feasibility.inference: valid with 15 caseworkers as with 80
        treated, tests = list(report.balance), list(report.balance.values())
        p = assignment.combined_p(tests)
        largest = max(range(len(tests)), key=lambda i: tests[i].f)
        self.diagnose(found, "balance", p, name="balance.preference", p=p, q=tests[0].q,
                      r2=max(t.partial_r2 for t in tests), f=tests[largest].f, f_arm=treated[largest])

    def _first_stage(self, found, frame, prefs, minimum: int) -> list:
        stats = conditional_f(frame, prefs)
        for s in stats:
            self.diagnose(found, "first_stage", s.f, department=s.department, f=s.f, r2=s.partial_r2)
        crosses = cross_effects(frame, prefs)
        signs = subgroup_first_stages(frame, prefs, minimum)
        negative = [s for s in signs if s.coefficient < 0]
        significant = [s for s in negative if s.p < self.bounds("monotonicity")["alpha"]]
        level = "fail" if significant else "warn" if negative else "pass"
        names = ", ".join(f"{s.group}={s.level} ({s.department})" for s in negative) or "-"
        self.diagnose(found, "monotonicity", len(significant), level=level, tested=len(signs),
                      negative=len(negative), names=names, **_largest_cross(crosses, len(frame.arms.names)))
        return stats

    def _power(self, found, frame, stats, estimates, target: float):
        """MDE per department: from the IV's clustered SE when an outcome is present, else planned."""
        data = frame.data
        if frame.has_outcome:
            variance, rho = float(data["y"].var()), power.icc(data["y"], data["caseworker"])
        else:
            rate = shared_setting("assumed_outcome_rate")
            variance, rho = rate * (1 - rate), self.config["assumed_icc"]
        caseload = power.weighted_caseload(assignment.caseloads(frame))
        for s in stats:
            if frame.has_outcome:
                iv = next(e for e in estimates if e.method == "iv" and e.department == s.department)
                mde, basis = power.multiplier() * iv.se, "observed"
            else:
                mde, basis = power.iv_mde(len(data), s.partial_r2, variance, caseload, rho), "planned"
            bounds = self.bounds("power")
            found.diagnostic("power", mde, bounds, department=s.department, key=f"diag.power.{basis}",
                             level=judge(bounds, mde / target), threshold=target,
                             mde=mde, target=target, icc=rho)
