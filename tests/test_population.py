"""Population profile: shares, Kaplan-Meier, Cox, client types, disclosure, command."""
import json

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter
from sklearn.metrics import adjusted_rand_score

import demo
from core import jsonio
from population import Options, analyse
from population import client_types, survival
from population.__main__ import main
from population.config import MISSING
from population.frame import build


@pytest.fixture(scope="module")
def small():
    return demo.generate(n_clients=2000, seed=7)


@pytest.fixture(scope="module")
def result(small):
    return analyse(small.tables, Options(with_types=False))


def test_profile_shares_equal_pandas(small, result):
    clients = small.tables["clients"].drop_duplicates("client_id")
    for block in result.profile:
        if block["characteristic"] not in ("sex", "education_level", "origin", "household_type"):
            continue
        expected = clients[block["characteristic"]].astype(object).fillna(MISSING).value_counts(normalize=True)
        for row in block["levels"]:
            if row["share"] is not None:
                assert row["share"] == pytest.approx(expected[row["level"]], abs=1e-12)
    children = clients["n_children"].astype(float).clip(upper=3).value_counts(normalize=True)
    block = next(b for b in result.profile if b["characteristic"] == "children")
    for row in block["levels"]:
        key = 3.0 if row["level"] == "3+" else float(row["level"])
        assert row["share"] == pytest.approx(children[key], abs=1e-12)


def _product_limit(time, event, t):
    """A few-line Kaplan-Meier estimate of S(t)."""
    s = 1.0
    for u in np.unique(time[(event == 1) & (time <= t)]):
        at_risk = (time >= u).sum()
        s *= 1 - ((time == u) & (event == 1)).sum() / at_risk
    return s


def test_curve_at_12_months_equals_own_product_limit(small, result):
    frame = build(small.tables, 3, 36).data.dropna(subset=["time"])
    own = 1 - _product_limit(frame["time"].to_numpy(), frame["event"].to_numpy(), 12)
    assert result.survival["all"]["started_at"]["12"] == pytest.approx(own, abs=0.005)
    women = frame[frame["sex"] == "V"]
    curve = next(g for g in result.survival["by_characteristic"]["sex"] if g["level"] == "V")["curve"]
    assert curve["started_at"]["12"] == pytest.approx(
        1 - _product_limit(women["time"].to_numpy(), women["event"].to_numpy(), 12), abs=0.005)
    from statsmodels.duration.survfunc import SurvfuncRight
    sm = SurvfuncRight(frame["time"].to_numpy(), frame["event"].to_numpy())
    idx = np.searchsorted(sm.surv_times, 12, side="right") - 1
    assert result.survival["all"]["started_at"]["12"] == pytest.approx(1 - sm.surv_prob[idx], abs=0.005)


def _planted(hr=2.0, n=3000, seed=3):
    rng = np.random.default_rng(seed)
    group = rng.choice(["a", "b"], size=n)
    rate = np.where(group == "b", hr, 1.0) * 0.05
    t = rng.exponential(1 / rate)
    censor = rng.uniform(0, 36, size=n)
    return pd.DataFrame({"grp": group, "time": np.minimum(t, censor), "event": (t <= censor).astype(int)})


def test_hazard_ratio_equals_lifelines_and_recovers_planted():
    data = _planted()
    out = survival.hazard_ratios(data, ["grp"], {"grp": ["a", "b"]}, 10)
    row = out["rows"][0]
    direct = CoxPHFitter().fit(pd.DataFrame({"time": data["time"], "event": data["event"],
                                             "b": (data["grp"] == "b").astype(float)}), "time", "event")
    assert row["hr"] == pytest.approx(float(np.exp(direct.params_["b"])), abs=1e-6)
    assert row["low"] <= 2.0 <= row["high"]
    from statsmodels.duration.hazard_regression import PHReg
    sm = PHReg(data["time"].to_numpy(), (data["grp"] == "b").astype(float).to_numpy()[:, None],
               status=data["event"].to_numpy(), ties="efron").fit()
    assert row["coef"] == pytest.approx(float(sm.params[0]), abs=1e-4)


def test_planted_client_types_are_recovered():
    rng = np.random.default_rng(11)
    prototypes = [list("aaaaaa"), list("bbbbbb"), list("cccccc")]
    truth = rng.integers(0, 3, size=1500)
    rows = []
    for k in truth:
        rows.append([p if rng.random() < 0.85 else rng.choice(list("abcd")) for p in prototypes[k]])
    frame = pd.DataFrame(rows, columns=[f"c{i}" for i in range(6)])
    found = client_types.find_types(frame)
    ari = adjusted_rand_score(truth, found["labels"])
    print(f"adjusted Rand index {ari:.3f}, k={found['k']}")
    assert found["k"] == 3 and ari > 0.9
    described = client_types.describe(frame, found["labels"])
    assert all(t["size"] >= 10 for t in described)


COUNT_KEYS = {"n", "count", "size", "events", "at_risk", "started", "n_clients"}


def _small_counts(value, key=None, parent=None):
    bad = []
    if isinstance(value, dict):
        for k, v in value.items():
            bad += _small_counts(v, k, key)
    elif isinstance(value, list):
        for v in value:
            bad += _small_counts(v, key, parent)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if (key in COUNT_KEYS or parent in ("arms", "at_risk")) and 0 < value < 10:
            bad.append((parent, key, value))
    return bad


