"""Bilingual texts kept as data, and the one way numbers and templates are written per language.

- `load_yaml(path)`: a YAML file (cached).
- `pick(entry, lang)`: the text of a `{nl: ..., en: ...}` entry, falling back to Dutch.
- `format_number(value, lang, spec)`: 1.234,5 in Dutch, 1,234.5 in English.
- `render(template, lang, values)`: a template filled per language: numbers are written with
  `format_number` (the template's format spec applies, e.g. `{share:.1%}`), values given as
  `{nl, en}` are picked, a count with a `|one|other` spec gets its word in the right number
  (`{n:|blokkerend punt|blokkerende punten}` -> "1 blokkerend punt", "3 blokkerende punten"),
  a date or month given as ISO text ("2018-12-31", "2017-01") is written as the language
  writes it (`core.locales.format_date`: 31-12-2018 in Dutch), and a missing placeholder
  reads `-` instead of failing.
- `Texts(path)`: the texts of one YAML file, `texts(key, lang, **values)`.
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from numbers import Number
from pathlib import Path

import yaml

from core import DEFAULT_LANGUAGE, LANGUAGES


# libyaml's safe loader when PyYAML has it: the same data (tests/test_texts_complete.py), 10x faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def load_yaml(path: str | Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=SAFE_LOADER) or {}


def pick(entry, lang: str) -> str:
    """The text of a {nl, en} entry in `lang`, falling back to Dutch (and to any language)."""
    if not isinstance(entry, dict):
        return entry
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return entry.get(lang) or entry.get(DEFAULT_LANGUAGE) or next(iter(entry.values()), "")


_SWAP_SEPARATORS = str.maketrans(",.", ".,")


def decimal_comma(english: str) -> str:
    """A number written the English way (1,234.5) written the Dutch way (1.234,5)."""
    return english.translate(_SWAP_SEPARATORS)


def format_number(value, lang: str, spec: str = "") -> str:
    """`value` written in `lang`: integers get thousands separators, floats follow `spec`
    (default: up to 2 decimals), and Dutch swaps the separators."""
    if value is None:
        return "-"
    if not spec:
        spec = ",d" if isinstance(value, int) or float(value).is_integer() and abs(value) >= 1000 else ",.2f"
        if spec == ",d":
            value = int(value)
    english = format(value, spec)
    if spec == ",.2f" and "." in english:
        english = english.rstrip("0").rstrip(".")
    return decimal_comma(english) if lang == DEFAULT_LANGUAGE else english


class Percent(float):
    """A share that templates write as a percentage (one decimal unless the template says
    how); a missing share renders empty."""

    def __new__(cls, value):
        obj = super().__new__(cls, 0.0 if value is None else value)
        obj.missing = value is None
        return obj


_ISO_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")   # 2018-12-31, 2017-01: written as the language writes dates


class _Blank(dict):
    def __missing__(self, key):
        return "-"


class _LanguageFormatter(string.Formatter):
    def __init__(self, lang: str):
        self.lang = lang

    def get_value(self, key, args, kwargs):
        return kwargs[key]

    def format_field(self, value, spec):
        if spec.startswith("|"):           # a count and its word: |singular|plural
            one, other = spec[1:].split("|")
            return f"{self.format_field(value, '')} {one if value in (1, '1') else other}"   # also a count already written
        if isinstance(value, dict):
            value = pick(value, self.lang)
        if isinstance(value, Percent):
            return "" if value.missing else format_number(float(value), self.lang, spec or ".1%")
        if isinstance(value, Number) and not isinstance(value, bool):
            return format_number(value, self.lang, spec)
        if isinstance(value, str) and not spec and _ISO_DATE.match(value):   # kept as text in the JSON
            from core.locales import format_date, format_month   # charts' locale: loaded only for dates
            return (format_month if len(value) == 7 else format_date)(value, self.lang)
        text = "-" if value is None else value
        try:
            return format(text, spec)
        except ValueError:      # a number's spec on a text (a count written "<10")
            return str(text)


def render(template: str, lang: str, values: dict | None = None) -> str:
    """`template` filled with `values` in `lang` (see the module docstring)."""
    if not values:
        return template
    return _LanguageFormatter(lang).vformat(template, (), _Blank(values))


def bilingual(template: dict, values: dict | None = None) -> dict[str, str]:
    """A `{nl, en}` template rendered in every language."""
    return {lang: render(pick(template, lang), lang, values) for lang in LANGUAGES}


class Texts:
    """The texts of one YAML file; `texts(key, lang, **values)` renders one of them."""

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
        return render(pick(entry, lang), lang, values)
