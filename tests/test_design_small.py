"""A step that cannot run does not raise: small municipalities, missing tables, blank counts."""
from __future__ import annotations

import pandas as pd
import pytest

import core  # noqa: F401
from core.canonical import DEPARTMENTS
from core.errors import UserInputError
from demo import generate, write_extract
from design_feasibility import analyse
from design_feasibility.frame import UNKNOWN, build_frame
from quality_checks import load_extract


def _usable_counts(tables: dict) -> tuple[int, int]:
    """Clients (first referral) with a caseworker and a known department whose caseworker
    has at least two such clients, and those caseworkers - counted here with pandas."""
    ref = tables["referrals"].sort_values("referral_date", kind="stable").drop_duplicates("client_id")
    worker = ref["caseworker_id"].astype("string").str.strip()
    known = worker.notna() & (worker != "") & ref["department"].astype("string").str.strip().str.lower() \
        .isin([d.lower() for d in DEPARTMENTS])
    ref = ref[known & ref["client_id"].isin(tables["clients"]["client_id"])]
    sizes = ref.groupby("caseworker_id").size()
    return int(sizes[sizes >= 2].sum()), int((sizes >= 2).sum())


def test_thirty_clients_give_a_not_feasible_caseworker_design_with_the_numbers():
    tables = {k: v for k, v in generate(n_clients=30).tables.items() if k in ("clients", "referrals")}
    clients, caseworkers = _usable_counts(tables)
    assert clients < 50
    result = analyse(tables)              # no benefits, interventions or outcomes: no exception
    assert result.design("caseworker_preference").verdict == "not_feasible"
    small = result.finding("caseworker_preference.too_small")
    assert small.severity == "error"
    assert (small.params["clients"], small.params["caseworkers"]) == (clients, caseworkers)
    assert (small.params["min_clients"], small.params["min_caseworkers"]) == (50, 2)
    en, nl = small.message("en") + " " + small.advice("en"), small.message("nl") + " " + small.advice("nl")
    shown = lambda n: str(n) if n == 0 or n >= 10 else "<10"     # the disclosure rule in texts
    assert f"There are {shown(clients)} referred clients" in en and f"with {shown(caseworkers)} caseworkers" in en
    assert "from 50 clients" in en and "several years" in en and "regional partnership" in en
    assert f"Er zijn {shown(clients)} doorverwezen" in nl and "meerdere jaren" in nl and "regionaal" in nl
    for design in ("child_turns_5", "difference_in_differences"):     # they need benefit spells
        assert result.design(design).verdict == "not_feasible"
        assert result.finding(f"{design}.benefits_missing").severity == "error"
    assert result.estimates == [] and result.grey_area == []


def test_a_blank_count_cell_is_unknown_not_a_crash(tmp_path):
    data = generate(n_clients=400)
    clients = data.tables["clients"].astype({"n_children": object})
    planted = clients["client_id"].iloc[0]
    clients.loc[0, "n_children"] = None            # written as an empty cell
    write_extract({**data.tables, "clients": clients}, tmp_path, "canonical")
    tables = load_extract(tmp_path).tables
    assert tables["clients"]["n_children"].isna().sum() == 1
    frame = build_frame(tables)
    rows = frame.data[frame.data["client_id"] == str(planted)]
    assert len(rows) == 1 and rows["children"].iloc[0] == UNKNOWN
    assert (frame.data["children"] == UNKNOWN).sum() == 1
    result = analyse(tables)
    assert result.design("caseworker_preference").verdict in ("feasible", "feasible_with_caveats", "not_feasible")
    assert any(f.id == "caseworker_preference.inference" for f in result.findings)


def test_without_referrals_the_step_cannot_run():
    with pytest.raises(UserInputError) as raised:
        analyse({"clients": pd.DataFrame({"client_id": ["1"]})})
    assert raised.value.code == "missing_table"


def test_referrals_without_a_referral_date_column_are_judged_not_crashed():
    """An export whose referrals have no date column at all (only client, department,
    caseworker): the date column is missing as a whole, and the design is judged, not a crash."""
    from design_feasibility import analyse
    from demo import generate
    tables = generate(n_clients=300, seed=5).tables
    referrals = tables["referrals"].drop(columns=[c for c in ("referral_date", "intake_date")
                                                  if c in tables["referrals"]])
    result = analyse({**tables, "referrals": referrals})
    assert result.frame.analysed == 0 and result.frame.referred == 300
    assert result.design("caseworker_preference").verdict == "not_feasible"
