"""The date an extract was taken: what counts as 'in the future' in the date checks."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from core.errors import UserInputError


def iso_date(text: str) -> str:
    """`text` as a yyyy-mm-dd date, or a plain user error."""
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise UserInputError("bad_argument", detail=f"'{text}' is not a date like 2018-12-31") from None


def default_extract_date(folder: Path) -> str:
    """The `extract_date` of a manifest.json in the folder (the demo writes one), else today."""
    manifest = Path(folder) / "manifest.json"
    if manifest.is_file():
        try:
            return iso_date(str(json.loads(manifest.read_text(encoding="utf-8"))["extract_date"]))
        except (UserInputError, ValueError, KeyError, TypeError):
            pass
    return dt.date.today().isoformat()
