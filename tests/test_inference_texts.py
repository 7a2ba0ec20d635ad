"""The inference texts exist in Dutch and English for every check, and their templates render."""
from __future__ import annotations

from pathlib import Path

import yaml

from core import LANGUAGES
from core.texts import render

TEXTS = Path(__file__).resolve().parents[1] / "design_feasibility" / "inference" / "texts.yaml"
CHECKS = ("joint_balance", "iv_interval", "anderson_rubin", "effective_f", "jive",
          "exclusion_monotonicity")


def test_every_check_has_label_explanation_verdict_in_every_language():
    texts = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))
    for check in CHECKS:
        for part in ("label", "explain", "verdict"):
            entry = texts[f"{check}.{part}"]
            assert all(entry.get(lang) for lang in LANGUAGES), (check, part)
    for key, entry in texts.items():
        assert set(entry) == set(LANGUAGES), key
        for lang in LANGUAGES:
            render(entry[lang], lang, {"p": 0.03, "f": 2.5, "q": 8, "clusters": 15})


def test_the_blind_spot_is_stated():
    texts = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))
    assert "opposite" in texts["exclusion_monotonicity.explain"]["en"]
    assert "omgekeerde" in texts["exclusion_monotonicity.explain"]["nl"]
