"""Load a whole extract - a folder, or uploads held in memory - into canonical tables.

For every table file: recognise the format (read.peek), decide the table (mapping file, else
file name, else columns), complete the column mapping with suggestions, read only the mapped
columns and convert them to canonical types. What was decided along the way is reported as
findings `ingest.<key>` (texts in ingest_notes.yaml) and per-file `SourceInfo`, so the user can check the suggested mapping and the counts of
values that could not be read.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.canonical import DATE, REQUIRED_TABLES, TABLES
from core.errors import UserInputError
from core.findings import Finding, make
from quality_checks.ingest_errors import listing
from quality_checks.mapping import (Mapping, check_columns, complete_mapping, conform_raw,
                                    guess_table)
from quality_checks.read import Layout, Source, list_sheets, peek, read_table
from quality_checks.sniff import TABLE_SUFFIXES, XLSX

# Files loaded side by side: the big one keeps Arrow's threads busy while Python converts the
# next (the GIL is released in Arrow and in numpy's loops).
LOADERS = 2


@dataclass
class SourceInfo:
    """How one file was read, for the report."""
    file: str
    table: str
    format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    rows: int
    skipped_rows: int
    columns: dict[str, str]              # source column -> canonical column (used ones)
    unused_columns: list[str]
    unparseable: dict[str, int]          # canonical column -> values that could not be read
    examples: dict[str, list[str]]       # canonical column -> a few of those values
    date_formats: dict[str, list[str]]   # canonical date column -> formats found


@dataclass
class LoadedExtract:
    tables: dict[str, pd.DataFrame]
    mapping: Mapping
    notes: list[Finding] = field(default_factory=list)   # ids ingest.<key>
    sources: dict[str, SourceInfo] = field(default_factory=dict)  # by table
    mapping_suggested: bool = False


@dataclass
class _Plan:
    name: str
    source: Source
    layout: Layout | None   # None: a note file that is skipped
    table: str | None


def table_files(folder: str | Path) -> list[Path]:
    """The table files (CSV, TXT, TSV, XLSX, Parquet) directly in `folder`."""
    path = Path(folder)
    if not path.is_dir():
        raise UserInputError("not_a_folder", path=str(folder))
    files = sorted(p for p in path.iterdir()
                   if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES
                   and not p.name.startswith((".", "~$")))
    if not files:
        raise UserInputError("no_table_files", path=str(folder))
    return files


def load_extract(folder: str | Path, mapping: Mapping | None = None) -> LoadedExtract:
    """Every table file in `folder` as canonical tables (`python -m quality_checks DIR`)."""
    return _load([(p.name, p) for p in table_files(folder)], mapping)


def load_uploads(files: list[tuple[str, bytes]], mapping: Mapping | None = None) -> LoadedExtract:
    """The same for uploads held in memory (the app); nothing is written to disk."""
    return _load(list(files), mapping)


def propose_mapping(files: list[tuple[str, Source]], mapping: Mapping | None = None) -> Mapping:
    """The mapping `load_*` would use: `mapping` where given, suggestions for the rest.

    Only the first part of every file is read, so the app can show it for confirmation.
    """
    return _plan(files, mapping or Mapping())[1]


def _plan(files: list[tuple[str, Source]], given: Mapping) -> tuple[list[_Plan], Mapping]:
    plans, result, owner = [], Mapping(arms=dict(given.arms), reference=given.reference), {}
    for name, source in files:
        layout = _peek_or_skip(source, name, given)
        if layout is None:  # a README or note file
            plans.append(_Plan(name, source, None, None))
            continue
        table = given.files.get(name) or guess_table(name, layout.columns)
        plans.append(_Plan(name, source, layout, table))
        if table is None:
            continue
        if table in owner:
            raise UserInputError("duplicate_table", table=table, files=listing([owner[table], name]))
        owner[table] = name
        result.files[name] = table
        if layout.sheet:
            result.sheets[name] = layout.sheet
        result.tables[table] = complete_mapping(layout.columns, table, given.tables.get(table))
    return plans, result


def _load(files: list[tuple[str, Source]], mapping: Mapping | None) -> LoadedExtract:
    plans, used = _plan(files, mapping or Mapping())
    extract = LoadedExtract({}, used, mapping_suggested=mapping is None)
    extract.notes.extend(_note("skipped_note_file", p.name) for p in plans if p.layout is None)
    plans = [p for p in plans if p.layout is not None]
    if mapping is None:
        extract.notes.append(_note("mapping_suggested", None))
    with ThreadPoolExecutor(LOADERS) as pool:
        loaded = pool.map(lambda plan: _load_one(plan, used.tables[plan.table]),
                          [plan for plan in plans if plan.table is not None])
        for plan in plans:            # the results in the order of the files
            if plan.table is None:
                extract.notes.append(_note("ignored_file", plan.name))
                continue
            extract.tables[plan.table], extract.sources[plan.table], notes = next(loaded)
            extract.notes.extend(notes)
    missing = [t for t in REQUIRED_TABLES if t not in extract.tables]
    if missing:
        ignored = [p for p in plans if p.table is None]
        if ignored:
            raise UserInputError("unrecognised_file", file=ignored[0].name,
                              found=listing(ignored[0].layout.columns))
        raise UserInputError("missing_table", table=missing[0])
    return extract


def _load_one(plan: _Plan, columns_map: dict[str, str | None]) -> tuple[pd.DataFrame, SourceInfo, list[Finding]]:
    """One file as its canonical table, how it was read, and the notes about it."""
    table, layout = plan.table, plan.layout
    used = check_columns(table, columns_map, layout.columns, plan.name)  # before the long read
    raw = read_table(plan.source, plan.name, layout.sheet, columns=list(used),
                     dates=[source for source, target in used.items() if TABLES[table].kind(target) == DATE])
    conformed = conform_raw(raw, table, used, release=True)
    info = SourceInfo(
        file=plan.name, table=table, format=layout.format, encoding=raw.layout.encoding,
        delimiter=raw.layout.delimiter, sheet=layout.sheet, header_row=layout.header_row,
        rows=len(conformed.frame), skipped_rows=raw.skipped_rows, columns=used,
        unused_columns=[c for c in layout.columns if c not in used],
        unparseable={c: r.unparseable for c, r in conformed.converted.items() if r.unparseable},
        examples={c: r.examples for c, r in conformed.converted.items() if r.unparseable},
        date_formats={c: r.formats for c, r in conformed.converted.items() if r.formats})
    notes = [_note("file_table", plan.name, table=table, count=info.rows, how=_how_read(info))]
    notes.extend(_remark_notes(raw.remarks + conformed.remarks, plan.name, table))
    if info.unused_columns:
        notes.append(_note("unused_columns", plan.name, table=table, count=len(info.unused_columns),
                           columns=listing(info.unused_columns)))
    for column, count in info.unparseable.items():
        notes.append(_note("unparseable", plan.name, table=table, column=column, count=count,
                           total=info.rows, examples=info.examples[column]))
    if layout.format == XLSX:
        sheets = list_sheets(plan.source)
        if len(sheets) > 1:
            notes.append(_note("other_sheets", plan.name, table=table, count=len(sheets),
                               sheet=layout.sheet))
    return conformed.frame, info, notes


def _peek_or_skip(source: Source, name: str, given: Mapping) -> Layout | None:
    """peek, except that a .txt file that cannot be read as a table and whose name names no
    table (README.txt, toelichting.txt) is skipped with a note instead of refusing the run."""
    from quality_checks.sniff import suffix
    try:
        layout = peek(source, name, given.sheets.get(name))
    except UserInputError:
        if name in given.files or suffix(name) not in (".txt", ".md") \
                or guess_table(name, []) is not None:
            raise
        return None
    return layout


def _remark_notes(remarks, file: str, table: str) -> list[Finding]:
    """Notes for what reading decided (quality_checks.convert.Remark), ids `ingest.<key>`."""
    return [_note(r.key, file, table=table, column=r.column, count=r.count, **r.values) for r in remarks]


def _how_read(info: SourceInfo) -> str:
    parts = [info.format, info.encoding, info.sheet, info.delimiter and repr(info.delimiter)]
    return ", ".join(p for p in parts if p)


def _note(key: str, file: str | None, **values) -> Finding:
    """The finding `ingest.<key>` about `file` (its name is a value of the texts)."""
    return make(f"ingest.{key}", file=file or "", **values)
