"""The Streamlit page of step 2 on the demo municipality (AppTest)."""
from __future__ import annotations

import json
import re

from core.findings import catalogue

import pytest
from streamlit.testing.v1 import AppTest

import core  # noqa: F401

PAGE = "../app_pages/quality.py"


@pytest.fixture(scope="module")
def app(demo):
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.run()
    assert not at.exception
    at.button(key="quality_run").click().run()
    assert not at.exception
    return at


def test_demo_profile_shows_scorecard_and_findings(app, demo):
    defects = demo.manifest["defects"]
    report = app.session_state["quality_result"]
    assert [m.value for m in app.metric] == [str(report.summary[s]) for s in ("error", "warning", "info")]
    assert report.summary["error"] >= 6
    assert set(app.dataframe[0].value["Tabel"]) == {"interventies", "verwijzingen", "klanten"}   # not canonical
    findings = app.dataframe[1].value
    assert set(findings["Ernst"]) == {"fout", "waarschuwing"}          # default filter, in Dutch
    row = findings[findings["Bevinding"] == catalogue()["coding.unknown_code"]["title"]["nl"]].iloc[0]
    assert row["Aantal"] == str(defects["coding.unknown_code"]["count"])
    assert "Scorecard" not in [s.value for s in app.subheader] and "Overzicht" in [s.value for s in app.subheader]
    assert "extract_tables" not in app.session_state                   # demo: later steps use the demo


def test_severity_filter_and_english_switch(app):
    app.multiselect(key="quality_severity").set_value(["info"]).run()
    assert list(app.dataframe[1].value["Bevinding"]) == [catalogue()["bsn.see_linkage"]["title"]["nl"]]
    app.session_state["lang"] = "en"
    app.run()
    assert not app.exception
    headers = [s.value for s in app.subheader]
    assert "Scorecard" in headers and "Coding eras" in headers
    findings = app.dataframe[1].value
    assert findings["Severity"].iloc[0] == "information" and "What was found" not in findings   # details below
    assert app.expander[0].label == f"information: {catalogue()['bsn.see_linkage']['title']['en']}"
    assert app.expander[0].markdown[0].value.startswith("**What was found**: The BSN column")


DUTCH_MONTH = re.compile(r"^(jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) \d{4}$")
ENGLISH_MONTH = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$")


def test_dutch_page_writes_numbers_and_months_the_dutch_way(demo):
    """Tables and chart specs on the Dutch page: decimal commas, thousands dots, "jan 2015";
    in English the other way round. References: the planted counts and the demo's row count."""
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.run()
    at.button(key="quality_run").click().run()
    interventions = len(demo.tables["interventions"])
    planted = demo.manifest["defects"]["date.outside_benefit"]["count"]
    for lang, decimal, thousands, month in (("nl", ",", ".", DUTCH_MONTH), ("en", ".", ",", ENGLISH_MONTH)):
        at.session_state["lang"] = lang
        at.run()
        findings, eras = at.dataframe[1].value, at.dataframe[2].value
        share = f"{100 * planted / interventions:.1f}".replace(".", decimal)
        assert share in set(findings.iloc[:, 5])                       # e.g. 0,3 beside "0,3%" in the prose
        assert "None" not in findings.to_string() and "nan" not in findings.to_string()
        assert all(month.match(m) for m in [*eras.iloc[:, 0], *eras.iloc[:, 1]])
        counts = [int(c.replace(thousands, "")) for c in eras.iloc[:, 4]]
        assert any(c >= 1000 for c in counts) and all(re.fullmatch(rf"\d{{1,3}}(\{thousands}\d{{3}})*", c)
                                                       for c in eras.iloc[:, 4])
        for chart in at.get("vega_lite_chart"):
            locale = json.loads(chart.proto.spec)["config"]["locale"]
            assert (locale["number"]["decimal"], locale["number"]["thousands"]) == (decimal, thousands)
            assert month.match(f"{locale['time']['shortMonths'][0]} 2015")
    assert at.get("date_input")[0].proto.format == "DD/MM/YYYY"


