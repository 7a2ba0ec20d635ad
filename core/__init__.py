"""Shared building blocks: findings, texts (NL/EN), canonical data model, privacy, JSON, CLI.

Importing this package switches off the telemetry of every library we use, before any of
them is imported (Great Expectations reads the variable at import time), and keeps freed
memory for reuse, numpy's arrays on normal pages (core.memory: large extracts are profiled
without page-faulting every temporary array in anew).
"""
import os

from core.memory import keep_freed_memory, no_huge_pages_for_numpy

os.environ["GX_ANALYTICS_ENABLED"] = "false"
os.environ["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
os.environ.setdefault("TQDM_DISABLE", "1")
no_huge_pages_for_numpy()
keep_freed_memory()

LANGUAGES = ("nl", "en")
MIN_COUNT = 10    # disclosure threshold: counts of people below it never leave the tool (core.disclosure)
DEFAULT_LANGUAGE = "nl"
