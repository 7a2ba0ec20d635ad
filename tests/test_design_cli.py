"""`python -m design_feasibility`: summary, JSON shape, one-line errors with exit code 2."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def _run(*args):
    return subprocess.run([sys.executable, "-m", "design_feasibility", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def cli_run(demo_dir_dutch, tmp_path_factory):
    out = tmp_path_factory.mktemp("design") / "design.json"
    done = _run(demo_dir_dutch, "--json", out, "--lang", "en", "--target-effect", "0.2")
    return done, json.loads(out.read_text(encoding="utf-8"))


def test_cli_writes_the_documented_json(cli_run, demo):
    done, data = cli_run
    assert done.returncode == 0, done.stderr
    assert "Caseworker preference (IV)" in done.stdout and "Effect vs Prematching" in done.stdout
    assert data["verdict"] in ("feasible", "feasible_with_caveats")
    ids = {f["id"] for f in data["findings"]}
    assert {f"caseworker_preference.{i}" for i in (
        "coverage", "balance.caseload", "balance.preference", "first_stage.Matching", "first_stage.Activering",
        "grey_area.Matching", "monotonicity", "power.Matching", "inference")} <= ids
    for f in data["findings"]:
        assert set(f) >= {"id", "severity", "value", "threshold", "source", "params", "message", "advice"}
    assert [d["design"] for d in data["designs"]] == ["caseworker_preference", "child_turns_5",
                                                      "difference_in_differences"]
    for d in data["designs"]:
        assert d["verdict"] in ("feasible", "feasible_with_caveats", "not_feasible") and d["findings"]
        assert set(d["findings"]) <= ids
    assert "diagnostics" not in data
    methods = {(e["method"], e["department"]) for e in data["estimates"]}
    assert methods == {(m, d) for m in ("raw", "ols", "iv") for d in ("Matching", "Activering")}
    for e in data["estimates"]:
        assert set(e) >= {"method", "department", "estimate", "se", "ci_low", "ci_high"}
        assert e["ci_low"] < e["estimate"] < e["ci_high"]
    assert data["settings"]["target_effect"] == 0.2
    text = json.dumps(data)
    client_ids = demo.tables["clients"]["client_id"].astype(str).head(50)
    workers = demo.tables["referrals"]["caseworker_id"].dropna().astype(str).head(50)
    assert not any(c in text for c in client_ids) and not any(w in text for w in workers)


@pytest.mark.parametrize("args, fragment", [
    (["/no/such/folder"], "/no/such/folder"),
    (["{dir}", "--target-effect", "2"], "--target-effect"),
    (["{dir}", "--min-cluster", "x"], "min-cluster"),
    (["{dir}", "--policy-date", "soon"], "soon"),
    ([], "folder"),
])
def test_bad_input_gives_one_line_and_exit_2(args, fragment, demo_dir):
    done = _run(*[a.replace("{dir}", str(demo_dir)) for a in args], "--lang", "en")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in done.stderr


def test_too_small_extract_is_a_finding_not_an_error(tmp_path, demo):
    from demo import write_extract
    small = {k: v.head(30) for k, v in demo.tables.items()}
    write_extract(small, tmp_path, "canonical")
    out = tmp_path / "design.json"
    done = _run(tmp_path, "--json", out, "--lang", "en")
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    caseworker = next(d for d in data["designs"] if d["design"] == "caseworker_preference")
    assert caseworker["verdict"] == "not_feasible" and "caseworker_preference.too_small" in caseworker["findings"]
    assert "regional partnership" in done.stdout
