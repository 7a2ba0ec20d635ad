"""Organisational and legal checklist for CBS linkage, prefilled from the maturity scan.

A maturity result (JSON form, see docs/architecture.md) does not list every answer. A
question counts as reaching a level when the result shows it: gate items that passed (level
>= the gate threshold) or blocked at a known level (the `level` of their finding), levels in
the evidence notes, or the dimension's weakest score (every question of the dimension is at
least that).
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from core import DEFAULT_LANGUAGE, LANGUAGES
from core.jsonio import to_plain
from core.texts import pick
from linkage_readiness.resources import data
from maturity.scoring import gate_finding_id


@dataclass
class ChecklistItem:
    id: str
    done: bool = False
    note: str = ""
    prefilled: bool = False

    @classmethod
    def from_dict(cls, d: dict) -> "ChecklistItem":
        return cls(id=d["id"], done=bool(d.get("done")), note=d.get("note") or "",
                   prefilled=bool(d.get("prefilled")))


def spec() -> dict:
    return data("checklist")["items"]


def default_checklist() -> list[ChecklistItem]:
    return [ChecklistItem(item_id) for item_id in spec()]


def from_dicts(items: list[dict] | None) -> list[ChecklistItem]:
    """Reload saved answers; unknown ids are dropped and new items added as not done."""
    saved = {d["id"]: ChecklistItem.from_dict(d) for d in items or [] if d.get("id") in spec()}
    return [saved.get(item.id, item) for item in default_checklist()]


def _known_levels(maturity: dict) -> tuple[dict[str, float], dict[str, float]]:
    """(question id -> level it is known to reach, dimension id -> weakest score)."""
    gate = maturity.get("gate") or {}
    threshold = gate.get("threshold", 3)
    levels: dict[str, list[float]] = {}
    blocked = {f["id"]: (f.get("params") or {}).get("level") for f in maturity.get("findings", [])}
    for question in gate.get("checked", []):
        finding = gate_finding_id(question)
        if finding not in blocked:
            levels.setdefault(question, []).append(threshold)
        elif blocked[finding] is not None:
            levels.setdefault(question, []).append(blocked[finding])
    weakest = {}
    for dimension in maturity.get("dimensions", []):
        if dimension.get("weakest") is not None:
            weakest[dimension["id"]] = dimension["weakest"]
        for evidence in dimension.get("evidence", []):
            if evidence.get("level") is not None:
                levels.setdefault(evidence["question"], []).append(evidence["level"])
    return {q: median(v) for q, v in levels.items()}, weakest


def _reaches(question: str, level: int, known: dict, weakest: dict) -> bool:
    dimension = question.split(".")[0]
    return known.get(question, 0) >= level or weakest.get(dimension, 0) >= level


def prefill(items: list[ChecklistItem], maturity, lang: str = DEFAULT_LANGUAGE) -> list[ChecklistItem]:
    """Mark as done the items whose maturity questions all reach their level; never undoes
    what the user ticked. `maturity` is a MaturityResult or its JSON dict."""
    if not maturity:
        return items
    result = to_plain(maturity)
    known, weakest = _known_levels(result)
    note = data("checklist")["prefilled_note"]
    out = []
    for item in items:
        sources = spec()[item.id]["prefill_from"]
        if not item.done and sources and all(_reaches(s["question"], s["min_level"], known, weakest) for s in sources):
            names = ", ".join(f"{s['question']} >= {s['min_level']}" for s in sources)
            item = ChecklistItem(item.id, True, item.note or pick(note, lang).format(questions=names), True)
        out.append(item)
    return out


def title(item_id: str, lang: str) -> str:
    return pick({lang_: spec()[item_id][lang_]["title"] for lang_ in LANGUAGES}, lang)


def blocking_ids() -> list[str]:
    return [item_id for item_id, s in spec().items() if s["blocking"]]
