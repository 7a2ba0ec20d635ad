"""Huang's k-modes exactly as the kmodes library (0.12.2, `KModes(init="Huang")`) runs it,
with whole-array steps instead of its loop over every point in every iteration.

The library visits the points one by one and moves a point to its nearest mode at once, so
the modes change during an iteration. Here the distances of all points are computed in one
step and only the points that move are visited, in the same order, with the library's
update rules (a mode changes only when another level becomes strictly more frequent; a mode
that loses its level is the most frequent level, the lowest on a tie; an emptied type takes
a random member of the largest); after a move that changed a mode the distances of the
later points are computed again. Same random draws, same modes, labels and cost; the
library is the reference in tests/test_k_modes.py."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BATCH_CELLS = 2_000_000   # counts checked at once in a batch of moves (16 MB per array of them)


@dataclass
class Fit:
    modes: np.ndarray        # k x columns, codes
    labels: np.ndarray       # the nearest mode of every row (the first on a tie)
    cost: int                # total Hamming distance of the rows to their modes


def _distances(codes: np.ndarray, modes: np.ndarray) -> np.ndarray:
    """Hamming distance of every row to every mode (rows x k)."""
    return (codes[:, None, :] != modes[None, :, :]).sum(axis=2)


def nearest(codes: np.ndarray, modes: np.ndarray) -> np.ndarray:
    """The nearest mode of every row (the first on a tie), as KModes.predict."""
    return _distances(codes, modes).argmin(axis=1)


def _huang_modes(codes: np.ndarray, k: int, rng: np.random.RandomState) -> np.ndarray:
    """kmodes.util.init_methods.init_huang: levels drawn by their frequency, then each mode
    replaced by its nearest row that is not already a mode (if there is one)."""
    modes = np.column_stack([rng.choice(np.sort(codes[:, a]), k) for a in range(codes.shape[1])])
    for i in range(k):
        order = np.argsort((codes != modes[i]).sum(axis=1))
        taken = (codes[order][:, None, :] == modes[None, :, :]).all(axis=2).any(axis=1)
        free = np.flatnonzero(~taken)
        modes[i] = codes[order[free[0] if len(free) else -1]]
    return modes


class _Run:
    """One run (kmodes.kmodes._k_modes_single) from its modes and each row's type."""

    def __init__(self, codes: np.ndarray, modes: np.ndarray, member: np.ndarray, rng: np.random.RandomState):
        self.codes, self.modes, self.member, self.rng = codes, modes, member, rng
        self.k, m = modes.shape
        self.columns = np.arange(m)
        self.counts = np.zeros((self.k, m, codes.max() + 1), dtype=np.int64)
        np.add.at(self.counts, (member[:, None], self.columns[None, :], codes), 1)
        self.sizes = np.bincount(member, minlength=self.k)

    @classmethod
    def start(cls, codes: np.ndarray, k: int, seed: int) -> "_Run":
        """Huang's modes, every row to its nearest, then each mode the most frequent level of
        its type (the lowest on a tie). With more distinct rows than k the modes are distinct
        rows, so no type starts empty (the library's random mode for one is never needed)."""
        rng = np.random.RandomState(seed)
        modes = _huang_modes(codes, k, rng)
        run = cls(codes, modes, nearest(codes, modes), rng)
        run.modes = run.counts.argmax(axis=2)
        return run

    def _move(self, row: int, to: int, source: int) -> None:
        """kmodes.kmodes._move_point_cat."""
        point, a = self.codes[row], self.columns
        self.member[row] = to
        self.sizes[to] += 1
        self.sizes[source] -= 1
        self.counts[to, a, point] += 1
        grows = self.counts[to, a, self.modes[to]] < self.counts[to, a, point]
        self.modes[to, grows] = point[grows]
        self.counts[source, a, point] -= 1
        lost = self.modes[source] == point
        self.modes[source, lost] = self.counts[source, lost].argmax(axis=1)

    def _move_quiet(self, rows: np.ndarray, to: np.ndarray) -> int:
        """Moves the leading rows of `rows` (in order, row i to type to[i]) that change no mode
        and empty no type, all at once; returns how many. The counts after every move come
        from one cumulative sum, and the library's rules are checked on each of them."""
        j, a = np.arange(len(rows))[:, None], self.columns[None, :]
        source, points = self.member[rows], self.codes[rows]
        delta = np.zeros((len(rows),) + self.counts.shape, dtype=np.int64)
        delta[j, to[:, None], a, points] += 1
        delta[j, source[:, None], a, points] -= 1
        after = self.counts + np.cumsum(delta, axis=0)
        sizes = self.sizes + np.cumsum(np.eye(self.k, dtype=np.int64)[to] - np.eye(self.k, dtype=np.int64)[source], axis=0)
        grows = after[j, to[:, None], a, points] > after[j, to[:, None], a, self.modes[to]]
        shifts = (self.modes[source] == points) & (after[j, source[:, None], a].argmax(axis=2) != self.modes[source])
        loud = grows.any(axis=1) | shifts.any(axis=1) | (sizes[j[:, 0], source] == 0)
        quiet = int(loud.argmax()) if loud.any() else len(rows)
        if quiet:
            self.counts, self.sizes = after[quiet - 1], sizes[quiet - 1]
            self.member[rows[:quiet]] = to[:quiet]
        return quiet

    def iterate(self, batch: int = 1000) -> int:
        """kmodes.kmodes._k_modes_iter: one pass over the rows; the number of moves. Up to
        `batch` moves at a time are checked at once, fewer when the counts are large (many
        levels), so that a batch's counts stay within `BATCH_CELLS` numbers."""
        batch = max(1, min(batch, BATCH_CELLS // self.counts.size))
        distances, moves, start = _distances(self.codes, self.modes), 0, 0
        while True:
            nearest = distances[start:].argmin(axis=1)
            rows = (start + np.flatnonzero(nearest != self.member[start:]))[:batch]
            if not len(rows):
                return moves
            quiet = self._move_quiet(rows, nearest[rows - start])
            moves += quiet
            if quiet == len(rows):         # nothing changed: the distances still hold
                start = int(rows[-1]) + 1
                continue
            row = int(rows[quiet])
            to, source = int(nearest[row - start]), int(self.member[row])
            self._move(row, to, source)
            moves += 1
            changed = [to, source]
            if self.sizes[source] == 0:     # an emptied type: a random member of the largest
                largest = int(self.sizes.argmax())
                self._move(int(self.rng.choice(np.flatnonzero(self.member == largest))), source, largest)
                changed.append(largest)
            start = row + 1
            changed = sorted(set(changed))
            distances[start:, changed] = _distances(self.codes[start:], self.modes[changed])

    def cost(self) -> int:
        return int(_distances(self.codes, self.modes).min(axis=1).sum())


def fit(codes: np.ndarray, k: int, seed: int, n_init: int, max_iter: int = 100) -> Fit:
    """`KModes(n_clusters=k, init="Huang", n_init=n_init, random_state=seed, n_jobs=1,
    max_iter=max_iter).fit(codes)` for integer codes with more distinct rows than k: the run
    with the lowest cost (the first on a tie)."""
    if len(np.unique(codes, axis=0)) <= k:
        raise ValueError("k-modes needs more distinct rows than types")
    seeds = np.random.RandomState(seed).randint(np.iinfo(np.int32).max, size=n_init)
    best = None
    for run_seed in seeds:
        run = _Run.start(codes, k, run_seed)
        cost, converged, done = run.cost(), False, 0
        while done < max_iter and not converged:
            done += 1
            moves = run.iterate()
            new_cost = run.cost()
            converged, cost = moves == 0 or new_cost >= cost, new_cost
        if best is None or cost < best.cost:
            best = Fit(run.modes.copy(), nearest(codes, run.modes), cost)
    return best
