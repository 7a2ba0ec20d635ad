"""Recognise what a file is before reading it: format, text encoding, delimiter, header row.

Only the first megabyte of a text file is looked at. The delimiter is chosen by parsing that
sample with Python's csv reader (which respects quotes) for every candidate and keeping the one
that splits the rows into the same number of fields most consistently (and, among equally
consistent ones, into the most fields), so ';' files whose fields contain commas - quoted,
unquoted, or a decimal comma in every row - are read with ';' (DESIGN.md section 7 warns that
`csv.Sniffer` can pick ',' for them).
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

from core.errors import UserInputError
from quality_checks.ingest_errors import listing

SAMPLE_BYTES = 1 << 20
SAMPLE_RECORDS = 200
DELIMITERS = (";", ",", "\t", "|")
CONSISTENT = 0.9  # share of sample rows with the same field count
TEXT, XLSX, PARQUET = "text", "xlsx", "parquet"
TABLE_SUFFIXES = {".csv": TEXT, ".txt": TEXT, ".tsv": TEXT, ".xlsx": XLSX, ".xlsm": XLSX,
                  ".parquet": PARQUET, ".pq": PARQUET}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAGIC = ((b"PK\x03\x04", XLSX), (b"PAR1", PARQUET))
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary Excel (.xls) container


@dataclass
class TextLayout:
    encoding: str          # the codec used to read: utf-8, utf-8-sig, utf-16, cp1252, latin-1
    delimiter: str
    header_row: int        # physical line (0-based) holding the column names
    columns: list[str]
    quoted_newlines: bool  # the sample has line breaks inside quoted fields


def file_format(head: bytes, name: str) -> str:
    """TEXT, XLSX or PARQUET, from the first bytes (and the name only to explain a failure)."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(_OLE):
        raise UserInputError("old_excel", file=name)
    if TABLE_SUFFIXES.get(suffix(name), TEXT) != TEXT:
        raise UserInputError("not_a_table", file=name)
    return TEXT


def suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def text_layout(sample: bytes, name: str, complete: bool) -> TextLayout:
    """Encoding, delimiter and header of a text table from its first bytes.

    `complete` says the sample is the whole file (so its last line is not cut off).
    """
    encoding, text = _decode(sample, name, complete)
    if not text.strip():
        raise UserInputError("empty_file", file=name)
    if len(_CONTROL.findall(text[:65536])) > 0.01 * min(len(text), 65536):
        raise UserInputError("not_a_table", file=name)
    if not complete and "\n" in text:
        text = text[:text.rfind("\n") + 1]
    delimiter = max(DELIMITERS, key=lambda d: _preference(_consistency(_records(text, d)[0])))
    records, starts = _records(text, delimiter)
    if _consistency(records)[1] < 2:
        delimiter = ","  # a single column: no delimiter splits it
        records, starts = _records(text, delimiter)
    header = header_index(records)
    quoted_newlines = any("\n" in cell or "\r" in cell for row in records for cell in row)
    return TextLayout(encoding, delimiter, starts[header], column_names(records[header], name),
                      quoted_newlines)


def _decode(sample: bytes, name: str, complete: bool) -> tuple[str, str]:
    if sample.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif b"\x00" in sample:
        raise UserInputError("not_a_table", file=name)
    else:
        candidates = ("utf-8", "cp1252", "latin-1")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            return encoding, decoder.decode(sample, final=complete)
        except UnicodeDecodeError:
            if encoding == "utf-8" and mostly_utf8(sample):
                # UTF-8 with a few Windows-1252 bytes: read per value (quality_checks.transcode)
                return encoding, sample.decode("utf-8", errors="replace")
            continue
    raise UserInputError("unreadable_encoding", file=name)


def mostly_utf8(sample: bytes) -> bool:
    """More valid UTF-8 characters beyond ASCII than bytes that are not valid UTF-8: a UTF-8
    file with some Windows-1252 values, not a Windows-1252 file."""
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return good > bad


def _records(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The first records of `text` and the physical line on which each starts."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records, starts, line = [], [], 0
    try:
        for row in reader:
            records.append(row)
            starts.append(line)
            line = reader.line_num
            if len(records) >= SAMPLE_RECORDS:
                break
    except csv.Error:  # e.g. an unterminated quote cut off by the sample
        pass
    return records, starts


def _consistency(records: list[list[str]]) -> tuple[float, int]:
    """(share of non-empty rows with the most common field count, that count)."""
    widths = [len(row) for row in records if any(cell.strip() for cell in row)]
    if not widths:
        return 0.0, 0
    width, count = Counter(widths).most_common(1)[0]
    return (count / len(widths), width) if width > 1 else (0.0, width)


def _preference(consistency: tuple[float, int]) -> tuple:
    """Among delimiters that split nearly all rows alike, the one giving most fields wins: a
    ';' file with a decimal comma in every row splits consistently on ',' too, into fewer."""
    share, width = consistency
    return (share >= CONSISTENT, width if share >= CONSISTENT else 0, share)


def header_index(rows: list[list]) -> int:
    """The first row that looks like column names: as many filled cells as a typical row.

    Title lines and blank lines above the header (common in exports) are skipped.
    """
    filled = [sum(cell is not None and str(cell).strip() != "" for cell in row) for row in rows]
    typical = Counter(n for n in filled if n > 1).most_common(1)
    if not typical:
        return next((i for i, n in enumerate(filled) if n), 0)
    return next(i for i, n in enumerate(filled) if n >= typical[0][0])


_VALUE = re.compile(r"^[\d\s.,:/+\-]+$")  # numbers, dates, BSNs with separators, amounts


def looks_like_values(cells: list[str]) -> bool:
    """A 'header' whose filled cells are mostly numbers or dates is the first data row."""
    filled = [c for c in cells if c]
    values = [c for c in filled if _VALUE.match(c) and any(ch.isdigit() for ch in c)]
    return len(values) >= 2 and len(values) * 2 >= len(filled)


def column_names(cells: list, name: str) -> list[str]:
    """Stripped header cells; empty ones become `column_<position>`; duplicates are refused."""
    names = [str(cell).strip() if cell is not None else "" for cell in cells]
    if looks_like_values(names):
        raise UserInputError("no_header", file=name)  # never show the cells: they are data
    names = [n or f"column_{i + 1}" for i, n in enumerate(names)]
    duplicates = sorted(n for n, c in Counter(names).items() if c > 1)
    if duplicates:
        raise UserInputError("duplicate_columns", file=name, columns=listing(duplicates))
    by_case = Counter(n.casefold() for n in names)
    if any(c > 1 for c in by_case.values()):
        raise UserInputError("duplicate_columns_case", file=name,
                             columns=listing([n for n in names if by_case[n.casefold()] > 1]))
    if not names:
        raise UserInputError("empty_file", file=name)
    return names
