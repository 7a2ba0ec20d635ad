"""Disclosure audit of everything that leaves the tool, on a small municipality (issue 11).

A municipality of 200 clients and 6 caseworkers, with a planted subgroup cell: exactly 9
clients with a high education are referred to Activering (counted here with pandas from the
generated tables). Every export is built: the workplan PDF (text via pdftotext) in both
languages, the assessment JSON, the workplan JSON, each step's command JSON and the findings
spreadsheet for others. Then, as an outsider would:

- every published table (subgroup x arm per characteristic, the profile per characteristic,
  the grey area, the linkage reasons) is turned into linear equations - shown cells, row and
  column totals, rounded shares, and what a mark says ("<10": 1-9; "x": 0 or at least 10) -
  and each hidden cell's smallest and largest whole value is solved for (MILP): none may be
  pinned down;
- every JSON value that counts people, every PDF line and every spreadsheet cell is scanned for
  a count of people from 1 to 9.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

import demo
from core import MIN_COUNT
from core.disclosure import PROTECTED, SMALL
from core.exports import FOR_OTHERS, findings_frame, spreadsheet_csv
from core.findings import Finding, catalogue
from design_feasibility.__main__ import main as design_main
from linkage_readiness.__main__ import main as linkage_main
from population.__main__ import main as population_main
from quality_checks.__main__ import main as quality_main
from workplan.__main__ import main as workplan_main

PLANTED = 9
ANSWERS = "maturity/examples/demo_quick_scan.json"
BIG = 10 ** 6

# JSON keys whose integer values count people (clients or caseworkers), wherever they are,
# and keys whose every value does (per department, arm, reason, drop reason).
PEOPLE_KEYS = {"n", "n_clients", "n_caseworkers", "caseworkers", "clients", "referred", "analysed", "size",
               "events", "at_risk", "certainly_yes", "maybe", "certainly_no", "started", "count"}
PEOPLE_PARENTS = {"dropped", "departments", "arms", "intervention_clients"}


def plant(tables: dict) -> dict:
    """Exactly PLANTED Activering clients, and 15 of every other department, have a high education."""
    clients = tables["clients"].copy()
    department = clients["client_id"].map(tables["referrals"].set_index("client_id")["department"])
    high = pd.Series("midden", index=clients.index)
    for name, wanted in (("Activering", PLANTED), ("Matching", 15), ("Prematching", 15)):
        high[department[department == name].index[:wanted]] = "hoog"
    clients["education_level"] = clients["education_level"].where(clients["education_level"] != "hoog", "midden")
    clients.loc[high == "hoog", "education_level"] = "hoog"
    return {**tables, "clients": clients}


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    folder = tmp_path_factory.mktemp("klein")
    extract = demo.generate(n_clients=200, seed=7, n_caseworkers=6)
    tables = plant(extract.tables)
    demo.write_extract(tables, folder / "extract", manifest=extract.manifest)
    out = {}
    assert workplan_main(["--extract", str(folder / "extract"), "--answers", ANSWERS, "--municipality", "Klein",
                          "--out", str(folder / "en.pdf"), "--save-assessment", str(folder / "assessment.json"),
                          "--json", str(folder / "workplan.json"), "--lang", "en"]) == 0
    assert workplan_main(["--assessment", str(folder / "assessment.json"), "--out", str(folder / "nl.pdf")]) == 0
    for name, main in (("design", design_main), ("population", population_main),
                       ("linkage", linkage_main), ("quality", quality_main)):
        assert main([str(folder / "extract"), "--json", str(folder / f"{name}.json")]) == 0
    for name in ("assessment", "workplan", "design", "population", "linkage", "quality"):
        out[name] = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    out["pdf"] = {lang: subprocess.run(["pdftotext", "-layout", str(folder / f"{lang}.pdf"), "-"],
                                       capture_output=True, text=True, check=True).stdout for lang in ("en", "nl")}
    findings = [Finding.from_dict(f) for step in ("quality", "linkage", "design", "population")
                for f in out[step]["findings"]]
    out["csv"] = {lang: spreadsheet_csv(findings_frame(findings, lang, audience=FOR_OTHERS), lang).decode("utf-8-sig")
                  for lang in ("en", "nl")}
    out["tables"] = tables
    return out


# ---- the outsider's equations -----------------------------------------------------------

class Equations:
    """Unknown cells (hidden, or not published at all) and the linear facts about them."""

    def __init__(self, name: str):
        self.name, self.kinds, self.labels, self.rows = name, [], [], []

    def cell(self, value, label, kind: str | None = None) -> int | float | tuple:
        """A published cell: its number, or a new unknown for a hidden one ("<10", "x", or
        None: hidden without saying why); kind "free": a cell that is not published at all."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        kind = kind or {SMALL: "small", PROTECTED: "protected"}.get(value, "hidden")
        self.kinds.append(kind)
        self.labels.append(label)
        return ("var", len(self.kinds) - 1)

    def total(self, cells: list, low: float, high: float | None = None) -> None:
        """sum(cells) lies in [low, high] (a published total: low == high)."""
        known = sum(c for c in cells if not isinstance(c, tuple))
        index = [c[1] for c in cells if isinstance(c, tuple)]
        if index:
            self.rows.append((index, low - known, (low if high is None else high) - known))

    def ranges(self) -> dict:
        """Per hidden (marked) cell: its smallest and largest whole value under every fact."""
        n = len(self.kinds)
        if not n or not self.rows:
            return {}
        # variables: the cells, then one switch per "x" cell (0: the cell is 0, 1: at least 10)
        switches = [i for i, kind in enumerate(self.kinds) if kind == "protected"]
        size = n + len(switches)
        matrix, low, high = [], [], []
        for index, lo, hi in self.rows:
            row = np.zeros(size)
            row[index] = 1
            matrix.append(row), low.append(lo), high.append(hi)
        for k, i in enumerate(switches):   # 10 * s <= x <= BIG * s
            row = np.zeros(size)
            row[i], row[n + k] = 1, -MIN_COUNT
            matrix.append(row), low.append(0), high.append(np.inf)
            row = np.zeros(size)
            row[i], row[n + k] = 1, -BIG
            matrix.append(row), low.append(-np.inf), high.append(0)
        lower = [1 if kind == "small" else 0 for kind in self.kinds] + [0] * len(switches)
        upper = [MIN_COUNT - 1 if kind == "small" else BIG for kind in self.kinds] + [1] * len(switches)
        constraint = LinearConstraint(np.array(matrix), low, high)
        out = {}
        for i, kind in enumerate(self.kinds):
            if kind == "free":
                continue
            ends = []
            for sign in (1, -1):
                target = np.zeros(size)
                target[i] = sign
                solved = milp(target, constraints=constraint, integrality=np.ones(size), bounds=Bounds(lower, upper))
                assert solved.success, f"{self.name}: the published numbers contradict each other"
                ends.append(round(sign * solved.fun))
            out[self.labels[i]] = tuple(ends)
        return out


