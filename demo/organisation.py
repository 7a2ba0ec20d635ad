"""The arms of the demo organisation: Rotterdam's departments (calibration.yaml) or another
organisation of organisations.yaml, with the referral utilities, shares, raw work rates,
true effects and caseworker preferences of each arm."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.canonical import DEPARTMENTS
from demo.config import HERE
from core.texts import load_yaml

ROTTERDAM = "rotterdam"


@dataclass(frozen=True)
class Organisation:
    name: str
    arms: tuple[str, ...]            # values of referrals.department, column order of the referral model
    reference: str
    like: dict[str, str]             # arm -> Rotterdam department (referral utility, intervention mix)
    targets: dict[str, float]
    raw_rates: dict[str, float]
    effects: dict[str, float]        # default true effect per treated arm vs the reference
    preference_sd: dict[str, float]
    preference_correlation: float
    utility_scale: dict[str, float] = field(default_factory=dict)

    @property
    def treated(self) -> tuple[str, ...]:
        return tuple(a for a in self.arms if a != self.reference)

    def effect_array(self, effects: dict[str, float]) -> np.ndarray:
        """True effect per arm (column order; the reference 0)."""
        return np.array([float(effects.get(a, 0.0)) if a != self.reference else 0.0 for a in self.arms])

    def selection_bias(self) -> dict[str, float]:
        """Raw difference minus true effect per treated arm, as built in (raw rates at the default effects)."""
        base = {a: self.raw_rates[a] - self.effects.get(a, 0.0) for a in self.treated}
        return {a: round(base[a] - self.raw_rates[self.reference], 6) for a in self.treated}


def names() -> list[str]:
    return [ROTTERDAM, *load_yaml(HERE / "organisations.yaml")]


def organisation(name: str, cal: dict) -> Organisation:
    """The organisation `name` (`rotterdam`: calibration.yaml's departments)."""
    if name == ROTTERDAM:
        outcome, workers = cal["outcome"], cal["caseworkers"]
        return Organisation(
            name, DEPARTMENTS, "Prematching", {d: d for d in DEPARTMENTS},
            targets=dict(cal["referral"]["targets"]), raw_rates=dict(outcome["raw_rates"]),
            effects={"Matching": outcome["effect_matching"], "Activering": outcome["effect_activering"]},
            preference_sd=dict(workers["preference_sd"]), preference_correlation=workers["preference_correlation"])
    specs = load_yaml(HERE / "organisations.yaml")
    if name not in specs:
        raise ValueError(f"unknown organisation '{name}' (choose from {', '.join(names())})")
    spec = specs[name]
    return Organisation(name, tuple(spec["arms"]), spec["reference"], dict(spec["like"]),
                        targets=dict(spec["targets"]), raw_rates=dict(spec["raw_rates"]),
                        effects=dict(spec["effects"]), preference_sd=dict(spec["preference_sd"]),
                        preference_correlation=float(spec["preference_correlation"]),
                        utility_scale=dict(spec.get("utility_scale", {})))
