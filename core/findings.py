"""One result shape for every step: a `Finding`.

A finding is one problem or fact about the municipality's data or organisation, with a stable
dotted id. Quality checks, ingest notes, linkage reasons, design diagnostics and maturity
blocking items are all findings. A finding stores numbers and values, never pre-rendered
sentences: its message and advice are rendered from a catalogue when shown, in the language
of the moment (`finding.message(lang)`), so a language switch changes every text.

Catalogues are YAML files, one per package, declared once in `CATALOGUE_FILES`:

    date.end_before_start:
      severity: error                     # default severity
      title: {nl: "...", en: "..."}       # optional: a few plain words for managers
      nl: {message: "...", advice: "..."}
      en: {message: "...", advice: "..."}

An entry may list under `people:` the values that count people (clients, caseworkers,
caseloads; `count` and `value` too): below the disclosure threshold they read "<10" in every
text, wherever it goes. Under `shares_of:` it names the shares that would give such a count
away (`share: [caseworker]`: the share is hidden, read "x", when `caseworker` is). In the JSON
form, which is for readers outside the tool, the finding's `count` under the threshold is
withheld too (a record belongs to a person); withheld values are written null and listed
in `hidden` (core.disclosure). Rendered texts are masked for BSN-like numbers (`mask_text`).

Templates may use `{count}`, `{share}` (written as a percentage), `{table}`, `{column}`,
`{value}`, `{threshold}` and any value in `params` (rendered by `core.texts.render`: numbers
per language, `{nl, en}` values picked per language).

A step's verdict is derived from its findings by one rule per step kept as data
(`verdicts.yaml`): the worst severity among the findings decides (`verdict`).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from numbers import Real
from pathlib import Path

from core import LANGUAGES, MIN_COUNT
from core.canonical import table_label
from core.disclosure import PROTECTED, SMALL
from core.privacy import mask_text
from core.texts import Percent, format_number, load_yaml, pick, render

ROOT = Path(__file__).resolve().parent.parent

# One vocabulary for all steps, worst first. `ok`: a diagnostic that passed its threshold.
SEVERITIES = ("error", "warning", "info", "ok")

# Every catalogue of finding texts, declared once (paths from the repository root).
CATALOGUE_FILES = (
    "core/step_findings.yaml",
    "quality_checks/findings.yaml",
    "quality_checks/ingest_notes.yaml",
    "linkage_readiness/data/findings.yaml",
    "design_feasibility/findings.yaml",
    "maturity/findings.yaml",
    "population/findings.yaml",
)

MAX_EXAMPLES = 5

def _small(value) -> bool:
    """A count under the disclosure threshold (zero is not small), or a mark already hiding one."""
    if isinstance(value, str):
        return value.startswith("<") or value == PROTECTED
    return isinstance(value, Real) and not isinstance(value, bool) and 0 < value < MIN_COUNT


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict]:
    """All finding texts by key, from every file in CATALOGUE_FILES (a key defined twice is
    an error: ids are unique across steps)."""
    entries: dict[str, dict] = {}
    for name in CATALOGUE_FILES:
        path = ROOT / name
        if not path.exists():
            continue
        for key, entry in load_yaml(path).items():
            if not isinstance(entry, dict) or not any(lang in entry for lang in LANGUAGES):
                continue
            if key in entries:
                raise ValueError(f"finding text '{key}' is defined twice ({name})")
            entries[key] = entry
    return entries


def _text(entry: dict, lang: str, part: str):
    """`part` (message | advice) of a catalogue entry in `lang`, falling back to Dutch."""
    own = entry.get(lang) or {}
    if isinstance(own, str):
        return own if part == "message" else ""
    return own.get(part) or (entry.get("nl") or {}).get(part, "")


@dataclass
class Finding:
    id: str
    severity: str
    table: str | None = None
    column: str | None = None
    count: int | None = None
    share: float | None = None
    value: float | None = None
    threshold: float | None = None
    source: dict[str, str] | None = None   # where the threshold or rule comes from {nl, en}
    examples: list[str] = field(default_factory=list)   # masked
    params: dict = field(default_factory=dict)          # values for the texts
    key: str | None = None                 # catalogue entry of the texts; default: id
    hidden: list[str] = field(default_factory=list)   # values withheld (disclosure): null, read "<10"

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity '{self.severity}' for {self.id}")
        self.examples = [mask_text(str(e)) for e in list(self.examples or [])[:MAX_EXAMPLES]]

    @property
    def entry(self) -> dict:
        return catalogue().get(self.key or self.id, {})

    @property
    def people(self) -> frozenset:
        """The names of the values that count people (catalogue entry `people:`)."""
        return frozenset(self.entry.get("people", ()))

    def _raw(self) -> dict:
        return {**self.params, "count": self.count, "table": self.table or "", "column": self.column or "",
                "value": self.value, "threshold": self.threshold, "share": self.share}

    def withheld(self, for_others: bool = False) -> set[str]:
        """The names of the values no text may show: counts of people under the threshold
        (`people:`), shares that would give one away (`shares_of:`), values already withheld,
        and for readers outside the tool the finding's count under the threshold."""
        raw = self._raw()
        names = set(self.hidden) | {name for name in self.people if _small(raw.get(name))}
        if for_others and _small(self.count):
            names |= {"count", "share"}       # share = count / total: the count again
        for share, counts in self.entry.get("shares_of", {}).items():
            if names & set(counts):
                names.add(share)
        return names

    def is_withheld(self, name: str) -> bool:
        return name in self.withheld()

    def value_text(self, lang: str) -> str:
        """The finding's value as a text may show it (a count of people under 10 reads "<10",
        a share that would give one away "x")."""
        if self.is_withheld("value"):
            return SMALL if "value" in self.people else PROTECTED
        return format_number(self.value, lang)

    def _values(self) -> dict:
        values = {**self._raw(), "table": table_label(self.table)}
        for name in self.withheld():
            values[name] = SMALL if name in self.people or name == "count" else PROTECTED
        if not isinstance(values["share"], str):
            values["share"] = Percent(values["share"])
        return values

    def message(self, lang: str) -> str:
        template = _text(self.entry, lang, "message")
        return mask_text(render(template, lang, self._values())) if template else self.id

    def advice(self, lang: str) -> str:
        return mask_text(render(_text(self.entry, lang, "advice"), lang, self._values()))

    def title(self, lang: str) -> str:
        """A few plain words (no id) for a management summary."""
        title = self.entry.get("title")
        return mask_text(render(pick(title, lang), lang, self._values())) if title else self.message(lang)

    def texts(self) -> dict[str, str]:
        """The message in every language."""
        return {lang: self.message(lang) for lang in LANGUAGES}

    def for_others(self) -> "Finding":
        """The finding as it may leave the tool: withheld values (`withheld(for_others=True)`)
        set to None and named in `hidden`."""
        names = self.withheld(for_others=True)
        out = Finding(**{**asdict(self), "hidden": sorted(names)})
        for name in names:
            if name in ("count", "share", "value"):
                setattr(out, name, None)
            elif name in out.params:
                out.params[name] = None
        return out

    def to_dict(self) -> dict:
        """The JSON form, for readers outside this program (`for_others`): the stored values
        plus the texts rendered in every language."""
        safe = self.for_others()
        out = asdict(safe)
        out["message"] = safe.texts()
        out["advice"] = {lang: safe.advice(lang) for lang in LANGUAGES}
        return out

    __json__ = to_dict

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})


