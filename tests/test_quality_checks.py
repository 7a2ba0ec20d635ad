"""Each check of the data-quality profile on small hand-made extracts with known counts."""
from __future__ import annotations

import pandas as pd
import pytest

import core  # noqa: F401
from core.canonical import conform
from quality_checks.coding_drift import detect_coding_drift
from quality_checks.profile import profile_extract

EXTRACT_DATE = "2018-12-31"


def extract(**overrides) -> dict[str, pd.DataFrame]:
    """Three clean clients; tables given as lists of dicts replace the defaults."""
    tables = {
        "clients": [{"client_id": "K001", "bsn": "111222333", "birth_date": "1980-05-01", "sex": "V"},
                    {"client_id": "K002", "bsn": "123456782", "birth_date": "1990-01-15", "sex": "M"},
                    {"client_id": "K003", "bsn": None, "birth_date": "1970-12-31", "sex": "M"}],
        "benefits": [{"client_id": c, "benefit_type": "bijstand", "start_date": "2015-03-01", "end_date": None}
                     for c in ("K001", "K002", "K003")],
        "referrals": [{"client_id": c, "caseworker_id": "W1", "department": "Matching",
                       "intake_date": "2015-04-15", "referral_date": "2015-04-20"} for c in ("K001", "K002", "K003")],
        "interventions": [{"client_id": c, "intervention_code": "SOL", "intervention_label": "Sollicitatie",
                           "start_date": "2015-06-01", "end_date": "2015-08-01"} for c in ("K001", "K002", "K003")],
        "codebook": [{"intervention_code": "SOL", "label": "Sollicitatie", "valid_from": "2010-01-01"},
                     {"intervention_code": "OUD", "label": "Oude code", "valid_to": "2014-12-31"},
                     {"intervention_code": "OVR", "label": "Overig"}],
    }
    tables.update(overrides)
    return {name: conform(pd.DataFrame(rows), name) for name, rows in tables.items()}


def intervention(client="K001", code="SOL", start="2015-06-01", end="2015-08-01", label="Sollicitatie"):
    return {"client_id": client, "intervention_code": code, "intervention_label": label,
            "start_date": start, "end_date": end}


def run(**overrides):
    return profile_extract(extract(**overrides), extract_date=EXTRACT_DATE)


def counts(report, finding_id, table=None) -> dict:
    return {(f.table, f.column): f.count for f in report.by_id(finding_id, table)}


def test_clean_extract_has_no_errors_or_warnings():
    report = run()
    assert report.summary["error"] == 0 and report.summary["warning"] == 0
    assert [f.id for f in report.findings] == ["bsn.see_linkage"]


def test_date_rules_count_exactly_and_skip_placeholders():
    rows = [intervention(start="2015-06-01", end="2015-05-01"),             # end before start
            intervention(start="2015-06-01", end="1900-01-01"),             # sentinel end, not end<start
            intervention(start="9999-12-31", end=None),                      # sentinel start, not future
            intervention(start="2019-02-01", end=None),                      # future
            intervention(start="2019-03-01", end="2019-01-01"),              # future and end<start
            intervention(start="2014-09-01"),                                # 181 days before benefit
            intervention(start="2014-12-15"),                                # 76 days before: tolerated
            intervention()]
    report = run(interventions=rows)
    assert counts(report, "date.end_before_start") == {("interventions", "end_date"): 2}
    assert counts(report, "date.sentinel") == {("interventions", "end_date"): 1, ("interventions", "start_date"): 1}
    assert counts(report, "date.future") == {("interventions", "start_date"): 2}
    assert counts(report, "date.outside_benefit") == {("interventions", "start_date"): 1}
    finding = report.by_id("date.end_before_start")[0]
    assert finding.share == pytest.approx(2 / 8)
    assert all("K001" not in example for example in finding.examples)   # client ids masked
    assert finding.examples[0].startswith("client_id=K***")


def test_outside_benefit_uses_every_benefit_and_the_extract_date_for_open_ends():
    benefits = [{"client_id": "K001", "start_date": "2013-01-01", "end_date": "2013-06-30"},
                {"client_id": "K001", "start_date": "2015-03-01", "end_date": "2015-12-31"},
                {"client_id": "K002", "start_date": "2015-03-01", "end_date": "9999-12-31"},
                {"client_id": "K003", "start_date": "2015-03-01", "end_date": None}]
    rows = [intervention("K001", start="2013-09-01"),    # 63 days after the first benefit: inside
            intervention("K001", start="2014-06-01"),    # between the two benefits: outside
            intervention("K001", start="2016-05-01"),    # 122 days after the second: outside
            intervention("K002", start="2018-11-01"),    # open end (9999-12-31): inside
            intervention("K003", start="2018-12-01")]    # open end (empty): inside
    report = run(benefits=benefits, interventions=rows)
    assert counts(report, "date.outside_benefit") == {("interventions", "start_date"): 2}


