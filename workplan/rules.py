"""Rules that decide, from the scan's evidence, whether a condition is met, a register entry
applies or a task is needed.

A rule is a small YAML mapping with one key (the kinds below). It evaluates to True, False or
None (the evidence is missing because a step was not run) and gives one sentence of
evidence per leaf, in Dutch and English, saying what in the scan decided it.

    finding:    {ids: ["coding.*"], severity: [error]}   a matching finding was reported (any step)
    diagnostic: {id: balance, severity: [ok]}             a design diagnostic has this severity
    design:     {verdict: [feasible]}  (optional id)       some/the design has this verdict
    linkage:    {verdict: [ready]}                         the linkage verdict
    maturity:   {dimension: ID, min: 3}                    a maturity dimension's median score
    answer:     {question: design.assignment, min: 3}      median level given to one question (all respondents)
    gate:       true                                       the maturity gate says go
    dialogue:   true                                       a data dialogue with clients was held
    checklist:  {id: dpia}                                 a linkage checklist item is done
    roles:      {any: [client]}                            someone with this role took part
    fact:       {name: n_clients, op: ">=", value: 3000 | setting: NAME}
    all: [...] / any: [...] / not: rule
"""
from __future__ import annotations

import fnmatch
import operator
from dataclasses import dataclass, field
from functools import lru_cache

from core.arms import ROTTERDAM_REFERENCE
from core.findings import Finding, severity_label, verdict_label
from workplan.assessment import Assessment
from workplan.content import LABELS, content, count_text, number_text, percent_text, say, setting

_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
        "==": operator.eq, "!=": operator.ne}


@dataclass
class Outcome:
    value: bool | None
    evidence: list[dict] = field(default_factory=list)   # [{nl, en}]
    matches: list[dict] = field(default_factory=list)    # findings that made a finding rule true


