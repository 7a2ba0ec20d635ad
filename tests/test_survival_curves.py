"""population.survival.product_limit gives lifelines' Kaplan-Meier curve and its exponential
Greenwood band (KaplanMeierFitter, the reference) at every month: on the demo's groups, with
many ties, with starts at month 0 and with a group in which everyone starts."""
from __future__ import annotations

import numpy as np
import pytest
from lifelines import KaplanMeierFitter

from demo import generate
from population.frame import build
from population.survival import product_limit

GRID = np.arange(0, 37)


def _lifelines(time, event):
    fitter = KaplanMeierFitter().fit(time, event)
    band = fitter.confidence_interval_survival_function_
    band = band.reindex(band.index.union(GRID)).ffill().loc[GRID]
    return fitter.survival_function_at_times(GRID).to_numpy(), band.iloc[:, 0].to_numpy(), band.iloc[:, 1].to_numpy()


def _assert_as_lifelines(time, event):
    for mine, reference in zip(product_limit(np.asarray(time, float), np.asarray(event, int), GRID),
                               _lifelines(time, event)):
        np.testing.assert_allclose(mine, reference, rtol=0, atol=1e-12)


def test_the_demo_groups_equal_lifelines():
    data = build(generate(defects=True).tables, 3, 36).data.dropna(subset=["time"])
    _assert_as_lifelines(data["time"], data["event"])
    for column in ("sex", "age_band", "origin"):
        for _, group in data.groupby(column):
            _assert_as_lifelines(group["time"], group["event"])


@pytest.mark.parametrize("case", ["ties", "month_zero", "everyone_starts"])
def test_edge_cases_equal_lifelines(case):
    rng = np.random.default_rng(2)
    time = np.ceil(rng.exponential(12, size=300)).clip(max=36)
    event = (rng.random(300) < 0.6).astype(int)
    if case == "month_zero":
        time[:20], event[:20] = 0, 1
    if case == "everyone_starts":
        time, event = rng.uniform(0, 20, size=50), np.ones(50, dtype=int)
    _assert_as_lifelines(time, event)
    survival, low, high = product_limit(time.astype(float), event, GRID)
    assert np.all((low <= survival + 1e-12) & (survival <= high + 1e-12))
