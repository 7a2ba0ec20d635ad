"""A corpus of awkward but realistic municipal extracts (issue #11), each a copy of the demo
municipality with one change, generated here (never committed as data). Every case has its
expected outcome written from the planted change, not from the code: either the values read
(checked against the demo tables) and the notes saying what was decided, or one documented
message (`UserInputError` code) and exit code 2.

Each case goes through `load_extract` and through the command `python -m quality_checks DIR
--json F --lang en|nl`; afterwards every output is searched for every input BSN, with and
without separators.
"""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import demo
from core.errors import UserInputError
from quality_checks import load_extract

ROOT = Path(__file__).resolve().parent.parent
SEED = 11


@pytest.fixture(scope="module")
def tables():
    return demo.generate(n_clients=300, seed=SEED, defects=False).tables


# ---------------------------------------------------------------- writing helpers

def write(tables, folder: Path, style: str = "canonical") -> None:
    demo.write_extract(tables, folder, style=style)


def edit_bytes(path: Path, change: Callable[[bytes], bytes]) -> None:
    path.write_bytes(change(path.read_bytes()))


def edit_lines(path: Path, change: Callable[[list[str]], list[str]], encoding="utf-8") -> None:
    lines = path.read_text(encoding=encoding).split("\n")
    path.write_text("\n".join(change(lines)), encoding=encoding)


def with_column(tables, table: str, column: str, values) -> dict:
    """A copy of the tables with one column replaced (by text values when strings are given)."""
    out = dict(tables)
    df = tables[table].copy()
    df[column] = pd.array(values, dtype="string") if isinstance(values[0], str) else values
    out[table] = df
    return out


def csv_text(df: pd.DataFrame, sep=",", date_format="%Y-%m-%d") -> str:
    return df.to_csv(index=False, sep=sep, date_format=date_format, lineterminator="\n")


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def frame_rows(df: pd.DataFrame) -> list[list]:
    def cell(v):
        if v is pd.NA or v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
            return None
        if isinstance(v, pd.Timestamp):
            return v.to_pydatetime()
        return v.item() if hasattr(v, "item") else v
    return [list(df.columns)] + [[cell(v) for v in row] for row in df.itertuples(index=False)]


def replace_with_xlsx(folder: Path, table: str, data: bytes) -> None:
    (folder / f"{table}.csv").unlink()
    (folder / f"{table}.xlsx").write_bytes(data)


def replace_with_parquet(folder: Path, table: str, arrow: pa.Table, **options) -> None:
    (folder / f"{table}.csv").unlink()
    pq.write_table(arrow, folder / f"{table}.parquet", **options)


def arrow_of(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df, preserve_index=False)


# ---------------------------------------------------------------- expectations

def same(loaded_df: pd.DataFrame, expected: pd.DataFrame, columns) -> None:
    for column in columns:
        got = loaded_df[column].reset_index(drop=True)
        want = expected[column].reset_index(drop=True)
        assert len(got) == len(want), column
        if pd.api.types.is_datetime64_any_dtype(want):
            assert (got.isna() == want.isna()).all(), column
            assert (got[want.notna()] == want[want.notna()]).all(), column
        else:
            assert got.astype("string").fillna("<NA>").tolist() == \
                want.astype("string").fillna("<NA>").tolist(), column


CLIENT_COLUMNS = ("client_id", "bsn", "birth_date", "postcode", "youngest_child_birth_date")
INTERVENTION_COLUMNS = ("client_id", "intervention_code", "intervention_label", "start_date",
                        "end_date")


def all_read(loaded, tables) -> None:
    same(loaded.tables["clients"], tables["clients"], CLIENT_COLUMNS)
    same(loaded.tables["interventions"], tables["interventions"], INTERVENTION_COLUMNS)
    same(loaded.tables["referrals"], tables["referrals"], ("client_id", "caseworker_id", "intake_date"))
    same(loaded.tables["benefits"], tables["benefits"], ("client_id", "start_date", "end_date"))


def note_ids(loaded) -> list[str]:
    return [n.id for n in loaded.notes]


def note_text(loaded, note_id: str, lang: str = "en") -> str:
    notes = [n for n in loaded.notes if n.id == note_id]
    assert notes, f"no note {note_id}: {note_ids(loaded)}"
    return " | ".join(n.message[lang] if isinstance(n.message, dict) else n.message(lang)
                      for n in notes)


