"""The result of step 4 as plain dataclasses (JSON via core.jsonio, shape in docs/architecture.md)."""
from __future__ import annotations

from dataclasses import dataclass, field

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
    reference: str = ""      # the reference arm (e.g. Prematching)


@dataclass
class SubgroupEstimate(Estimate):
    group: str = ""      # age | sex | education | origin
    level: str = ""


@dataclass
class GreyArea:
    """Annex B4.4 / Table B4.1: referral with the weakest vs the strongest caseworker preference."""
    department: str
    certainly_yes: int | None   # None: suppressed (disclosure control)
    maybe: int | None
    certainly_no: int | None
    clients: int
    maybe_share: float          # share of clients in the grey area, rounded to whole percents
    expected_switchers: float   # mean change in referral probability between the two extremes


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


@dataclass
class DesignResult:
    """All designs' findings (ids `<design>.<finding>`), the best design's verdict, and per
    design its verdict and finding ids; the caseworker design's estimates and charts."""
    frame: FrameSummary
    findings: list[Finding]
    verdict: str
    designs: list[DesignVerdict]
    estimates: list[Estimate] = field(default_factory=list)
    subgroups: list[SubgroupEstimate] = field(default_factory=list)
    grey_area: list[GreyArea] = field(default_factory=list)
    caseworkers: list[CaseworkerPoint] = field(default_factory=list)
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
