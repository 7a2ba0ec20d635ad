"""The Great Expectations suite: one expectation per row rule, validated per table.

Privacy and size:
- Great Expectations is imported only here, when a suite runs (it costs seconds and memory);
  `core` has switched its analytics off before that import.
- The ephemeral context comes with a Data Docs site in a temporary folder; we remove that site
  so no HTML with unexpected values is ever written to disk (tests/test_quality_gx.py checks).
- Result format BASIC with `partial_unexpected_count: 0`: counts only, no per-row value or
  index lists, so no identifiers end up in the validation result and memory stays flat.
- No batch fingerprint: Great Expectations hashes every cell of each pandas batch it loads
  (batch marker `pandas_data_fingerprint`) unless the frame holds 1e9 bytes or more. Nothing
  in this project reads that marker, and at ten million rows it costs over two seconds, so
  `skip_fingerprint` sets the threshold to 0 (`quality_checks` is the only user of GX here).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

import core  # noqa: F401  (GX_ANALYTICS_ENABLED=false before the import below)
from core.findings import catalogue
from quality_checks.rules import RowRule

RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 0}
GX_SEVERITY = {"error": "critical", "warning": "warning", "info": "info"}


@dataclass
class SuiteRun:
    """Suites and validation results (plain JSON) and the unexpected count per rule key."""
    suites: list[dict] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def private_context():
    """An ephemeral context without any Data Docs site and without progress bars."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    context.variables.data_docs_sites = {}
    return context


def skip_fingerprint() -> None:
    """Turn off GX's batch fingerprint for the whole process (see the module docstring): its
    pandas engine hashes a frame only when `memory_usage().sum() < HASH_THRESHOLD`."""
    from great_expectations.execution_engine import pandas_execution_engine

    pandas_execution_engine.HASH_THRESHOLD = 0


def _expectation(gx, rule: RowRule):
    name, kwargs = rule.gx_spec()
    severity = GX_SEVERITY[catalogue()[rule.finding_id]["severity"]]
    meta = {"finding_id": rule.finding_id, "table": rule.table, "column": rule.column, "key": rule.key}
    return getattr(gx.expectations, name)(**kwargs, meta=meta, severity=severity)


def _frame(rules: list[RowRule], index: pd.Index) -> pd.DataFrame:
    columns = {}
    for rule in rules:
        columns.setdefault(rule.gx_column, rule.gx_series(index))
    return pd.DataFrame(columns, index=index)


def run_suite(rules: list[RowRule], tables: dict[str, pd.DataFrame], context=None) -> SuiteRun:
    import great_expectations as gx
    from great_expectations.validator.v1_validator import Validator

    skip_fingerprint()
    context = context or private_context()
    run = SuiteRun()
    for table in dict.fromkeys(rule.table for rule in rules):
        mine = [rule for rule in rules if rule.table == table]
        frame = _frame(mine, tables[table].index)
        name = f"quality_{table}"
        source = context.data_sources.add_or_update_pandas(name)
        asset = source.add_dataframe_asset(f"{name}_{id(frame)}")
        batch = asset.add_batch_definition_whole_dataframe("whole_table")
        suite = gx.ExpectationSuite(name=name, expectations=[_expectation(gx, r) for r in mine])
        # The validator Batch.validate builds, without first fetching the batch once more just to
        # hand it over (each fetch builds the batch and its markers anew).
        validator = Validator(batch_definition=batch, batch_parameters={"dataframe": frame},
                              result_format=RESULT_FORMAT)
        result = validator.validate_expectation_suite(suite)
        run.suites.append(suite.to_json_dict())
        plain = result.to_json_dict()
        run.results.append(plain)
        for item in plain["results"]:
            run.counts[item["expectation_config"]["meta"]["key"]] = int(item["result"].get("unexpected_count", 0))
    return run
