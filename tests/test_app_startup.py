"""The app's first page (maturity) and its sidebar load none of the heavy step packages: the
demo's date is read from its calibration without generating it, the design estimators
(statsmodels) and scipy.optimize load on first use."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app_pages.common import demo_extract_date
from demo import generate

ROOT = Path(__file__).resolve().parents[1]
FIRST_PAGE = """
import sys
import app_pages.common as common, maturity, maturity.chart, maturity.summary, maturity.texts
common.demo_extract_date()
heavy = ("demo.generator", "design_feasibility.analysis", "statsmodels", "scipy.optimize")
print(",".join(m for m in heavy if m in sys.modules))
from population import analyse          # the population page's own import: not the design step's
print(",".join(m for m in heavy[1:3] if m in sys.modules))
"""


def test_the_first_page_loads_no_heavy_package():
    loaded = subprocess.run([sys.executable, "-c", FIRST_PAGE], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.splitlines() == ["", ""]


def test_the_demo_date_without_the_demo_is_its_manifest_date():
    assert demo_extract_date() == generate(n_clients=300).manifest["extract_date"]
