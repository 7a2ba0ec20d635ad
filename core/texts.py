"""Bilingual texts kept as data: YAML files mapping a key to {nl: ..., en: ...}."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from core import DEFAULT_LANGUAGE, LANGUAGES


@lru_cache(maxsize=None)
def load_yaml(path: str | Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def pick(entry: dict | str, lang: str) -> str:
    """The text of a {nl, en} entry in `lang`, falling back to Dutch."""
    if isinstance(entry, str):
        return entry
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return entry.get(lang) or entry.get(DEFAULT_LANGUAGE, "")


_SWAP_SEPARATORS = str.maketrans(",.", ".,")


def decimal_comma(english: str) -> str:
    """A number written the English way (1,234.5) written the Dutch way (1.234,5)."""
    return english.translate(_SWAP_SEPARATORS)


class Texts:
    """The texts of one YAML file; `texts(key, lang, **values)` formats one of them."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    @property
    def entries(self) -> dict:
        return load_yaml(self.path)

    def __call__(self, key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
        try:
            entry = self.entries[key]
        except KeyError as missing:
            raise KeyError(f"no text '{key}' in {self.path.name}") from missing
        text = pick(entry, lang)
        return text.format(**values) if values else text
