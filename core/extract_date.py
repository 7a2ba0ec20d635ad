"""The date an extract was drawn: what counts as 'in the future', and where observation ends.

Never today's date: an extract of 2019 analysed in 2026 must still see its records dated after
2019 as future. In order of precedence:

1. `given`: the user said it (`--extract-date`, the app's date field);
2. `manifest`: the `extract_date` of a manifest.json next to the files (the demo writes one);
3. `inferred`: from the registration itself - the end of the last month with normal
   registration activity. Events that happened (intervention starts, intakes, referrals,
   benefit starts, work starts) are counted per month; a month is normal when it has at least
   `SHARE` of the median count of the last twelve normal months before it (and at least
   `MIN_EVENTS` events). The handful of records after that month are the future-dated ones.
   Planned end dates of interventions are not counted: they lie in the future by nature.
   An extract too thin to show monthly activity (fewer than `MIN_MONTHS` normal months, e.g. a
   handful of clients) ends at the month of its latest plausible event.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core import LANGUAGES
from core.locales import format_date
from core.texts import Texts

EVENT_COLUMNS = (("interventions", "start_date"), ("referrals", "intake_date"),
                 ("referrals", "referral_date"), ("benefits", "start_date"), ("benefits", "end_date"),
                 ("outcomes", "work_start_date"))
MIN_MONTHS = 12       # fewer normal months than this: too thin to judge activity
SHARE = 0.2           # a month with less than this share of the usual activity is not normal
MIN_EVENTS = 3
PLAUSIBLE = (pd.Timestamp("1950-01-01"), pd.Timestamp("2100-01-01"))  # sentinels stay out
_TEXTS = Texts(Path(__file__).with_name("extract_date.yaml"))


@dataclass(frozen=True)
class ExtractDate:
    date: str                   # yyyy-mm-dd
    basis: str                  # given | manifest | inferred | unknown
    after: int = 0              # inferred: events dated after the date

    def explanation(self, lang: str) -> str:
        return _TEXTS(f"basis_{self.basis}", lang, date=format_date(self.date, lang) if self.date else None,
                      after=self.after)

    def to_dict(self) -> dict:
        return {"date": self.date, "basis": self.basis, "after": self.after,
                "explanation": {lang: self.explanation(lang) for lang in LANGUAGES}}

    __json__ = to_dict


def _event_months(tables: dict) -> pd.Series:
    """Events per calendar month (a Series indexed by monthly Period, sorted)."""
    parts = []
    for table, column in EVENT_COLUMNS:
        frame = tables.get(table)
        if frame is None or column not in frame:
            continue
        dates = pd.to_datetime(frame[column], errors="coerce").dropna()
        dates = dates[(dates >= PLAUSIBLE[0]) & (dates < PLAUSIBLE[1])]
        parts.append(dates.dt.to_period("M"))
    if not parts:
        return pd.Series(dtype="int64")
    return pd.concat(parts).value_counts().sort_index()


def infer_extract_date(tables: dict) -> ExtractDate:
    """The end of the last month with normal registration activity (module docstring)."""
    counts = _event_months(tables)
    if counts.empty:
        return ExtractDate("", "unknown")
    full = counts.reindex(pd.period_range(counts.index.min(), counts.index.max(), freq="M"), fill_value=0)
    values = full.to_numpy()
    normal: list[int] = []        # indices of the months judged normal so far
    for i, value in enumerate(values):
        usual = np.median(values[normal[-12:]]) if normal else value
        if value >= MIN_EVENTS and value >= SHARE * usual:
            normal.append(i)
    last = normal[-1] if len(normal) >= MIN_MONTHS else len(values) - 1
    month = full.index[last]
    return ExtractDate(month.end_time.date().isoformat(), "inferred", int(values[last + 1:].sum()))


def manifest_date(folder: str | Path | None) -> str | None:
    """The `extract_date` of a manifest.json in `folder`, if there is a usable one."""
    manifest = Path(folder) / "manifest.json" if folder is not None else None
    if manifest is None or not manifest.is_file():
        return None
    try:
        return dt.date.fromisoformat(str(json.loads(manifest.read_text(encoding="utf-8"))["extract_date"])).isoformat()
    except (ValueError, KeyError, TypeError):
        return None


def resolve_extract_date(tables: dict, given: "str | ExtractDate | None" = None,
                         folder: str | Path | None = None) -> ExtractDate:
    """The extract date by the precedence of the module docstring; `given` may be one already
    decided (an `ExtractDate`, e.g. the quality step's), which every later step then keeps."""
    if isinstance(given, ExtractDate):
        return given
    if given:
        return ExtractDate(dt.date.fromisoformat(str(given)[:10]).isoformat(), "given")
    from_manifest = manifest_date(folder)
    if from_manifest:
        return ExtractDate(from_manifest, "manifest")
    return infer_extract_date(tables)
