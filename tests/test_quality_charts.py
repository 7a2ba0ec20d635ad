"""The quality charts draw what the report found, with titles in the user's language."""
from __future__ import annotations

import pandas as pd
import pytest

from core.locales import localised
from quality_checks.charts import MAX_CODES, _top_codes, code_usage_chart, date_checks_chart, missingness_chart
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
    assert marks == {("Gevonden overgang", demo.manifest["coding_change"]["date"][:7]),
                     ("Beleidsdatum", demo.manifest["policy_dates"][0][:7])}
    drawn = [row["rows"] for row in _layer_data(spec, 0)]
    assert min(drawn) >= 10                     # months x codes under the disclosure minimum are not drawn
    assert sum(drawn) == sum(u["rows"] for u in report.drift.usage if u["rows"] is not None)


def test_date_chart_counts_equal_the_findings_and_speaks_the_language(report, demo):
    for lang, table in (("nl", "Tabel"), ("en", "Table")):
        spec = date_checks_chart(report, lang).to_dict()
        bars = {row["id"]: row["count"] for row in spec["datasets"][spec["data"]["name"]]}
        planted = {f.title(lang): demo.manifest["defects"][f.id]["count"]
                   for f in report.findings if f.id.startswith("date.")}
        assert bars == planted and not any(bar.startswith("date.") for bar in bars)   # titles, not ids
        assert spec["encoding"]["color"]["title"] == table
        assert {t["title"] for t in spec["encoding"]["tooltip"]} >= {table, {"nl": "Aantal", "en": "Count"}[lang]}


def test_missingness_chart_has_one_cell_per_column_and_quarter(report):
    spec = missingness_chart(report, "en").to_dict()
    cells = spec["datasets"][spec["data"]["name"]]
    assert len(cells) == len(report.missingness)
    assert all(0 <= c["missing_share"] <= 1 for c in cells)


def test_coding_change_is_red_and_policy_date_grey_as_the_caption_says(report, demo):
    spec = code_usage_chart(report, "nl").to_dict()
    stroke = spec["layer"][1]["encoding"]["stroke"]["scale"]
    colours = dict(zip(stroke["domain"], stroke["range"]))
    assert colours == {"Gevonden overgang": "#D62728", "Beleidsdatum": "#7F7F7F"}
    colour = spec["layer"][0]["encoding"]["color"]
    rows = demo.tables["interventions"]
    cells = rows.groupby([rows["start_date"].dt.to_period("M"), rows["intervention_code"]]).size()
    drawn = set(cells[cells >= 10].index.get_level_values(1))       # months x codes of 10 or more
    assert 17 <= len(drawn) <= MAX_CODES + 1
    # every code drawn its own entry of a 20-colour scheme, the legend under the plot without a cut-off
    assert sorted(colour["scale"]["domain"]) == sorted(drawn)
    assert colour["scale"]["scheme"] == "tableau20"
    assert colour["legend"]["orient"] == "bottom" and colour["legend"]["symbolLimit"] == 0


def test_codes_beyond_the_colours_are_one_other_with_their_rows():
    usage = pd.DataFrame({"month": ["2015-01"] * 25, "code": [f"C{i:02d}" for i in range(25)],
                          "rows": list(range(100, 125))})
    merged, codes = _top_codes(usage, "en")
    assert codes[:MAX_CODES] == [f"C{i:02d}" for i in range(124 - 100, 124 - 100 - MAX_CODES, -1)]
    assert codes[-1] == "other" and len(codes) == MAX_CODES + 1
    assert merged.loc[merged["code"] == "other", "rows"].item() == sum(range(100, 106))
    assert merged["rows"].sum() == usage["rows"].sum()


def test_charts_write_numbers_and_months_in_the_language(report):
    dutch = localised(code_usage_chart(report, "nl"), "nl").to_dict()["config"]["locale"]
    english = localised(code_usage_chart(report, "en"), "en").to_dict()["config"]["locale"]
    assert (dutch["number"]["decimal"], dutch["number"]["thousands"]) == (",", ".")
    assert (english["number"]["decimal"], english["number"]["thousands"]) == (".", ",")
    assert dutch["time"]["shortMonths"][:3] == ["jan", "feb", "mrt"]
    assert english["time"]["shortMonths"][0] == "Jan"