class Evidence:
    """The scan's results and the figures derived from them, as the rules see them."""

    def __init__(self, assessment: Assessment):
        self.a = assessment
        self.facts = derive_facts(assessment)

    def evaluate(self, rule: dict | None) -> Outcome:
        if not rule:
            return Outcome(True)
        (kind, spec), = rule.items()
        return self.rules[kind](self, spec)

    # combinators -------------------------------------------------------------------------
    def _all(self, rules):
        parts = [self.evaluate(r) for r in rules]
        values = [p.value for p in parts]
        value = False if False in values else (None if None in values else True)
        return _merge(value, parts)

    def _any(self, rules):
        parts = [self.evaluate(r) for r in rules]
        values = [p.value for p in parts]
        value = True if True in values else (None if None in values else False)
        return _merge(value, parts)

    def _not(self, rule):
        inner = self.evaluate(rule)
        return Outcome(None if inner.value is None else not inner.value, inner.evidence,
                       inner.matches)

    # leaves ------------------------------------------------------------------------------
    def _finding(self, spec):
        if not self.a.steps_run():
            return Outcome(None, [say("ev_not_run_findings")])
        severities = spec.get("severity", ["error", "warning", "info"])
        matches = [f for f in self.a.findings() if f["severity"] in severities
                   and any(fnmatch.fnmatch(f["id"], pattern) for pattern in spec["ids"])]
        if not matches:
            return Outcome(False, [say("ev_no_finding", ids=", ".join(spec["ids"]))])
        return Outcome(True, [say("ev_finding", findings=lambda lang: findings_text(matches, lang))],
                       matches)

    def _diagnostic(self, spec):
        """A diagnostic of the main design, or a family of them (`first_stage` covers
        `first_stage.Matching`, ...): true when every member has one of the wanted severities."""
        wanted = f"{setting('main_design')}.{spec['id']}"   # design findings are `<design>.<id>`
        members = [d for d in self.a.findings(["design"])
                   if d["id"] == wanted or d["id"].startswith(wanted + ".")]
        if not members:
            return Outcome(None, [say("ev_no_diagnostic", id=lambda lang: diagnostic_name(spec["id"], lang))])
        return Outcome(all(d["severity"] in spec["severity"] for d in members), [say(
            "ev_diagnostic", label=lambda lang, d=d: finding_title(d, lang),
            value=lambda lang, d=d: Finding.from_dict(d).value_text(lang),
            threshold=lambda lang, d=d: number_text(d.get("threshold"), lang),
            verdict=lambda lang, d=d: severity_label(d["severity"], lang)) for d in members])

    def _design(self, spec):
        designs = (self.a.design or {}).get("designs")
        if designs is None:
            return _not_run("design")
        chosen = [d for d in designs if spec.get("id") in (None, d["design"])]
        hit = [d for d in chosen if d["verdict"] in spec["verdict"]]
        shown = hit or chosen
        listed = lambda lang: ", ".join(f"{design_name(d['design'], lang)}: "
                                        f"{verdict_label('design', d['verdict'], lang)}" for d in shown)
        return Outcome(bool(hit), [say("ev_design", designs=listed)])

    def _linkage(self, spec):
        if self.a.linkage is None:
            return _not_run("linkage")
        verdict = self.a.linkage["verdict"]
        return Outcome(verdict in spec["verdict"], [say(
            "ev_linkage", verdict=lambda lang: verdict_label("linkage", verdict, lang))])

    def _maturity(self, spec):
        dimension = next((d for d in (self.a.maturity or {}).get("dimensions", [])
                          if d["id"] == spec["dimension"]), None)
        if dimension is None or dimension.get("median") is None:
            return Outcome(None, [say("ev_no_maturity", id=spec["dimension"])])
        name = lambda lang: dimension["name"].get(lang, spec["dimension"])
        return Outcome(dimension["median"] >= spec["min"], [say(
            "ev_maturity", name=name, score=lambda lang: number_text(dimension["median"], lang, 1),
            min=lambda lang: number_text(spec["min"], lang, 1))])

    def _answer(self, spec):
        scores = [d["question_scores"][spec["question"]] for d in (self.a.maturity or {}).get("dimensions", [])
                  if spec["question"] in (d.get("question_scores") or {})]
        name = lambda lang: question_name(spec["question"], lang)
        if not scores:
            return Outcome(None, [say("ev_no_answer", question=name)])
        level = scores[0]
        return Outcome(level >= spec["min"], [say(
            "ev_answer", question=name, level=lambda lang: number_text(level, lang, 1),
            min=spec["min"])])

    def _gate(self, wanted):
        if self.a.maturity is None:
            return _not_run("maturity")
        go = self.a.maturity["verdict"] == "go"
        evidence = say("ev_gate_go") if go else say(
            "ev_gate_nogo", blocking=lambda lang: blocking_text(self.a.maturity, lang))
        return Outcome(go == wanted, [evidence])

    def _dialogue(self, wanted):
        record = self.a.dialogue
        if not record:
            return Outcome(None, [say("ev_no_dialogue")])
        return Outcome(bool(record.get("held")) == wanted, [record["evidence"]])

    def _checklist(self, spec):
        if self.a.linkage is None:
            return _not_run("linkage")
        item = next((i for i in self.a.linkage.get("checklist", []) if i["id"] == spec["id"]), None)
        name = lambda lang: checklist_name(spec["id"], lang)
        if item is None:
            return Outcome(None, [say("ev_checklist_absent", item=name)])
        return Outcome(bool(item["done"]), [say(
            "ev_checklist_done" if item["done"] else "ev_checklist_open", item=name)])

    def _roles(self, spec):
        roles = {p["role"] for p in self.a.participants}
        if not roles:
            return Outcome(None, [say("ev_no_participants")])
        wanted = set(spec["any"])
        present = lambda lang: ", ".join(role_name(r, lang) for r in sorted(roles))
        return Outcome(bool(roles & wanted), [say(
            "ev_roles", present=present,
            wanted=lambda lang: ", ".join(role_name(r, lang) for r in spec["any"]))])

    def _fact(self, spec):
        value = self.facts.get(spec["name"])
        if value is None:
            return Outcome(None, [say("ev_no_fact", name=lambda lang: fact_name(spec["name"], lang))])
        bound = setting(spec["setting"]) if "setting" in spec else spec["value"]
        return Outcome(_OPS[spec["op"]](value, bound), [say(
            "ev_fact", name=lambda lang: fact_name(spec["name"], lang),
            value=lambda lang: format_fact(spec["name"], value, lang), op=spec["op"],
            bound=lambda lang: format_fact(spec["name"], bound, lang))])


Evidence.rules = {
    "all": Evidence._all, "any": Evidence._any, "not": Evidence._not,
    "finding": Evidence._finding, "diagnostic": Evidence._diagnostic, "design": Evidence._design,
    "linkage": Evidence._linkage, "maturity": Evidence._maturity, "answer": Evidence._answer,
    "gate": Evidence._gate, "dialogue": Evidence._dialogue, "checklist": Evidence._checklist, "roles": Evidence._roles,
    "fact": Evidence._fact,
}


def _not_run(step: str) -> Outcome:
    return Outcome(None, [say("ev_not_run", step=lambda lang: LABELS(f"step_{step}", lang))])


def _merge(value, parts: list[Outcome]) -> Outcome:
    return Outcome(value, [e for p in parts for e in p.evidence], [m for p in parts for m in p.matches])


