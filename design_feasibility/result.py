"""The result of step 4 as plain dataclasses (JSON via core.jsonio, shape in docs/architecture.md)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

import pandas as pd

from core.disclosure import marked, shown_count
from core.findings import Finding


@dataclass
class DesignVerdict:
    """One design: its verdict (derived from its findings) and the ids of those findings."""
    design: str
    label: dict[str, str]
    verdict: str                # feasible | feasible_with_caveats | not_feasible
    findings: list[str]         # ids in DesignResult.findings, each `<design>.<finding>`


@dataclass
class Estimate:
    method: str          # raw | ols | iv
    department: str      # the treated arm (e.g. Matching), compared with `reference`
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    inference: str = "CR1"   # how se and the interval were computed: CR1, or CR3 (cluster jackknife)
    ar_low: float | None = None    # IV only: Anderson-Rubin 95% set, outer ends (-inf/+inf: unbounded)
    ar_high: float | None = None
    reference: str = ""      # the reference arm (e.g. Prematching)


@dataclass
class SubgroupEstimate(Estimate):
    group: str = ""      # age | sex | education | origin
    level: str = ""


@dataclass
class GreyArea:
    """Annex B4.4 / Table B4.1: referral with the weakest vs the strongest caseworker preference."""
    department: str
    certainly_yes: int | str    # "<10": small, "x": hidden to protect a small part (core.disclosure.marked)
    maybe: int | str
    certainly_no: int | str
    clients: int
    maybe_share: float          # share of clients in the grey area, rounded to whole percents
    expected_switchers: float   # mean change in referral probability between the two extremes

    def __json__(self) -> dict:
        """Written without the share of a hidden grey area (it would give the count away)."""
        out = asdict(self)
        if isinstance(self.maybe, str):
            out["maybe_share"] = None
        return out


@dataclass
class CaseworkerPoint:
    """One caseworker in the preference chart, anonymised (rank only, >= disclosure minimum):
    the share of clients sent to `arm` (the first treated arm) and the preference for it."""
    rank: int
    clients: int
    arm: str
    share: float
    preference: float


@dataclass
class BalanceLine:
    """One covariate in the balance table: its coefficient in the regression of the arm's
    leave-one-out preference on the covariates and cells (CR1 standard error, p from t(G-1))."""
    department: str
    covariate: str
    coefficient: float
    se: float
    p: float


@dataclass
class OutcomePoint:
    """One caseworker (at least the disclosure minimum of clients) in the exclusion/monotonicity
    chart of one arm: share referred to the arm, mean outcome net of the other arms' part of
    the fitted line, and the line (design_feasibility.inference.flj)."""
    department: str
    clients: int
    propensity: float
    mean_outcome: float
    line: float


@dataclass
class FrameSummary:
    referred: int
    analysed: int
    dropped: dict[str, int]
    caseworkers: int
    outcome_present: bool
    outcome_definition: dict[str, str]
    departments: dict[str, int]      # clients per arm
    arms: list[str] = field(default_factory=list)        # the arms compared, in display order
    reference: str = ""                                  # the reference arm
    reference_basis: str = ""        # given | mapping | rotterdam | largest | none
    rare_arms: list[str] = field(default_factory=list)   # values too rare to be an arm (left out)

    def __json__(self) -> dict:
        """Written with counts of people under the threshold withheld (null). The clients per
        arm add up to `analysed`: a small arm reads "<10" and, so that it cannot be worked out
        from the total, another arm "x" (core.disclosure.marked)."""
        out = asdict(self)
        for name in ("referred", "analysed", "caseworkers"):
            out[name] = shown_count(out[name])
        out["dropped"] = {key: shown_count(n) for key, n in out["dropped"].items()}
        if self.departments:
            out["departments"] = marked(pd.DataFrame({"clients": self.departments})).iloc[:, 0].to_dict()
        return out


@dataclass(kw_only=True)
class DesignOutputs:
    """The estimates and chart data a design adds to its findings (only the caseworker design
    fills them), declared once: each design's run and the combined result carry them."""
    estimates: list[Estimate] = field(default_factory=list)
    subgroups: list[SubgroupEstimate] = field(default_factory=list)
    grey_area: list[GreyArea] = field(default_factory=list)
    caseworkers: list[CaseworkerPoint] = field(default_factory=list)
    balance: list[BalanceLine] = field(default_factory=list)
    outcome_line: list[OutcomePoint] = field(default_factory=list)

    @classmethod
    def joined(cls, runs: list["DesignOutputs"]) -> dict[str, list]:
        """The outputs of all `runs`, one list per kind, in the order of the runs."""
        return {f.name: [item for run in runs for item in getattr(run, f.name)] for f in fields(DesignOutputs)}


@dataclass
class DesignResult(DesignOutputs):
    """All designs' findings (ids `<design>.<finding>`), the best design's verdict, and per
    design its verdict and finding ids; the caseworker design's estimates and charts."""
    frame: FrameSummary
    findings: list[Finding]
    verdict: str
    designs: list[DesignVerdict]
    settings: dict = field(default_factory=dict)
    notes: list[dict[str, str]] = field(default_factory=list)

    def finding(self, finding_id: str) -> Finding:
        return next(f for f in self.findings if f.id == finding_id)

    def design(self, name: str) -> DesignVerdict:
        return next(d for d in self.designs if d.design == name)

    def findings_of(self, name: str) -> list[Finding]:
        ids = set(self.design(name).findings)
        return [f for f in self.findings if f.id in ids]

    def diagnostics(self) -> list[Finding]:
        """The findings judged against a threshold with a source (shown as a table)."""
        return [f for f in self.findings if f.source is not None]

    def estimate(self, method: str, department: str) -> Estimate:
        return next(e for e in self.estimates if e.method == method and e.department == department)
