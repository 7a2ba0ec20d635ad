"""Row rules: a check evaluated on every row of a table, validated by Great Expectations.

A check computes, with pandas/pyarrow, which rows break a rule (`RowRule.flags`). Great
Expectations then validates either that flag column or, where one of its expectations says
exactly the same thing, the source column itself (`RowRule.expectation`). The finding's count
is the `unexpected_count` Great Expectations reports.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.disclosure import IDENTIFIER_COLUMNS
from core.privacy import mask_bsn, mask_identifier
from core.texts import load_yaml

HERE = Path(__file__).parent
SETTINGS = load_yaml(HERE / "thresholds.yaml")


@dataclass
class RowRule:
    """`flags[i]` is True when row i of `table` breaks the rule `finding_id`.

    `expectation` = (Great Expectations class name, kwargs) validated on `gx_values`; by
    default the flags themselves must all be False."""
    finding_id: str
    table: str
    column: str | None
    flags: np.ndarray
    examples: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    expectation: tuple[str, dict] | None = None
    gx_values: pd.Series | None = None
    report_if: bool = True   # False: validated, but a finding only when the share rule says so

    @property
    def key(self) -> str:
        return f"{self.finding_id}:{self.table}.{self.column or '*'}"

    @property
    def gx_column(self) -> str:
        if self.expectation is None:
            return "flag__" + self.key.replace(".", "_").replace(":", "__").replace("*", "row")
        return self.expectation[1]["column"]

    def gx_spec(self) -> tuple[str, dict]:
        if self.expectation is None:
            return "ExpectColumnValuesToBeInSet", {"column": self.gx_column, "value_set": [False]}
        return self.expectation

    def gx_series(self, index: pd.Index) -> pd.Series:
        if self.expectation is None:
            return pd.Series(self.flags, index=index, name=self.gx_column)
        return self.gx_values


def mask_value(column: str, value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return "(leeg)"
    if column == "bsn":
        return mask_bsn(value)
    if column in IDENTIFIER_COLUMNS:
        return mask_identifier(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def few_rows(df: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """`df.iloc[positions]` for a handful of positions, as one-row slices put together: a slice
    of a chunked Arrow column is free, while `take` first joins all its chunks (at ten million
    rows about 15 ms per column, for every finding's examples)."""
    if not len(positions):
        return df.iloc[:0]
    return pd.concat([df.iloc[i:i + 1] for i in positions])


def row_examples(df: pd.DataFrame, flags: np.ndarray, columns: list[str]) -> list[str]:
    """Up to `max_examples` flagged rows as 'column=value; ...' with identifiers masked."""
    positions = np.flatnonzero(flags)[: SETTINGS["max_examples"]]
    columns = [c for c in columns if c in df]
    rows = few_rows(df[columns], positions)
    return ["; ".join(f"{c}={mask_value(c, row[c])}" for c in columns) for _, row in rows.iterrows()]


def is_blank(series: pd.Series) -> np.ndarray:
    """Missing or only whitespace, vectorised in Arrow for Arrow-backed text."""
    try:
        array = pa.array(series.array, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return series.isna().to_numpy()
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        return series.isna().to_numpy()
    blank = pc.or_kleene(pc.is_null(array), pc.or_(pc.equal(array, ""), pc.utf8_is_space(array)))
    return np.asarray(pc.fill_null(blank, True).to_numpy(zero_copy_only=False), dtype=bool)


def blank_to_na(series: pd.Series) -> pd.Series:
    """The same text column with empty/whitespace-only cells as missing values."""
    blank = is_blank(series)
    missing = series.isna().to_numpy()
    if not (blank & ~missing).any():
        return series
    return series.mask(blank)


def as_datetime64(series: pd.Series) -> np.ndarray:
    """The column as numpy datetime64[s] (NaT for missing)."""
    return series.to_numpy(dtype="datetime64[s]", na_value=np.datetime64("NaT"))
