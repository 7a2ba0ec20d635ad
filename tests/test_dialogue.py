"""Data dialogue: invented persons, the card PDF, the session record and its evidence text."""
import shutil
import subprocess

import pytest

from dialogue import evidence, evidence_text, persons, session_record
from dialogue.__main__ import main


def test_persons_are_reproducible_half_found_work():
    a, b = persons(12, seed=4), persons(12, seed=4)
    assert [p.name for p in a] == [p.name for p in b]
    assert sum(p.found_work for p in a) == 6
    assert len({p.name for p in a}) == 12
    assert all(len(p.values) == 10 for p in a)


def test_card_pdf_is_written(tmp_path):
    out = tmp_path / "cards.pdf"
    assert main(["--out", str(out), "--persons", "4", "--seed", "1", "--lang", "en"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "Facilitator's guide" in text and "Number of interventions" in text
        assert "Distrust of benefit agencies" in text
        for person in persons(4, seed=1):
            assert person.name in text


def test_bad_persons_is_plain_error(tmp_path):
    from core.cli import run
    assert run(main, ["--out", str(tmp_path / "x.pdf"), "--persons", "1"]) == 2


def test_record_gives_evidence_in_both_languages():
    record = session_record("2026-11-20", "Cliëntenraad", 9, topics=["privacy", "control"],
                            concerns=["automation", "transparency"], conclusions="Geen automatische doorverwijzing.")
    nl, en = evidence_text(record, "nl"), evidence_text(record, "en")
    assert "20-11-2026" in nl and "9 deelnemers" in nl and "automatisch doorverwijzen" in nl
    assert "20/11/2026" in en and "9 participants" in en and "worry about automated referral" in en
    assert set(evidence(record)) == {"nl", "en"}
    assert "Nog geen" in evidence_text(None, "nl")
    with pytest.raises(ValueError):
        session_record("2026-11-20", "x", 3, concerns=["nonsense"])
