"""Synthetic demo municipality: a seeded, deterministic registration extract with known truth.

`generate()` returns conformed canonical tables and a manifest (true effects, coding change,
planted defects with exact counts); `write_extract()` writes them as CSV files.
"""
from demo.generator import DEFAULTS, DemoExtract, generate
from demo.writer import write_extract

__all__ = ["DEFAULTS", "DemoExtract", "generate", "write_extract"]
