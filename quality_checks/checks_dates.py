"""Date consistency: end before start, future and placeholder dates, interventions outside every
benefit period, implausible ages, intakes inside the search period, overlapping benefits.

The rules are those of docs/architecture.md ("Planted defect ids"); numbers come from
thresholds.yaml.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from quality_checks.prepare import SENTINELS, Prepared
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
    return [_rule(p, "date.sentinel", table, column, np.isin(p.dates(table, column), SENTINELS), [column])
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


def benefit_windows(p: Prepared, tolerance_days: int = 0):
    """Benefit periods sorted by client: (client positions, window starts, window ends)."""
    pos = p.client_pos["benefits"]
    start, end = p.dates("benefits", "start_date"), p.dates("benefits", "end_date")
    open_end = ~p.usable(end) | (end > p.extract_date)
    end = np.where(open_end, p.extract_date, end)
    keep = (pos >= 0) & p.usable(start)
    order = np.argsort(pos[keep], kind="stable")
    tolerance = tolerance_days * DAY
    return pos[keep][order], (start[keep] - tolerance)[order], (end[keep] + tolerance)[order]


def within_any_benefit(p: Prepared, client: np.ndarray, dates: np.ndarray, tolerance_days: int) -> np.ndarray:
    """True where `dates[i]` falls in one of the (widened) benefit periods of client `client[i]`."""
    pos, low, high = benefit_windows(p, tolerance_days)
    first = np.searchsorted(pos, client, side="left")
    count = np.searchsorted(pos, client, side="right") - first
    inside = np.zeros(len(dates), dtype=bool)
    for k in range(int(count.max(initial=0))):
        rows = np.flatnonzero(count > k)
        j = first[rows] + k
        inside[rows] |= (dates[rows] >= low[j]) & (dates[rows] <= high[j])
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
    pos, low, _ = benefit_windows(p)
    intake = p.dates("referrals", "intake_date")
    client = p.client_pos["referrals"]
    has_benefit = np.isin(client, pos)
    ask = np.flatnonzero(p.usable(intake) & (intake <= p.extract_date) & has_benefit)
    left = pd.DataFrame({"row": ask, "client": client[ask], "t": intake[ask]}).sort_values("t")
    right = pd.DataFrame({"client": pos, "t": low}).sort_values("t")
    matched = pd.merge_asof(left, right.rename(columns={"t": "benefit_start"}), left_on="t",
                            right_on="benefit_start", by="client", direction="backward")
    early = matched["benefit_start"].isna() | (matched["t"] < matched["benefit_start"] + pd.Timedelta(days=days))
    flags = np.zeros(len(intake), dtype=bool)
    flags[matched.loc[early, "row"].to_numpy()] = True
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
