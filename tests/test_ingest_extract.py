"""Loading a whole extract: the demo's Dutch export style gives the same canonical tables as the
canonical style without a mapping file; uploads in memory give the same as a folder."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from quality_checks import (LoadedExtract, Mapping, load_extract, load_mapping, load_uploads,
                            propose_mapping, save_mapping)


@pytest.fixture(scope="module")
def loaded_canonical(demo_dir) -> LoadedExtract:
    return load_extract(demo_dir)


@pytest.fixture(scope="module")
def loaded_dutch(demo_dir_dutch) -> LoadedExtract:
    return load_extract(demo_dir_dutch)


def test_canonical_folder_gives_the_demo_tables(loaded_canonical, demo):
    assert set(loaded_canonical.tables) == set(demo.tables)
    for name, expected in demo.tables.items():
        pd.testing.assert_frame_equal(loaded_canonical.tables[name],
                                      expected.reset_index(drop=True), check_dtype=True)


def test_dutch_folder_loads_without_mapping_into_the_same_tables(loaded_dutch, loaded_canonical):
    assert set(loaded_dutch.tables) == set(loaded_canonical.tables)
    for name, expected in loaded_canonical.tables.items():
        pd.testing.assert_frame_equal(loaded_dutch.tables[name], expected, check_dtype=True)
    assert loaded_dutch.mapping.files["trajecten.csv"] == "interventions"
    assert loaded_dutch.mapping.tables["interventions"]["Begindatum"] == "start_date"
    assert loaded_dutch.mapping_suggested
    assert [n.id for n in loaded_dutch.notes].count("ingest.mapping_suggested") == 1


def test_notes_are_findings_rendered_in_the_language_asked(loaded_dutch, demo):
    rows = len(demo.tables["interventions"])
    assert rows >= 1000                          # so the thousands separator shows
    note = next(n for n in loaded_dutch.notes if n.id == "ingest.file_table" and n.table == "interventions")
    assert note.params["file"] == "trajecten.csv" and note.count == rows
    english, dutch = note.message("en"), note.message("nl")
    assert f"{rows:,} rows" in english and "trajecten.csv" in english
    assert f"{rows:,} rijen".replace(",", ".") in dutch


def test_sources_report_how_each_file_was_read(loaded_dutch, demo):
    info = loaded_dutch.sources["interventions"]
    assert (info.file, info.format, info.delimiter, info.skipped_rows) == ("trajecten.csv", "text", ";", 0)
    assert info.rows == len(demo.tables["interventions"])
    assert info.date_formats["start_date"] == ["%d-%m-%Y"]
    assert info.unparseable == {} and info.unused_columns == []
    assert loaded_dutch.sources["codebook"].encoding == "cp1252"  # it has an ë


def test_uploads_in_memory_give_the_same_as_the_folder(demo_dir_dutch, loaded_dutch):
    files = [(p.name, p.read_bytes()) for p in sorted(demo_dir_dutch.iterdir()) if p.suffix == ".csv"]
    uploaded = load_uploads(files)
    for name, expected in loaded_dutch.tables.items():
        pd.testing.assert_frame_equal(uploaded.tables[name], expected)
    assert uploaded.mapping == loaded_dutch.mapping


def test_saved_mapping_is_used_for_renamed_files(tmp_path, demo_dir_dutch, loaded_dutch):
    for path in demo_dir_dutch.glob("*.csv"):  # a system that calls its files export_1.csv...
        (tmp_path / f"export_{path.stem[::-1]}.csv").write_bytes(path.read_bytes())
    proposed = propose_mapping([(p.name, p) for p in sorted(tmp_path.glob("*.csv"))])
    proposed.tables["clients"]["Herkomst"] = None  # the user drops a column
    save_mapping(proposed, tmp_path / "indeling.yaml")
    loaded = load_extract(tmp_path, load_mapping(tmp_path / "indeling.yaml"))
    assert not loaded.mapping_suggested
    assert "ingest.mapping_suggested" not in [n.id for n in loaded.notes]
    assert "origin" not in loaded.tables["clients"]
    assert loaded.sources["clients"].unused_columns == ["Herkomst"]
    pd.testing.assert_frame_equal(loaded.tables["interventions"], loaded_dutch.tables["interventions"])


def test_unparseable_dates_become_a_note_with_count(tmp_path, demo_dir):
    for path in demo_dir.glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    with open(tmp_path / "interventions.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("start_date")
    rows[1][column], rows[2][column], rows[3][column] = "32-13-2015", "32-13-2015", "gisteren"
    with open(tmp_path / "interventions.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    loaded = load_extract(tmp_path)
    assert loaded.sources["interventions"].unparseable == {"start_date": 3}
    note = next(n for n in loaded.notes if n.id == "ingest.unparseable")
    assert (note.table, note.column, note.count) == ("interventions", "start_date", 3)
    assert note.examples == ["32-13-2015", "gisteren"] and "3 " in note.message("nl")
    assert note.share == 3 / len(loaded.tables["interventions"]) and note.severity == "warning"
    assert loaded.tables["interventions"]["start_date"].isna().sum() == 3


def test_workbook_with_several_sheets_and_mapping_sheet_choice(tmp_path, demo_dir):
    import openpyxl
    for path in demo_dir.glob("*.csv"):
        if path.stem != "codebook":
            (tmp_path / path.name).write_bytes(path.read_bytes())
    book = openpyxl.Workbook()
    book.active.title = "Leeg"
    sheet = book.create_sheet("Codes")
    for row in pd.read_csv(demo_dir / "codebook.csv", dtype=str).itertuples(index=False):
        if sheet.max_row == 1:
            sheet.append(["Instrumentcode", "Omschrijving", "GeldigVanaf", "GeldigTot", "Categorie"])
        sheet.append(list(row))
    book.save(tmp_path / "codeboek.xlsx")
    loaded = load_extract(tmp_path, Mapping(sheets={"codeboek.xlsx": "Codes"}))
    assert len(loaded.tables["codebook"]) == len(pd.read_csv(demo_dir / "codebook.csv"))
    assert "ingest.other_sheets" in [n.id for n in loaded.notes]
