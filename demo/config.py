"""The demo's data files: calibration targets, codebook, defects and file styles."""
from __future__ import annotations

from pathlib import Path

from core.texts import load_yaml

HERE = Path(__file__).parent


def calibration() -> dict:
    return load_yaml(HERE / "calibration.yaml")


def codebook_spec() -> dict:
    return load_yaml(HERE / "codebook.yaml")


def defect_spec() -> dict:
    return load_yaml(HERE / "defects.yaml")


def styles() -> dict:
    return load_yaml(HERE / "styles.yaml")
