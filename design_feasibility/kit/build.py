"""The kit as a zip: analysis.py, kit_config.json, requirements.txt and README.md."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from string import Template

from core.arms import ArmChoice
from design_feasibility.kit.bundle import script_source
from design_feasibility.kit.config import HERE, SETTINGS, kit_config

REQUIREMENTS = HERE.parents[1] / "requirements.txt"


def requirements() -> str:
    """The project's pins of the packages the script uses."""
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", REQUIREMENTS.read_text(encoding="utf-8"), re.M))
    return "".join(f"{name}=={pins[name]}\n" for name in SETTINGS["requirements"])


def readme(config: dict) -> str:
    files = "\n".join(f"- {f['file']} ({f['key']}): {', '.join(f['needed_for'])}" for f in config["cbs_files"])
    return Template((HERE / SETTINGS["readme"]).read_text(encoding="utf-8")).substitute(
        arms=", ".join(config["arms"]), reference=config["reference"],
        months=config["follow_up"]["outcome_months"], observation_end=config["follow_up"]["observation_end"],
        covariates=", ".join(config["covariates"]), cbs_files=files)


def kit_files(tables: dict, choice: ArmChoice = ArmChoice()) -> dict[str, str]:
    config = kit_config(tables, choice)
    return {"analysis.py": script_source(), "kit_config.json": json.dumps(config, indent=2, ensure_ascii=False) + "\n",
            "requirements.txt": requirements(), "README.md": readme(config)}


def write_zip(files: dict[str, str], out: str | Path) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