@dataclass
class Case:
    name: str
    build: Callable[[dict, Path], None]          # writes the extract into the folder
    check: Callable[[object, dict], None] | None = None   # values and notes of load_extract
    error: str | None = None                     # or: the UserInputError code (exit 2)
    summary: tuple[str, ...] = ()                # phrases the printed summary (en) must hold
    extra_bsns: list[str] = field(default_factory=list)


CASES: list[Case] = []


def simple(name, build, check=None, error=None, summary=()):
    CASES.append(Case(name, build, check, error, tuple(summary)))


# ---------------------------------------------------------------- the corpus

# 1-2: the two styles the demo writes
simple("canonical", lambda t, d: write(t, d), lambda l, t: all_read(l, t))
simple("dutch_cp1252_semicolon", lambda t, d: write(t, d, "dutch"), lambda l, t: all_read(l, t))


# 3-5: line endings
def _cr_only(t, d, style="canonical"):
    write(t, d, style)
    for path in d.glob("*.csv"):
        edit_bytes(path, lambda b: b.replace(b"\n", b"\r"))


def _check_cr(l, t):
    all_read(l, t)
    assert "ingest.cr_line_endings" in note_ids(l)


simple("cr_only_canonical", _cr_only, _check_cr)
simple("cr_only_dutch", lambda t, d: _cr_only(t, d, "dutch"), _check_cr)


def _crlf(t, d):
    write(t, d)
    for path in d.glob("*.csv"):
        edit_bytes(path, lambda b: b.replace(b"\n", b"\r\n"))


simple("crlf", _crlf, lambda l, t: all_read(l, t))


# 6-9: dates
def _two_digit_years(t, d):
    write(t, d)
    clients = t["clients"].copy()
    text = csv_text(clients, date_format="%d-%m-%y")
    (d / "clients.csv").write_text(text, encoding="utf-8")


def _check_two_digit(l, t):
    # birth dates 1950-1997 and youngest children 19xx-2018 come back with their century
    all_read(l, t)
    text = note_text(l, "ingest.two_digit_year")
    assert "birth_date" in text and "1999" in text


simple("two_digit_years", _two_digit_years, _check_two_digit, summary=("two-digit year",))


def _us_dates(t, d):
    write(t, d)
    text = csv_text(t["interventions"], date_format="%m/%d/%Y")
    (d / "interventions.csv").write_text(text, encoding="utf-8")


def _check_us(l, t):
    all_read(l, t)  # no day-month swap
    text = note_text(l, "ingest.month_first")
    assert "start_date" in text and "end_date" in text


simple("us_month_first_dates", _us_dates, _check_us, summary=("US order",))


def _slash_day_first(t, d):
    write(t, d)
    (d / "interventions.csv").write_text(csv_text(t["interventions"], date_format="%d/%m/%Y"))


def _check_slash(l, t):
    all_read(l, t)
    assert "ingest.month_first" not in note_ids(l)


simple("slash_day_first_dates", _slash_day_first, _check_slash)


def _dotted_dates_with_time(t, d):
    write(t, d)
    (d / "benefits.csv").write_text(csv_text(t["benefits"], sep=";", date_format="%d.%m.%Y 00:00:00"))


simple("dotted_dates_with_time", _dotted_dates_with_time, lambda l, t: all_read(l, t))


# 10-13: Parquet timestamps
def _tz_parquet(t, d):
    write(t, d)
    clients = t["clients"].copy()
    for column in ("birth_date", "youngest_child_birth_date"):
        clients[column] = clients[column].dt.tz_localize("Europe/Amsterdam").dt.tz_convert("UTC")
    replace_with_parquet(d, "clients", arrow_of(clients))


def _check_tz(l, t):
    all_read(l, t)  # the Dutch local date, not the UTC date a day early
    assert "ingest.timezone_local" in note_ids(l)


simple("parquet_timezone_aware", _tz_parquet, _check_tz)


def _zoned_text(t, d):
    write(t, d)
    df = t["referrals"].copy()
    for column in ("intake_date", "referral_date"):
        utc = df[column].dt.tz_localize("Europe/Amsterdam").dt.tz_convert("UTC")
        df[column] = utc.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    (d / "referrals.csv").write_text(csv_text(df))


