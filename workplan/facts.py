"""Figures about the extract itself that the workplan's rules need and no step reports:
clients, caseworkers, clients per department and per intervention code. Only counts leave
this module, and counts under the disclosure threshold are suppressed (core.disclosure)."""
from __future__ import annotations

import pandas as pd

from core.disclosure import shown_count, suppress_counts


def _clients_per(table: pd.DataFrame, column: str) -> dict[str, int | None]:
    counts = table.dropna(subset=[column]).groupby(column, observed=True)["client_id"].nunique()
    shown = suppress_counts(counts.astype("int64"))
    return {str(k): (None if pd.isna(v) else int(v)) for k, v in shown.items()}


def extract_facts(tables: dict[str, pd.DataFrame]) -> dict:
    clients, referrals = tables.get("clients"), tables.get("referrals")
    interventions = tables.get("interventions")
    facts: dict = {}
    if clients is not None:
        facts["n_clients"] = shown_count(clients["client_id"].nunique())
    if referrals is not None:
        facts["n_caseworkers"] = shown_count(referrals["caseworker_id"].nunique())
        facts["departments"] = _clients_per(referrals, "department")
    if interventions is not None:
        facts["intervention_clients"] = _clients_per(interventions, "intervention_code")
        facts["n_codes"] = len(facts["intervention_clients"])
    return facts
