"""The data-quality profile of an extract: the registered checks (checks.yaml, one runner), the
findings per code, era and period, and the Great Expectations suite of the checks (to export),
as one `QualityReport`."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from core.extract_date import resolve_extract_date
from core.findings import Finding, verdict
from core.findings import make as make_finding
from quality_checks.checks_coding import code_usage, label_conflicts
from quality_checks.checks_completeness import missingness, missingness_findings
from quality_checks.coding_drift import DEFAULT_POLICY_DATES, CodingDrift, detect_coding_drift
from quality_checks.expectations import export_suite
from quality_checks.prepare import Prepared, in_background, prepare
from quality_checks.report import QualityReport, summarise
from quality_checks.runner import run_checks


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


def _coding_findings(p: Prepared, policy_dates) -> tuple[list[Finding], CodingDrift]:
    """Findings per code and per era (not per row): label conflicts, coding eras, no codebook."""
    if not p.has("interventions", "intervention_code"):
        return [], CodingDrift()
    usage = code_usage(p)
    drift = detect_coding_drift(usage, policy_dates)
    total = len(p.tables["interventions"])
    findings = label_conflicts(usage, p.codebook, usage["code"].nunique()) + era_findings(drift, total)
    if p.codebook is None:
        findings.append(make_finding("coding.no_codebook", table="codebook", column=None, count=0))
    return findings, drift


def profile_extract(tables: dict[str, pd.DataFrame], extract_date=None, policy_dates=DEFAULT_POLICY_DATES,
                    codebook: pd.DataFrame | None = None, mapping: dict | None = None,
                    notes: list[Finding] | None = None, trimmed: bool = False) -> QualityReport:
    """Profile a canonical extract (a dict of conformed tables).

    `extract_date`: a date or a `core.extract_date.ExtractDate`; without it the date is
    inferred from the registration (never today); `policy_dates` are shown next to the eras;
    `codebook` overrides tables["codebook"]; `mapping`, `notes` (the ingest's findings, e.g.
    values it could not read) and `trimmed` (no blank text) come from the ingest, see
    `profile_loaded`."""
    dated = resolve_extract_date(tables, extract_date)
    extract_date = pd.Timestamp(dated.date or dt.date.today())   # no dates at all: nothing is future
    p = prepare(tables, extract_date, codebook, (mapping or {}).get("arms"), trimmed)
    p.look_up_clients()                                              # starts in the background
    by_period = in_background(missingness, p)
    coding_findings, drift = _coding_findings(p, policy_dates)      # needs no client
    findings = list(notes or []) + run_checks(p)
    shares = by_period.result()
    findings += coding_findings + missingness_findings(p, shares)
    if p.has("clients", "bsn"):
        findings.append(make_finding("bsn.see_linkage", table="clients", column="bsn", count=0))
    summary, scorecard = summarise(findings)
    return QualityReport(
        extract_date=extract_date.date().isoformat(), extract_date_basis=dated, policy_dates=[str(d) for d in policy_dates],
        mapping=mapping or {}, tables={name: {"rows": len(df), "columns": list(map(str, df.columns))}
                                       for name, df in tables.items()},
        findings=findings, eras=drift.eras, summary=summary, scorecard=scorecard, drift=drift,
        missingness=shares.to_dict("records"), expectations={"suites": export_suite(p)},
        verdict=verdict("quality", findings))


def profile_loaded(loaded, **options) -> QualityReport:
    """Profile a `quality_checks.LoadedExtract` (folder or uploads), keeping its mapping and notes."""
    return profile_extract(loaded.tables, mapping=loaded.mapping.to_dict(), notes=loaded.notes, trimmed=True,
                           **options)
