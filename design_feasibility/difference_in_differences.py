"""Difference-in-differences around a dated policy or registration change (kind
`difference_in_differences`): quarters with enough clients on benefit before and after the date,
and comparison groups (referral columns `groups`) with enough clients on benefit on both sides.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from design_feasibility.benefits import has_benefits, spells
from design_feasibility.frame import valid_dates
from design_feasibility.protocol import DeclaredDesign, DesignRun, Inputs


def policy_date(tables: dict, options, config: dict) -> pd.Timestamp:
    """The user's date; else the registration (coding) change seen in the codebook - the most
    common date from which codes became valid, after the first one; else the YAML date."""
    if options.policy_date is not None:
        return options.policy_date
    codebook = tables.get("codebook")
    if codebook is not None and "valid_from" in codebook:
        starts = valid_dates(codebook["valid_from"]).dropna()
        later = starts[starts > starts.min()]
        if len(later):
            return pd.Timestamp(later.mode().iloc[0])
    return pd.Timestamp(config["policy_date"])


def quarters_on_benefit(tables: dict, end: pd.Timestamp) -> pd.DataFrame:
    """Clients on benefit at the start of each quarter."""
    spans = spells(tables, end)
    if spans.empty:
        return pd.DataFrame(columns=["quarter", "client_id"])
    quarters = pd.period_range(spans["start"].min(), end, freq="Q")
    starts = quarters.start_time.to_numpy()
    inside = ((starts[None, :] >= spans["start"].to_numpy()[:, None])
              & (starts[None, :] <= spans["end"].to_numpy()[:, None]))
    spell, quarter = np.nonzero(inside)
    return pd.DataFrame({"quarter": quarters[quarter], "client_id": spans["client_id"].to_numpy()[spell]}
                        ).drop_duplicates()


def comparison_groups(stock: pd.DataFrame, referrals: pd.DataFrame, columns: list[str],
                      cut: pd.Period, minimum: int) -> int:
    """Groups (levels of each referral column) with at least `minimum` clients on benefit
    both before and after `cut`."""
    referrals = referrals.drop_duplicates("client_id")
    groups = 0
    for name in columns:
        if name not in referrals:
            continue
        labels = dict(zip(referrals["client_id"].astype(str), referrals[name].astype("string")))
        side = stock.assign(group=stock["client_id"].map(labels), after=stock["quarter"] >= cut).dropna()
        counts = side.groupby(["group", "after"])["client_id"].nunique().unstack(fill_value=0)
        groups += int(((counts.get(False, 0) >= minimum) & (counts.get(True, 0) >= minimum)).sum())
    return groups


class DifferenceInDifferences(DeclaredDesign):

    def assess(self, inputs: Inputs) -> DesignRun:
        c, found = self.config, self.findings()
        date = policy_date(inputs.tables, inputs.options, c)
        settings = {"policy_date": date.date().isoformat()}
        if not has_benefits(inputs.tables, found):
            return self.run(found, settings=settings)
        minimum, pre_min, post_min = c["min_group_size"], c["min_pre_periods"], c["min_post_periods"]
        stock = quarters_on_benefit(inputs.tables, inputs.end)
        cut = date.to_period("Q")
        per_quarter = stock.groupby("quarter").size()
        per_quarter = per_quarter[per_quarter >= minimum]
        pre, post = int((per_quarter.index < cut).sum()), int((per_quarter.index >= cut).sum())
        # fewer than 2 quarters before (no trend) or too few after: not feasible; fewer than
        # `pre_min` before: parallel pre-trends can hardly be checked
        periods = "error" if pre < 2 or post < post_min else "warning" if pre < pre_min else "ok"
        found.add("periods", "did.periods", severity=periods, value=float(pre), threshold=float(pre_min),
                  date=date.date().isoformat(), pre=pre, post=post, minimum=minimum,
                  pre_min=pre_min, post_min=post_min)
        groups = comparison_groups(stock, inputs.tables["referrals"], c["groups"], cut, minimum)
        found.add("groups", "did.groups", severity="ok" if groups >= c["min_groups"] else "error",
                  value=float(groups), threshold=float(c["min_groups"]), groups=groups, minimum=minimum)
        found.add("assumptions", "did.assumptions")
        if not inputs.outcome_present:
            found.add("monthly_work_missing", "design.monthly_work_missing")
        found.add("affected_group", "did.affected_group")
        return self.run(found, settings=settings)
