"""One row per client: the characteristics (as level codes) and the start-work time.

Month 0 is the client's first referral (referral date, else intake date). A client is followed
up to `follow_up_months` or the extract date, whichever comes first; the event is the first
start of paid work after month 0 (lasting `min_work_months` when outcomes has a
`work_end_date`)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.arms import ArmChoice, arm_of
from core.canonical import TABLES
from core.errors import UserInputError
from core.extract_date import ExtractDate, resolve_extract_date
from design_feasibility.frame import valid_dates
from population.config import MISSING, characteristics, settings

DAYS_PER_MONTH = 30.4375
CANONICAL_CLIENT_COLUMNS = set(TABLES["clients"].names)


@dataclass
class ClientFrame:
    data: pd.DataFrame           # index client_id; characteristic columns (str levels); department (the arm); time, event
    characteristics: list[str]
    has_outcomes: bool
    extract_date: pd.Timestamp
    extract_date_basis: ExtractDate
    excluded_before_origin: int = 0
    duration_checked: bool = False


def _age_band(age: pd.Series) -> pd.Series:
    bands = settings()["age_bands"]
    labels = [f"{lo}+" if hi == float("inf") else f"{lo}-{hi}" for lo, hi in zip(bands[:-1], bands[1:])]
    out = pd.cut(age, bins=bands, labels=labels, right=False, include_lowest=True).astype(object)
    out[age == bands[-1]] = labels[-1]
    return out


def _children(n: pd.Series) -> pd.Series:
    values = pd.to_numeric(n, errors="coerce")
    out = values.map(lambda v: None if pd.isna(v) else ("3+" if v >= 3 else str(int(v))))
    return out


def _extra_columns(clients: pd.DataFrame) -> list[str]:
    """Characteristic columns beyond the canonical model (few distinct values, text)."""
    extra = []
    for column in clients.columns:
        if column in CANONICAL_CLIENT_COLUMNS:
            continue
        distinct = clients[column].dropna().nunique()
        if 2 <= distinct <= 12:
            extra.append(column)
    return extra


def build(tables: dict, min_work_months: int, follow_up_months: int,
          extract_date: ExtractDate | str | None = None, choice: ArmChoice = ArmChoice()) -> ClientFrame:
    """The frame; `extract_date` ends the follow-up (core.extract_date: given, else inferred),
    `choice` merges referral values into arms (core.arms.arm_of, as the design step does)."""
    clients = tables.get("clients")
    if clients is None or "client_id" not in clients:
        raise UserInputError("missing_table", table="clients")
    clients = clients.drop_duplicates("client_id").set_index("client_id")
    dated = resolve_extract_date(tables, extract_date)
    end = pd.Timestamp(dated.date or pd.Timestamp.today().normalize())   # no dates at all: nothing to follow

    origin = pd.Series(pd.NaT, index=clients.index, dtype="datetime64[s]")
    department = pd.Series(None, index=clients.index, dtype=object)
    referrals = tables.get("referrals")
    if referrals is not None and len(referrals):
        ref = referrals.copy()
        ref["_origin"] = pd.NaT
        for column in settings()["time_origin"]:
            if column in ref:
                ref["_origin"] = ref["_origin"].fillna(valid_dates(ref[column]))
        ref = ref.sort_values("_origin", na_position="last").drop_duplicates("client_id").set_index("client_id")
        origin = ref["_origin"].reindex(clients.index)
        department = arm_of(ref["department"], choice.merge).reindex(clients.index)

    data = pd.DataFrame(index=clients.index)
    chars = characteristics()
    birth = valid_dates(clients["birth_date"]) if "birth_date" in clients else pd.Series(pd.NaT, index=clients.index)
    reference = origin.fillna(end)
    age = (reference - birth).dt.days / 365.25
    data["sex"] = clients["sex"].astype(object) if "sex" in clients else None
    data["age_band"] = _age_band(age)
    for column in ("education_level", "origin", "household_type"):
        data[column] = clients[column].astype(object) if column in clients else None
    data["children"] = _children(clients["n_children"]) if "n_children" in clients else None
    names = [c for c in chars if c in data]
    for column in _extra_columns(clients):
        data[column] = clients[column].astype(object)
        names.append(column)
    for column in names:
        data[column] = data[column].where(data[column].notna(), MISSING).astype(str)
        data.loc[data[column].isin(["", "<NA>", "nan", "None"]), column] = MISSING
    data["department"] = department
    data["_age"] = age

    outcomes = tables.get("outcomes")
    has_outcomes = outcomes is not None and "work_start_date" in outcomes and len(outcomes) > 0
    frame = ClientFrame(data, names, has_outcomes, end, dated)
    if not has_outcomes:
        return frame

    out = outcomes.copy()
    out["work_start_date"] = valid_dates(out["work_start_date"])
    frame.duration_checked = "work_end_date" in out
    if frame.duration_checked:
        work_end = valid_dates(out["work_end_date"])
        lasted = (work_end - out["work_start_date"]).dt.days >= min_work_months * DAYS_PER_MONTH
        out = out[lasted | work_end.isna()]
    out = out.dropna(subset=["work_start_date"])
    out["_origin"] = out["client_id"].map(origin)
    before = out["work_start_date"] < out["_origin"]
    started_before = set(out.loc[before, "client_id"]) - set(out.loc[~before, "client_id"])
    out = out[~before].sort_values("work_start_date").drop_duplicates("client_id").set_index("client_id")
    start = out["work_start_date"].reindex(clients.index)

    horizon = origin + pd.to_timedelta(np.ceil(follow_up_months * DAYS_PER_MONTH), unit="D")
    stop = np.minimum(horizon.fillna(end), pd.Series(end, index=clients.index))
    event = start.notna() & (start <= stop)
    when = start.where(event, stop)
    data["time"] = (when - origin).dt.days / DAYS_PER_MONTH
    data["event"] = event.astype(int)
    usable = origin.notna() & (data["time"] >= 0) & ~data.index.isin(started_before)
    data.loc[~usable, ["time"]] = np.nan
    data["time"] = data["time"].clip(upper=follow_up_months)
    frame.excluded_before_origin = len(started_before)
    return frame
