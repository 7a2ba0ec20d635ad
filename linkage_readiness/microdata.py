"""Microdata plan: which CBS files the chosen outcomes and covariates need, which need the
supplier's permission, and whether each file covers the extract's period."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from core import LANGUAGES
from core.canonical import SENTINEL_DATES
from core.errors import UserInputError
from core.texts import pick
from linkage_readiness.resources import data

# Dates that mark the cohort's entry, most telling first.
PERIOD_COLUMNS = (("referrals", "referral_date"), ("referrals", "intake_date"), ("benefits", "start_date"))


@dataclass
class PlannedFile:
    id: str
    needed_for: list[str]
    permission: bool
    needed_from: int | None
    needed_to: int | None
    coverage_from: int
    coverage_to: int | None
    status: str                 # ok | starts_too_late | ends_too_early | not_yet_available | unknown
    status_text: dict[str, str] = field(default_factory=dict)


@dataclass
class MicrodataPlan:
    outcomes: list[str]
    covariates: list[str]
    period: dict                # {"start": "YYYY-MM-DD" | None, "end": ...}
    files: list[PlannedFile]

    @property
    def permissions_needed(self) -> list[str]:
        return [f.id for f in self.files if f.permission]

    @property
    def coverage_problems(self) -> list[str]:
        return [f.id for f in self.files if f.status not in ("ok", "unknown")]

    @classmethod
    def from_dict(cls, d: dict) -> "MicrodataPlan":
        return cls(outcomes=list(d["outcomes"]), covariates=list(d["covariates"]), period=dict(d["period"]),
                   files=[PlannedFile(**f) for f in d["files"]])


def catalogue() -> dict:
    return data("microdata")


def need_labels(lang: str) -> dict[str, str]:
    """Readable names of the `needed_for` ids of a planned file (`outcome:work_start` ...)."""
    cat = catalogue()
    return {f"{kind[:-1]}:{item}": pick(spec["label"], lang)
            for kind in ("outcomes", "covariates") for item, spec in cat[kind].items()}


def extract_period(tables: dict[str, pd.DataFrame], as_of: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """First and last cohort-entry date in the extract (sentinel and future dates ignored)."""
    today = pd.Timestamp(as_of or dt.date.today())
    for table, column in PERIOD_COLUMNS:
        frame = tables.get(table)
        if frame is None or column not in frame:
            continue
        dates = frame[column].dropna()
        dates = dates[~dates.isin(SENTINEL_DATES) & (dates <= today)]
        if len(dates):
            return dates.min().date(), dates.max().date()
    return None


def _check(choices: list[str] | None, known: dict, default: list[str], option: str) -> list[str]:
    chosen = list(default if choices is None else choices)
    for value in chosen:
        if value not in known:
            raise UserInputError("unknown_choice", value=value, option=option, choices=", ".join(known))
    return chosen


def plan(outcomes: list[str] | None = None, covariates: list[str] | None = None,
         period: tuple[dt.date, dt.date] | None = None, as_of: dt.date | None = None) -> MicrodataPlan:
    cat = catalogue()
    outcomes = _check(outcomes, cat["outcomes"], cat["default_outcomes"], "outcomes")
    covariates = _check(covariates, cat["covariates"], cat["default_covariates"], "covariates")
    needs: dict[str, dict] = {}
    for kind, chosen in (("outcomes", outcomes), ("covariates", covariates)):
        for item in chosen:
            spec = cat[kind][item]
            for file_id in spec["files"]:
                need = needs.setdefault(file_id, {"for": [], "before": 0, "after": 0})
                need["for"].append(f"{kind[:-1]}:{item}")
                need["before"] = max(need["before"], spec.get("lookback_years", 0))
                need["after"] = max(need["after"], spec.get("follow_up_years", 0))
    year = (as_of or dt.date.today()).year
    files = [_planned(file_id, need, cat, period, year) for file_id, need in needs.items()]
    return MicrodataPlan(outcomes=outcomes, covariates=covariates,
                         period={"start": period[0].isoformat() if period else None,
                                 "end": period[1].isoformat() if period else None},
                         files=files)


def _planned(file_id: str, need: dict, cat: dict, period, year: int) -> PlannedFile:
    spec = cat["files"][file_id]
    coverage = spec["coverage"]
    needed_from = period[0].year - need["before"] if period else None
    needed_to = period[1].year + need["after"] if period else None
    available = (needed_to or 0) + coverage["lag_years"] + 1
    if period is None:
        status = "unknown"
    elif coverage["from"] > needed_from:
        status = "starts_too_late"
    elif coverage["to"] is not None and coverage["to"] < needed_to:
        status = "ends_too_early"
    elif coverage["to"] is None and available > year:
        status = "not_yet_available"
    else:
        status = "ok"
    values = dict(needed_from=needed_from, needed_to=needed_to, to=coverage["to"], available=available)
    return PlannedFile(id=file_id, needed_for=need["for"], permission=bool(spec["permission"]),
                       needed_from=needed_from, needed_to=needed_to, coverage_from=coverage["from"],
                       coverage_to=coverage["to"], status=status,
                       status_text={lang: pick(cat["coverage_status"][status], lang).format(**values)
                                    for lang in LANGUAGES})
