"""Column mapping: which file is which canonical table, which source column is which column.

The names municipal systems use live in column_names.yaml. A `Mapping` is plain data,
saved as YAML or JSON:

    files:   {klanten.csv: clients, trajecten.xlsx: interventions}
    sheets:  {trajecten.xlsx: Blad1}
    tables:
      clients: {Klantnummer: client_id, Burgerservicenummer: bsn, Opmerking: null}
    arms:                 # optional: value of referrals.department -> arm (core.arms)
      "Traject Werk": "Werk"
    reference: "Werkfit"  # optional: the arm the others are compared with

A source column mapped to null is deliberately not used. Values of referrals.department not
listed under `arms` keep their name.
"""
from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import yaml

from core.canonical import TABLES, TEXT_DTYPE
from core.errors import UserInputError
from core.texts import load_yaml
from quality_checks.convert import DATE_FORMATS, Converted, convert
from quality_checks.ingest_errors import listing
from quality_checks.read import RawTable

NAMES_FILE = Path(__file__).with_name("column_names.yaml")
FUZZY_CUTOFF = 0.9  # difflib ratio for near-misses such as "Klantnumer" ...
FUZZY_MIN_LENGTH = 6  # ... but not for short names: "Code X" is not "code"


@dataclass
class Mapping:
    tables: dict[str, dict[str, str | None]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)
    arms: dict[str, str] = field(default_factory=dict)    # referrals.department value -> arm
    reference: str | None = None                          # the reference arm

    def to_dict(self) -> dict:
        data = {"files": dict(self.files), "sheets": dict(self.sheets),
                "tables": {t: dict(c) for t, c in self.tables.items()}}
        if self.arms:
            data["arms"] = dict(self.arms)
        if self.reference:
            data["reference"] = self.reference
        return data

    @classmethod
    def from_dict(cls, data, where: str = "mapping") -> "Mapping":
        """A mapping from plain data, refusing unknown tables and columns."""
        def bad(detail: str):
            return UserInputError("mapping_invalid", path=where, detail=detail)

        if not isinstance(data, dict) or set(data) - {"files", "sheets", "tables", "arms", "reference"}:
            raise bad("expected the keys files, sheets and tables (and optionally arms and reference)")
        arms = data.get("arms") or {}
        if not isinstance(arms, dict) or not all(isinstance(v, (str, int, float)) for v in arms.values()):
            raise bad("arms must map values of referrals.department to arm names")
        if isinstance(data.get("reference"), (dict, list)):
            raise bad("reference must be the name of one arm")
        parts = {key: data.get(key) or {} for key in ("files", "sheets", "tables")}
        if not all(isinstance(part, dict) for part in parts.values()):
            raise bad("files, sheets and tables must each map names to names")
        for file, table in parts["files"].items():
            if table not in TABLES:
                raise bad(f"'{file}' is assigned to unknown table '{table}'")
        for table, columns in parts["tables"].items():
            if table not in TABLES:
                raise bad(f"unknown table '{table}'")
            if not isinstance(columns or {}, dict):
                raise bad(f"the columns of {table} must map source names to canonical names")
            for source, target in (columns or {}).items():
                if target is not None and target not in TABLES[table].names:
                    raise bad(f"'{source}' points to '{target}', which is not a column of {table}")
        return cls(tables={t: {str(s): c for s, c in (cols or {}).items()}
                           for t, cols in parts["tables"].items()},
                   files={str(f): t for f, t in parts["files"].items()},
                   sheets={str(f): str(s) for f, s in parts["sheets"].items()},
                   arms={str(k): str(v) for k, v in arms.items()},
                   reference=str(data["reference"]) if data.get("reference") else None)


def normalise(name: str) -> str:
    """Lower case, no accents, letters and digits only: 'Cliënt nr.' -> 'clientnr'."""
    plain = unicodedata.normalize("NFKD", str(name))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", plain.casefold())


@lru_cache(maxsize=None)
def _column_lookup(table: str) -> dict[str, str]:
    """normalised source name -> canonical column, for one table."""
    names = load_yaml(NAMES_FILE)["columns"]
    canonical = TABLES[table].names
    lookup = {}
    for group in (names.get(table, {}), names["all"]):
        for column, synonyms in group.items():
            if column in canonical:
                for synonym in [column, *synonyms]:
                    lookup.setdefault(normalise(synonym), column)
    return lookup


def suggest_mapping(columns: list[str], table: str) -> dict[str, str]:
    """source column -> canonical column of `table`, for the columns we recognise.

    Exact (normalised) names first, then near-misses; each canonical column is used once.
    """
    lookup = _column_lookup(table)
    found, used = {}, set()
    for exact in (True, False):
        for column in columns:
            if column in found:
                continue
            target = _target(normalise(column), lookup, exact)
            if target and target not in used:
                found[column] = target
                used.add(target)
    return {column: found[column] for column in columns if column in found}


def _target(key: str, lookup: dict[str, str], exact: bool) -> str | None:
    if exact:
        return lookup.get(key)
    if len(key) < FUZZY_MIN_LENGTH:
        return None
    close = difflib.get_close_matches(key, list(lookup), n=1, cutoff=FUZZY_CUTOFF)
    return lookup[close[0]] if close else None


