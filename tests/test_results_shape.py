"""Every command's JSON has a top-level `findings` list of one shape and a `verdict`, with one
severity vocabulary across the steps, and passes its step's schema (core/results_schema.yaml)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import maturity
from core.cli import run
from core.findings import SEVERITIES
from core.results import validate
from demo import generate, write_extract

ANSWERS = Path(maturity.__file__).with_name("examples") / "demo_quick_scan.json"
FINDING_KEYS = {"id", "severity", "table", "column", "count", "share", "value", "threshold", "source",
                "examples", "params", "key", "message", "advice", "hidden"}


@pytest.fixture(scope="module")
def outputs(demo_dir, tmp_path_factory):
    from design_feasibility.__main__ import main as design
    from linkage_readiness.__main__ import main as linkage
    from maturity.__main__ import main as maturity_main
    from quality_checks.__main__ import main as quality
    out = tmp_path_factory.mktemp("json")
    runs = {"quality": (quality, [str(demo_dir)]), "linkage": (linkage, [str(demo_dir)]),
            "design": (design, [str(demo_dir)]), "maturity": (maturity_main, [str(ANSWERS)])}
    results = {}
    for step, (main, args) in runs.items():
        assert run(main, args + ["--json", str(out / f"{step}.json")]) == 0, step
        results[step] = json.loads((out / f"{step}.json").read_text("utf-8"))
    return results


def test_every_command_writes_findings_of_one_shape(outputs):
    for step, result in outputs.items():
        assert validate(step, result) is None, step
        assert result["findings"], step
        assert all(set(f) == FINDING_KEYS for f in result["findings"]), step
        assert {f["severity"] for f in result["findings"]} <= set(SEVERITIES), step
        for f in result["findings"]:
            assert f["message"]["nl"] and f["message"]["en"], (step, f["id"])
    # the vocabulary is shared: the design's diagnostics that pass are `ok`, quality's notes `info`
    assert "ok" in {f["severity"] for f in outputs["design"]["findings"]}
    assert "info" in {f["severity"] for f in outputs["quality"]["findings"]}


def test_a_damaged_result_fails_its_schema(outputs):
    broken = json.loads(json.dumps(outputs["linkage"]))
    broken["findings"][0]["severity"] = "fail"
    assert validate("linkage", broken) == "linkage.findings[0].severity"


def test_workplan_on_a_30_client_municipality_exits_0_and_names_what_was_not_run(tmp_path):
    tiny = generate(n_clients=30, seed=4)
    write_extract(tiny.tables, tmp_path / "kleindorp", "dutch", manifest=tiny.manifest)
    done = subprocess.run([sys.executable, "-m", "workplan", "--extract", str(tmp_path / "kleindorp"),
                           "--out", str(tmp_path / "plan.pdf"), "--lang", "en"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert "Data maturity: Grey" in done.stdout and "Research design: Red" in done.stdout
