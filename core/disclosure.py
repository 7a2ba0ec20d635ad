"""Disclosure control for every table the app shows or exports.

Rules (CBS output-checking practice, threshold configurable):
- a count below `min_count` (default 10) is never shown: primary suppression;
- a suppressed cell must not be recoverable from the row, column and grand totals that are
  published with the table: complementary suppression until every suppressed cell has more
  than one value consistent with the totals (checked with a linear program);
- no identifiers leave the app (`drop_identifiers`);
- no minimum or maximum of individual values (`statistic` refuses them) and no statistic over
  fewer than `min_count` people;
- where a hidden cell is printed, a small cell reads `<10` (`SMALL`) and a cell hidden only to
  protect another reads `x` (`PROTECTED`), with a legend: a complementary cell is not small.

What counts people (the rule, also in README "Privacy"): every number of clients or caseworkers
in a group - clients selected by a characteristic, with an outcome, per department or arm, per
caseworker (caseload), per subgroup, grey-area part, client type, number at risk or started
work on a curve, and the number of caseworkers. Counts that only describe records (rows with a
defect, such as malformed BSNs or duplicate rows) are exact on the data steward's own page and
download (`core.exports.INTERNAL`); in everything for others (PDF, JSON, shared downloads) every
finding count under the threshold reads `<10` as well, so one rule holds wherever text leaves.
"""
from __future__ import annotations

from itertools import product

import numpy as np
import pandas as pd
import scipy   # scipy.optimize (0.3 s to load) loads on first use: most pages never need it

from core import MIN_COUNT  # noqa: E402  (the one threshold, also used by core.findings)

# Canonical columns that identify a person or a caseworker; never in an exported table.
IDENTIFIER_COLUMNS = ("client_id", "bsn", "caseworker_id", "birth_date", "postcode",
                      "house_number", "house_number_suffix", "youngest_child_birth_date")

ALLOWED_STATISTICS = ("count", "sum", "mean", "median", "std")
REFUSED_STATISTICS = ("min", "max", "first", "last", "mode")


SMALL = f"<{MIN_COUNT}"     # a cell under the threshold
PROTECTED = "x"             # a cell hidden so that a small cell cannot be worked out (complementary)


def is_shown(count, min_count: int = MIN_COUNT) -> bool:
    """A count of people may be shown as it is: zero, or at least `min_count` (None and marks:
    already hidden)."""
    if count is None or isinstance(count, str):
        return False
    return not 0 < count < min_count


def shown_count(count, min_count: int = MIN_COUNT):
    """`count` as it may leave the tool, or None (hidden)."""
    return int(count) if is_shown(count, min_count) else None


def shown_share(part, whole, min_count: int = MIN_COUNT):
    """The share `part / whole` of a group, or None when it would reveal a small count of people:
    the part or the rest of the group (whole - part) is under `min_count` (zero is fine)."""
    if not whole or not is_shown(part, min_count) or not is_shown(whole - part, min_count):
        return None
    return part / whole


class DisclosureError(ValueError):
    """A statistic that would reveal an individual value."""


def small_cells(table: pd.DataFrame, min_count: int = MIN_COUNT) -> pd.DataFrame:
    """Primary suppression: cells with 0 < count < min_count (zeros stay visible)."""
    values = table.fillna(0).to_numpy(dtype=float)
    return pd.DataFrame((values > 0) & (values < min_count), index=table.index, columns=table.columns)


def feasible_ranges(table: pd.DataFrame, mask: pd.DataFrame) -> dict[tuple, tuple[float, float]]:
    """For each suppressed cell, the smallest and largest value consistent with the
    published totals (row totals when the table has several columns, column totals when it
    has several rows, and the grand total) and with counts being non-negative."""
    values = table.fillna(0).to_numpy(dtype=float)
    hidden = mask.to_numpy(dtype=bool)
    cells = list(zip(*np.nonzero(hidden)))
    if not cells:
        return {}
    shown = np.where(hidden, 0.0, values)
    groups = [hidden.ravel().copy()]  # grand total
    rhs = [values.sum() - shown.sum()]
    if values.shape[1] > 1:
        for r in range(values.shape[0]):
            groups.append(_only_row(hidden, r))
            rhs.append(values[r].sum() - shown[r].sum())
    if values.shape[0] > 1:
        for c in range(values.shape[1]):
            groups.append(_only_column(hidden, c))
            rhs.append(values[:, c].sum() - shown[:, c].sum())
    flat = np.flatnonzero(hidden.ravel())
    a_eq = np.array([group[flat] for group in groups], dtype=float)
    ranges = {}
    for k, (r, c) in enumerate(cells):
        objective = np.zeros(len(cells))
        objective[k] = 1.0
        low = scipy.optimize.linprog(objective, A_eq=a_eq, b_eq=rhs, bounds=(0, None), method="highs")
        high = scipy.optimize.linprog(-objective, A_eq=a_eq, b_eq=rhs, bounds=(0, None), method="highs")
        ranges[(table.index[r], table.columns[c])] = (low.fun, -high.fun)
    return ranges


def _only_row(hidden: np.ndarray, row: int) -> np.ndarray:
    selected = np.zeros_like(hidden)
    selected[row] = hidden[row]
    return selected.ravel()


def _only_column(hidden: np.ndarray, column: int) -> np.ndarray:
    selected = np.zeros_like(hidden)
    selected[:, column] = hidden[:, column]
    return selected.ravel()


