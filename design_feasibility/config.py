"""Thresholds and texts of step 4, kept as YAML data next to the code."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core import LANGUAGES
from core.texts import Texts, decimal_comma, load_yaml

HERE = Path(__file__).parent
TEXTS = Texts(HERE / "texts.yaml")


def thresholds() -> dict:
    return load_yaml(HERE / "thresholds.yaml")


def analysis_setting(name: str):
    return thresholds()["analysis"][name]


def both(key: str, **values) -> dict[str, str]:
    """A text of texts.yaml in both languages, formatted with `values` ({nl, en} values per language)."""
    return {lang: TEXTS(key, lang, **{k: v[lang] if isinstance(v, dict) else v for k, v in values.items()})
            for lang in LANGUAGES}


def number(value: float, digits: int = 2, percent: bool = False) -> dict[str, str]:
    """A number written the Dutch way (decimal comma) and the English way."""
    if value is None or value != value:
        return {"nl": "-", "en": "-"}
    text = f"{100 * value:,.{digits}f}%" if percent else f"{value:,.{digits}f}"
    return {"en": text, "nl": decimal_comma(text)}


@dataclass(frozen=True)
class Options:
    """What the user can set; defaults come from thresholds.yaml."""
    min_cluster: int = None
    target_effect: float = None
    disclosure_min: int = None
    policy_date: pd.Timestamp | str | None = None

    def __post_init__(self):
        for name in ("min_cluster", "target_effect", "disclosure_min"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, analysis_setting(name))
        if self.policy_date is not None:   # None: the coding change in the codebook, else the YAML date
            object.__setattr__(self, "policy_date", pd.Timestamp(self.policy_date))
