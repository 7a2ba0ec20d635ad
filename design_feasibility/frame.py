"""The analysis frame: one row per referred client with covariates, department and outcome.

Outcome (when an `outcomes` table is present): paid work started within 12 months after the
referral date (work_start_date in [referral_date, referral_date + 12 months]). The report's
outcome was at least one month of paid work (annex B4.3); the duration of work is not in the
extract, so a start counts. Clients whose 12 months are not yet over at the end of the
observed data are left out (counted as `follow_up_incomplete`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.canonical import SENTINEL_DATES
from core.extract_date import resolve_extract_date
from core.texts import bilingual
from core.arms import ArmChoice, Arms, arm_of, resolve_arms
from design_feasibility.config import TEXTS, caseworker_setting
from design_feasibility.result import FrameSummary

UNKNOWN = "onbekend"
COVARIATES = ("age", "sex", "education", "origin", "cohabiting", "children")
SUBGROUPS = ("age", "sex", "education", "origin")


@dataclass
class AnalysisFrame:
    data: pd.DataFrame        # one row per client: categories, department, caseworker, cells, y
    covariates: pd.DataFrame  # covariate dummies (no constant), reference = most frequent level
    cells: pd.DataFrame       # team and period dummies (random assignment holds within cells)
    summary: FrameSummary
    arms: Arms                # the arms compared and the reference (core.arms)

    @property
    def has_outcome(self) -> bool:
        return self.summary.outcome_present

    def dummies(self, department: str) -> np.ndarray:
        return (self.data["department"] == department).to_numpy(float)


def _text(series: pd.Series) -> pd.Series:
    out = series.astype("string").str.strip()
    return out.mask(out.isna() | (out == ""), UNKNOWN).astype(object)


def column(table: pd.DataFrame, name: str, fill=pd.NA) -> pd.Series:
    """A column of `table`, or `fill` on every row when the extract lacks it."""
    return table[name] if name in table else pd.Series(fill, index=table.index)


def valid_dates(series: pd.Series) -> pd.Series:
    """Dates with placeholder dates (core.canonical.SENTINEL_DATES) as missing; in seconds, the
    canonical unit, so 9999-12-31 can be compared also when a missing column came as nanoseconds."""
    series = pd.to_datetime(series, errors="coerce").astype("datetime64[s]")
    return series.mask(series.isin(SENTINEL_DATES))


def _age_band(birth: pd.Series, at: pd.Series) -> pd.Series:
    years = (at - birth).dt.days / 365.25
    bounds = caseworker_setting("age_bands")
    labels = [f"{lo}-{hi - 1}" for lo, hi in zip(bounds, bounds[1:])] + [f"{bounds[-1]}+"]
    bands = pd.cut(years, bins=[*bounds, np.inf], right=False, labels=labels)
    return bands.astype(object).where(bands.notna(), UNKNOWN)


def _first_referrals(referrals: pd.DataFrame, dropped: dict, choice: ArmChoice) -> tuple[pd.DataFrame, Arms]:
    """Each client's first referral with a caseworker and an arm that is not too rare."""
    ref = referrals.copy()
    ref["caseworker"] = _text(ref["caseworker_id"])
    ref["department"] = arm_of(ref["department"], choice.merge)
    ref["referral_date"] = valid_dates(column(ref, "referral_date", pd.NaT))
    if "intake_date" in ref:
        ref["referral_date"] = ref["referral_date"].fillna(valid_dates(ref["intake_date"]))
    ref = ref.sort_values("referral_date", kind="stable")
    first = ref.drop_duplicates("client_id", keep="first")
    dropped["repeat_referral"] = len(ref) - len(first)
    missing_cw = first["caseworker"] == UNKNOWN
    missing_dep = first["department"].isna() & ~missing_cw
    dropped["missing_caseworker"] = int(missing_cw.sum())
    dropped["unknown_department"] = int(missing_dep.sum())
    first = first[~missing_cw & ~missing_dep]
    arms = resolve_arms(first["department"], choice)
    rare = first["department"].isin(arms.rare)
    dropped["rare_arm"] = int(rare.sum())
    return first[~rare], arms


