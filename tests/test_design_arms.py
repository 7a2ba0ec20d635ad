"""The arms are the organisation's own (issue 12): generated extracts of three organisations
with planted true effects (demo `organisation=`), the reference arm and its rules, merging
values into arms, and the range of 2 to 8 arms. The full Monte Carlo is bench/bench_arms.py."""
from __future__ import annotations

import json
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import core  # noqa: F401
from core.arms import ArmChoice, arm_of, resolve_arms
from core.disclosure import PROTECTED
from core.errors import UserInputError
from core.jsonio import to_plain
from demo import generate, write_extract
from design_feasibility import Options, analyse, registry
from core.cli import arm_choice_of
from design_feasibility.estimates import table_estimates
from design_feasibility.frame import build_frame
from design_feasibility.preferences import estimate_preferences
from quality_checks import Mapping

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (1, 2, 3)
SMALL = {"n_clients": 1500, "n_caseworkers": 30, "defects": False}
CASEWORKER = tuple(d for d in registry.declared() if d.name == "caseworker_preference")


def _estimates(extract, reference: str) -> dict:
    """(method, arm) -> Estimate, on the estimator's own path (frame, preferences, Table 5.3)."""
    frame = build_frame(extract.tables, ArmChoice.of(reference=reference))
    return {(e.method, e.department): e for e in table_estimates(frame, estimate_preferences(frame))}


@pytest.mark.parametrize("organisation", ["rotterdam", "two_arms", "four_arms"])
def test_iv_interval_covers_the_planted_effect_and_the_raw_difference_is_biased_as_built_in(organisation):
    # seeds 1-3, 1,500 clients, 30 caseworkers. Measured: Rotterdam Matching and Activering
    # covered 2 of 3 (seed 2 misses both), the two-arm programme 3 of 3, the four arms 3 of 3
    # each; bench/bench_arms.py (seeds 1-20, 3,000 clients): 18, 19, 18 and 20/20/20 of 20.
    runs = []
    for seed in SEEDS:
        extract = generate(seed=seed, organisation=organisation, **SMALL)
        runs.append((extract.manifest, _estimates(extract, extract.manifest["reference"])))
    manifest = runs[0][0]
    assert len(manifest["arms"]) == {"rotterdam": 3, "two_arms": 2, "four_arms": 4}[organisation]
    for arm, true in manifest["true_effects"].items():
        covered = sum(e[("iv", arm)].ci_low <= true <= e[("iv", arm)].ci_high for _, e in runs)
        assert covered >= 2, (arm, covered)
        assert all(e[("iv", arm)].reference == manifest["reference"] for _, e in runs)
        bias = manifest["selection_bias"][arm]              # raw difference - true effect, as built in
        seen = np.mean([e[("raw", arm)].estimate - true for _, e in runs])
        assert np.sign(seen) == np.sign(bias) and abs(seen - bias) < 0.06, (arm, seen, bias)


def test_the_reference_turns_the_two_arm_comparison_around():
    extract = generate(seed=1, organisation="two_arms", **SMALL)
    against_regular = _estimates(extract, "Regulier")
    against_programme = _estimates(extract, "werkprogramma")        # any case names the arm
    for method in ("raw", "ols", "iv"):
        a, b = against_regular[(method, "Werkprogramma")], against_programme[(method, "Regulier")]
        assert (a.reference, b.reference) == ("Regulier", "Werkprogramma")
        assert a.estimate == pytest.approx(-b.estimate, abs=1e-6)
        assert a.se == pytest.approx(b.se, rel=1e-5)
        assert (a.ci_low, a.ci_high) == pytest.approx((-b.ci_high, -b.ci_low), abs=1e-5)


def test_the_default_reference_and_where_it_comes_from():
    per_client = pd.Series(["Werk"] * 50 + ["Werkfit"] * 80 + ["Zorg"] * 30 + ["Wrek"])
    arms = resolve_arms(per_client, ArmChoice())
    assert (arms.reference, arms.basis, arms.names, arms.rare) == \
        ("Werkfit", "largest", ("Werkfit", "Werk", "Zorg"), ("Wrek",))     # 1 of 161: under 1%
    assert arms.treated == ("Werk", "Zorg")
    rotterdam = resolve_arms(pd.Series(["Matching"] * 50 + ["Activering"] * 60 + ["Prematching"] * 20), ArmChoice())
    assert (rotterdam.reference, rotterdam.basis, rotterdam.treated) == ("Prematching", "rotterdam", ("Matching", "Activering"))
    mapped = resolve_arms(per_client, ArmChoice.of(reference="zorg", basis="mapping"))
    assert (mapped.reference, mapped.basis) == ("Zorg", "mapping")
    with pytest.raises(UserInputError) as error:
        resolve_arms(per_client, ArmChoice.of(reference="Matching"))
    assert "Werkfit, Werk, Zorg" in error.value.message("en")


def test_command_line_reference_comes_before_the_mappings():
    mapping = Mapping(arms={"Werk-fit": "Werkfit"}, reference="Werkfit")
    assert arm_choice_of(Namespace(reference=None), mapping) == ArmChoice((("Werk-fit", "Werkfit"),), "Werkfit", "mapping")
    assert arm_choice_of(Namespace(reference="Zorg"), mapping) == ArmChoice((("Werk-fit", "Werkfit"),), "Zorg", "given")


