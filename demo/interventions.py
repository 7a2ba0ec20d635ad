"""Interventions (trajecten) during benefit periods, coded with the codebook of the era.

Codes valid before the coding change are used for starts before the change date, the new
codes from that date on; each arm uses its own mix of codes (codebook.yaml weights of the
Rotterdam department it is like).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.canonical import conform
from demo.benefits import Periods
from demo.days import NAT, random_days
from demo.text_arrays import from_codes

STATUS_ORDER = ("ended", "stopped", "running", "planned")
EARLY_SKEW = 1.3      # interventions cluster in the first months after referral


@dataclass
class Codebook:
    codes: list[str]
    labels: list[str]
    categories: list[str]
    valid_from: np.ndarray     # datetime64[D]
    valid_to: np.ndarray       # datetime64[D], NaT = still valid
    weights: np.ndarray        # (arms, codes)
    change_date: np.datetime64
    statuses: list[str]

    @classmethod
    def from_spec(cls, spec: dict, like: dict[str, str]) -> "Codebook":
        """`like`: per arm (in order) the Rotterdam department whose weights it uses."""
        codes = list(spec["codes"])
        entries = [spec["codes"][c] for c in codes]
        start = spec["valid_from"]
        return cls(
            codes=codes,
            labels=[e["label"] for e in entries],
            categories=[e["category"] for e in entries],
            valid_from=np.array([e.get("valid_from", start) for e in entries], dtype="datetime64[D]"),
            valid_to=np.array([e.get("valid_to", "NaT") for e in entries], dtype="datetime64[D]"),
            weights=np.array([[e["weights"][d] for e in entries] for d in like.values()], dtype=float),
            change_date=np.datetime64(spec["change"]["date"], "D"),
            statuses=[spec["statuses"][s] for s in STATUS_ORDER],
        )

    def valid_at(self, day: np.datetime64) -> np.ndarray:
        return (self.valid_from <= day) & (np.isnat(self.valid_to) | (day <= self.valid_to))

    @property
    def stable(self) -> np.ndarray:
        """Codes valid in both eras (before and after the change)."""
        return self.valid_at(self.change_date - 1) & self.valid_at(self.change_date)

    def table(self) -> pd.DataFrame:
        return conform(pd.DataFrame({
            "intervention_code": self.codes, "label": self.labels,
            "valid_from": self.valid_from.astype("datetime64[s]"),
            "valid_to": self.valid_to.astype("datetime64[s]"), "category": self.categories,
        }), "codebook")


@dataclass
class Rows:
    """Intervention rows as arrays; code and label index into vocabularies (codes may be unknown)."""
    client: np.ndarray
    code: np.ndarray
    label: np.ndarray
    start: np.ndarray
    end: np.ndarray
    status: np.ndarray

    def __len__(self) -> int:
        return len(self.client)

    def take(self, order: np.ndarray) -> "Rows":
        return Rows(**{k: v[order] for k, v in vars(self).items()})

    def append(self, other: "Rows") -> "Rows":
        return Rows(**{k: np.concatenate([v, getattr(other, k)]) for k, v in vars(self).items()})


def _choose_codes(rng, book: Codebook, department: np.ndarray, start: np.ndarray) -> np.ndarray:
    era = (start >= book.change_date).astype(int)
    code = np.empty(len(start), dtype=np.int64)
    u = rng.random(len(start))
    for new_era in (0, 1):
        valid = book.valid_at(book.change_date - 1 + new_era)
        for d in range(len(book.weights)):
            rows = (era == new_era) & (department == d)
            weights = book.weights[d] * valid
            code[rows] = np.searchsorted(np.cumsum(weights) / weights.sum(), u[rows], side="right")
    return code


def draw_interventions(rng: np.random.Generator, book: Codebook, periods: Periods, referral_date: np.ndarray,
                       department: np.ndarray, extract_date: np.datetime64, mean: float, spec: dict) -> Rows:
    n = len(referral_date)
    first_end = np.where(np.isnat(periods.end), extract_date, periods.end)
    len1 = (first_end - referral_date).astype(int) + 1
    len2 = np.where(np.isnat(periods.second_start), 0, (extract_date - periods.second_start).astype(int) + 1)
    client = np.repeat(np.arange(n), rng.poisson(mean, n))
    m = len(client)
    position = (rng.random(m) ** EARLY_SKEW * (len1 + len2)[client]).astype(int)
    in_first = position < len1[client]
    start = np.where(in_first, referral_date[client] + position.astype("timedelta64[D]"),
                     periods.second_start[client] + (position - len1[client]).astype("timedelta64[D]"))
    period_end = np.where(in_first, periods.end[client], NAT)
    end = start + random_days(rng, spec["duration_days"], m)
    end = np.where(~np.isnat(period_end) & (end > period_end), period_end, end)
    running = end > extract_date
    end = np.where(running, NAT, end).astype("datetime64[D]")
    status = np.where(running, 2, np.where(rng.random(m) < spec["stopped_early_share"], 1, 0))
    code = _choose_codes(rng, book, department[client], start)
    rows = Rows(client=client, code=code, label=code.copy(), start=start.astype("datetime64[D]"), end=end, status=status)
    return rows.take(_first_per_key(rows))


def _first_per_key(rows: Rows) -> np.ndarray:
    """Indices of rows that are the first with their (client, code, start): no chance duplicates."""
    key = (rows.client.astype(np.int64) << 22) | (rows.code.astype(np.int64) << 16) | (
        rows.start.astype(np.int64) - np.datetime64("2000-01-01", "D").astype(np.int64))
    _, first = np.unique(key, return_index=True)
    return np.sort(first)


def frame(rows: Rows, client_ids, vocabulary: list[str], labels: list[str], statuses: list[str]) -> pd.DataFrame:
    order = np.lexsort((rows.start, rows.client))
    rows = rows.take(order)
    return conform(pd.DataFrame({
        "client_id": client_ids.take(rows.client).to_pandas(),
        "intervention_code": from_codes(vocabulary, rows.code),
        "intervention_label": from_codes(labels, rows.label),
        "start_date": rows.start.astype("datetime64[s]"),
        "end_date": rows.end.astype("datetime64[s]"),
        "status": from_codes(statuses, rows.status),
    }), "interventions")
