"""The result of step 4 as plain dataclasses (JSON via core.jsonio, shape in docs/architecture.md)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Diagnostic:
    id: str
    value: float | None
    threshold: float | None
    verdict: str                # pass | warn | fail
    source: dict[str, str]
    explanation: dict[str, str]
    label: dict[str, str] = field(default_factory=dict)


@dataclass
class DesignVerdict:
    design: str
    verdict: str                # feasible | feasible_with_caveats | not_feasible
    reasons: list[dict[str, str]]
    missing: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Estimate:
    method: str          # raw | ols | iv
    department: str      # Matching | Activering (vs Prematching)
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n: int


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
    """One caseworker in the preference chart, anonymised (rank only, >= disclosure minimum)."""
    rank: int
    clients: int
    matching_share: float
    preference_matching: float


@dataclass
class FrameSummary:
    referred: int
    analysed: int
    dropped: dict[str, int]
    caseworkers: int
    outcome_present: bool
    outcome_definition: dict[str, str]
    departments: dict[str, int]


@dataclass
class DesignResult:
    frame: FrameSummary
    diagnostics: list[Diagnostic]
    designs: list[DesignVerdict]
    estimates: list[Estimate] = field(default_factory=list)
    subgroups: list[SubgroupEstimate] = field(default_factory=list)
    grey_area: list[GreyArea] = field(default_factory=list)
    caseworkers: list[CaseworkerPoint] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    notes: list[dict[str, str]] = field(default_factory=list)

    def diagnostic(self, diagnostic_id: str) -> Diagnostic:
        return next(d for d in self.diagnostics if d.id == diagnostic_id)

    def design(self, name: str) -> DesignVerdict:
        return next(d for d in self.designs if d.design == name)

    def estimate(self, method: str, department: str) -> Estimate:
        return next(e for e in self.estimates if e.method == method and e.department == department)
