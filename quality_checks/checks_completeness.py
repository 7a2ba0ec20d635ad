"""Completeness for research: missing values, caseworker and department of every referral,
missingness of the covariates by quarter, and exact duplicate rows."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.arms import known_values
from core.disclosure import MIN_COUNT
from core.findings import Finding
from core.findings import make as make_finding
from quality_checks.prepare import Prepared, day_numbers
from quality_checks.registry import rule
from quality_checks.rules import SETTINGS, few_rows

# The date that places a row of each table in a period (clients: their first benefit start).
PERIOD_COLUMN = {"referrals": "referral_date", "interventions": "start_date", "benefits": "start_date"}


@rule("missing")
def missing(p: Prepared, table: str, column: str, limits: dict) -> np.ndarray:
    """No value (blank text counts as missing, see prepare)."""
    return p.tables[table][column].isna().to_numpy()


@rule("unknown_department")
def unknown_department(p: Prepared, table: str, column: str, limits: dict) -> np.ndarray:
    """A department that names no arm (core.arms.known_values): a value whose arm, after the
    merges of the mapping file's `arms:`, is too rare to be an arm."""
    values = p.tables[table][column]
    known = known_values(values, p.arms)
    return (values.notna() & ~values.astype("string").str.strip().isin(known)).to_numpy()


def _day_codes(dates: np.ndarray, most: int) -> tuple[np.ndarray, int] | None:
    """Dense codes of the calendar days (0 = missing) and their number; two rows with the same
    date get the same code. None when there would be more than `most` codes (known before the
    codes are spread to the rows). Computed in place on one array of day numbers (every temporary of
    ten million rows costs more in fresh memory than the arithmetic on it)."""
    present = ~np.isnat(dates)
    if not present.any():
        return (np.zeros(len(dates), dtype=np.int64), 1) if most >= 1 else None
    days = day_numbers(dates)
    days -= days.min(where=present, initial=np.iinfo(np.int32).max)
    days[~present] = 0
    shift = max(int(days.max()).bit_length() - 24, 0)     # wider than 2**24 days: coarser, still equal for equal dates
    days >>= shift
    seen = np.bincount(days, minlength=1)
    seen[0] -= len(dates) - np.count_nonzero(present)     # the missing ones are not a day
    rank = np.cumsum(seen > 0)
    if rank[-1] + 1 > most:
        return None
    codes = rank.astype(np.int32)[days]
    codes[~present] = 0
    return codes, int(rank[-1]) + 1


