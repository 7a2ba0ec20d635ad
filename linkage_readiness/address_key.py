"""The fallback address key: complete, well-formed and unique enough to identify a person?

The reference date is the date the address applied. The canonical extract has no address
date, so we take the start of the client's first benefit in the extract (the moment the
municipality recorded the address for this cohort); clients without a benefit lack it.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import LANGUAGES
from core.canonical import SENTINEL_DATES, TEXT_DTYPE
from core.findings import Finding
from core.texts import pick
from core.findings import make as make_finding
from linkage_readiness.resources import data

PC6, PC4, INVALID, MISSING = "pc6", "pc4", "invalid", "missing"
ELEMENTS = ("sex", "birth_date", "postcode", "house_number", "reference_date")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype=TEXT_DTYPE)
    return frame[column].astype(TEXT_DTYPE).str.strip().str.upper().replace("", pd.NA)


def postcode_form(postcodes: pd.Series) -> pd.Series:
    """pc6 / pc4 / invalid / missing per postcode (spaces ignored, any case)."""
    rules = data("address_key")
    text = postcodes.astype(TEXT_DTYPE).str.replace(r"\s", "", regex=True).str.upper().replace("", pd.NA)
    form = pd.Series(INVALID, index=postcodes.index, dtype=object)
    form[text.str.fullmatch(rules["pc4"]).fillna(False).astype(bool)] = PC4
    form[text.str.fullmatch(rules["pc6"]).fillna(False).astype(bool)] = PC6
    form[text.isna()] = MISSING
    return form


def _usable_date(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(False, index=frame.index)
    dates = frame[column]
    return dates.notna() & ~dates.isin(SENTINEL_DATES)


@dataclass
class AddressKeyCheck:
    per_client: pd.DataFrame  # one bool column per element, postcode_form, complete, unique
    findings: list[Finding]

    def completeness(self) -> list[dict]:
        """Share of clients with each element present and usable (for charts)."""
        labels = data("address_key")["elements"]
        n = max(len(self.per_client), 1)
        return [{"element": element, "label": labels[element], "complete": int(self.per_client[element].sum()),
                 "share": float(self.per_client[element].sum() / n)} for element in ELEMENTS]


def reference_dates(clients: pd.DataFrame, benefits: pd.DataFrame | None) -> pd.Series:
    """Per client row: start of the client's first benefit (NaT without one)."""
    if benefits is None or "start_date" not in benefits:
        return pd.Series(pd.NaT, index=clients.index, dtype="datetime64[s]")
    usable = benefits[_usable_date(benefits, "start_date")]
    first = usable.groupby("client_id")["start_date"].min()
    return clients["client_id"].map(first).astype("datetime64[s]")


def check(clients: pd.DataFrame, benefits: pd.DataFrame | None = None) -> AddressKeyCheck:
    rules = data("address_key")
    per = pd.DataFrame({"client_id": clients["client_id"]})
    per["sex"] = _text(clients, "sex").isin(rules["sex_codes"]).fillna(False).astype(bool)
    per["birth_date"] = _usable_date(clients, "birth_date")
    per["postcode_form"] = postcode_form(_text(clients, "postcode"))
    per["postcode"] = per["postcode_form"].isin([PC6, PC4])
    per["house_number"] = _text(clients, "house_number").str.fullmatch(rules["house_number"]).fillna(False).astype(bool)
    per["reference_date"] = reference_dates(clients, benefits).notna()
    per["complete"] = per[list(ELEMENTS)].all(axis=1)
    per["unique"] = _unique_keys(clients, per)
    return AddressKeyCheck(per_client=per, findings=_findings(per))


def _unique_keys(clients: pd.DataFrame, per: pd.DataFrame) -> pd.Series:
    """True where no other client number has the same complete key (suffix included)."""
    unique = pd.Series(True, index=per.index)
    rows = per.index[per["complete"]]
    if rows.empty:
        return unique
    c = clients.loc[rows]
    key = (_text(c, "sex") + "|" + c["birth_date"].astype(str) + "|"
           + _text(c, "postcode").str.replace(r"\s", "", regex=True) + "|" + _text(c, "house_number")
           + "|" + _text(c, "house_number_suffix").fillna(""))
    unique[rows] = (c["client_id"].groupby(key).transform("nunique") == 1).to_numpy()
    return unique


def _findings(per: pd.DataFrame) -> list[Finding]:
    total = len(per)
    labels = data("address_key")["elements"]
    findings = []
    incomplete = ~per["complete"]
    if incomplete.any():
        missing = {lang: ", ".join(f"{pick(labels[e], lang)} {int((~per[e]).sum())}"
                                   for e in ELEMENTS if (~per[e]).any()) for lang in LANGUAGES}
        findings.append(make_finding("address_key.incomplete", table="clients", column=None,
                                      count=int(incomplete.sum()), total=total, missing=missing))
    for form, finding_id in ((PC4, "address_key.pc4_only"), (INVALID, "address_key.invalid_postcode")):
        if n := int((per["postcode_form"] == form).sum()):
            findings.append(make_finding(finding_id, table="clients", column="postcode", count=n, total=total))
    if n := int((~per["unique"]).sum()):
        findings.append(make_finding("address_key.not_unique", table="clients", column=None, count=n, total=total))
    return findings
