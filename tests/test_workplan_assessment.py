"""Saving, loading (versioned, damaged files), comparing, and the command's error contract."""
from __future__ import annotations

import json

import pytest

from core.cli import run
from core.errors import UserInputError
from test_workplan_samples import NOT_READY, READY, not_ready, ready
from workplan import FORMAT_VERSION, compare, load, loads, render
from workplan.__main__ import main


def test_save_and_load_round_trip(tmp_path):
    a = ready()
    a.save(tmp_path / "a.json")
    assert load(tmp_path / "a.json") == a
    assert json.loads((tmp_path / "a.json").read_text("utf-8"))["format_version"] == FORMAT_VERSION


@pytest.mark.parametrize("change, expected", [
    (lambda d: d.update(format_version=0), "saved by an older version of the scan (format 0)"),
    (lambda d: d.update(format_version=FORMAT_VERSION + 1), "newer version of the scan"),
    (lambda d: d["quality"].pop("findings"), "the field 'quality.findings'"),
    (lambda d: d["linkage"]["findings"][0].pop("count"), "the field 'linkage.findings[0]'"),
    (lambda d: d.update(date="15-04-2025"), "the field 'date'"),
    (lambda d: d.update(design="feasible"), "the field 'design'"),
    (lambda d: d.pop("format_version"), "is not a saved assessment"),
])
def test_older_or_damaged_files_give_one_clear_message(change, expected):
    data = json.loads(json.dumps(NOT_READY))
    change(data)
    with pytest.raises(UserInputError) as error:
        loads(json.dumps(data), "old.json")
    message = error.value.message("en")
    assert expected in message and "old.json" in message and "\n" not in message
    assert error.value.message("nl") != message


def test_truncated_json_is_a_user_error():
    with pytest.raises(UserInputError) as error:
        loads(json.dumps(READY)[:200], "cut.json")
    assert error.value.code == "invalid_json"


def test_slim_keeps_examples_out():
    from workplan.assessment import slim
    finding = dict(READY["quality"]["findings"][0], examples=["******782"])
    kept = slim("quality", {**READY["quality"], "findings": [finding], "expectations": {"results": [1]}})
    assert kept["findings"][0]["examples"] == [] and "expectations" not in kept


def test_compare_over_time():
    comparison = compare(not_ready(), ready())
    steps = {s.step: s for s in comparison.steps}
    assert comparison.improved == ["maturity", "quality", "linkage", "design"]
    assert steps["quality"].resolved == ["coding.era_change", "date.end_before_start",
                                         "referral.missing_caseworker"]
    assert steps["quality"].new == ["coding.catch_all_share"] and steps["quality"].persisting == []
    assert steps["linkage"].resolved == ["bsn.invalid_checksum", "bsn.sentinel"]
    assert {d.id: d.delta for d in comparison.dimensions} == {"design": 2.0, "law_ethics": 2.0, "people": 1.0}
    assert comparison.still_blocking == []
    titles = [c["en"] for c in comparison.conditions_now_met]
    assert "Registration fit for research" in titles
    backwards = compare(ready(), not_ready())
    assert {s.change for s in backwards.steps} == {"worse"}
    assert len(backwards.still_blocking) == 6
    text = "\n".join(render(comparison, "en"))
    assert "resolved: bsn.invalid_checksum, bsn.sentinel" in text
    assert "Data quality: Red - not ready yet -> Amber - with actions (improved)" in text


def test_cli_from_assessment_writes_pdf_and_json(tmp_path, capsys):
    ready().save(tmp_path / "a.json")
    code = run(main, ["--assessment", str(tmp_path / "a.json"), "--out", str(tmp_path / "a.pdf"),
                      "--sections", "summary,workplan", "--json", str(tmp_path / "r.json"), "--lang", "en"])
    assert code == 0
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [l["light"] for l in report["lights"]] == ["green", "amber", "green", "green"]
    out = capsys.readouterr().out
    assert "Workplan Voorbeeldstad (2025-03-01)" in out and "PDF written" in out


def test_cli_compare(tmp_path, capsys):
    not_ready().save(tmp_path / "before.json")
    ready().save(tmp_path / "after.json")
    assert run(main, ["compare", str(tmp_path / "before.json"), str(tmp_path / "after.json"),
                      "--json", str(tmp_path / "c.json")]) == 0
    assert "opgelost: bsn.invalid_checksum, bsn.sentinel" in capsys.readouterr().out
    assert json.loads((tmp_path / "c.json").read_text("utf-8"))["still_blocking"] == []


@pytest.mark.parametrize("args", [
    ["--assessment", "{tmp}/missing.json"],
    ["--assessment", "{tmp}/old.json"],
    ["--assessment", "{tmp}/ok.json", "--sections", "summary,nonsense"],
    ["--extract", "{tmp}/no_such_folder"],
    ["compare", "{tmp}/ok.json", "{tmp}/old.json"],
])
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args):
    ready().save(tmp_path / "ok.json")
    (tmp_path / "old.json").write_text(json.dumps(dict(READY, format_version=0)), encoding="utf-8")
    code = run(main, [a.format(tmp=tmp_path) for a in args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
