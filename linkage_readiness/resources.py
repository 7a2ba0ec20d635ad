"""The data files of step 3 (YAML, NL/EN) and the finding catalogue."""
from __future__ import annotations

from pathlib import Path

from core import LANGUAGES
from core.texts import Texts, format_number, load_yaml

DATA = Path(__file__).with_name("data")
TEXTS = Texts(DATA / "texts.yaml")


def data(name: str) -> dict:
    """One YAML data file of this package, e.g. `data("microdata")`."""
    return load_yaml(DATA / f"{name}.yaml")


def percent(x: float) -> dict[str, str]:
    """A proportion as a percentage with one decimal, written the Dutch and the English way."""
    return {lang: format_number(x, lang, ".1%") for lang in LANGUAGES}
