"""Intervention coding: codes missing from the codebook, missing codes, codes used outside their
validity window, one code with several labels, and the share of catch-all codes."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core.findings import Finding
from core.findings import make as make_finding
from quality_checks.prepare import Prepared, per_row
from quality_checks.registry import rule
from quality_checks.rules import SETTINGS, as_datetime64

FAR_PAST, FAR_FUTURE = np.datetime64("0001-01-01", "s"), np.datetime64("9999-12-31", "s")


def validity_windows(codebook: pd.DataFrame) -> pd.DataFrame:
    """Per code the widest window over its codebook rows; missing/placeholder bounds are open."""
    frame = pd.DataFrame({"code": codebook["intervention_code"].to_numpy()})
    for column, fill in (("valid_from", FAR_PAST), ("valid_to", FAR_FUTURE)):
        values = as_datetime64(codebook[column]) if column in codebook \
            else np.full(len(codebook), np.datetime64("NaT", "s"))
        placeholder = np.isnat(values) | (values <= np.datetime64("1900-01-01", "s")) | (values >= FAR_FUTURE)
        frame[column] = np.where(placeholder, fill, values)
    return frame.groupby("code").agg(valid_from=("valid_from", "min"), valid_to=("valid_to", "max"))


def catch_all_codes(codes: pd.Series, codebook: pd.DataFrame | None) -> list[str]:
    words = re.compile(r"\b(?:%s)" % "|".join(map(re.escape, SETTINGS["catch_all_words"])), re.IGNORECASE)
    found = {str(c) for c in codes.dropna().unique() if words.search(str(c))}
    if codebook is not None:
        text = codebook["intervention_code"].astype(str)
        for column in ("label", "category"):
            if column in codebook:
                text = text + " " + codebook[column].fillna("").astype(str)
        found |= set(codebook["intervention_code"][text.map(lambda t: bool(words.search(t)))].astype(str))
    return sorted(found)


@rule("catch_all_code")
def catch_all_code(p: Prepared, table: str, column: str, limits: dict) -> np.ndarray:
    """Rows with a catch-all code (decided once per distinct code)."""
    codes, values = p.factor(table, column)
    return per_row(values.isin(catch_all_codes(values.to_series(), p.codebook)), codes, False)


def codebook_rows(p: Prepared, table: str, column: str) -> tuple[np.ndarray, pd.DataFrame]:
    """Per row the codebook window of its code (-1: not in the codebook or missing), and the
    windows (`validity_windows`), computed once."""
    def compute():
        codes, values = p.factor(table, column)
        windows = validity_windows(p.codebook)
        return per_row(windows.index.get_indexer(values).astype(np.int32), codes, -1), windows
    return p.once(("codebook_rows", table, column), compute)


@rule("unknown_code")
def unknown_code(p: Prepared, table: str, column: str, limits: dict):
    codes, values = p.factor(table, column)
    where, windows = codebook_rows(p, table, column)
    unknown = (codes >= 0) & (where < 0)
    return unknown, {"codes": int((windows.index.get_indexer(values) < 0).sum())}


@rule("outside_validity")
def outside_validity(p: Prepared, table: str, column: str, limits: dict) -> np.ndarray:
    where, windows = codebook_rows(p, table, column)
    start = p.dates(table, "start_date")
    rows = np.maximum(where, 0)
    low = np.where(where >= 0, windows["valid_from"].to_numpy()[rows], FAR_PAST)
    high = np.where(where >= 0, windows["valid_to"].to_numpy()[rows], FAR_FUTURE)
    dated = p.dated(table, "start_date")
    return (where >= 0) & dated & ((start < low) | (start > high))


def label_conflicts(pairs: pd.DataFrame, codebook: pd.DataFrame | None, total_codes: int) -> list[Finding]:
    """Codes with more than one distinct label (in the interventions or in the codebook)."""
    frames = [pairs[["code", "label"]]]
    if codebook is not None and "label" in codebook:
        frames.append(pd.DataFrame({"code": codebook["intervention_code"].to_numpy(),
                                    "label": codebook["label"].to_numpy()}))
    labels = pd.concat(frames, ignore_index=True).dropna()
    labels["label"] = labels["label"].astype(str).str.strip()
    per_code = labels.drop_duplicates().groupby("code")["label"].agg(sorted)
    conflicts = per_code[per_code.map(len) > 1]
    if conflicts.empty:
        return []
    examples = [f"{code}: {' | '.join(map(str, names[:3]))}" for code, names in conflicts.items()]
    return [make_finding("coding.label_conflict", table="interventions", column="intervention_label",
                           count=len(conflicts), total=total_codes, examples=examples)]


def count_combinations(parts: list[tuple[np.ndarray, int]]) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct combinations of per-row integer codes (each `0 <= code < card`) and how
    often each occurs, in ascending order: one bincount when the combinations are few (always
    for months x codes x labels), a pandas groupby otherwise."""
    cards = [card for _, card in parts]
    if np.prod(cards, dtype=float) <= 1 << 24:
        key = np.ravel_multi_index([codes for codes, _ in parts], cards)
        counts = np.bincount(key, minlength=int(np.prod(cards)))
        present = np.flatnonzero(counts)
        return list(np.unravel_index(present, cards)), counts[present]
    sizes = pd.DataFrame({i: codes for i, (codes, _) in enumerate(parts)}).groupby(list(range(len(parts)))).size()
    return [sizes.index.get_level_values(i).to_numpy() for i in range(len(parts))], sizes.to_numpy()


def code_usage(p: Prepared) -> pd.DataFrame:
    """Rows per (start month, code, label); month is missing for unusable or future starts.
    Counted on integer codes (month number, code number, label number), not on strings."""
    df = p.tables["interventions"]
    dated = p.dated("interventions", "start_date")
    months = p.months("interventions", "start_date")
    first = months[dated].min() if dated.any() else 0
    month = np.where(dated, months - first + 1, 0)                 # 0: no month
    factors = [p.factor("interventions", c) if c in df else (np.full(len(df), -1), pd.Index([], dtype=object))
               for c in ("intervention_code", "intervention_label")]
    parts = [(month, int(month.max(initial=0)) + 1)] + [(codes + 1, len(values) + 1) for codes, values in factors]
    (month_i, code_i, label_i), rows = count_combinations(parts)
    usage = pd.DataFrame({
        "month": np.where(month_i > 0, (month_i - 1 + first).astype("datetime64[M]"),
                          np.datetime64("NaT", "M")).astype("datetime64[s]"),
        "code": factors[0][1].array.take(code_i - 1, allow_fill=True),
        "label": factors[1][1].array.take(label_i - 1, allow_fill=True),
        "rows": rows.astype(np.int64)})
    return usage.sort_values(["month", "code", "label"], na_position="last", ignore_index=True)
