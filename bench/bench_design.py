"""Time step 4 (`design_feasibility.analyse`) on the demo with 6,000 and 60,000 clients.

Run from the repository root: `python bench/bench_design.py`. Demo generation is not timed.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import core  # noqa: E402,F401
from demo import generate  # noqa: E402
from design_feasibility import analyse  # noqa: E402


def main() -> None:
    for n_clients, n_caseworkers in ((6_000, 80), (60_000, 800)):
        tables = generate(n_clients=n_clients, n_caseworkers=n_caseworkers).tables
        start = time.perf_counter()
        result = analyse(tables)
        seconds = time.perf_counter() - start
        iv = result.estimate("iv", "Matching")
        print(f"{n_clients:>7,} clients, {n_caseworkers} caseworkers: {seconds:5.1f} s "
              f"(IV Matching {iv.estimate:+.3f}, 95% CI {iv.ci_low:+.3f} .. {iv.ci_high:+.3f})")


if __name__ == "__main__":
    main()
