"""Shared fixtures: the demo municipality in memory and written to disk (both file styles)."""
from __future__ import annotations

import pytest

import core  # noqa: F401  (telemetry off before any library import)
from demo import generate, write_extract


@pytest.fixture(scope="session", name="demo")
def demo_default():
    """The default demo extract (6,000 clients, seed 2015, planted defects)."""
    return generate()


@pytest.fixture(scope="session")
def demo_clean():
    """The same municipality without planted defects."""
    return generate(defects=False)


def _written(tmp_path_factory, extract, style):
    folder = tmp_path_factory.mktemp(f"demo_{style}")
    write_extract(extract.tables, folder, style, manifest=extract.manifest)
    return folder


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory, demo):
    """Folder with the default extract in the canonical style (UTF-8, ',', ISO dates) + manifest.json."""
    return _written(tmp_path_factory, demo, "canonical")


@pytest.fixture(scope="session")
def demo_dir_dutch(tmp_path_factory, demo):
    """Folder with the default extract in the Dutch municipal style (cp1252, ';', dd-mm-jjjj)."""
    return _written(tmp_path_factory, demo, "dutch")
