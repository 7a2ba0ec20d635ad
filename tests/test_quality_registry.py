"""The registry of data-quality checks (checks.yaml): every check has texts and a rule, every
text of findings.yaml has a check or a named producer, and the exported artefacts come from it."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import core  # noqa: F401
from core.findings import SEVERITIES, catalogue
from core.texts import load_yaml
from quality_checks.registry import checks, produced_elsewhere, rules
from quality_checks.schemas import export_schema


def test_every_check_has_a_rule_a_severity_and_texts_in_both_languages():
    assert len(checks()) >= 20
    for check in checks():
        assert check.rule in rules(), check.id
        assert check.severity in SEVERITIES
        entry = catalogue()[check.id]
        for lang in ("nl", "en"):
            assert entry[lang]["message"] and entry[lang]["advice"], (check.id, lang)


def test_every_catalogue_text_has_a_check_or_a_named_producer():
    ids = set(load_yaml(Path(__file__).parents[1] / "quality_checks" / "findings.yaml"))
    registered = {check.id for check in checks()}
    elsewhere = set(produced_elsewhere())
    assert ids == registered | elsewhere
    assert not registered & elsewhere


def test_thresholds_come_from_thresholds_yaml():
    age = next(c for c in checks() if c.id == "date.age_out_of_range")
    assert age.limits == {"age_min": 18, "age_max": 67}


def test_exported_pandera_schema_finds_the_demo_structure(demo):
    import pandera.pandas as pa
    clients = demo.tables["clients"].drop_duplicates("client_id")
    export_schema("clients").validate(clients)                                   # clean: passes
    with pytest.raises(pa.errors.SchemaErrors) as failed:
        export_schema("clients").validate(pd.concat([clients, clients.head(3)]), lazy=True)
    cases = failed.value.failure_cases
    assert (cases["check"] == "field_uniqueness").sum() == 3


def test_exported_suite_holds_the_registered_expectations(demo):
    from quality_checks.expectations import export_suite
    from quality_checks.prepare import prepare
    p = prepare(demo.tables, demo.manifest["extract_date"])
    suites = {s["name"]: s for s in export_suite(p)}
    referrals = [(e["type"], e["kwargs"]["column"]) for e in suites["quality_referrals"]["expectations"]]
    assert ("expect_column_values_to_not_be_null", "caseworker_id") in referrals
    assert ("expect_column_values_to_be_in_set", "department") in referrals
