"""Synthetic demo municipality: a seeded, deterministic registration extract with known truth.

`generate()` returns conformed canonical tables and a manifest (true effects, coding change,
planted defects with exact counts); `write_extract()` writes them as CSV files. Both load on
first use, so reading the demo's settings (`demo.config`) does not load the generator.
"""
import importlib

__all__ = ["DEFAULTS", "DemoExtract", "generate", "write_extract"]
_LAZY = {"DEFAULTS": "demo.generator", "DemoExtract": "demo.generator", "generate": "demo.generator",
         "write_extract": "demo.writer"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'demo' has no attribute {name!r}")
