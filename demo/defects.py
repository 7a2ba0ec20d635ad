"""Planted data-quality defects at known rows (docs/architecture.md, "Demo municipality").

Each defect goes to its own rows: a row carries at most one planted defect, so the counts
in the manifest are exactly what a check applying the documented rule finds.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demo.days import NAT, random_days
from demo.identifiers import bsn_text
from demo.interventions import STATUS_ORDER, Codebook, Rows

SENTINELS = np.array(["1900-01-01", "9999-12-31"], dtype="datetime64[D]")
BSN_IDS = ("bsn.invalid_checksum", "bsn.sentinel", "bsn.padded")


def planned_counts(spec: dict, table: str, rows: int) -> dict[str, int]:
    return {fid: max(int(d["minimum"]), round(d["share"] * rows)) for fid, d in spec[table].items()}


def _entry(spec: dict, table: str, fid: str, count: int) -> dict:
    return {"table": table, "column": spec[table][fid]["column"], "count": int(count)}


def _first_per_client(candidates: np.ndarray, client: np.ndarray) -> np.ndarray:
    _, first = np.unique(client[candidates], return_index=True)
    return candidates[np.sort(first)]


def plant_interventions(rng: np.random.Generator, rows: Rows, book: Codebook, first_benefit: np.ndarray,
                        extract_date: np.datetime64, spec: dict) -> tuple[Rows, dict]:
    """Rows with defects planted (duplicates appended) and the manifest entries."""
    want = planned_counts(spec, "interventions", len(rows))
    order = rng.permutation(len(rows))
    # Start-date defects: codes valid in both eras (so the code stays valid at the new date),
    # at most one such row per client (so two moved rows can never become identical).
    moved = want["date.future"] + want["date.outside_benefit"]
    stable = order[book.stable[rows.code[order]]][:4 * moved]
    movable = _first_per_client(stable, rows.client)
    movable = movable[rng.permutation(len(movable))]
    future = movable[:want["date.future"]]
    outside = movable[len(future):moved]
    taken = np.zeros(len(rows), dtype=bool)
    taken[future] = taken[outside] = True
    rest = order[~taken[order]]
    sizes = [want[k] for k in ("date.end_before_start", "date.sentinel", "coding.unknown_code", "duplicate.row")]
    before, sentinel, unknown, duplicate = np.split(rest[:sum(sizes)], np.cumsum(sizes)[:-1])

    rows = rows.take(np.arange(len(rows)))      # private copy
    rows.end[before] = rows.start[before] - random_days(rng, spec["end_before_start_days"], len(before))
    rows.status[before] = STATUS_ORDER.index("ended")
    rows.end[sentinel] = rng.choice(SENTINELS, len(sentinel))
    rows.start[future] = extract_date + random_days(rng, spec["future_days"], len(future))
    rows.end[future] = NAT
    rows.status[future] = STATUS_ORDER.index("planned")
    duration = rows.end[outside] - rows.start[outside]
    rows.start[outside] = first_benefit[rows.client[outside]] - random_days(rng, spec["outside_benefit_days"], len(outside))
    rows.end[outside] = rows.start[outside] + duration
    rows.code[unknown] = len(book.codes) + rng.integers(0, len(spec["unknown_codes"]), len(unknown))
    rows = rows.append(rows.take(duplicate))

    found = {"date.end_before_start": before, "date.sentinel": sentinel, "date.future": future,
             "date.outside_benefit": outside, "coding.unknown_code": unknown, "duplicate.row": duplicate}
    return rows, {fid: _entry(spec, "interventions", fid, len(found[fid])) for fid in spec["interventions"]}


def plant_missing_caseworkers(rng: np.random.Generator, caseworker: np.ndarray, spec: dict) -> tuple[np.ndarray, dict]:
    fid = "referral.missing_caseworker"
    chosen = rng.choice(len(caseworker), min(len(caseworker), planned_counts(spec, "referrals", len(caseworker))[fid]),
                        replace=False)
    caseworker = caseworker.copy()
    caseworker[chosen] = -1
    return caseworker, {fid: _entry(spec, "referrals", fid, len(chosen))}


def plant_bsns(rng: np.random.Generator, numbers: np.ndarray, spec: dict) -> tuple[pa.Array, dict]:
    """BSN text column with invalid, sentinel and 8-digit (unpadded) numbers planted."""
    want = planned_counts(spec, "clients", len(numbers))
    order = rng.permutation(len(numbers))
    leading_zero = numbers[order] < 10**8
    padded = order[leading_zero][:want["bsn.padded"]]
    others = order[~leading_zero]
    invalid = others[:want["bsn.invalid_checksum"]]
    sentinel = others[len(invalid):len(invalid) + want["bsn.sentinel"]]
    numbers = numbers.copy()
    last = numbers[invalid] % 10
    numbers[invalid] += (last + rng.integers(1, 10, len(invalid))) % 10 - last
    numbers[sentinel] = 0
    text = bsn_text(numbers)
    mask = np.zeros(len(numbers), dtype=bool)
    mask[padded] = True
    text = pc.if_else(pa.array(mask), pc.utf8_slice_codeunits(text, 1), text)
    found = {"bsn.invalid_checksum": invalid, "bsn.sentinel": sentinel, "bsn.padded": padded}
    return text, {fid: _entry(spec, "clients", fid, len(found[fid])) for fid in BSN_IDS}