def test_downloads_hold_no_identifiers(app, demo):
    report = app.session_state["quality_result"]
    ids = list(demo.tables["clients"]["client_id"].dropna())[:500]
    from core import jsonio
    for payload in (jsonio.dumps(report), jsonio.dumps(report.expectations["suites"])):
        assert not any(i in payload for i in ids)
    assert json.loads(jsonio.dumps(report.expectations["suites"]))[0]["expectations"]


def test_upload_without_files_asks_for_files(demo):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    at.radio(key="quality_source").set_value("upload").run()
    assert not at.exception
    assert at.info and "quality_run" not in [b.key for b in at.button]


def _page_with_uploads():
    """The page with st.file_uploader answering the files of $QUALITY_UPLOAD_DIR (AppTest cannot
    upload files itself)."""
    import os
    from pathlib import Path

    import streamlit as st

    class Upload:
        def __init__(self, path):
            self.name, self.file_id, self._data = path.name, path.name, path.read_bytes()

        def getvalue(self):
            return self._data

    real = st.file_uploader

    def fake(label, *args, key=None, **kwargs):
        if key == "quality_uploads":
            return [Upload(p) for p in sorted(Path(os.environ["QUALITY_UPLOAD_DIR"]).glob("*.csv"))]
        return real(label, *args, key=key, **kwargs)

    st.file_uploader = fake
    try:
        page = Path(os.environ["QUALITY_PAGE"])
        exec(compile(page.read_text(encoding="utf-8"), str(page), "exec"), {"__name__": "__main__"})
    finally:
        st.file_uploader = real


def test_upload_mapping_confirm_and_profile(demo, demo_dir_dutch, monkeypatch):
    from pathlib import Path
    monkeypatch.setenv("QUALITY_UPLOAD_DIR", str(demo_dir_dutch))
    monkeypatch.setenv("QUALITY_PAGE", str(Path(__file__).parents[1] / "app_pages" / "quality.py"))
    at = AppTest.from_function(_page_with_uploads, default_timeout=90)
    at.run()
    at.radio(key="quality_source").set_value("upload").run()
    assert not at.exception
    assert at.selectbox(key="quality_table_trajecten.csv").value == "interventions"
    assert at.selectbox(key="quality_table_klanten.csv").value == "clients"
    next(b for b in at.button if b.label == "Indeling bevestigen en inlezen").click().run()
    assert not at.exception
    tables = at.session_state["extract_tables"]
    assert len(tables["interventions"]) == len(demo.tables["interventions"])
    assert "trajecten.csv" in at.session_state["extract_source"]
    at.button(key="quality_run").click().run()     # the upload's date is inferred: 2018-12-31
    assert not at.exception
    report = at.session_state["quality_result"]
    assert (report.extract_date, report.extract_date_basis.basis) == ("2018-12-31", "inferred")
    assert report.by_id("date.future")[0].count == demo.manifest["defects"]["date.future"]["count"]
    shown = next(d.value for d in at.dataframe if "Bestand of tabel" in d.value)   # the user's own names
    assert "trajecten.csv" in set(shown["Bestand of tabel"]) and "interventions" not in set(shown["Bestand of tabel"])
    assert report.by_id("duplicate.row")[0].count == demo.manifest["defects"]["duplicate.row"]["count"]
    assert report.mapping["files"]["trajecten.csv"] == "interventions"
    rows = len(demo.tables["interventions"])
    dutch = next(m.value for m in at.markdown if "trajecten.csv" in m.value)
    assert f"{rows:,} rijen".replace(",", ".") in dutch                 # how it was read, in Dutch
    at.session_state["lang"] = "en"
    at.run()
    english = next(m.value for m in at.markdown if "trajecten.csv" in m.value)
    assert f"'trajecten.csv' was read as table interventions: {rows:,} rows" in english
