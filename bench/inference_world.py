"""Small simulated judge-design worlds, written independently of the demo generator.

Used by tests/test_inference_*.py (few replications) and bench/bench_inference.py (the full
Monte Carlo). A world: `n` clients in team x period cells, `g` caseworkers nested in teams,
clients assigned at random to a caseworker of their team (or sorted on a covariate), each
caseworker with a preference for the arms, selection on an unobserved trait that drives both
the referral and the outcome, and known, constant arm effects (so the IV estimand is known).

Two kinds of worlds:
- `three_arms`: Matching / Prematching / Activering (Prematching the reference), multinomial
  logit referral, effects `effect_m`, `effect_a`;
- `binary`: one treatment; optional monotonicity violations (a share `defiers` of clients,
  unobserved, steered by each caseworker in a direction of their own - `defier_mode="own"` -
  or doing the opposite of the caseworker's preference - "mirror") and an optional direct
  effect of the caseworker on the outcome (`direct_sd`), i.e. an exclusion violation.

Instruments are built the Rotterdam way but with a linear first step (fast, independent of
the package): residual of the arm dummy on covariates and cells, leave-one-out caseworker mean.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class World:
    y: np.ndarray                # outcome (0/1)
    d: pd.DataFrame              # arm dummies
    z: pd.DataFrame              # leave-one-out preferences (instruments)
    x: pd.DataFrame              # client covariates (dummies)
    cells: pd.DataFrame          # team and period dummies (no constant)
    caseworker: np.ndarray       # labels
    truth: dict                  # true effects


def _covariates(rng, n):
    age = rng.integers(0, 3, n)
    edu = rng.choice(3, n, p=[0.4, 0.4, 0.2])
    x = pd.DataFrame({
        "age=2": (age == 1).astype(float), "age=3": (age == 2).astype(float),
        "female": rng.binomial(1, 0.5, n).astype(float),
        "edu=mid": (edu == 1).astype(float), "edu=high": (edu == 2).astype(float),
        "migrant": rng.binomial(1, 0.35, n).astype(float),
        "cohabiting": rng.binomial(1, 0.3, n).astype(float),
        "children": rng.binomial(1, 0.4, n).astype(float)})
    gamma = np.array([-0.2, -0.5, -0.1, 0.3, 0.6, -0.3, 0.1, -0.2])
    return x, x.to_numpy() @ gamma


def _assign(rng, n, g, teams, periods, sorting, sort_key, pref):
    team_of_cw = np.arange(g) % teams
    team = rng.integers(0, teams, n)
    period = rng.integers(0, periods, n)
    cw = np.empty(n, dtype=int)
    for t in range(teams):
        members = np.flatnonzero(team_of_cw == t)
        rows = np.flatnonzero(team == t)
        if sorting:
            zp = (pref[members] - pref[members].mean()) / (pref[members].std() + 1e-12)
            logits = sorting * np.outer(sort_key[rows], zp)
            prob = np.exp(logits - logits.max(axis=1, keepdims=True))
            prob /= prob.sum(axis=1, keepdims=True)
            cw[rows] = members[(prob.cumsum(axis=1) > rng.random(len(rows))[:, None]).argmax(axis=1)]
        else:
            cw[rows] = rng.choice(members, len(rows))
    cells = pd.DataFrame({**{f"team={t}": (team == t).astype(float) for t in range(1, teams)},
                          **{f"period={p}": (period == p).astype(float) for p in range(1, periods)}})
    return cw, cells


def loo_preferences(d: pd.DataFrame, x: pd.DataFrame, cells: pd.DataFrame, cw: np.ndarray) -> pd.DataFrame:
    """Residual of each arm dummy on covariates and cells (OLS), leave-one-out caseworker mean."""
    w = np.column_stack([np.ones(len(d)), x.to_numpy(), cells.to_numpy()])
    beta, *_ = np.linalg.lstsq(w, d.to_numpy(), rcond=None)
    resid = pd.DataFrame(d.to_numpy() - w @ beta, columns=d.columns)
    grouped = resid.groupby(cw)
    total, size = grouped.transform("sum"), grouped.transform("size")
    return (total - resid).div(size - 1, axis=0).add_prefix("preference_")


def three_arms(seed: int, n: int = 6000, g: int = 15, teams: int = 3, periods: int = 4,
               pref_sd: float = 0.5, effect_m: float = 0.15, effect_a: float = -0.05,
               selection: float = 1.0, sorting: float = 0.0) -> World:
    rng = np.random.default_rng(seed)
    x, index = _covariates(rng, n)
    trait = rng.standard_normal(n)                       # unobserved
    prospect = index + selection * trait
    pref_m, pref_a = rng.normal(0, pref_sd, g), rng.normal(0, pref_sd, g)
    cw, cells = _assign(rng, n, g, teams, periods, sorting, x["edu=high"].to_numpy() - 0.2, pref_m)
    utility = np.column_stack([np.zeros(n), 0.8 * prospect + pref_m[cw] + 0.3,
                               -0.8 * prospect + pref_a[cw] - 0.4]) + rng.gumbel(size=(n, 3))
    arm = utility.argmax(axis=1)                          # 0 Prematching, 1 Matching, 2 Activering
    d = pd.DataFrame({"Matching": (arm == 1).astype(float), "Activering": (arm == 2).astype(float)})
    base = 0.25 + 0.12 * np.tanh(prospect / 1.5)
    p = base + effect_m * d["Matching"].to_numpy() + effect_a * d["Activering"].to_numpy()
    y = (rng.random(n) < p).astype(float)
    return World(y, d, loo_preferences(d, x, cells, cw), x, cells, cw,
                 {"Matching": effect_m, "Activering": effect_a})


def binary(seed: int, n: int = 6000, g: int = 30, teams: int = 3, periods: int = 4,
           pref_sd: float = 0.6, effect: float = 0.15, defiers: float = 0.0,
           defier_effect: float = 0.35, defier_mode: str = "own", steer_sd: float = 3.0,
           direct_sd: float = 0.0,
           selection: float = 1.0) -> World:
    rng = np.random.default_rng(seed)
    x, index = _covariates(rng, n)
    trait = rng.standard_normal(n)
    prospect = index + selection * trait
    pref = rng.normal(0, pref_sd, g)
    own = rng.normal(0, steer_sd, g)                     # defiers' steer, unrelated to pref
    cw, cells = _assign(rng, n, g, teams, periods, 0.0, None, pref)
    defier = rng.random(n) < defiers
    shift = pref[cw].copy()
    if defier_mode == "own":
        shift[defier] = own[cw][defier]
    elif defier_mode == "mirror":
        shift[defier] = -pref[cw][defier]
    else:
        raise ValueError(defier_mode)
    treated = (0.8 * prospect + shift + rng.logistic(size=n) > 0).astype(float)
    tau = np.where(defier, defier_effect, effect)
    direct = rng.normal(0, direct_sd, g)[cw] if direct_sd else 0.0
    p = np.clip(0.25 + 0.12 * np.tanh(prospect / 1.5) + tau * treated + direct, 0, 1)
    y = (rng.random(n) < p).astype(float)
    d = pd.DataFrame({"treated": treated})
    return World(y, d, loo_preferences(d, x, cells, cw), x, cells, cw,
                 {"treated": effect, "defier_effect": defier_effect})


def controls(world: World) -> pd.DataFrame:
    """Covariates and cells (the second-stage controls; a constant is added by the package)."""
    return pd.concat([world.x, world.cells], axis=1)


def arm_index(world: World, arm: str = "Matching") -> np.ndarray:
    """Covariate index of an arm: linear-probability fit of the arm dummy on covariates and
    cells (the simulation's stand-in for the first-step predicted probability)."""
    w = np.column_stack([np.ones(len(world.y)), world.x.to_numpy(), world.cells.to_numpy()])
    target = world.d[arm].to_numpy()
    return w @ np.linalg.lstsq(w, target, rcond=None)[0]
