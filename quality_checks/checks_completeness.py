"""Completeness for research: caseworker and department of every referral, missingness of the
covariates by quarter, and exact duplicate rows."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.canonical import DEPARTMENTS
from core.disclosure import MIN_COUNT
from core.findings import Finding
from quality_checks.prepare import Prepared
from quality_checks.rules import CATALOGUE, SETTINGS, RowRule, row_examples

# The date that places a row of each table in a period (clients: their first benefit start).
PERIOD_COLUMN = {"referrals": "referral_date", "interventions": "start_date", "benefits": "start_date"}


def referral_rules(p: Prepared) -> list[RowRule]:
    if "referrals" not in p.tables:
        return []
    df = p.tables["referrals"]
    rules = []
    for finding_id, column in (("referral.missing_caseworker", "caseworker_id"),
                               ("referral.missing_department", "department")):
        if column in df:
            flags = df[column].isna().to_numpy()
            rules.append(RowRule(finding_id, "referrals", column, flags,
                                 row_examples(df, flags, ["client_id", "team", "referral_date"]),
                                 expectation=("ExpectColumnValuesToNotBeNull", {"column": column}),
                                 gx_values=df[column]))
    if "department" in df:
        flags = (df["department"].notna() & ~df["department"].isin(DEPARTMENTS)).to_numpy()
        rules.append(RowRule("referral.unknown_department", "referrals", "department", flags,
                             row_examples(df, flags, ["department"]),
                             expectation=("ExpectColumnValuesToBeInSet",
                                          {"column": "department", "value_set": list(DEPARTMENTS)}),
                             gx_values=df["department"]))
    return rules


def duplicate_rules(p: Prepared) -> list[RowRule]:
    """Rows that repeat an earlier row exactly (the extra copies). Row hashes find candidates
    fast; the exact comparison runs on the candidates only, so a hash collision cannot count."""
    rules = []
    for table, df in p.tables.items():
        if table == "codebook" or df.empty:
            continue
        hashes = pd.util.hash_pandas_object(df, index=False)
        candidates = hashes.duplicated(keep=False).to_numpy()
        flags = np.zeros(len(df), dtype=bool)
        if candidates.any():
            flags[np.flatnonzero(candidates)[df[candidates].duplicated(keep="first").to_numpy()]] = True
        rules.append(RowRule("duplicate.row", table, None, flags,
                             row_examples(df, flags, [c for c in df.columns if c != "bsn"][:4])))
    return rules


def _quarters(dates: np.ndarray, usable: np.ndarray) -> pd.Categorical:
    """'2015Q1' labels (missing where not usable) built from integer quarters: formatting ten
    million Periods one by one would take longer than all the checks together."""
    quarter = np.where(usable, dates.astype("datetime64[M]").astype(np.int64) // 3, -1)
    present = np.unique(quarter[quarter >= 0])
    codes = np.where(quarter >= 0, np.searchsorted(present, quarter), -1)
    return pd.Categorical.from_codes(codes, [f"{1970 + q // 4}Q{q % 4 + 1}" for q in present])


def _period_of(p: Prepared, table: str) -> pd.Categorical | None:
    if table == "clients":
        if not p.has("benefits", "start_date"):
            return None
        start = p.dates("benefits", "start_date")
        first = pd.Series(start).groupby(p.client_pos["benefits"]).min()
        dates = first.reindex(np.arange(p.n_clients)).to_numpy(dtype="datetime64[s]")
    elif p.has(table, PERIOD_COLUMN[table]):
        dates = p.dates(table, PERIOD_COLUMN[table])
    else:
        return None
    return _quarters(dates, p.usable(dates) & (dates <= p.extract_date))


def missingness(p: Prepared) -> pd.DataFrame:
    """Share missing per (table, column, quarter) for the covariates in thresholds.yaml; quarters
    with fewer rows than the disclosure threshold are left out (the result is exported)."""
    frames = []
    for table, columns in SETTINGS["missingness"]["covariates"].items():
        present = [c for c in columns if p.has(table, c)]
        period = _period_of(p, table) if present else None
        if period is None:
            continue
        df = p.tables[table]
        missing = pd.DataFrame({c: df[c].isna().to_numpy() for c in present})
        missing["period"] = period
        grouped = missing.dropna(subset=["period"]).groupby("period", observed=True)
        shares = grouped.mean().reset_index().melt("period", var_name="column", value_name="missing_share")
        shares["rows"] = shares["period"].map(grouped.size()).astype(int)
        shares["period"] = shares["period"].astype(str)
        shares["table"] = table
        frames.append(shares[shares["rows"] >= MIN_COUNT])
    if not frames:
        return pd.DataFrame(columns=["table", "column", "period", "rows", "missing_share"])
    return pd.concat(frames, ignore_index=True)[["table", "column", "period", "rows", "missing_share"]]


def missingness_findings(p: Prepared, shares: pd.DataFrame) -> list[Finding]:
    limits = SETTINGS["missingness"]
    findings = []
    for (table, column), group in shares.groupby(["table", "column"], sort=False):
        group = group[group["rows"] >= limits["min_rows"]]
        if group.empty:
            continue
        low, high = group["missing_share"].min(), group["missing_share"].max()
        if high <= limits["max_share"] and high - low <= limits["max_spread"]:
            continue
        series = p.tables[table][column]
        worst = group.sort_values("missing_share", ascending=False).head(SETTINGS["max_examples"])
        examples = [f"{r.period}: {100 * r.missing_share:.0f}% ({r.rows})" for r in worst.itertuples()]
        findings.append(CATALOGUE.make("completeness.covariate_missing_by_period", table=table, column=column,
                                      count=int(series.isna().sum()), total=len(series), examples=examples,
                                      low=f"{100 * low:.0f}%", high=f"{100 * high:.0f}%"))
    return findings
