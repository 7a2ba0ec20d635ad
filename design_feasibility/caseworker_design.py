"""The Rotterdam caseworker-preference (IV) design (report ch. 5, annex B4), kind
`caseworker_preference`: diagnostics of its assumptions as findings and, with an outcome, the
Table 5.3/5.5 estimates. Too few clients or caseworkers to estimate anything is a finding too
(with what it would take), not an error.
"""
from __future__ import annotations

from core.canonical import DEPARTMENTS
from design_feasibility import assignment, power
from design_feasibility.config import shared_setting
from design_feasibility.design_findings import DesignFindings, judge
from design_feasibility.estimates import clusters, estimate_names, outside_range, subgroup_estimates, table_estimates
from design_feasibility.inference.balance import joint_balance
from design_feasibility.first_stage import conditional_f, cross_effects, grey_area, subgroup_first_stages
from design_feasibility.frame import TREATED, AnalysisFrame
from design_feasibility.preferences import estimate_preferences
from design_feasibility.protocol import DeclaredDesign, DesignRun, Inputs
from design_feasibility.result import CaseworkerPoint


def _chart_points(prefs, minimum: int) -> list[CaseworkerPoint]:
    table = prefs.by_caseworker[prefs.by_caseworker["clients"] >= minimum]
    table = table.sort_values("preference_Matching").reset_index(drop=True)
    return [CaseworkerPoint(rank=i + 1, clients=int(r.clients), matching_share=float(r.share_Matching),
                            preference_matching=float(r.preference_Matching)) for i, r in table.iterrows()]


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
                and departments == len(DEPARTMENTS):
            return None
        return {"clients": summary.analysed, "caseworkers": summary.caseworkers, "departments": departments,
                "min_clients": c["min_clients"], "min_caseworkers": c["min_caseworkers"],
                "good_caseworkers": self.bounds("caseworkers_large")["pass"],
                "good_caseload": self.bounds("clients_per_caseworker")["pass"]}

    def assess(self, inputs: Inputs) -> DesignRun:
        frame, options, found = inputs.frame, inputs.options, self.findings()
        if not frame.has_outcome:
            found.add("outcome_missing", "diag.outcome_missing")
        counts = self.too_small(frame)
        if counts:
            found.add("too_small", "diag.too_small", value=float(counts["clients"]),
                      threshold=float(counts["min_clients"]), **counts)
            return self.run(found)
        prefs = estimate_preferences(frame)
        estimates = table_estimates(frame, prefs) if frame.has_outcome else []
        subgroups = subgroup_estimates(frame, prefs, options.disclosure_min) if frame.has_outcome else []

        self._coverage(found, frame)
        self._caseload(found, frame, options.min_cluster)
        for department in TREATED:
            value = assignment.reliability(prefs, department, frame)
            self.diagnose(found, "preference_reliability", value, department=department, reliability=value)
        self._assignment(found, frame, prefs)
        stats = self._first_stage(found, frame, prefs, options.disclosure_min)
        grey = grey_area(frame, prefs, options.disclosure_min)
        for area in grey:
            if area.department in TREATED:
                self.diagnose(found, "grey_area", area.maybe_share, department=area.department,
                              share=area.maybe_share, switch=area.expected_switchers)
        self._power(found, frame, stats, estimates, options.target_effect)
        self.diagnose(found, "inference", frame.summary.caseworkers, caseworkers=frame.summary.caseworkers)
        self._plausible(found, estimates + subgroups)
        return self.run(found, estimates=estimates, subgroups=subgroups, grey_area=grey,
                        caseworkers=_chart_points(prefs, options.disclosure_min))

    def _plausible(self, found, estimates):
        """Estimates whose interval leaves the possible range, named for the reader."""
        wild = [e for e in estimates if outside_range(e)]
        if estimates:
            self.diagnose(found, "plausible_interval", len(wild), items=estimate_names(wild))

    def _coverage(self, found, frame):
        dropped = frame.summary.dropped
        lost = dropped["missing_caseworker"] + dropped["unknown_department"]
        share = 1 - lost / max(frame.summary.referred, 1)
        self.diagnose(found, "coverage", share, share=share, caseworker=dropped["missing_caseworker"],
                      department_missing=dropped["unknown_department"])

    def _caseload(self, found, frame, minimum: int):
        loads = assignment.caseloads(frame)
        large = int((loads >= minimum).sum())
        self.diagnose(found, "caseworkers_large", large, caseworkers=len(loads), large=large, minimum=minimum)
        self.diagnose(found, "clients_per_caseworker", float(loads.median()), median=float(loads.median()),
                      low=float(loads.min()), high=float(loads.max()))

    def _assignment(self, found, frame, prefs):
        mix = assignment.assignment(frame, prefs)
        p = assignment.combined_p(mix)
        self.diagnose(found, "assignment", p, name="balance.caseload", p=p, r2=max(m.partial_r2 for m in mix))
        # covariates against each leave-one-out preference, with the small-sample corrected
        # (Hotelling) F of design_feasibility.inference: valid with 15 caseworkers as with 80
        groups = clusters(frame).to_numpy()
        tests = [joint_balance(prefs.loo[d], frame.covariates, frame.cells, groups) for d in TREATED]
        p = assignment.combined_p(tests)
        f = {f"f_{d.lower()}": t.f for d, t in zip(TREATED, tests)}
        self.diagnose(found, "balance", p, name="balance.preference", p=p, q=tests[0].q,
                      r2=max(t.partial_r2 for t in tests), **f)

    def _first_stage(self, found, frame, prefs, minimum: int) -> list:
        stats = conditional_f(frame, prefs)
        for s in stats:
            self.diagnose(found, "first_stage", s.f, department=s.department, f=s.f, r2=s.partial_r2)
        crosses = cross_effects(frame, prefs)
        signs = subgroup_first_stages(frame, prefs, minimum)
        negative = [s for s in signs if s.coefficient < 0]
        significant = [s for s in negative if s.t < -1.96]
        level = "fail" if significant else "warn" if negative else "pass"
        names = ", ".join(f"{s.group}={s.level} ({s.department})" for s in negative) or "-"
        self.diagnose(found, "monotonicity", len(significant), level=level, tested=len(signs),
                      negative=len(negative), names=names, cross_ma=crosses["Activering"]["Matching"],
                      cross_am=crosses["Matching"]["Activering"])
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
