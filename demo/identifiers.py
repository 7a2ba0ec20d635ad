"""Synthetic personal keys: BSNs that pass the 11-test by construction, PC6 postcodes, house numbers."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from demo.text_arrays import numbered

BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2])
LEADING_ZERO_SHARE = 0.08     # older BSNs (former sofi numbers) start with 0
POSTCODE_AREAS = np.arange(3011, 3090)    # Rotterdam-like PC4 range
POSTCODE_LETTERS = np.array(list("ABCDEGHJKLMNPRSTVWXZ"))
SUFFIXES = ("A", "B", "C", "hs", "1", "2", "3")
SUFFIX_SHARE = 0.12


def check_digit(prefixes: np.ndarray) -> np.ndarray:
    """The ninth digit that makes 9d1+...+2d8-d9 divisible by 11 (10 means: no valid BSN)."""
    digits = (prefixes[:, None] // 10 ** np.arange(7, -1, -1)) % 10
    return (digits @ BSN_WEIGHTS) % 11


def valid_bsns(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct valid BSNs as integers, about 8% of them below 100,000,000 (leading zero)."""
    found = np.empty(0, dtype=np.int64)
    while found.size < n:
        m = int((n - found.size) * 1.15) + 100
        first = np.where(rng.random(m) < LEADING_ZERO_SHARE, 0, rng.integers(1, 7, m))
        prefixes = first * 10**7 + rng.integers(0, 10**7, m)
        digit = check_digit(prefixes)
        keep = (digit < 10) & (prefixes > 0)
        candidates = prefixes[keep] * 10 + digit[keep]
        found = np.concatenate([found, candidates])
        _, first_seen = np.unique(found, return_index=True)
        found = found[np.sort(first_seen)]
    return found[:n]


def bsn_text(numbers: np.ndarray) -> pa.Array:
    return numbered("", numbers, 9)


def postcodes(rng: np.random.Generator, n: int) -> pa.Array:
    area = rng.choice(POSTCODE_AREAS, n)
    letters = rng.integers(0, len(POSTCODE_LETTERS), (n, 2))
    # SA, SD and SS are not used in Dutch postcodes.
    bad = (POSTCODE_LETTERS[letters[:, 0]] == "S") & np.isin(POSTCODE_LETTERS[letters[:, 1]], ["A", "D", "S"])
    letters[bad, 1] = 1   # 'SB' instead
    text = np.char.add(area.astype(str), np.char.add(POSTCODE_LETTERS[letters[:, 0]], POSTCODE_LETTERS[letters[:, 1]]))
    return pa.array(text, type=pa.string())


def house_numbers(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """House numbers (mostly low) and suffix codes (index into SUFFIXES, -1 = none)."""
    numbers = np.minimum(1 + rng.geometric(1 / 40, n), 400)
    suffix = np.where(rng.random(n) < SUFFIX_SHARE, rng.integers(0, len(SUFFIXES), n), -1)
    return numbers, suffix
