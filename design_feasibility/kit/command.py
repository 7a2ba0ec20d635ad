"""`python -m design_feasibility kit DIR --out KIT.zip [--mapping FILE] [--reference ARM] [--lang nl|en]`."""
from __future__ import annotations

import json

from core.cli import ArgumentParser, language_argument, load_folder, write_file
from core.texts import Texts
from core.cli import arm_choice_of, reference_argument
from design_feasibility.kit.build import kit_files, write_zip
from design_feasibility.kit.config import HERE

TEXTS = Texts(HERE / "texts.yaml")


def _parser() -> ArgumentParser:
    parser = ArgumentParser(prog="python -m design_feasibility kit", description=TEXTS("description", "en"))
    parser.add_argument("folder", help="folder with one file per table (CSV, XLSX or Parquet)")
    parser.add_argument("--mapping", help="column mapping file (YAML or JSON); its arms: / reference: set the arms")
    reference_argument(parser)
    parser.add_argument("--out", required=True, help="the zip file to write")
    language_argument(parser)
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    loaded = load_folder(args)
    files = kit_files(loaded.tables, arm_choice_of(args, loaded.mapping))
    write_file(args.out, lambda path: write_zip(files, path))
    config = json.loads(files["kit_config.json"])
    lang = args.lang
    print(TEXTS("written", lang, path=args.out, files=", ".join(files)))
    print(TEXTS("arms", lang, arms=", ".join(config["arms"]), reference=config["reference"],
                observation_end=config["follow_up"]["observation_end"]))
    print(TEXTS("cbs_files", lang, files=", ".join(f["file"] for f in config["cbs_files"])))
    print(TEXTS("run", lang))
    return 0