def department_totals(tables: dict) -> pd.Series:
    """Clients per department, counted here from the referrals of the extract's clients."""
    clients = tables["clients"][["client_id"]].merge(tables["referrals"], on="client_id")
    return clients["department"].value_counts()


def subgroup_equations(population: dict, totals: pd.Series, n_clients: int) -> list[Equations]:
    """Per characteristic group: subgroup x arm cells, the subgroup sizes, the arm totals (an
    outsider has them from any fully shown group) and the clients in none of the subgroups."""
    feas = population["feasibility"]
    arms = [feas["reference_arm"]] + feas["arms"]
    out = []
    for group in dict.fromkeys(json.dumps(r["group"]) for r in feas["rows"]):
        rows = [r for r in feas["rows"] if json.dumps(r["group"]) == group and not r.get("needs")]
        if not rows:
            continue
        eq = Equations(f"subgroups {group}")
        grid = [[eq.cell(r["arms"][arm], (r["label"]["en"], arm)) for arm in arms] for r in rows]
        rest = [eq.cell(None, ("rest", arm), "free") for arm in arms]
        for r, cells in zip(rows, grid):
            if isinstance(r.get("n"), int):
                eq.total(cells, r["n"])
        for j, arm in enumerate(arms):
            eq.total([cells[j] for cells in grid] + [rest[j]], int(totals.get(arm, 0)))
        if all(isinstance(r.get("n"), int) for r in rows):
            eq.total(rest, n_clients - sum(r["n"] for r in rows))
        out.append(eq)
    return out


def profile_equations(population: dict) -> list[Equations]:
    out = []
    for item in population["profile"]:
        for key in ("n", "started"):
            if key not in item["levels"][0]:
                continue
            eq = Equations(f"profile {item['characteristic']} {key}")
            cells = [eq.cell(level[key], level["level"]) for level in item["levels"]]
            if key == "n":
                eq.total(cells, population["n_clients"])
            else:
                eq.total(cells, 0, population["n_clients"])
            out.append(eq)
    return out


