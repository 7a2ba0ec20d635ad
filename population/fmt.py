"""Small helpers to write the result's numbers and labels per language."""
from __future__ import annotations

from core.texts import format_number, pick
from population.config import TEXTS, characteristic_label, level_label


def count(value, lang: str, threshold: int = 10) -> str:
    """A published count: None reads as hidden (under the threshold), a mark of
    core.disclosure.marked ("<10", "x") as it is."""
    if isinstance(value, str):
        return value
    return TEXTS("hidden", lang, threshold=threshold) if value is None else format_number(int(value), lang)


def pct(value, lang: str, digits: int = 1) -> str:
    return "-" if value is None else format_number(value, lang, f".{digits}%")


def ratio(value, lang: str) -> str:
    return "-" if value is None else format_number(value, lang, ".2f")


def notable(item: dict, lang: str) -> str:
    parts = [f"{level_label(n['characteristic'], n['level'], lang)} ({pct(n['share'], lang, 0)} / "
             f"{pct(n['overall'], lang, 0)})" for n in item["stands_out"]]
    return ", ".join(parts) or TEXTS("nothing_notable", lang)


def subgroup_name(row: dict, lang: str) -> str:
    return f"{pick(row['group'], lang)}: {pick(row['label'], lang)}"


__all__ = ["count", "pct", "ratio", "notable", "subgroup_name", "characteristic_label", "level_label"]
