"""Cox proportional hazards with Efron's ties, fitted by Newton-Raphson over whole arrays.

The model of lifelines' `CoxPHFitter` (no penalty, no strata, no weights), for the hazard
ratios of the population step: lifelines loops over the distinct times in Python in every
step, here the risk sets are cumulative sums of the rows sorted by time and every tied start
is one row of an array. Same estimates, standard errors (inverse observed information), 95%
intervals and Wald p-values as lifelines (tests/test_cox.py holds it to 1e-6)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm


@dataclass
class CoxFit:
    coef: np.ndarray
    se: np.ndarray

    def ratios(self, level: float = 0.95) -> dict[str, np.ndarray]:
        """exp(coef) with its interval and the two-sided Wald p-value of every covariate."""
        z = norm.ppf(1 - (1 - level) / 2)
        with np.errstate(over="ignore"):   # a level whose estimate diverges: an unbounded interval
            return {"coef": self.coef, "hr": np.exp(self.coef), "low": np.exp(self.coef - z * self.se),
                    "high": np.exp(self.coef + z * self.se), "p": 2 * norm.sf(np.abs(self.coef / self.se))}


def _from_each_row_on(values: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Sums of `values` over the rows from each index in `first` to the end."""
    return np.cumsum(values[::-1], axis=0)[::-1][first]


class _Efron:
    """The log partial likelihood with its gradient and Hessian, for data sorted by time.

    With tied starts d at one time, Efron's l-th term (l = 0..d-1) has the risk set's sums
    less l/d of the tied starts' sums. The second-moment sums are never formed per risk set:
    summed over the terms they are X' diag(w) X with one weight per row."""

    def __init__(self, time: np.ndarray, event: np.ndarray, x: np.ndarray):
        order = np.argsort(time, kind="stable")
        self.x, time, self.event = x[order], time[order], event[order].astype(bool)
        starts, ties = np.unique(time[self.event], return_counts=True)
        self.first = np.searchsorted(time, starts, side="left")     # first row at risk per start time
        self.tied_from = np.cumsum(ties) - ties                      # its first start among the starts
        self.group = np.repeat(np.arange(len(starts)), ties)         # every start: its time ...
        self.share = (np.arange(len(self.group)) - self.tied_from[self.group]) / ties[self.group]   # ... and l/d
        self.x_events = self.x[self.event].sum(axis=0)

    def __call__(self, beta: np.ndarray):
        x, event, group, share = self.x, self.event, self.group, self.share
        eta = x @ beta
        r = np.exp(eta)
        rx = r[:, None] * x
        a = _from_each_row_on(r, self.first)[group] - share * np.add.reduceat(r[event], self.tied_from)[group]
        b = (_from_each_row_on(rx, self.first)[group]
             - share[:, None] * np.add.reduceat(rx[event], self.tied_from, axis=0)[group])
        per_time = np.zeros(len(x))
        per_time[self.first] = np.bincount(group, 1 / a)
        weight = np.cumsum(per_time)
        weight[event] -= np.bincount(group, share / a)[group]
        weight *= r
        loglik = eta[event].sum() - np.log(a).sum()
        gradient = self.x_events - x.T @ weight
        hessian = (b.T / a**2) @ b - x.T @ (weight[:, None] * x)
        return loglik, gradient, hessian


def fit(time: np.ndarray, event: np.ndarray, x: np.ndarray, tolerance: float = 1e-10,
        max_steps: int = 100) -> CoxFit:
    """The maximum partial likelihood estimate from beta = 0, halving a step that lowers the
    likelihood; stops when the step is under `tolerance`."""
    model = _Efron(np.asarray(time, float), np.asarray(event), np.asarray(x, float))
    beta = np.zeros(x.shape[1])
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):   # a diverging level: judged below
        loglik, gradient, hessian = model(beta)
        for _ in range(max_steps):
            step = np.linalg.solve(-hessian, gradient)
            while True:
                new = model(beta + step)
                if new[0] >= loglik - 1e-12 or np.abs(step).max() < tolerance:
                    break
                step = step / 2
            beta = beta + step
            loglik, gradient, hessian = new
            if np.abs(step).max() < tolerance:
                break
        se = np.sqrt(np.diag(np.linalg.inv(-hessian)))
    if not (np.isfinite(beta).all() and np.isfinite(se).all()):   # as lifelines' ConvergenceError
        raise np.linalg.LinAlgError("the Cox model cannot be estimated (singular information matrix)")
    return CoxFit(beta, se)
