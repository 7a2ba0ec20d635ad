"""The data-quality checks, declared once in checks.yaml, and the rules that evaluate them.

A check names a rule, its severity, its targets (table.column; one finding per target), what
else it needs, the columns of its examples, its thresholds (thresholds.yaml) and, where Great
Expectations says the same thing, the expectation (`quality_checks.expectations.export_suite`).
A rule is a function `rule(p, table, column, limits)` registered with `@rule(name)` that
returns per row of `table` whether it breaks the check (a boolean array), or that array and
the values its texts use; `@rule(name, clients=True)` when it uses the client lookup
(`Prepared.client_pos`), which runs in the background while the runner evaluates the others.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.canonical import TABLES
from core.texts import load_yaml
from quality_checks.rules import SETTINGS

HERE = Path(__file__).parent
RULES: dict = {}
CLIENT_RULES: set[str] = set()    # rules that use the client lookup


def rule(name: str, clients: bool = False):
    """Register the decorated function as the rule `name` of checks.yaml; `clients`: it uses
    the client lookup."""
    def register(function):
        RULES[name] = function
        if clients:
            CLIENT_RULES.add(name)
        return function
    return register


def rules() -> dict:
    """Every rule by name: the rule modules register theirs when they are imported here."""
    from quality_checks import checks_coding, checks_completeness, checks_dates, schemas  # noqa: F401
    return RULES


def client_rules() -> set[str]:
    """The rules that use the client lookup."""
    rules()
    return CLIENT_RULES


@dataclass(frozen=True)
class Check:
    id: str
    rule: str
    severity: str
    targets: tuple[tuple[str, str | None], ...]     # (table, column); column None: whole row
    needs: tuple[str, ...] = ()
    show: tuple[str, ...] = ()
    limits: dict = field(default_factory=dict)      # value name -> number from thresholds.yaml
    report_above: str | None = None
    gx: dict | None = None


def _targets(names: list[str], left_out: list[str]) -> tuple[tuple[str, str | None], ...]:
    found = []
    for name in names:
        if name in ("canonical", "canonical_required"):
            found += [f"{t}.{c.name}" for t, spec in TABLES.items() for c in spec.columns
                      if name == "canonical" or c.required]
        else:
            found.append(name)
    return tuple((t, None if c == "*" else c) for t, c in (n.split(".") for n in found if n not in left_out))


@lru_cache(maxsize=1)
def registry() -> dict:
    return load_yaml(HERE / "checks.yaml")


@lru_cache(maxsize=1)
def checks() -> tuple[Check, ...]:
    """Every registered check, in the order of checks.yaml."""
    return tuple(Check(id=key, rule=spec["rule"], severity=spec["severity"],
                       targets=_targets(spec["targets"], spec.get("except", [])),
                       needs=tuple(spec.get("needs", [])), show=tuple(spec.get("show", [])),
                       limits={name: SETTINGS[setting] for name, setting in spec.get("thresholds", {}).items()},
                       report_above=spec.get("report_above"), gx=spec.get("gx"))
                 for key, spec in registry()["checks"].items())


def produced_elsewhere() -> dict[str, str]:
    """Finding ids of findings.yaml that are not row checks, and what produces them."""
    return dict(registry()["produced_elsewhere"])
