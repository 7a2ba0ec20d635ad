"""Verdict findings: one finding per fired rule, and the verdict that follows from them.

The rules' conditions are data (data/verdict.yaml), their severity and texts are catalogue
entries (data/findings.yaml); this module holds the checks a rule can name. Each check returns
the values of the finding (its texts' parameters), or None when it does not fire. The verdict
is `core.findings.verdict("linkage", reasons)`: any error -> not_ready, any warning ->
ready_with_actions, else ready. Reason texts name findings by their titles, never by their
ids, and write a count of people below the disclosure threshold as "fewer than N".
"""
from __future__ import annotations

from dataclasses import dataclass

from core import LANGUAGES
from core.findings import Finding, make
from core.texts import bilingual
from linkage_readiness import checklist as checklist_module
from linkage_readiness.checklist import ChecklistItem
from linkage_readiness.link_rate import LinkRate
from linkage_readiness.microdata import MicrodataPlan
from linkage_readiness.resources import TEXTS, data


@dataclass
class Situation:
    findings: list[Finding]
    link_rate: LinkRate
    plan: MicrodataPlan
    checklist: list[ChecklistItem]
    min_count: int


def rules() -> list[dict]:
    return data("verdict")["rules"]


def is_reason(finding: Finding) -> bool:
    """True for a verdict finding (one of the rules), False for a finding about the data."""
    return finding.id in {rule["id"] for rule in rules()}


def _joined(parts: list[dict], separator: str) -> dict[str, str]:
    return {lang: separator.join(part[lang] for part in parts) for lang in LANGUAGES}


def _people(count: int | None, min_count: int):
    """A count of people as a reason text shows it: below `min_count` only 'fewer than N'."""
    if count is not None and count < min_count:
        return bilingual(TEXTS.entries["fewer_than"], {"min_count": min_count})
    return count


def _described(finding: Finding, min_count: int) -> dict[str, str]:
    if finding.id.startswith("minimisation."):
        return dict.fromkeys(LANGUAGES, f"{finding.table}.{finding.column}")
    title = {lang: finding.title(lang) for lang in LANGUAGES}
    return bilingual(TEXTS.entries["reason_item"], {"title": title, "count": _people(finding.count, min_count)})


def _rate(s: Situation) -> dict:
    return {"value": s.link_rate.value, "low": s.link_rate.low, "high": s.link_rate.high}


def _link_rate_below(s: Situation, rule: dict):
    return dict(_rate(s), threshold=rule["threshold"]) if s.link_rate.value < rule["threshold"] else None


def _link_rate_between(s: Situation, rule: dict):
    return dict(_rate(s), target=rule["high"]) if rule["low"] <= s.link_rate.value < rule["high"] else None


def _findings_present(s: Situation, rule: dict):
    hits = [_described(f, s.min_count) for f in s.findings if f.id in rule["ids"]]
    return {"items": _joined(hits, ", ")} if hits else None


def _findings_without_item(s: Situation, rule: dict):
    done = {item.id for item in s.checklist if item.done}
    return None if rule["item"] in done else _findings_present(s, rule)


def _clients_on_route(s: Situation, rule: dict):
    row = next((r for r in s.link_rate.by_route if r["route"] == rule["route"]), None)
    if row is None:
        return None
    withheld = {lang: TEXTS("withheld_count", lang) for lang in LANGUAGES}
    return {"count": row["clients"], "clients": withheld if row["clients"] is None else row["clients"]}


def _checklist_open(s: Situation, rule: dict):
    blocking = set(checklist_module.blocking_ids())
    open_items = [item.id for item in s.checklist if not item.done and (item.id in blocking) == rule["blocking"]]
    if not open_items:
        return None
    return {"items": _joined([{lang: checklist_module.title(i, lang) for lang in LANGUAGES}
                              for i in open_items], "; ")}


def _plan_permissions(s: Situation, rule: dict):
    return {"items": ", ".join(s.plan.permissions_needed)} if s.plan.permissions_needed else None


def _plan_coverage(s: Situation, rule: dict):
    problems = [f for f in s.plan.files if f.id in s.plan.coverage_problems]
    if not problems:
        return None
    return {"items": _joined([{lang: f"{f.id} ({f.status_text[lang]})" for lang in LANGUAGES}
                              for f in problems], "; ")}


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


def verdict_findings(situation: Situation) -> list[Finding]:
    """One finding per fired rule, in the order of the rules."""
    return [make(rule["id"], kind=rule["kind"], **values) for rule in rules()
            if (values := CHECKS[rule["check"]](situation, rule)) is not None]
