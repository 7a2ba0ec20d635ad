"""Policy-era coding changes: when did the municipality start registering interventions with
other codes?

Method (numbers in thresholds.yaml, `drift`):
1. month x code table of intervention starts; months with too few rows are left out;
2. change points with `ruptures.Pelt` (cost "l2", jump=1) on the monthly code shares;
3. each candidate is kept when the Jensen-Shannon divergence (base 2) between the code mix of
   the months before and after it reaches `js_threshold` and codes appear or disappear there.
The size of a shift is reported as that divergence, never as a p-value (at these sizes any
chi-square test is "significant").
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import ruptures
from scipy.spatial.distance import jensenshannon

from core.disclosure import MIN_COUNT
from quality_checks.rules import SETTINGS

DEFAULT_POLICY_DATES = ("2015-01-01",)


@dataclass
class CodeSpan:
    code: str
    first_month: str
    last_month: str
    rows: int


@dataclass
class Boundary:
    month: str
    size: float                     # Jensen-Shannon divergence (base 2) of the code mix around it
    codes_appearing: list[str]
    codes_disappearing: list[str]
    nearest_policy_date: str | None
    months_from_policy: int | None


@dataclass
class Era:
    start: str
    end: str
    codes_appearing: list[str]
    codes_disappearing: list[str]
    rows: int


@dataclass
class CodingDrift:
    code_spans: list[CodeSpan] = field(default_factory=list)
    boundaries: list[Boundary] = field(default_factory=list)
    eras: list[Era] = field(default_factory=list)
    shifts: list[dict] = field(default_factory=list)     # {"month", "size"} adjacent months
    usage: list[dict] = field(default_factory=list)      # {"month", "code", "rows"}; rows < 10 -> None


def _month(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m")


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    if p.sum() == 0 or q.sum() == 0:
        return 0.0
    return float(jensenshannon(p, q, base=2) ** 2)


def month_table(usage: pd.DataFrame) -> pd.DataFrame:
    """Rows per calendar month (every month from first to last) x code."""
    dated = usage.dropna(subset=["month", "code"])
    table = dated.pivot_table(index="month", columns="code", values="rows", aggfunc="sum", fill_value=0)
    if table.empty:
        return table
    months = pd.date_range(table.index.min(), table.index.max(), freq="MS")
    return table.reindex(months, fill_value=0).astype("int64")


def _signal(table: pd.DataFrame, settings: dict) -> pd.DataFrame:
    dense = table[table.sum(axis=1) >= settings["min_rows_per_month"]]
    shares = dense.div(dense.sum(axis=1), axis=0)
    big = table.sum() / table.to_numpy().sum() >= settings["min_code_share"]
    signal = shares.loc[:, big]
    if (~big).any():
        signal = signal.assign(_other=shares.loc[:, ~big].sum(axis=1))
    return signal


def change_candidates(signal: pd.DataFrame, settings: dict) -> list[pd.Timestamp]:
    """First months of new segments found by PELT (jump=1)."""
    n = len(signal)
    if n < 2 * settings["pelt_min_size"]:
        return []
    values = signal.to_numpy()
    noise = np.median(np.sum(np.diff(values, axis=0) ** 2, axis=1)) / 2
    penalty = settings["pelt_penalty_factor"] * max(noise, 1e-9) * np.log(n)
    algo = ruptures.Pelt(model="l2", min_size=settings["pelt_min_size"], jump=1).fit(values)
    return [signal.index[i] for i in algo.predict(pen=penalty)[:-1]]


def _window(table: pd.DataFrame, month: pd.Timestamp, months: int, after: bool) -> pd.Series:
    offset = pd.DateOffset(months=months)
    rows = (table.index >= month) & (table.index < month + offset) if after else \
        (table.index < month) & (table.index >= month - offset)
    return table[rows].sum()


def _codes_changing(before: pd.Series, after: pd.Series, settings: dict) -> tuple[list[str], list[str]]:
    b, a = before / max(before.sum(), 1), after / max(after.sum(), 1)
    present, absent = settings["code_share"], settings["absent_share"]
    appearing = sorted(map(str, a.index[(a >= present) & (b <= absent)]))
    disappearing = sorted(map(str, b.index[(b >= present) & (a <= absent)]))
    return appearing, disappearing


def _nearest_policy(month: pd.Timestamp, policy_dates) -> tuple[str | None, int | None]:
    dates = [pd.Timestamp(d) for d in policy_dates]
    if not dates:
        return None, None
    nearest = min(dates, key=lambda d: abs((month - d).days))
    return nearest.date().isoformat(), int((month.year - nearest.year) * 12 + month.month - nearest.month)


def find_boundaries(table: pd.DataFrame, policy_dates, settings: dict) -> list[Boundary]:
    window = settings["window_months"]
    found: list[Boundary] = []
    for month in change_candidates(_signal(table, settings), settings):
        before, after = _window(table, month, window, False), _window(table, month, window, True)
        size = js_divergence(before.to_numpy(float), after.to_numpy(float))
        appearing, disappearing = _codes_changing(before, after, settings)
        if size < settings["js_threshold"] or not (appearing or disappearing):
            continue
        policy, distance = _nearest_policy(month, policy_dates)
        found.append(Boundary(_month(month), round(size, 4), appearing, disappearing, policy, distance))
    return found


def _eras(table: pd.DataFrame, boundaries: list[Boundary]) -> list[Era]:
    starts = [table.index.min()] + [pd.Timestamp(b.month) for b in boundaries]
    ends = [s - pd.DateOffset(months=1) for s in starts[1:]] + [table.index.max()]
    eras = []
    for i, (start, end) in enumerate(zip(starts, ends)):
        rows = int(table[(table.index >= start) & (table.index <= end)].to_numpy().sum())
        change = boundaries[i - 1] if i else None
        eras.append(Era(_month(start), _month(end), change.codes_appearing if change else [],
                        change.codes_disappearing if change else [], rows))
    return eras


def _spans(table: pd.DataFrame) -> list[CodeSpan]:
    spans = []
    for code in table.columns:
        used = table.index[table[code].to_numpy() > 0]
        spans.append(CodeSpan(str(code), _month(used.min()), _month(used.max()), int(table[code].sum())))
    return sorted(spans, key=lambda s: (s.first_month, s.code))


def _shifts(table: pd.DataFrame, settings: dict) -> list[dict]:
    dense = table[table.sum(axis=1) >= settings["min_rows_per_month"]]
    months, dense = dense.index, dense.to_numpy(float)
    return [{"month": _month(months[i]), "size": round(js_divergence(dense[i - 1], dense[i]), 4)}
            for i in range(1, len(months))]


def _usage(table: pd.DataFrame, min_cell: int) -> list[dict]:
    long = table.stack().rename("rows").reset_index()
    long.columns = ["month", "code", "rows"]
    long = long[long["rows"] > 0]
    return [{"month": _month(m), "code": str(c), "rows": int(r) if r >= min_cell else None}
            for m, c, r in long.itertuples(index=False)]


def detect_coding_drift(usage: pd.DataFrame, policy_dates=DEFAULT_POLICY_DATES, settings: dict | None = None) -> CodingDrift:
    """Eras of intervention coding from rows per (month, code[, label])."""
    settings = settings or SETTINGS["drift"]
    table = month_table(usage)
    if table.empty:
        return CodingDrift()
    boundaries = find_boundaries(table, policy_dates, settings)
    return CodingDrift(code_spans=_spans(table), boundaries=boundaries, eras=_eras(table, boundaries),
                       shifts=_shifts(table, settings), usage=_usage(table, MIN_COUNT))
