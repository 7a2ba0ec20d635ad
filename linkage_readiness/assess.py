"""Step 3 in one call: `assess(tables) -> LinkageResult` (JSON shape in docs/architecture.md).

JSON: `findings` (the findings about the data, then one verdict finding per fired rule),
`verdict` (from the verdict findings), `reasons` (the ids of the verdict findings), and the
link rate, microdata plan, checklist, key completeness and disclosure-controlled counts."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

import pandas as pd

from core import DEFAULT_LANGUAGE
from core.disclosure import MIN_COUNT
from core.errors import UserInputError
from core.findings import Finding, verdict
from core.jsonio import to_plain
from linkage_readiness import address_key, bsn, link_rate, minimisation, microdata
from linkage_readiness import checklist as checklist_module
from linkage_readiness.checklist import ChecklistItem
from linkage_readiness.link_rate import LinkRate
from linkage_readiness.microdata import MicrodataPlan
from linkage_readiness.verdict import Situation, is_reason, verdict_findings


@dataclass
class LinkageResult:
    findings: list[Finding]     # about the data, then the verdict findings (`reasons`)
    predicted_link_rate: LinkRate
    microdata_plan: MicrodataPlan
    checklist: list[ChecklistItem]
    key_completeness: list[dict] = field(default_factory=list)
    at_risk: list[dict] = field(default_factory=list)   # disclosure-controlled counts
    min_count: int = MIN_COUNT

    @property
    def reasons(self) -> list[Finding]:
        """The verdict findings: one per fired verdict rule."""
        return [f for f in self.findings if is_reason(f)]

    @property
    def data_findings(self) -> list[Finding]:
        return [f for f in self.findings if not is_reason(f)]

    @property
    def verdict(self) -> str:
        return verdict("linkage", self.reasons)

    def to_dict(self) -> dict:
        plain = {item.name: to_plain(getattr(self, item.name)) for item in fields(self)}
        return {**plain, "verdict": self.verdict, "reasons": [f.id for f in self.reasons]}

    __json__ = to_dict

    @classmethod
    def from_dict(cls, d: dict) -> "LinkageResult":
        return cls(findings=[Finding.from_dict(f) for f in d["findings"]],
                   predicted_link_rate=LinkRate.from_dict(d["predicted_link_rate"]),
                   microdata_plan=MicrodataPlan.from_dict(d["microdata_plan"]),
                   checklist=checklist_module.from_dicts(d["checklist"]),
                   key_completeness=list(d.get("key_completeness", [])),
                   at_risk=list(d.get("at_risk", [])), min_count=d.get("min_count", MIN_COUNT))


def assess(tables: dict[str, pd.DataFrame], *, outcomes: list[str] | None = None,
           covariates: list[str] | None = None, checklist: list | None = None, maturity=None,
           source_tables: dict[str, pd.DataFrame] | None = None, min_count: int = MIN_COUNT,
           as_of: dt.date | None = None, lang: str = DEFAULT_LANGUAGE) -> LinkageResult:
    """Check the extract for CBS linkage and plan the microdata request.

    `checklist`: saved items (ChecklistItem or dicts); `maturity`: a maturity result used to
    prefill the checklist; `source_tables`: the tables as uploaded (before mapping), scanned
    for columns that should not go to CBS in addition to the canonical ones."""
    clients = tables.get("clients")
    if clients is None:
        raise UserInputError("missing_table", table="clients")
    bsn_check = bsn.check(clients)
    key_check = address_key.check(clients, tables.get("benefits"))
    per_client = link_rate.routes(bsn_check.per_client, key_check.per_client)
    rate = link_rate.predict(per_client, min_count)
    findings = bsn_check.findings + key_check.findings + minimisation.findings(
        {**tables, **{f"source:{name}": frame for name, frame in (source_tables or {}).items()}})
    plan = microdata.plan(outcomes, covariates, microdata.extract_period(tables, as_of), as_of)
    items = checklist_module.prefill(checklist_module.from_dicts(to_plain(checklist or [])), maturity, lang)
    findings = findings + verdict_findings(Situation(findings, rate, plan, items, min_count))
    return LinkageResult(findings=findings, predicted_link_rate=rate,
                         microdata_plan=plan, checklist=items, key_completeness=key_check.completeness(),
                         at_risk=link_rate.at_risk(per_client, min_count), min_count=min_count)
