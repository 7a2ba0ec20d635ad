"""BSN checks: is each client's citizen service number usable as CBS linkage key?

A BSN stays text. Spaces, dots and dashes are separators; an 8-digit number lost its
leading zero and is padded; the 11-test comes from python-stdnum. 000000000 is the
placeholder for 'unknown' and is rejected even though its weighted sum is divisible by 11.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from stdnum.nl import bsn as stdnum_bsn

from core.canonical import TEXT_DTYPE
from core.findings import Finding
from core.privacy import mask_bsn
from core.findings import make as make_finding

VALID, PADDED = "valid", "padded"
MISSING, MALFORMED, SENTINEL, INVALID_CHECKSUM = "missing", "malformed", "sentinel", "invalid_checksum"
KINDS = (VALID, PADDED, MISSING, MALFORMED, SENTINEL, INVALID_CHECKSUM)
USABLE = (VALID, PADDED)
SENTINEL_VALUE = "000000000"
SEPARATORS = r"[\s.\-]"


def _kind_of_digits(number: str, padded: bool) -> str:
    if number == SENTINEL_VALUE:
        return SENTINEL
    if stdnum_bsn.checksum(number) != 0:
        return INVALID_CHECKSUM
    return PADDED if padded else VALID


def classify(values: pd.Series) -> pd.DataFrame:
    """Per value: `kind` (one of KINDS) and `bsn`, the 9-digit text (<NA> when not digits)."""
    text = values.astype(TEXT_DTYPE).str.replace(SEPARATORS, "", regex=True)
    missing = text.isna() | (text == "")
    digits = text.str.fullmatch(r"\d{8,9}").fillna(False).astype(bool) & ~missing
    short = digits & (text.str.len() == 8)
    number = text.where(digits).str.zfill(9)
    kind = pd.Series(MALFORMED, index=values.index, dtype=object)
    kind[missing] = MISSING
    checked = pd.DataFrame({"number": number[digits], "short": short[digits]})
    kind[digits] = [_kind_of_digits(n, s) for n, s in zip(checked["number"], checked["short"])]
    return pd.DataFrame({"kind": kind.astype(TEXT_DTYPE), "bsn": number.astype(TEXT_DTYPE)})


@dataclass
class BsnCheck:
    """Per client: the BSN kind and the flags the link-rate prediction needs."""
    per_client: pd.DataFrame  # client_id, kind, bsn, usable, shared, conflicting, several
    findings: list[Finding]


def check(clients: pd.DataFrame) -> BsnCheck:
    """All BSN findings on the clients table (examples masked)."""
    total = len(clients)
    if "bsn" not in clients:
        per = pd.DataFrame({"client_id": clients["client_id"], "kind": MISSING, "bsn": pd.NA})
    else:
        per = pd.concat([clients[["client_id"]], classify(clients["bsn"])], axis=1)
    per["usable"] = per["kind"].isin(USABLE)
    findings = [make_finding(f"bsn.{kind}", table="clients", column="bsn", count=int(n),
                              total=total, examples=_examples(clients, per, kind))
                for kind in (MISSING, MALFORMED, SENTINEL, INVALID_CHECKSUM, PADDED)
                if (n := (per["kind"] == kind).sum())]
    per["shared"], per["conflicting"] = _shared_and_conflicting(clients, per)
    numbers = per["bsn"].where(per["kind"] != SENTINEL)
    per["several"] = numbers.groupby(per["client_id"]).transform("nunique") > 1
    findings += _person_findings(per, total)
    return BsnCheck(per_client=per, findings=findings)


def _examples(clients: pd.DataFrame, per: pd.DataFrame, kind: str) -> list[str]:
    if kind == MISSING:
        return []
    rows = per["kind"] == kind
    source = per.loc[rows, "bsn"] if kind in (PADDED, INVALID_CHECKSUM, SENTINEL) else clients.loc[rows, "bsn"]
    return [mask_bsn(value) for value in source.head(3)]


def _shared_and_conflicting(clients: pd.DataFrame, per: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Usable BSNs found under more than one client number, and those whose holders differ
    in sex or date of birth."""
    usable = per[per["usable"]]
    holders = usable.groupby("bsn")["client_id"].transform("nunique")
    shared = pd.Series(False, index=per.index)
    shared[usable.index] = holders > 1
    conflicting = pd.Series(False, index=per.index)
    person_columns = [c for c in ("sex", "birth_date") if c in clients]
    if person_columns and shared.any():
        facts = clients.loc[shared[shared].index, person_columns].assign(bsn=per.loc[shared, "bsn"])
        differs = facts.groupby("bsn")[person_columns].transform("nunique").gt(1).any(axis=1)
        conflicting[differs.index] = differs
    return shared, conflicting


def _person_findings(per: pd.DataFrame, total: int) -> list[Finding]:
    findings = []
    shared = per[per["shared"]]
    if len(shared):
        findings.append(make_finding("bsn.duplicate", table="clients", column="bsn",
                                      count=shared["client_id"].nunique(), total=total,
                                      bsns=shared["bsn"].nunique(),
                                      examples=[mask_bsn(b) for b in shared["bsn"].unique()[:3]]))
    for flag, finding_id in (("conflicting", "bsn.conflicting_person"), ("several", "bsn.client_with_several")):
        rows = per[per[flag]]
        if len(rows):
            findings.append(make_finding(finding_id, table="clients", column="bsn",
                                          count=rows["client_id"].nunique(), total=total,
                                          examples=[mask_bsn(b) for b in rows["bsn"].dropna().unique()[:3]]))
    return findings
