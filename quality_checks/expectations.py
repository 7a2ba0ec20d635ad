"""The Great Expectations suite of the registered checks that Great Expectations can say itself
(`gx` in checks.yaml), per table: a standard artefact users can export (`export_suite`) and
run on their own data. The profile validates it too (`run_suite`); its findings come from the
checks runner, not from this validation.

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

import core  # noqa: F401  (GX_ANALYTICS_ENABLED=false before the import below)
from core.canonical import DEPARTMENTS
from quality_checks.prepare import Prepared
from quality_checks.registry import checks
from quality_checks.runner import applies

RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 0}
GX_SEVERITY = {"error": "critical", "warning": "warning", "info": "info"}
# Value sets named in checks.yaml.
VALUE_SETS = {"departments": lambda p: list(DEPARTMENTS),
              "codebook_codes": lambda p: sorted(map(str, p.codebook["intervention_code"].dropna().unique()))}


@dataclass
class SuiteRun:
    """Suites and validation results (plain JSON)."""
    suites: list[dict] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)


def expectation_specs(p: Prepared) -> dict[str, list[tuple[str, dict, dict]]]:
    """Per table (class name, arguments, meta) of every registered check with a `gx` spec that
    applies to the extract."""
    specs: dict[str, list] = {}
    for check in checks():
        if not check.gx:
            continue
        for table, column in check.targets:
            if not applies(p, check, table, column):
                continue
            kwargs = {key: value for key, value in check.gx.items() if key != "expectation"}
            if "value_set" in kwargs:
                kwargs["value_set"] = VALUE_SETS[kwargs["value_set"]](p)
            meta = {"finding_id": check.id, "table": table, "column": column,
                    "severity": GX_SEVERITY[check.severity]}
            specs.setdefault(table, []).append((check.gx["expectation"], {"column": column, **kwargs}, meta))
    return specs


def _suite(gx, table: str, specs):
    expectations = [getattr(gx.expectations, name)(**kwargs, meta=meta, severity=meta["severity"])
                    for name, kwargs, meta in specs]
    return gx.ExpectationSuite(name=f"quality_{table}", expectations=expectations)


def export_suite(p: Prepared) -> list[dict]:
    """The expectation suites (one per table) as plain JSON."""
    import great_expectations as gx
    return [_suite(gx, table, specs).to_json_dict() for table, specs in expectation_specs(p).items()]


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


def run_suite(p: Prepared, context=None) -> SuiteRun:
    """Validate the suites on the prepared tables (counts only, see the module docstring)."""
    import great_expectations as gx
    from great_expectations.validator.v1_validator import Validator

    skip_fingerprint()
    context = context or private_context()
    run = SuiteRun()
    for table, specs in expectation_specs(p).items():
        frame = p.tables[table][list(dict.fromkeys(kwargs["column"] for _, kwargs, _ in specs))]
        name = f"quality_{table}"
        source = context.data_sources.add_or_update_pandas(name)
        asset = source.add_dataframe_asset(f"{name}_{id(frame)}")
        batch = asset.add_batch_definition_whole_dataframe("whole_table")
        suite = _suite(gx, table, specs)
        # The validator Batch.validate builds, without first fetching the batch once more just to
        # hand it over (each fetch builds the batch and its markers anew).
        validator = Validator(batch_definition=batch, batch_parameters={"dataframe": frame},
                              result_format=RESULT_FORMAT)
        run.suites.append(suite.to_json_dict())
        run.results.append(validator.validate_expectation_suite(suite).to_json_dict())
    return run
