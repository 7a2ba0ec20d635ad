"""Date consistency: end before start, future and placeholder dates, interventions outside every
benefit period, implausible ages, intakes inside the search period, overlapping benefits.

The rules are those of docs/architecture.md ("Planted defect ids"); numbers come from
thresholds.yaml.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from quality_checks.prepare import Prepared, is_sentinel
from quality_checks.rules import SETTINGS, RowRule, row_examples

DAY = np.timedelta64(1, "D")
# Placeholder dates are errors in these columns; in benefits.end_date 9999-12-31 is the usual
# marker of a running benefit and is read as "open".
SENTINEL_COLUMNS = {"interventions": ("start_date", "end_date"),
                    "referrals": ("intake_date", "referral_date"),
                    "benefits": ("start_date",)}
FUTURE_COLUMNS = {"interventions": ("start_date",), "benefits": ("start_date",),
                  "referrals": ("intake_date", "referral_date")}
PERIOD_TABLES = ("interventions", "benefits")


def _rule(p: Prepared, finding_id: str, table: str, column: str | None, flags: np.ndarray,
          shown: list[str], **values) -> RowRule:
    df = p.tables[table]
    return RowRule(finding_id, table, column, flags, row_examples(df, flags, ["client_id", *shown]),
                   values=values)


def sentinel_rules(p: Prepared) -> list[RowRule]:
    return [_rule(p, "date.sentinel", table, column, is_sentinel(p.dates(table, column)), [column])
            for table, columns in SENTINEL_COLUMNS.items() if table in p.tables
            for column in columns if column in p.tables[table]]


def future_rules(p: Prepared) -> list[RowRule]:
    shown = str(p.extract_date.astype("datetime64[D]"))
    rules = []
    for table, columns in FUTURE_COLUMNS.items():
        for column in (c for c in columns if p.has(table, c)):
            dates = p.dates(table, column)
            flags = p.usable(dates) & (dates > p.extract_date)
            rules.append(_rule(p, "date.future", table, column, flags, [column], extract_date=shown))
    return rules


def end_before_start_rules(p: Prepared) -> list[RowRule]:
    rules = []
    for table in (t for t in PERIOD_TABLES if p.has(t, "start_date", "end_date")):
        start, end = p.dates(table, "start_date"), p.dates(table, "end_date")
        flags = p.usable(start) & p.usable(end) & (end < start)
        rules.append(_rule(p, "date.end_before_start", table, "end_date", flags, ["start_date", "end_date"]))
    return rules


def benefit_windows(p: Prepared) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Benefit periods of known clients with a usable start, sorted by client, then start:
    (client positions, starts, ends; an open or future end is the extract date). Computed once."""
    def windows():
        pos = p.client_pos["benefits"]
        start, end = p.dates("benefits", "start_date"), p.dates("benefits", "end_date")
        end = np.where(~p.usable(end) | (end > p.extract_date), p.extract_date, end)
        keep = (pos >= 0) & p.usable(start)
        order = np.lexsort((start[keep], pos[keep]))
        return pos[keep][order], start[keep][order], end[keep][order]
    return p.once("benefit_windows", windows)


def client_benefits(p: Prepared, client: np.ndarray, tolerance_days: int = 0):
    """For rows with client positions `client`: (rows, window starts, window ends) for the first
    benefit period of each row's client, then (on fewer rows) the second, and so on, in order of
    start; windows widened by `tolerance_days`. The block of each client comes from one
    bincount, no search over the periods."""
    pos, start, end = benefit_windows(p)
    low, high = start - tolerance_days * DAY, end + tolerance_days * DAY
    per_client = np.bincount(pos, minlength=p.n_clients)
    count = np.append(per_client, 0)[client]                      # client -1: no benefit
    first = np.append(np.cumsum(per_client) - per_client, 0)[client]
    rows, k = np.flatnonzero(count), 0
    while len(rows):
        j = first[rows] + k
        yield rows, low[j], high[j]
        k += 1
        rows = rows[count[rows] > k]


def within_any_benefit(p: Prepared, client: np.ndarray, dates: np.ndarray, tolerance_days: int) -> np.ndarray:
    """True where `dates[i]` falls in one of the (widened) benefit periods of client `client[i]`."""
    inside = np.zeros(len(dates), dtype=bool)
    for rows, low, high in client_benefits(p, client, tolerance_days):
        inside[rows] |= (dates[rows] >= low) & (dates[rows] <= high)
    return inside


