"""The workplan's content as data: conditions, phases, register, glossary, annex, labels.

Every file lives in `workplan/content/` and carries its texts in Dutch and English."""
from __future__ import annotations

from pathlib import Path

from core import LANGUAGES
from core.disclosure import MIN_COUNT
from core.texts import Texts, format_number, load_yaml

CONTENT = Path(__file__).with_name("content")
LABELS = Texts(CONTENT / "labels.yaml")


def content(name: str):
    """One content file (`settings`, `conditions`, `phases`, `register`, `glossary`, ...)."""
    return load_yaml(CONTENT / f"{name}.yaml")


def setting(name: str):
    return content("settings")[name]


def say(key: str, **values) -> dict:
    """A label in both languages; a value given as a function of the language (a number
    formatted per language, a name) is called for each."""
    return {lang: LABELS(key, lang, **{k: v(lang) if callable(v) else v
                                       for k, v in values.items()}) for lang in LANGUAGES}


def is_small(count) -> bool:
    """A count under the disclosure threshold (core.disclosure); zero is not small."""
    return count is not None and 0 < int(count) < MIN_COUNT


def count_text(value, lang: str = "nl") -> str:
    """A count as it may leave the tool: below the disclosure threshold (core.disclosure) it
    reads `<10`; zero stays visible, as in core.disclosure.small_cells. A count that was
    already suppressed (None) also reads `<10`."""
    if value is None or is_small(value):
        return f"<{MIN_COUNT}"
    return format_number(int(value), lang)


def number_text(value, lang: str = "nl", digits: int = 2) -> str:
    return format_number(value, lang, f",.{digits}f")


def percent_text(value, lang: str = "nl", digits: int = 1, signed: bool = False) -> str:
    if value is None:
        return "-"
    text = number_text(100 * value, lang, digits)
    if signed and value > 0:
        text = "+" + text
    return text + "%"
