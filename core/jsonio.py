"""JSON for results: dataclasses, numpy/pandas scalars and dates serialise without fuss."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path

import numpy as np


def _plain(value):
    if hasattr(value, "__json__"):  # a value that says how it is written (core.findings.Finding)
        return _plain(value.__json__())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    return value


def to_plain(value):
    """A structure of dicts, lists and JSON scalars."""
    return _plain(value)


def dumps(value) -> str:
    return json.dumps(to_plain(value), ensure_ascii=False, indent=2)


def write(value, path: str | Path) -> None:
    Path(path).write_text(dumps(value), encoding="utf-8")
