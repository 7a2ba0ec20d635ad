"""The step-4 page on the demo municipality and on a tiny one (Streamlit AppTest)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from demo import generate
from design_feasibility import DesignResult


def test_design_page_on_the_demo():
    at = AppTest.from_file("../app_pages/design.py", default_timeout=180).run()
    assert not at.exception
    result = at.session_state["design_result"]
    assert isinstance(result, DesignResult)
    verdicts = [m.value for m in list(at.success) + list(at.warning) + list(at.error)]
    assert sum("Voorkeur van de werkconsulent" in v for v in verdicts) == 1
    assert len(verdicts) == 3
    assert len(at.dataframe) >= 4           # diagnostics, estimates, checks per arm, balance per characteristic
    assert len(at.get("vega_lite_chart")) == 3         # preferences, grey area, outcome per caseworker
    text = " ".join(m.value for m in at.markdown)
    assert "leerplicht" in text                        # a finding of the child design, in Dutch
    assert "omgekeerde" in text                        # the exclusion test's blind spot, explained
    arms = next(d.value for d in at.dataframe if "Anderson-Rubin 95%" in d.value.columns and "UJIVE" in d.value.columns)
    assert list(arms["Afdeling"]) == [e.department for e in result.estimates if e.method == "iv"]


def test_design_page_on_thirty_clients_explains_what_it_would_take():
    at = AppTest.from_file("../app_pages/design.py", default_timeout=120)
    at.session_state["extract_tables"] = generate(n_clients=30).tables
    at.session_state["extract_source"] = "klein.csv"
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    errors = [m.value for m in at.error]
    assert any("Caseworker preference (IV)" in e and "Not feasible" in e for e in errors)
    text = " ".join(m.value for m in at.markdown)
    assert "regional partnership" in text and len(at.get("vega_lite_chart")) == 0
