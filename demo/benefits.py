"""Benefit (bijstand) periods: every client starts in the cohort year; some leave and return."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.days import NAT, random_days


@dataclass
class Periods:
    start: np.ndarray          # first period (datetime64[D])
    end: np.ndarray            # NaT while still on benefit at the extract date
    second_start: np.ndarray   # NaT when the client did not return; a second period is still running


def benefit_periods(rng: np.random.Generator, start: np.ndarray, referral_date: np.ndarray,
                    work_start: np.ndarray, extract_date: np.datetime64, spec: dict) -> Periods:
    n = len(start)
    after_work = work_start + random_days(rng, spec["exit_after_work_days"], n)
    other = referral_date + (1 + rng.exponential(365 / spec["other_exit_per_year"], n)).astype(int).astype("timedelta64[D]")
    end = np.where(np.isnat(after_work) | (other < after_work), other, after_work)
    end = np.where(end <= extract_date, end, NAT)
    second = end + random_days(rng, spec["return_gap_days"], n)
    returns = ~np.isnat(end) & (rng.random(n) < spec["return_share"]) & (second <= extract_date)
    second = np.where(returns, second, NAT)
    return Periods(start=start, end=end.astype("datetime64[D]"), second_start=second.astype("datetime64[D]"))
