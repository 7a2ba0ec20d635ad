"""Start-work curves (Kaplan-Meier) and hazard ratios (Cox, population.cox).

Curves are given as the share started (1 - S(t)) on a monthly grid with the 95% band
(exponential Greenwood), as lifelines computes them. Disclosure: a group under the threshold
gets no curve, a curve stops where fewer than the threshold are still at risk, numbers at risk
under it are hidden (None), and a month where 1 to 9 clients have started so far is left out
(the share times the group size would give that count away)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from core.disclosure import is_shown
from population import cox
from population.config import MISSING


def _shown(n: int, min_count: int):
    return int(n) if n >= min_count or n == 0 else None


def product_limit(time: np.ndarray, event: np.ndarray, grid: np.ndarray, level: float = 0.95):
    """Kaplan-Meier's S(t) at every point of `grid` (a step function: its value at the last
    distinct time up to t) with the exponential Greenwood band, as lifelines'
    KaplanMeierFitter computes them (tests/test_survival_curves.py): (survival, low, high)."""
    times = np.unique(np.concatenate([[min(0.0, time.min())], time]))
    at = np.searchsorted(times, time)
    removed = np.bincount(at, minlength=len(times))
    deaths = np.bincount(at, weights=event, minlength=len(times))
    at_risk = len(time) - np.cumsum(removed) + removed
    with np.errstate(divide="ignore", invalid="ignore"):
        log_s = np.cumsum(np.log(at_risk - deaths) - np.log(at_risk))
        var = np.cumsum(np.where(at_risk == deaths, 0.0, deaths / (at_risk * (at_risk - deaths))))
        v, z = log_s, norm.ppf(1 - (1 - level) / 2)
        low = np.exp(-np.exp(np.log(-v) - z * np.sqrt(var) / v))
        high = np.exp(-np.exp(np.log(-v) + z * np.sqrt(var) / v))
    on = np.searchsorted(times, grid, side="right") - 1
    return np.exp(log_s)[on], np.nan_to_num(low, nan=1.0)[on], np.nan_to_num(high, nan=1.0)[on]


def km_curve(time: pd.Series, event: pd.Series, months: int, milestones: list[int],
             min_count: int) -> dict | None:
    """The curve of one group, or None when the group is under the threshold."""
    time, event = time.to_numpy(float), event.to_numpy(int)
    if len(time) < min_count:
        return None
    grid = np.arange(0, months + 1)
    survival, low, high = product_limit(time, event, grid)
    ordered = np.sort(time)
    at_risk = len(time) - np.searchsorted(ordered, grid, side="left")
    started = np.searchsorted(np.sort(time[event == 1]), grid, side="right")
    drawn = (at_risk >= min_count) & np.array([is_shown(n, min_count) for n in started])
    points = [{"month": int(t), "share": float(1 - s), "low": float(1 - hi), "high": float(1 - lo),
               "at_risk": int(r)}
              for t, s, lo, hi, r, ok in zip(grid, survival, low, high, at_risk, drawn) if ok]
    share = {str(m): (float(1 - survival[m]) if m <= months and drawn[m] else None) for m in milestones}
    return {"n": int(len(time)), "events": _shown(int(event.sum()), min_count), "points": points,
            "started_at": share, "at_risk": {str(m): _shown(int(at_risk[m]), min_count)
                                             for m in milestones if m <= months}}


def curves(data: pd.DataFrame, characteristic: str, months: int, milestones: list[int],
           min_count: int) -> dict:
    """Per level of `characteristic`: its curve (None for a group under the threshold)."""
    usable = data.dropna(subset=["time"])
    out = {}
    for level, group in usable.groupby(characteristic, sort=False):
        if level == MISSING:
            continue
        out[level] = km_curve(group["time"], group["event"], months, milestones, min_count)
    return out


def _design(data: pd.DataFrame, columns: list[str], levels: dict[str, list[str]], min_count: int):
    """Dummy columns for the non-reference levels; rows with an unknown or rare level dropped.
    Returns (design matrix with time/event, {column: (characteristic, level)}, dropped levels)."""
    frame = data.dropna(subset=["time"])
    dropped = []
    for column in columns:
        frame = frame[frame[column] != MISSING]
    changed = True
    while changed:   # a level with too few clients or events cannot be estimated: leave it out
        changed = False
        for column in columns:
            counts = frame.groupby(column)["event"].agg(["size", "sum"])
            rare = counts[(counts["size"] < min_count) | (counts["sum"] < min_count)].index
            if len(rare):
                dropped += [(column, level) for level in rare]
                frame = frame[~frame[column].isin(rare)]
                changed = True
    design = frame[["time", "event"]].copy()
    names = {}
    for column in columns:
        found = set(frame[column].unique())
        present = [lvl for lvl in levels[column] if lvl in found]
        if len(present) < 2:
            continue
        for level in present[1:]:
            name = f"{column}={level}"
            design[name] = (frame[column] == level).astype(float)
            names[name] = (column, level, present[0])
    # a dummy that the others already determine (e.g. children vs household with children)
    # cannot be estimated: leave it out, in the declared order (the rank of the distinct rows
    # is the rank of all rows, and there are only a few distinct rows of dummies)
    dummies = np.unique(design[list(names)].to_numpy(), axis=0)
    matrix = np.ones((len(dummies), 1))
    for i, name in enumerate(list(names)):
        candidate = np.column_stack([matrix, dummies[:, i]])
        if np.linalg.matrix_rank(candidate) > matrix.shape[1]:
            matrix = candidate
        else:
            dropped.append(names[name][:2] + ("collinear",))
            design = design.drop(columns=name)
            del names[name]
    return design, names, dropped


def hazard_ratios(data: pd.DataFrame, columns: list[str], levels: dict[str, list[str]],
                  min_count: int) -> dict:
    """Hazard ratios with 95% intervals from one Cox model over `columns` (one column:
    univariate; several: multivariate)."""
    design, names, dropped = _design(data, columns, levels, min_count)
    if not names or design["event"].sum() < min_count:
        return {"n": None, "rows": [], "dropped": [list(d) for d in dropped]}
    fitted = cox.fit(design["time"].to_numpy(), design["event"].to_numpy(), design[list(names)].to_numpy()).ratios()
    rows = [{"characteristic": c, "level": lvl, "reference": ref,
             **{key: float(fitted[key][i]) for key in ("coef", "hr", "low", "high", "p")}}
            for i, (name, (c, lvl, ref)) in enumerate(names.items())]
    return {"n": int(len(design)), "events": int(design["event"].sum()), "rows": rows,
            "dropped": [list(d) for d in dropped]}
