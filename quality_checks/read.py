"""Read one table file (CSV/TXT, XLSX, Parquet) from a path or from bytes in memory.

Text and Excel cells are read as text, every column, so that identifiers keep their leading
zeros; `quality_checks.convert` turns the mapped columns into dates and counts afterwards. The
one exception: date columns of a text file written as jjjj-mm-dd throughout are read as dates
by pyarrow itself (no text kept; any other value and the column is read as text after all).
Text is read by `pyarrow.csv` (multi-threaded, Arrow strings), which is what makes a
10-million-row export readable in seconds (DESIGN.md section 7). Uploads stay in memory.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from core.canonical import TEXT_DTYPE
from core.errors import UserInputError
from quality_checks.convert import Remark, before_year_1000
from quality_checks.ingest_errors import listing
from quality_checks.sniff import (PARQUET, SAMPLE_BYTES, TEXT, XLSX, column_names, file_format,
                                  header_index, text_layout)
from quality_checks.transcode import SINGLE_BYTE, decode

NULL_VALUES = ["", "NULL", "null", "#N/A"]
UTF8 = ("utf-8", "utf-8-sig")
MIXED = "utf-8+cp1252"  # UTF-8 with some Windows-1252 further on
HEADER_ROWS = 50
Source = str | Path | bytes


@dataclass
class Layout:
    """What a file is and which columns it has, found without reading all of it."""
    name: str
    format: str                       # text | xlsx | parquet
    columns: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 0               # 0-based line (text) or row (xlsx) of the column names
    quoted_newlines: bool = False


@dataclass
class RawTable:
    """A table as read: Arrow columns (text for CSV and Excel), plus how it was read."""
    layout: Layout
    table: pa.Table
    skipped_rows: int = 0             # text rows with another number of fields than the header
    remarks: list[Remark] = field(default_factory=list)   # for notes: what reading decided
    iso_dates: list[str] = field(default_factory=list)    # columns read as jjjj-mm-dd dates (`_read_csv`)

    @property
    def name(self) -> str:
        return self.layout.name

    @property
    def columns(self) -> list[str]:
        return self.table.column_names

    @property
    def rows(self) -> int:
        return self.table.num_rows

    @property
    def frame(self) -> pd.DataFrame:
        """Arrow-backed pandas view (no copy of the data)."""
        return self.table.to_pandas(types_mapper=_arrow_dtype)


def _arrow_dtype(arrow_type: pa.DataType):
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return TEXT_DTYPE
    return pd.ArrowDtype(arrow_type)


def list_sheets(source: Source) -> list[str]:
    """The sheet names of an XLSX file; [] for other formats."""
    if _format(source, _display_name(source)) != XLSX:
        return []
    workbook = _workbook(source, _display_name(source))
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def peek(source: Source, name: str | None = None, sheet: str | None = None) -> Layout:
    """Format, encoding, delimiter, header row and column names of a table file."""
    name = name or _display_name(source)
    kind = _format(source, name)
    source, _ = _cleaned(source, kind)
    if kind == PARQUET:
        columns = _parquet(source, name).schema_arrow.names
        return Layout(name, PARQUET, column_names(columns, name))
    if kind == XLSX:
        workbook = _workbook(source, name)
        try:
            sheet, rows = _sheet_rows(workbook, sheet, name, limit=HEADER_ROWS)
        finally:
            workbook.close()
        header = header_index(rows)
        return Layout(name, XLSX, column_names(rows[header], name), sheet=sheet, header_row=header)
    head = _head(source, SAMPLE_BYTES + 1)
    text = text_layout(head[:SAMPLE_BYTES], name, complete=len(head) <= SAMPLE_BYTES)
    return Layout(name, TEXT, text.columns, text.encoding, text.delimiter,
                  header_row=text.header_row, quoted_newlines=text.quoted_newlines)


def read_table(source: Source, name: str | None = None, sheet: str | None = None,
               columns: list[str] | None = None, dates: list[str] = ()) -> RawTable:
    """Read a table file; `columns` limits the read to those source columns (saves memory);
    `dates`: the source columns that hold dates (a text file's are read as dates when they are
    jjjj-mm-dd throughout, see `_read_csv`)."""
    layout = peek(source, name, sheet)
    source, remarks = _cleaned(source, layout.format)
    wanted = layout.columns if columns is None else [c for c in layout.columns if c in columns]
    if layout.format == PARQUET:
        raw = RawTable(layout, _read_parquet(source, layout.name, wanted))
    elif layout.format == XLSX:
        table, lines = _read_xlsx(source, layout, wanted)
        raw = RawTable(layout, table)
        _drop_total_rows(raw, lambda k: lines[k])
    else:
        raw = _read_text(source, layout, wanted, [c for c in wanted if c in dates])
        _drop_total_rows(raw, lambda k: _last_lines(source, raw.rows - k))
    raw.remarks = remarks + raw.remarks
    if raw.rows == 0 and not raw.skipped_rows:
        raise UserInputError("no_rows", file=layout.name)
    if raw.rows == 0:
        raise UserInputError("bad_rows", file=layout.name, columns=len(layout.columns))
    return raw


def _display_name(source: Source) -> str:
    return Path(source).name if isinstance(source, (str, Path)) else "upload"


def _head(source: Source, size: int) -> bytes:
    if isinstance(source, bytes):
        return source[:size]
    try:
        with open(source, "rb") as handle:
            return handle.read(size)
    except FileNotFoundError:
        raise UserInputError("file_not_found", path=str(source)) from None


def _format(source: Source, name: str) -> str:
    head = _head(source, 8)
    if head.startswith(b"\xd0\xcf\x11\xe0") and _ENCRYPTED in _head(source, 8 << 20):
        raise UserInputError("encrypted_excel", file=name)  # a password-protected .xlsx
    return file_format(head, name)


_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream of an encrypted Office file


def _stream(source: Source):
    return pa.BufferReader(source) if isinstance(source, bytes) else str(source)


def _parquet(source: Source, name: str) -> pq.ParquetFile:
    try:
        # INT96 timestamps (Hive, Spark, Impala) at second resolution: as nanoseconds a
        # sentinel 9999-12-31 would wrap around silently to a date in 1816
        return pq.ParquetFile(_stream(source), coerce_int96_timestamp_unit="s")
    except (pa.ArrowException, OSError):
        raise UserInputError("not_a_table", file=name) from None


def _read_parquet(source: Source, name: str, wanted: list[str]) -> pa.Table:
    try:
        return _parquet(source, name).read(columns=wanted)
    except (pa.ArrowException, OSError):  # a damaged file body
        raise UserInputError("not_a_table", file=name) from None


def _workbook(source: Source, name: str):
    import openpyxl  # only when an Excel file comes along
    try:
        return openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source,
                                      read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors for damaged files
        raise UserInputError("not_a_table", file=name) from None


def _sheet_rows(workbook, sheet: str | None, name: str, limit: int | None = None):
    """The rows of `sheet` as text; without a choice, the first sheet that looks like a table
    (a row with two or more filled cells), so an explanation sheet in front is passed over."""
    if sheet is not None and sheet not in workbook.sheetnames:
        raise UserInputError("sheet_not_found", file=name, sheet=sheet,
                          sheets=listing(workbook.sheetnames))
    candidates = [sheet] if sheet else workbook.sheetnames
    tables = []
    for candidate in candidates:
        rows = _rows(workbook[candidate], limit if len(candidates) == 1 else HEADER_ROWS)
        if any(sum(bool(cell) for cell in row) > 1 for row in rows):
            tables.append(candidate)
    if tables:  # several table-like sheets: the one whose columns we recognise best
        best = max(tables, key=lambda c: (_recognised(_rows(workbook[c], HEADER_ROWS)), -tables.index(c)))
        return best, _rows(workbook[best], limit)
    rows = _rows(workbook[candidates[0]], limit)
    if not any(any(cell for cell in row) for row in rows):
        raise UserInputError("empty_file", file=name)
    return candidates[0], rows


def _recognised(rows: list[list]) -> int:
    """How many header cells of a sheet name a canonical column of some table."""
    from quality_checks.mapping import suggest_mapping  # mapping imports this module
    from core.canonical import TABLES
    header = [str(cell) for cell in rows[header_index(rows)] if cell] if rows else []
    return max((len(suggest_mapping(header, table)) for table in TABLES), default=0)


def _rows(worksheet, limit: int | None) -> list[list[str | None]]:
    rows = []
    for row in worksheet.iter_rows(values_only=True):
        rows.append([_cell_text(value) for value in row])
        if limit and len(rows) >= limit:
            break
    return rows


def _cell_text(value) -> str | None:
    """An Excel cell as the text a CSV export would hold (dates as jjjj-mm-dd)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _read_xlsx(source: Source, layout: Layout, wanted: list[str]) -> pa.Table:
    workbook = _workbook(source, layout.name)
    try:
        _, rows = _sheet_rows(workbook, layout.sheet, layout.name)
    finally:
        workbook.close()
    positions = [layout.columns.index(c) for c in wanted]
    numbered = [(i + 1, row) for i, row in enumerate(rows)
                if i > layout.header_row and any(cell for cell in row)]
    body = [row for _, row in numbered]
    table = pa.table({c: pa.array([row[p] if p < len(row) else None for row in body], pa.string())
                      for c, p in zip(wanted, positions)})
    return table, [line for line, _ in numbered]


