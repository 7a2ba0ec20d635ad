"""Saving, loading (versioned, damaged files), comparing, and the command's error contract."""
from __future__ import annotations

import json

import pytest

from core.cli import run
from core.errors import UserInputError
from workplan_fixtures import not_ready, not_ready_dict, ready, ready_dict
from workplan import FORMAT_VERSION, compare, load, loads, render
from workplan.__main__ import main
from workplan.report import build_report


def test_save_and_load_round_trip(tmp_path):
    a = ready()
    a.save(tmp_path / "a.json")
    assert load(tmp_path / "a.json") == a
    assert json.loads((tmp_path / "a.json").read_text("utf-8"))["format_version"] == FORMAT_VERSION


@pytest.mark.parametrize("change, expected", [
    (lambda d: d.update(format_version=0), "saved by an older version of the scan (format 0)"),
    (lambda d: d.update(format_version=FORMAT_VERSION + 1), "newer version of the scan"),
    (lambda d: d["quality"].pop("findings"), "the field 'quality'"),
    (lambda d: d["linkage"]["findings"][0].pop("count"), "the field 'linkage.findings[0]'"),
    (lambda d: d["design"]["findings"][0].update(severity="fail"), "the field 'design.findings[0].severity'"),
    (lambda d: d["linkage"].update(verdict="maybe"), "the field 'linkage.verdict'"),
    (lambda d: d.update(date="15-04-2025"), "the field 'date'"),
    (lambda d: d.update(design="feasible"), "the field 'design'"),
    (lambda d: d.pop("format_version"), "is not a saved assessment"),
])
def test_older_or_damaged_files_give_one_clear_message(change, expected):
    data = not_ready_dict()
    change(data)
    with pytest.raises(UserInputError) as error:
        loads(json.dumps(data), "old.json")
    message = error.value.message("en")
    assert expected in message and "old.json" in message and "\n" not in message
    assert error.value.message("nl") != message


def test_truncated_json_is_a_user_error():
    with pytest.raises(UserInputError) as error:
        loads(json.dumps(ready_dict())[:200], "cut.json")
    assert error.value.code == "invalid_json"


def test_deeply_nested_json_is_a_user_error():
    with pytest.raises(UserInputError) as error:
        loads("[" * 100_000 + "]" * 100_000, "deep.json")
    assert error.value.code == "invalid_json"


def test_slim_keeps_examples_out():
    from workplan.assessment import slim
    finding = dict(ready_dict()["quality"]["findings"][0], examples=["******782"])
    kept = slim("quality", {**ready_dict()["quality"], "findings": [finding], "expectations": {"suites": [1]}})
    assert kept["findings"][0]["examples"] == [] and "expectations" not in kept


def test_compare_over_time():
    before, after = not_ready(), ready()
    comparison = compare(before, after)
    steps = {s.step: s for s in comparison.steps}
    assert comparison.improved[:3] == ["maturity", "quality", "linkage"]
    # the planted defects of the small extract are gone in the clean one
    for finding_id in ("date.end_before_start", "duplicate.row", "coding.unknown_code"):
        assert finding_id in steps["quality"].resolved
    assert {"bsn.invalid_checksum", "bsn.sentinel"} <= set(steps["linkage"].resolved)
    # every answer went from level 1 to level 4
    assert {d.delta for d in comparison.dimensions} == {3.0}
    assert comparison.still_blocking == [g.title for g in build_report(after).gates if g.go is not True]
    titles = [c["en"] for c in comparison.conditions_now_met]
    assert "Registration fit for research" in titles
    backwards = compare(after, before)
    assert "worse" in {s.change for s in backwards.steps} and "better" not in {s.change for s in backwards.steps}
    text = "\n".join(render(comparison, "en"))
    assert "Data quality: Red" in text and "(improved)" in text


def test_cli_from_assessment_writes_pdf_and_json(tmp_path, capsys):
    ready().save(tmp_path / "a.json")
    code = run(main, ["--assessment", str(tmp_path / "a.json"), "--out", str(tmp_path / "a.pdf"),
                      "--sections", "summary,workplan", "--json", str(tmp_path / "r.json"), "--lang", "en"])
    assert code == 0
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [l["light"] for l in report["lights"]] == [l.light for l in build_report(ready()).lights]
    out = capsys.readouterr().out
    assert "Workplan Voorbeeldstad (01/03/2025)" in out and "PDF written" in out


def test_cli_compare(tmp_path, capsys):
    not_ready().save(tmp_path / "before.json")
    ready().save(tmp_path / "after.json")
    assert run(main, ["compare", str(tmp_path / "before.json"), str(tmp_path / "after.json"),
                      "--json", str(tmp_path / "c.json")]) == 0
    out = capsys.readouterr().out
    assert "opgelost:" in out and "bsn.invalid_checksum" in out
    assert "steps" in json.loads((tmp_path / "c.json").read_text("utf-8"))


@pytest.mark.parametrize("args", [
    ["--assessment", "{tmp}/missing.json"],
    ["--assessment", "{tmp}/old.json"],
    ["--assessment", "{tmp}/ok.json", "--sections", "summary,nonsense"],
    ["--extract", "{tmp}/no_such_folder"],
    ["compare", "{tmp}/ok.json", "{tmp}/old.json"],
])
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args):
    ready().save(tmp_path / "ok.json")
    (tmp_path / "old.json").write_text(json.dumps(dict(ready_dict(), format_version=0)), encoding="utf-8")
    code = run(main, [a.format(tmp=tmp_path) for a in args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_the_plan_from_an_extract_uses_the_mapping_files_arms(tmp_path):
    """A mapping file that merges Zorg into Participatie and names Werkfit the reference: the
    design and population steps the workplan runs compare the same arms as the quality step reads."""
    from demo import generate
    from workplan.pipeline import build_assessment_from_extract
    data = generate(n_clients=1500, organisation="four_arms", n_caseworkers=30, defects=False)
    for name, table in data.tables.items():
        table.to_csv(tmp_path / f"{name}.csv", index=False)
    (tmp_path / "mapping.json").write_text(json.dumps({"arms": {"Zorg": "Participatie"}, "reference": "Werkfit"}))
    mapping = tmp_path / "mapping.json"
    (tmp_path / "extract").mkdir()
    for path in tmp_path.glob("*.csv"):
        path.rename(tmp_path / "extract" / path.name)
    a = build_assessment_from_extract(tmp_path / "extract", municipality="Vierstad", mapping=mapping)
    assert a.design["frame"]["reference"] == a.population["feasibility"]["reference_arm"] == "Werkfit"
    assert sorted(a.population["feasibility"]["arms"]) == ["Participatie", "Werk"]
