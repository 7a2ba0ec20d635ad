"""Settings, characteristic definitions and texts of the population profile (YAML data)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.arms import ArmChoice
from core.extract_date import ExtractDate
from core.texts import Texts, load_yaml, pick

HERE = Path(__file__).parent
TEXTS = Texts(HERE / "texts.yaml")


def settings() -> dict:
    return load_yaml(HERE / "settings.yaml")


def characteristics() -> dict:
    """Characteristic -> {label, levels}, without the 'missing' entry."""
    return {k: v for k, v in load_yaml(HERE / "characteristics.yaml").items() if k != "missing"}


def missing_label() -> dict:
    return load_yaml(HERE / "characteristics.yaml")["missing"]


MISSING = "_missing"


def level_label(characteristic: str, level: str, lang: str) -> str:
    if level == MISSING:
        return pick(missing_label(), lang)
    entry = characteristics().get(characteristic, {}).get("levels", {}).get(level)
    return pick(entry, lang) if entry else str(level)


def characteristic_label(characteristic: str, lang: str) -> str:
    entry = characteristics().get(characteristic)
    return pick(entry["label"], lang) if entry else characteristic


@dataclass(frozen=True)
class Options:
    """What the user can set; None means the default of settings.yaml."""
    min_work_months: int | None = None
    n_types: int | None = None          # None: chosen by the silhouette criterion
    extract_date: ExtractDate | str | None = None   # None: inferred from the data (core.extract_date)
    target_effect: float | None = None
    disclosure_min: int | None = None
    with_types: bool = True
    arms: ArmChoice = ArmChoice()       # merges of referral values into arms and the reference (core.arms)
    with_cox: bool = True               # False: no hazard ratios (a quicker first result)
    extra: dict = field(default_factory=dict)

    def resolved(self) -> dict:
        s = settings()
        return {"min_work_months": self.min_work_months or s["min_work_months"],
                "n_types": self.n_types,
                "target_effect": self.target_effect or s["feasibility"]["target_effect"],
                "disclosure_min": self.disclosure_min or s["disclosure_min"],
                "follow_up_months": s["follow_up_months"], "milestones": list(s["milestones"])}
