"""The 2015 cohort of new bijstand clients: covariates of Table 5.1 and traits the extract lacks.

Ordered traits (age, education, chronic conditions, months worked, motivation) are drawn
from a Gaussian copula, so their margins equal the report's shares while they stay
correlated (older clients have more chronic conditions, fewer months of recent work, ...).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from demo.days import NAT

EDUCATION = ("laag", "midden", "hoog", "onbekend")
UNKNOWN_EDUCATION = 3
ORIGINS = ("autochtoon", "turks_marokkaans", "surinaams_antilliaans", "anders")
HOUSEHOLDS = ("alleenstaand", "alleenstaande_ouder", "samenwonend", "samenwonend_met_kinderen")
SEXES = ("M", "V")
DAYS_PER_YEAR = 365.25


@dataclass
class Population:
    benefit_start: np.ndarray      # datetime64[D]
    birth_date: np.ndarray         # datetime64[D]
    age: np.ndarray                # years at benefit start
    female: np.ndarray             # bool
    education: np.ndarray          # index into EDUCATION
    origin: np.ndarray             # index into ORIGINS
    cohabiting: np.ndarray         # bool
    children: np.ndarray           # bool
    n_children: np.ndarray         # int
    youngest_child_birth: np.ndarray   # datetime64[D], NaT without children
    chronic: np.ndarray            # 0..3 (3 = three or more), not in the extract
    work: np.ndarray               # months worked in 3 years before: 0, <12, 12-24, >24 -> 0..3
    motivation: np.ndarray         # standard normal, unobserved

    def __len__(self) -> int:
        return len(self.age)

    @property
    def household(self) -> np.ndarray:
        return 2 * self.cohabiting.astype(int) + self.children.astype(int)


def _correlation(spec: dict) -> np.ndarray:
    names = ("age", "education", "chronic", "work", "motivation")
    matrix = np.eye(len(names))
    for key, value in spec.items():
        a, b = key.split("_")
        i, j = names.index(a), names.index(b)
        matrix[i, j] = matrix[j, i] = value
    return matrix


def _ordered(uniform: np.ndarray, shares) -> np.ndarray:
    cuts = np.cumsum(shares)[:-1] / np.sum(shares)
    return np.searchsorted(cuts, uniform, side="right")


def _ages(uniform: np.ndarray, bands) -> np.ndarray:
    """Piecewise-uniform ages with band shares `bands` ([lower, upper, share]), monotone in u."""
    lower, upper, share = (np.array(column, dtype=float) for column in zip(*bands))
    share = share / share.sum()
    top = np.cumsum(share)
    band = np.minimum(np.searchsorted(top, uniform, side="right"), len(share) - 1)
    within = (uniform - (top[band] - share[band])) / share[band]
    return lower[band] + np.clip(within, 0, 1 - 1e-9) * (upper[band] - lower[band])


def draw_population(rng: np.random.Generator, n: int, cal: dict) -> Population:
    spec = cal["population"]
    year = cal["cohort_year"]
    start = np.datetime64(f"{year}-01-01") + rng.integers(0, 365, n).astype("timedelta64[D]")
    latent = rng.multivariate_normal(np.zeros(5), _correlation(spec["correlation"]), n, method="cholesky")
    u_age, u_edu, u_chronic, u_work, _ = ndtr(latent).T
    age = _ages(u_age, spec["age_bands"])
    origin = rng.choice(len(ORIGINS), n, p=_shares(spec["origin"], ORIGINS))
    unknown = rng.random(n) < np.array([spec["education_unknown_by_origin"][o] for o in ORIGINS])[origin]
    known = _ordered(u_edu, [spec["education_known"][e] for e in EDUCATION[:3]])
    education = np.where(unknown, UNKNOWN_EDUCATION, known)
    cohabiting = rng.random(n) < spec["cohabiting"]
    children = rng.random(n) < np.where(cohabiting, spec["children_if_cohabiting"], spec["children_if_single"])
    single_parent = children & ~cohabiting
    p_female_single_parent = spec["female_if_single_parent"]
    rest = (spec["female"] - p_female_single_parent * single_parent.mean()) / max(1e-9, 1 - single_parent.mean())
    female = rng.random(n) < np.where(single_parent, p_female_single_parent, rest)
    sizes = spec["n_children"]
    n_children = np.where(children, rng.choice(list(sizes), n, p=_shares(sizes, list(sizes))), 0)
    max_child_age = np.minimum(spec["youngest_child_max_age"] + 1, age - 17)
    gamma = spec["youngest_child_age_gamma"]
    child_age = rng.gamma(gamma["shape"], gamma["scale"], n)
    child_age = np.where(child_age < max_child_age, child_age, rng.random(n) * max_child_age)
    child_days = (child_age * DAYS_PER_YEAR).astype(int)
    youngest = np.where(children, start - child_days.astype("timedelta64[D]"), NAT)
    birth = start - np.round(age * DAYS_PER_YEAR).astype(int).astype("timedelta64[D]")
    return Population(
        benefit_start=start, birth_date=birth, age=age, female=female, education=education,
        origin=origin, cohabiting=cohabiting, children=children, n_children=n_children,
        youngest_child_birth=youngest.astype("datetime64[D]"),
        chronic=_ordered(u_chronic, spec["chronic_conditions"]),
        work=_ordered(u_work, spec["months_worked_3y"]),
        motivation=latent[:, 4],
    )


def _shares(mapping: dict, keys) -> np.ndarray:
    values = np.array([mapping[k] for k in keys], dtype=float)
    return values / values.sum()