def exposed_cells(table: pd.DataFrame, mask: pd.DataFrame) -> list[tuple]:
    """Suppressed cells whose value the published totals still pin down exactly."""
    return [cell for cell, (low, high) in feasible_ranges(table, mask).items() if high - low < 0.5]


def suppression_mask(table: pd.DataFrame, min_count: int = MIN_COUNT,
                     also: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which cells to hide: small cells (and the cells of `also`, e.g. zeros) plus
    complementary cells, chosen so that none of the hidden values can be worked out from the totals."""
    mask = small_cells(table, min_count)
    if also is not None:
        mask = mask | also.astype(bool)
    values = table.fillna(0).to_numpy(dtype=float)
    while True:
        exposed = exposed_cells(table, mask)
        if not exposed:
            return mask
        r = table.index.get_loc(exposed[0][0])
        c = table.columns.get_loc(exposed[0][1])
        hidden = mask.to_numpy(dtype=bool)
        extra = _rectangle(values, hidden, r, c) or _partner(values, hidden, r, c) \
            or _partner(values, hidden, r, c, zeros=True)
        if not extra:  # nothing left that could protect it: hide the whole table
            return pd.DataFrame(True, index=table.index, columns=table.columns)
        for rr, cc in extra:
            mask.iat[rr, cc] = True


def _rectangle(values, hidden, r, c) -> list[tuple[int, int]]:
    """The cheapest rectangle (r, c) - (r, c2) - (r2, c) - (r2, c2) of positive or already
    hidden cells that adds at least one new hidden cell (the hypercube method in 2 dimensions)."""
    best, best_cost = [], None
    n_rows, n_cols = values.shape
    for r2, c2 in product(range(n_rows), range(n_cols)):
        if r2 == r or c2 == c:
            continue
        corners = [(r, c2), (r2, c), (r2, c2)]
        if any(not hidden[x] and values[x] <= 0 for x in corners[:2]):
            continue
        new = [x for x in corners if not hidden[x] and values[x] > 0]
        if not new:
            continue
        cost = (sum(values[x] for x in new), len(new))
        if best_cost is None or cost < best_cost:
            best, best_cost = new, cost
    return best


def _partner(values, hidden, r, c, zeros: bool = False) -> list[tuple[int, int]]:
    """The smallest positive visible cell in the same row or column (one-row or one-column
    tables, or no rectangle left); with `zeros`, a visible zero will do as well."""
    line = [(r, cc) for cc in range(values.shape[1])] + [(rr, c) for rr in range(values.shape[0])]
    candidates = [x for x in line if not hidden[x] and (values[x] > 0 or zeros)]
    return [min(candidates, key=lambda x: values[x])] if candidates else []


def suppress(table: pd.DataFrame, min_count: int = MIN_COUNT) -> pd.DataFrame:
    """The table of counts with small and complementary cells replaced by <NA> (Int64).

    Assumes its row, column and grand totals are published alongside; call
    `with_totals` to add them (totals below `min_count` are themselves hidden)."""
    counts = table.fillna(0).round().astype("Int64")
    return counts.mask(suppression_mask(counts, min_count))


def marked(table: pd.DataFrame, min_count: int = MIN_COUNT) -> pd.DataFrame:
    """The table as it may be printed (object cells): counts, `<min_count` (`SMALL` at the
    default threshold) for small cells and `PROTECTED` for complementary cells (see
    `suppression_mask`)."""
    counts = table.fillna(0).round().astype("int64")
    hidden = suppression_mask(counts, min_count)
    small = small_cells(counts, min_count)
    out = counts.astype(object)
    out[hidden & small] = f"<{min_count}"
    out[hidden & ~small] = PROTECTED
    return out


def cell_text(value) -> str:
    """A cell of `marked` (or a count that is None: hidden) as text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return SMALL
    return value if isinstance(value, str) else str(int(value))


def with_totals(table: pd.DataFrame, min_count: int = MIN_COUNT, label: str = "Totaal") -> pd.DataFrame:
    """The suppressed table plus a total row and column, small totals hidden too."""
    counts = table.fillna(0).round().astype("Int64")
    out = suppress(counts, min_count)
    row_totals = counts.sum(axis=1)
    out[label] = row_totals.mask((row_totals > 0) & (row_totals < min_count))
    column_totals = counts.sum(axis=0)
    column_totals[label] = counts.to_numpy().sum()
    out.loc[label] = column_totals.mask((column_totals > 0) & (column_totals < min_count))
    return out.astype("Int64")


def suppress_counts(counts: pd.Series, min_count: int = MIN_COUNT) -> pd.Series:
    """One column of counts (e.g. clients per reason) whose total is published."""
    return suppress(counts.to_frame(), min_count).iloc[:, 0].rename(counts.name)


def drop_identifiers(frame: pd.DataFrame, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The table without columns that identify a person (canonical names and `extra`)."""
    banned = {name.lower() for name in IDENTIFIER_COLUMNS + tuple(extra)}
    return frame[[c for c in frame.columns if str(c).lower() not in banned]]


def statistic(values: pd.Series, name: str, min_count: int = MIN_COUNT):
    """A summary statistic over a group, or None when the group is smaller than `min_count`.

    Minima, maxima and other statistics that equal one person's value are refused."""
    if name in REFUSED_STATISTICS or name not in ALLOWED_STATISTICS:
        raise DisclosureError(f"statistic '{name}' could reveal an individual value; "
                              f"allowed: {', '.join(ALLOWED_STATISTICS)}")
    present = values.dropna()
    if len(present) < min_count:
        return None
    return len(present) if name == "count" else getattr(present, name)()
