"""The reading rules behind the corpus, one at a time, with expected values written by hand."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from core.errors import UserInputError
from quality_checks import apply_mapping, read_table, suggest_mapping
from quality_checks.convert import as_date, convert, pivot_year
from quality_checks.ingest_errors import listing, shown
from quality_checks.transcode import decode

TS = pd.Timestamp


def dates(values):
    return as_date(pa.chunked_array([pa.array(values, pa.string())]))


def test_pivot_rule_for_two_digit_years():
    assert pivot_year(dt.date(2026, 5, 1)) == 26
    pivot = pivot_year()
    result = dates([f"01-02-{pivot:02d}", f"01-02-{pivot + 1:02d}", "31-12-99", "1-2-00 10:30"])
    assert result.array.to_pylist() == [dt.datetime(2000 + pivot, 2, 1), dt.datetime(1901 + pivot, 2, 1),
                                        dt.datetime(1999, 12, 31), dt.datetime(2000, 2, 1, 10, 30)]
    assert [r.key for r in result.remarks] == ["two_digit_year"] and result.remarks[0].count == 4


def test_four_digit_years_give_no_two_digit_note():
    assert dates(["01-02-1980", "13-12-2015"]).remarks == []


def test_date_order_decided_per_column():
    us = dates(["01/02/2015", "12/31/2015", "02/13/2016"])
    assert us.array.to_pylist() == [dt.datetime(2015, 1, 2), dt.datetime(2015, 12, 31),
                                    dt.datetime(2016, 2, 13)]
    assert "month_first" in [r.key for r in us.remarks]
    dutch = dates(["01/02/2015", "31/12/2015", "13/02/2016"])
    assert dutch.array.to_pylist() == [dt.datetime(2015, 2, 1), dt.datetime(2015, 12, 31),
                                       dt.datetime(2016, 2, 13)]
    ambiguous = dates(["01/02/2015", "03/04/2015"])  # both orders fit: the Dutch one
    assert ambiguous.array.to_pylist() == [dt.datetime(2015, 2, 1), dt.datetime(2015, 4, 3)]
    assert ambiguous.remarks == []


def test_timezone_aware_timestamps_become_the_dutch_date():
    utc = pa.chunked_array([pa.array([TS("2015-02-28 23:00", tz="UTC"), TS("2015-07-31 22:00", tz="UTC")],
                                     pa.timestamp("us", "UTC"))])
    result = as_date(utc)
    assert result.array.to_pylist() == [dt.datetime(2015, 3, 1), dt.datetime(2015, 8, 1)]
    assert result.remarks[0].key == "timezone_local"


def test_excel_number_damage():
    suffixed = convert(pa.array(["612670648.0", "12345672.0", None]), "text", "bsn")
    assert suffixed.array.to_pylist() == ["612670648", "12345672", None]
    assert [(r.key, r.count) for r in suffixed.remarks] == [("decimal_suffix", 2)]
    mixed = convert(pa.array(["1.0", "2.5"]), "text", "house_number")  # real decimals: untouched
    assert mixed.array.to_pylist() == ["1.0", "2.5"] and mixed.remarks == []
    scientific = convert(pa.array(["6.12671E+08", "6,12671E+08", "612670648"]), "text", "bsn")
    assert [(r.key, r.count) for r in scientific.remarks] == [("scientific_notation", 2)]
    label = convert(pa.array(["Fase 1E+2"]), "text", "intervention_label")
    assert label.remarks == []


def test_per_value_decoding_counts_what_is_not_utf8():
    values = ["Cliëntgesprek".encode(), "Café".encode("cp1252"), b"plain", None, "Zoë".encode()]
    chunks = [pa.array(values, pa.binary())]
    assert decode(chunks, "utf-8") == 1
    assert chunks[0].to_pylist() == ["Cliëntgesprek", "Café", "plain", None, "Zoë"]


def test_mostly_utf8_file_keeps_its_utf8_values():
    text = "client_id;label\n" + "".join(f"{i};Cliëntgesprek\n" for i in range(50))
    data = text.encode() + "51;Café\n".encode("cp1252")
    raw = read_table(data, "trajecten.csv")
    labels = raw.frame["label"].tolist()
    assert labels[:50] == ["Cliëntgesprek"] * 50 and labels[50] == "Café"
    assert [(r.key, r.count) for r in raw.remarks] == [("mixed_encoding", 1)]


def test_line_numbers_of_skipped_and_total_rows():
    text = ("Klantnummer;Geboortedatum\n1;01-02-1980\n2;02-02-1980;x\n3;03-02-1980\n\n"
            "4;04-02-1980\nTotaal;4\n")
    raw = read_table(text.encode(), "klanten.csv")
    assert raw.frame["Klantnummer"].tolist() == ["1", "3", "4"]
    remarks = {r.key: r for r in raw.remarks}
    assert remarks["skipped_lines"].values["lines"] == "3"
    assert remarks["total_rows"].values["lines"] == "7"


def test_cr_only_and_nul_bytes():
    data = b"client_id,bsn\r1,11\x00122\r2,333\r"
    raw = read_table(data, "clients.csv")
    assert raw.frame["bsn"].tolist() == ["11122", "333"]
    remarks = {r.key: r for r in raw.remarks}
    assert set(remarks) == {"cr_line_endings", "nul_bytes"} and remarks["nul_bytes"].values["lines"] == "2"


@pytest.mark.parametrize("header", ["1,612670648,01-02-1980,3016CA", "K1,612.670.648,1980-02-01,12"])
def test_no_header_row_is_refused_without_values(header):
    data = (header + "\n" + "2,123456782,02-02-1980,3016CB\n").encode()
    with pytest.raises(UserInputError) as raised:
        read_table(data, "clients.csv")
    assert raised.value.code == "no_header"
    for lang in ("nl", "en"):
        assert "612" not in raised.value.message(lang) and "1980" not in raised.value.message(lang)


def test_names_in_messages_masked_with_separators():
    assert shown("612.670.648") != "612.670.648" and "670" not in shown("612 670 648")
    assert "670" not in listing(["6126-70-648", "Klantnummer"])
    assert shown("31-12-2015") == "31-12-2015" and shown("Klantnummer") == "Klantnummer"


def test_bsn_and_BSN_refused():
    with pytest.raises(UserInputError) as raised:
        read_table(b"client_id,bsn,BSN\n1,612670648,612670648\n", "clients.csv")
    assert raised.value.code == "duplicate_columns_case"


def test_encrypted_workbook_has_its_own_message():
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(UserInputError) as raised:
        read_table(fake, "klanten.xlsx")
    assert raised.value.code == "encrypted_excel"


def test_counts_after_reading_two_digit_years_in_a_frame():
    raw = read_table(b"Klantnummer;Geboortedatum\n1;14-04-77\n2;31-12-85\n", "klanten.csv")
    df = apply_mapping(raw, "clients", suggest_mapping(raw.columns, "clients"))
    assert df["birth_date"].tolist() == [TS("1977-04-14"), TS("1985-12-31")]


def test_zoned_text_timestamps_become_the_dutch_date():
    result = dates(["2015-02-28T23:00:00Z", "2015-07-31T22:00:00.000Z", "2015-03-01T00:30:00+01:00",
                    "2015-03-05"])
    assert result.array.to_pylist() == [dt.datetime(2015, 3, 1), dt.datetime(2015, 8, 1),
                                        dt.datetime(2015, 3, 1), dt.datetime(2015, 3, 5)]
    assert [(r.key, r.count) for r in result.remarks] == [("timezone_local", 3)]