def grey_equations(design: dict) -> list[Equations]:
    out = []
    for area in design.get("grey_area", []):
        eq = Equations(f"grey area {area['department']}")
        cells = [eq.cell(area[name], name) for name in ("certainly_yes", "maybe", "certainly_no")]
        eq.total(cells, area["clients"])
        if area.get("maybe_share") is not None:   # a share rounded to whole percents
            share, n = area["maybe_share"], area["clients"]
            eq.total([cells[1]], np.ceil((share - 0.005) * n - 1e-9), np.floor((share + 0.005) * n + 1e-9))
        out.append(eq)
    return out


def linkage_equations(linkage: dict) -> list[Equations]:
    rows = linkage.get("at_risk") or []
    if not rows:
        return []
    eq = Equations("linkage at risk")
    for row in rows:
        cells = [eq.cell(v, (row["reason"], k)) for k, v in row.items() if k not in ("reason", "label", "total")]
        if isinstance(row.get("total"), int):
            eq.total(cells, row["total"])
    return [eq]


@pytest.fixture(scope="module")
def equations(town):
    population, design = town["population"], town["design"]
    totals = department_totals(town["tables"])
    return (subgroup_equations(population, totals, population["n_clients"]) + profile_equations(population)
            + subgroup_equations(town["assessment"]["population"], totals, population["n_clients"])
            + grey_equations(design) + grey_equations(town["assessment"]["design"])
            + linkage_equations(town["linkage"]))


# ---- the tests ----------------------------------------------------------------------------

def test_the_planted_cell_is_in_the_data(town):
    tables = town["tables"]
    merged = tables["clients"].merge(tables["referrals"], on="client_id")
    assert ((merged["education_level"] == "hoog") & (merged["department"] == "Activering")).sum() == PLANTED


def test_the_planted_cell_is_hidden_and_marked_small(town):
    for population in (town["population"], town["assessment"]["population"]):
        row = next(r for r in population["feasibility"]["rows"] if r["label"]["en"] == "High")
        assert row["arms"]["Activering"] == SMALL
        others = [row["arms"]["Matching"], row["arms"]["Prematching"]]
        assert PROTECTED in others and set(others) <= {15, PROTECTED}   # 15 each, one hidden to protect the 9


def test_no_hidden_cell_can_be_recomputed(equations):
    audited = 0
    for eq in equations:
        for label, (low, high) in eq.ranges().items():
            audited += 1
            assert high > low, f"{eq.name}: hidden cell {label} is {low} by the published numbers"
    assert audited >= 20, audited      # the municipality is small: many cells are hidden


def test_cells_hidden_for_protection_are_not_called_small(town, equations):
    """A cell marked "<10" really is under 10 and one marked "x" is not (checked on the subgroup
    tables, whose true values pandas gives)."""
    tables = town["tables"]
    merged = tables["clients"].merge(tables["referrals"], on="client_id")
    high = merged[merged["education_level"] == "hoog"]["department"].value_counts()
    row = next(r for r in town["population"]["feasibility"]["rows"] if r["label"]["en"] == "High")
    for arm, value in row["arms"].items():
        true = int(high.get(arm, 0))
        assert value == (SMALL if 0 < true < MIN_COUNT else true if value != PROTECTED else PROTECTED)
    marks = [eq.kinds.count("protected") for eq in equations]
    assert sum(marks) > 0


def people_values(data, path=()):
    """(path, value) of every integer from 1 to 9 that counts people in a JSON structure."""
    if isinstance(data, dict):
        if "id" in data and "severity" in data and "params" in data:    # a finding
            people = set(catalogue().get(data.get("key") or data["id"], {}).get("people", ())) | {"count"}
            values = {"count": data["count"], "value": data["value"], **data["params"]}
            for name in people:
                if _small(values.get(name)):
                    yield path + (data["id"], name), values[name]
            return
        for key, value in data.items():
            if key in ("maturity", "maturity_answers", "format_version"):
                continue
            if (key in PEOPLE_KEYS or path[-1:] and path[-1] in PEOPLE_PARENTS) and _small(value):
                yield path + (key,), value
            yield from people_values(value, path + (key,))
    elif isinstance(data, list):
        for item in data:
            yield from people_values(item, path + ("#",))


