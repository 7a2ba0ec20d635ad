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
