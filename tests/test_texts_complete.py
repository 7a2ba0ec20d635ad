"""Every text the tool can show exists in every language, and templates render in each."""
from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from core import LANGUAGES
from core.texts import format_number, render

ROOT = Path(__file__).resolve().parents[1]


def _yaml_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "*.yaml"], cwd=ROOT, capture_output=True, text=True).stdout
    return [ROOT / name for name in listed.split()] or sorted(ROOT.glob("*/**/*.yaml"))


def _text_entries(node, path: str):
    """Every mapping that holds a text in some language (`nl:` or `en:` key), with its path."""
    if isinstance(node, dict):
        if any(lang in node for lang in LANGUAGES):
            yield path, node
        for key, value in node.items():
            yield from _text_entries(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _text_entries(value, f"{path}[{i}]")


def test_every_yaml_text_has_every_language():
    missing, seen = [], 0
    for file in _yaml_files():
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        for path, entry in _text_entries(data, file.relative_to(ROOT).as_posix()):
            seen += 1
            missing += [f"{path}: no {lang}" for lang in LANGUAGES if not entry.get(lang)]
    assert seen > 1000          # the scan reaches the texts (about 1,300 today)
    assert missing == []


def test_numbers_are_written_per_language():
    assert format_number(1234567, "nl") == "1.234.567"
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(0.5, "nl") == "0,5"
    assert render("{share:.1%} van {n}", "nl", {"share": 0.1234, "n": 2500}) == "12,3% van 2.500"
    assert render("{share:.1%} of {n}", "en", {"share": 0.1234, "n": 2500}) == "12.3% of 2,500"
    assert render("{who} ({missing})", "en", {"who": {"nl": "cliënten", "en": "clients"}}) == "clients (-)"


def test_every_finding_has_a_plain_title_without_numbers():
    """Management texts name findings by title (never by id); a title carries no count, so a
    small count cannot slip into a sentence through it."""
    from core.findings import catalogue
    entries = catalogue()
    assert len(entries) > 100
    missing = [key for key, entry in entries.items()
               if not all((entry.get("title") or {}).get(lang) for lang in LANGUAGES)]
    with_counts = [key for key, entry in entries.items() if "{count}" in str(entry.get("title"))]
    assert missing == [] and with_counts == []


def test_every_yaml_file_reads_the_same_with_the_fast_loader():
    """core.texts.load_yaml uses libyaml's loader: the same data as PyYAML's own safe loader."""
    from core.texts import SAFE_LOADER, load_yaml
    for file in _yaml_files():
        assert load_yaml(file) == (yaml.safe_load(file.read_text(encoding="utf-8")) or {}), file
    assert SAFE_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml where PyYAML has it
