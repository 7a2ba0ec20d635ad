"""Step 3 of the scan: can this extract be delivered to CBS and linked, which CBS microdata
files does the research question need, and what must be arranged first.

`assess(tables, ...) -> LinkageResult`; the parts are usable on their own: `bsn.classify`,
`address_key.check`, `link_rate`, `minimisation.scan_columns`, `microdata.plan`,
`checklist`. No Streamlit here; the page is app_pages/linkage.py and the command
`python -m linkage_readiness`.
"""
import core  # noqa: F401  (telemetry off before any library loads)
from linkage_readiness.assess import LinkageResult, assess
from linkage_readiness.checklist import ChecklistItem, default_checklist, from_dicts, prefill
from linkage_readiness.microdata import MicrodataPlan, catalogue, plan

__all__ = ["LinkageResult", "assess", "ChecklistItem", "default_checklist", "from_dicts", "prefill",
           "MicrodataPlan", "catalogue", "plan"]
