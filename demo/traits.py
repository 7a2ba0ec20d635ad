"""Linear indices of client traits with coefficients from calibration.yaml."""
from __future__ import annotations

import numpy as np

from demo.population import EDUCATION, ORIGINS, Population

CENTRE_AGE = 40.0


def index(pop: Population, coef: dict) -> np.ndarray:
    """sum of coefficient x trait; `education` and `origin` coefficients are per category."""
    return (coef["age_per_year"] * (pop.age - CENTRE_AGE)
            + coef["female"] * pop.female
            + np.array([coef["education"][e] for e in EDUCATION])[pop.education]
            + np.array([coef["origin"][o] for o in ORIGINS])[pop.origin]
            + coef["cohabiting"] * pop.cohabiting
            + coef["children"] * pop.children
            + coef["chronic"] * pop.chronic
            + coef["work"] * pop.work
            + coef["motivation"] * pop.motivation)


def standardise(values: np.ndarray) -> np.ndarray:
    return (values - values.mean()) / (values.std() or 1.0)
