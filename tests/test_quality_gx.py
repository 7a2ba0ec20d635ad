"""Great Expectations inside the profile: counts equal the row rules, no per-row lists, no
Data Docs written to disk, and the library is imported only when a suite runs."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import core  # noqa: F401
from quality_checks.expectations import RESULT_FORMAT, private_context
from quality_checks.profile import profile_extract

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gx_context():
    return private_context()


@pytest.fixture(scope="module")
def report(demo, gx_context):
    return profile_extract(demo.tables, extract_date=demo.manifest["extract_date"], gx_context=gx_context)


def test_context_has_no_data_docs_site(gx_context):
    assert not gx_context.variables.data_docs_sites
    assert gx_context.build_data_docs() == {}


def test_profile_writes_nothing_to_the_temp_folder(demo, gx_context, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    profile_extract(demo.tables, extract_date=demo.manifest["extract_date"], gx_context=private_context())
    assert list(tmp_path.rglob("*")) == []


def test_every_finding_from_a_row_rule_has_the_count_gx_reported(report):
    results = [r for run in report.expectations["results"] for r in run["results"]]
    by_key = {r["expectation_config"]["meta"]["key"]: r["result"]["unexpected_count"] for r in results}
    for f in report.findings:
        key = f"{f.id}:{f.table}.{f.column or '*'}"
        if key in by_key:
            assert by_key[key] == f.count
    unknown = next(r for r in results if r["expectation_config"]["meta"]["finding_id"] == "coding.unknown_code")
    assert unknown["expectation_config"]["type"] == "expect_column_values_to_be_in_set"
    assert unknown["success"] is False
    assert len(results) >= 15


def test_validation_result_holds_counts_only(report):
    text = json.dumps(report.expectations["results"])
    for run in report.expectations["results"]:
        for result in run["results"]:
            assert result["result"].get("partial_unexpected_list", []) == []
            assert "unexpected_index_list" not in result["result"]
            assert "partial_unexpected_index_list" not in result["result"]
    assert "K0" not in text      # no client numbers
    assert RESULT_FORMAT["partial_unexpected_count"] == 0
    suites = report.expectations["suites"]
    assert {s["name"] for s in suites} >= {"quality_interventions", "quality_referrals", "quality_benefits"}
    json.dumps(suites)           # exportable


def test_great_expectations_is_imported_lazily():
    code = ("import sys, quality_checks, quality_checks.profile, quality_checks.__main__;"
            "print('great_expectations' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "False", done.stderr
