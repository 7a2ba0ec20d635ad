"""The designs, declared once.

Every design follows one protocol (`design_feasibility.protocol`). The kinds of design are
listed explicitly in `KINDS`; the designs themselves are the blocks of thresholds.yaml
`designs`, each naming its `kind`, so a design of an existing kind with other settings (a
discontinuity at another age) is YAML and texts only: `build({name: config, ...})`.
"""
from __future__ import annotations

from design_feasibility.age_discontinuity import AgeDiscontinuity
from design_feasibility.caseworker_design import CaseworkerPreference
from design_feasibility.config import design_configs
from design_feasibility.difference_in_differences import DifferenceInDifferences
from design_feasibility.protocol import Design

KINDS = {
    "caseworker_preference": CaseworkerPreference,
    "age_discontinuity": AgeDiscontinuity,
    "difference_in_differences": DifferenceInDifferences,
}


def build(configs: dict[str, dict]) -> tuple[Design, ...]:
    """The design objects of `configs` (name -> settings with a `kind`), in their order."""
    return tuple(KINDS[config["kind"]](name, config) for name, config in configs.items())


def declared() -> tuple[Design, ...]:
    """The designs of thresholds.yaml."""
    return build(design_configs())
