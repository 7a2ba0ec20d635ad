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
from test_workplan_samples import not_ready, ready
from workplan import build_pdf, load, loads
from workplan.__main__ import main
from workplan.content import LABELS

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext (Debian package poppler-utils) is not installed; "
                                       ".ci/run installs it")
ANSWERS = Path(maturity.__file__).with_name("examples") / "demo_quick_scan.json"
SECTION_KEYS = ("sec_summary", "sec_maturity", "sec_quality", "sec_linkage", "sec_design",
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


def test_demo_pdf_opens_and_has_every_section(built, demo_text):
    assessment, pdf, _ = built
    assert pdf.startswith(b"%PDF")
    assert assessment.steps_run() == ["maturity", "quality", "linkage", "design"]
    for key in SECTION_KEYS:
        assert demo_text.count(LABELS(key, "nl")) >= 2, key   # in the contents and as a heading
    assert "Bijlage: de onderzoeksopzet in gewone taal" in demo_text
    assert "Inhoud" in demo_text and "Pagina 12" in demo_text
    # the demo's planted defects and its coding change show up as findings and tasks
    for finding in ("bsn.invalid_checksum (24)", "bsn.sentinel (18)", "referral.missing_caseworker (48)"):
        assert finding in demo_text.replace("\n", " ")
    assert "Bouw een vertaaltabel tussen de coderingsperioden" in demo_text


def test_no_identifier_or_small_count_in_the_demo_pdf(demo, built, demo_text):
    words = set(re.findall(r"[A-Za-z0-9*]+", demo_text))
    # 000000000 is the documented "unknown" sentinel, named in the explanation of bsn.sentinel
    bsns = {str(b) for b in demo.tables["clients"]["bsn"].dropna()} - {"000000000"}
    client_ids = {str(c) for c in demo.tables["clients"]["client_id"].dropna()}
    assert not words & bsns
    assert not words & client_ids
    assessment = built[0]
    small = [f for f in assessment.findings() if 0 < f["count"] < 10]
    assert small, "the demo should have a finding with a small count to check"
    for finding in small:
        lines = [line for line in demo_text.splitlines() if finding["id"] in line]
        assert lines and all(f" {finding['count']} " not in f" {line} " for line in lines)
        assert any("<10" in line for line in lines)


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
    assert "Choose another research design" in flat_bad
    assert "NO-GO" in flat_bad and "NO-GO" not in flat_good
    assert "Red - not ready yet" in flat_bad and "Red - not ready yet" not in flat_good
    assert "Selective linkage" in flat_bad and "raw difference for Matching is +33%" in flat_good
    # small counts of the sample are suppressed in tables and in task texts
    assert "bsn.sentinel (<10)" in flat_bad and "bsn.sentinel (4)" not in flat_bad
    assert "date.end_before_start (<10)" in flat_bad
    for key in SECTION_KEYS:
        assert LABELS(key, "en") in good


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
    assert "No filled-in questionnaire was given." in text
    assert "Grey - not run" in text


def test_assessment_from_the_demo_folder_uses_its_extract_date(demo, built):
    """The folder's manifest dates the extract, so the planted future dates are found."""
    assessment = built[0]
    assert assessment.quality["extract_date"] == demo.manifest["extract_date"]
    counts = {f["id"]: f["count"] for f in assessment.quality["findings"]}
    for finding_id in ("date.future", "date.outside_benefit"):
        assert counts[finding_id] == demo.manifest["defects"][finding_id]["count"]