def _candidate_key(p: Prepared, table: str) -> tuple[np.ndarray, int]:
    """An integer per row that is equal for equal rows (client and as many dates as fit in 63
    bits next to the row number), as a new array; unequal rows may share it, the exact comparison
    sorts that out."""
    df = p.tables[table]
    rows = len(df)
    key, size = np.zeros(rows, dtype=np.int64), 1
    if "client_id" in df:
        key, size = p.client_pos[table].astype(np.int64), p.n_clients + 1
        key += 1
    for column in (c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])):
        found = _day_codes(p.dates(table, column), most=(2 ** 62 - 1) // (size * rows))
        if found is None:                     # size * codes * rows would not stay below 2**62
            break
        codes, card = found
        key *= card
        key += codes
        size *= card
    return key, size


@rule("duplicate_row", clients=True)
def duplicate_rows(p: Prepared, table: str, column: None = None, limits: dict | None = None) -> np.ndarray:
    """True for rows that repeat an earlier row exactly (the extra copies). Rows are candidates
    when another row has the same client and dates (one sort of integers, no string hashing);
    the exact comparison of all columns runs on the candidates only."""
    df = p.tables[table]
    rows = len(df)
    packed, _ = _candidate_key(p, table)       # a new array: packed in place (ten million rows, 80 MB each)
    packed *= rows
    packed += np.arange(rows)
    # Timsort ("stable"): exports usually come ordered by client, and it runs through such
    # presorted stretches in linear time (ten million rows: 0.25 s instead of 0.85 s); the
    # packed values are all distinct, so every sort gives the same result.
    packed.sort(kind="stable")
    order = packed % rows
    packed //= rows                            # the key again
    same = packed[1:] == packed[:-1]
    del packed
    candidates = np.zeros(rows, dtype=bool)
    candidates[order[1:][same]] = True
    candidates[order[:-1][same]] = True
    flags = np.zeros(rows, dtype=bool)
    positions = np.flatnonzero(candidates)
    flags[positions[few_rows(df, positions).duplicated(keep="first").to_numpy()]] = True
    return flags


def _quarters(months: np.ndarray, usable: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Per row the number of its quarter among the quarters present (-1 where not usable) and
    the '2015Q1' label of each number, from integer quarters (formatting ten million Periods
    one by one would take longer than all the checks together). `months`: since 1970-01."""
    quarter = np.where(usable, months // 3, 0)
    low = quarter[usable].min() if usable.any() else 0
    offset = np.where(usable, quarter - low, 0)
    seen = np.bincount(offset[usable], minlength=1) > 0
    codes = np.where(usable, (np.cumsum(seen) - 1).astype(np.int32)[offset], -1)
    return codes, [f"{1970 + q // 4}Q{q % 4 + 1}" for q in low + np.flatnonzero(seen)]


def _period_of(p: Prepared, table: str) -> tuple[np.ndarray, list[str]] | None:
    if table == "clients":
        if not p.has("benefits", "start_date"):
            return None
        start = p.dates("benefits", "start_date")
        first = pd.Series(start).groupby(p.client_pos["benefits"]).min()
        dates = first.reindex(np.arange(p.n_clients)).to_numpy(dtype="datetime64[s]")
        months = dates.astype("datetime64[M]").astype(np.int64)
        return _quarters(months, p.usable(dates) & (dates <= p.extract_date))
    if p.has(table, PERIOD_COLUMN[table]):
        return _quarters(p.months(table, PERIOD_COLUMN[table]), p.dated(table, PERIOD_COLUMN[table]))
    return None


def _per_period(codes: np.ndarray, periods: int) -> np.ndarray:
    """Rows per period number (`_quarters` codes; -1, in no period, left out)."""
    return np.bincount(codes + 1, minlength=periods + 1)[1:]


def missingness(p: Prepared) -> pd.DataFrame:
    """Share missing per (table, column, quarter) for the covariates in thresholds.yaml; quarters
    with fewer rows than the disclosure threshold are left out (the result is exported)."""
    frames = []
    for table, columns in SETTINGS["missingness"]["covariates"].items():
        present = [c for c in columns if p.has(table, c)]
        period = _period_of(p, table) if present else None
        if period is None:
            continue
        df = p.tables[table]
        codes, labels = period
        rows = _per_period(codes, len(labels))
        for column in present:
            missing = _per_period(codes[df[column].isna().to_numpy()], len(labels))
            shares = pd.DataFrame({"table": table, "column": column, "period": labels, "rows": rows,
                                   "missing_share": missing / rows})   # every quarter listed has rows
            frames.append(shares[shares["rows"] >= MIN_COUNT])
    if not frames:
        return pd.DataFrame(columns=["table", "column", "period", "rows", "missing_share"])
    return pd.concat(frames, ignore_index=True)


def missingness_findings(p: Prepared, shares: pd.DataFrame) -> list[Finding]:
    limits = SETTINGS["missingness"]
    findings = []
    for (table, column), group in shares.groupby(["table", "column"], sort=False):
        group = group[group["rows"] >= limits["min_rows"]]
        if group.empty:
            continue
        low, high = group["missing_share"].min(), group["missing_share"].max()
        if high <= limits["max_share"] and high - low <= limits["max_spread"]:
            continue
        series = p.tables[table][column]
        worst = group.sort_values("missing_share", ascending=False).head(SETTINGS["max_examples"])
        examples = [f"{r.period}: {100 * r.missing_share:.0f}% ({r.rows})" for r in worst.itertuples()]
        findings.append(make_finding("completeness.covariate_missing_by_period", table=table, column=column,
                                      count=int(series.isna().sum()), total=len(series), examples=examples,
                                      low=float(low), high=float(high)))
    return findings
