"""The workplan page: summary from the session's results, missing steps run on the demo, PDF
and assessment offered for download (built in memory)."""
from __future__ import annotations

import copy

from streamlit.testing.v1 import AppTest

from test_workplan_samples import NOT_READY, READY

PAGE = "../app_pages/workplan_page.py"


def _page(results: dict | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    if results is not None:
        at.session_state["workplan_results"] = copy.deepcopy(results)
    return at.run()


def test_summary_uses_the_session_results_and_makes_a_pdf():
    at = _page({step: READY[step] for step in ("maturity", "quality", "linkage", "design")})
    assert not at.exception
    badges = [m.value for m in at.markdown if "-background[" in m.value]
    assert badges == [":green-background[Groen - klaar]", ":orange-background[Oranje - met acties]",
                      ":green-background[Groen - klaar]", ":green-background[Groen - klaar]"]
    assert at.button(key="workplan_run").disabled
    at.selectbox(key="workplan_pdf_lang").select("en")
    at.multiselect(key="workplan_sections").set_value(["summary", "workplan"])
    at.button(key="workplan_make_pdf").click().run()
    assert not at.exception
    assert at.session_state["workplan_pdf"].startswith(b"%PDF")


def test_other_results_give_other_lights():
    at = _page({step: NOT_READY[step] for step in ("maturity", "quality", "linkage", "design")})
    badges = [m.value for m in at.markdown if "-background[" in m.value]
    assert badges == [":red-background[Rood - nog niet klaar]"] * 4


def test_empty_choices_are_asked_for_in_the_users_language():
    at = _page()
    assert at.multiselect(key="workplan_extra_roles").placeholder == "Kies een of meer"
    at.session_state["lang"] = "en"
    assert at.run().multiselect(key="workplan_extra_roles").placeholder == "Choose one or more"


def test_missing_steps_run_on_the_demo():
    at = _page()
    assert "Nog niet uitgevoerd" in at.info[0].value
    assert all("gray-background" in m.value for m in at.markdown if "-background[" in m.value)
    at.button(key="workplan_run").click().run()
    assert not at.exception
    ran = at.session_state["workplan_results"]
    assert set(ran) == {"maturity", "quality", "linkage", "design"}
    assert any(f["id"] == "bsn.invalid_checksum" and f["count"] == 24 for f in ran["linkage"]["findings"])
    assert not [m for m in at.markdown if "gray-background" in m.value]
    assert not at.info and at.button(key="workplan_run").disabled        # the note on missing steps is gone
