"""The workplan page: summary from the session's results, missing steps run on the demo, PDF
and assessment offered for download (built in memory)."""
from __future__ import annotations

import copy

from streamlit.testing.v1 import AppTest

from workplan.report import build_report
from workplan_fixtures import not_ready, not_ready_dict, ready, ready_dict

PAGE = "../app_pages/workplan_page.py"


def _page(results: dict | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    if results is not None:
        at.session_state["workplan_results"] = copy.deepcopy(results)
    return at.run()


def test_summary_uses_the_session_results_and_makes_a_pdf():
    at = _page({step: ready_dict()[step] for step in ("maturity", "quality", "linkage", "design", "population")})
    assert not at.exception
    badges = [m.value for m in at.markdown if "-background[" in m.value]
    colour = {"green": ":green-background[", "amber": ":orange-background[", "red": ":red-background["}
    assert [b.split("[")[0] + "[" for b in badges] == [colour[l.light] for l in build_report(ready()).lights]
    assert at.button(key="workplan_run").disabled
    at.selectbox(key="workplan_pdf_lang").select("en")
    at.multiselect(key="workplan_sections").set_value(["summary", "workplan"])
    at.button(key="workplan_make_pdf").click().run()
    assert not at.exception
    made = at.session_state["workplan_pdf"]
    assert made[1].startswith(b"%PDF") and made[0][:2] == ("en", ("summary", "workplan"))
    # another language on screen: the English PDF is no longer offered, a note says why
    at.selectbox(key="workplan_pdf_lang").select("nl").run()
    assert any("no longer matches" in c.value or "hoort niet meer" in c.value for c in at.caption)
    assert not [b for b in at.get("download_button") if "pdf" in str(b.proto.label).lower()]


def test_other_results_give_other_lights():
    at = _page({step: not_ready_dict()[step] for step in ("maturity", "quality", "linkage", "design", "population")})
    badges = [m.value for m in at.markdown if "-background[" in m.value]
    assert badges[:3] == [":red-background[Rood - nog niet klaar]"] * 3
    assert len(badges) == len(build_report(not_ready()).lights)


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
    assert set(ran) == {"maturity", "quality", "linkage", "design", "population"}
    assert any(f["id"] == "bsn.invalid_checksum" and f["count"] == 24 for f in ran["linkage"]["findings"])
    assert not [m for m in at.markdown if "gray-background" in m.value]
    assert not at.info and at.button(key="workplan_run").disabled        # the note on missing steps is gone