def test_age_intake_and_overlap_rules():
    clients = [{"client_id": "K001", "birth_date": "1998-03-02"},   # 16 at start 2015-03-01
               {"client_id": "K002", "birth_date": "1947-03-01"},   # 68 exactly on the start day
               {"client_id": "K003", "birth_date": "1947-03-02"}]   # still 67
    benefits = [{"client_id": "K001", "start_date": "2015-03-01", "end_date": "2015-10-01"},
                {"client_id": "K001", "start_date": "2015-09-01", "end_date": None},   # overlaps
                {"client_id": "K002", "start_date": "2015-03-01", "end_date": "2015-04-30"},
                {"client_id": "K002", "start_date": "2015-04-30", "end_date": None},   # touches: no overlap
                {"client_id": "K003", "start_date": "2015-03-01", "end_date": None}]
    referrals = [{"client_id": "K001", "caseworker_id": "W1", "department": "Matching", "intake_date": "2015-03-20"},
                 {"client_id": "K002", "caseworker_id": "W1", "department": "Matching", "intake_date": "2015-02-01"},
                 {"client_id": "K003", "caseworker_id": "W1", "department": "Matching", "intake_date": "2015-03-29"}]
    report = run(clients=clients, benefits=benefits, referrals=referrals)
    assert counts(report, "date.age_out_of_range") == {("benefits", "start_date"): 4}   # K001, K002 twice each
    assert counts(report, "date.benefit_overlap") == {("benefits", "start_date"): 1}
    # K001 inside the search period, K002 before any benefit; K003 exactly 28 days after: fine
    assert counts(report, "date.intake_before_search_period") == {("referrals", "intake_date"): 2}


def test_coding_rules():
    rows = [intervention(code="XYZ"), intervention(code="XYZ"), intervention(code="ABC"),   # unknown: 3 rows
            intervention(code=None), intervention(code="  "),                                 # missing: 2
            intervention(code="OUD", start="2015-06-01", label="Oude code"),                  # outside validity
            intervention(code="SOL", label="Sollicitatietraining"),                          # 2nd label
            intervention(code="OVR", label="Overig"), intervention(code="OVR", label="Overig"),
            intervention()]
    report = run(interventions=rows)
    unknown = report.by_id("coding.unknown_code")[0]
    assert unknown.count == 3 and "2 " in unknown.message("en")
    assert counts(report, "coding.missing_code") == {("interventions", "intervention_code"): 2}
    assert counts(report, "coding.outside_validity") == {("interventions", "intervention_code"): 1}
    conflict = report.by_id("coding.label_conflict")[0]
    assert conflict.count == 1 and conflict.examples == ["SOL: Sollicitatie | Sollicitatietraining"]
    catch_all = report.by_id("coding.catch_all_share")[0]
    assert catch_all.count == 2 and catch_all.share == pytest.approx(0.2)


def test_catch_all_share_below_the_limit_is_not_reported():
    rows = [intervention(code="OVR", label="Overig")] + [intervention(start=f"2015-06-{d:02d}") for d in range(1, 12)]
    report = run(interventions=rows)
    assert report.by_id("coding.catch_all_share") == []
    assert report.by_id("coding.unknown_code") == []


def test_no_codebook_is_an_info_and_skips_code_checks():
    tables = extract(interventions=[intervention(code="XYZ")])
    del tables["codebook"]
    report = profile_extract(tables, extract_date=EXTRACT_DATE)
    assert [f.id for f in report.findings if f.id.startswith("coding.")] == ["coding.no_codebook"]


def test_referral_completeness():
    referrals = [{"client_id": "K001", "caseworker_id": None, "department": "Matching"},
                 {"client_id": "K002", "caseworker_id": " ", "department": None},
                 {"client_id": "K003", "caseworker_id": "W2", "department": "Jobhunters"}]
    report = run(referrals=referrals)
    assert counts(report, "referral.missing_caseworker") == {("referrals", "caseworker_id"): 2}
    assert counts(report, "referral.missing_department") == {("referrals", "department"): 1}


def _department_referrals(departments: dict[str, int]) -> list[dict]:
    values = [name for name, n in departments.items() for _ in range(n)]
    return [{"client_id": "K001", "caseworker_id": "W1", "department": v} for v in values]


def test_other_organisations_arms_are_not_unknown_only_values_too_rare_to_be_an_arm():
    # without arms in the mapping: a value of under 1% of the referrals is unknown,
    # whatever the organisation calls its arms; case and spaces do not make another arm
    referrals = _department_referrals({"Werk": 400, "werk ": 20, "Werkfit": 300, "Zorg": 12, "Wrek": 3})
    report = run(referrals=referrals)
    assert counts(report, "referral.unknown_department") == {("referrals", "department"): 3}


def test_a_rare_value_the_mapping_merges_into_an_arm_is_known():
    referrals = _department_referrals({"Traject Werk": 300, "Werkfit": 200, "Werk-fit": 2, "Wrek": 2})
    tables = extract(referrals=referrals)
    unknown = counts(profile_extract(tables, extract_date=EXTRACT_DATE), "referral.unknown_department")
    assert unknown == {("referrals", "department"): 4}          # 2 + 2 of 504 referrals: under 1% each
    mapping = {"arms": {"traject werk": "Werk", "Werk-fit": "Werkfit"}, "reference": "Werkfit"}
    report = profile_extract(tables, extract_date=EXTRACT_DATE, mapping=mapping)
    assert counts(report, "referral.unknown_department") == {("referrals", "department"): 2}   # Wrek


