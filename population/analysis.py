"""The population profile of one extract: `analyse(tables, options) -> PopulationResult`."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from core import LANGUAGES
from core.arms import ArmChoice, resolve_arms
from core.disclosure import marked
from core.findings import Finding, make
from core.texts import load_yaml
from design_feasibility.power import two_group_mde
from population import client_types, survival
from population.config import HERE, MISSING, TEXTS, Options, characteristics, settings
from population.frame import ClientFrame, build


@dataclass
class PopulationResult:
    settings: dict
    n_clients: int
    characteristics: list[str]
    profile: list[dict]
    survival: dict | None
    cox: dict | None
    types: dict | None
    feasibility: dict
    findings: list[Finding] = field(default_factory=list)

    def __json__(self) -> dict:
        return {"settings": self.settings, "n_clients": self.n_clients,
                "characteristics": self.characteristics, "profile": self.profile,
                "survival": self.survival, "cox": self.cox, "types": plain_types(self.types),
                "feasibility": self.feasibility, "findings": [f.to_dict() for f in self.findings],
                "note": {lang: correlation_note(lang) for lang in LANGUAGES}}


    @classmethod
    def from_dict(cls, data: dict) -> "PopulationResult":
        """The result again from its JSON form (e.g. as kept in a saved assessment)."""
        values = {name: data.get(name) for name in cls.__dataclass_fields__ if name != "findings"}
        return cls(**values, findings=[Finding.from_dict(f) for f in data.get("findings", [])])


def correlation_note(lang: str) -> str:
    return make("population.correlation_not_effect").message(lang)


def level_order(frame: ClientFrame) -> dict[str, list[str]]:
    """Levels per characteristic: the declared order first (reference first), then others."""
    declared = characteristics()
    order = {}
    for column in frame.characteristics:
        present = [v for v in frame.data[column].unique() if v != MISSING]
        known = list(declared.get(column, {}).get("levels", {}))
        order[column] = [lvl for lvl in known if lvl in present] + sorted(v for v in present if v not in known)
    return order


def _shown(n, min_count):
    return None if n is None or 0 < n < min_count else int(n)


def profile(frame: ClientFrame, levels: dict, min_count: int) -> tuple[list[dict], int]:
    """Per characteristic: clients per level with shares (and, with outcomes, the clients
    who started work in the follow-up), as printed by core.disclosure.marked: "<10" for a
    small count, "x" for one hidden to protect it (the total is published)."""
    data, hidden, out = frame.data, 0, []
    usable = data["time"].notna() if frame.has_outcomes else None
    started_all = int(data.loc[usable, "event"].sum()) if frame.has_outcomes else None
    for column in frame.characteristics:
        order = levels[column] + ([MISSING] if (data[column] == MISSING).any() else [])
        shown = marked(data[column].value_counts().reindex(order, fill_value=0).to_frame(), min_count).iloc[:, 0]
        hidden += int(shown.map(lambda v: isinstance(v, str)).sum())
        started_shown = None
        if frame.has_outcomes:
            started = data.loc[usable & (data["event"] == 1), column].value_counts().reindex(order, fill_value=0)
            started_shown = marked(started.to_frame(), min_count).iloc[:, 0]
            hidden += int(started_shown.map(lambda v: isinstance(v, str)).sum())
        rows = []
        for level in order:
            value = shown[level]
            row = {"level": level, "n": value if isinstance(value, str) else int(value),
                   "share": None if isinstance(value, str) else float(value / len(data))}
            if started_shown is not None:
                s = started_shown[level]
                row["started"] = s if isinstance(s, str) else int(s)
                row["share_of_started"] = None if isinstance(s, str) or not started_all else float(s / started_all)
            rows.append(row)
        out.append({"characteristic": column, "levels": rows})
    return out, hidden


def start_work(frame: ClientFrame, levels: dict, opts: dict, min_count: int) -> dict:
    data = frame.data.dropna(subset=["time"])
    months, milestones = opts["follow_up_months"], opts["milestones"]
    overall = survival.km_curve(data["time"], data["event"], months, milestones, min_count)
    per = {}
    for column in frame.characteristics:
        curves = survival.curves(frame.data, column, months, milestones, min_count)
        per[column] = [{"level": lvl, "curve": curves.get(lvl)} for lvl in levels[column] if lvl in curves]
    return {"n": _shown(len(data), min_count), "all": overall, "by_characteristic": per}


def cox_models(frame: ClientFrame, levels: dict, min_count: int) -> dict:
    uni = {c: survival.hazard_ratios(frame.data, [c], levels, min_count) for c in frame.characteristics}
    multi = survival.hazard_ratios(frame.data, list(frame.characteristics), levels, min_count)
    return {"univariate": uni, "multivariate": multi}


def types_of(frame: ClientFrame, n_types, min_count: int, with_outcomes: bool, opts: dict) -> dict:
    columns = [c for c in frame.characteristics if frame.data[c].nunique() > 1]
    cats = frame.data[columns]
    found = client_types.find_types(cats, n_types, min_count) if columns else {"labels": None, "silhouette": {}}
    if found["labels"] is None:           # nothing varies (one client, or all alike): no types
        return {"k": None, "chosen_by": "none", "silhouette": found["silhouette"], "types": []}
    described = client_types.describe(cats, found["labels"], min_count)
    if with_outcomes:
        months = opts["follow_up_months"]
        for item in described:
            members = frame.data[(found["labels"] == item["type"] - 1)].dropna(subset=["time"])
            curve = survival.km_curve(members["time"], members["event"], months, opts["milestones"], min_count)
            item["started_at"] = curve["started_at"] if curve else None
    return {"k": found["k"], "chosen_by": found["chosen_by"], "silhouette": found["silhouette"],
            "smallest_ok": found.get("smallest_ok", {}), "types": described,
            "labels": found["labels"]}


def _arm_cells(data: pd.DataFrame, group: dict, arms: list[str], min_count: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clients per subgroup of one group and arm, counted and as printed (core.disclosure.marked): the
    subgroups, their sizes and the arm totals are all published, so the table is protected
    as a whole, with the clients in none of the subgroups as one more (unpublished) row."""
    counted = [sub for sub in group["subgroups"] if not sub.get("needs") and sub["characteristic"] in data]
    rows, inside = {}, pd.Series(False, index=data.index)
    for i, sub in enumerate(counted):
        member = data[sub["characteristic"]].isin(sub["levels"])
        inside |= member
        rows[i] = data.loc[member, "department"].value_counts().reindex(arms, fill_value=0)
    rows["rest"] = data.loc[~inside, "department"].value_counts().reindex(arms, fill_value=0)
    counts = pd.DataFrame(rows).T.fillna(0)
    return counts.drop(index="rest"), marked(counts, min_count).drop(index="rest")


