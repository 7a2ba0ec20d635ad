"""Dates on the command line (`--extract-date`, `--policy-date`); the extract date itself is
decided in core.extract_date."""
from __future__ import annotations

import datetime as dt
from core.errors import UserInputError


def iso_date(text: str) -> str:
    """`text` as a yyyy-mm-dd date, or a plain user error."""
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise UserInputError("bad_argument", detail=f"'{text}' is not a date like 2018-12-31") from None
