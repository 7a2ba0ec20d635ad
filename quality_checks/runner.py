"""One runner for every registered check (checks.yaml): each rule flags the rows of one target
on the prepared extract, whose dates, client positions, codes and benefit windows are computed
once and shared by all rules; the runner counts, takes examples and builds the findings."""
from __future__ import annotations

import numpy as np

from core.canonical import TABLES
from core.findings import Finding, make
from quality_checks.prepare import Prepared
from quality_checks.registry import Check, checks, client_rules, rules
from quality_checks.rules import row_examples


def structure_findings(p: Prepared) -> list[Finding]:
    """Missing tables and missing required columns (core.canonical)."""
    findings = []
    for table, spec in TABLES.items():
        if table not in p.tables:
            if not spec.optional:
                findings.append(make("schema.missing_table", table=table, count=0))
            continue
        findings += [make("schema.missing_column", table=table, column=name, count=0)
                     for name in spec.required if name not in p.tables[table]]
    return findings


def _present(p: Prepared, table: str, column: str | None) -> bool:
    frame = p.codebook if table == "codebook" else p.tables.get(table)
    return frame is not None and (column is None or column in frame)


def applies(p: Prepared, check: Check, table: str, column: str | None) -> bool:
    """The target and everything the check needs are there (and the table has rows)."""
    if not _present(p, table, column) or p.tables[table].empty:
        return False
    return all(_present(p, *need.split(".")) if "." in need else _present(p, table, need)
               for need in check.needs)


def _shown(check: Check, columns) -> list[str]:
    if check.show == ("*",):
        return [c for c in columns if c != "bsn"][:4]
    return list(check.show)


def evaluate(p: Prepared, check: Check, table: str, column: str | None) -> Finding | None:
    result = rules()[check.rule](p, table, column, check.limits)
    flags, values = result if isinstance(result, tuple) else (result, {})
    count, total = int(np.count_nonzero(flags)), len(p.tables[table])
    if not count or (check.report_above and count / total <= check.limits[check.report_above]):
        return None
    df = p.tables[table]
    return make(check.id, severity=check.severity, table=table, column=column, count=count, total=total,
                examples=row_examples(df, flags, _shown(check, df.columns)), **check.limits, **values)


def run_checks(p: Prepared) -> list[Finding]:
    """The findings of every registered check on every target it applies to, in the order of
    checks.yaml; the checks that need no client are evaluated first, while the client lookup
    runs (`Prepared.look_up_clients`)."""
    targets = [(check, table, column) for check in checks() for table, column in check.targets
               if applies(p, check, table, column)]
    waits = client_rules()
    order = sorted(range(len(targets)), key=lambda i: targets[i][0].rule in waits)   # stable
    found = dict(zip(order, (evaluate(p, *targets[i]) for i in order)))
    return structure_findings(p) + [found[i] for i in range(len(targets)) if found[i] is not None]
