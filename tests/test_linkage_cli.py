"""`python -m linkage_readiness`: summary, JSON, no full BSN anywhere, one-line errors."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from linkage_readiness import bsn

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return subprocess.run([sys.executable, "-m", "linkage_readiness", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def full_bsns(demo) -> set[str]:
    """Every real BSN of the demo, as stored and as 9 digits (the 000000000 placeholder excluded)."""
    raw = demo.tables["clients"]["bsn"].dropna()
    numbers = set(bsn.classify(raw)["bsn"].dropna()) | set(raw)
    return {n for n in numbers if len(n) >= 8 and n.strip("0")}


@pytest.fixture(scope="module")
def cli_run(demo_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("linkage") / "result.json"
    return run(demo_dir, "--json", out, "--lang", "en", "--questions", "work_start", "debts"), out


def test_summary_and_json(cli_run, demo):
    done, out = cli_run
    assert done.returncode == 0, done.stderr
    assert "Predicted link rate" in done.stdout and "WANBZVWTAB: supplier permission needed" in done.stdout
    planted = demo.manifest["defects"]
    assert f"BSN 000000000 as placeholder: {planted['bsn.sentinel']['count']} clients" in done.stdout
    assert "bsn.sentinel" not in done.stdout                       # titles for people, ids in the JSON
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["verdict"] == "not_ready"
    severities = {f["id"]: f["severity"] for f in result["findings"]}
    assert severities["linkage.blocking_item_open"] == "error"        # no partner, no legal basis
    assert set(result["reasons"]) <= set(severities) and "linkage.blocking_item_open" in result["reasons"]
    found = {f["id"]: f["count"] for f in result["findings"]}
    assert {k: found[k] for k in ("bsn.invalid_checksum", "bsn.sentinel", "bsn.padded")} == \
        {k: planted[k]["count"] for k in ("bsn.invalid_checksum", "bsn.sentinel", "bsn.padded")}
    assert result["microdata_plan"]["outcomes"] == ["work_start", "debts"]


def test_no_full_bsn_in_output_or_json(cli_run, demo):
    done, out = cli_run
    text = done.stdout + done.stderr + out.read_text(encoding="utf-8")
    numbers = full_bsns(demo)
    assert len(numbers) > 5000
    assert [n for n in numbers if n in text] == []


def test_saved_checklist_and_maturity_files(demo_dir, tmp_path):
    saved, maturity = tmp_path / "saved.json", tmp_path / "maturity.json"
    saved.write_text(json.dumps({"checklist": [{"id": "authorised_institution", "done": True, "note": "EUR"},
                                               {"id": "legal_basis_delivery", "done": True, "note": ""}]}))
    maturity.write_text(json.dumps({"gate": {}, "dimensions": [{"id": "people", "weakest": 3, "evidence": []}]}))
    done = run(demo_dir, "--checklist", saved, "--maturity", maturity, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].endswith("Ready after actions")
    assert "[x] Authorised research institution as partner" in done.stdout
    assert "[x] Client council involved" in done.stdout          # people.client_involvement >= 3


@pytest.mark.parametrize("args, needle", [
    (["/no/such/folder"], "does not exist"),
    (["{demo}", "--questions", "happiness"], "happiness"),
    (["{demo}", "--maturity", "/no/such/file.json"], "does not exist"),
    (["{demo}", "--checklist", "{junk}"], "not valid JSON"),
    (["{demo}", "--maturity", "{deep}"], "nested too deeply"),
    (["{demo}", "--min-count", "0"], "positive whole number"),
    (["{demo}", "--bogus"], "bogus"),
    (["{demo}", "--json", "/no/such/folder/out.json"], "Cannot write"),
])
def test_bad_input_gives_one_line_and_exit_2(args, needle, demo_dir, tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    done = run(*[a.format(demo=demo_dir, junk=junk, deep=deep) for a in args], "--lang", "en")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0]
    assert "Traceback" not in done.stderr


def test_an_extract_linked_mostly_by_address_names_that_route(tmp_path):
    """40 hand-written clients whose BSNs fail the 11-test (semicolons, dd-mm-jjjj, no
    codebook): the main route is the address key, in words, and the command does not fail."""
    rows = ["Klantnummer;BSN;Geboortedatum;Geslacht;Postcode;Huisnummer"]
    rows += [f"CL{i:03d};{100000000 + 7919 * i};{1 + i % 28:02d}-0{1 + i % 9}-19{60 + i};M;{3000 + i}AB;{i + 1}"
             for i in range(40)]
    (tmp_path / "klanten.csv").write_text("\r\n".join(rows) + "\r\n", encoding="cp1252")
    (tmp_path / "uitkeringen.csv").write_text("Klantnummer;Regeling;Ingangsdatum\r\n" + "".join(
        f"CL{i:03d};Participatiewet;01-0{1 + i % 9}-2019\r\n" for i in range(40)), encoding="cp1252")
    (tmp_path / "verwijzingen.csv").write_text("Klantnummer;Verwijsdatum;Afdeling;Consulent\r\n" + "".join(
        f"CL{i:03d};15-0{1 + i % 9}-2019;Team {'Noord' if i % 2 else 'Zuid'};KC{i % 5}\r\n" for i in range(40)),
        encoding="cp1252")
    (tmp_path / "trajecten.csv").write_text("Klantnummer;Code;Begindatum\r\n" + "".join(
        f"CL{i:03d};WLB;01-1{i % 3}-2019\r\n" for i in range(40)), encoding="cp1252")
    done = run(tmp_path, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "main route: address key" in done.stdout