def _read_text(source: Source, layout: Layout, wanted: list[str], dates: list[str]) -> RawTable:
    """pyarrow.csv with every column as text (`dates` as dates where they can be). Rows with
    another field count than the header are skipped and counted; if there are any, the file is
    read once more allowing line breaks inside quoted fields."""
    raw = _read_csv(source, layout, wanted, layout.quoted_newlines, dates)
    if raw.skipped_rows and not layout.quoted_newlines:
        again = _read_csv(source, layout, wanted, True, raw.iso_dates)
        raw = again if again.skipped_rows < raw.skipped_rows else raw
    if raw.skipped_rows:
        raw.remarks.append(Remark("skipped_lines", count=raw.skipped_rows,
                                  values={"lines": _line_list(_ragged_lines(source, layout))}))
    return raw


def _read_csv(source: Source, layout: Layout, wanted: list[str], newlines: bool, dates: list[str] = (),
              block_size: int = 1 << 22) -> RawTable:
    """UTF-8, cp1252 and latin-1 files are parsed as raw bytes and decoded per column
    (quality_checks.transcode); others (UTF-16) are transcoded by pyarrow.

    The `dates` columns are first read as jjjj-mm-dd dates by pyarrow's own parser (ten
    million rows: about 0.5 s and 0.3 GB less than text and then dates). It refuses impossible
    dates, other notations and time zones, so that a file with any such value (found within
    the first block when the file is written otherwise) is read again with those columns as
    text and the usual conversion; so is one with a time of day other than midnight or a year
    before 1000. A date written with a midnight time among plain ones (2015-01-02 00:00,
    2015-01-02T00:00) is read as its date; the text route would list that notation separately,
    and would count the hour alone (2015-01-02 00), which no text format reads, as unreadable."""
    dates = list(dates)
    while True:
        try:
            raw = _read_csv_as(source, layout, wanted, newlines, dates, block_size)
        except _NotIsoDates as refused:
            dates = [c for c in dates if c != refused.column] if refused.column in dates else []
            continue
        odd = [name for name in raw.iso_dates if not _plain_dates(raw.table.column(name))]
        if not odd:
            return raw
        dates = [c for c in dates if c not in odd]


