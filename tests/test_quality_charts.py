"""The quality charts draw what the report found, with titles in the user's language."""
from __future__ import annotations

import pytest

from quality_checks.charts import code_usage_chart, date_checks_chart, missingness_chart
from quality_checks.profile import profile_extract


@pytest.fixture(scope="module")
def report(demo):
    m = demo.manifest
    return profile_extract(demo.tables, extract_date=m["extract_date"], policy_dates=m["policy_dates"])


def _layer_data(spec: dict, index: int) -> list[dict]:
    return spec["datasets"][spec["layer"][index]["data"]["name"]]


def test_code_usage_marks_the_planted_coding_change_and_the_policy_date(report, demo):
    spec = code_usage_chart(report, "nl").to_dict()
    marks = {(row["marker"], row["date"][:7]) for row in _layer_data(spec, 1)}
    assert marks == {("Nieuwe codering", demo.manifest["coding_change"]["date"][:7]),
                     ("Beleidsdatum", demo.manifest["policy_dates"][0][:7])}
    drawn = [row["rows"] for row in _layer_data(spec, 0)]
    assert min(drawn) >= 10                     # months x codes under the disclosure minimum are not drawn
    assert sum(drawn) == sum(u["rows"] for u in report.drift.usage if u["rows"] is not None)


def test_date_chart_counts_equal_the_findings_and_speaks_the_language(report):
    for lang, table in (("nl", "Tabel"), ("en", "Table")):
        spec = date_checks_chart(report, lang).to_dict()
        bars = {row["id"]: row["count"] for row in spec["datasets"][spec["data"]["name"]]}
        assert bars == {f.id: f.count for f in report.findings if f.id.startswith("date.")}
        assert spec["encoding"]["color"]["title"] == table
        assert {t["title"] for t in spec["encoding"]["tooltip"]} >= {table, {"nl": "Aantal", "en": "Count"}[lang]}


def test_missingness_chart_has_one_cell_per_column_and_quarter(report):
    spec = missingness_chart(report, "en").to_dict()
    cells = spec["datasets"][spec["data"]["name"]]
    assert len(cells) == len(report.missingness)
    assert all(0 <= c["missing_share"] <= 1 for c in cells)
