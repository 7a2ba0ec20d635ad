"""Write an extract as one CSV file per table, in the canonical or a Dutch municipal style.

Dates are formatted by the writer (ISO or dd-mm-jjjj), so sentinel dates such as
9999-12-31 survive; identifiers are text and keep their leading zeros. Files are written
in slices through Arrow, so ten million rows take seconds, not minutes.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from core import jsonio
from core.canonical import DATE, TABLES
from demo.config import styles

SLICE_ROWS = 500_000
STYLES = ("canonical", "dutch")


def file_name(table: str, style: str) -> str:
    return styles()[style]["files"].get(table, f"{table}.csv")


def column_names(table: str, style: str) -> dict[str, str]:
    """Canonical column name -> name in the written file."""
    return styles()[style]["columns"].get(table, {})


def _arrow(df: pd.DataFrame, table: str, date_format: str, names: dict[str, str]) -> pa.Table:
    data = pa.Table.from_pandas(df, preserve_index=False)
    spec = TABLES[table]
    for i, name in enumerate(data.column_names):
        if name in spec.names and spec.kind(name) == DATE:
            data = data.set_column(i, name, pc.strftime(data[name].cast(pa.timestamp("s")), format=date_format))
    return data.rename_columns([names.get(n, n) for n in data.column_names])


def write_table(df: pd.DataFrame, table: str, path: Path, style: str = "canonical") -> None:
    spec = styles()[style]
    data = _arrow(df, table, spec["date_format"], column_names(table, style))
    encoding = spec["encoding"]
    with open(path, "wb") as out:
        for offset in range(0, max(data.num_rows, 1), SLICE_ROWS):
            buffer = pa.BufferOutputStream()
            options = pacsv.WriteOptions(include_header=offset == 0, delimiter=spec["delimiter"])
            pacsv.write_csv(data.slice(offset, SLICE_ROWS), buffer, options)
            chunk = buffer.getvalue().to_pybytes()
            out.write(chunk if encoding == "utf-8" else chunk.decode("utf-8").encode(encoding))


def write_extract(tables: dict[str, pd.DataFrame], out_dir: str | Path, style: str = "canonical",
                  manifest: dict | None = None) -> list[Path]:
    """Write every table (and `manifest.json` when given); returns the written paths."""
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, not {style!r}")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table, df in tables.items():
        path = folder / file_name(table, style)
        write_table(df, table, path, style)
        written.append(path)
    if manifest is not None:
        path = folder / "manifest.json"
        jsonio.write({**manifest, "style": style, "files": {t: file_name(t, style) for t in tables}}, path)
        written.append(path)
    return written
