"""The Great Expectations suite of the registered checks that Great Expectations can say itself
(`gx` in checks.yaml), per table: a standard artefact users can export (`export_suite`, plain
JSON in Great Expectations' suite format, written without importing the library) and validate
on their data (`validate`, `python -m quality_checks DIR --gx-validation FILE`). The findings
come from the checks runner, not from this validation.

Privacy and size:
- Great Expectations is imported only when a suite is validated (the import alone costs seconds
  and memory); `core` has switched its analytics off before that import.
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

import core  # noqa: F401  (GX_ANALYTICS_ENABLED=false before the import below)
from core.arms import known_values
from quality_checks.prepare import Prepared, prepare
from quality_checks.registry import checks
from quality_checks.runner import applies

RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 0}
GX_SEVERITY = {"error": "critical", "warning": "warning", "info": "info"}
# Value sets named in checks.yaml.
VALUE_SETS = {"departments": lambda p: sorted(known_values(p.tables["referrals"]["department"], p.arms)),
              "codebook_codes": lambda p: sorted(map(str, p.codebook["intervention_code"].dropna().unique()))}


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


def export_suite(p: Prepared) -> list[dict]:
    """The expectation suites (one per table) as plain JSON, `gx.ExpectationSuite(**suite)`."""
    return [{"name": f"quality_{table}", "meta": {"produced_by": "quality_checks/checks.yaml"},
             "expectations": [{"type": name, "kwargs": kwargs, "meta": meta, "severity": meta["severity"]}
                              for name, kwargs, meta in specs]}
            for table, specs in expectation_specs(p).items()]


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


def run_suite(p: Prepared, context=None) -> list[dict]:
    """The validation results of the exported suites on the prepared tables (counts only, see
    the module docstring), plain JSON."""
    import great_expectations as gx
    from great_expectations.validator.v1_validator import Validator

    skip_fingerprint()
    context = context or private_context()
    results = []
    for suite in export_suite(p):
        table = suite["name"].removeprefix("quality_")
        frame = p.tables[table][list(dict.fromkeys(e["kwargs"]["column"] for e in suite["expectations"]))]
        source = context.data_sources.add_or_update_pandas(suite["name"])
        asset = source.add_dataframe_asset(f"{suite['name']}_{id(frame)}")
        batch = asset.add_batch_definition_whole_dataframe("whole_table")
        # The validator Batch.validate builds, without first fetching the batch once more just to
        # hand it over (each fetch builds the batch and its markers anew).
        validator = Validator(batch_definition=batch, batch_parameters={"dataframe": frame},
                              result_format=RESULT_FORMAT)
        results.append(validator.validate_expectation_suite(gx.ExpectationSuite(**suite)).to_json_dict())
    return results


def validate(tables: dict, extract_date, context=None) -> list[dict]:
    """The validation results of the exported suites on a canonical extract."""
    return run_suite(prepare(tables, extract_date), context)
