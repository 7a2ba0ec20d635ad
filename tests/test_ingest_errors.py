"""Unusable input gets one plain line in the user's language, naming what is wrong."""
from __future__ import annotations

import io

import openpyxl
import pytest

from core.errors import UserInputError
from quality_checks import Mapping, load_extract, load_uploads, read_table
from quality_checks.mapping import check_columns

GOOD = {  # a minimal usable extract, in Dutch export style
    "klanten.csv": "Klantnummer;Geboortedatum\n001;01-02-1980\n002;03-04-1975\n",
    "uitkeringen.csv": "Klantnummer;Ingangsdatum\n001;01-01-2015\n002;01-02-2015\n",
    "verwijzingen.csv": "Klantnummer;Werkconsulent;Afdeling\n001;C1;Matching\n002;C2;Activering\n",
    "trajecten.csv": "Klantnummer;Instrumentcode;Begindatum\n001;A;01-03-2015\n002;B;01-04-2015\n",
}


def uploads(**changes) -> list[tuple[str, bytes]]:
    files = dict(GOOD, **changes)
    return [(name, text.encode("cp1252")) for name, text in files.items() if text is not None]


def error_of(call, *args) -> UserInputError:
    with pytest.raises(UserInputError) as caught:
        call(*args)
    return caught.value


def test_the_minimal_extract_loads():
    assert set(load_uploads(uploads()).tables) == {"clients", "benefits", "referrals", "interventions"}


@pytest.mark.parametrize("data, en, nl", [
    (b"", "File 'x.csv' is empty.", "Bestand 'x.csv' is leeg."),
    (b"\xef\xbb\xbf \r\n\r\n", "File 'x.csv' is empty.", "Bestand 'x.csv' is leeg."),
    (b"Klantnummer;Naam\r\n", "File 'x.csv' has column names but no rows.",
     "Bestand 'x.csv' heeft kolomnamen maar geen rijen."),
    (bytes(range(256)) * 20, "File 'x.csv' is not a table we can read (CSV, TXT, XLSX or Parquet).",
     "Bestand 'x.csv' is geen tabel die we kunnen lezen (CSV, TXT, XLSX of Parquet)."),
    (b"\x01\x02\x03\x04garbage\x05\x06\x07" * 50, "File 'x.csv' is not a table we can read (CSV, TXT, XLSX or Parquet).",
     "Bestand 'x.csv' is geen tabel die we kunnen lezen (CSV, TXT, XLSX of Parquet)."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "File 'x.csv' is in the old Excel format (.xls); save it as .xlsx or .csv.",
     "Bestand 'x.csv' is in het oude Excel-formaat (.xls); sla het op als .xlsx of .csv."),
    (b"\xff\xfeK\x00;\x00\x00\xd8", "The characters in file 'x.csv' cannot be read as UTF-8, UTF-16 or Windows-1252; save it as UTF-8.",
     "De tekens in bestand 'x.csv' zijn niet te lezen als UTF-8, UTF-16 of Windows-1252; sla het op als UTF-8."),
    (b"Klantnummer;Datum;Naam;Datum\n1;2;3;4\n", "File 'x.csv' has duplicate column names: 'Datum'.",
     "Bestand 'x.csv' heeft dubbele kolomnamen: 'Datum'."),
    (b"PK\x03\x04 not really a workbook", "File 'x.csv' is not a table we can read (CSV, TXT, XLSX or Parquet).",
     "Bestand 'x.csv' is geen tabel die we kunnen lezen (CSV, TXT, XLSX of Parquet)."),
    (b"PAR1 broken", "File 'x.csv' is not a table we can read (CSV, TXT, XLSX or Parquet).",
     "Bestand 'x.csv' is geen tabel die we kunnen lezen (CSV, TXT, XLSX of Parquet)."),
])
def test_unreadable_files(data, en, nl):
    error = error_of(read_table, data, "x.csv")
    assert (error.message("en"), error.message("nl")) == (en, nl)


def test_xlsx_named_file_that_is_text():
    error = error_of(read_table, b"Klantnummer;Naam\n1;2\n", "klanten.xlsx")
    assert error.code == "not_a_table"


def test_no_row_fits_the_header():
    error = error_of(read_table, b"A;B;C\n1;2\n3;4\n5;6\n7;8\n", "x.csv")
    # ';' splits the header in three, every row in two: nothing can be read
    assert error.message("en") == ("No row in 'x.csv' has as many fields as the header (3 columns); "
                                   "check the delimiter.")


