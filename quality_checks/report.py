"""The result of the data-quality profile (JSON shape in docs/architecture.md)."""
from __future__ import annotations

from dataclasses import dataclass, field

from core import jsonio
from core.extract_date import ExtractDate
from core.findings import Finding, count_by_severity, sort_findings
from quality_checks.coding_drift import CodingDrift, Era



@dataclass
class QualityReport:
    extract_date: str
    extract_date_basis: ExtractDate                # how the date was decided (given, manifest, inferred)
    policy_dates: list[str]
    mapping: dict
    tables: dict[str, dict]                  # name -> {"rows", "columns"}
    findings: list[Finding]
    eras: list[Era]
    summary: dict[str, int]                  # findings per severity
    scorecard: dict[str, dict[str, int]]     # table -> findings per severity
    drift: CodingDrift = field(default_factory=CodingDrift)
    missingness: list[dict] = field(default_factory=list)  # {"table","column","period","rows","missing_share"}
    expectations: dict = field(default_factory=dict)       # {"suites": [...]} (Great Expectations)
    verdict: str = "clean"                   # core.findings.verdict("quality", findings)

    def by_id(self, finding_id: str, table: str | None = None) -> list[Finding]:
        return [f for f in self.findings if f.id == finding_id and (table is None or f.table == table)]

    def ingest_notes(self) -> list[Finding]:
        """The findings about how the extract was read (ids ingest.<key>)."""
        return [f for f in self.findings if f.id.startswith("ingest.")]

    def source_names(self) -> dict:
        """The user's own names: table -> its file, (table, column) -> its source column."""
        names: dict = {table: file for file, table in self.mapping.get("files", {}).items()}
        for table, columns in self.mapping.get("tables", {}).items():
            names.update({(table, canonical): source for source, canonical in columns.items() if canonical})
        return names

    def to_dict(self) -> dict:
        return jsonio.to_plain(self)


def summarise(findings: list[Finding]) -> tuple[dict, dict]:
    """Findings per severity, and per table (findings about no table, such as the mapping
    used, count in the first only); sorts `findings` worst first."""
    findings[:] = sort_findings(findings)
    tables = dict.fromkeys(f.table for f in findings if f.table)
    scorecard = {t: count_by_severity([f for f in findings if f.table == t]) for t in tables}
    return count_by_severity(findings), scorecard
