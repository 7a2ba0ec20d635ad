"""The researcher's kit: built from the demo extract, unzipped into an empty folder with only
the demo extract, run with the same Python in isolated mode (no project on the path); its
estimate must equal the package's, and its output must hold no small cell and no identifier."""
from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import zipfile

import pandas as pd
import pytest

from demo.generator import generate
from demo.writer import write_extract
from design_feasibility.__main__ import main as design_main
from design_feasibility.analysis import analyse
from design_feasibility.kit.bundle import ALL, BundleError, _Bundle
from core.arms import ArmChoice
from design_feasibility.config import Options
from design_feasibility.kit.config import kit_arms
from design_feasibility.kit.script_main import arm_choice
from design_feasibility.kit.output_check import OutputChecker
from quality_checks import load_extract

ALLOWED_IMPORTS = {"pandas", "numpy", "scipy", "statsmodels", "linearmodels"}
COUNT_TABLES = ("clients_per_arm", "clients_left_out", "grey_area", "outcome_per_arm")


def _extract(tmp_path_factory, **kwargs):
    folder = tmp_path_factory.mktemp("demo")
    extract = generate(2000, 2015, **kwargs)   # small enough that the grey area has cells to hide
    write_extract(extract.tables, folder, "canonical", manifest=extract.manifest)
    return folder


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return _extract(tmp_path_factory)


@pytest.fixture(scope="module")
def package(demo):
    return analyse(load_extract(str(demo)).tables)


