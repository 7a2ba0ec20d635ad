"""The workplan PDF of the demo municipality (built by `python -m workplan --extract`): it opens,
has every section, follows the data, leaks no identifier or small count, and a saved and
reloaded assessment gives the same text."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import maturity
from core.cli import run
from core.findings import catalogue
from workplan_fixtures import extracts, not_ready, ready
from workplan import build_pdf, load, loads
from workplan.__main__ import main
from workplan.content import LABELS

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext (Debian package poppler-utils) is not installed; "
                                       ".ci/run installs it")
ANSWERS = Path(maturity.__file__).with_name("examples") / "demo_quick_scan.json"
SECTION_KEYS = ("sec_summary", "sec_maturity", "sec_quality", "sec_population", "sec_linkage", "sec_design",
                "sec_register", "sec_workplan", "sec_conditions", "sec_glossary")


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "x") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def built(demo_dir, tmp_path_factory):
    """The demo assessment and PDF, made by the command line straight from the extract folder."""
    out = tmp_path_factory.mktemp("workplan")
    code = run(main, ["--extract", str(demo_dir), "--answers", str(ANSWERS),
                      "--save-assessment", str(out / "demo.json"), "--out", str(out / "demo.pdf")])
    assert code == 0
    return load(out / "demo.json"), (out / "demo.pdf").read_bytes(), out


@pytest.fixture(scope="module")
def demo_text(built):
    return pdf_text(built[1], built[2], "demo")


def test_demo_pdf_opens_and_has_every_section(demo, built, demo_text):
    assessment, pdf, _ = built
    assert pdf.startswith(b"%PDF")
    assert assessment.steps_run() == ["maturity", "quality", "linkage", "design"]
    assert assessment.population is not None
    for key in SECTION_KEYS:
        assert demo_text.count(LABELS(key, "nl")) >= 2, key   # in the contents and as a heading
    assert "Bijlage: de onderzoeksopzet in gewone taal" in demo_text
    assert "Inhoud" in demo_text and "Pagina 12" in demo_text
    # the demo's planted defects and its coding change show up as findings and tasks
    flat = " ".join(demo_text.split())
    planted = demo.manifest["defects"]
    for finding_id in ("bsn.invalid_checksum", "bsn.sentinel", "referral.missing_caseworker"):
        assert f"{catalogue()[finding_id]['title']['nl']} ({planted[finding_id]['count']})" in flat
    assert not [key for key in catalogue() if f" {key} " in f" {flat} "]    # no finding id in the text
    assert "Bouw een vertaaltabel tussen de coderingsperioden" in demo_text


def test_management_summary_speaks_plain_words(built, demo_text):
    """Section 1 (the management summary, read with pdftotext): no finding id, no rule written
    as code, counts with their word in the right number (the demo has one blocking item)."""
    summary = demo_text[demo_text.index("1 Samenvatting\n"):demo_text.index("2 Datavolwassenheid van de organisatie\n")]
    flat = " ".join(summary.split())
    ids = set(catalogue()) | {f["id"] for f in built[0].findings()}
    assert not [i for i in ids if i in flat]
    assert not re.search(r"[a-z]+[._][a-z_]+\s*(>=|<=|==|>|<)\s*\d", flat)     # no "(people.client_involvement >= 3)"
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", flat)                             # no snake_case keys
    assert len(built[0].maturity["gate"]["blocking"]) == 1
    assert "NO-GO: 1 blokkerend punt" in flat and "1 blokkerende punten" not in flat


def test_no_identifier_or_small_count_in_the_demo_pdf(demo, built, demo_text):
    words = set(re.findall(r"[A-Za-z0-9*]+", demo_text))
    # 000000000 is the documented "unknown" sentinel, named in the explanation of bsn.sentinel
    bsns = {str(b) for b in demo.tables["clients"]["bsn"].dropna()} - {"000000000"}
    client_ids = {str(c) for c in demo.tables["clients"]["client_id"].dropna()}
    assert not words & bsns
    assert not words & client_ids
    assessment = built[0]
    small = [f for f in assessment.findings() if "count" in f.get("hidden", [])]   # withheld: under 10
    assert small, "the demo should have a finding with a small count to check"
    assert all(f["count"] is None for f in small)
    flat = " ".join(demo_text.split())
    for finding in small:
        title = catalogue()[finding["id"]]["title"]["nl"]
        assert not re.search(re.escape(title) + r" \([1-9]\)", flat)


def test_save_load_pdf_gives_the_same_text(built, demo_text, tmp_path):
    assessment = built[0]
    again = loads(assessment.dumps(), "again.json")
    assert again == assessment
    assert pdf_text(build_pdf(again), tmp_path) == demo_text


def test_content_follows_the_data(tmp_path):
    good = pdf_text(build_pdf(ready(), "en"), tmp_path, "good")
    bad = pdf_text(build_pdf(not_ready(), "en"), tmp_path, "bad")
    flat_good, flat_bad = (" ".join(t.split()) for t in (good, bad))
    assert "Repair the BSN registration before delivery" in flat_bad
    assert "Repair the BSN registration before delivery" not in flat_good
    assert "NO-GO" in flat_bad and "NO-GO" not in flat_good
    assert "Red - not ready yet" in flat_bad
    # the small extract's planted 5 placeholder BSNs are below the threshold: "<10" in tables and tasks
    title = catalogue()["bsn.sentinel"]["title"]["en"]
    assert f"{title} (<10)" in flat_bad and f"{title} (5)" not in flat_bad
    assert extracts()[1].manifest["defects"]["bsn.sentinel"]["count"] == 5
    for key in SECTION_KEYS:
        assert LABELS(key, "en") in good


def test_two_pdfs_built_at_once_do_not_race():
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=4) as pool:
        pdfs = list(pool.map(lambda lang: build_pdf(ready(), lang, ["summary", "quality"]), ["nl", "en"] * 4))
    assert all(p.startswith(b"%PDF") for p in pdfs)


def test_a_step_that_fails_is_named_with_its_reason_and_the_plan_goes_on(tmp_path):
    """A 30-client municipality: the caseworker design cannot be estimated; the workplan is
    still made, and says which design was not feasible and why."""
    from demo import generate
    from workplan.pipeline import build_assessment
    tiny = generate(n_clients=30, seed=4)
    a = build_assessment(tiny.tables, municipality="Kleindorp", extract_date=tiny.manifest["extract_date"])
    assert set(a.steps_run()) == {"quality", "linkage", "design"}
    text = " ".join(pdf_text(build_pdf(a, "en"), tmp_path).split())
    assert "Kleindorp" in text and "regional partnership" in text
    # a step whose input is unusable is not run, with the reason in the reader's language
    broken = dict(tiny.tables)
    broken.pop("clients")
    b = build_assessment(broken, municipality="Kleindorp")
    assert b.linkage is None and b.design is None and b.quality is not None
    text = " ".join(pdf_text(build_pdf(b, "nl"), tmp_path, "b").split())
    assert "Deze stap is niet uitgevoerd: De tabel 'clients' ontbreekt" in text


def test_chosen_sections_only(tmp_path):
    text = pdf_text(build_pdf(ready(), "nl", ["summary", "conditions"]), tmp_path)
    assert re.search(r"1\s+Samenvatting", text) and re.search(r"2\s+Voorwaarden", text)
    assert LABELS("sec_glossary", "nl") not in text and LABELS("sec_register", "nl") not in text


def test_pdf_says_which_steps_were_not_run(tmp_path):
    from workplan.pipeline import build_assessment
    a = build_assessment(None, municipality="Leegdorp", results={"linkage": ready().linkage})
    assert a.steps_run() == ["linkage"]
    text = " ".join(pdf_text(build_pdf(a, "en"), tmp_path).split())
    assert "Steps run: CBS linkage" in text
    assert "Not run: Data maturity, Data quality, Research design" in text
    assert "This step was not run: no filled-in questionnaire was given." in text
    assert "Grey - not run" in text


def test_assessment_from_the_demo_folder_uses_its_extract_date(demo, built):
    """The folder's manifest dates the extract, so the planted future dates are found."""
    assessment = built[0]
    assert assessment.quality["extract_date"] == demo.manifest["extract_date"]
    counts = {f["id"]: f["count"] for f in assessment.quality["findings"]}
    for finding_id in ("date.future", "date.outside_benefit"):
        assert counts[finding_id] == demo.manifest["defects"][finding_id]["count"]


