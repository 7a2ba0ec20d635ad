"""Ingest of the file formats municipal exports come in: each Dutch text format, XLSX, Parquet."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.canonical import TEXT_DTYPE
from quality_checks import apply_mapping, list_sheets, read_table, suggest_mapping
from quality_checks.mapping import conform_raw
from quality_checks.sniff import SAMPLE_BYTES

TS = pd.Timestamp


def interventions(raw):
    return apply_mapping(raw, "interventions", suggest_mapping(raw.columns, "interventions"))


def test_semicolon_cp1252_dutch_dates():
    text = ("Klantnummer;Instrumentcode;Omschrijving;Begindatum;Einddatum\n"
            "000123;TR1;Cliëntgesprek, intake;01-02-2015;31-12-9999\n"
            "000124;TR2;Sollicitatietraining – groep;1-3-2016;01-01-1900\n")
    raw = read_table(text.encode("cp1252"), "trajecten.csv")
    assert (raw.layout.encoding, raw.layout.delimiter, raw.layout.format) == ("cp1252", ";", "text")
    df = interventions(raw)
    assert df["client_id"].tolist() == ["000123", "000124"]
    assert df["intervention_label"].tolist() == ["Cliëntgesprek, intake", "Sollicitatietraining – groep"]
    assert df["start_date"].tolist() == [TS("2015-02-01"), TS("2016-03-01")]
    assert df["end_date"].tolist() == [TS("9999-12-31"), TS("1900-01-01")]
    assert str(df["start_date"].dtype) == "datetime64[s]" and df["client_id"].dtype == TEXT_DTYPE


def test_utf8_bom_comma_iso_dates():
    text = "\ufeffclient_id,bsn,birth_date,postcode\n0042,012345672,1980-05-06,0123AB\n"
    raw = read_table(text.encode("utf-8"), "clients.csv")
    assert (raw.layout.encoding, raw.layout.delimiter) == ("utf-8-sig", ",")
    assert raw.columns == ["client_id", "bsn", "birth_date", "postcode"]  # no BOM in the name
    df = apply_mapping(raw, "clients", suggest_mapping(raw.columns, "clients"))
    assert df.loc[0, "bsn"] == "012345672" and df.loc[0, "postcode"] == "0123AB"
    assert df.loc[0, "client_id"] == "0042" and df.loc[0, "birth_date"] == TS("1980-05-06")


def test_tab_separated_slash_dates_with_time():
    text = ("Klantnr\tTrajectcode\tStartdatum\tEinddatum\n"
            "7\tA1\t05/01/2015\t07/02/2015 13:45:00\n8\tA2\t31/12/2015\t\n")
    raw = read_table(text.encode("utf-8"), "trajecten.txt")
    assert raw.layout.delimiter == "\t"
    df = interventions(raw)
    assert df["start_date"].tolist() == [TS("2015-01-05"), TS("2015-12-31")]
    assert df.loc[0, "end_date"] == TS("2015-02-07 13:45:00") and pd.isna(df.loc[1, "end_date"])


def test_semicolon_file_whose_fields_contain_commas():
    # every row has commas inside fields, one of them with a ';' inside quotes
    rows = [f"{i:06d};Training, groep {i};{i % 28 + 1:02d}-01-2015;\"Opmerking; met puntkomma, en komma\""
            for i in range(50)]
    text = "Klantnummer;Omschrijving;Begindatum;Opmerking\n" + "\n".join(rows) + "\n"
    raw = read_table(text.encode("cp1252"), "x.csv")
    assert raw.layout.delimiter == ";" and raw.rows == 50 and raw.skipped_rows == 0
    assert raw.frame.loc[3, "Omschrijving"] == "Training, groep 3"
    assert raw.frame.loc[3, "Opmerking"] == "Opmerking; met puntkomma, en komma"
    assert raw.frame.loc[0, "Klantnummer"] == "000000"


def test_semicolon_file_with_a_decimal_comma_in_every_row_and_ragged_ends():
    rows = [f"{i};{i % 3},5;Omschrijving{';' if i % 10 == 0 else ''}" for i in range(60)]
    raw = read_table(("Klantnummer;Uren;Omschrijving\n" + "\n".join(rows)).encode(), "x.csv")
    assert raw.layout.delimiter == ";" and raw.frame["Uren"].iloc[0] == "1,5"
    assert raw.skipped_rows == 6  # the rows with an extra field


def test_decimal_comma_and_counts():
    text = "Klantnummer;AantalKinderen\n1;2\n2;3,0\n3; 0 \n4;1,5\n5;twee\n6;\n"
    raw = read_table(text.encode(), "klanten.csv")
    result = conform_raw(raw, "clients", {"Klantnummer": "client_id", "AantalKinderen": "n_children"})
    assert result.frame["n_children"].tolist() == [2, 3, 0, pd.NA, pd.NA, pd.NA]
    assert str(result.frame["n_children"].dtype) == "Int64"
    assert result.converted["n_children"].unparseable == 2
    assert result.converted["n_children"].examples == ["1,5", "twee"]


def test_unparseable_and_impossible_dates_counted_not_dropped():
    text = ("Klantnummer;Instrumentcode;Begindatum\n"
            "1;A;01-02-2015\n2;A;31-02-2015\n3;A;onbekend\n4;A;2015\n5;A;\n6;A;29-02-2016\n")
    raw = read_table(text.encode(), "trajecten.csv")
    result = conform_raw(raw, "interventions", suggest_mapping(raw.columns, "interventions"))
    df = result.frame
    assert len(df) == 6  # nothing dropped
    assert df["start_date"].isna().tolist() == [False, True, True, True, True, False]
    assert result.converted["start_date"].unparseable == 3  # the empty one is missing, not wrong
    assert result.converted["start_date"].examples == ["31-02-2015", "onbekend", "2015"]
    assert df.loc[5, "start_date"] == TS("2016-02-29")


def test_mixed_date_formats_in_one_column():
    values = ["01-02-2015"] * 30 + ["2015-03-04", "20150405", "42005", "2015-06-07 08:09:10.000"]
    text = "Klantnummer;Instrumentcode;Begindatum\n" + "".join(f"1;A;{v}\n" for v in values)
    result = conform_raw(read_table(text.encode(), "t.csv"), "interventions",
                         {"Klantnummer": "client_id", "Instrumentcode": "intervention_code",
                          "Begindatum": "start_date"})
    assert result.frame["start_date"].tolist()[-5:] == [
        TS("2015-02-01"), TS("2015-03-04"), TS("2015-04-05"), TS("2015-01-01"), TS("2015-06-07 08:09:10")]
    assert result.converted["start_date"].unparseable == 0
    assert result.converted["start_date"].formats[0] == "%d-%m-%Y"


def test_title_lines_above_header_and_ragged_rows():
    text = ("Export Suite4Werk;;\nGemaakt op 12-03-2024;;\n\n"
            "Klantnummer;Instrumentcode;Begindatum\n1;A;01-02-2015\n2;B;02-02-2015;extra;veld\n3;C;03-02-2015\n")
    raw = read_table(text.encode(), "t.csv")
    assert raw.columns == ["Klantnummer", "Instrumentcode", "Begindatum"]
    assert raw.frame["Klantnummer"].tolist() == ["1", "3"] and raw.skipped_rows == 1


def test_quoted_line_breaks_and_utf8_that_turns_cp1252_after_the_sample():
    head = "Klantnummer;Omschrijving\n" + "".join(f"{i};gewoon\n" for i in range(SAMPLE_BYTES // 10))
    data = head.encode() + "999;\"Cliënt met\nregeleinde\"\n".encode("cp1252")
    raw = read_table(data, "t.csv")
    assert raw.layout.encoding == "utf-8+cp1252"
    assert raw.frame["Omschrijving"].iloc[-1] == "Cliënt met\nregeleinde"
    assert raw.rows == SAMPLE_BYTES // 10 + 1 and raw.skipped_rows == 0


def test_utf16_excel_unicode_text():
    text = "Klantnummer\tPostcode\r\n0101\t1011AB\r\n"
    raw = read_table(text.encode("utf-16"), "klanten.txt")
    assert raw.layout.encoding == "utf-16" and raw.frame.loc[0, "Klantnummer"] == "0101"


def _workbook_bytes() -> bytes:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Toelichting"
    first.append(["Dit werkblad is uitleg"])
    sheet = book.create_sheet("Trajecten")
    sheet.append(["Klantnummer", "Instrumentcode", "Begindatum", "Einddatum", "BSN"])
    sheet.append(["000123", "A1", 42005, dt.datetime(2015, 3, 1), "012345672"])
    sheet.append([124, "A2", dt.datetime(9999, 12, 31), dt.datetime(1900, 1, 1), 12345672])
    sheet.append([125, "A3", "01-02-2015", 42005.5, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_sheet_choice_and_excel_serial_dates():
    data = _workbook_bytes()
    assert list_sheets(data) == ["Toelichting", "Trajecten"]
    raw = read_table(data, "trajecten.xlsx", sheet="Trajecten")
    assert (raw.layout.format, raw.layout.sheet) == ("xlsx", "Trajecten")
    df = interventions(raw)
    assert df["client_id"].tolist() == ["000123", "124", "125"]
    assert df["start_date"].tolist() == [TS("2015-01-01"), TS("9999-12-31"), TS("2015-02-01")]
    assert df["end_date"].tolist() == [TS("2015-03-01"), TS("1900-01-01"), TS("2015-01-01 12:00")]
    assert raw.frame["BSN"].tolist()[:2] == ["012345672", "12345672"]  # text keeps its zero


def test_xlsx_without_sheet_choice_passes_over_an_explanation_sheet():
    raw = read_table(_workbook_bytes(), "trajecten.xlsx")
    assert raw.layout.sheet == "Trajecten" and raw.rows == 3


def test_parquet_typed_and_text_columns():
    table = pa.table({"Klantnummer": ["007", "008"], "Instrumentcode": ["A", "B"],
                      "Begindatum": pa.array([dt.date(2015, 1, 2), dt.date(9999, 12, 31)]),
                      "Einddatum": ["02-03-2015", None]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    raw = read_table(buffer.getvalue(), "trajecten.parquet")
    assert raw.layout.format == "parquet" and list_sheets(buffer.getvalue()) == []
    df = interventions(raw)
    assert df["client_id"].tolist() == ["007", "008"]
    assert df["start_date"].tolist() == [TS("2015-01-02"), TS("9999-12-31")]
    assert df.loc[0, "end_date"] == TS("2015-03-02") and str(df["start_date"].dtype) == "datetime64[s]"


def test_read_from_path_restricted_columns(tmp_path):
    path = tmp_path / "klanten.csv"
    path.write_bytes("Klantnummer;Naam;Postcode\n01;Jansen;0123AB\n".encode("cp1252"))
    raw = read_table(path, columns=["Klantnummer", "Postcode"])
    assert raw.name == "klanten.csv" and raw.columns == ["Klantnummer", "Postcode"]
    assert raw.layout.columns == ["Klantnummer", "Naam", "Postcode"]


@pytest.mark.parametrize("values, expected", [
    (["42005", "1", "2958465"], [TS("2015-01-01"), TS("1900-01-01"), TS("9999-12-31")]),
    (["59", "61"], [pd.NaT, pd.NaT]),  # 4- and 2-digit numbers are not taken for Excel days
])
def test_excel_serial_numbers_in_text(values, expected):
    text = "Klantnummer;Instrumentcode;Begindatum\n" + "".join(f"1;A;{v}\n" for v in values)
    df = interventions(read_table(text.encode(), "t.csv"))
    assert df["start_date"].tolist() == expected


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_single_byte_decoding_matches_python(encoding):
    from quality_checks.transcode import decode
    alphabet = "abc XYZ 019;,\"ëéïüöçñ€–—“”‘’…ŠŽšžŸ"
    values = [alphabet[i % 7:i % 7 + i % 23] for i in range(400)] + [None, "€€€", "plain"]
    values = [v if v is None else v.encode(encoding, errors="replace").decode(encoding) for v in values]
    column = pa.array([v if v is None else v.encode(encoding) for v in values], pa.binary())
    chunks = [column.slice(0, 150), column.slice(150)]
    decode(chunks, encoding)
    assert pa.chunked_array(chunks).to_pylist() == values
    for chunk in chunks:
        chunk.validate(full=True)


# Date columns written jjjj-mm-dd throughout are read as dates by pyarrow itself; anything else
# sends the column through the text conversion, with the same dates as that conversion gives.
ISO_HEADER = "client_id,intervention_code,start_date,end_date\n"


def _iso_read(rows: list[str], encoding: str = "utf-8"):
    raw = read_table((ISO_HEADER + "".join(rows)).encode(encoding), "interventions.csv",
                     dates=["start_date", "end_date"])
    conformed = conform_raw(raw, "interventions", suggest_mapping(raw.columns, "interventions"))
    return raw, conformed.frame, conformed.converted


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_plain_iso_dates_are_read_as_dates_by_pyarrow(encoding):
    rows = ["K1,TRN,2015-01-02,2015-03-31\n", "K2,SOL,2016-02-29,\n", "K3,LKS,2014-12-31,NULL\n",
            "K4,TRN,9999-12-31,1900-01-01\n", 'K5,SOL,"",2017-07-01\n']
    raw, df, converted = _iso_read(rows, encoding)
    assert raw.iso_dates == ["start_date", "end_date"]
    assert df["start_date"].tolist()[:4] == [TS("2015-01-02"), TS("2016-02-29"), TS("2014-12-31"), TS("9999-12-31")]
    assert pd.isna(df.loc[4, "start_date"]) and df["end_date"].isna().tolist() == [False, True, True, False, False]
    assert df.loc[3, "end_date"] == TS("1900-01-01") and str(df["start_date"].dtype) == "datetime64[s]"
    assert converted["start_date"].formats == ["%Y-%m-%d"] and converted["start_date"].unparseable == 0


@pytest.mark.parametrize("odd, read_as, formats, unparseable", [
    ("2015-02-30", None, ["%Y-%m-%d"], 1),                          # impossible: unparseable, as in text
    ("2015-06-01 10:30", TS("2015-06-01 10:30"), ["%Y-%m-%d", "%Y-%m-%d %H:%M"], 0),    # a time of day
    ("01-06-2015", TS("2015-06-01"), ["%Y-%m-%d", "%d-%m-%Y"], 0),    # another notation
    (" 2015-06-01", TS("2015-06-01"), ["%Y-%m-%d"], 0),               # a space
    ("0215-06-01", None, None, None),                                  # year 215: as the text route judges it
    ("0000-06-01", None, None, None),                                  # year 0 (pyarrow reads it; no crash)
    ("2015-06-01T10:30", TS("2015-06-01 10:30"), ["%Y-%m-%d", "%Y-%m-%dT%H:%M"], 0),
])
def test_iso_dates_with_one_other_value_far_down_go_the_text_way(odd, read_as, formats, unparseable):
    plain = [f"K{i},TRN,2015-{1 + i % 12:02d}-{1 + i % 28:02d},2016-01-01\n" for i in range(3000)]
    rows = plain[:2500] + [f"K9,TRN,{odd},2016-01-01\n"] + plain[2500:]
    raw, df, converted = _iso_read(rows)
    assert raw.iso_dates == ["end_date"]               # the other column still read by pyarrow
    assert df.loc[0, "start_date"] == TS("2015-01-01") and df.loc[3000, "start_date"] == TS("2015-12-04")
    if read_as is not None:
        assert df.loc[2500, "start_date"] == read_as
    if formats is not None:
        assert (converted["start_date"].unparseable, converted["start_date"].formats) == (unparseable, formats)
    as_text = read_table((ISO_HEADER + "".join(rows)).encode(), "interventions.csv")    # no column as dates
    assert as_text.iso_dates == []
    text_route = conform_raw(as_text, "interventions", suggest_mapping(as_text.columns, "interventions"))
    pd.testing.assert_frame_equal(df, text_route.frame)
    assert converted == text_route.converted


def test_dutch_dates_are_not_read_as_iso():
    raw, df, converted = _iso_read(["K1,TRN,02-01-2015,31-03-2015\n", "K2,SOL,29-02-2016,\n"])
    assert raw.iso_dates == []
    assert df["start_date"].tolist() == [TS("2015-01-02"), TS("2016-02-29")]
    assert converted["start_date"].formats == ["%d-%m-%Y"]


@pytest.mark.parametrize("midnight", ["2015-06-01 00:00", "2015-06-01T00:00", "2015-06-01 00:00:00", "2015-06-01 00"])
def test_a_midnight_among_plain_iso_dates_is_read_as_its_date(midnight):
    raw, df, converted = _iso_read(["K1,TRN,2015-01-02,\n", f"K2,TRN,{midnight},\n"])
    assert raw.iso_dates == ["start_date", "end_date"]
    assert df["start_date"].tolist() == [TS("2015-01-02"), TS("2015-06-01")]
    assert converted["start_date"].unparseable == 0
