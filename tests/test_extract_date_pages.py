"""The app: the extract date chosen on the quality page is the date of the design and
population pages too, and the population page compares the arms of the design page (AppTest)."""
from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from core.arms import ArmChoice
from core.extract_date import ExtractDate
from demo import generate

DATE = "2019-03-31"


def test_the_quality_page_keeps_its_date_for_the_later_pages():
    at = AppTest.from_file("../app_pages/quality.py", default_timeout=120)
    at.run()
    at.date_input(key="quality_extract_date_demo").set_value(dt.date.fromisoformat(DATE)).run()
    at.button(key="quality_run").click().run()
    assert not at.exception
    assert at.session_state["quality_result"].extract_date == DATE
    assert at.session_state["chosen"][("extract_date", "demo")] == ExtractDate(DATE, "given")


def test_design_and_population_pages_use_the_chosen_date_and_arms():
    tables = generate(n_clients=800, seed=3, organisation="four_arms").tables
    state = {("extract_date", "test"): ExtractDate(DATE, "given")}
    pages = {}
    for page in ("design.py", "population_page.py"):
        at = AppTest.from_file(f"../app_pages/{page}", default_timeout=120)
        at.session_state["extract_tables"] = tables
        at.session_state["extract_source"] = "test"
        at.session_state["chosen"] = state
        at.run()
        if page == "design.py":       # a reference that is not the default (the largest arm)
            at.selectbox(key="design_reference").set_value("Werkfit").run()
        assert not at.exception
        assert any("Extractdatum 31-03-2019 (opgegeven)" in c.value for c in at.caption)   # DATE, Dutch style
        state = at.session_state["chosen"]          # the next page gets what this one kept
        pages[page] = at
    design = pages["design.py"].session_state["design_result"]
    population = pages["population_page.py"].session_state["population_result"]
    assert design.settings["extract_date"] == population.settings["extract_date"] == DATE
    assert population.feasibility["reference_arm"] == design.frame.reference == "Werkfit"
    assert population.feasibility["reference_basis"] == "given"
    assert sorted(population.feasibility["arms"]) == sorted(a for a in design.frame.arms if a != design.frame.reference)


def test_the_design_page_without_changes_leaves_the_population_options_as_they_were():
    """Visiting the design page without changing its arms keeps the population page's cached
    analysis: the arms the design page passes on are the population page's default
    (common.mapping_arms without a mapping file)."""
    at = AppTest.from_file("../app_pages/design.py", default_timeout=120)
    at.run()
    assert not at.exception
    assert at.session_state["chosen"][("arms", "demo")] == ArmChoice()     # the demo has no mapping file


def test_the_demo_keeps_its_manifest_date_on_every_page():
    """Without a date given on the quality page, the demo's pages all state the date of its
    manifest (31-12-2018), as the quality page does, not one inferred from the data."""
    for page, result in (("quality.py", None), ("design.py", "design_result"), ("population_page.py", "population_result")):
        at = AppTest.from_file(f"../app_pages/{page}", default_timeout=120).run()
        if page == "quality.py":
            at.button(key="quality_run").click().run()
        assert not at.exception
        captions = " ".join(c.value for c in at.caption)
        assert "31-12-2018 (uit manifest.json" in captions and "afgeleid" not in captions, page
        if result:
            assert at.session_state[result].settings["extract_date_basis"] == ExtractDate("2018-12-31", "manifest")