class _NotIsoDates(Exception):
    """A value of the `dates` column `column` (None: not known which) is no jjjj-mm-dd date."""
    def __init__(self, column: str | None):
        super().__init__(column)
        self.column = column


def _plain_dates(column: pa.ChunkedArray) -> bool:
    """Whole days (no time of day) from the year 1000 on."""
    return not before_year_1000(column) and not any(
        pc.any(pc.not_equal(pc.floor_temporal(chunk, unit="day"), chunk)).as_py() for chunk in column.chunks)


def _read_csv_as(source: Source, layout: Layout, wanted: list[str], newlines: bool, dates,
                 block_size: int) -> RawTable:
    as_bytes = layout.encoding in UTF8 or layout.encoding in SINGLE_BYTE
    text = pa.large_binary() if as_bytes else pa.large_string()
    skipped = []

    def skip(row) -> str:  # never keep the row's text: it holds personal data
        skipped.append(row.number)
        return "skip"

    try:
        table = pcsv.read_csv(
            _stream(source),
            read_options=pcsv.ReadOptions(encoding="utf8" if as_bytes else layout.encoding,
                                          column_names=layout.columns, block_size=block_size,
                                          skip_rows=layout.header_row + 1),
            parse_options=pcsv.ParseOptions(delimiter=layout.delimiter, newlines_in_values=newlines,
                                            invalid_row_handler=skip),
            convert_options=pcsv.ConvertOptions(
                include_columns=wanted,
                column_types={c: pa.timestamp("s") if c in dates else text for c in wanted},
                timestamp_parsers=[pcsv.ISO8601],
                null_values=NULL_VALUES, strings_can_be_null=True, quoted_strings_can_be_null=True))
    except UnicodeDecodeError:
        raise UserInputError("unreadable_encoding", file=layout.name) from None
    except pa.ArrowInvalid as error:
        if "straddl" in str(error) and block_size < MAX_BLOCK:  # a very long cell
            return _read_csv(source, layout, wanted, newlines, dates, block_size * 16)
        if dates and "conversion error to timestamp" in str(error):
            number = re.search(r"column #(\d+)", str(error))
            raise _NotIsoDates(layout.columns[int(number.group(1))] if number else None) from None
        raise UserInputError("not_a_table", file=layout.name) from None
    remarks = []
    if as_bytes:  # decode column by column, releasing each raw chunk once decoded
        columns = {name: table.column(name).chunks for name in table.column_names}
        del table
        for name, chunks in columns.items():
            fallback = 0 if name in dates else decode(chunks, layout.encoding)
            if fallback:
                layout.encoding = MIXED
                remarks.append(Remark("mixed_encoding", count=fallback, values={"source_column": name}))
        table = pa.table({name: pa.chunked_array(chunks, pa.timestamp("s") if name in dates else pa.large_string())
                          for name, chunks in columns.items()})
    return RawTable(layout, table, skipped_rows=len(skipped), remarks=remarks,
                    iso_dates=[c for c in wanted if c in dates])