def _small(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < MIN_COUNT \
        and float(value).is_integer()


@pytest.mark.parametrize("name", ["assessment", "workplan", "design", "population", "linkage", "quality"])
def test_no_json_shows_a_small_count_of_people(town, name):
    found = list(people_values(town[name]))
    assert not found, found[:10]


def test_the_spreadsheet_for_others_shows_no_small_count(town):
    for lang, text in town["csv"].items():
        frame = pd.read_csv(pd.io.common.StringIO(text), sep=";" if lang == "nl" else ",", dtype=str)
        counts = pd.to_numeric(frame.iloc[:, 4], errors="coerce")
        assert not ((counts > 0) & (counts < MIN_COUNT)).any(), lang
        assert frame.iloc[:, 8].isna().all(), "examples are for the data steward only"


# Numbers 1-9 in the PDF that are not counts of people: page and section numbers, levels,
# weeks, ages, years, thresholds, statistics, numbered lists, decimals and percentages.
SAFE = [r"\d+ \(norm", r"\d+[.,]\d+", r"\d+%", r"\b(?:Page|Pagina)\s+\d+", r"^[\s|]*\d+\s", r"\s\d+\s*$", r"\b\d+(?:th|e)\b",
        r"\bweeks?\s+\d+-\d+", r"weken?\s+\d+-\d+", r"\(\d+ (?:weeks|weken)\)", r"\b(?:level|niveau)\s+\d",
        r"\b(?:age|leeftijd|turns|wordt|jaar|years?)\s*\(?\d", r"\d\s*(?:years?|jaar|jaren)\b",
        r"\b\d+-\d+\b", r"\b\d+/\d+", r"\bp = ", r"\bF = ", r"(?:needed|nodig|norm|at least|minstens|ten minste)\D{0,3}\d",
        r"\d+\s+(?:kinds? of|soorten)", r"\b\d+\s+(?:of the|van de)\s+\d+\s+(?:subgroups|subgroepen)",
        r"\d+ (?:months|maanden)", r"\bk = \d", r"\d+\s+(?:blocking|blokkerende?)", r"\b[1-3] (?:child|kind)",
        r"\d+\s+(?:warnings?|waarschuwingen)", r"\b(?:step|stap)[\s|]+\d", r"\b3 (?:or more|of meer)",
        r"\d+ (?:needed|nodig)", r"\|\s+\d\)",
        r"^[\s|]*(?:Random assignment|Willekeurige|Monoton\w+ in)\s+\|\s+\d+",   # p-value, wrong signs
        r"^[\s|]*(?:Alternative estimator|Andere schatter)\s+\|[\s|]+\d+",   # norm in SEs
        r"(?:more than|meer dan)\s+\d+\s+(?:standard errors?|standaardfout(?:en)?)",
        r"\d+ (?:quarters|kwartalen)", r"\d+ (?:types?|typen)\b", r"\d+ (?:characteristics|kenmerken)",
        r"\d+ (?:distinct codes|verschillende codes)", r"\d+-digit|\d+ (?:digits|cijfers)", r">= \d", r"\bG-1\b",
        r"\d+ (?:after|erna)\b", r"\bch\. \d",
        r"\d+ (?:subgroups|subgroepen)\b", r"\d+ (?:counts|aantallen)\b",
        r"\d+ (?:arms|onderdelen)\b"]   # the number of arms compared (diag monotonicity)


def suspicious_numbers(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        line = re.sub(r"\s{3,}", "  |  ", line)   # columns apart, so that a column's last number is not a line end
        cleaned = line
        for pattern in SAFE:
            cleaned = re.sub(pattern, " ", cleaned, flags=re.IGNORECASE)
        if re.search(r"(?<![\w.,<])[1-9](?![\w.,%])", cleaned):
            lines.append(line.strip())
    return lines


def json_texts(data, key=None):
    """Every text in a JSON structure except level names (`1`, `3+` children), maturity answers
    and the sources of norms (fixed citations such as "JBES 31(3)", not data)."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name not in ("maturity", "maturity_answers", "level", "dropped", "source"):
                yield from json_texts(value, name)
    elif isinstance(data, list):
        for value in data:
            yield from json_texts(value, key)
    elif isinstance(data, str):
        yield data


@pytest.mark.parametrize("name", ["assessment", "workplan", "design", "population", "linkage", "quality"])
def test_no_json_text_tells_a_small_count(town, name):
    # "· " in front: a number opening a message is a count, not a section or list number as in the PDF
    found = [line for text in json_texts(town[name]) for line in suspicious_numbers("· " + text)]
    assert not found, found[:10]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_small_count_of_people_in_the_pdf_prose_or_tables(town, lang):
    text = town["pdf"][lang]
    assert "x" in re.findall(r"\s(x)\s", text), "the subgroup table marks protective cells"
    assert not suspicious_numbers(text), suspicious_numbers(text)[:10]


def test_the_pdf_scan_catches_a_count_in_prose():
    assert suspicious_numbers("In 4 gevallen wordt het jongste kind 5")
    assert suspicious_numbers("van 5 tot 15 cliënten")
    assert not suspicious_numbers("Pagina 7")