def test_a_recorded_data_dialogue_is_the_evidence_for_client_involvement(tmp_path):
    from dialogue import session_record
    from workplan.pipeline import build_assessment
    from workplan.report import build_report
    record = session_record("2025-05-12", "Cliëntenraad Probeerdorp", 9, topics=["privacy"],
                            concerns=["automation"], conclusions="Geen automatische doorverwijzing.")
    base = not_ready()
    a = build_assessment(None, municipality="Probeerdorp", results={s: base.result(s) for s in
                         ("maturity", "quality", "linkage", "design")}, dialogue=record)
    condition = next(c for c in build_report(a).conditions if c.id == "client_voice")
    assert condition.met and "12-05-2025" in condition.evidence[0]["nl"]
    assert not next(c for c in build_report(base).conditions if c.id == "client_voice").met
    (tmp_path / "c.pdf").write_bytes(build_pdf(a, "nl", ["conditions"]))
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())   # reading order
    assert "Cliëntenraad Probeerdorp, 9 deelnemers" in text and "Geen automatische doorverwijzing." in text


def test_a_task_counts_one_code_in_the_singular():
    """The workplan's figures arrive as written counts ("1"); the task still says
    '1 interventiecode heeft', not '1 interventiecodes hebben'."""
    from core.texts import render
    from workplan.content import content
    task = next(t["task"] for phase in content("phases")["phases"] for t in phase.get("triggers", [])
                if "n_codes_too_small" in t["task"]["nl"])
    assert "1 interventiecode heeft minder" in render(task["nl"], "nl", {"n_codes_too_small": "1"})
    assert "4 intervention codes have fewer" in render(task["en"], "en", {"n_codes_too_small": "4"})