def _outcome(frame: pd.DataFrame, outcomes: pd.DataFrame, end: pd.Timestamp) -> pd.Series:
    months = caseworker_setting("outcome_months")
    starts = outcomes[["client_id", "work_start_date"]].assign(
        work_start_date=valid_dates(outcomes["work_start_date"])).dropna()
    joined = frame[["client_id", "referral_date"]].merge(starts, on="client_id", how="inner")
    horizon = joined["referral_date"] + pd.DateOffset(months=months)
    hit = joined[(joined["work_start_date"] >= joined["referral_date"])
                 & (joined["work_start_date"] <= horizon)]
    y = frame["client_id"].isin(hit["client_id"]).astype(float)
    complete = frame["referral_date"] + pd.DateOffset(months=months) <= end
    return y.where(complete)


def observation_end(tables: dict, extract_date=None) -> pd.Timestamp:
    """The end of observation: the extract date (core.extract_date: `extract_date` when given,
    else as the registration itself shows it), so a stray far-future date does not count as
    observed time. NaT for an extract without any date."""
    decided = resolve_extract_date(tables, extract_date).date
    return pd.Timestamp(decided) if decided else pd.NaT


def _dummies(categories: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for column in categories:
        values = categories[column].astype(str)
        if values.nunique() < 2:
            continue
        reference = values.value_counts().index[0]
        dummies = pd.get_dummies(values, prefix=column, prefix_sep="=", dtype=float)
        parts.append(dummies.drop(columns=f"{column}={reference}"))
    if not parts:
        return pd.DataFrame(index=categories.index)
    return pd.concat(parts, axis=1)


def build_frame(tables: dict[str, pd.DataFrame], choice: ArmChoice = ArmChoice(),
                end: pd.Timestamp | None = None) -> AnalysisFrame:
    """One row per referred client with a caseworker and an arm (`choice`: the user's merges
    and reference); `end`: the end of observation (default `observation_end(tables)`)."""
    dropped: dict[str, int] = {}
    referrals = tables["referrals"]
    first, arms = _first_referrals(referrals, dropped, choice)
    clients = tables["clients"]
    frame = first.merge(clients, on="client_id", how="inner", suffixes=("", "_client"))
    dropped["no_client_record"] = len(first) - len(frame)
    frame = frame.reset_index(drop=True)

    at = frame["referral_date"]
    birth = valid_dates(column(frame, "birth_date", pd.NaT))
    household = _text(column(frame, "household_type")).str.lower()
    children = pd.to_numeric(column(frame, "n_children", np.nan), errors="coerce").astype(float)   # blank: NaN
    data = pd.DataFrame({
        "client_id": frame["client_id"].astype(str),
        "department": frame["department"].astype(str),
        "caseworker": frame["caseworker"].astype(str),
        "referral_date": at,
        "age": _age_band(birth, at),
        "sex": _text(column(frame, "sex")),
        "education": _text(column(frame, "education_level")),
        "origin": _text(column(frame, "origin")),
        "cohabiting": np.where(household.isin(caseworker_setting("cohabiting_types")), "ja", "nee"),
        "children": np.where(children.isna(), UNKNOWN, np.where(children > 0, "ja", "nee")),
        "team": _text(column(frame, "team")),
        "period": at.dt.to_period("Q").astype(str).where(at.notna(), UNKNOWN),
    })

    outcome_present = "outcomes" in tables and tables["outcomes"] is not None and len(tables["outcomes"]) > 0
    if outcome_present:
        data["y"] = _outcome(data, tables["outcomes"], observation_end(tables) if end is None else end)
        dropped["follow_up_incomplete"] = int(data["y"].isna().sum())
        data = data[data["y"].notna()].reset_index(drop=True)
    caseload = data.groupby("caseworker")["client_id"].transform("size")
    dropped["single_client_caseworker"] = int((caseload < 2).sum())
    data = data[caseload >= 2].reset_index(drop=True)

    summary = FrameSummary(
        referred=int(referrals["client_id"].nunique()), analysed=len(data), dropped=dropped,
        caseworkers=int(data["caseworker"].nunique()), outcome_present=bool(outcome_present),
        outcome_definition=bilingual(TEXTS.entries["outcome_definition"],
                                     {"months": caseworker_setting("outcome_months")}),
        departments={d: int((data["department"] == d).sum()) for d in arms.names},
        arms=list(arms.names), reference=arms.reference, reference_basis=arms.basis, rare_arms=list(arms.rare))
    return AnalysisFrame(data=data, covariates=_dummies(data[list(COVARIATES)]),
                         cells=_dummies(data[["team", "period"]]), summary=summary, arms=arms)
