"""Disclosure control: small cells hidden, and hidden cells not recoverable from the totals."""
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from core.disclosure import (DisclosureError, drop_identifiers, statistic, suppress, suppress_counts,
                             with_totals)


def integer_range(table: pd.DataFrame, shown: pd.DataFrame, cell: tuple[int, int]) -> tuple[int, int]:
    """Independent audit: smallest and largest whole value of one hidden cell such that the
    published totals still add up (MILP, integers >= 0). Row totals are published when the
    table has several columns, column totals when it has several rows (one column: the total)."""
    values = table.to_numpy(dtype=float)
    hidden = shown.isna().to_numpy()
    cells = list(zip(*np.nonzero(hidden)))
    rows, rhs = [], []
    for r in range(values.shape[0] if values.shape[1] > 1 else 0):
        rows.append([1.0 if rr == r else 0.0 for rr, _ in cells])
        rhs.append(values[r].sum() - values[r][~hidden[r]].sum())
    for c in range(values.shape[1]):
        rows.append([1.0 if cc == c else 0.0 for _, cc in cells])
        rhs.append(values[:, c].sum() - values[:, c][~hidden[:, c]].sum())
    constraint = LinearConstraint(np.array(rows), rhs, rhs)
    target = np.zeros(len(cells))
    target[cells.index(cell)] = 1
    ends = []
    for sign in (1, -1):
        solved = milp(sign * target, constraints=constraint, integrality=np.ones(len(cells)),
                      bounds=Bounds(0, np.inf))
        assert solved.success
        ends.append(round(sign * solved.fun))
    return ends[0], ends[1]


def assert_protected(table: pd.DataFrame, shown: pd.DataFrame, min_count: int = 10) -> None:
    values = table.to_numpy()
    hidden = shown.isna().to_numpy()
    assert not np.any((values > 0) & (values < min_count) & ~hidden), "a small cell is visible"
    lines = (list(hidden) if hidden.shape[1] > 1 else []) + list(hidden.T)
    for line in lines:
        assert line.sum() != 1, "a row or column with exactly one hidden cell gives it away"
    for cell in zip(*np.nonzero(hidden)):
        low, high = integer_range(table, shown, cell)
        assert high > low, f"cell {cell} is fixed at {low} by the totals"
        assert low <= values[cell] <= high


def test_small_cells_are_hidden_and_cannot_be_recovered():
    table = pd.DataFrame({"Matching": [120, 4, 35], "Prematching": [80, 22, 40], "Activering": [30, 15, 3]},
                         index=["18-30", "30-45", "45-65"])
    shown = suppress(table)
    assert shown.isna().to_numpy().sum() == 4          # 2 small cells + 2 complementary ones
    assert pd.isna(shown.loc["30-45", "Matching"]) and pd.isna(shown.loc["45-65", "Activering"])
    assert shown.loc["18-30", "Matching"] == 120       # large cells untouched
    assert_protected(table, shown)


@pytest.mark.parametrize("seed", range(8))
def test_random_tables_are_protected(seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 60, size=(5, 4))
    values[rng.random(values.shape) < 0.25] = rng.integers(1, 10)
    table = pd.DataFrame(values, columns=list("abcd"))
    assert_protected(table, suppress(table))


def test_zeros_are_hidden_when_nothing_else_can_protect_a_cell():
    table = pd.DataFrame([[30, 0, 10], [7, 3, 0]], columns=["pc6", "pc4", "none"])
    shown = suppress(table)
    assert_protected(table, shown)
    assert shown.isna().to_numpy().sum() == 6


def test_single_small_cell_in_a_column_gets_a_partner():
    counts = pd.Series([120, 4, 35, 50], index=["bsn", "pc4", "pc6", "none"], name="clients")
    shown = suppress_counts(counts)
    assert shown.isna().sum() == 2 and pd.isna(shown["pc4"])
    assert pd.isna(shown["pc6"])                      # the smallest other cell
    assert shown["bsn"] == 120
    assert_protected(counts.to_frame(), shown.to_frame())


