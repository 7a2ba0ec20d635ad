"""Data minimisation: columns that should stay out of the CBS delivery, and sensitive
variables that trigger a DPIA. Works on any tables (canonical or as uploaded)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from core.canonical import TEXT_DTYPE
from core.findings import Finding
from core.findings import make as make_finding
from linkage_readiness.resources import data


@dataclass(frozen=True)
class ColumnFlag:
    table: str
    column: str
    category: str
    kind: str        # not_for_cbs | dpia_trigger
    by: str          # name | content


def _matches_content(values: pd.Series, detector: str, rules: dict) -> bool:
    spec = rules["content"][detector]
    text = values.dropna().astype(TEXT_DTYPE).head(rules["sample_rows"])
    text = text[text.str.strip() != ""]
    if text.empty:
        return False
    if detector == "free_text":
        words = text.str.split().str.len()
        return bool(words.mean() > spec["min_words"] and text.nunique() / len(text) >= spec["min_distinct_share"])
    return bool(text.str.fullmatch(spec["pattern"]).mean() >= spec["min_share"])


def scan_columns(tables: dict[str, pd.DataFrame]) -> list[ColumnFlag]:
    """Flag columns by name and content; a column gets at most one flag per kind."""
    rules = data("minimisation")
    flags = []
    for table, frame in tables.items():
        for column in frame.columns:
            name = str(column).lower().replace(" ", "_").replace("-", "_")
            kinds_seen = set()
            for category, spec in rules["categories"].items():
                kind = spec["kind"]
                if kind in kinds_seen or (kind == "not_for_cbs" and name in rules["key_columns"]):
                    continue
                by = "name" if re.search(spec["names"], name, re.IGNORECASE) else None
                if by is None and spec.get("content") and _is_text(frame[column]) \
                        and _matches_content(frame[column], spec["content"], rules):
                    by = "content"
                if by:
                    kinds_seen.add(kind)
                    flags.append(ColumnFlag(table, str(column), category, kind, by))
    return flags


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series) or series.dtype == object


def findings(tables: dict[str, pd.DataFrame]) -> list[Finding]:
    rules = data("minimisation")
    out = []
    for flag in scan_columns(tables):
        frame = tables[flag.table]
        spec = rules["categories"][flag.category]
        out.append(make_finding(f"minimisation.{flag.kind}", table=flag.table, column=flag.column,
                                 count=int(frame[flag.column].notna().sum()), total=len(frame),
                                 category={"nl": spec["nl"], "en": spec["en"]},
                                 reason=rules["reasons"][flag.by]))
    return out
