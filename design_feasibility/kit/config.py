"""kit_config.json: everything the kit's script needs to know, from the extract, the
mapping file, the design's settings and the linkage step's microdata catalogue."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from core.canonical import DEPARTMENTS, SENTINEL_DATES
from core.errors import UserInputError
from core.texts import load_yaml
from design_feasibility.config import TEXTS, caseworker_setting
from design_feasibility.frame import COVARIATES, TREATED, observation_end
from linkage_readiness.microdata import catalogue, extract_period, plan

HERE = Path(__file__).parent
SETTINGS = load_yaml(HERE / "settings.yaml")
KIT_VERSION = 1


def arms_of(mapping_file: str | None) -> tuple[list[str], str]:
    """The arms and the reference arm: the mapping file's `arms:` / `reference:` when it has
    them, else Rotterdam's departments with Prematching (the untreated one) as reference."""
    arms, reference = list(DEPARTMENTS), next(d for d in DEPARTMENTS if d not in TREATED)
    if mapping_file:
        try:
            data = yaml.safe_load(Path(mapping_file).read_text(encoding="utf-8-sig")) or {}
        except (OSError, yaml.YAMLError):
            data = {}   # the extract's loader has already reported an unreadable mapping
        arms = [str(a) for a in data.get("arms") or arms]
        reference = str(data.get("reference") or (reference if reference in arms else arms[0]))
    if reference not in arms or len(arms) < 2:
        raise UserInputError("design_bad_argument",
                             detail=f"reference '{reference}' must be one of at least two arms {arms}")
    return arms, reference


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


def kit_config(tables: dict, mapping_file: str | None = None) -> dict:
    arms, reference = arms_of(mapping_file)
    end = observation_end(tables)
    return {
        "kit_version": KIT_VERSION,
        "arms": arms,
        "reference": reference,
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
