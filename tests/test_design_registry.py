"""Designs declared once: a discontinuity at another age is configuration only."""
from __future__ import annotations

import pandas as pd
import pytest
import yaml
from scipy.stats import norm

import core  # noqa: F401
from design_feasibility import Options, analyse, registry

# "RD at age 27" on birth_date for all clients: YAML only, no code.
AGE_27 = yaml.safe_load("""
rd_age_27:
  kind: age_discontinuity
  label: {nl: "Cliënt wordt 27", en: "Client turns 27"}
  date_column: birth_date
  age_years: 27
  window_months: 12
  min_crossings: 3
  population: {label: {nl: "cliënten", en: "clients"}}
  event: {nl: "wordt de cliënt 27", en: "the client turns 27"}
""")

# Observed from 2015-01-01 (first spell) to 2020-12-31 (last end): a crossing is a 27th
# birthday on benefit in [2016-01-01, 2019-12-31]; "late" ones fall in 2020.
CLIENTS = pd.DataFrame({
    "client_id": ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"],
    "birth_date": pd.to_datetime(["1990-06-01",   # 27 on 2017-06-01, on benefit: crossing
                                  "1991-03-15",   # 2018-03-15, on benefit: crossing
                                  "1989-01-01",   # 2016-01-01, before the spell: no
                                  "1993-06-01",   # 2020-06-01, on benefit, last 12 months: late
                                  "1988-07-01",   # 2015-07-01, on benefit, too early for the window: no
                                  "1992-02-01",   # 2019-02-01, in the second spell: crossing
                                  None,           # unknown: no
                                  "1970-01-01"]),  # 1997: no
})
BENEFITS = pd.DataFrame({
    "client_id": ["c1", "c2", "c3", "c4", "c5", "c6", "c6", "c7", "c8"],
    "start_date": pd.to_datetime(["2015-01-01", "2017-01-01", "2016-06-01", "2019-01-01", "2015-01-01",
                                  "2015-03-01", "2018-05-01", "2016-01-01", "2016-01-01"]),
    "end_date": pd.to_datetime(["2020-12-31", "2018-12-31", "2019-01-01", "2020-12-31", "2016-12-31",
                                "2016-01-01", "2020-01-01", "2017-01-01", "2017-01-01"]),
})
REFERRALS = pd.DataFrame({
    "client_id": CLIENTS["client_id"], "caseworker_id": ["w1", "w1", "w2", "w2", "w3", "w3", "w1", "w2"],
    "department": ["Matching", "Prematching", "Activering", "Matching", "Prematching", "Matching",
                   "Activering", "Prematching"],
    "referral_date": pd.to_datetime(["2016-03-01"] * 8),
})
TABLES = {"clients": CLIENTS, "benefits": BENEFITS, "referrals": REFERRALS}


def test_registry_is_the_yaml_designs_in_order():
    names = [d.name for d in registry.declared()]
    assert names == ["caseworker_preference", "child_turns_5", "difference_in_differences"]
    assert {type(d) for d in registry.declared()} <= set(registry.KINDS.values())


def test_a_discontinuity_at_age_27_from_configuration_only():
    designs = registry.declared() + registry.build(AGE_27)
    result = analyse(TABLES, Options(target_effect=0.10), designs)
    assert [d.design for d in result.designs][-1] == "rd_age_27"
    crossings = result.finding("rd_age_27.crossings")
    assert crossings.value == 3 and crossings.params["late"] == 1 and crossings.params["population_count"] == 8
    assert crossings.severity == "ok"
    # the exact counts stay in the values; the texts never show a count of people under 10
    assert "<10 clients; for <10 the client turns 27 while on benefit" in crossings.message("en")
    assert "<10 cliënten; bij <10 wordt de cliënt 27" in crossings.message("nl")
    power = result.finding("rd_age_27.power")
    z = norm.ppf(0.975) + norm.ppf(0.80)
    assert power.value == pytest.approx(z * (2 * 0.2 * 0.8 / 3) ** 0.5)     # two groups of 3, p = 0.2
    assert power.severity == "warning"                                       # far above the 10% target
    rd = result.design("rd_age_27")
    assert rd.verdict == "feasible_with_caveats" and rd.label["en"] == "Client turns 27"
    assert "rd_age_27.monthly_work_missing" in rd.findings                    # no outcomes table
    # 8 clients: the caseworker design cannot be estimated, and says so instead of failing
    assert result.design("caseworker_preference").verdict == "not_feasible"
    assert result.verdict == "feasible_with_caveats"                          # the best design's


def test_too_few_crossings_block_the_age_design():
    stricter = {"rd_age_27": {**AGE_27["rd_age_27"], "min_crossings": 4}}
    result = analyse(TABLES, designs=registry.build(stricter))
    crossings = result.finding("rd_age_27.crossings")
    assert crossings.severity == "error" and result.verdict == "not_feasible"
    assert "at least 4 needed" in crossings.message("en")


def test_a_design_that_fails_is_a_finding_and_the_others_go_on(caplog):
    from design_feasibility.protocol import DeclaredDesign

    class Broken(DeclaredDesign):
        def assess(self, inputs):
            raise ZeroDivisionError("K0000001 612670648")      # a message that quotes cells

    designs = registry.build(AGE_27) + (Broken("broken", {"label": {"nl": "Kapot", "en": "Broken"}}),)
    result = analyse(TABLES, designs=designs)
    assert result.design("broken").verdict == "not_feasible"
    assert "ZeroDivisionError" in result.finding("broken.failed").message("en")
    assert result.finding("rd_age_27.crossings").value == 3                 # the other design ran
    assert "612670648" not in caplog.text and "K0000001" not in caplog.text
