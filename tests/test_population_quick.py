"""The population page's first step: the quick result without the models shows the same
profile, curves and subgroups as the full analysis, and the page still draws every section."""
from __future__ import annotations

from dataclasses import replace

from streamlit.testing.v1 import AppTest

import demo
from core import jsonio
from population import Options, analyse


def test_quick_result_is_the_full_result_without_the_models():
    tables = demo.generate(n_clients=800, seed=3).tables
    full = analyse(tables, Options())
    quick = analyse(tables, Options(with_cox=False, with_types=False))
    assert quick.cox is None and quick.types is None
    assert full.cox["multivariate"]["rows"] and full.types["types"]
    assert quick.profile == full.profile and quick.survival == full.survival
    assert quick.feasibility == full.feasibility


def test_the_models_added_to_the_quick_result_give_the_full_result():
    tables = demo.generate(n_clients=800, seed=3).tables
    for options in (Options(), Options(n_types=3, min_work_months=1)):
        quick = analyse(tables, replace(options, with_cox=False, with_types=False))
        assert jsonio.dumps(analyse(tables, options, quick=quick)) == jsonio.dumps(analyse(tables, options))


def test_page_draws_the_quick_part_first_then_the_models():
    at = AppTest.from_file("../app_pages/population_page.py", default_timeout=120)
    at.session_state["extract_tables"] = demo.generate(n_clients=800, seed=3).tables
    at.session_state["extract_source"] = "test"
    at.run()
    assert not at.exception
    assert [h.value for h in at.subheader][:4] == ["Profiel van de cliënten", "Kans om te starten met werk",
                                                   "Hazard ratio's (Cox)", "Cliënttypen"]
    assert at.session_state["population_result"].cox is not None