def guess_table(filename: str, columns: list[str]) -> str | None:
    """The canonical table a file holds, from its name and otherwise from its columns."""
    stem = normalise(Path(filename).stem)
    keywords = load_yaml(NAMES_FILE)["files"]
    by_name = [t for t, words in keywords.items() if any(normalise(w) in stem for w in words)]
    if len(by_name) == 1:
        return by_name[0]

    def fit(table: str) -> tuple[bool, int]:
        mapped = set(suggest_mapping(columns, table).values())
        return set(TABLES[table].required) <= mapped, len(mapped)

    fits = {t: fit(t) for t in (by_name or TABLES)}
    candidates = [t for t, (complete, _) in fits.items() if complete]
    return max(candidates, key=lambda t: fits[t][1], default=None)


def complete_mapping(columns: list[str], table: str,
                     given: dict[str, str | None] | None = None) -> dict[str, str | None]:
    """Every source column -> canonical column or None: `given` first, suggestions for the rest."""
    given = {c: t for c, t in (given or {}).items() if c in columns}
    taken = {t for t in given.values() if t}
    free = [c for c in columns if c not in given]
    suggested = {c: t for c, t in suggest_mapping(free, table).items() if t not in taken}
    return {c: given[c] if c in given else suggested.get(c) for c in columns}


def check_columns(table: str, columns_map: dict[str, str | None], found: list[str],
                  file: str) -> dict[str, str]:
    """The used part of a table's mapping; errors for unusable mappings."""
    used = {source: target for source, target in columns_map.items() if target}
    if not used:
        raise UserInputError("no_recognisable_columns", file=file, table=table, found=listing(found))
    for target in set(used.values()):
        sources = [s for s, t in used.items() if t == target]
        if len(sources) > 1:
            raise UserInputError("duplicate_target", table=table, column=target,
                              columns=listing(sources))
    for column in TABLES[table].required:
        if column not in used.values():
            raise UserInputError("missing_column", file=file, table=table, column=column,
                              found=listing(found))
    return used


@dataclass
class Conformed:
    frame: pd.DataFrame
    converted: dict[str, Converted]   # canonical column -> how its values converted (no data)

    @property
    def remarks(self) -> list:
        """What the conversion decided, per canonical column (convert.Remark, for notes)."""
        return [replace(r, column=column) for column, c in self.converted.items() for r in c.remarks]


def conform_raw(raw: RawTable, table: str, columns_map: dict[str, str | None],
                release: bool = False) -> Conformed:
    """The raw table renamed to canonical columns (canonical order) with canonical types.

    With `release`, each raw column is dropped from `raw` once converted, so that a large
    table never exists twice in memory.
    """
    used = check_columns(table, columns_map, raw.layout.columns, raw.name)
    by_target = {target: source for source, target in used.items()}
    arrays, converted = {}, {}
    for column in TABLES[table].columns:
        if column.name not in by_target:
            continue
        source = by_target[column.name]
        result = convert(raw.table.column(source), column.kind, column.name)
        if source in raw.iso_dates and result.array.null_count < len(result.array):
            result.formats = [DATE_FORMATS[0]]     # read as jjjj-mm-dd dates by pyarrow (read._read_csv)
        arrays[column.name] = result.array
        converted[column.name] = replace(result, array=None)
        if release:
            raw.table = raw.table.drop_columns([by_target[column.name]])
    arrow = pa.table(arrays)
    del arrays
    frame = arrow.to_pandas(types_mapper=_canonical_dtype, split_blocks=True, self_destruct=True)
    return Conformed(frame, converted)


def _canonical_dtype(arrow_type: pa.DataType):
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return TEXT_DTYPE
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    return None  # timestamp[s] -> numpy datetime64[s]


def apply_mapping(raw: RawTable, table: str, columns_map: dict[str, str | None]) -> pd.DataFrame:
    """The raw table as canonical `table` (core.canonical.conform types)."""
    return conform_raw(raw, table, columns_map).frame


def save_mapping(mapping: Mapping, path: str | Path) -> None:
    """Write a mapping file: JSON for a .json name, YAML otherwise."""
    path = Path(path)
    data = mapping.to_dict()
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def load_mapping(source: str | Path | bytes, name: str | None = None) -> Mapping:
    """Read a mapping file (path, or bytes of an upload); YAML or JSON."""
    if isinstance(source, bytes):
        where = name or "upload"
        text = source.decode("utf-8-sig", errors="replace")
    else:
        where = str(source)
        try:
            text = Path(source).read_text(encoding="utf-8-sig", errors="replace")
        except (FileNotFoundError, IsADirectoryError):
            raise UserInputError("file_not_found", path=where) from None
    if where.lower().endswith(".json") or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise UserInputError("invalid_json", path=where, detail=error.msg) from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            detail = getattr(error, "problem", None) or type(error).__name__
            raise UserInputError("invalid_yaml", path=where, detail=detail) from None
    return Mapping.from_dict(data, where)
