"""Verdict: ready / ready_with_actions / not_ready, with one reason per fired rule.

The rules and their texts are data (data/verdict.yaml); this module holds the checks the
rules can name. Each check returns the values for the reason text, or None when it does not
fire; a value given as {nl, en} is used per language.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import LANGUAGES
from core.findings import Finding
from core.texts import pick
from linkage_readiness import checklist as checklist_module
from linkage_readiness.resources import data, percent
from linkage_readiness.checklist import ChecklistItem
from linkage_readiness.link_rate import LinkRate
from linkage_readiness.microdata import MicrodataPlan


@dataclass
class Reason:
    id: str
    outcome: str
    kind: str
    text: dict[str, str]


@dataclass
class Situation:
    findings: list[Finding]
    link_rate: LinkRate
    plan: MicrodataPlan
    checklist: list[ChecklistItem]


def _rate_values(rate: LinkRate) -> dict:
    return {"value": percent(rate.value), "low": percent(rate.low), "high": percent(rate.high)}


def _link_rate_below(s: Situation, rule: dict):
    if s.link_rate.value < rule["threshold"]:
        return dict(_rate_values(s.link_rate), threshold=percent(rule["threshold"]))
    return None


def _link_rate_between(s: Situation, rule: dict):
    if rule["low"] <= s.link_rate.value < rule["high"]:
        return dict(_rate_values(s.link_rate), target=percent(rule["high"]))
    return None


def _describe(finding: Finding) -> str:
    if finding.id.startswith("minimisation."):
        return f"{finding.table}.{finding.column}"
    return f"{finding.id} ({finding.count})"


def _findings_present(s: Situation, rule: dict):
    hits = [_describe(f) for f in s.findings if f.id in rule["ids"]]
    return {"items": ", ".join(hits)} if hits else None


def _findings_without_item(s: Situation, rule: dict):
    done = {item.id for item in s.checklist if item.done}
    return None if rule["item"] in done else _findings_present(s, rule)


def _clients_on_route(s: Situation, rule: dict):
    row = next((r for r in s.link_rate.by_route if r["route"] == rule["route"]), None)
    if row is None:
        return None
    withheld = data("link_rate")["withheld"]
    clients = withheld if row["clients"] is None else {
        "nl": f"{row['clients']} cliënten", "en": f"{row['clients']} clients"}
    return {"clients": clients}


def _checklist_open(s: Situation, rule: dict):
    blocking = set(checklist_module.blocking_ids())
    open_items = [item.id for item in s.checklist if not item.done and (item.id in blocking) == rule["blocking"]]
    if not open_items:
        return None
    return {"items": {lang: "; ".join(checklist_module.title(i, lang) for i in open_items) for lang in LANGUAGES}}


def _plan_permissions(s: Situation, rule: dict):
    return {"items": ", ".join(s.plan.permissions_needed)} if s.plan.permissions_needed else None


def _plan_coverage(s: Situation, rule: dict):
    problems = [f for f in s.plan.files if f.id in s.plan.coverage_problems]
    if not problems:
        return None
    return {"items": {lang: "; ".join(f"{f.id} ({f.status_text[lang]})" for f in problems) for lang in LANGUAGES}}


CHECKS = {
    "link_rate_below": _link_rate_below,
    "link_rate_between": _link_rate_between,
    "findings_present": _findings_present,
    "findings_without_item": _findings_without_item,
    "clients_on_route": _clients_on_route,
    "checklist_open": _checklist_open,
    "plan_permissions": _plan_permissions,
    "plan_coverage": _plan_coverage,
}


def decide(situation: Situation) -> tuple[str, list[Reason]]:
    rules = data("verdict")
    reasons = []
    for rule in rules["rules"]:
        values = CHECKS[rule["check"]](situation, rule)
        if values is None:
            continue
        text = {lang: rule[lang].format(**{k: pick(v, lang) if isinstance(v, dict) else v
                                           for k, v in values.items()}) for lang in LANGUAGES}
        reasons.append(Reason(rule["id"], rule["outcome"], rule["kind"], text))
    order = rules["outcomes"]
    verdict = max((r.outcome for r in reasons), key=order.index, default=order[0])
    return verdict, reasons


def label(verdict: str, lang: str) -> str:
    return pick(data("verdict")["labels"][verdict], lang)
