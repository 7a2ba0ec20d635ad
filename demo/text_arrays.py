"""Build text columns fast: index arrays into a small vocabulary become Arrow strings."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.canonical import TEXT_DTYPE


def arrow_to_series(array: pa.Array) -> pd.Series:
    return array.to_pandas().astype(TEXT_DTYPE)


def from_codes(vocabulary, codes: np.ndarray) -> pd.Series:
    """Text column with vocabulary[codes]; a negative code is a missing value."""
    codes = np.asarray(codes)
    indices = pa.array(codes.astype(np.int32), mask=codes < 0)
    dictionary = pa.array(list(vocabulary), type=pa.string())
    return arrow_to_series(pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string()))


def numbered(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """'K0000123'-style identifiers: prefix + zero-padded number."""
    digits = pc.utf8_lpad(pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, "") if prefix else digits
