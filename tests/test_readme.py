"""The README documents every finding id the tool can report."""
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ["quality_checks/findings.yaml", "linkage_readiness/data/findings.yaml"]


def test_every_finding_id_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ids = [key for path in CATALOGUES for key in yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))]
    assert len(ids) > 30
    assert [i for i in ids if f"`{i}`" not in readme] == []
