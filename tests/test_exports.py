"""Spreadsheet exports: identifiers dropped, BSNs masked, Dutch Excel conventions."""
from __future__ import annotations

import csv
import io

import pandas as pd

from core.exports import findings_frame, spreadsheet_csv
from core.findings import make


def _rows(data: bytes, sep: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")          # BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8")), delimiter=sep))


def test_dutch_csv_uses_semicolons_and_decimal_commas_and_drops_identifiers():
    frame = pd.DataFrame({"bsn": ["123456782"], "client_id": ["K1"], "team": ["Noord, Oost"],
                          "share": [12.5], "note": ["bsn 123.456.782 bekend"]})
    rows = _rows(spreadsheet_csv(frame, "nl"), ";")
    assert rows[0] == ["team", "share", "note"]
    assert rows[1] == ["Noord, Oost", "12,5", "bsn ******782 bekend"]
    english = _rows(spreadsheet_csv(frame, "en"), ",")
    assert english[1][1] == "12.5"


def test_findings_frame_speaks_the_language_and_uses_the_users_names():
    finding = make("date.end_before_start", severity="error", table="interventions", column="end_date", count=3,
                   total=200, examples=["1234.56.782"])
    names = {"interventions": "trajecten.csv", ("interventions", "end_date"): "Einddatum"}
    nl = findings_frame([finding], "nl", names)
    assert list(nl.columns)[:3] == ["Ernst", "Bevinding", "Bestand of tabel"]
    row = nl.iloc[0]
    assert (row["Ernst"], row["Bestand of tabel"], row["Kolom"], row["Aandeel (%)"]) == ("fout", "trajecten.csv", "Einddatum", 1.5)
    assert "782" in row["Voorbeelden (gemaskeerd)"] and "1234" not in row["Voorbeelden (gemaskeerd)"]
    assert findings_frame([finding], "en").iloc[0]["Severity"] == "error"


def test_the_data_stewards_download_has_exact_record_counts_and_the_one_for_others_does_not():
    """INTERNAL: the steward's own page and download - exact counts of defective records and
    masked examples; FOR_OTHERS: every count under 10 reads <10, its share is empty, no examples.
    Neither has a full BSN or an identifier column."""
    from core.exports import FOR_OTHERS, INTERNAL
    findings = [make("bsn.invalid_checksum", table="clients", column="bsn", count=3, total=120,
                     examples=["123456782", "K0000017"]),
                make("date.end_before_start", table="interventions", column="end_date", count=40, total=400)]
    own = findings_frame(findings, "en", audience=INTERNAL)
    others = findings_frame(findings, "en", audience=FOR_OTHERS)
    assert list(own["Count"]) == [3, 40] and list(others["Count"]) == ["<10", 40]
    assert own["Share (%)"].iloc[0] == 2.5 and pd.isna(others["Share (%)"].iloc[0])
    assert own["Share (%)"].iloc[1] == others["Share (%)"].iloc[1] == 10.0
    assert "******782" in own["Examples (masked)"].iloc[0] and (others["Examples (masked)"] == "").all()
    assert " 3 " not in " ".join(others["What was found"]) + " "
    for frame, lang in ((own, "nl"), (others, "nl"), (others, "en")):
        text = spreadsheet_csv(frame, lang).decode("utf-8-sig")
        assert "123456782" not in text and "123.456.782" not in text
    assert findings_frame(findings, "nl", audience=INTERNAL).equals(findings_frame(findings, "nl"))   # the default