MAX_BLOCK = 1 << 30
MAX_LINES_LISTED = 12
LINE_SCAN_BYTES = 64 << 20  # line numbers of skipped rows are looked up in files up to this size
_TOTAL = re.compile(r"^\s*(eind|sub|generaal\s*|grand\s*)?tota(a)?l\b", re.IGNORECASE)


def _whole(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    with open(source, "rb") as handle:
        return handle.read()


def _cleaned(source: Source, kind: str) -> tuple[Source, list[Remark]]:
    """A text file with old-Mac line endings (CR only) or NUL bytes, made readable in memory;
    remarks say what was changed."""
    if kind != TEXT:
        return source, []
    head = _head(source, SAMPLE_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return source, []
    cr_only = b"\r" in head and b"\n" not in head
    if not cr_only and b"\x00" not in head:
        return source, []
    data = _whole(source)
    remarks = []
    if cr_only:
        data = data.replace(b"\r", b"\n")
        remarks.append(Remark("cr_line_endings"))
    if b"\x00" in data:
        lines = [i + 1 for i, line in enumerate(data.split(b"\n")) if b"\x00" in line]
        remarks.append(Remark("nul_bytes", count=data.count(b"\x00"),
                              values={"lines": _line_list(lines)}))
        data = data.replace(b"\x00", b"")
    return data, remarks


def _line_list(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:MAX_LINES_LISTED]))
    return shown + (f" (+{len(lines) - MAX_LINES_LISTED})" if len(lines) > MAX_LINES_LISTED else "") or "-"


def _ragged_lines(source: Source, layout: Layout) -> list[int]:
    """Physical line numbers (1-based) of the records with another field count than the
    header: pyarrow does not give them, so the file is read once more with Python's csv
    reader (only for files up to LINE_SCAN_BYTES; never keeping a row's contents)."""
    import csv
    data = _whole(source)
    if len(data) > LINE_SCAN_BYTES:
        return []
    encoding = "utf-8" if layout.encoding in UTF8 + (MIXED,) else layout.encoding
    text = data.decode(encoding, errors="replace").lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    lines, start = [], 0
    for index, row in enumerate(reader):
        if start > layout.header_row and row and len(row) != len(layout.columns):
            lines.append(start + 1)
        start = reader.line_num
    return lines


def _last_lines(source: Source, back: int) -> int:
    """The physical line number of the `back`-th last non-empty line of a text file."""
    lines = _whole(source).replace(b"\r\n", b"\n").split(b"\n")
    filled = [i + 1 for i, line in enumerate(lines) if line.strip()]
    return filled[-back] if 0 < back <= len(filled) else 0


def _drop_total_rows(raw: RawTable, line_of) -> None:
    """A 'Totaal' row at the bottom of an export is no client: dropped and reported."""
    table, dropped = raw.table, []
    while table.num_rows and len(dropped) < 3:
        last = table.slice(table.num_rows - 1).to_pylist()[0]
        if not any(isinstance(v, str) and _TOTAL.match(v) for v in last.values()):
            break
        dropped.append(line_of(table.num_rows - 1))
        table = table.slice(0, table.num_rows - 1)
    if dropped:
        raw.table = table
        raw.remarks.append(Remark("total_rows", count=len(dropped),
                                  values={"lines": _line_list(sorted(dropped))}))
