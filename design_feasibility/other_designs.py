"""Two other natural-variation designs, judged on what the extract holds.

- Event time / regression discontinuity at the youngest child's 5th birthday for single parents
  on benefit: the exemption from the work obligation ends then (seed 001). Confounded by the
  start of compulsory schooling at 5.
- Difference-in-differences around a dated policy or registration change: quarters with
  inflow before and after, and candidate comparison groups of sufficient size on both sides.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from design_feasibility.config import analysis_setting, both, number, thresholds
from design_feasibility.frame import column, observation_end, valid_dates
from design_feasibility.power import two_group_mde
from design_feasibility.result import DesignVerdict


def _setting(name: str):
    return thresholds()["designs"][name]


def _spells(tables: dict, end: pd.Timestamp) -> pd.DataFrame:
    benefits = tables["benefits"]
    spells = pd.DataFrame({"client_id": benefits["client_id"].astype(str),
                           "start": valid_dates(benefits["start_date"]),
                           "end": valid_dates(column(benefits, "end_date", pd.NaT))})
    spells["end"] = spells["end"].fillna(end)
    return spells.dropna(subset=["start"])


def child_birthday_design(tables: dict, target_effect: float, outcome_present: bool) -> DesignVerdict:
    clients = tables["clients"]
    missing = [c for c in ("household_type", "youngest_child_birth_date") if c not in clients
               or clients[c].isna().all()]
    if missing:
        return DesignVerdict("child_turns_5", "not_feasible", [both("rd.no_columns", columns=", ".join(missing))],
                             [both("missing.household")])
    single = clients[clients["household_type"].astype("string").str.strip().str.lower()
                     .isin(analysis_setting("single_parent_types"))]
    end = observation_end(tables)
    window = pd.DateOffset(months=analysis_setting("rd_window_months"))
    birthday = (valid_dates(single["youngest_child_birth_date"])
                + pd.DateOffset(years=analysis_setting("rd_age_years")))
    turns = pd.DataFrame({"client_id": single["client_id"].astype(str), "birthday": birthday}).dropna()
    spells = _spells(tables, end).merge(turns, on="client_id")
    on_benefit = spells[(spells["start"] <= spells["birthday"]) & (spells["birthday"] <= spells["end"])]
    start = spells["start"].min() if len(spells) else end
    inside = on_benefit[(on_benefit["birthday"] - window >= start) & (on_benefit["birthday"] + window <= end)]
    crossings = int(inside["client_id"].nunique())
    before = int(((on_benefit["birthday"] > end - window) & (on_benefit["birthday"] <= end)).sum())
    rate = analysis_setting("assumed_outcome_rate")
    mde = two_group_mde(crossings, rate)
    reasons = [both("rd.counts", single=len(single), crossings=crossings, late=before,
                    months=analysis_setting("rd_window_months")),
               both("rd.power", mde=number(mde, 1, percent=True), target=number(target_effect, 1, percent=True)),
               both("rd.school_confound")]
    missing_data = [] if outcome_present else [both("missing.monthly_work")]
    if crossings < _setting("rd_min_crossings"):
        reasons.insert(0, both("rd.too_few", minimum=_setting("rd_min_crossings")))
        return DesignVerdict("child_turns_5", "not_feasible", reasons, missing_data)
    return DesignVerdict("child_turns_5", "feasible_with_caveats", reasons, missing_data)


def default_policy_date(tables: dict) -> pd.Timestamp:
    """The registration (coding) change seen in the codebook - the most common date from which
    codes became valid, after the first one - or else the default date of thresholds.yaml."""
    codebook = tables.get("codebook")
    if codebook is not None and "valid_from" in codebook:
        starts = valid_dates(codebook["valid_from"]).dropna()
        later = starts[starts > starts.min()]
        if len(later):
            return pd.Timestamp(later.mode().iloc[0])
    return pd.Timestamp(analysis_setting("policy_date"))


def _quarters_on_benefit(tables: dict) -> pd.DataFrame:
    """Clients on benefit at the start of each quarter, with their department and team."""
    end = observation_end(tables)
    spells = _spells(tables, end)
    if spells.empty:
        return pd.DataFrame(columns=["quarter", "client_id"])
    quarters = pd.period_range(spells["start"].min(), end, freq="Q")
    starts = quarters.start_time.to_numpy()
    inside = ((starts[None, :] >= spells["start"].to_numpy()[:, None])
              & (starts[None, :] <= spells["end"].to_numpy()[:, None]))
    spell, quarter = np.nonzero(inside)
    return pd.DataFrame({"quarter": quarters[quarter], "client_id": spells["client_id"].to_numpy()[spell]}
                        ).drop_duplicates()


def difference_in_differences(tables: dict, date: pd.Timestamp, outcome_present: bool) -> DesignVerdict:
    """Quarters with enough clients on benefit before and after `date`, and comparison groups
    (departments, teams) with enough clients on benefit on both sides."""
    minimum = _setting("did_min_group_size")
    stock = _quarters_on_benefit(tables)
    cut = date.to_period("Q")
    per_quarter = stock.groupby("quarter").size()
    per_quarter = per_quarter[per_quarter >= minimum]
    pre, post = int((per_quarter.index < cut).sum()), int((per_quarter.index >= cut).sum())
    referrals = tables["referrals"].drop_duplicates("client_id")
    groups = 0
    for name in ("department", "team"):
        if name not in referrals:
            continue
        labels = dict(zip(referrals["client_id"].astype(str), referrals[name].astype("string")))
        side = stock.assign(group=stock["client_id"].map(labels), after=stock["quarter"] >= cut).dropna()
        counts = side.groupby(["group", "after"])["client_id"].nunique().unstack(fill_value=0)
        groups += int(((counts.get(False, 0) >= minimum) & (counts.get(True, 0) >= minimum)).sum())
    reasons = [both("did.periods", date=date.date().isoformat(), pre=pre, post=post, minimum=minimum),
               both("did.groups", groups=groups, minimum=minimum),
               both("did.assumptions")]
    missing = [] if outcome_present else [both("missing.monthly_work")]
    missing.append(both("missing.affected_group"))
    if pre < 2 or post < _setting("did_min_post_periods") or groups < 2:
        return DesignVerdict("difference_in_differences", "not_feasible",
                             [both("did.too_little", pre_min=_setting("did_min_pre_periods"))] + reasons, missing)
    if pre < _setting("did_min_pre_periods"):
        reasons.insert(0, both("did.few_pre", pre_min=_setting("did_min_pre_periods")))
    return DesignVerdict("difference_in_differences", "feasible_with_caveats", reasons, missing)