def test_no_count_under_threshold_in_json():
    data = demo.generate(n_clients=400, seed=5)
    out = jsonio.to_plain(analyse(data.tables))
    assert out["findings"] and out["types"]["types"]
    assert _small_counts(out) == []
    assert all(t["size"] is None or t["size"] >= 10 for t in out["types"]["types"])


def test_command_writes_json_and_plain_errors(tmp_path, capsys):
    data = demo.generate(n_clients=600, seed=9)
    folder = tmp_path / "x"
    folder.mkdir()
    for name, table in data.tables.items():
        table.to_csv(folder / f"{name}.csv", index=False)
    target = tmp_path / "out.json"
    assert main([str(folder), "--json", str(target), "--lang", "en", "--types", "3"]) == 0
    written = json.loads(target.read_text())
    assert {"findings", "profile", "feasibility", "note"} <= set(written)
    assert "correlations, not effects" in capsys.readouterr().out
    from core.cli import run
    assert run(main, [str(tmp_path / "missing")]) == 2


def test_report_section_builds_a_pdf(result, tmp_path):
    from io import BytesIO
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate
    from population import report_section
    for lang in ("nl", "en"):
        story = report_section(result, lang)
        buffer = BytesIO()
        SimpleDocTemplate(buffer, pagesize=A4).build(story)
        assert buffer.getvalue().startswith(b"%PDF")
    (tmp_path / "p.pdf").write_bytes(buffer.getvalue())
    import shutil, subprocess
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "p.pdf"), "-"], capture_output=True, text=True).stdout
        assert "correlations, not effects" in text and "Hazard ratios" in text


def test_a_small_arm_is_not_recoverable_from_the_others():
    data = demo.generate(n_clients=300, seed=2)
    out = jsonio.to_plain(analyse(data.tables, Options(with_types=False)))
    for row in out["feasibility"]["rows"]:
        arms = row.get("arms") or {}
        hidden = [a for a, v in arms.items() if v is None]
        assert len(hidden) != 1 or all(v == 0 for a, v in arms.items() if a not in hidden)
        if hidden:
            assert all(row["mde"][a] is None for a in row["mde"] if a in hidden or "Prematching" in hidden)


@pytest.mark.parametrize("case", ["one client", "all alike"])
def test_no_client_types_when_no_characteristic_varies(case, tmp_path):
    """One client, or clients who share every characteristic: no types (nothing to cluster),
    the rest of the step as usual, in the JSON and the PDF section."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from population import report_section
    tables = demo.generate(n_clients=300, seed=4).tables
    if case == "one client":
        first = tables["clients"]["client_id"].iloc[0]
        tables = {name: df[df["client_id"] == first] if "client_id" in df else df for name, df in tables.items()}
    else:
        clients = tables["clients"].copy()
        for column in ("sex", "education_level", "origin", "household_type", "n_children",
                       "birth_date", "youngest_child_birth_date"):
            clients[column] = clients[column].iloc[0]
        tables = {**tables, "clients": clients}
    result = analyse(tables, Options())
    assert result.types["k"] is None and result.types["types"] == []
    assert result.n_clients == (1 if case == "one client" else 300)
    assert json.loads(jsonio.dumps(result))["types"]["types"] == []
    SimpleDocTemplate(BytesIO(), pagesize=A4).build(report_section(result, "en"))


def test_a_subgroup_hidden_to_protect_a_small_one_is_still_judged_on_its_counts():
    """1,000 clients per arm in every age group and 3/4/5 aged 65+ (in no subgroup): hiding
    those small counts hides cells of a published age group too ('x'), but that group of
    3,000 is still feasible; only its minimum detectable effects are withheld."""
    from core.extract_date import ExtractDate
    from population.analysis import feasibility
    from population.frame import ClientFrame
    arms = ["Prematching", "Matching", "Activering"]
    rows = [(band, arm) for band in ("18-30", "30-45", "45-55") for arm in arms for _ in range(1000)]
    rows += [("65+", arm) for arm, n in zip(arms, (3, 4, 5)) for _ in range(n)]
    data = pd.DataFrame(rows, columns=["age_band", "department"])
    frame = ClientFrame(data, ["age_band"], False, pd.Timestamp("2018-12-31"), ExtractDate("2018-12-31", "given"))
    opts = {"target_effect": 0.10, "follow_up_months": 36, "milestones": [6, 12, 24, 36]}
    ages = [row for row in feasibility(frame, opts, 10)["rows"] if row["group"]["en"] == "Age"]
    assert [row["label"]["en"] for row in ages] == ["18-30 years", "30-45 years", "45-65 years"]
    hidden = [row for row in ages if any(isinstance(v, str) for v in row["arms"].values())]
    assert hidden and all(row["mde"] == {"Matching": None, "Activering": None} for row in hidden)
    assert all(row["feasible"] for row in ages)
    shown = [row for row in ages if row not in hidden]
    assert all(0.03 < v < 0.06 for row in shown for v in row["mde"].values())   # 1,000 vs 1,000 at 16%
