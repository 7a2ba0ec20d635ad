"""The data-quality profile on the demo municipality: planted defects with exact counts, the
clean extract without errors, the coding change, both file styles and the command line."""
from __future__ import annotations

import json

import pandas as pd
import pytest

import core  # noqa: F401
from quality_checks import load_extract
from quality_checks.__main__ import main
from quality_checks.profile import profile_extract, profile_loaded

STEP2_PREFIXES = ("date.", "duplicate.", "coding.", "referral.")


@pytest.fixture(scope="module")
def report(demo):
    m = demo.manifest
    return profile_extract(demo.tables, extract_date=m["extract_date"], policy_dates=m["policy_dates"])


def _keyed(report) -> dict:
    return {(f.id, f.table, f.column): f.count for f in report.findings}


def test_every_planted_defect_is_found_with_the_exact_count(demo, report):
    planted = {i: d for i, d in demo.manifest["defects"].items() if i.startswith(STEP2_PREFIXES)}
    assert len(planted) >= 7
    found = _keyed(report)
    for finding_id, defect in planted.items():
        assert found.get((finding_id, defect["table"], defect["column"])) == defect["count"], finding_id


def test_planted_defects_are_the_only_errors(demo, report):
    planted = {(i, d["table"]) for i, d in demo.manifest["defects"].items() if i.startswith(STEP2_PREFIXES)}
    errors = {(f.id, f.table) for f in report.findings if f.severity == "error"}
    assert errors <= planted


def test_clean_demo_has_no_error(demo_clean):
    clean = profile_extract(demo_clean.tables, extract_date=demo_clean.manifest["extract_date"])
    assert clean.summary["error"] == 0, [f.id for f in clean.findings if f.severity == "error"]
    assert [f.id for f in clean.findings if f.id.startswith("date.")] == []


def test_coding_change_found_at_the_right_month_with_the_right_codes(demo, report):
    change = demo.manifest["coding_change"]
    assert len(report.eras) == 2
    era = report.eras[1]
    assert era.start == change["date"][:7]
    assert era.codes_appearing == sorted(change["introduced"])
    assert era.codes_disappearing == sorted(change["retired"])
    [finding] = report.by_id("coding.era_change")
    month = pd.Timestamp(change["date"])             # written as a month: "Jan 2017", "jan 2017"
    assert finding.severity == "warning" and month.strftime("%b %Y") in finding.message("en")
    assert month.strftime("%b %Y").lower() in finding.message("nl")
    assert report.drift.boundaries[0].nearest_policy_date == "2015-01-01"


def test_examples_never_show_identifiers(demo, report):
    ids = set(demo.tables["clients"]["client_id"].dropna()) | set(demo.tables["clients"]["bsn"].dropna())
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    assert not any(value in text for value in list(ids)[:2000])
    assert all(len(f.examples) <= 5 for f in report.findings)


def test_dutch_export_style_gives_the_same_findings(demo, demo_dir, demo_dir_dutch):
    date = demo.manifest["extract_date"]
    canonical = profile_loaded(load_extract(demo_dir), extract_date=date)
    dutch = profile_loaded(load_extract(demo_dir_dutch), extract_date=date)
    assert _keyed(dutch) == _keyed(canonical)
    assert dutch.mapping["tables"]["interventions"]["Instrumentcode"] == "intervention_code"
    assert [e.start for e in dutch.eras] == [e.start for e in canonical.eras]


def test_command_writes_json_with_the_contract_shape(demo, demo_dir_dutch, tmp_path, capsys):
    out = tmp_path / "q.json"
    assert main([str(demo_dir_dutch), "--json", str(out), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "Codes not in the codebook" in printed and "Coding eras" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"extract_date", "mapping", "tables", "findings", "eras", "summary"} <= set(data)
    assert data["extract_date"] == demo.manifest["extract_date"]       # from manifest.json
    assert data["mapping"]["files"]["trajecten.csv"] == "interventions"
    for finding in data["findings"]:
        assert {"id", "severity", "table", "column", "count", "share", "examples", "message", "advice"} <= set(finding)
    counts = {(f["id"], f["table"]): f["count"] for f in data["findings"]}
    assert counts[("duplicate.row", "interventions")] == demo.manifest["defects"]["duplicate.row"]["count"]
    assert data["summary"]["error"] == sum(f["severity"] == "error" for f in data["findings"])
    assert data["verdict"] == "errors"           # the demo plants error-level defects
    assert {"message", "advice", "params"} <= set(data["findings"][0])
    assert set(data["eras"][1]) >= {"start", "end", "codes_appearing", "codes_disappearing"}


@pytest.mark.parametrize("args, fragment", [
    (["/no/such/folder"], "/no/such/folder"),
    (["{dir}", "--extract-date", "31-12-2018"], "31-12-2018"),
    (["{dir}", "--mapping", "/no/such/mapping.yaml"], "mapping.yaml"),
    (["{dir}", "--json", "/no/such/folder/out.json"], "/no/such/folder/out.json"),
])
def test_command_bad_input_is_one_line_and_exit_2(demo_dir, args, fragment):
    import subprocess
    import sys
    args = [a.replace("{dir}", str(demo_dir)) for a in args]
    done = subprocess.run([sys.executable, "-m", "quality_checks", *args], capture_output=True, text=True,
                          cwd=str(__import__("pathlib").Path(__file__).parents[1]))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and fragment in done.stderr and "Traceback" not in done.stderr


def test_command_writes_the_gx_validation_on_request(demo, demo_dir, tmp_path):
    out = tmp_path / "gx.json"
    assert main([str(demo_dir), "--gx-validation", str(out)]) == 0
    results = [r for run in json.loads(out.read_text(encoding="utf-8")) for r in run["results"]]
    caseworker = next(r for r in results if r["expectation_config"]["meta"]["finding_id"] == "referral.missing_caseworker")
    assert caseworker["result"]["unexpected_count"] == demo.manifest["defects"]["referral.missing_caseworker"]["count"]
