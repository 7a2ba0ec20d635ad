"""BSN checks: known valid and invalid numbers, planted demo defects, people sharing a BSN."""
import pandas as pd
import pytest

from core.canonical import conform
from linkage_readiness import bsn


@pytest.mark.parametrize("value, kind, number", [
    ("111222333", "valid", "111222333"),
    ("123456782", "valid", "123456782"),
    ("000000000", "sentinel", "000000000"),
    ("0000.00.000", "sentinel", "000000000"),
    ("12345672", "padded", "012345672"),        # leading zero lost; 012345672 passes the 11-test
    ("1234.56.782", "valid", "123456782"),
    (" 111 222 333 ", "valid", "111222333"),
    ("111-222-333", "valid", "111222333"),
    ("123456789", "invalid_checksum", "123456789"),
    ("12345678", "invalid_checksum", "012345678"),  # 8 digits, still wrong after padding
    ("12a456789", "malformed", None),
    ("1234567", "malformed", None),
    ("1234567890", "malformed", None),
    ("", "missing", None),
    (None, "missing", None),
])
def test_known_numbers_are_classified(value, kind, number):
    result = bsn.classify(pd.Series([value], dtype=object))
    assert result["kind"].iloc[0] == kind
    assert (pd.isna(result["bsn"].iloc[0]) if number is None else result["bsn"].iloc[0] == number)


def test_planted_demo_defects_are_counted_exactly(demo):
    planted = {k: v["count"] for k, v in demo.manifest["defects"].items() if k.startswith("bsn.")}
    assert set(planted) == {"bsn.invalid_checksum", "bsn.sentinel", "bsn.padded"}
    found = {f.id: f.count for f in bsn.check(demo.tables["clients"]).findings}
    assert found == planted
    assert demo.manifest["bsn_defects"] == planted


def test_clean_demo_has_no_bsn_findings(demo_clean):
    assert bsn.check(demo_clean.tables["clients"]).findings == []


def test_examples_are_masked(demo):
    clients = demo.tables["clients"]
    for finding in bsn.check(clients).findings:
        for example in finding.examples:
            assert example.startswith("******") and len(example) == 9


def _clients(rows):
    return conform(pd.DataFrame(rows, columns=["client_id", "bsn", "sex", "birth_date"]), "clients")


def test_shared_bsn_same_person_is_a_duplicate_only():
    check = bsn.check(_clients([("K1", "111222333", "M", "1980-01-01"), ("K2", "111222333", "M", "1980-01-01"),
                                ("K3", "123456782", "V", "1990-05-05")]))
    found = {f.id: f.count for f in check.findings}
    assert found == {"bsn.duplicate": 2}
    assert check.per_client["shared"].tolist() == [True, True, False]


def test_shared_bsn_with_other_birth_date_is_a_conflict():
    check = bsn.check(_clients([("K1", "111222333", "M", "1980-01-01"), ("K2", "111.222.333", "M", "1981-01-01"),
                                ("K3", "123456782", "V", "1990-05-05"), ("K4", "123456782", "M", "1990-05-05")]))
    found = {f.id: f.count for f in check.findings}
    assert found == {"bsn.duplicate": 4, "bsn.conflicting_person": 4}


def test_client_with_several_bsns():
    check = bsn.check(_clients([("K1", "111222333", "M", "1980-01-01"), ("K1", "123456782", "M", "1980-01-01"),
                                ("K2", "000000000", "V", "1990-05-05"), ("K2", "12345672", "V", "1990-05-05")]))
    found = {f.id: f.count for f in check.findings}
    assert found["bsn.client_with_several"] == 1     # K2's sentinel is no second number
    assert found["bsn.sentinel"] == 1 and found["bsn.padded"] == 1
    assert check.per_client["several"].tolist() == [True, True, False, False]
