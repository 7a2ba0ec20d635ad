"""Address key and predicted link rate (routes, bands, clients at risk)."""
import pandas as pd
import pytest

from core.canonical import conform
from linkage_readiness import address_key, bsn, link_rate


def test_postcode_forms():
    forms = address_key.postcode_form(pd.Series(["3011AB", "3011 ab", "3011", "3011SA", "0123AB", "AB3011", None]))
    assert forms.tolist() == ["pc6", "pc6", "pc4", "invalid", "invalid", "invalid", "missing"]


def _extract():
    clients = conform(pd.DataFrame({
        "client_id": ["K1", "K2", "K3", "K4", "K5"],
        "bsn": ["111222333", None, "000000000", "123456789", None],
        "sex": ["M", "V", "V", "M", "X"],
        "birth_date": ["1980-01-01", "1975-03-03", "1975-03-03", "1990-02-02", "1985-01-01"],
        "postcode": ["3011AB", "3012CD", "3012CD", "3013", "3014EF"],
        "house_number": ["1", "12", "12", "7", "3"],
    }), "clients")
    benefits = conform(pd.DataFrame({"client_id": ["K1", "K2", "K3", "K4"],
                                     "start_date": ["2015-01-05"] * 4}), "benefits")
    return clients, benefits


def test_key_completeness_and_uniqueness():
    clients, benefits = _extract()
    check = address_key.check(clients, benefits)
    found = {f.id: f.count for f in check.findings}
    # K5: sex 'X' unknown and no benefit (no reference date); K4 has PC4 only;
    # K2 and K3 share sex, birth date, postcode and house number.
    assert found == {"address_key.incomplete": 1, "address_key.pc4_only": 1, "address_key.not_unique": 2}
    shares = {row["element"]: row["share"] for row in check.completeness()}
    assert shares == {"sex": 0.8, "birth_date": 1.0, "postcode": 1.0, "house_number": 1.0, "reference_date": 0.8}


def test_routes_and_predicted_rate():
    clients, benefits = _extract()
    per = link_rate.routes(bsn.check(clients).per_client, address_key.check(clients, benefits).per_client)
    assert per["route"].tolist() == ["bsn", "none", "none", "address_pc4", "none"]
    assert per["reason"].tolist() == [None, "bsn_missing", "bsn_sentinel", "bsn_invalid_checksum", "bsn_missing"]
    rate = link_rate.predict(per)
    assert rate.value == pytest.approx((0.999 + 0.80) / 5)
    assert rate.low == pytest.approx((0.995 + 0.60) / 5)
    assert rate.high == pytest.approx((1.0 + 0.95) / 5)
    assert rate.route == "none"
    assert all(row["clients"] is None for row in rate.by_route)       # every route is a small group
    assert "for <10 clients" in rate.basis["en"] and "small group" in rate.basis["en"]     # 5: not shown
    assert {row["source"] for row in rate.by_route} == {"cbs", "assumption"}


def test_large_extract_rate_and_at_risk_table():
    per = pd.DataFrame({"client_id": [f"K{i}" for i in range(1000)],
                        "reason": [None] * 950 + ["bsn_missing"] * 40 + ["bsn_sentinel"] * 10,
                        "fallback": ["none"] * 950 + ["address_pc6"] * 30 + ["none"] * 10 + ["address_pc6"] * 7
                                    + ["address_pc4"] * 3})
    per["route"] = per["fallback"].where(per["reason"].notna(), "bsn")
    rate = link_rate.predict(per)
    assert rate.value == pytest.approx((950 * 0.999 + 37 * 0.97 + 3 * 0.80) / 1000)
    assert rate.route == "bsn"
    clients = {row["route"]: row["clients"] for row in rate.by_route}
    assert clients["bsn"] == 950 and clients["address_pc4"] is None    # 3 clients: withheld
    rows = {row["reason"]: row for row in link_rate.at_risk(per)}
    assert rows["bsn_missing"]["total"] == 40 and rows["bsn_sentinel"]["total"] == 10
    # 7 and 3 are small; with only two rows, protecting them hides cells of the other row too
    assert rows["bsn_sentinel"]["address_pc6"] is None and rows["bsn_sentinel"]["address_pc4"] is None
    assert rows["bsn_missing"]["address_pc6"] is None
    for fallback in link_rate.FALLBACKS:
        hidden = sum(row[fallback] is None for row in rows.values())
        assert hidden != 1
        assert all(row[fallback] in (None, 0) or row[fallback] >= 10 for row in rows.values())


def test_demo_link_rate(demo):
    clients = demo.tables["clients"]
    checked = bsn.check(clients)
    per = link_rate.routes(checked.per_client, address_key.check(clients, demo.tables["benefits"]).per_client)
    off_route = sum(v["count"] for k, v in demo.manifest["defects"].items()
                    if k in ("bsn.invalid_checksum", "bsn.sentinel"))
    assert (per["route"] != "bsn").sum() == off_route
    assert link_rate.predict(per).value > 0.99


def test_house_number_suffix_tells_neighbours_apart():
    clients = conform(pd.DataFrame({
        "client_id": ["K1", "K2", "K3"], "sex": ["M", "M", "M"], "birth_date": ["1980-01-01"] * 3,
        "postcode": ["3011AB"] * 3, "house_number": ["5", "5", "5"], "house_number_suffix": ["A", "B", "B"],
    }), "clients")
    benefits = conform(pd.DataFrame({"client_id": ["K1", "K2", "K3"], "start_date": ["2015-01-05"] * 3}), "benefits")
    assert address_key.check(clients, benefits).per_client["unique"].tolist() == [True, False, False]


def test_the_expectation_writes_the_number_of_clients_per_language():
    """6,000 clients: '6.000' in Dutch, '6,000' in English (the one renderer, core.texts)."""
    from linkage_readiness.resources import data
    rows = [{"share": 0.93, "label": {"nl": "BSN", "en": "BSN"}}]
    basis = link_rate._basis(data("link_rate"), 6000, rows)
    assert "voor 6.000 cliënten: 93,0% BSN" in basis["nl"] and "for 6,000 clients: 93.0% BSN" in basis["en"]
