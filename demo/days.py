"""Day arithmetic shared by the generator: missing dates and random day offsets."""
from __future__ import annotations

import numpy as np

NAT = np.datetime64("NaT", "D")


def random_days(rng: np.random.Generator, low_high, n: int) -> np.ndarray:
    """n whole-day offsets drawn uniformly from [low, high] (both included)."""
    low, high = low_high
    return rng.integers(low, high + 1, n).astype("timedelta64[D]")
