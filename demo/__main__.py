"""`python -m demo --out DIR [--clients N] [--seed S] [--clean] [--style canonical|dutch] ...`

Writes the synthetic demo municipality as one CSV per table plus manifest.json.
"""
from __future__ import annotations

from pathlib import Path

import core  # noqa: F401  (telemetry off)
from core.cli import ArgumentParser, language_argument, run
from core.errors import UserInputError
from core.texts import Texts
from demo.generator import DEFAULTS, generate
from demo.writer import STYLES, file_name, write_extract

TEXTS = Texts(Path(__file__).with_name("texts.yaml"))


def _parser() -> ArgumentParser:
    parser = ArgumentParser(prog="python -m demo", description="Write the synthetic demo municipality.")
    parser.add_argument("--out", required=True, help="folder to write the CSV files and manifest.json to")
    parser.add_argument("--clients", type=int, default=6000, help="number of clients (default 6000)")
    parser.add_argument("--seed", type=int, default=2015, help="random seed (default 2015)")
    parser.add_argument("--clean", action="store_true", help="no planted defects")
    parser.add_argument("--style", choices=STYLES, default="canonical",
                        help="canonical (UTF-8, ',', ISO dates) or dutch (cp1252, ';', dd-mm-jjjj)")
    parser.add_argument("--effect-matching", type=float, default=DEFAULTS["effect_matching"])
    parser.add_argument("--effect-activering", type=float, default=DEFAULTS["effect_activering"])
    parser.add_argument("--caseworkers", type=int, default=DEFAULTS["n_caseworkers"])
    parser.add_argument("--preference-spread", type=float, default=DEFAULTS["preference_spread"])
    parser.add_argument("--non-random-assignment", action="store_true",
                        help="caseworkers get systematically different clients")
    parser.add_argument("--interventions-per-client", type=float, default=DEFAULTS["interventions_per_client"])
    language_argument(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        raise UserInputError("not_a_folder", path=str(folder))
    try:
        extract = generate(args.clients, args.seed, defects=not args.clean,
                           effect_matching=args.effect_matching, effect_activering=args.effect_activering,
                           n_caseworkers=args.caseworkers, preference_spread=args.preference_spread,
                           random_assignment=not args.non_random_assignment,
                           interventions_per_client=args.interventions_per_client)
    except ValueError as error:
        raise UserInputError("bad_argument", detail=str(error)) from None
    write_extract(extract.tables, folder, args.style, manifest=extract.manifest)
    lang = args.lang
    print(TEXTS("written", lang, clients=args.clients, seed=args.seed, style=args.style, folder=folder))
    for table, df in extract.tables.items():
        print(TEXTS("table_line", lang, file=file_name(table, args.style), rows=len(df)))
    total = sum(d["count"] for d in extract.manifest["defects"].values())
    print(TEXTS("defects", lang, total=total) if total else TEXTS("clean", lang))
    effects = extract.manifest["true_effects"]
    print(TEXTS("effects", lang, matching=effects["Matching"], activering=effects["Activering"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
