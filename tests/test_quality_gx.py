"""Great Expectations inside the profile: its counts and the findings match hand counts, no per-row lists, no
Data Docs written to disk, and the library is imported only when a suite runs."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest

import core  # noqa: F401
from quality_checks.expectations import RESULT_FORMAT, private_context, validate
from quality_checks.profile import profile_extract

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gx_context():
    return private_context()


@pytest.fixture(scope="module")
def report(demo):
    return profile_extract(demo.tables, extract_date=demo.manifest["extract_date"])


@pytest.fixture(scope="module")
def results(demo, gx_context):
    return validate(demo.tables, demo.manifest["extract_date"], gx_context)


def test_context_has_no_data_docs_site(gx_context):
    assert not gx_context.variables.data_docs_sites
    assert gx_context.build_data_docs() == {}


def test_validation_writes_nothing_to_the_temp_folder(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    validate(demo.tables, demo.manifest["extract_date"], private_context())
    assert list(tmp_path.rglob("*")) == []


def _blank(series) -> pd.Series:
    return series.isna() | series.astype("string").str.strip().eq("").fillna(True)


def _gx_count(results, finding_id: str, column: str) -> int:
    return next(r["result"]["unexpected_count"] for run in results for r in run["results"]
                if r["expectation_config"]["meta"]["finding_id"] == finding_id
                and r["expectation_config"]["kwargs"]["column"] == column)


def test_gx_validation_and_the_findings_match_a_hand_count_on_the_demo(demo, report, results):
    referrals, interventions = demo.tables["referrals"], demo.tables["interventions"]
    no_caseworker = int(_blank(referrals["caseworker_id"]).sum())
    no_department = int(_blank(referrals["department"]).sum())
    book = set(demo.tables["codebook"]["intervention_code"].dropna())
    code = interventions["intervention_code"]
    unknown_code = int((~_blank(code) & ~code.isin(book)).sum())
    assert min(no_caseworker, unknown_code) > 0      # the demo plants these two
    for finding_id, column, hand in (("referral.missing_caseworker", "caseworker_id", no_caseworker),
                                     ("referral.missing_department", "department", no_department),
                                     ("coding.unknown_code", "intervention_code", unknown_code)):
        assert _gx_count(results, finding_id, column) == hand
        assert sum(f.count for f in report.by_id(finding_id)) == hand
    duplicated = int(demo.tables["clients"]["client_id"].duplicated(keep=False).sum())
    assert _gx_count(results, "key.duplicate_client", "client_id") == duplicated   # GX counts every copy


def test_validation_result_holds_counts_only(report, results):
    text = json.dumps(results)
    for run in results:
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
            "from demo import generate; d = generate(300);"
            "quality_checks.profile.profile_extract(d.tables, d.manifest['extract_date']);"
            "print('great_expectations' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "False", done.stderr
