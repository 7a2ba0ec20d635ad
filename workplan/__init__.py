"""Step 5 of the scan: the saved assessment and the workplan PDF.

`Assessment` holds everything one scan found (each step's result as its JSON dict) and is
saved/loaded as versioned JSON; `build_report` decides traffic lights, go/no-go items,
conditions, register and phased tasks from the YAML content in workplan/content/;
`build_pdf` renders it; `compare` sets two assessments side by side;
`build_assessment(_from_extract)` runs the steps that exist. No Streamlit here: the page is
app_pages/workplan_page.py and the command `python -m workplan`.
"""
import core  # noqa: F401  (telemetry off before anything else loads)
from workplan.assessment import FORMAT_VERSION, Assessment, load, loads
from workplan.compare import Comparison, compare, render
from workplan.pdf import SECTIONS, build_pdf
from workplan.pipeline import build_assessment, build_assessment_from_extract
from workplan.report import Report, build_report

__all__ = ["FORMAT_VERSION", "Assessment", "load", "loads", "Comparison", "compare", "render",
           "SECTIONS", "build_pdf", "build_assessment", "build_assessment_from_extract", "Report",
           "build_report"]
