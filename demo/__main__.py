"""`python -m demo --out DIR [--clients N] [--seed S] [--clean] [--style canonical|dutch]
[--organisation rotterdam|two_arms|four_arms] [--effect ARM=X ...] ...`

Writes the synthetic demo municipality as one CSV per table plus manifest.json;
`--organisation` chooses its arms (demo/organisations.yaml), `--effect` a true effect.
"""
from __future__ import annotations

from pathlib import Path

import core  # noqa: F401  (telemetry off)
from core.cli import ArgumentParser, language_argument, run
from core.errors import UserInputError
from core.texts import Texts, format_number
from demo.generator import DEFAULTS, generate
from demo.organisation import names as organisations
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
    parser.add_argument("--organisation", choices=organisations(), default=DEFAULTS["organisation"],
                        help="whose arms: rotterdam (Matching/Prematching/Activering), two_arms "
                             "(Werkprogramma vs Regulier), four_arms (Werk/Werkfit/Participatie/Zorg, reference Werkfit)")
    parser.add_argument("--effect", action="append", default=[], metavar="ARM=X",
                        help="true effect of a treated arm vs the reference (repeatable), e.g. Werk=0.2")
    parser.add_argument("--effect-matching", type=float, default=DEFAULTS["effect_matching"])
    parser.add_argument("--effect-activering", type=float, default=DEFAULTS["effect_activering"])
    parser.add_argument("--caseworkers", type=int, default=DEFAULTS["n_caseworkers"])
    parser.add_argument("--preference-spread", type=float, default=DEFAULTS["preference_spread"])
    parser.add_argument("--non-random-assignment", action="store_true",
                        help="caseworkers get systematically different clients")
    parser.add_argument("--interventions-per-client", type=float, default=DEFAULTS["interventions_per_client"])
    language_argument(parser)
    return parser


def _effects(given: list[str]) -> dict[str, float] | None:
    """`--effect ARM=X` as {arm: X}."""
    effects = {}
    for item in given:
        arm, _, value = item.partition("=")
        try:
            effects[arm.strip()] = float(value)
        except ValueError:
            raise UserInputError("bad_argument", detail=f"--effect '{item}' is not ARM=number") from None
    return effects or None


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
                           interventions_per_client=args.interventions_per_client,
                           organisation=args.organisation, effects=_effects(args.effect))
    except ValueError as error:
        raise UserInputError("bad_argument", detail=str(error)) from None
    write_extract(extract.tables, folder, args.style, manifest=extract.manifest)
    lang = args.lang
    print(TEXTS("written", lang, clients=args.clients, seed=args.seed, style=args.style, folder=folder))
    for table, df in extract.tables.items():
        print(TEXTS("table_line", lang, file=file_name(table, args.style), rows=len(df)))
    total = sum(d["count"] for d in extract.manifest["defects"].values())
    print(TEXTS("defects", lang, total=total) if total else TEXTS("clean", lang))
    manifest = extract.manifest
    effects = ", ".join(f"{arm} {format_number(x, lang, '+.2f')}" for arm, x in manifest["true_effects"].items())
    print(TEXTS("effects", lang, reference=manifest["reference"], effects=effects))
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