def test_duplicate_rows_count_the_extra_copies():
    rows = [intervention(), intervention(), intervention(), intervention("K002"), intervention("K002", end=None)]
    report = run(interventions=rows)
    assert counts(report, "duplicate.row") == {("interventions", None): 2}


def test_structure_keys_references_and_types():
    clients = [{"client_id": "K001"}, {"client_id": "K001"}, {"client_id": "K002"}, {"client_id": "K003"}]
    rows = [intervention("K009"), intervention("K009"), intervention("K001")]
    report = run(clients=clients, interventions=rows)
    assert counts(report, "key.duplicate_client") == {("clients", "client_id"): 1}
    assert counts(report, "ref.unknown_client") == {("interventions", "client_id"): 2}
    assert report.by_id("ref.unknown_client")[0].examples == ["client_id=K***", "client_id=K***"]

    tables = extract()
    tables["referrals"] = tables["referrals"].drop(columns="caseworker_id")
    tables["benefits"] = tables["benefits"].assign(start_date=tables["benefits"]["start_date"].astype(str))
    del tables["clients"]
    report = profile_extract(tables, extract_date=EXTRACT_DATE)
    assert counts(report, "schema.missing_column") == {("referrals", "caseworker_id"): 0}
    assert counts(report, "schema.type") == {("benefits", "start_date"): 3}
    assert counts(report, "schema.missing_table") == {("clients", None): 0}


def test_covariate_missingness_by_period():
    clients = [{"client_id": f"K{i:03d}", "birth_date": "1980-01-01", "sex": "V",
                "education_level": None if (i < 40 and i % 2) else "midden"} for i in range(80)]
    benefits = [{"client_id": f"K{i:03d}", "start_date": "2015-02-01" if i < 40 else "2016-02-01"} for i in range(80)]
    report = run(clients=clients, benefits=benefits, referrals=[], interventions=[])
    finding = report.by_id("completeness.covariate_missing_by_period")
    assert [(f.table, f.column, f.count) for f in finding] == [("clients", "education_level", 20)]
    assert finding[0].examples[0] == "2015Q1: 50% (40)"
    shares = {(r["column"], r["period"]): r["missing_share"] for r in report.missingness}
    assert shares[("education_level", "2015Q1")] == 0.5 and shares[("education_level", "2016Q1")] == 0.0


def _usage(months: dict[str, dict[str, int]]) -> pd.DataFrame:
    rows = [{"month": pd.Timestamp(m), "code": c, "label": None, "rows": n}
            for m, mix in months.items() for c, n in mix.items()]
    return pd.DataFrame(rows)


def test_drift_dates_a_recoding_to_the_month_and_names_the_codes():
    old = {"A": 100, "B": 60, "C": 40}
    new = {"A": 100, "B2": 30, "B3": 30, "C": 40}
    months = {f"{y}-{m:02d}-01": (old if (y, m) < (2016, 7) else new) for y in (2015, 2016, 2017) for m in range(1, 13)}
    drift = detect_coding_drift(_usage(months), policy_dates=["2016-01-01"])
    assert [(b.month, b.codes_appearing, b.codes_disappearing) for b in drift.boundaries] == \
        [("2016-07", ["B2", "B3"], ["B"])]
    assert drift.boundaries[0].months_from_policy == 6
    assert drift.boundaries[0].size > 0.1
    assert [(e.start, e.end) for e in drift.eras] == [("2015-01", "2016-06"), ("2016-07", "2017-12")]
    spans = {s.code: (s.first_month, s.last_month) for s in drift.code_spans}
    assert spans["B"] == ("2015-01", "2016-06") and spans["B2"] == ("2016-07", "2017-12")


def test_drift_ignores_a_stable_mix_with_noise():
    import numpy as np
    rng = np.random.default_rng(1)
    months = {f"{y}-{m:02d}-01": dict(zip("ABCD", rng.multinomial(300, [0.4, 0.3, 0.2, 0.1])))
              for y in (2015, 2016, 2017) for m in range(1, 13)}
    drift = detect_coding_drift(_usage(months))
    assert drift.boundaries == [] and len(drift.eras) == 1
    assert max(s["size"] for s in drift.shifts) < 0.05


def test_interventions_before_the_18th_birthday():
    # K001 is born on 1980-05-01: 18 on 1998-05-01. K002 (1990-01-15) starts at 25.
    rows = [intervention(start="1998-04-30"), intervention(start="1998-05-01"),
            intervention(start="1990-01-01"), intervention(client="K002"), intervention(client="K404",
                                                                                     start="1990-01-01")]
    report = run(interventions=rows)
    finding = report.by_id("date.intervention_before_adulthood")[0]
    assert (finding.table, finding.column, finding.count, finding.severity) == \
        ("interventions", "start_date", 2, "warning")        # the unknown client K404 has no age
    assert "18" in finding.message("en") and finding.share == 2 / 5
