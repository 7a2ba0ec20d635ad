"""Entry point: navigation over the steps of the scan and the language switch.

Run with `streamlit run streamlit_app.py`. Only steps whose capability exists are listed.
"""
from pathlib import Path

import streamlit as st

import core  # noqa: F401  (telemetry off first)
from app_pages.common import active_extract, keep_uploads_in_memory, lang, page_texts
from core.locales import format_date

# (page file, title key) in journey order; a step is listed once its page exists.
STEPS = [
    ("maturity_page.py", "step_maturity"),
    ("quality.py", "step_quality"),
    ("population_page.py", "step_population"),
    ("linkage.py", "step_linkage"),
    ("design.py", "step_design"),
    ("workplan_page.py", "step_workplan"),
    ("dialogue_page.py", "step_dialogue"),
]

keep_uploads_in_memory()
st.set_page_config(page_title="Evaluatiescan re-integratie", layout="wide")
tr = page_texts("app")

with st.sidebar:
    st.selectbox(tr("language"), ["nl", "en"], key="lang",
                 format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code])

pages_dir = Path(__file__).with_name("app_pages")
pages = [st.Page(str(pages_dir / file), title=tr(key), url_path=key.removeprefix("step_"))
         for file, key in STEPS if (pages_dir / file).exists()]
st.navigation(pages).run()
with st.sidebar:     # after the page: an upload confirmed in this run is already the active extract
    source, date = active_extract()
    st.caption((tr("source_upload", source=source) if source != "demo" else tr("source_demo"))
               + (" " + tr("extract_date", date=format_date(date, lang())) if date else ""))