def test_values_merge_into_arms_whatever_their_case_and_spaces():
    values = pd.Series(["Traject Werk", " traject werk", "Werk-fit", "werkfit", "WERKFIT", None, " "])
    merged = arm_of(values, (("traject werk", "Werk"), ("Werk-fit", "Werkfit")))
    assert merged.tolist()[:5] == ["Werk", "Werk", "Werkfit", "Werkfit", "Werkfit"]
    assert merged.iloc[5:].isna().all()
    assert arm_of(pd.Series(["matching ", "MATCHING"])).tolist() == ["Matching", "Matching"]   # Rotterdam's spelling


def _relabelled(departments) -> dict:
    tables = generate(n_clients=400, defects=False).tables
    referrals = tables["referrals"].copy()
    referrals["department"] = pd.array([departments[i % len(departments)] for i in range(len(referrals))],
                                       dtype="string[pyarrow]")
    return {**tables, "referrals": referrals}


@pytest.mark.parametrize("departments, key", [(["Route"], "diag.arms_count.too_few"),
                                               ([f"Team {i}" for i in range(9)], "diag.arms_count.too_many")])
def test_outside_two_to_eight_arms_is_a_finding_in_both_languages(departments, key):
    result = analyse(_relabelled(departments), designs=CASEWORKER)
    found = result.finding("caseworker_preference.arms_count")
    assert (found.key, found.severity, found.params["n_arms"]) == (key, "error", len(departments))
    assert result.design("caseworker_preference").verdict == "not_feasible" and result.estimates == []
    for lang, words in (("en", "the design compares 2 to 8 arms"), ("nl", "de opzet vergelijkt 2 tot 8 onderdelen")):
        assert words in found.message(lang) and departments[-1] in found.message(lang)


def test_eight_arms_of_other_names_are_estimated_and_the_reference_is_stated():
    names = ["Werk", "Werkfit", "Zorg", "Taal", "Jongeren", "Ondernemers", "Statushouders", "Participatie"]
    result = analyse(_relabelled(names), Options(arms=ArmChoice.of(reference="Zorg")), designs=CASEWORKER)
    assert sorted(result.frame.arms) == sorted(names) and result.frame.reference == "Zorg"
    stated = result.finding("caseworker_preference.arms")
    assert "against the reference Zorg (chosen by the user)" in stated.message("en")
    assert "met de referentie Zorg (gekozen door de gebruiker)" in stated.message("nl")
    assert [g.department for g in result.grey_area] == result.frame.arms      # most clients first
    assert {f.id for f in result.findings} >= {f"caseworker_preference.first_stage.{n}" for n in names if n != "Zorg"}
    assert "caseworker_preference.unknown_department" not in {f.id for f in result.findings}
    # seven treated arms: the Anderson-Rubin projection grid (21 ** 7 points) is not built; the
    # sets are reported as not computed (info), the design is still judged
    ar = result.finding("caseworker_preference.anderson_rubin.Werk")
    assert ar.severity == "info" and "7 treated arms" in ar.message("en")
    assert "caseworker_preference.failed" not in {f.id for f in result.findings}


def test_the_design_command_reads_arms_and_reference_from_the_mapping_file(tmp_path):
    extract = generate(n_clients=600, organisation="four_arms", n_caseworkers=20)
    write_extract(extract.tables, tmp_path / "extract", "canonical")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text('arms:\n  "Zorg": "Participatie"\nreference: "Werkfit"\n', encoding="utf-8")
    out = tmp_path / "design.json"
    done = subprocess.run([sys.executable, "-m", "design_feasibility", str(tmp_path / "extract"), "--mapping",
                           str(mapping), "--json", str(out), "--lang", "en"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Compared: Werk, Participatie against the reference Werkfit (from the mapping file" in done.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["frame"]["arms"] == ["Werk", "Participatie", "Werkfit"] and data["frame"]["reference"] == "Werkfit"
    assert {(e["department"], e["reference"]) for e in data["estimates"]} == {("Werk", "Werkfit"), ("Participatie", "Werkfit")}


def test_a_small_arm_cannot_be_worked_out_from_the_clients_per_arm_and_their_total():
    """Six clients (1.5%: not too rare to be an arm) of a 400-client extract in an arm of their
    own: in the JSON the arm reads <10 and the smallest other arm x, so `analysed` minus the
    arms shown leaves two unknowns (counted with pandas on the analysed frame)."""
    tables = generate(n_clients=400, defects=False).tables
    referrals = tables["referrals"].copy()
    small = referrals["client_id"].drop_duplicates().iloc[:6]
    referrals["department"] = referrals["department"].astype(object).where(
        ~referrals["client_id"].isin(small), "Klein")
    result = analyse({**tables, "referrals": referrals}, designs=CASEWORKER)
    counts = build_frame({**tables, "referrals": referrals}).data["department"].value_counts()
    assert 0 < counts["Klein"] < 10 and len(counts) == 4
    shown = to_plain(result.frame)["departments"]
    assert shown["Klein"] == "<10" and shown[counts.drop("Klein").idxmin()] == PROTECTED
    assert {arm: n for arm, n in shown.items() if isinstance(n, int)} == counts.drop(
        ["Klein", counts.drop("Klein").idxmin()]).to_dict()