def _check_zoned_text(l, t):
    all_read(l, t)  # 2015-04-06T22:00:00Z is 7 April in the Netherlands
    assert "ingest.timezone_local" in note_ids(l)


simple("csv_utc_timestamps", _zoned_text, _check_zoned_text)


def _sentinel_frame(t):
    df = t["interventions"].copy()
    df.loc[df.index[:5], "end_date"] = pd.Timestamp("9999-12-31")
    df.loc[df.index[5:8], "end_date"] = pd.Timestamp("1900-01-01")
    return df


def _sentinel_parquet(t, d, **options):
    write(t, d)
    df = _sentinel_frame(t)
    arrow = arrow_of(df)
    unit = options.pop("unit", "us")
    for name in ("start_date", "end_date"):
        arrow = arrow.set_column(arrow.column_names.index(name), name, arrow[name].cast(pa.timestamp(unit)))
    replace_with_parquet(d, "interventions", arrow, **options)


def _check_sentinel(l, t):
    expected = dict(t, interventions=_sentinel_frame(t))
    all_read(l, expected)
    assert (l.tables["interventions"]["end_date"] == pd.Timestamp("9999-12-31")).sum() == 5


simple("parquet_sentinel_microseconds", _sentinel_parquet, _check_sentinel)
simple("parquet_sentinel_milliseconds", lambda t, d: _sentinel_parquet(t, d, unit="ms"), _check_sentinel)
simple("parquet_sentinel_int96_nanoseconds",
       lambda t, d: _sentinel_parquet(t, d, use_deprecated_int96_timestamps=True), _check_sentinel)


# 14-15: encodings
LATE = 1150  # rows of interventions after which cp1252 bytes appear


def _utf8_late_cp1252(t, d):
    write(t, d)  # UTF-8, with 'Cliëntondersteuning' as UTF-8 throughout
    df = t["interventions"].copy()
    df.iloc[LATE:LATE + 3, df.columns.get_loc("intervention_label")] = "PLACEHOLDER"
    data = csv_text(df).encode("utf-8")
    # three labels late in the file typed in a Windows program: 'Caf\xe9 overleg'
    (d / "interventions.csv").write_bytes(data.replace(b"PLACEHOLDER", "Café overleg".encode("cp1252")))


def _expected_late(t):
    df = t["interventions"].copy()
    df.iloc[LATE:LATE + 3, df.columns.get_loc("intervention_label")] = "Café overleg"
    return df


def _check_late(l, t):
    expected = dict(t, interventions=_expected_late(t))
    all_read(l, expected)  # 'Cliëntondersteuning' stays right, 'Café' is read as cp1252
    text = note_text(l, "ingest.mixed_encoding")
    assert "3 values" in text and "intervention_label" in text


simple("utf8_with_late_cp1252_bytes", _utf8_late_cp1252, _check_late, summary=("3 values",))


def _utf16(t, d):
    write(t, d)
    path = d / "clients.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


simple("utf16_with_bom", _utf16, lambda l, t: all_read(l, t))


def _utf8_bom_tab(t, d):
    write(t, d)
    (d / "referrals.csv").unlink()
    (d / "referrals.txt").write_bytes(b"\xef\xbb\xbf" + csv_text(t["referrals"], sep="\t").encode())


simple("utf8_bom_tab_txt", _utf8_bom_tab, lambda l, t: all_read(l, t))


# 16-18: skipped rows
def _ragged(t, d):
    write(t, d)
    def change(lines):
        lines[10] = lines[10] + ",extra"  # physical line 11
        lines[20] = lines[20] + ",extra,more"  # physical line 21
        return lines
    edit_lines(d / "clients.csv", change)


def _check_ragged(l, t):
    clients = t["clients"].drop(index=[9, 19])  # data rows on lines 11 and 21
    same(l.tables["clients"], clients, CLIENT_COLUMNS)
    text = note_text(l, "ingest.skipped_lines")
    assert "2 rows" in text and "lines 11, 21" in text


simple("ragged_rows", _ragged, _check_ragged, summary=("lines 11, 21",))


def _total_row(t, d):
    write(t, d, "dutch")
    path = d / "verwijzingen.csv"
    path.write_bytes(path.read_bytes().rstrip(b"\n") + b"\nTotaal;300;;;;\n")


