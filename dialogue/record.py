"""What a data dialogue concluded, and the evidence text for the workplan's ethical condition
on client involvement."""
from __future__ import annotations

from core import LANGUAGES
from core.texts import pick
from dialogue.cards import TEXTS, data

CONCERNS = ("distrust", "automation", "transparency", "other_improvements", "linkage_acceptable")
TOPICS = ("privacy", "transparency", "control")


def session_record(date: str, group: str, participants: int, topics=(), concerns=(),
                   conclusions: str = "", follow_up: str = "") -> dict:
    """The result of one session, as stored in the assessment (plain JSON values)."""
    unknown = [c for c in concerns if c not in CONCERNS] + [t for t in topics if t not in TOPICS]
    if unknown:
        raise ValueError(f"unknown items: {', '.join(unknown)}")
    return {"held": True, "date": str(date), "group": group.strip(), "participants": int(participants),
            "topics": [t for t in TOPICS if t in topics], "concerns": [c for c in CONCERNS if c in concerns],
            "conclusions": conclusions.strip(), "follow_up": follow_up.strip()}


def _labels(keys, table: str, lang: str) -> str:
    labels = TEXTS.entries[table]
    return ", ".join(pick(labels[k], lang) for k in keys) or "-"


def evidence_text(record: dict | None, lang: str = "nl") -> str:
    """One paragraph for the workplan (ethical condition: clients involved), in `lang`."""
    if not record or not record.get("held"):
        return TEXTS("evidence.none", lang)
    text = TEXTS("evidence", lang, date=record["date"], group=record.get("group") or "-",
                 participants=record.get("participants", 0),
                 topics=_labels(record.get("topics", []), "topic_labels", lang),
                 concerns=_labels(record.get("concerns", []), "concern_labels", lang),
                 conclusions=record.get("conclusions") or "-")
    if record.get("follow_up"):
        text += f" {record['follow_up']}"
    return text


def evidence(record: dict | None) -> dict[str, str]:
    """The evidence text in every language."""
    return {lang: evidence_text(record, lang) for lang in LANGUAGES}


__all__ = ["CONCERNS", "TOPICS", "session_record", "evidence_text", "evidence", "data"]
