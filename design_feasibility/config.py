"""Settings and texts of step 4, kept as YAML data next to the code.

- `thresholds.yaml`: `shared` settings and one block of settings per design (`designs`).
- `texts.yaml`: labels of the command line, the charts and the methods.
- `findings.yaml`: the texts of every finding (a catalogue of `core.findings.CATALOGUE_FILES`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.texts import Texts, load_yaml
from core.arms import ArmChoice
from core.extract_date import ExtractDate

HERE = Path(__file__).parent
TEXTS = Texts(HERE / "texts.yaml")
CASEWORKER_DESIGN = "caseworker_preference"   # the YAML block of the Rotterdam design


def thresholds() -> dict:
    return load_yaml(HERE / "thresholds.yaml")


def shared_setting(name: str):
    return thresholds()["shared"][name]


def design_configs() -> dict[str, dict]:
    """The declared designs by name, in the order they are shown."""
    return thresholds()["designs"]


def caseworker_setting(name: str):
    return design_configs()[CASEWORKER_DESIGN][name]


@dataclass(frozen=True)
class Options:
    """What the user can set; defaults come from thresholds.yaml."""
    min_cluster: int = None
    target_effect: float = None
    disclosure_min: int = None
    policy_date: pd.Timestamp | str | None = None
    arms: ArmChoice = ArmChoice()   # merges of referral values into arms and the reference arm
    extract_date: ExtractDate | str | None = None   # the end of observation (None: inferred, core.extract_date)

    def __post_init__(self):
        if self.min_cluster is None:
            object.__setattr__(self, "min_cluster", caseworker_setting("min_cluster"))
        for name in ("target_effect", "disclosure_min"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, shared_setting(name))
        if self.policy_date is not None:   # None: the coding change in the codebook, else the YAML date
            object.__setattr__(self, "policy_date", pd.Timestamp(self.policy_date))
