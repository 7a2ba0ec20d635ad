"""`generate()`: the synthetic demo municipality as conformed canonical tables plus a manifest."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from core.canonical import conform
from demo import defects as plant
from demo.benefits import benefit_periods
from demo.config import calibration, codebook_spec, defect_spec
from demo.days import NAT, random_days
from demo.identifiers import SUFFIXES, bsn_text, house_numbers, postcodes, valid_bsns
from demo.interventions import Codebook, draw_interventions, frame
from demo.organisation import ROTTERDAM, Organisation, organisation
from demo.outcome import baseline, bounds, work_starts
from demo.population import EDUCATION, HOUSEHOLDS, ORIGINS, SEXES, UNKNOWN_EDUCATION, draw_population
from demo.referral import assign, draw_caseworkers, refer
from demo.text_arrays import from_codes, numbered
from demo.traits import index

DEFAULTS = {
    "effect_matching": 0.27,
    "effect_activering": 0.0,
    "n_caseworkers": 80,
    "preference_spread": 1.0,
    "random_assignment": True,
    "interventions_per_client": 4.0,
    "organisation": ROTTERDAM,      # or another organisation of organisations.yaml (other arms)
    "effects": None,                # true effect per treated arm (dict), over the organisation's defaults
}
DEFECT_STREAM = 1


@dataclass
class DemoExtract:
    tables: dict[str, pd.DataFrame]
    manifest: dict = field(default_factory=dict)


def _dates(values: np.ndarray) -> np.ndarray:
    return values.astype("datetime64[s]")


def generate(n_clients: int = 6000, seed: int = 2015, defects: bool = True, **params) -> DemoExtract:
    """A seeded, deterministic demo extract. `params` override DEFAULTS (see demo/README.md)."""
    cal, defect_rules = calibration(), defect_spec()
    p, org, true = _parameters(n_clients, params, cal)
    rng = np.random.default_rng(seed)
    extract_date = np.datetime64(cal["extract_date"], "D")

    pop = draw_population(rng, n_clients, cal)
    intake = pop.benefit_start + np.timedelta64(cal["search_period_days"], "D") + random_days(rng, cal["intake_delay_days"], n_clients)
    referral_date = intake + random_days(rng, cal["referral_delay_days"], n_clients)

    workers = draw_caseworkers(rng, int(p["n_caseworkers"]), float(p["preference_spread"]), cal["caseworkers"], org)
    prospects = index(pop, cal["outcome"]["employability"])
    caseworker = assign(rng, prospects, len(workers), bool(p["random_assignment"]),
                        cal["caseworkers"]["non_random_strength"])
    department = refer(rng, pop, caseworker, workers, cal["referral"], org)
    team = workers.team[caseworker]

    effects = org.effect_array(true)
    probability = baseline(pop, department, effects, cal, org) + effects[department]
    work_start = work_starts(rng, probability, referral_date, extract_date, cal)

    periods = benefit_periods(rng, pop.benefit_start, referral_date, work_start, extract_date, cal["benefits"])
    book = Codebook.from_spec(codebook_spec(), {arm: org.like[arm] for arm in org.arms})
    rows = draw_interventions(rng, book, periods, referral_date, department, extract_date,
                              float(p["interventions_per_client"]), cal["interventions"])

    bsns = valid_bsns(rng, n_clients)
    number, suffix = house_numbers(rng, n_clients)
    postcode = postcodes(rng, n_clients)
    found: dict = {}
    if defects:   # own random stream: the clean extract is the same municipality without defects
        spoil = np.random.default_rng([seed, DEFECT_STREAM])
        rows, found_rows = plant.plant_interventions(spoil, rows, book, pop.benefit_start, extract_date, defect_rules)
        caseworker, found_cw = plant.plant_missing_caseworkers(spoil, caseworker, defect_rules)
        bsn, found_bsn = plant.plant_bsns(spoil, bsns, defect_rules)
        found = {**found_rows, **found_cw, **found_bsn}
    else:
        bsn = bsn_text(bsns)

    client_ids = numbered("K", np.arange(1, n_clients + 1), 7)
    tables = {
        "clients": conform(pd.DataFrame({
            "client_id": client_ids.to_pandas(),
            "bsn": bsn.to_pandas(),
            "birth_date": _dates(pop.birth_date),
            "sex": from_codes(SEXES, pop.female.astype(int)),
            "postcode": postcode.to_pandas(),
            "house_number": pa.array(number).cast(pa.string()).to_pandas(),
            "house_number_suffix": from_codes(SUFFIXES, suffix),
            "education_level": from_codes(EDUCATION, np.where(pop.education == UNKNOWN_EDUCATION, -1, pop.education)),
            "origin": from_codes(ORIGINS, pop.origin),
            "household_type": from_codes(HOUSEHOLDS, pop.household),
            "n_children": pop.n_children,
            "youngest_child_birth_date": _dates(pop.youngest_child_birth),
        }), "clients"),
        "benefits": _benefits(client_ids, periods, cal["benefits"]["benefit_type"]),
        "referrals": conform(pd.DataFrame({
            "client_id": client_ids.to_pandas(),
            "caseworker_id": from_codes(workers.ids, caseworker),
            "department": from_codes(org.arms, department),
            "intake_date": _dates(intake),
            "referral_date": _dates(referral_date),
            "team": from_codes(workers.teams, team),
        }), "referrals"),
        "interventions": frame(rows, client_ids, book.codes + list(defect_rules["unknown_codes"]), book.labels,
                               book.statuses),
        "outcomes": conform(pd.DataFrame({"client_id": client_ids.to_pandas(), "work_start_date": _dates(work_start)}),
                            "outcomes"),
        "codebook": book.table(),
    }
    return DemoExtract(tables=tables, manifest=_manifest(n_clients, seed, p, cal, found, workers, org, true))


def _parameters(n_clients: int, params: dict, cal: dict) -> tuple[dict, Organisation, dict[str, float]]:
    """The parameters, the organisation and the true effect of each of its treated arms."""
    unknown = set(params) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"unknown demo parameter(s): {', '.join(sorted(unknown))}")
    p = {**DEFAULTS, **params}
    org = organisation(str(p["organisation"]), cal)
    own = {"Matching": float(p["effect_matching"]), "Activering": float(p["effect_activering"])} \
        if org.name == ROTTERDAM else org.effects
    given = dict(p["effects"] or {})
    if set(given) - set(org.treated):
        raise ValueError(f"effects are for the treated arms {', '.join(org.treated)} (vs {org.reference})")
    true = {arm: float({**own, **given}[arm]) for arm in org.treated}
    low, high = bounds(org.effect_array(true))
    problems = [
        (n_clients < 1, "n_clients must be at least 1"),
        (n_clients > 9_999_999, "n_clients must be below 10 million (client ids have 7 digits)"),
        (int(p["n_caseworkers"]) < 2, "n_caseworkers must be at least 2"),
        (float(p["preference_spread"]) < 0, "preference_spread must not be negative"),
        (float(p["interventions_per_client"]) < 0, "interventions_per_client must not be negative"),
        (high - low < 0.05, "the effects leave no room for a baseline probability (keep them well within -1..1)"),
    ]
    for failed, message in problems:
        if failed:
            raise ValueError(message)
    return p, org, true


def _benefits(client_ids: pa.Array, periods, benefit_type: str) -> pd.DataFrame:
    returned = np.flatnonzero(~np.isnat(periods.second_start))
    client = np.concatenate([np.arange(len(periods.start)), returned])
    start = np.concatenate([periods.start, periods.second_start[returned]])
    end = np.concatenate([periods.end, np.full(len(returned), NAT)])   # second periods still run
    order = np.lexsort((start, client))
    return conform(pd.DataFrame({
        "client_id": client_ids.take(client[order]).to_pandas(),
        "benefit_type": from_codes([benefit_type], np.zeros(len(order), dtype=int)),
        "start_date": _dates(start[order]),
        "end_date": _dates(end[order]),
    }), "benefits")


def _manifest(n_clients, seed, p, cal, found, workers, org: Organisation, true: dict) -> dict:
    change = codebook_spec()["change"]
    return {
        "seed": seed,
        "n_clients": n_clients,
        "extract_date": cal["extract_date"],
        "cohort_year": cal["cohort_year"],
        "organisation": org.name,
        "arms": list(org.arms),
        "reference": org.reference,
        "true_effects": true,                       # per treated arm, vs the reference
        "selection_bias": org.selection_bias(),     # raw difference - true effect, as built in
        "policy_dates": list(cal["policy_dates"]),
        "coding_change": {"date": change["date"], "retired": list(change["retired"]),
                          "introduced": list(change["introduced"]), "description": change["description"]},
        "defects": found,
        "bsn_defects": {fid: found[fid]["count"] for fid in plant.BSN_IDS if fid in found},
        "parameters": {k: p[k] for k in DEFAULTS},
        "n_caseworkers": len(workers),
        "teams": list(workers.teams),
    }