def _mde(n1: int, n0: int, rate: float, min_count: int) -> float | None:
    """The minimum detectable effect of an arm of `n1` clients against a reference of `n0`."""
    if n1 < min_count or n0 < min_count:
        return None
    return float(two_group_mde(2 / (1 / n1 + 1 / n0), rate))     # equal-n equivalent of the unequal groups


def feasibility(frame: ClientFrame, opts: dict, min_count: int, choice: ArmChoice = ArmChoice()) -> dict:
    """Per subgroup: clients per arm and the MDE of every treated arm against the reference.
    The arms are the data's own (core.arms.resolve_arms on each client's first referral, the
    rule of the design step: `choice` is the user's reference, else the mapping's, else
    Prematching when present, else the arm with the most clients); too rare values are left out."""
    conf = settings()["feasibility"]
    resolved = resolve_arms(frame.data["department"], choice)
    reference, arms = resolved.reference, list(resolved.treated)
    data = frame.data
    rows = []
    for group in load_yaml(HERE / "subgroups.yaml"):
        counts, cells = _arm_cells(data, group, [reference, *arms] if reference else [], min_count)
        counted = 0
        for sub in group["subgroups"]:
            row = {"group": group["group"], "label": sub["label"]}
            if sub.get("needs") or sub["characteristic"] not in data:
                row.update(needs="cbs", arms=None, feasible=None)
                rows.append(row)
                continue
            shown, n = cells.loc[counted].to_dict(), counts.loc[counted].to_dict()
            counted += 1
            members = data[data[sub["characteristic"]].isin(sub["levels"])]
            rate, rate_source = conf["assumed_rate"], "assumed"
            if frame.has_outcomes and len(members.dropna(subset=["time"])) >= min_count:
                usable = members.dropna(subset=["time"])
                curve = survival.km_curve(usable["time"], usable["event"], opts["follow_up_months"],
                                          opts["milestones"], min_count)
                at_end = curve["started_at"].get(str(opts["follow_up_months"])) if curve else None
                if at_end is not None and 0 < at_end < 1:
                    rate, rate_source = at_end, "observed"
            mde = {arm: _mde(n[arm], n[reference], rate, min_count) for arm in arms}
            # judged on the counts; an MDE is shown only beside counts that are (it would give them away)
            feasible = bool(mde) and all(v is not None and v <= opts["target_effect"] for v in mde.values())
            mde = {arm: None if isinstance(shown[arm], str) or isinstance(shown[reference], str) else v
                   for arm, v in mde.items()}
            row.update(arms={a: v if isinstance(v, str) else int(v) for a, v in shown.items()}, rate=float(rate),
                       rate_source=rate_source, mde=mde, feasible=bool(feasible),
                       n=_shown(len(members), min_count))
            rows.append(row)
    return {"reference_arm": reference, "reference_basis": resolved.basis, "arms": arms,
            "rare_arms": list(resolved.rare), "target_effect": opts["target_effect"], "rows": rows}


