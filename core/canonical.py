"""The canonical registration extract (DESIGN.md section 4).

Every package works on these table and column names. In memory a table is a pandas
DataFrame with: identifiers and codes as text (pyarrow-backed strings, leading zeros kept),
dates as `datetime64[s]` (so sentinel dates such as 9999-12-31 fit), counts as `Int64`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.texts import load_yaml, pick

TABLE_NAMES = Path(__file__).with_name("table_names.yaml")

TEXT, DATE, COUNT = "text", "date", "count"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    optional: bool = False

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def kind(self, column: str) -> str:
        return next(c.kind for c in self.columns if c.name == column)


def _t(name, spec, optional=False):
    cols = tuple(Column(n.lstrip("*"), k, n.startswith("*")) for n, k in spec)
    return Table(name, cols, optional)


TABLES: dict[str, Table] = {t.name: t for t in (
    _t("clients", [("*client_id", TEXT), ("bsn", TEXT), ("birth_date", DATE), ("sex", TEXT),
                   ("postcode", TEXT), ("house_number", TEXT), ("house_number_suffix", TEXT),
                   ("education_level", TEXT), ("origin", TEXT), ("household_type", TEXT),
                   ("n_children", COUNT), ("youngest_child_birth_date", DATE)]),
    _t("benefits", [("*client_id", TEXT), ("benefit_type", TEXT), ("*start_date", DATE),
                    ("end_date", DATE)]),
    _t("referrals", [("*client_id", TEXT), ("*caseworker_id", TEXT), ("*department", TEXT),
                     ("intake_date", DATE), ("referral_date", DATE), ("team", TEXT)]),
    _t("interventions", [("*client_id", TEXT), ("*intervention_code", TEXT),
                         ("intervention_label", TEXT), ("*start_date", DATE), ("end_date", DATE),
                         ("status", TEXT)]),
    _t("outcomes", [("*client_id", TEXT), ("work_start_date", DATE)], optional=True),
    _t("codebook", [("*intervention_code", TEXT), ("label", TEXT), ("valid_from", DATE),
                    ("valid_to", DATE), ("category", TEXT)], optional=True),
)}

REQUIRED_TABLES = [name for name, table in TABLES.items() if not table.optional]

# Values the demo and the checks agree on.
DEPARTMENTS = ("Matching", "Prematching", "Activering")
SENTINEL_DATES = (pd.Timestamp("1900-01-01"), pd.Timestamp("9999-12-31"))

TEXT_DTYPE = pd.StringDtype("pyarrow")


def table_label(table: str | None):
    """A canonical table's names `{nl, en}` for readers (core/table_names.yaml); other names as given."""
    return load_yaml(TABLE_NAMES).get(table, table or "")


def table_name(table: str | None, lang: str) -> str:
    """The canonical table `table` named in `lang` ("klanten" for clients in Dutch)."""
    return pick(table_label(table), lang)


def conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Cast the canonical columns present in `df` to their canonical dtypes.

    Dates must already be datetimes or ISO text; raw municipal exports go through
    `quality_checks` ingest, which reads every Dutch date format and counts what it cannot."""
    spec = TABLES[table]
    out = df.copy()
    for column in spec.columns:
        if column.name not in out:
            continue
        series = out[column.name]
        if column.kind == TEXT:
            out[column.name] = series.astype(TEXT_DTYPE)
        elif column.kind == DATE and str(series.dtype) != "datetime64[s]":
            out[column.name] = _seconds(series)
        elif column.kind == COUNT:
            out[column.name] = pd.to_numeric(series, errors="coerce").astype("Int64")
    return out


def _seconds(series: pd.Series) -> pd.Series:
    """Dates as datetime64[s]; ISO text is parsed at second resolution so that sentinel dates
    such as 9999-12-31 survive (nanosecond parsing would overflow them to NaT)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.astype("datetime64[s]")
    text = series.astype(TEXT_DTYPE).str.strip().replace("", None)
    return pd.Series(text.to_numpy(dtype=object, na_value=None).astype("datetime64[s]"),
                     index=series.index, name=series.name)
