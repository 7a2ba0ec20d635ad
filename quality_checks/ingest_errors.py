"""Names and values as the ingest's error messages may show them (texts in ingest_errors.yaml,
raised as `core.errors.UserInputError`)."""
from __future__ import annotations

import re

from core.privacy import mask_identifier, mask_text  # mask_text: 123.456.782 too

MAX_LISTED = 12
MAX_NAME = 40  # a "column name" longer than this is prose or junk, not a header
_NUMBER_LIKE = re.compile(r"\d{6}")


def shown(value) -> str:
    """A name or value as we may show it: anything holding six digits in a row could be a BSN
    or client number (a file without a header row, a wrongly mapped column) and is masked."""
    text = str(value)
    text = mask_identifier(text) if _NUMBER_LIKE.search(text) or mask_text(text) != text else text
    return text if len(text) <= MAX_NAME else text[:MAX_NAME - 1] + "…"


def listing(names) -> str:
    """Names for a one-line message: quoted, comma-separated, at most MAX_LISTED, masked."""
    names = [shown(name) for name in names]
    listed = 5 if any(name.endswith("…") for name in names) else MAX_LISTED
    text = ", ".join(f"'{name}'" for name in names[:listed])
    return text + (f" (+{len(names) - listed})" if len(names) > listed else "") or "-"

