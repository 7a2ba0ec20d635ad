"""A finding: one problem (or fact) about an extract, with a stable dotted id.

Each package keeps the texts of its findings in a YAML catalogue:

    date.end_before_start:
      severity: error
      nl: {message: "...", advice: "..."}
      en: {message: "...", advice: "..."}

Messages may use `{count}`, `{share}` (as a percentage), `{table}`, `{column}` and any extra
values passed to `FindingCatalogue.make` (a value given as `{"nl": ..., "en": ...}` is used
per language).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from core import LANGUAGES
from core.texts import decimal_comma, load_yaml, pick

SEVERITIES = ("error", "warning", "info")


@dataclass
class Finding:
    id: str
    severity: str
    table: str
    column: str | None
    count: int
    share: float | None
    examples: list[str] = field(default_factory=list)
    message: dict[str, str] = field(default_factory=dict)
    advice: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return pick(self.message, lang)

    def what_to_do(self, lang: str) -> str:
        return pick(self.advice, lang)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__ if name in data})


def _number(value, pattern: str) -> dict[str, str]:
    """A number written the Dutch way (1.234,5) and the English way (1,234.5)."""
    english = pattern.format(value)
    return {"nl": decimal_comma(english), "en": english}


class FindingCatalogue:
    """The finding ids of one package with their severity and NL/EN texts."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    @property
    def entries(self) -> dict:
        return load_yaml(self.path)

    def make(self, finding_id: str, *, table: str, column: str | None, count: int,
             total: int | None = None, examples: list[str] | None = None,
             severity: str | None = None, **values) -> Finding:
        entry = self.entries[finding_id]
        share = (count / total) if total else None
        fmt = dict(values, count=_number(count, "{:,}"), table=table, column=column or "",
                   share=_number(100 * share, "{:.1f}%") if share is not None else "")
        per_lang = {lang: {k: pick(v, lang) if isinstance(v, dict) else v for k, v in fmt.items()}
                    for lang in LANGUAGES}  # a value given as {nl, en} is picked per language
        message = {lang: entry[lang]["message"].format(**per_lang[lang]) for lang in LANGUAGES}
        advice = {lang: entry[lang].get("advice", "").format(**per_lang[lang]) for lang in LANGUAGES}
        return Finding(id=finding_id, severity=severity or entry["severity"], table=table,
                       column=column, count=int(count), share=share,
                       examples=list(examples or [])[:5], message=message, advice=advice)

    def ids(self) -> list[str]:
        return sorted(self.entries)


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    return {level: sum(f.severity == level for f in findings) for level in SEVERITIES}
