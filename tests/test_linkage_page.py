"""The linkage page: draws without errors, never shows a full BSN, checklist drives the verdict."""
import pytest
from streamlit.testing.v1 import AppTest

from core.findings import catalogue

from tests.test_linkage_cli import full_bsns
from tests.test_linkage_plan import MATURITY

PAGE = "../app_pages/linkage.py"


def rendered_text(at: AppTest) -> str:
    """All text the page put on screen: every element's content, tables in full."""
    parts = []

    def walk(node):
        if getattr(node, "type", None) == "dataframe":
            parts.append(node.value.to_csv())
        elif getattr(node, "proto", None) is not None:
            parts.append(str(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def page():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    return at


def test_page_draws_verdict_charts_and_tables(page):
    assert not page.exception
    result = page.session_state["linkage_result"]
    assert result.verdict == "not_ready"
    assert page.error[0].value == "Nog niet klaar"
    assert len(page.get("vega_lite_chart")) == 2
    assert len(page.dataframe) == 3                                    # at risk, findings, plan
    text = rendered_text(page)
    assert catalogue()["bsn.invalid_checksum"]["title"]["nl"] in text and "WANBZVWTAB" in text
    assert "bsn.invalid_checksum" not in text                          # titles on the page, not ids
    findings = page.dataframe[1].value
    assert set(findings["Ernst"]) == {"fout", "waarschuwing", "informatie"}     # severities in Dutch


def test_no_full_bsn_on_the_page(page, demo):
    text = rendered_text(page)
    numbers = full_bsns(demo)
    assert [n for n in numbers if n in text] == []
    assert "******" in text                                            # masked examples are shown


def test_ticking_the_blocking_items_changes_the_verdict(page):
    page.checkbox(key="linkage_done_authorised_institution").check().run()
    page.checkbox(key="linkage_done_legal_basis_delivery").check().run()
    page.text_input(key="linkage_note_legal_basis_delivery").input("FG-advies 2025").run()
    result = page.session_state["linkage_result"]
    assert result.verdict == "ready_with_actions"
    item = next(i for i in result.checklist if i.id == "legal_basis_delivery")
    assert item.done and item.note == "FG-advies 2025"


def test_research_questions_change_the_plan(page):
    page.multiselect(key="linkage_outcomes").set_value(["household"]).run()
    page.multiselect(key="linkage_covariates").set_value(["education"]).run()
    files = [f.id for f in page.session_state["linkage_result"].microdata_plan.files]
    assert files == ["GBAHUISHOUDENSBUS", "HOOGSTEOPLTAB"]


def test_checklist_prefilled_from_maturity_result():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["maturity_result"] = MATURITY
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.checkbox(key="linkage_done_legal_basis_delivery").value is True
    assert at.checkbox(key="linkage_done_dpia").value is False
    assert at.title[0].value == "3. Linkage with CBS microdata"


def test_unmapped_upload_columns_are_checked_by_name(demo_dir, tmp_path):
    from quality_checks import load_extract
    folder = tmp_path / "upload"
    folder.mkdir()
    for file in demo_dir.glob("*.csv"):
        (folder / file.name).write_bytes(file.read_bytes())
    clients = next(folder.glob("clients*.csv"))
    lines = clients.read_text(encoding="utf-8").splitlines()
    clients.write_text("\n".join([lines[0] + ",Achternaam,Telefoonnummer"] +
                                 [line + ",Jansen,0612345678" for line in lines[1:]]) + "\n", encoding="utf-8")
    loaded = load_extract(folder)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["extract_tables"] = loaded.tables
    at.session_state["extract_source"] = "upload"
    at.session_state["quality_loaded"] = loaded
    at.run()
    assert not at.exception
    flagged = {(f.table, f.column) for f in at.session_state["linkage_result"].findings
               if f.id == "minimisation.not_for_cbs"}
    assert flagged == {(f"source:{clients.name}", "Achternaam"), (f"source:{clients.name}", "Telefoonnummer")}