def test_sheet_not_found():
    book = openpyxl.Workbook()
    book.active.title = "Blad1"
    book.active.append(["Klantnummer", "Geboortedatum"])
    out = io.BytesIO()
    book.save(out)
    error = error_of(read_table, out.getvalue(), "klanten.xlsx", "Blad2")
    assert error.message("en") == "Sheet 'Blad2' does not exist in 'klanten.xlsx'; sheets: 'Blad1'."
    assert error.message("nl") == "Werkblad 'Blad2' bestaat niet in 'klanten.xlsx'; werkbladen: 'Blad1'."


def test_no_recognisable_columns():
    error = error_of(load_uploads, uploads(**{"klanten.csv": "Kolom A;Kolom B\n1;2\n"}))
    assert error.message("en") == ("No column of 'klanten.csv' (table clients) is recognised; "
                                   "found: 'Kolom A', 'Kolom B'. Supply a column mapping.")


def test_required_column_missing_names_table_column_and_found():
    error = error_of(load_uploads, uploads(**{"trajecten.csv": "Klantnummer;Code X;Begindatum\n1;A;01-03-2015\n"}))
    assert error.message("en") == ("File 'trajecten.csv' lacks the required column intervention_code "
                                   "of table interventions; found: 'Klantnummer', 'Code X', 'Begindatum'.")
    assert error.message("nl") == ("In 'trajecten.csv' ontbreekt de verplichte kolom intervention_code "
                                   "van tabel interventions; gevonden: 'Klantnummer', 'Code X', 'Begindatum'.")


def test_required_table_missing():
    error = error_of(load_uploads, uploads(**{"verwijzingen.csv": None}))
    assert error.message("en") == ("Table 'referrals' is missing from the extract "
                                   "(expected a file such as referrals.csv).")


def test_unrecognised_file_is_named_when_a_table_is_missing():
    files = uploads(**{"verwijzingen.csv": None, "export.csv": "Kolom A;Kolom B\n1;2\n"})
    error = error_of(load_uploads, files)
    assert error.message("en").startswith("We cannot tell which table 'export.csv' is")


def test_unrecognised_extra_file_is_only_a_note():
    loaded = load_uploads(uploads(**{"leesmij.txt": "Dit is uitleg bij de export.\n"}))
    assert "ingest.ignored_file" in [n.id for n in loaded.notes]


def test_two_files_claiming_the_same_table():
    error = error_of(load_uploads, uploads(**{"klanten_2.csv": GOOD["klanten.csv"]}))
    assert error.message("en") == ("Files 'klanten.csv', 'klanten_2.csv' both appear to be table clients; "
                                   "supply one file per table or fix the assignment in a column mapping.")


def test_two_columns_mapped_to_one():
    error = error_of(check_columns, "clients", {"A": "client_id", "B": "client_id"}, ["A", "B"], "x.csv")
    assert error.message("en") == ("In the column mapping of table clients several columns point to "
                                   "client_id: 'A', 'B'.")


def test_folder_errors(tmp_path):
    error = error_of(load_extract, tmp_path / "bestaat-niet")
    assert error.message("nl") == f"Map '{tmp_path / 'bestaat-niet'}' bestaat niet of is geen map."
    (tmp_path / "manifest.json").write_text("{}")
    error = error_of(load_extract, tmp_path)
    assert error.message("en") == f"Folder '{tmp_path}' contains no CSV, TXT, XLSX or Parquet files."


def test_mapping_to_a_file_that_lacks_the_column():
    mapping = Mapping(tables={"clients": {"Klantnummer": None, "Geboortedatum": "birth_date"}})
    error = error_of(load_uploads, uploads(), mapping)
    assert error.code == "missing_column" and "client_id" in error.message("en")


def test_a_file_without_header_never_shows_identifiers_in_the_message():
    # the first data row is taken for the header: its BSN and client number must be masked
    files = uploads(**{"verwijzingen.csv": None, "export.csv": "123456782;K0012345;Jansen\n111222333;K0012346;Smit\n"})
    message = error_of(load_uploads, files).message("en")
    assert "123456782" not in message and "0012345" not in message
    assert "'1********', 'K*******', 'Jansen'" in message
