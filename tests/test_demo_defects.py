"""Planted defects: the manifest counts equal what the documented rules find; clean means clean.

The rules are re-implemented here from docs/architecture.md (not imported from demo), so the
test checks the generator against the contract.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from core.canonical import SENTINEL_DATES

TOLERANCE_DAYS = pd.Timedelta(days=90)
WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])


def passes_eleven_test(digits: str) -> bool:
    return len(digits) == 9 and digits.isdigit() and int(np.dot(WEIGHTS, [int(d) for d in digits])) % 11 == 0


def bsn_flags(bsn: pd.Series) -> pd.DataFrame:
    digits = bsn.fillna("").map(lambda v: re.sub(r"[\s.\-]", "", v))
    padded = digits.str.len() == 8
    full = digits.where(~padded, "0" + digits)
    sentinel = full == "000000000"
    valid = full.map(passes_eleven_test) & ~sentinel
    return pd.DataFrame({
        "bsn.sentinel": sentinel,
        "bsn.invalid_checksum": (digits.str.len() == 9) & ~valid & ~sentinel,
        "bsn.padded": padded & valid,
    })


def intervention_flags(t: dict, extract_date: pd.Timestamp) -> pd.DataFrame:
    rows = t["interventions"]
    start, end = rows["start_date"], rows["end_date"]
    start_sentinel, end_sentinel = start.isin(SENTINEL_DATES), end.isin(SENTINEL_DATES)
    future = (start > extract_date) & ~start_sentinel
    benefits = t["benefits"].assign(upper=lambda b: b["end_date"].fillna(extract_date) + TOLERANCE_DAYS,
                                    lower=lambda b: b["start_date"] - TOLERANCE_DAYS)
    pairs = rows[["client_id", "start_date"]].reset_index().merge(benefits, on="client_id", how="left")
    inside = pairs["start_date_x"].between(pairs["lower"], pairs["upper"]).groupby(pairs["index"]).any()
    outside = ~inside.reindex(rows.index, fill_value=False) & ~future & ~start_sentinel & start.notna()
    return pd.DataFrame({
        "date.end_before_start": start.notna() & end.notna() & ~start_sentinel & ~end_sentinel & (end < start),
        "date.sentinel": start_sentinel | end_sentinel,
        "date.future": future,
        "date.outside_benefit": outside,
        "duplicate.row": rows.duplicated(),
        "coding.unknown_code": rows["intervention_code"].notna()
        & ~rows["intervention_code"].isin(t["codebook"]["intervention_code"]),
    })


def missing_caseworker(referrals: pd.DataFrame) -> pd.Series:
    return referrals["caseworker_id"].isna() | (referrals["caseworker_id"].str.strip() == "")


def all_flags(extract) -> dict[str, pd.DataFrame]:
    t = extract.tables
    extract_date = pd.Timestamp(extract.manifest["extract_date"])
    return {"interventions": intervention_flags(t, extract_date),
            "clients": bsn_flags(t["clients"]["bsn"]),
            "referrals": missing_caseworker(t["referrals"]).to_frame("referral.missing_caseworker")}


CONTRACT = {
    "date.end_before_start": ("interventions", "end_date"),
    "date.sentinel": ("interventions", "end_date"),
    "date.future": ("interventions", "start_date"),
    "date.outside_benefit": ("interventions", "start_date"),
    "duplicate.row": ("interventions", None),
    "coding.unknown_code": ("interventions", "intervention_code"),
    "referral.missing_caseworker": ("referrals", "caseworker_id"),
    "bsn.invalid_checksum": ("clients", "bsn"),
    "bsn.sentinel": ("clients", "bsn"),
    "bsn.padded": ("clients", "bsn"),
}


@pytest.fixture(scope="module")
def flags(demo):
    return all_flags(demo)


def test_manifest_lists_exactly_the_contract_defects(demo):
    defects = demo.manifest["defects"]
    assert set(defects) == set(CONTRACT)
    for fid, (table, column) in CONTRACT.items():
        assert (defects[fid]["table"], defects[fid]["column"]) == (table, column), fid
        assert defects[fid]["count"] >= 5, fid
    assert demo.manifest["bsn_defects"] == {fid: defects[fid]["count"] for fid in CONTRACT if fid.startswith("bsn.")}


@pytest.mark.parametrize("fid", list(CONTRACT))
def test_manifest_count_equals_rows_found_by_the_rule(demo, flags, fid):
    table = CONTRACT[fid][0]
    assert int(flags[table][fid].sum()) == demo.manifest["defects"][fid]["count"]


@pytest.mark.parametrize("table", ["interventions", "clients"])
def test_no_row_carries_two_defects(flags, table):
    # a duplicated row's earlier copy is clean, so the copy carries one defect only
    assert flags[table].sum(axis=1).max() == 1


def test_sentinels_include_both_dates(demo):
    ends = demo.tables["interventions"]["end_date"]
    assert (ends == pd.Timestamp("9999-12-31")).sum() > 0
    assert (ends == pd.Timestamp("1900-01-01")).sum() > 0


def test_clean_extract_has_no_defects(demo_clean):
    assert demo_clean.manifest["defects"] == {}
    assert demo_clean.manifest["bsn_defects"] == {}
    for table, found in all_flags(demo_clean).items():
        assert found.sum().sum() == 0, (table, found.sum()[found.sum() > 0].to_dict())


def test_clean_bsns_valid_nine_digits_and_unique(demo_clean):
    bsn = demo_clean.tables["clients"]["bsn"]
    assert bsn.str.fullmatch(r"\d{9}").all()
    assert bsn.map(passes_eleven_test).all()
    assert bsn.is_unique
    assert (bsn.str[0] == "0").mean() > 0.03      # leading zeros exist and are kept
    assert passes_eleven_test("111222333") and passes_eleven_test("123456782")    # the rule itself
    assert not passes_eleven_test("111222334")


def test_clean_keys_and_identifiers(demo_clean):
    clients = demo_clean.tables["clients"]
    assert clients["client_id"].str.fullmatch(r"K\d{7}").all() and clients["client_id"].is_unique
    assert clients["postcode"].str.fullmatch(r"30[1-8]\d[A-Z]{2}").all()
    assert clients["house_number"].str.fullmatch(r"[1-9]\d*").all()
    assert clients["house_number_suffix"].isna().mean() > 0.8
    for name, table in demo_clean.tables.items():
        assert not table.duplicated().any(), name


def test_clean_codes_valid_at_their_start_date(demo_clean):
    t = demo_clean.tables
    rows = t["interventions"].merge(t["codebook"], on="intervention_code", how="left")
    assert rows["label"].notna().all()
    valid = (rows["start_date"] >= rows["valid_from"]) & (rows["valid_to"].isna() | (rows["start_date"] <= rows["valid_to"]))
    assert valid.all()
    assert (rows["intervention_label"] == rows["label"]).all()


def test_clean_dates_follow_the_process(demo_clean):
    t = demo_clean.tables
    extract_date = pd.Timestamp(demo_clean.manifest["extract_date"])
    first = t["benefits"].groupby("client_id")["start_date"].min()
    referrals = t["referrals"].set_index("client_id")
    assert (referrals["intake_date"] >= first.reindex(referrals.index) + pd.Timedelta(days=28)).all()
    assert (referrals["referral_date"] >= referrals["intake_date"]).all()
    # one benefit at a time: the next period starts after the previous one ended
    b = t["benefits"].sort_values(["client_id", "start_date"])
    previous_end = b.groupby("client_id")["end_date"].shift()
    follows = b["client_id"].duplicated()
    assert (b.loc[follows, "start_date"] > previous_end[follows]).all()
    # interventions start within a benefit period, after the referral
    rows = t["interventions"].merge(b, on="client_id", suffixes=("", "_b"))
    within = (rows["start_date"] >= rows["start_date_b"]) & (rows["start_date"] <= rows["end_date_b"].fillna(extract_date))
    assert within.groupby([rows["client_id"], rows["intervention_code"], rows["start_date"]]).any().all()
    start = t["interventions"].merge(referrals["referral_date"].reset_index(), on="client_id")
    assert (start["start_date"] >= start["referral_date"]).all()
    assert (t["interventions"]["end_date"].dropna() <= extract_date).all()


def test_interventions_span_the_years_and_the_coding_change(demo_clean):
    t, change = demo_clean.tables, demo_clean.manifest["coding_change"]
    rows, book = t["interventions"], t["codebook"].set_index("intervention_code")
    date = pd.Timestamp(change["date"])
    assert set(rows["start_date"].dt.year) == {2015, 2016, 2017, 2018}
    for code in change["retired"]:
        assert book.loc[code, "valid_to"] == date - pd.Timedelta(days=1)
        assert (rows.loc[rows["intervention_code"] == code, "start_date"] < date).all()
    for code in change["introduced"]:
        assert book.loc[code, "valid_from"] == date
        assert (rows["intervention_code"] == code).sum() > 50
    assert 0.005 < (rows["intervention_code"] == "OVR").mean() < 0.05
    assert "Cliëntondersteuning" in set(book["label"]) and "Training, coaching en begeleiding" in set(book["label"])
    assert rows.groupby("client_id").size().mean() == pytest.approx(4.0, abs=0.5)


def test_single_parents_whose_youngest_child_turns_five(demo_clean):
    clients = demo_clean.tables["clients"]
    single_parents = clients[clients["household_type"] == "alleenstaande_ouder"]
    fifth = single_parents["youngest_child_birth_date"] + pd.DateOffset(years=5)
    assert fifth.between(pd.Timestamp("2015-01-01"), pd.Timestamp("2018-12-31")).sum() > 400
    assert (clients["n_children"] > 0).eq(clients["youngest_child_birth_date"].notna()).all()


def test_clean_extract_is_the_same_municipality(demo, demo_clean):
    """Switching defects off changes only the planted rows."""
    bsn, clean_bsn = demo.tables["clients"]["bsn"], demo_clean.tables["clients"]["bsn"]
    assert (bsn != clean_bsn).sum() == sum(demo.manifest["bsn_defects"].values())
    pd.testing.assert_frame_equal(demo.tables["clients"].drop(columns="bsn"), demo_clean.tables["clients"].drop(columns="bsn"))
    referrals, clean = demo.tables["referrals"], demo_clean.tables["referrals"]
    assert referrals["caseworker_id"].isna().sum() == demo.manifest["defects"]["referral.missing_caseworker"]["count"]
    pd.testing.assert_frame_equal(referrals.drop(columns="caseworker_id"), clean.drop(columns="caseworker_id"))
    for name in ("benefits", "outcomes", "codebook"):
        pd.testing.assert_frame_equal(demo.tables[name], demo_clean.tables[name])
    extra = len(demo.tables["interventions"]) - len(demo_clean.tables["interventions"])
    assert extra == demo.manifest["defects"]["duplicate.row"]["count"]