def analyse(tables: dict, options: Options | None = None, quick: PopulationResult | None = None) -> PopulationResult:
    """The profile of `tables`. `quick`, when given, is the result of the same tables and
    options without the models (`with_cox` and `with_types` False, as the app shows first):
    its profile, curves and subgroups are taken as they are and only the models are added."""
    options = options or Options()
    opts = options.resolved()
    min_count = opts["disclosure_min"]
    frame = build(tables, opts["min_work_months"], opts["follow_up_months"], options.extract_date, options.arms)
    opts["extract_date"] = frame.extract_date.date().isoformat()
    opts["extract_date_basis"] = frame.extract_date_basis
    levels = level_order(frame)
    quick = quick or _without_models(frame, levels, opts, options.arms)
    if not (options.with_cox or options.with_types):
        return quick
    cox = cox_models(frame, levels, min_count) if options.with_cox and frame.has_outcomes else None
    types, findings = None, list(quick.findings)
    if options.with_types:
        types = types_of(frame, options.n_types, min_count, frame.has_outcomes, opts)
        at = next(i for i, f in enumerate(findings) if f.id.startswith("population.subgroups_"))
        findings.insert(at, _types_finding(types, min_count))
    return replace(quick, cox=cox, types=types, findings=findings)


def _types_finding(types: dict, min_count: int) -> Finding:
    if not types["k"]:
        return make("population.no_types", threshold=min_count)
    criterion = {lang: TEXTS(f"types_chosen_by.{types['chosen_by']}", lang) for lang in LANGUAGES}
    return make("population.types", k=types["k"], criterion=criterion)


def _without_models(frame: ClientFrame, levels: dict, opts: dict, arms: ArmChoice) -> PopulationResult:
    """Profile, start-work curves and subgroups, with their findings."""
    min_count = opts["disclosure_min"]
    prof, hidden = profile(frame, levels, min_count)
    findings = [make("population.clients", count=len(frame.data), characteristics=len(frame.characteristics))]
    surv = None
    if frame.has_outcomes:
        surv = start_work(frame, levels, opts, min_count)
        if not frame.duration_checked:
            findings.append(make("population.duration_unchecked", months=opts["min_work_months"]))
        few = frame.excluded_before_origin
        if few:
            findings.append(make("population.started_before_origin", count=_shown(few, min_count),
                                 few=min_count if 0 < few < min_count else None))
    else:
        findings.append(make("population.no_outcomes"))
    feas = feasibility(frame, opts, min_count, arms)
    checked = [r for r in feas["rows"] if r.get("needs") is None]
    ok = sum(r["feasible"] for r in checked)
    findings.append(make("population.subgroups_feasible" if ok == len(checked) and checked else "population.subgroups_too_small",
                         feasible=ok, subgroups_total=len(checked), target=opts["target_effect"]))
    needs = len(feas["rows"]) - len(checked)
    if needs:
        findings.append(make("population.subgroups_need_cbs", subgroups=needs))
    if hidden:
        findings.append(make("population.cells_hidden", cells=hidden, threshold=min_count))
    findings.append(make("population.correlation_not_effect"))
    opts["outcomes"] = frame.has_outcomes
    opts["duration_checked"] = frame.duration_checked
    return PopulationResult(settings=opts, n_clients=len(frame.data), characteristics=frame.characteristics,
                            profile=prof, survival=surv, cox=None, types=None, feasibility=feas,
                            findings=findings)


def plain_types(types: dict | None) -> dict | None:
    """The types without the per-client labels (for JSON and reports)."""
    if types is None:
        return None
    return {k: v for k, v in types.items() if k != "labels"}
