"""The data-quality profile of an extract: every check, the Great Expectations validation and
the coding eras, as one `QualityReport`."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from core.findings import Finding, verdict
from quality_checks.checks_coding import code_usage, codebook_of, coding_rules, label_conflicts
from quality_checks.checks_completeness import (duplicate_rules, missingness, missingness_findings,
                                                referral_rules)
from quality_checks.checks_dates import date_rules
from quality_checks.coding_drift import DEFAULT_POLICY_DATES, CodingDrift, detect_coding_drift
from quality_checks.expectations import run_suite
from quality_checks.prepare import Prepared, prepare
from quality_checks.report import QualityReport, summarise
from core.findings import make as make_finding
from quality_checks.rules import RowRule
from quality_checks.schemas import structure_findings


def row_findings(rules: list[RowRule], counts: dict[str, int], tables: dict) -> list[Finding]:
    """A finding per rule that Great Expectations saw broken (count from its validation)."""
    findings = []
    for rule in rules:
        count = counts[rule.key]
        if count and rule.report_if:
            findings.append(make_finding(rule.finding_id, table=rule.table, column=rule.column, count=count,
                                           total=len(tables[rule.table]), examples=rule.examples, **rule.values))
    return findings


def era_findings(drift: CodingDrift, total: int) -> list[Finding]:
    spans = {s.code: s.rows for s in drift.code_spans}
    findings = []
    for b in drift.boundaries:
        codes = b.codes_appearing + b.codes_disappearing
        policy = ""
        if b.nearest_policy_date is not None:
            policy = f" ({b.nearest_policy_date}: {b.months_from_policy:+d})"
        findings.append(make_finding(
            "coding.era_change", table="interventions", column="intervention_code",
            count=sum(spans.get(c, 0) for c in codes), total=total,
            examples=[f"{b.month}: +{', '.join(b.codes_appearing) or '-'} / -{', '.join(b.codes_disappearing) or '-'}"],
            month=b.month, appearing=", ".join(b.codes_appearing) or "-",
            disappearing=", ".join(b.codes_disappearing) or "-", size=b.size, policy=policy))
    return findings


def _interventions_checks(p: Prepared, codebook, policy_dates) -> tuple[list[RowRule], list[Finding], CodingDrift]:
    if not p.has("interventions", "intervention_code"):
        return [], [], CodingDrift()
    book = codebook_of(p, codebook)
    usage = code_usage(p)
    drift = detect_coding_drift(usage, policy_dates)
    total = len(p.tables["interventions"])
    findings = label_conflicts(usage, book, usage["code"].nunique()) + era_findings(drift, total)
    if book is None:
        findings.append(make_finding("coding.no_codebook", table="codebook", column=None, count=0))
    return coding_rules(p, codebook), findings, drift


def profile_extract(tables: dict[str, pd.DataFrame], extract_date=None, policy_dates=DEFAULT_POLICY_DATES,
                    codebook: pd.DataFrame | None = None, mapping: dict | None = None,
                    notes: list[Finding] | None = None, gx_context=None) -> QualityReport:
    """Profile a canonical extract (a dict of conformed tables).

    `extract_date` defaults to today; `policy_dates` are shown next to the coding eras;
    `codebook` overrides tables["codebook"]; `mapping` and `notes` (the ingest's findings, e.g.
    values it could not read) come from the ingest, see `profile_loaded`."""
    extract_date = pd.Timestamp(extract_date or dt.date.today())
    p = prepare(tables, extract_date)
    findings = list(notes or []) + structure_findings(p.tables, p.client_pos)
    rules = date_rules(p) + referral_rules(p) + duplicate_rules(p)
    coding, coding_findings, drift = _interventions_checks(p, codebook, policy_dates)
    rules += coding
    run = run_suite(rules, p.tables, gx_context)
    shares = missingness(p)
    findings += row_findings(rules, run.counts, p.tables) + coding_findings + missingness_findings(p, shares)
    if p.has("clients", "bsn"):
        findings.append(make_finding("bsn.see_linkage", table="clients", column="bsn", count=0))
    summary, scorecard = summarise(findings)
    return QualityReport(
        extract_date=extract_date.date().isoformat(), policy_dates=[str(d) for d in policy_dates],
        mapping=mapping or {}, tables={name: {"rows": len(df), "columns": list(map(str, df.columns))}
                                       for name, df in tables.items()},
        findings=findings, eras=drift.eras, summary=summary, scorecard=scorecard, drift=drift,
        missingness=shares.to_dict("records"), expectations={"suites": run.suites, "results": run.results},
        verdict=verdict("quality", findings))


def profile_loaded(loaded, **options) -> QualityReport:
    """Profile a `quality_checks.LoadedExtract` (folder or uploads), keeping its mapping and notes."""
    return profile_extract(loaded.tables, mapping=loaded.mapping.to_dict(), notes=loaded.notes, **options)