def finding_title(finding: dict, lang: str) -> str:
    """A finding's plain title (never its id), from the catalogues."""
    return Finding.from_dict(finding).title(lang)


def findings_text(findings: list[dict], lang: str) -> str:
    """`title (count), ...` with counts under the disclosure threshold reading `<10`."""
    return ", ".join(finding_title(f, lang) + (f" ({count_text(f['count'], lang)})"
                                               if f.get("count") or "count" in f.get("hidden", ()) else "")
                     for f in findings)


def design_findings(design: dict | None, name: str) -> list[dict]:
    """The findings of one design of the design step's result."""
    chosen = next((d for d in (design or {}).get("designs", []) if d["design"] == name), None)
    if chosen is None:
        return []
    ids = set(chosen.get("findings", []))
    return [f for f in design.get("findings", []) if f["id"] in ids]


def blocking_text(maturity: dict, lang: str) -> str:
    """The maturity gate's blocking items (its error findings), `; `-separated."""
    return "; ".join(finding_title(f, lang) for f in maturity.get("findings", []) if f["severity"] == "error")


def _name(kind: str, key: str, lang: str) -> str:
    entry = content("names").get(kind, {}).get(key)
    return entry.get(lang, key) if entry else key.replace("_", " ")


def design_name(key: str, lang: str) -> str:
    return _name("designs", key, lang)


def diagnostic_name(key: str, lang: str) -> str:
    return _name("diagnostics", key, lang)


def checklist_name(key: str, lang: str) -> str:
    from linkage_readiness.checklist import spec, title   # step 3 owns the checklist
    return title(key, lang) if key in spec() else key


def role_name(key: str, lang: str) -> str:
    return _name("roles", key, lang)


@lru_cache(maxsize=1)
def _question_bank():
    from maturity import load_bank   # step 1's bank; ids it does not know are shown as they are
    return load_bank()


def question_name(key: str, lang: str) -> str:
    """The short label of a maturity question, from the maturity question bank."""
    bank = _question_bank()
    return bank.question(key).short.get(lang, key) if bank.knows(key) else key


def fact_name(key: str, lang: str) -> str:
    return _name("facts", key, lang)


def format_fact(name: str, value, lang: str) -> str:
    """Counts pass the disclosure threshold; shares and effects read as percentages."""
    kind = content("names")["facts"].get(name, {}).get("kind", "count")
    if kind == "share":
        return percent_text(value, lang)
    if kind == "effect":
        return percent_text(value, lang, 0, signed=True)
    if kind == "number":
        return number_text(value, lang, 1)
    if kind == "count_plain":   # a number of findings, not of people: no disclosure risk
        return str(int(value))
    if kind == "text":          # names, e.g. of the arms compared
        return str(value)
    return count_text(value, lang)


def fact_texts(facts: dict, lang: str) -> dict[str, str]:
    """Every fact formatted for use in a text template (`{n_clients}`, `{link_rate}`, ...)."""
    return {name: format_fact(name, value, lang) for name, value in facts.items()
            if value is not None and not isinstance(value, (dict, list))}


def reference_of(design: dict) -> str | None:
    """The reference arm of a design result (an older result without one: Rotterdam's)."""
    if not design.get("frame"):
        return None
    return design["frame"].get("reference") or ROTTERDAM_REFERENCE


def derive_facts(a: Assessment) -> dict:
    """The figures the rules and texts use, taken from whichever steps were run."""
    extract = a.extract_facts or {}
    design = a.design or {}
    frame = design.get("frame") or {}
    facts = {
        "n_clients": extract.get("n_clients") or frame.get("analysed"),
        "n_caseworkers": extract.get("n_caseworkers") or frame.get("caseworkers"),
        "n_codes": extract.get("n_codes"),
    }
    per_code = extract.get("intervention_clients") or {}
    if per_code:
        sizes = [n or 0 for n in per_code.values()]   # suppressed counts (None) are below 10
        facts["largest_intervention_clients"] = max(sizes)
        facts["n_codes_too_small"] = sum(n < setting("min_clients_intervention") for n in sizes)
    linkage = a.linkage or {}
    rate = linkage.get("predicted_link_rate") or {}
    facts["link_rate"] = rate.get("value")
    arms = frame.get("arms") or list(frame.get("departments") or {})   # an older result: Rotterdam's
    facts["arms"], facts["reference"] = ", ".join(arms) or None, reference_of(design)
    for estimate in design.get("estimates", []):
        facts[f"{estimate['method']}_{estimate['department'].lower()}"] = estimate["estimate"]
    for grey in design.get("grey_area", []):
        # counts may be hidden by disclosure control; the share is published rounded
        facts[f"grey_{grey['department'].lower()}"] = grey.get("maybe_share")
    return facts
