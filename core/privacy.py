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


# Digits in groups separated by single dots, spaces or dashes (123.456.782, 1234 56 782,
# 12-34-56-782), or a plain run of digits.
_DIGIT_GROUPS = re.compile(r"(?<![\d.,])\d{1,9}(?:[. \-]\d{1,4}){0,4}(?![\d])")
_DATE_SHAPES = ((4, 2, 2), (2, 2, 4), (1, 2, 4), (2, 1, 4), (1, 1, 4), (4, 1, 1), (4, 2, 1), (4, 1, 2))
_THOUSANDS = ((1, 3, 3), (2, 3, 3))   # 1.234.567 / 12.345.678: a count written the Dutch way


def _masked_run(match: re.Match) -> str:
    text = match.group(0)
    parts = re.split(r"[. \-]", text)
    if len(parts) > 1 and set(parts[-1]) == {"0"} and text[-len(parts[-1]) - 1] == ".":
        parts = parts[:-1]  # Excel's decimal suffix: 612670648.0
    groups = tuple(len(g) for g in parts)
    digits = sum(groups)
    if digits < 8 or digits > 9 or groups in _DATE_SHAPES or groups in _THOUSANDS \
            or set("".join(parts)) == {"0"} \
            or (groups == (4, 4) and all(1800 <= int(p) < 2200 for p in parts)):   # 000000000; 2000-2026
        return text
    return mask_bsn("".join(parts))


def mask_text(text: str) -> str:
    """Free text with every number that could be a BSN (8 or 9 digits, also written with
    dots, spaces or dashes between groups) masked to its last three digits; dates stay."""
    return _DIGIT_GROUPS.sub(_masked_run, text) if any(c.isdigit() for c in text) else text
