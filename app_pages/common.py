"""What every page shares: the chosen language, page texts, the active extract."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

import core  # noqa: F401  (switches telemetry off before anything else loads)
from core import DEFAULT_LANGUAGE
from core.findings import severity_label
from core.texts import Texts

TEXTS_DIR = Path(__file__).with_name("texts")


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


def severity_name(severity: str) -> str:
    """'error' / 'warning' / 'info' / 'ok' as the user reads it ('fout', 'waarschuwing', ...)."""
    return severity_label(severity, lang())


@st.cache_data(show_spinner=False, max_entries=4)
def demo_extract(defects: bool = True):
    """The built-in synthetic demo municipality, generated in memory (never written to disk)."""
    from demo import generate
    data = generate(defects=defects)
    return data.tables, data.manifest


def active_tables() -> tuple[dict, str]:
    """The extract the user works on: an upload kept in session memory, or the demo.

    Returns the canonical tables and a short description of where they came from."""
    uploaded = st.session_state.get("extract_tables")
    if uploaded is not None:
        return uploaded, st.session_state.get("extract_source", "upload")
    tables, _ = demo_extract()
    return tables, "demo"
