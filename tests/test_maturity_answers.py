"""Saving and restoring answer sheets, damaged files, and `python -m maturity`."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import UserInputError
from maturity import Answer, AnswerSheet, Respondent, load, load_bank, parse, save, to_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "maturity" / "examples" / "demo_quick_scan.json"
BANK = load_bank()


def tricky_sheet() -> AnswerSheet:
    return AnswerSheet(version=BANK.version, municipality="'s-Hertogenbosch", mode="full", respondents=[
        Respondent("Anna \"BI\" de Vries", "bi", {
            "linkability.bsn": Answer(3, "Elfproef bij invoer;\nzie notitie 2024-03 \u2013 ‘BSN-controle’ 😀"),
            "design.assignment": Answer(None, ""),
            "tools.documentation": Answer(5, "   spaties blijven staan   "),
        }),
        Respondent("", "privacy", {"law_ethics.legal_basis": Answer(None, "FG vraagt het na")}),
    ])


def test_save_and_load_round_trip_every_answer_and_note_exactly(tmp_path):
    original = tricky_sheet()
    path = tmp_path / "answers.json"
    save(original, path)
    restored = load(path)
    assert restored == original
    assert restored.respondents[0].answers["linkability.bsn"].note.endswith("😀")
    assert restored.respondents[1].answers["law_ethics.legal_basis"] == Answer(None, "FG vraagt het na")
    assert to_json(restored) == path.read_text(encoding="utf-8")


def test_upload_bytes_with_byte_order_mark_restore_the_same_sheet():
    original = tricky_sheet()
    assert parse("\ufeff".encode() + to_json(original).encode("utf-8")) == original


def test_the_example_file_is_stable_under_load_and_save():
    text = EXAMPLE.read_text(encoding="utf-8")
    assert to_json(parse(text)) == text


def damaged(change) -> str:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    change(data)
    return json.dumps(data)


def first_answers(data) -> dict:
    return data["respondents"][0]["answers"]


@pytest.mark.parametrize("change, code, words", [
    (lambda d: first_answers(d).update({"direction.nonsense": {"level": 2, "note": ""}}),
     "answers_unknown_question", ["direction.nonsense", "1 (Beleidsadviseur Werk)"]),
    (lambda d: first_answers(d)["linkability.bsn"].update(level=6), "answers_level", ["6", "linkability.bsn"]),
    (lambda d: first_answers(d)["linkability.bsn"].update(level=0), "answers_level", ["0"]),
    (lambda d: first_answers(d)["linkability.bsn"].update(level="3"), "answers_level", ['"3"']),
    (lambda d: first_answers(d)["linkability.bsn"].update(level=2.5), "answers_level", ["2.5"]),
    (lambda d: first_answers(d)["linkability.bsn"].update(level=True), "answers_level", ["true"]),
    (lambda d: first_answers(d)["linkability.bsn"].pop("level"), "answers_field", ["linkability.bsn.level"]),
    (lambda d: first_answers(d)["linkability.bsn"].update(note=7), "answers_field", ["linkability.bsn.note"]),
    (lambda d: d.update(version="0.9"), "answers_version", ["0.9", BANK.version]),
    (lambda d: d.pop("version"), "answers_field", ["version"]),
    (lambda d: d.update(mode="medium"), "answers_mode", ["medium"]),
    (lambda d: d.update(respondents=[]), "answers_no_respondents", []),
    (lambda d: d.update(respondents={}), "answers_field", ["respondents"]),
    (lambda d: d["respondents"][1].update(role="wethouder"), "answers_role", ["wethouder", "2 (Teamleider werkintake)"]),
    (lambda d: d["respondents"][2].update(answers=[1, 2]), "answers_field", ["respondents[3].answers"]),
])
def test_damaged_or_older_files_give_one_clear_message(change, code, words):
    with pytest.raises(UserInputError) as raised:
        parse(damaged(change), source="antwoorden.json")
    assert raised.value.code == code
    for lang in ("nl", "en"):
        message = raised.value.message(lang)
        assert "antwoorden.json" in message and "\n" not in message
        assert all(word in message for word in words), message


@pytest.mark.parametrize("content, code", [
    (b'{"version": "1.0", "mode": ', "invalid_json"),
    (b"\xff\xfe\x00garbage", "answers_encoding"),
    (b"[1, 2, 3]", "answers_field"),
    (b"[" * 100_000 + b"]" * 100_000, "invalid_json"),          # deeper than Python can recurse
])
def test_files_that_are_not_answer_sheets_are_refused(content, code):
    with pytest.raises(UserInputError) as raised:
        parse(content, source="upload.json")
    assert raised.value.code == code and "upload.json" in raised.value.message("en")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "maturity", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_cli_prints_summary_and_writes_json(tmp_path):
    out = tmp_path / "result.json"
    done = run_cli(str(EXAMPLE), "--json", str(out))
    assert done.returncode == 0, done.stderr
    assert "Demogemeente" in done.stdout and "Evaluatieopzet" in done.stdout
    assert "No-go" in done.stdout and "Rechtsgrond voor onderzoeksgebruik" in done.stdout
    assert "2!" in done.stdout            # practice and policy disagree on the evaluation design
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["mode"] == "quick" and result["gate"]["go"] is False
    assert result["verdict"] == "no_go"
    assert result["gate"]["blocking"] == ["gate.law_ethics.legal_basis"]
    assert [(f["id"], f["severity"]) for f in result["findings"]] == [("gate.law_ethics.legal_basis", "error")]
    design = next(d for d in result["dimensions"] if d["id"] == "design")
    assert design["disagreement"] is True and design["by_role"] == {"policy": 4.0, "practice": 2.0, "bi": 3.0}


def test_cli_speaks_english_on_request():
    done = run_cli(str(EXAMPLE), "--lang", "en")
    assert done.returncode == 0
    assert "Legal basis for research use" in done.stdout and "Next step per dimension" in done.stdout


@pytest.mark.parametrize("content, words", [
    (None, "does not exist"),
    ("{not json", "not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    (damaged(lambda d: first_answers(d).update({"x.y": {"level": 1}})), "unknown question 'x.y'"),
    (damaged(lambda d: first_answers(d)["design.assignment"].update(level=9)), "level 9"),
])
def test_cli_bad_files_end_with_one_line_and_exit_2(tmp_path, content, words):
    path = tmp_path / "answers.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = run_cli(str(path), "--lang", "en")
    assert done.returncode == 2
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ") and words in done.stderr


def test_cli_unwritable_json_output_is_one_line_and_exit_2(tmp_path):
    done = run_cli(str(EXAMPLE), "--json", str(tmp_path / "no" / "such" / "folder.json"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: Kan het resultaat niet schrijven") and done.stderr.count("\n") == 1
