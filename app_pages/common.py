"""What every page shares: the chosen language, page texts, the active extract, tables and
charts written in the chosen language (`show_table`, `show_chart`), and the way a page keeps
what the user entered (`page_state`, `kept`, `kept_in`)."""
from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

import core  # noqa: F401  (switches telemetry off before anything else loads)
from core import DEFAULT_LANGUAGE
from core.findings import severity_label
from core.locales import localised, readable_frame
from core.texts import Texts

TEXTS_DIR = Path(__file__).with_name("texts")
T = TypeVar("T")


def keep_uploads_in_memory() -> None:
    """Uploads never touch the disk. Streamlit reads an upload with Starlette's multipart
    parser, which spools any file over 1 MiB to a temporary file; raising its spool limit
    above the largest upload the app accepts keeps every upload in memory."""
    from starlette.formparsers import MultiPartParser
    limit = (int(st.get_option("server.maxUploadSize")) + 1) * 1024 * 1024
    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, limit)


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANGUAGE)


def page_texts(page: str):
    """A function `tr(key, **values)` giving this page's texts in the chosen language."""
    texts = Texts(TEXTS_DIR / f"{page}.yaml")
    return lambda key, **values: texts(key, lang(), **values)


def choose_placeholder() -> str:
    """Placeholder of an empty multiselect (Streamlit's own is English only)."""
    return page_texts("app")("choose")


def date_format() -> str:
    """How a date input writes its date in the chosen language (31-12-2018 in Dutch)."""
    return page_texts("app")("date_format")


def severity_name(severity: str) -> str:
    """'error' / 'warning' / 'info' / 'ok' as the user reads it ('fout', 'waarschuwing', ...)."""
    return severity_label(severity, lang())


def show_table(frame, where=st, specs: dict | None = None, **kwargs):
    """`frame` as a table with every number and date written in the chosen language (a
    column's format spec in `specs`) and an empty cell as "-" (`core.locales.readable_frame`);
    `kwargs` go to `st.dataframe`."""
    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("hide_index", True)
    return where.dataframe(readable_frame(pd.DataFrame(frame), lang(), specs), **kwargs)


def show_chart(chart, where=st, **kwargs):
    """An Altair chart with numbers and dates in the chosen language (`core.locales.localised`)."""
    kwargs.setdefault("width", "stretch")
    return where.altair_chart(localised(chart, lang()), **kwargs)


@st.cache_data(show_spinner=False, max_entries=4)
def demo_extract(defects: bool = True):
    """The built-in synthetic demo municipality, generated in memory (never written to disk)."""
    from demo import generate
    data = generate(defects=defects)
    return data.tables, data.manifest


def demo_extract_date() -> str:
    """The demo's extract date (its manifest's, from its calibration), without generating it."""
    from demo.config import calibration
    return calibration()["extract_date"]


ANALYSES = {"population": "population", "design": "design_feasibility"}   # step: package with `analyse`


@st.cache_data(show_spinner=False, max_entries=8)
def computed(step: str, tables: dict, options, _quick=None):
    """The package's `analyse(tables, options)` of `step` (see ANALYSES), done once per
    extract and options for every session; a second caller of the same one waits for the first.
    `_quick` (population: the result without the models, already drawn) is passed on so it is
    not computed again; it is not part of the cache key, as the result is the same."""
    import importlib
    analyse = importlib.import_module(ANALYSES[step]).analyse
    return analyse(tables, options) if _quick is None else analyse(tables, options, quick=_quick)


def active_extract() -> tuple[str, str | None]:
    """Where the active extract came from ("demo" or the uploaded files) and its extract date:
    the date its quality profile used, else the demo's or the one inferred from the upload."""
    source = st.session_state.get("extract_source", "demo")
    report = st.session_state.get("quality_result")
    if report is not None and st.session_state.get("quality_result_source") == ("demo" if source == "demo" else "upload"):
        return source, report.extract_date
    if source == "demo":
        return source, demo_extract_date()
    inferred = st.session_state.get("extract_inferred")
    return source, inferred.date if inferred else None


def active_tables() -> tuple[dict, str]:
    """The extract the user works on: an upload kept in session memory, or the demo.

    Returns the canonical tables and a short description of where they came from."""
    uploaded = st.session_state.get("extract_tables")
    if uploaded is not None:
        return uploaded, st.session_state.get("extract_source", "upload")
    tables, _ = demo_extract()
    return tables, "demo"


# What the user entered lives in the page's own session state, not only in widget state:
# Streamlit drops the state of a widget that is not drawn in a run (another page was open) and
# keeps a widget's value as its label, so a label in another language no longer matches. A
# kept widget is drawn from the page's own state on every run and writes a change back
# through its on_change callback; its labels follow the language, its value (an id) does not.

def page_state(key: str, make: Callable[[], T]) -> T:
    """The page's own record of what the user entered, kept in the session under `key`
    (made by `make` on first use)."""
    if key not in st.session_state:
        st.session_state[key] = make()
    return st.session_state[key]


def kept(widget: Callable, key: str, value: Any, write: Callable[[Any], None], **kwargs):
    """Draw `widget` (`st.checkbox`, `column.multiselect`, ...) under `key`, showing `value`
    from the page's own state; a change by the user is handed to `write` before the next run.
    Pass no default (`value=`, `index=`, `default=`) in `kwargs`: the kept value is the default."""
    st.session_state[key] = copy.deepcopy(value)

    def changed() -> None:
        write(copy.deepcopy(st.session_state[key]))

    return widget(key=key, on_change=changed, **kwargs)


def kept_in(store: str, name: str, widget: Callable, key: str, default: Any, **kwargs):
    """`kept` for a value in the plain dict `st.session_state[store]` under `name` (set to
    `default` until the user changes it)."""
    values = page_state(store, dict)
    values.setdefault(name, copy.deepcopy(default))

    def write(value) -> None:
        page_state(store, dict)[name] = value

    return kept(widget, key, values[name], write, **kwargs)


# What one page decided for an extract and the later pages use too: the extract date (chosen
# on the quality page; core.extract_date) and the arms (chosen on the design page; core.arms).
# Kept per extract (`source` of `active_tables`), so a new upload starts afresh.

def keep_choice(kind: str, source: str, value) -> None:
    """Keep what the user chose for `kind` ('extract_date', 'arms') for the extract `source`
    (None: forget it, the pages' defaults apply again)."""
    if value is None:
        page_state("chosen", dict).pop((kind, source), None)
    else:
        page_state("chosen", dict)[(kind, source)] = value


def chosen(kind: str, source: str, default=None):
    """What the user chose for `kind` for the extract `source` (`keep_choice`), else `default`."""
    return page_state("chosen", dict).get((kind, source), default)


def extract_date_for(source: str):
    """The extract date of the later pages for the extract `source`: the one chosen on the
    quality page, else the demo's manifest date, else None (inferred from the data)."""
    from core.extract_date import ExtractDate
    return chosen("extract_date", source, ExtractDate(demo_extract_date(), "manifest") if source == "demo" else None)


def uploaded_mapping():
    """The mapping file given on the quality page with the uploaded extract (its `arms:`)."""
    loaded = st.session_state.get("quality_loaded")
    return loaded.mapping if loaded is not None and st.session_state.get("extract_tables") is not None else None


def mapping_arms():
    """The arms of the uploaded mapping file (`arms:`, `reference:`), before any page's choice."""
    from core.arms import ArmChoice
    mapping = uploaded_mapping()
    return ArmChoice.of(mapping.arms, mapping.reference, "mapping") if mapping else ArmChoice()
