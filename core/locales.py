"""Numbers, dates and names as the reader's language writes them, in charts and tables.

- `localised(chart, lang)`: the chart carries the d3 number and time locale of `lang` in its
  Vega-Lite config (`config.locale`), so axes, legends and tooltips read "1.200", "0,3%" and
  "jan 2015" in Dutch, "1,200", "0.3%" and "Jan 2015" in English, in the browser and the PDF.
  The locales are vl-convert's copy of d3's locale data (`vega_locale`).
- `format_month("2015-01", lang)` -> "jan 2015"; `format_date(date, lang)` -> "31-12-2018".
- `readable_frame(frame, lang)`: a table for the screen with every cell written in `lang`
  (numbers with `core.texts.format_number`, a column's own format spec if given, dates per
  language, an empty cell as "-").
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pandas as pd
import vl_convert as vlc

from core import DEFAULT_LANGUAGE
from core.texts import format_number

LOCALES = {"nl": "nl-NL", "en": "en-GB"}


@lru_cache(maxsize=None)
def vega_locale(lang: str) -> dict:
    """`{"number": ..., "time": ...}` of `lang` as Vega's `config.locale` takes it."""
    name = LOCALES.get(lang, LOCALES[DEFAULT_LANGUAGE])
    return {"number": vlc.get_format_locale(name), "time": vlc.get_time_format_locale(name)}


def localised(chart, lang: str):
    """A copy of the Altair `chart` writing numbers and dates in `lang` (its other settings
    kept). Altair is loaded here, not with the module: the steps' commands only write dates."""
    import altair as alt
    copy = chart.copy(deep=["config"])
    if copy.config is alt.Undefined:
        copy.config = alt.Config()
    copy.config.locale = alt.Locale(**vega_locale(lang))
    return copy


def format_month(value, lang: str) -> str:
    """A month ("2015-01", a date) as "jan 2015" (Dutch) or "Jan 2015" (English)."""
    if value is None or value is pd.NaT or value == "":
        return "-"
    month = pd.Timestamp(f"{value}-01" if isinstance(value, str) and len(value) == 7 else value)
    return f"{vega_locale(lang)['time']['shortMonths'][month.month - 1]} {month.year}"


def format_date(value, lang: str) -> str:
    """A date as the language writes it: 31-12-2018 in Dutch, 31/12/2018 in English."""
    if value is None or pd.isna(value):
        return "-"
    return pd.Timestamp(value).strftime(vega_locale(lang)["time"]["date"])


def _cell(value, lang: str, spec: str = "") -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "-"
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (dt.date, pd.Timestamp)):
        return format_date(value, lang)
    if isinstance(value, (int, float)) or pd.api.types.is_number(value):
        return format_number(value.item() if hasattr(value, "item") else value, lang, spec)
    return str(value)


def readable_frame(frame: pd.DataFrame, lang: str, specs: dict | None = None) -> pd.DataFrame:
    """`frame` with every cell a text written in `lang` (see the module docstring); `specs`
    gives a column's number format (`{"Effect": "+.1f"}`)."""
    shown = frame.copy()
    specs = specs or {}
    for column in shown.columns:
        shown[column] = [_cell(value, lang, specs.get(column, "")) for value in frame[column].tolist()]
    shown.index = [_cell(value, lang) for value in frame.index.tolist()]
    return shown