_FIELDS = ("table", "column", "count", "share", "value", "threshold", "source", "examples", "key")


def make(finding_id: str, *, severity: str | None = None, total: int | None = None,
         **values) -> Finding:
    """A finding of `finding_id`: its default severity from the catalogue entry, `share`
    computed as count / total when `total` is given; keyword arguments that are not fields
    of `Finding` are the values its texts use (`params`)."""
    fields = {name: values.pop(name) for name in _FIELDS if name in values}
    if total and fields.get("count") is not None:
        fields["share"] = fields["count"] / total
    if fields.get("count") is not None:
        fields["count"] = int(fields["count"])
    entry = catalogue().get(fields.get("key") or finding_id, {})
    return Finding(id=finding_id, severity=severity or entry.get("severity", "info"),
                   params=values, **fields)


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    return {level: sum(f.severity == level for f in findings) for level in SEVERITIES}


def worst(findings: list[Finding]) -> str | None:
    """The worst severity among `findings` (None when there are none)."""
    present = {f.severity for f in findings}
    return next((level for level in SEVERITIES if level in present), None)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    order = {level: i for i, level in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order[f.severity], f.table or "", f.id, f.column or ""))


@lru_cache(maxsize=1)
def verdict_rules() -> dict:
    return load_yaml(Path(__file__).with_name("verdicts.yaml"))


def verdict(step: str, findings: list[Finding]) -> str:
    """The verdict of `step` from its findings: the outcome of the worst severity present
    (verdicts.yaml), the rule's `default` when none of its severities is present."""
    rule = verdict_rules()[step]
    present = {f.severity for f in findings}
    for level in SEVERITIES:
        if level in present and level in rule["by_severity"]:
            return rule["by_severity"][level]
    return rule["default"]


def severity_label(severity: str, lang: str) -> str:
    """A severity as a reader reads it ('fout', 'waarschuwing', ...)."""
    return pick(verdict_rules()["severities"][severity], lang)


def verdict_label(step: str, outcome: str, lang: str) -> str:
    return pick(verdict_rules()[step]["labels"][outcome], lang)


def verdict_light(step: str, outcome: str) -> str:
    """green | amber | red for a verdict (the traffic light of the workplan)."""
    return verdict_rules()[step]["lights"][outcome]
