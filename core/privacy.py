"""Keep personal identifiers out of everything we show or export."""
from __future__ import annotations

import re

_DIGITS = re.compile(r"\D")


def mask_bsn(value) -> str:
    """A BSN shown as `******782`: never more than the last three digits."""
    if value is None:
        return ""
    digits = _DIGITS.sub("", str(value))
    if not digits:
        return "***"
    return "*" * max(len(digits) - 3, 3) + digits[-3:]


def mask_identifier(value) -> str:
    """Any other personal key (client number): first character and length only."""
    text = "" if value is None else str(value)
    if len(text) <= 1:
        return "*"
    return text[0] + "*" * (len(text) - 1)
