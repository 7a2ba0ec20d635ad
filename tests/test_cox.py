"""population.cox gives lifelines' Cox model (Efron ties): the same coefficients, hazard ratios,
95% intervals, standard errors and p-values to 1e-6, on the demo's seven models and on planted
data with many ties. lifelines is run to a tight convergence: its default stops when the
log-likelihood changes by less than 1e-9 relatively, which leaves up to ~1e-5 in a ratio."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter

from demo import generate
from population import cox, survival
from population.analysis import level_order
from population.frame import build

COLUMNS = {"coef": "coef", "hr": "exp(coef)", "low": "exp(coef) lower 95%", "high": "exp(coef) upper 95%", "p": "p"}


def _assert_as_lifelines(design: pd.DataFrame):
    covariates = [c for c in design if c not in ("time", "event")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = CoxPHFitter().fit(design, "time", "event",
                                      fit_options={"precision": 1e-12, "r_precision": 1e-15}).summary
    fitted = cox.fit(design["time"].to_numpy(), design["event"].to_numpy(), design[covariates].to_numpy())
    for key, column in COLUMNS.items():
        np.testing.assert_allclose(fitted.ratios()[key], reference.loc[covariates, column].to_numpy(), rtol=0, atol=1e-6)
    np.testing.assert_allclose(fitted.se, reference.loc[covariates, "se(coef)"].to_numpy(), rtol=0, atol=1e-6)
    return fitted


@pytest.fixture(scope="module")
def demo_frame():
    frame = build(generate(defects=True).tables, 3, 36)
    return frame, level_order(frame)


def test_the_demo_models_equal_lifelines(demo_frame):
    frame, levels = demo_frame
    models = [[c] for c in frame.characteristics] + [list(frame.characteristics)]
    for columns in models:
        design, names, _ = survival._design(frame.data, columns, levels, 10)
        _assert_as_lifelines(design[["time", "event", *names]])


def test_planted_ratios_with_many_ties_equal_lifelines_and_are_recovered():
    rng = np.random.default_rng(8)
    n = 4000
    x = np.column_stack([rng.random(n) < 0.4, rng.random(n) < 0.3, rng.normal(size=n)]).astype(float)
    truth = np.log([2.0, 0.5, 1.3])
    start = rng.exponential(20 / np.exp(x @ truth))
    censor = rng.uniform(0, 36, size=n)
    time = np.ceil(np.minimum(start, censor))          # whole months: many tied starts
    design = pd.DataFrame({"time": time, "event": (start <= censor).astype(int), "a": x[:, 0], "b": x[:, 1], "c": x[:, 2]})
    assert design.loc[design["event"] == 1, "time"].value_counts().max() > 50
    fitted = _assert_as_lifelines(design)
    ratios = fitted.ratios()
    assert np.all((ratios["low"] <= np.exp(truth)) & (np.exp(truth) <= ratios["high"]))


def test_a_model_that_cannot_be_estimated_is_refused_as_by_lifelines():
    """Two identical dummies: lifelines stops with a ConvergenceError, population.cox raises
    instead of returning missing standard errors."""
    from lifelines.exceptions import ConvergenceError
    rng = np.random.default_rng(3)
    dummy = rng.integers(0, 2, 300).astype(float)
    time, event = rng.integers(1, 30, 300).astype(float), rng.random(300) < 0.5
    frame = pd.DataFrame({"a": dummy, "b": dummy, "t": time, "e": event})
    with pytest.raises(ConvergenceError), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        CoxPHFitter().fit(frame, "t", "e")
    with pytest.raises(np.linalg.LinAlgError):
        cox.fit(time, event, np.column_stack([dummy, dummy]))
