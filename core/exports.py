"""Tables that leave the tool as files for a spreadsheet: the one way they are written.

Every export passes the same gate: columns that identify a person are dropped
(`core.disclosure.drop_identifiers`), every text cell is masked for BSN-like numbers
(`core.privacy.mask_text`), and the file opens right in the reader's Excel: in Dutch `;`
between fields and decimal commas, in English `,` and decimal points, both UTF-8 with a BOM.

Who reads it is said once, with `audience`:
- `INTERNAL`: the data steward's own page and download. Exact record counts (rows with a
  defect) and masked examples; still never an identifier or a full BSN; counts of people in
  the texts follow the catalogue's `people:` ("<10").
- `FOR_OTHERS`: anything handed on. Every count under the disclosure threshold reads "<10",
  shares that would give one away are empty, and there are no examples
  (`core.findings.Finding.for_others`)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from core import DEFAULT_LANGUAGE, LANGUAGES
from core.canonical import table_name
from core.disclosure import SMALL, drop_identifiers
from core.findings import Finding, severity_label
from core.privacy import mask_text
from core.texts import Texts

_TEXTS = Texts(Path(__file__).with_name("export_texts.yaml"))
FINDING_COLUMNS = ("severity", "title", "file", "column", "count", "share", "message", "advice", "examples")
INTERNAL = "internal"        # the data steward's own page and download
FOR_OTHERS = "for_others"    # everything handed on (see the module docstring)


def findings_frame(findings: list[Finding], lang: str, names: dict | None = None,
                   audience: str = INTERNAL) -> pd.DataFrame:
    """One row per finding in `lang`, with the user's own file and column names when
    `names` maps (table, column) or table to them (see quality_checks' mapping), for
    `audience` (INTERNAL or FOR_OTHERS)."""
    if audience not in (INTERNAL, FOR_OTHERS):
        raise ValueError(f"unknown audience '{audience}'")
    names = names or {}
    rows = []
    for f in findings:
        if audience == FOR_OTHERS:
            f = f.for_others()
            f.examples = []
        rows.append({
            "severity": severity_label(f.severity, lang), "title": f.title(lang),
            "file": names.get(f.table) or table_name(f.table, lang),
            "column": names.get((f.table, f.column), f.column) or "",
            "count": SMALL if "count" in f.hidden else f.count,
            "share": None if f.share is None else round(100 * f.share, 1),
            "message": f.message(lang), "advice": f.advice(lang), "examples": " / ".join(f.examples)})
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    return frame.rename(columns={c: _TEXTS(f"col_{c}", lang) for c in FINDING_COLUMNS})


def spreadsheet_csv(frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """`frame` as CSV bytes for the reader's spreadsheet (see the module docstring)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    safe = drop_identifiers(frame).copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(lambda v: v if pd.isna(v) else mask_text(str(v)))
    dutch = lang == "nl"
    text = safe.to_csv(index=False, sep=";" if dutch else ",", decimal="," if dutch else ".")
    return text.encode("utf-8-sig")
