"""Caseworkers, assignment of clients to caseworkers, and the referral after the work intake.

Each caseworker (werkconsulent) has a preference: a shift of the Matching and of the
Activering utility. The referral is a multinomial-logit choice (Prematching = reference),
so clients in the grey area end up in different departments depending on their caseworker.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from core.canonical import DEPARTMENTS
from demo.population import Population
from demo.traits import index, standardise

MATCHING, PREMATCHING, ACTIVERING = (DEPARTMENTS.index(d) for d in ("Matching", "Prematching", "Activering"))
CALIBRATION_SAMPLE = 200_000


@dataclass
class Caseworkers:
    team: np.ndarray              # index into team names
    preference: np.ndarray        # (n, 2): utility shift for Matching, Activering
    teams: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.team)

    @property
    def ids(self) -> list[str]:
        return [f"WC{i + 1:03d}" for i in range(len(self))]


def draw_caseworkers(rng: np.random.Generator, n: int, spread: float, spec: dict) -> Caseworkers:
    sd = np.array([spec["preference_sd"]["Matching"], spec["preference_sd"]["Activering"]]) * spread
    rho = spec["preference_correlation"]
    cov = np.outer(sd, sd) * np.array([[1, rho], [rho, 1]])
    preference = rng.multivariate_normal(np.zeros(2), cov, n, method="cholesky") if spread > 0 else np.zeros((n, 2))
    teams = tuple(spec["teams"])
    team = np.arange(n) * len(teams) // n        # contiguous blocks of caseworkers per team
    return Caseworkers(team=team, preference=preference, teams=teams)


def assign(rng: np.random.Generator, prospects: np.ndarray, n_caseworkers: int, random: bool,
           strength: float) -> np.ndarray:
    """Caseworker index per client: at random, or (random=False) by the client's prospects."""
    n = len(prospects)
    if random:
        return rng.integers(0, n_caseworkers, n)
    latent = strength * standardise(prospects) + np.sqrt(1 - strength**2) * rng.standard_normal(n)
    return np.minimum((ndtr(latent) * n_caseworkers).astype(int), n_caseworkers - 1)


def _probabilities(utility: np.ndarray) -> np.ndarray:
    expu = np.exp(utility - utility.max(axis=1, keepdims=True))
    return expu / expu.sum(axis=1, keepdims=True)


def _intercepts(utility: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Intercepts that make the mean predicted shares equal `target` (fixed point)."""
    shift = np.zeros(utility.shape[1])
    for _ in range(200):
        share = _probabilities(utility + shift).mean(axis=0)
        step = np.log(target / share)
        shift += step - step[PREMATCHING]
        if np.abs(share - target).max() < 1e-6:
            break
    return shift


def refer(rng: np.random.Generator, pop: Population, caseworker: np.ndarray, workers: Caseworkers,
          spec: dict) -> np.ndarray:
    """Department index (into DEPARTMENTS) per client."""
    utility = np.zeros((len(pop), len(DEPARTMENTS)))
    utility[:, MATCHING] = index(pop, spec["Matching"]) + workers.preference[caseworker, 0]
    utility[:, ACTIVERING] = index(pop, spec["Activering"]) + workers.preference[caseworker, 1]
    target = np.array([spec["targets"][d] for d in DEPARTMENTS], dtype=float)
    utility += _intercepts(utility[:CALIBRATION_SAMPLE], target / target.sum())
    return np.argmax(utility + rng.gumbel(size=utility.shape), axis=1)
