"""The step-4 page on the demo municipality (Streamlit AppTest)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from design_feasibility import DesignResult


def test_design_page_on_the_demo():
    at = AppTest.from_file("../app_pages/design.py", default_timeout=180).run()
    assert not at.exception
    result = at.session_state["design_result"]
    assert isinstance(result, DesignResult)
    verdicts = [m.value for m in list(at.success) + list(at.warning) + list(at.error)]
    assert sum("Voorkeur van de werkconsulent" in v for v in verdicts) == 1
    assert len(verdicts) == 3
    assert len(at.dataframe) >= 2                      # diagnostics and estimates
    assert len(at.get("vega_lite_chart")) == 2
    assert any("uitstroom misleidt" in m.value for m in at.markdown)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("4. Research design")
    assert any("raw difference in outflow misleads" in m.value for m in at.markdown)
