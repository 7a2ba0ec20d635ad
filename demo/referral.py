"""Caseworkers, assignment of clients to caseworkers, and the referral after the work intake.

Each caseworker (werkconsulent) has a preference: a shift of the utility of every treated arm
(Rotterdam: Matching and Activering). The referral is a multinomial-logit choice (the
reference arm, Prematching, has utility 0), so clients in the grey area end up in different
arms depending on their caseworker.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from demo.organisation import Organisation
from demo.population import Population
from demo.traits import index, standardise

CALIBRATION_SAMPLE = 200_000


@dataclass
class Caseworkers:
    team: np.ndarray              # index into team names
    preference: np.ndarray        # (n, treated arms): utility shift per treated arm
    teams: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.team)

    @property
    def ids(self) -> list[str]:
        return [f"WC{i + 1:03d}" for i in range(len(self))]


def draw_caseworkers(rng: np.random.Generator, n: int, spread: float, spec: dict, org: Organisation) -> Caseworkers:
    sd = np.array([org.preference_sd[a] for a in org.treated]) * spread
    correlation = np.full((len(sd), len(sd)), org.preference_correlation)
    np.fill_diagonal(correlation, 1)
    cov = np.outer(sd, sd) * correlation
    preference = rng.multivariate_normal(np.zeros(len(sd)), cov, n, method="cholesky") if spread > 0 \
        else np.zeros((n, len(sd)))
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


def _intercepts(utility: np.ndarray, target: np.ndarray, reference: int) -> np.ndarray:
    """Intercepts that make the mean predicted shares equal `target` (fixed point)."""
    shift = np.zeros(utility.shape[1])
    for _ in range(200):
        share = _probabilities(utility + shift).mean(axis=0)
        step = np.log(target / share)
        shift += step - step[reference]
        if np.abs(share - target).max() < 1e-6:
            break
    return shift


def refer(rng: np.random.Generator, pop: Population, caseworker: np.ndarray, workers: Caseworkers,
          spec: dict, org: Organisation) -> np.ndarray:
    """Arm index (into `org.arms`) per client; a treated arm's utility is that of the Rotterdam
    department it is like (calibration.yaml `referral`) plus the caseworker's preference."""
    utility = np.zeros((len(pop), len(org.arms)))
    for t, arm in enumerate(org.treated):
        own = index(pop, spec[org.like[arm]])
        if arm in org.utility_scale:
            own = org.utility_scale[arm] * own
        utility[:, org.arms.index(arm)] = own + workers.preference[caseworker, t]
    target = np.array([org.targets[d] for d in org.arms], dtype=float)
    utility += _intercepts(utility[:CALIBRATION_SAMPLE], target / target.sum(), org.arms.index(org.reference))
    return np.argmax(utility + rng.gumbel(size=utility.shape), axis=1)
