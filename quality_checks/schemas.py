"""Structure of the canonical tables: the rules for column types, repeated client numbers and
references to unknown clients (checks.yaml), and the same structure as a pandera schema that
users can export and run themselves (`export_schema`)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.canonical import COUNT, DATE, TABLES, TEXT
from quality_checks.prepare import Prepared
from quality_checks.registry import checks, rule

TYPE_TESTS = {
    TEXT: pd.api.types.is_string_dtype,
    DATE: pd.api.types.is_datetime64_any_dtype,
    COUNT: lambda dtype: pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype),
}
TYPE_NAMES = {TEXT: "text", DATE: "date", COUNT: "number"}


@rule("type")
def wrong_type(p: Prepared, table: str, column: str, limits: dict):
    """Every row when the column does not have the canonical type."""
    kind = TABLES[table].kind(column)
    series = p.tables[table][column]
    flags = np.full(len(series), not TYPE_TESTS[kind](series.dtype))
    return flags, {"expected": TYPE_NAMES[kind], "actual": str(series.dtype)}


@rule("repeated_value", clients=True)
def repeated_value(p: Prepared, table: str, column: str, limits: dict) -> np.ndarray:
    """Repeats of an earlier value (the first occurrence is not counted)."""
    if table == "clients" and column == "client_id":   # the client lookup has each number's first row
        first = p.client_pos["clients"]
        return (first >= 0) & (first != np.arange(len(first)))
    series = p.tables[table][column]
    return (series.duplicated(keep="first") & series.notna()).to_numpy()


@rule("unknown_client", clients=True)
def unknown_client(p: Prepared, table: str, column: str, limits: dict) -> np.ndarray:
    """A client number that is not in `clients` (missing ones have their own check)."""
    return (p.client_pos[table] < 0) & p.tables[table][column].notna().to_numpy()


def _nullable(table: str, column: str) -> bool:
    return not any(c.id == "schema.null_required" and (table, column) in c.targets for c in checks())


def export_schema(table: str):
    """The pandera schema of `table`: canonical columns and types, required columns, values in
    the required columns checked for missing values, unique client numbers in `clients`.
    pandera is imported only here."""
    import pandera.pandas as pa

    columns = {}
    for column in TABLES[table].columns:
        kind = column.kind
        check = pa.Check(lambda s, kind=kind: TYPE_TESTS[kind](s.dtype), name=f"type_{kind}")
        columns[column.name] = pa.Column(None, checks=[check], nullable=_nullable(table, column.name),
                                         unique=table == "clients" and column.name == "client_id",
                                         report_duplicates="exclude_first", required=column.required)
    return pa.DataFrameSchema(columns, strict=False, name=table)
