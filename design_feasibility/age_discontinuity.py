"""A discontinuity at an age: clients whose date in `date_column` plus `age_years` (the event)
falls while they are on benefit, with `window_months` of data before and after.

Declared in thresholds.yaml (kind `age_discontinuity`), for example the youngest child turning
5 for single parents, when the exemption from the work obligation ends (seed 001). Settings:
`date_column`, `age_years`, `window_months`, `min_crossings`, `population` (`label`, and
optionally `column` and `values` to keep only some clients), `event` (text), `column_sources`
(text, where the columns come from), `caveats` (catalogue keys of known threats).
"""
from __future__ import annotations

import pandas as pd

from design_feasibility.benefits import has_benefits, spells
from design_feasibility.config import shared_setting
from design_feasibility.frame import valid_dates
from design_feasibility.power import two_group_mde
from design_feasibility.protocol import DeclaredDesign, DesignRun, Inputs


def _members(clients: pd.DataFrame, population: dict) -> pd.DataFrame:
    if "column" not in population:
        return clients
    values = clients[population["column"]].astype("string").str.strip().str.lower()
    return clients[values.isin([str(v).lower() for v in population["values"]])]


class AgeDiscontinuity(DeclaredDesign):

    def assess(self, inputs: Inputs) -> DesignRun:
        c, found, clients = self.config, self.findings(), inputs.tables["clients"]
        population = c["population"]
        texts = {"population": population["label"], "event": c["event"], "age": c["age_years"],
                 "months": c["window_months"]}
        needed = [c["date_column"], *([population["column"]] if "column" in population else [])]
        missing = [name for name in needed if name not in clients or clients[name].isna().all()]
        if missing:
            found.add("no_columns", "rd.no_columns", columns=", ".join(missing),
                      sources=c.get("column_sources", "-"), **texts)
            return self.run(found)
        if not has_benefits(inputs.tables, found):
            return self.run(found)

        members = _members(clients, population)
        end = inputs.end
        window = pd.DateOffset(months=c["window_months"])
        events = pd.DataFrame({"client_id": members["client_id"].astype(str),
                               "event": valid_dates(members[c["date_column"]])
                               + pd.DateOffset(years=c["age_years"])}).dropna()
        spans = spells(inputs.tables, end).merge(events, on="client_id")
        on_benefit = spans[(spans["start"] <= spans["event"]) & (spans["event"] <= spans["end"])]
        start = spans["start"].min() if len(spans) else end
        inside = on_benefit[(on_benefit["event"] - window >= start) & (on_benefit["event"] + window <= end)]
        crossings = int(inside["client_id"].nunique())
        late = int(on_benefit.loc[(on_benefit["event"] > end - window) & (on_benefit["event"] <= end),
                                  "client_id"].nunique())
        minimum = c["min_crossings"]
        enough = crossings >= minimum
        found.add("crossings", "rd.crossings" if enough else "rd.too_few",
                  severity="ok" if enough else "error", value=float(crossings), threshold=float(minimum),
                  population_count=len(members), crossings=crossings, late=late, minimum=minimum, **texts)
        target = inputs.options.target_effect
        mde = two_group_mde(crossings, shared_setting("assumed_outcome_rate"))
        found.add("power", "rd.power", severity="ok" if mde <= target else "warning", value=mde,
                  threshold=target, mde=mde, target=target, **texts)
        for key in c.get("caveats", []):
            found.add(f"caveat.{key.rsplit('.', 1)[-1]}", key)
        if not inputs.outcome_present:
            found.add("monthly_work_missing", "design.monthly_work_missing")
        return self.run(found)