def _check_total(l, t):
    all_read(l, t)
    assert len(l.tables["referrals"]) == 300
    text = note_text(l, "ingest.total_rows")
    assert "line 302" in text  # header + 300 rows + the total


simple("trailing_total_row", _total_row, _check_total, summary=("line 302",))


def _short_total_row(t, d):
    write(t, d)
    path = d / "referrals.csv"
    path.write_bytes(path.read_bytes().rstrip(b"\n") + b"\nTotaal,300\n")


def _check_short_total(l, t):
    all_read(l, t)
    assert "lines 302" in note_text(l, "ingest.skipped_lines")


simple("trailing_short_total_row", _short_total_row, _check_short_total)


def _title_lines(t, d):
    write(t, d, "dutch")
    path = d / "klanten.csv"
    path.write_bytes("Export cliëntregistratie\r\nGemaakt op 01-01-2019\r\n\r\n".encode("cp1252")
                     + path.read_bytes())


simple("title_lines_above_header", _title_lines, lambda l, t: all_read(l, t))


# 19-24: Excel quirks
def _bsn_decimal_suffix(t, d):
    write(t, d)
    clients = t["clients"].copy()
    clients["bsn"] = (clients["bsn"].astype(int).astype(str) + ".0")
    (d / "clients.csv").write_text(csv_text(clients))


def _check_suffix(l, t):
    expected = t["clients"].copy()
    expected["bsn"] = expected["bsn"].astype(int).astype(str)  # Excel drops the leading zero
    same(l.tables["clients"], expected, CLIENT_COLUMNS)
    assert "300 values" in note_text(l, "ingest.decimal_suffix")


simple("bsn_decimal_suffix", _bsn_decimal_suffix, _check_suffix)


def _bsn_scientific(t, d):
    write(t, d, "dutch")
    clients = t["clients"].copy()
    clients["bsn"] = [f"{int(b):.5E}".replace("E+0", "E+0") for b in clients["bsn"]]
    clients.rename(columns={"bsn": "Burgerservicenummer"}, inplace=True)
    (d / "klanten.csv").unlink()
    (d / "clients.csv").write_text(csv_text(clients, sep=";"), encoding="utf-8")


def _check_scientific(l, t):
    assert l.tables["clients"]["bsn"].str.contains("E+", regex=False).all()
    text = note_text(l, "ingest.scientific_notation")
    assert "300 values" in text and "as text" in text


simple("bsn_scientific_notation", _bsn_scientific, _check_scientific, summary=("scientific notation",))


def _xlsx_numbers(t, d):
    write(t, d)
    clients = t["clients"].copy()
    clients["bsn"] = clients["bsn"].astype(float)  # the BSN column stored as numbers
    replace_with_xlsx(d, "clients", xlsx({"Blad1": frame_rows(clients)}))


def _check_xlsx_numbers(l, t):
    expected = t["clients"].copy()
    expected["bsn"] = expected["bsn"].astype(int).astype(str)
    same(l.tables["clients"], expected, CLIENT_COLUMNS)


simple("xlsx_bsn_as_numbers", _xlsx_numbers, _check_xlsx_numbers)


def _xlsx_summary_first(t, d):
    write(t, d)
    summary = [["Overzicht per afdeling", None], ["Afdeling", "Aantal"], ["Matching", 120],
               ["Prematching", 90], ["Activering", 90], ["Totaal", 300]]
    replace_with_xlsx(d, "referrals", xlsx({"Overzicht": summary,
                                            "Verwijzingen": frame_rows(t["referrals"])}))


def _check_summary_first(l, t):
    all_read(l, t)
    assert l.sources["referrals"].sheet == "Verwijzingen"


simple("xlsx_summary_sheet_first", _xlsx_summary_first, _check_summary_first)


def _xlsx_encrypted(t, d):
    from msoffcrypto.format.ooxml import OOXMLFile
    write(t, d)
    plain = io.BytesIO(xlsx({"Blad1": frame_rows(t["clients"])}))
    encrypted = io.BytesIO()
    office = OOXMLFile(plain)
    office.encrypt("geheim", encrypted)
    (d / "clients.csv").unlink()
    (d / "clients.xlsx").write_bytes(encrypted.getvalue())


simple("xlsx_password_protected", _xlsx_encrypted, error="encrypted_excel")


