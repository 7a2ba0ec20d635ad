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


def test_design_page_merges_values_into_arms_and_takes_the_chosen_reference():
    at = AppTest.from_file("../app_pages/design.py", default_timeout=180)
    at.session_state["extract_tables"] = generate(n_clients=1500, organisation="four_arms", n_caseworkers=30,
                                                  defects=False).tables
    at.session_state["extract_source"] = "vier.csv"
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.session_state["design_result"].frame.reference == "Werk"          # the largest arm
    zorg = next(w for w in at.text_input if w.label == "arm for 'Zorg'")
    zorg.set_value("Participatie").run()
    reference = at.selectbox(key="design_reference")
    reference.select_index(reference.options.index("Werkfit")).run()
    assert not at.exception
    result = at.session_state["design_result"]
    assert (sorted(result.frame.arms), result.frame.reference) == (["Participatie", "Werk", "Werkfit"], "Werkfit")
    assert {e.department for e in result.estimates} == {"Werk", "Participatie"}
    assert any("vs Werkfit" in h.value for h in at.subheader)


def test_design_page_undoes_a_merge_of_the_mapping_file():
    """The mapping file merges Zorg into Participatie; typing Zorg's own name back undoes it."""
    from types import SimpleNamespace

    from quality_checks.mapping import Mapping
    at = AppTest.from_file("../app_pages/design.py", default_timeout=180)
    at.session_state["extract_tables"] = generate(n_clients=1500, organisation="four_arms", n_caseworkers=30,
                                                  defects=False).tables
    at.session_state["extract_source"] = "vier.csv"
    at.session_state["quality_loaded"] = SimpleNamespace(mapping=Mapping(arms={"Zorg": "Participatie"}))
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert sorted(at.session_state["design_result"].frame.arms) == ["Participatie", "Werk", "Werkfit"]
    zorg = next(w for w in at.text_input if w.label == "arm for 'Zorg'")
    assert zorg.value == "Participatie"
    zorg.set_value("Zorg").run()
    assert not at.exception
    assert sorted(at.session_state["design_result"].frame.arms) == ["Participatie", "Werk", "Werkfit", "Zorg"]
