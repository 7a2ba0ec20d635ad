"""Benefit spells, for the designs that need them (the caseworker design does not)."""
from __future__ import annotations

import pandas as pd

from design_feasibility.design_findings import DesignFindings
from design_feasibility.frame import column, valid_dates


def has_benefits(tables: dict, found: DesignFindings) -> bool:
    """Whether the extract holds benefit spells; if not, the design says so as a finding."""
    if tables.get("benefits") is not None and "start_date" in tables["benefits"]:
        return True
    found.add("benefits_missing", "design.benefits_missing")
    return False


def spells(tables: dict, end: pd.Timestamp) -> pd.DataFrame:
    """client_id, start, end of every benefit spell with a start; an open spell ends at the
    end of the observed data."""
    benefits = tables["benefits"]
    out = pd.DataFrame({"client_id": benefits["client_id"].astype(str),
                        "start": valid_dates(benefits["start_date"]),
                        "end": valid_dates(column(benefits, "end_date", pd.NaT))})
    out["end"] = out["end"].fillna(end)
    return out.dropna(subset=["start"])
