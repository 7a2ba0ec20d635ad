"""The population and data-dialogue pages (Streamlit AppTest)."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def test_population_page_on_a_small_demo(monkeypatch):
    import demo
    at = AppTest.from_file("../app_pages/population_page.py", default_timeout=120)
    at.session_state["extract_tables"] = demo.generate(n_clients=800, seed=3).tables
    at.session_state["extract_source"] = "test"
    at.run()
    assert not at.exception
    assert at.session_state["population_result"].n_clients == 800
    assert any("samenhang" in m.value.lower() for m in at.info)
    assert len(at.dataframe) >= 4
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception and at.title[0].value.startswith("Population")


def test_dialogue_page_walks_the_steps_and_records():
    at = AppTest.from_file("../app_pages/dialogue_page.py", default_timeout=60).run()
    assert not at.exception
    for step in range(1, 7):
        at.radio(key="dialogue_step_w").set_value(step).run()
        assert not at.exception
    at.text_input[0].input("Cliëntenraad Noord")
    at.multiselect[1].set_value(["automation"])
    at.text_area[0].input("Geen automatische doorverwijzing")
    at.button[0].click().run()
    assert not at.exception
    record = at.session_state["dialogue_record"]
    assert record["group"] == "Cliëntenraad Noord" and record["concerns"] == ["automation"]
    assert any("Cliëntenraad Noord" in m.value for m in at.markdown)