def _run_kit(demo, tmp_path_factory, *options):
    zip_path = tmp_path_factory.mktemp("zip") / "kit.zip"
    assert design_main(["kit", str(demo), "--out", str(zip_path), "--lang", "en", *options]) == 0
    folder = tmp_path_factory.mktemp("remote_access")
    assert not any(folder.iterdir())
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    for item in demo.iterdir():
        shutil.copy(item, folder)
    # the project is not importable there: the kit must stand on its own
    probe = subprocess.run([sys.executable, "-I", "-c", "import design_feasibility"], cwd=folder,
                           capture_output=True, text=True)
    assert probe.returncode != 0
    done = subprocess.run([sys.executable, "-I", "analysis.py"], cwd=folder, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


@pytest.fixture(scope="module")
def run_kit(demo, tmp_path_factory):
    return _run_kit(demo, tmp_path_factory)


def test_zip_holds_script_config_readme_and_pins(run_kit):
    assert {"analysis.py", "kit_config.json", "README.md", "requirements.txt"} <= {p.name for p in run_kit.iterdir()}
    config = json.loads((run_kit / "kit_config.json").read_text(encoding="utf-8"))
    assert config["arms"] == ["Matching", "Prematching", "Activering"] and config["reference"] == "Prematching"
    assert config["follow_up"]["outcome_months"] == 12
    files = {f["file"]: f for f in config["cbs_files"]}
    assert {"SPOLISBUS", "GBAPERSOONTAB"} <= set(files)
    assert "RINPERSOON" in files["SPOLISBUS"]["key_variables"]
    pins = (run_kit / "requirements.txt").read_text().split()
    assert "pandas==3.1.1" in pins and any(p.startswith("linearmodels==") for p in pins)
    readme = (run_kit / "README.md").read_text(encoding="utf-8")
    assert "## Nederlands" in readme and "## English" in readme and "$" not in readme


def test_script_imports_only_the_allowed_packages(run_kit):
    tree = ast.parse((run_kit / "analysis.py").read_text(encoding="utf-8"))
    roots = {(n.module or "").split(".")[0] if isinstance(n, ast.ImportFrom) else a.name.split(".")[0]
             for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
             for a in (n.names if isinstance(n, ast.Import) else [n])}
    assert roots - ALLOWED_IMPORTS - set(sys.stdlib_module_names) == set()


def test_kit_estimates_equal_the_package(run_kit, package):
    kit = pd.read_csv(run_kit / "output" / "estimates.csv").set_index(["method", "arm"])
    assert len(package.estimates) == len(kit) == 6
    for e in package.estimates:
        row = kit.loc[(e.method, e.department)]
        assert row["estimate"] == pytest.approx(e.estimate, abs=1e-8)
        assert (row["se"], row["ci_low"], row["ci_high"]) == pytest.approx((e.se, e.ci_low, e.ci_high), abs=1e-8)
        assert row["inference"] == e.inference
    first = pd.read_csv(run_kit / "output" / "first_stage.csv").set_index("arm")
    package_f = {f.id.rsplit(".", 1)[1]: f.value for f in package.findings
                 if f.id.startswith("caseworker_preference.first_stage.")}
    assert package_f and all(first.loc[arm, "sanderson_windmeijer_f"] == pytest.approx(v, rel=1e-8)
                             for arm, v in package_f.items())


def test_counts_agree_and_no_cell_is_under_the_threshold(run_kit, package):
    out = run_kit / "output"
    report = json.loads((out / "checking_report.json").read_text(encoding="utf-8"))["results"]
    assert set(COUNT_TABLES) | {"estimates", "first_stage", "balance"} <= set(report)
    for name in COUNT_TABLES:
        table = pd.read_csv(out / f"{name}.csv", index_col=0)
        cells = table.to_numpy(dtype=float).ravel()
        cells = cells[~pd.isna(cells)]
        assert len(cells) and (cells >= 10).all(), name
    # the package shows the grey area's zeros; the kit hides them (and their complements)
    grey = pd.read_csv(out / "grey_area.csv", index_col=0)
    small = [(a.department, c) for a in package.grey_area for c in ("certainly_yes", "maybe", "certainly_no")
             if getattr(a, c) is None or getattr(a, c) < 10]
    assert small and all(pd.isna(grey.loc[cell]) for cell in small)
    assert report["grey_area"]["status"] == "review"
    per_arm = pd.read_csv(out / "clients_per_arm.csv", index_col=0)["clients"].to_dict()
    assert per_arm == {k: v for k, v in package.frame.departments.items()}
    outcome = pd.read_csv(out / "outcome_per_arm.csv", index_col=0)
    assert outcome.sum(axis=1).to_dict() == per_arm
    assert (pd.read_csv(out / "estimates.csv")["n"] >= 10).all()


def test_no_identifier_in_any_output_file(run_kit, demo):
    clients = pd.read_csv(demo / "clients.csv", dtype=str)
    referrals = pd.read_csv(demo / "referrals.csv", dtype=str)
    identifiers = set(clients["client_id"]) | set(clients["bsn"].dropna()) | set(referrals["caseworker_id"].dropna())
    files = list((run_kit / "output").iterdir())
    assert len(files) >= 9
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not set(re.findall(r"[A-Za-z0-9]+", text)) & identifiers, path.name
        assert not re.search(r"\b(client_id|bsn|caseworker_id)\b", text.split("\n", 1)[0]), path.name


def _checker(tmp_path, ids=()):
    return OutputChecker(tmp_path, 10, set(ids))


def test_small_cell_is_hidden_with_a_complementary_cell(tmp_path):
    table = pd.DataFrame({"work": [3, 40, 55], "no_work": [30, 60, 45]}, index=["A", "B", "C"])
    assert _checker(tmp_path).frequency("t", table, "test") == "review"
    written = pd.read_csv(tmp_path / "t.csv", index_col=0)
    assert pd.isna(written.loc["A", "work"])
    # with the row and column totals known, the 3 must not follow: a second cell in its row
    # and one in its column are hidden too
    assert written.loc["A"].isna().sum() >= 2 and written["work"].isna().sum() >= 2
    assert (written.stack().dropna() >= 10).all()


def test_zero_is_hidden_with_a_complementary_cell(tmp_path):
    checker = _checker(tmp_path)
    assert checker.frequency("z", pd.DataFrame({"n": [0, 40, 55]}, index=["A", "B", "C"]), "zero") == "review"
    written = pd.read_csv(tmp_path / "z.csv", index_col=0)["n"]
    # with the total (95) known, hiding the zero alone would give it away: 40 goes too
    assert written.isna().tolist() == [True, True, False] and written["C"] == 55
    assert checker.outputs[0].files[0]["sdc"]["summary"]["zeros"] == 1


def test_table_that_cannot_be_protected_is_withheld(tmp_path):
    checker = _checker(tmp_path)
    assert checker.frequency("w", pd.DataFrame({"n": [4, 40]}, index=["A", "B"]), "small") == "fail"
    assert not (tmp_path / "w.csv").exists() and checker.outputs[0].files[0]["name"] is None


def test_statistics_fail_on_small_group_dof_or_identifier(tmp_path):
    checker = _checker(tmp_path, ids={"WC045"})
    stats = pd.DataFrame({"estimate": [0.2]}, index=["Matching"])
    assert checker.statistics("ok", stats, "x", people={"A": 10, "B": 50}, dof=10) == "pass"
    assert checker.statistics("small", stats, "x", people={"A": 9, "B": 50}, dof=100) == "fail"
    assert checker.statistics("dof", stats, "x", people={"A": 90}, dof=9) == "fail"
    assert checker.statistics("id", stats.assign(who="WC045"), "x", people={"A": 90}, dof=90) == "fail"
    assert checker.statistics("col", stats.assign(bsn=1), "x", people={"A": 90}, dof=90) == "fail"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.csv"]
    report = checker.finalise({"kit_version": 1})
    assert [r["status"] for r in report["results"].values()] == ["pass", "fail", "fail", "fail", "fail"]
    assert (tmp_path / "checking_report.md").exists()
    # the report itself leaves the environment: the group of 9 is not in it
    assert report["results"]["small"]["properties"]["people"] == {"A": "<10", "B": 50}
    assert not re.search(r'"A": 9\b', (tmp_path / "checking_report.json").read_text(encoding="utf-8"))


def test_merges_and_reference_go_into_the_config_and_back_into_an_arm_choice():
    tables = generate(300, 5).tables
    config = kit_arms(tables, ArmChoice.of({"activering": "Matching"}, "matching"))
    assert (config["arms"], config["reference"]) == (["Matching", "Prematching"], "Matching")
    assert config["merge"] == {"activering": "Matching"} and config["arm_min_share"] == 0.01
    assert arm_choice(config) == ArmChoice((("activering", "Matching"),), "Matching")
    assert kit_arms(tables, ArmChoice())["reference"] == "Prematching"


@pytest.fixture(scope="module")
def four_arms(tmp_path_factory):
    return _extract(tmp_path_factory, organisation="four_arms")


def test_four_arms_with_their_own_reference_equal_the_package(four_arms, tmp_path_factory):
    """Werk, Werkfit, Participatie and Zorg with Werkfit as reference (`--reference`; the arm
    with the most clients, Werk, would be the default): the kit's three IV, OLS and raw
    estimates equal the package's with the same reference."""
    folder = _run_kit(four_arms, tmp_path_factory, "--reference", "Werkfit")
    config = json.loads((folder / "kit_config.json").read_text(encoding="utf-8"))
    assert (config["arms"], config["reference"]) == (["Werk", "Werkfit", "Participatie", "Zorg"], "Werkfit")
    package = analyse(load_extract(str(four_arms)).tables, Options(arms=ArmChoice.of(reference="Werkfit")))
    kit = pd.read_csv(folder / "output" / "estimates.csv").set_index(["method", "arm"])
    assert len(package.estimates) == len(kit) == 9
    assert {e.department for e in package.estimates} == {"Werk", "Participatie", "Zorg"}
    for e in package.estimates:
        row = kit.loc[(e.method, e.department)]
        assert (row["estimate"], row["se"]) == pytest.approx((e.estimate, e.se), abs=1e-8)
    report = json.loads((folder / "output" / "checking_report.json").read_text(encoding="utf-8"))
    assert report["meta"]["reference"] == "Werkfit"


def test_bundle_refuses_a_name_defined_twice():
    bundle = _Bundle()
    bundle.add("design_feasibility.kit.output_check", ALL)
    with pytest.raises(BundleError, match="defined in"):
        bundle.add("design_feasibility.kit.output_check", ALL)


def test_other_reference_arm_reparametrises_the_same_model(run_kit, package):
    """With Matching as reference (set in kit_config.json only), the IV is the same model in
    other coordinates: the instruments and arm dummies span the same space (the preferences of
    all arms sum to zero, the dummies to one), so Prematching vs Matching = -(Matching vs
    Prematching) and Activering vs Matching = Activering - Matching, standard errors alike."""
    config = json.loads((run_kit / "kit_config.json").read_text(encoding="utf-8"))
    (run_kit / "kit_config_ref.json").write_text(json.dumps({**config, "reference": "Matching"}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", "analysis.py", "--config", "kit_config_ref.json",
                           "--out", "output_ref"], cwd=run_kit, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    kit = pd.read_csv(run_kit / "output_ref" / "estimates.csv").set_index(["method", "arm"])
    iv = {e.department: e for e in package.estimates if e.method == "iv"}
    assert kit.loc[("iv", "Prematching"), "estimate"] == pytest.approx(-iv["Matching"].estimate, abs=1e-8)
    assert kit.loc[("iv", "Prematching"), "se"] == pytest.approx(iv["Matching"].se, abs=1e-8)
    assert kit.loc[("iv", "Activering"), "estimate"] == pytest.approx(
        iv["Activering"].estimate - iv["Matching"].estimate, abs=1e-8)
