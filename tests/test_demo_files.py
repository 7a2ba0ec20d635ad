"""Written extracts round-trip: canonical and Dutch style, identifiers and sentinel dates intact."""
from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from core.canonical import DATE, TABLES, conform
from core.cli import run
from demo import writer
from demo.__main__ import main
from demo.config import styles

DUTCH = styles()["dutch"]


def read_back(folder, table: str, style: str) -> pd.DataFrame:
    """Read a written table with pyarrow, typed by the canonical model, with canonical names."""
    spec = styles()[style]
    names = spec["columns"].get(table, {})
    types = {names.get(c.name, c.name): pa.timestamp("s") if c.kind == DATE else pa.string()
             for c in TABLES[table].columns}
    data = pacsv.read_csv(
        folder / spec["files"].get(table, f"{table}.csv"),
        read_options=pacsv.ReadOptions(encoding=spec["encoding"]),
        parse_options=pacsv.ParseOptions(delimiter=spec["delimiter"]),
        convert_options=pacsv.ConvertOptions(column_types=types, timestamp_parsers=[spec["date_format"]],
                                             strings_can_be_null=True),
    )
    inverse = {v: k for k, v in names.items()}
    return conform(data.to_pandas().rename(columns=inverse), table)


@pytest.mark.parametrize("style", ["canonical", "dutch"])
@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_round_trips(demo, demo_dir, demo_dir_dutch, style, table):
    folder = demo_dir if style == "canonical" else demo_dir_dutch
    back = read_back(folder, table, style)
    pd.testing.assert_frame_equal(back, demo.tables[table], check_dtype=True)


def test_identifiers_keep_leading_zeros_in_the_text(demo, demo_dir, demo_dir_dutch):
    canonical = pd.read_csv(demo_dir / "clients.csv", dtype=str, keep_default_na=False)
    dutch = pd.read_csv(demo_dir_dutch / "klanten.csv", dtype=str, keep_default_na=False, sep=";", encoding="cp1252")
    expected = demo.tables["clients"]["bsn"].fillna("").tolist()
    assert canonical["bsn"].tolist() == expected
    assert dutch["Burgerservicenummer"].tolist() == expected
    assert (canonical["bsn"].str.fullmatch(r"0\d{8}")).sum() > 100
    assert (canonical["bsn"] == "000000000").sum() == demo.manifest["defects"]["bsn.sentinel"]["count"]
    assert dutch["Klantnummer"].iloc[0] == "K0000001"


def test_dutch_style_bytes(demo, demo_dir_dutch):
    raw = (demo_dir_dutch / "codeboek.csv").read_bytes()
    assert "Cliëntondersteuning".encode("cp1252") in raw
    assert "Cliëntondersteuning".encode("utf-8") not in raw
    header = raw.decode("cp1252").splitlines()[0]
    assert header.split(";")[0].strip('"') == "Instrumentcode"
    rows = (demo_dir_dutch / "trajecten.csv").read_text(encoding="cp1252")
    sentinel_rows = (demo.tables["interventions"]["end_date"] == pd.Timestamp("9999-12-31")).sum()
    assert rows.count('"31-12-9999"') == sentinel_rows > 0
    assert '"01-01-1900"' in rows
    files = sorted(p.name for p in demo_dir_dutch.iterdir())
    assert files == sorted([*DUTCH["files"].values(), "manifest.json"])


def test_canonical_style_uses_iso_dates_and_utf8(demo_dir):
    text = (demo_dir / "interventions.csv").read_text(encoding="utf-8")
    assert '"9999-12-31"' in text and '"1900-01-01"' in text
    assert text.splitlines()[0] == '"client_id","intervention_code","intervention_label","start_date","end_date","status"'


def test_manifest_file_matches_extract(demo, demo_dir):
    written = json.loads((demo_dir / "manifest.json").read_text(encoding="utf-8"))
    assert written["defects"] == demo.manifest["defects"]
    assert written["true_effects"] == {"Matching": 0.27, "Activering": 0.0}
    assert written["coding_change"]["date"] == "2017-01-01"
    assert written["files"]["interventions"] == "interventions.csv"


def test_command_writes_a_clean_dutch_extract(tmp_path, capsys):
    assert run(main, ["--out", str(tmp_path), "--clients", "300", "--clean", "--style", "dutch",
                      "--effect-matching", "0.2", "--lang", "en"]) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["defects"] == {} and manifest["true_effects"]["Matching"] == 0.2
    assert len(read_back(tmp_path, "clients", "dutch")) == 300
    assert "Clean extract" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--out", "X", "--clients", "many"], ["--out", "X", "--clients", "0"],
                                  ["--out", "X", "--style", "excel"], ["--clients", "10"]])
def test_command_bad_input_one_line_exit_2(tmp_path, capsys, argv):
    argv = [str(tmp_path / a) if a == "X" else a for a in argv]
    assert run(main, argv) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("error:")
    assert "Traceback" not in captured.err


def test_command_refuses_a_file_as_output_folder(tmp_path, capsys):
    target = tmp_path / "file.csv"
    target.write_text("x")
    assert run(main, ["--out", str(target)]) == 2
    assert "file.csv" in capsys.readouterr().err


def test_large_tables_are_written_in_slices_without_repeated_headers(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "SLICE_ROWS", 997)
    writer.write_extract({"interventions": demo.tables["interventions"]}, tmp_path, "dutch")
    text = (tmp_path / "trajecten.csv").read_text(encoding="cp1252")
    assert text.count('"Instrumentcode"') == 1
    pd.testing.assert_frame_equal(read_back(tmp_path, "interventions", "dutch"), demo.tables["interventions"])
