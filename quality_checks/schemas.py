"""Structure of the canonical tables, checked with pandera (lazy, on Arrow-backed data):
required columns, column types, values in required columns, unique client numbers, and
referential integrity (every client in another table exists in `clients`)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from core.canonical import COUNT, DATE, TABLES, TEXT
from core.findings import Finding
from core.findings import make as make_finding
from quality_checks.rules import SETTINGS, mask_value

TYPE_TESTS = {
    TEXT: pd.api.types.is_string_dtype,
    DATE: pd.api.types.is_datetime64_any_dtype,
    COUNT: lambda dtype: pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype),
}
TYPE_NAMES = {TEXT: "text", DATE: "date", COUNT: "number"}
# Required columns whose gaps have their own, more specific finding.
NULLS_REPORTED_ELSEWHERE = {("referrals", "caseworker_id"), ("referrals", "department"),
                            ("interventions", "intervention_code")}


def _known_client(known: np.ndarray) -> pa.Check:
    """Client number present in `clients` or missing (missing has its own check). `known` is
    per row of the table, from the Arrow lookup of `prepare.client_positions`, so this check
    costs no second hash lookup; `ignore_na=False` makes pandera pass the whole column."""
    def check(series: pd.Series) -> pd.Series:
        return pd.Series(known, index=series.index)
    return pa.Check(check, name="known_client", error="known_client", ignore_na=False)


def _type_check(kind: str) -> pa.Check:
    return pa.Check(lambda s: TYPE_TESTS[kind](s.dtype), name=f"type_{kind}", error=f"type_{kind}")


def table_schema(table: str, known_client: np.ndarray | None) -> pa.DataFrameSchema:
    spec = TABLES[table]
    columns = {}
    for column in spec.columns:
        checks = [_type_check(column.kind)]
        if column.name == "client_id" and table not in ("clients", "codebook") and known_client is not None:
            checks.append(_known_client(known_client))
        nullable = not column.required or (table, column.name) in NULLS_REPORTED_ELSEWHERE
        unique = table == "clients" and column.name == "client_id"
        columns[column.name] = pa.Column(None, checks=checks, nullable=nullable, unique=unique,
                                         report_duplicates="exclude_first", required=column.required)
    return pa.DataFrameSchema(columns, strict=False)


def _failures(schema: pa.DataFrameSchema, df: pd.DataFrame) -> pd.DataFrame:
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return errors.failure_cases
    return pd.DataFrame(columns=["column", "check", "failure_case"])


def _examples(column: str, values: pd.Series) -> list[str]:
    return [mask_value(column, v) for v in values.head(SETTINGS["max_examples"])]


def structure_findings(tables: dict[str, pd.DataFrame], client_pos: dict[str, np.ndarray]) -> list[Finding]:
    """`client_pos`: per table the row of each row's client in `clients`, -1 when unknown
    (`prepare.Prepared.client_pos`)."""
    has_clients = "clients" in tables and "client_id" in tables["clients"]
    findings = []
    for table, spec in TABLES.items():
        if table not in tables:
            if not spec.optional:
                findings.append(make_finding("schema.missing_table", table=table, column=None, count=0))
            continue
        df = tables[table]
        known = None
        if has_clients and "client_id" in df:
            known = (client_pos[table] >= 0) | df["client_id"].isna().to_numpy()
        failures = _failures(table_schema(table, known), df)
        for (column, check), group in failures.groupby(["column", "check"], sort=False, dropna=False):
            findings.extend(_finding(table, spec, df, column, str(check), group))
    return findings


def _finding(table, spec, df, column, check, group) -> list[Finding]:
    rows = len(df)
    if check == "column_in_dataframe":
        missing = group["failure_case"].astype(str)
        return [make_finding("schema.missing_column", table=table, column=name, count=0) for name in missing]
    if check.startswith("type_"):
        kind = spec.kind(column)
        return [make_finding("schema.type", table=table, column=column, count=rows, total=rows,
                               expected=TYPE_NAMES[kind], actual=str(df[column].dtype))]
    if check == "not_nullable":
        return [make_finding("schema.null_required", table=table, column=column, count=len(group), total=rows)]
    if check == "field_uniqueness":
        return [make_finding("key.duplicate_client", table=table, column=column, count=len(group),
                               total=rows, examples=_examples(column, group["failure_case"]))]
    if check == "known_client":
        return [make_finding("ref.unknown_client", table=table, column=column, count=len(group),
                               total=rows, examples=_examples(column, group["failure_case"]))]
    return []