def outside_benefit_rule(p: Prepared) -> list[RowRule]:
    if not p.has("interventions", "client_id", "start_date") or not p.has("benefits", "client_id", "start_date"):
        return []
    days = SETTINGS["outside_benefit_tolerance_days"]
    start = p.dates("interventions", "start_date")
    candidate = p.usable(start) & (start <= p.extract_date)
    client = p.client_pos["interventions"]
    flags = candidate & ~within_any_benefit(p, client, start, days)
    return [_rule(p, "date.outside_benefit", "interventions", "start_date", flags, ["start_date"], days=days)]


def age_rule(p: Prepared) -> list[RowRule]:
    if not p.has("benefits", "start_date") or not p.has("clients", "birth_date"):
        return []
    pos = p.client_pos["benefits"]
    start = p.dates("benefits", "start_date")
    birth = np.where(pos >= 0, p.dates("clients", "birth_date")[np.maximum(pos, 0)], np.datetime64("NaT"))
    valid = p.usable(start) & ~np.isnat(birth)
    s, b = pd.DatetimeIndex(np.where(valid, start, np.datetime64("NaT"))), pd.DatetimeIndex(birth)
    before_birthday = (s.month < b.month) | ((s.month == b.month) & (s.day < b.day))
    age = pd.Series((s.year - b.year - before_birthday).astype("float64"), index=p.tables["benefits"].index,
                    name="age_at_benefit_start").where(valid)
    low, high = SETTINGS["age_min"], SETTINGS["age_max"]
    flags = ((age < low) | (age > high)).to_numpy()
    rule = _rule(p, "date.age_out_of_range", "benefits", "start_date", flags, ["start_date"],
                 age_min=low, age_max=high)
    rule.expectation = ("ExpectColumnValuesToBeBetween",
                        {"column": age.name, "min_value": low, "max_value": high})
    rule.gx_values = age
    return [rule]


def intake_rule(p: Prepared) -> list[RowRule]:
    """Intake before (latest benefit start on or before the intake) + the search period."""
    if not p.has("referrals", "intake_date") or not p.has("benefits", "start_date"):
        return []
    days = SETTINGS["search_period_days"]
    intake = p.dates("referrals", "intake_date")
    latest = np.full(len(intake), np.datetime64("NaT", "s"))    # latest benefit start on or before the intake
    has_benefit = np.zeros(len(intake), dtype=bool)
    for rows, low, _ in client_benefits(p, p.client_pos["referrals"]):
        has_benefit[rows] = True
        before = low <= intake[rows]                               # starts ascend: later ones overwrite
        latest[rows[before]] = low[before]
    ask = p.usable(intake) & (intake <= p.extract_date) & has_benefit
    flags = ask & (np.isnat(latest) | (intake < latest + days * DAY))
    return [_rule(p, "date.intake_before_search_period", "referrals", "intake_date", flags,
                  ["intake_date"], days=days)]


def overlap_rule(p: Prepared) -> list[RowRule]:
    """A benefit period that starts before an earlier period of the same client has ended."""
    if not p.has("benefits", "client_id", "start_date"):
        return []
    start, end = p.dates("benefits", "start_date"), p.dates("benefits", "end_date")
    pos = p.client_pos["benefits"]
    end_open = np.where(p.usable(end), end, np.datetime64("9999-12-31", "s"))
    frame = pd.DataFrame({"client": pos, "start": start, "end": end_open})
    frame = frame[(pos >= 0) & p.usable(start)].sort_values(["client", "start"], kind="stable")
    latest_end = frame.groupby("client")["end"].cummax()
    previous = latest_end.groupby(frame["client"]).shift(1)
    overlap = (frame["start"] < previous).fillna(False)
    flags = np.zeros(len(start), dtype=bool)
    flags[frame.index[overlap.to_numpy()]] = True      # the frame's index is the row position
    return [_rule(p, "date.benefit_overlap", "benefits", "start_date", flags, ["start_date", "end_date"])]


def date_rules(p: Prepared) -> list[RowRule]:
    return [*end_before_start_rules(p), *sentinel_rules(p), *future_rules(p), *outside_benefit_rule(p),
            *age_rule(p), *intake_rule(p), *overlap_rule(p)]
