"""A given extract date reaches every step (issue 12): quality, population and design report the
same date with its basis, through the commands and through the workplan pipeline; the design
takes it as the end of observation."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from demo import generate, write_extract
from design_feasibility import Options, analyse

END = pd.Timestamp("2018-12-31")
OTHER = "2019-06-30"


def _ending_2018() -> dict:
    """The demo two years later, cut at 2018-12-31: referrals run into 2018, so the 12 months
    of follow-up of the last referred clients are not over when the data end."""
    tables = {}
    for name, frame in generate(n_clients=1500, seed=9, defects=False).tables.items():
        frame = frame.copy()
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = frame[column] + pd.DateOffset(years=2)
        tables[name] = frame
    for name, column in (("outcomes", "work_start_date"), ("interventions", "start_date"), ("benefits", "start_date")):
        tables[name] = tables[name][tables[name][column] <= END]
    for name in ("interventions", "benefits"):
        tables[name] = tables[name].assign(end_date=tables[name]["end_date"].where(tables[name]["end_date"] <= END))
    return tables


def _with_stray(tables: dict) -> dict:
    outcomes = tables["outcomes"].copy()
    outcomes.loc[outcomes.index[0], "work_start_date"] = pd.Timestamp("2031-05-01")
    return {**tables, "outcomes": outcomes}


@pytest.fixture(scope="module")
def clean():
    return _ending_2018()


@pytest.fixture(scope="module")
def stray_dir(tmp_path_factory, clean):
    folder = tmp_path_factory.mktemp("ending_2018")
    write_extract(_with_stray(clean), folder, "canonical")    # no manifest: the date is given or inferred
    return folder


def test_the_given_date_ends_observation_and_a_stray_outcome_changes_nothing(clean):
    plain = analyse(clean)                                        # no stray: inferred 2018-12-31
    assert (plain.settings["extract_date"], plain.settings["extract_date_basis"].basis) == ("2018-12-31", "inferred")
    truth = plain.estimate("iv", "Matching").estimate
    given = analyse(_with_stray(clean), Options(extract_date="2018-12-31"))
    assert given.settings["extract_date"] == "2018-12-31"
    assert given.settings["extract_date_basis"].basis == "given"
    assert given.estimate("iv", "Matching").estimate == pytest.approx(truth, abs=1e-12)
    referral = clean["referrals"]["referral_date"]
    # hand count: clients referred less than 12 months before the end are not yet followed up
    assert given.frame.dropped["follow_up_incomplete"] == int((referral + pd.DateOffset(months=12) > END).sum())
    # the date matters: observation taken to end in 2031 counts the cut follow-up as complete
    late = analyse(_with_stray(clean), Options(extract_date="2031-05-01"))
    assert late.frame.dropped["follow_up_incomplete"] == 0
    assert abs(late.estimate("iv", "Matching").estimate - truth) > 0.03


def _run(module: str, folder, out, *extra) -> dict:
    done = subprocess.run([sys.executable, "-m", module, str(folder), "--json", str(out), *extra],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_commands_report_the_same_given_date(stray_dir, tmp_path):
    quality = _run("quality_checks", stray_dir, tmp_path / "q.json", "--extract-date", OTHER)
    design = _run("design_feasibility", stray_dir, tmp_path / "d.json", "--extract-date", OTHER)
    population = _run("population", stray_dir, tmp_path / "p.json", "--extract-date", OTHER, "--types", "2")
    dates = [(quality["extract_date"], quality["extract_date_basis"]["basis"]),
             (design["settings"]["extract_date"], design["settings"]["extract_date_basis"]["basis"]),
             (population["settings"]["extract_date"], population["settings"]["extract_date_basis"]["basis"])]
    assert dates == [(OTHER, "given")] * 3


def test_the_workplan_passes_the_given_date_to_every_step(stray_dir, tmp_path):
    """`python -m workplan --extract DIR --extract-date` (workplan.pipeline): the saved
    assessment and each step's chapter of the PDF state the same given date."""
    saved, pdf = tmp_path / "assessment.json", tmp_path / "plan.pdf"
    done = subprocess.run([sys.executable, "-m", "workplan", "--extract", str(stray_dir), "--extract-date", OTHER,
                           "--save-assessment", str(saved), "--out", str(pdf), "--lang", "en"],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assessment = json.loads(saved.read_text(encoding="utf-8"))
    quality = assessment["quality"]
    assert (quality["extract_date"], quality["extract_date_basis"]["basis"]) == (OTHER, "given")
    for step in ("design", "population"):
        settings = assessment[step]["settings"]
        assert (settings["extract_date"], settings["extract_date_basis"]["basis"]) == (OTHER, "given")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert " ".join(text.split()).count("Extract date 30/06/2019 (given).") == 3   # OTHER; one line per step


def test_build_assessment_hands_one_date_to_every_step(clean):
    """The app's path (workplan.pipeline.build_assessment on tables in memory)."""
    from workplan.pipeline import build_assessment
    assessment = build_assessment(_with_stray(clean), municipality="Test", extract_date=OTHER)
    assert (assessment.quality["extract_date"], assessment.quality["extract_date_basis"]["basis"]) == (OTHER, "given")
    for step in (assessment.design, assessment.population):
        assert (step["settings"]["extract_date"], step["settings"]["extract_date_basis"]["basis"]) == (OTHER, "given")
