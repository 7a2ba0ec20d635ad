"""The package's own NL/EN texts and errors, and bilingual formatting of them."""
from __future__ import annotations

from pathlib import Path

from core.texts import Texts, decimal_comma
from core.texts import bilingual as render_all

HERE = Path(__file__).parent
TEXTS = Texts(HERE / "texts.yaml")


def bilingual(key: str, **values) -> dict:
    """Text `key` as {nl, en}; values that are {nl, en} themselves are picked per language."""
    return render_all(TEXTS.entries[key], values)


def count_key(key: str, count: int) -> str:
    """The text key for `count` things: `<key>_one` for exactly one, `<key>_other` else."""
    return f"{key}_{'one' if count == 1 else 'other'}"


def score_text(value: float | None, lang: str) -> str:
    """A score or spread as shown to the user: 2,5 in Dutch, 2.5 in English, '-' when there is none."""
    if value is None:
        return TEXTS("no_score", lang)
    return f"{value:g}" if lang == "en" else decimal_comma(f"{value:g}")

