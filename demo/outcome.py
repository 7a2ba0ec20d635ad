"""Start of paid work: a linear probability with known, homogeneous effects of the department.

P(work within 12 months of referral) = baseline_i + sum over treated arms of effect_arm * [arm]
(Rotterdam: effect_Matching * [Matching] + effect_Activering * [Activering]). The baseline is a logistic function of client traits
(observed and unobserved, the same traits that drive the referral), squeezed into
[low, high] so that adding an effect never leaves [0, 1]: no clipping distorts the effect.
Its three free constants are solved so that the raw work rates per arm at the default effects
equal Table 5.2 of the report (another organisation: its `raw_rates`, in least squares).
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import least_squares
from scipy.special import expit

from demo.organisation import Organisation
from demo.population import Population
from demo.traits import index, standardise

CALIBRATION_SAMPLE = 200_000


def bounds(effects: np.ndarray) -> tuple[float, float]:
    """Range of the baseline that keeps baseline + effect of every department in [0, 1]."""
    return max(0.0, -effects.min()), 1.0 - max(0.0, effects.max())


def baseline(pop: Population, department: np.ndarray, effects: np.ndarray, cal: dict,
             org: Organisation) -> np.ndarray:
    spec = cal["outcome"]
    target = np.array([org.raw_rates[d] for d in org.arms]) - org.effect_array(org.effects)
    features = np.column_stack([
        np.ones(len(pop)),
        standardise(index(pop, spec["employability"])),
        standardise(index(pop, cal["referral"]["Activering"])),
    ])
    low, high = bounds(effects)
    sample = slice(0, CALIBRATION_SAMPLE)
    groups = [department[sample] == d for d in range(len(org.arms))]

    def base(theta, rows=slice(None)):
        return low + (high - low) * expit(features[rows] @ theta)

    def gap(theta):
        values = base(theta, sample)
        return np.array([values[g].mean() for g in groups]) - target

    theta = least_squares(gap, x0=np.array([-2.0, 1.0, -0.5])).x
    return base(theta)


def work_starts(rng: np.random.Generator, probability: np.ndarray, referral_date: np.ndarray,
                extract_date: np.datetime64, cal: dict) -> np.ndarray:
    """Date of the first paid work after referral; NaT if none is seen before the extract date."""
    n = len(probability)
    window = cal["outcome_window_days"]
    in_window = rng.random(n) < probability
    later = ~in_window & (rng.random(n) < cal["outcome"]["later_work_share"])
    days = np.where(in_window, rng.integers(1, window + 1, n),
                    window + 1 + rng.exponential(365, n).astype(int))
    start = referral_date + days.astype("timedelta64[D]")
    seen = (in_window | later) & (start <= extract_date)
    return np.where(seen, start, np.datetime64("NaT")).astype("datetime64[D]")
