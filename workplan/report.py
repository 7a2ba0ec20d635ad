"""What the workplan says about one assessment: traffic lights, go/no-go items, top actions,
conditions met / to do, the tailored register and the phased plan with its schedule.

Everything here is decided by the YAML content (workplan/content/) and the rules in
workplan/rules.py; the PDF, the command line and the app page only render a `Report`."""
from __future__ import annotations

from dataclasses import dataclass, field

from core import LANGUAGES
from core.findings import Finding, make, verdict_label, verdict_light
from core.texts import render

from workplan.assessment import STEPS, Assessment
from workplan.content import content, count_text, percent_text, say, setting
from workplan.rules import Evidence, Outcome, blocking_text, design_findings, fact_texts, findings_text


@dataclass
class StepLight:
    step: str
    light: str                      # green | amber | red | grey
    headline: dict[str, str]


@dataclass
class GateItem:
    id: str
    title: dict[str, str]
    go: bool | None                 # None: the step that decides it was not run
    evidence: list[dict]

    @property
    def status(self) -> str:
        """The label key of `go`: go | nogo | unknown."""
        return {True: "go", False: "nogo", None: "unknown"}[self.go]


@dataclass
class Task:
    phase: str
    text: dict[str, str]
    priority: int | None = None     # 1 = most urgent; None = standing task


@dataclass
class Phase:
    id: str
    name: dict[str, str]
    roles: list[str]
    weeks: int
    start_week: int
    depends_on: list[str]
    tasks: list[Task] = field(default_factory=list)

    @property
    def end_week(self) -> int:
        return self.start_week + self.weeks


@dataclass
class ConditionState:
    id: str
    group: str
    title: dict[str, str]
    why: dict[str, str]
    met: bool
    decided: bool                   # False: the scan had no evidence, so it stays "to do"
    evidence: list[dict]
    todo: dict[str, str]


@dataclass
class RegisterEntry:
    heading: str
    text: dict[str, str]


@dataclass
class Report:
    municipality: str
    date: str
    steps_run: list[str]
    lights: list[StepLight]
    gates: list[GateItem]
    actions: list[Task]
    conditions: list[ConditionState]
    register: list[RegisterEntry]
    phases: list[Phase]

    @property
    def total_weeks(self) -> int:
        return max(p.end_week for p in self.phases)


def build_report(assessment: Assessment) -> Report:
    evidence = Evidence(assessment)
    conditions = [_condition(entry, evidence) for entry in content("conditions")["conditions"]]
    phases = _phases(evidence, conditions)
    tasks = [t for p in phases for t in p.tasks if t.priority is not None]
    actions = sorted(tasks, key=lambda t: t.priority)[:setting("top_actions")]
    return Report(
        municipality=assessment.municipality, date=assessment.date,
        steps_run=assessment.steps_run(),
        lights=[step_light(assessment, step) for step in STEPS],
        gates=[GateItem(g["id"], g["title"], (o := evidence.evaluate(g["rule"])).value, o.evidence)
               for g in content("gates")["gates"]],
        actions=actions, conditions=conditions,
        register=[RegisterEntry(e["heading"], fill(e["text"], evidence, o))
                  for e in content("register")["entries"]
                  if (o := evidence.evaluate(e["when"])).value],
        phases=phases)


# --- traffic lights ---------------------------------------------------------------------------
def step_light(assessment: Assessment, step: str) -> StepLight:
    """The step's light follows its verdict (core/verdicts.yaml); a step not run is grey."""
    result = assessment.result(step)
    if result is None:
        return StepLight(step, "grey", not_run_text(assessment, step))
    return StepLight(step, verdict_light(step, result["verdict"]), HEADLINES[step](result))


def not_run_text(assessment: Assessment, step: str) -> dict[str, str]:
    """Why a step was not run, in every language."""
    reason = assessment.not_run.get(step)
    finding = Finding.from_dict(reason) if reason else make("step.not_run", reason=say("not_run_reason"))
    return finding.texts()


def _maturity_headline(result):
    if result["verdict"] == "no_go":
        return say("head_maturity_nogo", n=len(result["gate"]["blocking"]))
    weak = [d for d in result["dimensions"]
            if d.get("median") is not None and d["median"] < setting("maturity_weak_below")]
    return say("head_maturity_go", n=len(weak))


def _quality_headline(result):
    summary = result["summary"]
    return say("head_quality", errors=summary.get("error", 0), warnings=summary.get("warning", 0))


def _linkage_headline(result):
    verdict = lambda lang: verdict_label("linkage", result["verdict"], lang)
    rate = (result.get("predicted_link_rate") or {}).get("value")
    if rate is None:
        return say("head_linkage", verdict=verdict)
    return say("head_linkage_rate", verdict=verdict, rate=lambda lang: percent_text(rate, lang))


def _design_headline(result):
    return say("head_design", verdict=lambda lang: verdict_label("design", result["verdict"], lang))


HEADLINES = {"maturity": _maturity_headline, "quality": _quality_headline,
             "linkage": _linkage_headline, "design": _design_headline}


# --- conditions, tasks, phases --------------------------------------------------------------
def _condition(entry: dict, evidence: Evidence) -> ConditionState:
    outcome = evidence.evaluate(entry["rule"])
    return ConditionState(entry["id"], entry["group"], entry["title"], entry["why"],
                          met=outcome.value is True, decided=outcome.value is not None,
                          evidence=outcome.evidence, todo=entry["todo"])


def _phases(evidence: Evidence, conditions: list[ConditionState]) -> list[Phase]:
    phases, ends, covered = [], {}, set()
    for entry in content("phases")["phases"]:
        tasks = [Task(entry["id"], text) for text in entry["tasks"]]
        weeks = entry["weeks"]
        for trigger in entry["triggers"]:
            outcome = evidence.evaluate(trigger["when"])
            if outcome.value:
                tasks.append(Task(entry["id"], fill(trigger["task"], evidence, outcome),
                                  trigger["priority"]))
                weeks += trigger.get("extra_weeks", 0)
                covered.add(trigger.get("covers"))
        start = max((ends[d] for d in entry["depends_on"]), default=0)
        ends[entry["id"]] = start + weeks
        phases.append(Phase(entry["id"], entry["name"], entry["roles"], weeks, start,
                            entry["depends_on"], tasks))
    by_id = {p.id: p for p in phases}
    for condition, entry in zip(conditions, content("conditions")["conditions"]):
        if not condition.met and condition.id not in covered:
            # a condition the scan shows is not met is urgent; one it could not judge less so
            by_id[entry["phase"]].tasks.append(
                Task(entry["phase"], condition.todo, 2 if condition.decided else 3))
    return phases


def fill(template: dict, evidence: Evidence, outcome: Outcome) -> dict[str, str]:
    """A text template in both languages, filled with the scan's figures and the findings
    that made its rule true (counts under the disclosure threshold read `<10`)."""
    out = {}
    for lang in LANGUAGES:
        values = fact_texts(evidence.facts, lang)
        values.update({k: count_text(v, lang) for k, v in content("settings").items()
                       if k.startswith("min_")})
        values["findings"] = findings_text(outcome.matches, lang)
        values["blocking"] = blocking_text(evidence.a.maturity or {}, lang)
        values["design_reasons"] = " ".join(
            Finding.from_dict(f).message(lang) for f in design_findings(evidence.a.design, setting("main_design"))
            if f["severity"] in ("error", "warning"))
        out[lang] = render(template[lang], lang, values)
    return out
