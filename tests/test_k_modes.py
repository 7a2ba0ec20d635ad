"""population.k_modes gives the kmodes library's own result (modes, labels, cost) - the
library (requirements-dev.txt) is the independent reference - on the demo's clients, on
planted types and on many small random sets, and its emptied-type rule is the library's."""
from __future__ import annotations

import warnings
from collections import defaultdict

import numpy as np
import pytest
from kmodes.kmodes import KModes, _k_modes_iter
from kmodes.util.dissim import matching_dissim

from demo import generate
from population import k_modes
from population.client_types import _encode
from population.config import settings
from population.frame import build


def _library(codes, k, seed, n_init):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return KModes(n_clusters=k, init="Huang", n_init=n_init, random_state=seed, n_jobs=1).fit(codes)


def _same(codes, k, seed, n_init):
    ref, mine = _library(codes, k, seed, n_init), k_modes.fit(codes, k, seed, n_init)
    assert np.array_equal(mine.modes, ref.cluster_centroids_.astype(int))
    assert np.array_equal(mine.labels, ref.labels_)
    assert mine.cost == ref.cost_
    return mine


@pytest.fixture(scope="module")
def demo_codes():
    """The demo clients the population page clusters: its sample of `sample` rows."""
    frame = build(generate(defects=True).tables, 3, 36)
    conf = settings()["types"]
    codes = _encode(frame.data[[c for c in frame.characteristics if frame.data[c].nunique() > 1]])
    sample = np.random.default_rng(conf["seed"]).choice(len(codes), size=conf["sample"], replace=False)
    return codes[sample]


@pytest.mark.parametrize("k", [2, 3, 4, 5, 6])
def test_demo_types_equal_the_library(demo_codes, k):
    conf = settings()["types"]
    _same(demo_codes, k, conf["seed"], conf["n_init"])


def test_planted_types_equal_the_library_and_recover_the_prototypes():
    rng = np.random.default_rng(4)
    prototypes = np.array([[0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2], [3, 3, 0, 1, 2, 3]])
    truth = rng.integers(0, 4, size=1200)
    codes = prototypes[truth].copy()
    noise = rng.random(codes.shape) < 0.2
    codes[noise] = rng.integers(0, 4, size=noise.sum())
    mine = _same(codes, 4, 2015, 3)
    assert sorted(map(tuple, mine.modes)) == sorted(map(tuple, prototypes))
    for seed in (1, 99):
        _same(codes, 3, seed, 2)


def test_small_random_sets_equal_the_library():
    rng = np.random.default_rng(5)
    checked = 0
    while checked < 80:
        n, m, levels, k = rng.integers(15, 80), rng.integers(2, 6), rng.integers(2, 5), int(rng.integers(2, 9))
        codes = rng.integers(0, levels, size=(n, m))
        if len(np.unique(codes, axis=0)) > k:
            _same(codes, k, int(rng.integers(0, 10_000)), 2)
            checked += 1


def test_an_emptied_type_takes_a_member_of_the_largest_as_in_the_library():
    # types 0 and 1 share a mode: row 1 (the only member of type 1) moves to type 0 (the first
    # nearest), type 1 is empty and takes a random member of type 0, the largest
    codes = np.array([[0, 0], [0, 0], [0, 1], [1, 1], [1, 1], [0, 0]])
    member = np.array([0, 1, 0, 2, 2, 0])
    modes = np.array([[0, 0], [0, 0], [1, 1]])
    for seed in range(6):
        run = k_modes._Run(codes, modes.copy(), member.copy(), np.random.RandomState(seed))
        moves = run.iterate()
        freq = [[defaultdict(int) for _ in range(2)] for _ in range(3)]
        for row, k in zip(codes, member):
            for a, v in enumerate(row):
                freq[k][a][v] += 1
        membship = np.zeros((3, len(codes)), dtype=bool)
        membship[member, np.arange(len(codes))] = True
        ref_modes, _, ref_member, ref_moves = _k_modes_iter(codes, modes.astype(object), freq, membship,
                                                            matching_dissim, np.random.RandomState(seed), None)
        assert moves == ref_moves
        assert np.array_equal(run.modes, ref_modes.astype(int))
        assert np.array_equal(run.member, ref_member.argmax(axis=0))
        assert run.sizes[1] == 1


def test_a_characteristic_with_hundreds_of_levels_equals_the_library_in_small_batches(monkeypatch):
    """A country of birth with 400 levels: batches of moves shrink to keep their counts small
    (here to 3 moves), and the result is still the library's."""
    rng = np.random.default_rng(12)
    codes = np.column_stack([rng.zipf(1.3, 1500).clip(max=400) - 1, rng.integers(0, 3, 1500),
                             rng.integers(0, 2, 1500)])
    monkeypatch.setattr(k_modes, "BATCH_CELLS", 3 * 6 * 3 * 400)
    _same(codes, 6, 2015, 2)