def test_table_without_small_cells_is_unchanged():
    table = pd.DataFrame({"a": [10, 20], "b": [30, 0]})
    assert suppress(table).equals(table.astype("Int64"))


def test_totals_below_threshold_are_hidden():
    table = pd.DataFrame({"a": [3, 50], "b": [4, 60]}, index=["x", "y"])
    shown = with_totals(table)
    assert pd.isna(shown.loc["x", "Totaal"])          # 7 people
    assert shown.loc["Totaal", "Totaal"] == 117
    assert shown.loc["y", "Totaal"] == 110


def test_identifiers_are_dropped():
    frame = pd.DataFrame(columns=["client_id", "BSN", "department", "postcode", "count"])
    assert list(drop_identifiers(frame)) == ["department", "count"]


def test_extremes_are_refused_and_small_groups_give_nothing():
    values = pd.Series(range(1, 13), dtype=float)
    with pytest.raises(DisclosureError):
        statistic(values, "min")
    with pytest.raises(DisclosureError):
        statistic(values, "max")
    assert statistic(values, "mean") == pytest.approx(6.5)
    assert statistic(values.head(9), "mean") is None


def test_cells_hidden_to_protect_a_small_one_read_x_not_small():
    """The issue's case: a hidden 9 in a row with a published total, protected by cells of 20
    and 14 - those must not be printed as "<10" (they are not small), but as "x"."""
    from core.disclosure import PROTECTED, SMALL, marked
    table = pd.DataFrame({"certainly_yes": [9, 40, 60], "maybe": [20, 30, 25], "certainly_no": [71, 30, 15]},
                         index=["Matching", "Prematching", "Activering"])
    shown = marked(table)
    assert shown.loc["Matching", "certainly_yes"] == SMALL
    protective = [(r, c) for r in table.index for c in table.columns if shown.loc[r, c] == PROTECTED]
    assert protective and all(table.loc[r, c] >= 10 for r, c in protective)
    assert_protected(table, shown.map(lambda v: None if isinstance(v, str) else v).astype("Int64"))


def test_a_share_that_gives_away_a_small_count_is_not_shown():
    from core.disclosure import shown_share
    assert shown_share(105, 114) is None        # 114 - 105 = 9 clients without the trait
    assert shown_share(9, 200) is None
    assert shown_share(0, 30) == 0 and shown_share(30, 30) == 1
    assert shown_share(20, 40) == 0.5


def test_a_finding_for_others_withholds_small_counts_and_the_shares_that_give_them_away():
    from core.findings import Finding, make
    coverage = make("caseworker_preference.coverage", key="diag.coverage", value=0.975, share=0.975,
                    caseworker=5, department_missing=0)
    assert coverage.value_text("en") == "x" and "97.5" not in coverage.message("en")
    assert "<10 without caseworker" in coverage.message("en")
    record = make("bsn.sentinel", table="clients", column="bsn", count=4, total=200)
    assert "4" in record.message("en")                      # the data steward's own view: exact
    shared = record.to_dict()
    assert shared["count"] is None and shared["share"] is None and set(shared["hidden"]) == {"count", "share"}
    assert "<10" in shared["message"]["en"] and " 4 " not in f" {shared['message']['en']} "
    again = Finding.from_dict(shared)                       # a loaded assessment renders it the same
    assert again.message("en") == shared["message"]["en"]


def test_a_start_work_curve_leaves_out_months_where_1_to_9_have_started():
    """30 clients: 3 start work in month 1, 12 in month 5, the rest is followed for 24 months.
    Months 1-4 would show 3/30 = 10% started: 3 people; they are left out."""
    from population.survival import km_curve
    time = pd.Series([1.0] * 3 + [5.0] * 12 + [24.0] * 15)
    event = pd.Series([1] * 15 + [0] * 15)
    curve = km_curve(time, event, months=24, milestones=[3, 6, 12], min_count=10)
    months = [p["month"] for p in curve["points"]]
    assert months[0] == 0 and not set(months) & {1, 2, 3, 4} and 5 in months
    assert curve["started_at"]["3"] is None and curve["started_at"]["6"] == pytest.approx(0.5)
