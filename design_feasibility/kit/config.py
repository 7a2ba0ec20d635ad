"""kit_config.json: everything the kit's script needs to know, from the extract, the
arms (the mapping file's `arms:` / `reference:`, `--reference`), the design's settings and the linkage step's microdata catalogue."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.arms import ArmChoice, rare_share
from core.canonical import SENTINEL_DATES
from core.errors import UserInputError
from core.texts import load_yaml
from design_feasibility.config import TEXTS, caseworker_setting
from design_feasibility.frame import COVARIATES, build_frame, observation_end
from linkage_readiness.microdata import catalogue, extract_period, plan

HERE = Path(__file__).parent
SETTINGS = load_yaml(HERE / "settings.yaml")
KIT_VERSION = 1


def kit_arms(tables: dict, choice: ArmChoice) -> dict:
    """The arms as the package resolves them on the extract (core.arms: the merges, the
    reference), and the ArmChoice the script resolves them with again on the linked data."""
    arms = build_frame(tables, choice).arms
    if len(arms.names) < 2:
        raise UserInputError("design_bad_argument", detail=f"the kit needs at least two arms, found {list(arms.names)}")
    return {"arms": list(arms.names), "reference": arms.reference, "merge": dict(choice.merge),
            "arm_min_share": rare_share()}


def cbs_files(tables: dict) -> list[dict]:
    """The CBS files the analysis needs, with their key and what they stand in for."""
    files = catalogue()["files"]
    needed = plan(outcomes=[SETTINGS["outcome"]], covariates=SETTINGS["covariates"],
                  period=extract_period(tables))
    out = []
    for planned in needed.files:
        spec = files[planned.id]
        out.append({"file": planned.id, "name": spec["name"], "key": "RINPERSOON",
                    "key_variables": spec["key_variables"], "needed_for": planned.needed_for,
                    "years": [planned.needed_from, planned.needed_to], "coverage": planned.status_text,
                    "supplier_permission": planned.permission,
                    "stands_in_for": SETTINGS["provides"].get(planned.id)})
    return out


def kit_config(tables: dict, choice: ArmChoice = ArmChoice()) -> dict:
    end = observation_end(tables)
    return {
        "kit_version": KIT_VERSION,
        **kit_arms(tables, choice),
        "covariates": list(COVARIATES),
        "outcome": {"id": SETTINGS["outcome"], "definition": TEXTS.entries["outcome_definition"]},
        "follow_up": {"outcome_months": caseworker_setting("outcome_months"),
                      "observation_end": None if pd.isna(end) else end.date().isoformat()},
        "settings": {name: caseworker_setting(name) for name in SETTINGS["design_settings"]},
        "sentinel_dates": [d.date().isoformat() for d in SENTINEL_DATES],
        "inputs": SETTINGS["inputs"],
        "cbs_files": cbs_files(tables),
        "outputs": load_yaml(HERE / "texts.yaml")["outputs"],
    }