def _old_xls(t, d):
    write(t, d)
    (d / "clients.csv").unlink()
    (d / "clients.xls.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))


simple("old_binary_xls", _old_xls, error="old_excel")


def _xlsx_dates(t, d):
    write(t, d)
    df = _sentinel_frame(t)
    replace_with_xlsx(d, "interventions", xlsx({"Trajecten": frame_rows(df)}))


simple("xlsx_date_cells_with_sentinels", _xlsx_dates, _check_sentinel)


def _all_parquet(t, d):
    write(t, d)
    for table, df in t.items():
        replace_with_parquet(d, table, arrow_of(df))


simple("parquet_every_table", _all_parquet, lambda l, t: all_read(l, t))


# 25-27: odd bytes
def _nul_bytes(t, d):
    write(t, d)
    def change(lines):
        lines[5] = lines[5].replace(",", ",\x00", 1)
        return lines
    edit_lines(d / "clients.csv", change)


def _check_nul(l, t):
    all_read(l, t)
    assert "line 6" in note_text(l, "ingest.nul_bytes")


simple("nul_bytes", _nul_bytes, _check_nul)


def _long_cell(t, d):
    write(t, d)
    df = t["interventions"].copy()
    df["status"] = df["status"].astype(object)
    df.loc[df.index[3], "status"] = "x" * (1 << 20)  # a 1 MiB cell near the top
    (d / "interventions.csv").write_text(csv_text(df))


simple("one_mebibyte_cell", _long_cell, lambda l, t: all_read(l, t))


def _quoted_newlines(t, d):
    write(t, d)
    df = t["interventions"].copy()
    df["status"] = df["status"].astype(object)
    df.loc[df.index[::50], "status"] = "afgerond\nmet opmerking"
    (d / "interventions.csv").write_text(csv_text(df))


simple("quoted_line_breaks", _quoted_newlines, lambda l, t: all_read(l, t))


# 28-33: specific messages
def _no_header(t, d):
    write(t, d)
    path = d / "clients.csv"
    path.write_text(path.read_text().split("\n", 1)[1])


simple("no_header_row", _no_header, error="no_header")


def _no_header_dutch(t, d):
    write(t, d, "dutch")
    path = d / "klanten.csv"
    path.write_bytes(path.read_bytes().split(b"\n", 1)[1])


simple("no_header_row_dutch", _no_header_dutch, error="no_header")


def _bsn_twice(t, d):
    write(t, d)
    clients = t["clients"].copy()
    clients.insert(2, "BSN", clients["bsn"])
    (d / "clients.csv").write_text(csv_text(clients))


simple("bsn_and_BSN", _bsn_twice, error="duplicate_columns_case")


def _readme(t, d):
    write(t, d)
    (d / "README.txt").write_text("Export uit het cliëntvolgsysteem, gemaakt door BI.\n"
                                  "Vragen: bel de functioneel beheerder.\n")


simple("readme_in_folder", _readme, lambda l, t: (all_read(l, t), note_text(l, "ingest.ignored_file")))


def _note_file(t, d):
    write(t, d)
    (d / "toelichting.txt").write_text("Kolom;Betekenis;Kolom\nbsn;burgerservicenummer;x\n")


simple("unreadable_note_file_in_folder", _note_file,
       lambda l, t: (all_read(l, t), note_text(l, "ingest.skipped_note_file")))


def _empty(t, d):
    write(t, d)
    (d / "benefits.csv").write_bytes(b"")


simple("empty_file", _empty, error="empty_file")


def _header_only(t, d):
    write(t, d)
    path = d / "benefits.csv"
    path.write_text(path.read_text().split("\n", 1)[0] + "\n")


simple("header_only", _header_only, error="no_rows")


# 34-37: BSNs in unexpected shapes and places (masking)
def _dotted_bsn(t, d):
    write(t, d)
    clients = t["clients"].copy()
    b = clients["bsn"]
    clients["bsn"] = b.str[:3] + "." + b.str[3:6] + "." + b.str[6:]
    (d / "clients.csv").write_text(csv_text(clients))


def _check_dotted(l, t):
    same(l.tables["clients"], t["clients"], ("client_id", "birth_date"))
    assert l.tables["clients"]["bsn"].str.replace(".", "").tolist() == t["clients"]["bsn"].tolist()


simple("bsn_with_dots", _dotted_bsn, _check_dotted)


def _bsn_in_date_column(t, d):
    write(t, d)
    clients = t["clients"].copy()
    text = clients["birth_date"].dt.strftime("%Y-%m-%d")
    b = clients["bsn"]
    text.iloc[:4] = (b.str[:4] + " " + b.str[4:6] + " " + b.str[6:]).iloc[:4]  # 1234 56 782
    text.iloc[4:8] = (b.str[:3] + "." + b.str[3:6] + "." + b.str[6:]).iloc[4:8]
    text.iloc[8:10] = b.iloc[8:10]
    clients["birth_date"] = text
    (d / "clients.csv").write_text(csv_text(clients))


def _check_bsn_in_date(l, t):
    assert l.tables["clients"]["birth_date"].isna()[:10].all()
    same(l.tables["clients"].iloc[10:], t["clients"].iloc[10:], ("birth_date",))
    assert "10 values" in note_text(l, "ingest.unparseable")


simple("bsn_in_a_date_column", _bsn_in_date_column, _check_bsn_in_date)


def _bsn_in_count_column(t, d):
    write(t, d)
    clients = t["clients"].copy()
    counts = clients["n_children"].astype("string")
    b = clients["bsn"]
    counts.iloc[:3] = (b.str[:2] + "-" + b.str[2:5] + "-" + b.str[5:]).iloc[:3]
    clients["n_children"] = counts
    (d / "clients.csv").write_text(csv_text(clients))


def _check_bsn_in_count(l, t):
    assert l.tables["clients"]["n_children"].isna()[:3].all()
    assert "3 values" in note_text(l, "ingest.unparseable")


simple("bsn_in_a_count_column", _bsn_in_count_column, _check_bsn_in_count)


def _bsn_as_client_id_no_header_xlsx(t, d):
    write(t, d)
    rows = frame_rows(t["clients"])[1:]
    replace_with_xlsx(d, "clients", xlsx({"Blad1": rows}))


simple("no_header_row_xlsx", _bsn_as_client_id_no_header_xlsx, error="no_header")


def _unknown_file_with_values(t, d):
    write(t, d)
    (d / "clients.csv").rename(d / "export_2019.csv")
    path = d / "export_2019.csv"
    body = path.read_text().split("\n", 1)[1]
    path.write_text(",".join(f"veld{i}" for i in range(1, 13)) + "\n" + body)


simple("unrecognised_file_holding_bsns", _unknown_file_with_values, error="unrecognised_file")


# ---------------------------------------------------------------- running the corpus

@pytest.fixture(scope="module")
def corpus(tables, tmp_path_factory):
    """Every case written to its own folder: name -> folder."""
    base = tmp_path_factory.mktemp("corpus")
    folders = {}
    for c in CASES:
        folder = base / c.name
        folder.mkdir()
        c.build(tables, folder)
        folders[c.name] = folder
    return folders


def test_corpus_size():
    assert len(CASES) >= 30 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("c", CASES, ids=[c.name for c in CASES])
def test_load_extract(c, corpus, tables):
    folder = corpus[c.name]
    if c.error:
        with pytest.raises(UserInputError) as raised:
            load_extract(folder)
        assert raised.value.code == c.error
        return
    loaded = load_extract(folder)
    c.check(loaded, tables)


DRIVER = r"""
import contextlib, io, json, sys, traceback
import core
from core.cli import run
from quality_checks.__main__ import main
results = []
for folder, json_path, lang in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = run(main, [folder, "--json", json_path, "--lang", lang])
        except BaseException:
            code = "traceback"
            traceback.print_exc(file=err)
    results.append({"folder": folder, "lang": lang, "code": code,
                    "stdout": out.getvalue(), "stderr": err.getvalue()})
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def command_runs(corpus, tmp_path_factory):
    """`python -m quality_checks DIR --json F --lang nl|en` for every case in both languages:
    the same entry point (`core.cli.run(main)`), in one separate interpreter so that the
    heavy imports are paid once (a real `python -m` per case is in test_command_entry_point)."""
    out = tmp_path_factory.mktemp("json")
    jobs = [(str(corpus[c.name]), str(out / f"{c.name}.{lang}.json"), lang)
            for c in CASES for lang in ("en", "nl")]
    done = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(jobs)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    runs = {}
    for job, result in zip(jobs, results):
        path = Path(job[1])
        result["json"] = path.read_text(encoding="utf-8") if path.exists() else ""
        runs[(Path(job[0]).name, job[2])] = result
    return runs


@pytest.mark.parametrize("c", CASES, ids=[c.name for c in CASES])
def test_command(c, command_runs):
    for lang in ("en", "nl"):
        run = command_runs[(c.name, lang)]
        assert run["code"] != "traceback", run["stderr"]
        assert "Traceback" not in run["stderr"] + run["stdout"]
        if c.error:
            assert run["code"] == 2, run
            lines = [x for x in run["stderr"].splitlines() if x.startswith("error:")]
            assert len(lines) == 1
            assert lines[0].startswith("error: ")
        else:
            assert run["code"] == 0, run["stderr"]
            report = json.loads(run["json"])
            assert report["findings"] is not None
    if not c.error:
        for phrase in c.summary:
            assert phrase in command_runs[(c.name, "en")]["stdout"], phrase


def test_error_messages_are_the_documented_ones(command_runs, corpus):
    """The printed line is the catalogue text of the expected code (file name filled in)."""
    from core.errors import error_texts
    for c in CASES:
        if not c.error:
            continue
        for lang in ("en", "nl"):
            line = command_runs[(c.name, lang)]["stderr"].strip().splitlines()[-1]
            template = error_texts()[c.error][lang]
            fixed = re.split(r"\{[a-z_]+\}", template)
            assert all(part.strip() in line for part in fixed if part.strip()), (c.name, line)


def bsn_hits(outputs: str, bsns) -> list[str]:
    """The BSNs of `bsns` found in `outputs`: as 8 or 9 digits in a row (not inside a longer
    number), or written in groups with spaces, dots or dashes between them (any grouping)."""
    wanted = {}
    for bsn in bsns:
        wanted[bsn.zfill(9)] = bsn
        wanted[bsn.lstrip("0")] = bsn
    found = set(re.findall(r"(?<!\d)\d{8,9}(?!\d)", outputs))
    for run in re.findall(r"\d{1,4}(?:[ .\-]\d{1,4}){1,5}", outputs):
        digits = re.sub(r"\D", "", run)
        found.update(digits[i:i + n] for n in (8, 9) for i in range(len(digits) - n + 1))
    return sorted({wanted[f] for f in found if f in wanted})


def test_bsn_scan_finds_planted_bsns(tables):
    bsns = list(tables["clients"]["bsn"][:3])
    b = bsns[1]
    assert bsn_hits(f"x {bsns[0]} y", bsns) == [bsns[0]]
    assert bsn_hits(f"x {bsns[0]}.0 y", bsns) == [bsns[0]]
    assert bsn_hits(f"value '{b[:3]}.{b[3:6]}.{b[6:]}'", bsns) == [b]
    assert bsn_hits(f"value '{b[:2]} {b[2:5]} {b[5:]}'", bsns) == [b]  # any grouping
    assert bsn_hits("******" + b[-3:], bsns) == []


def test_no_bsn_in_any_output(command_runs, tables):
    """Every stdout, stderr and JSON of the whole corpus (both languages), searched for every
    input BSN with and without separators: 0 hits."""
    outputs = "\n".join(r["stdout"] + r["stderr"] + r["json"] for r in command_runs.values())
    assert len(outputs) > 100_000  # the corpus really produced its outputs
    hits = bsn_hits(outputs, tables["clients"]["bsn"])
    assert not hits, f"{len(hits)} BSNs found, e.g. ******{hits[0][-3:]}"


def test_command_entry_point(corpus, tmp_path):
    """A real `python -m quality_checks` per language on one readable and one refused case."""
    for name, expected, lang in (("us_month_first_dates", 0, "nl"), ("no_header_row", 2, "en")):
        if lang:
            done = subprocess.run(
                [sys.executable, "-m", "quality_checks", str(corpus[name]), "--json",
                 str(tmp_path / f"{name}.{lang}.json"), "--lang", lang],
                cwd=ROOT, capture_output=True, text=True, timeout=300)
            assert done.returncode == expected, done.stderr[-2000:]
            assert "Traceback" not in done.stderr
            if expected == 2:
                assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")
