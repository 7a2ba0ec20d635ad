"""`python -m linkage_readiness DIR [--mapping FILE] [--json FILE] [--lang nl|en]
[--questions ID ...] [--covariates ID ...] [--maturity FILE] [--checklist FILE] [--min-count N]`:
CBS linkage readiness of an extract folder. BSNs are only ever printed masked.
Unusable input ends with one plain line on stderr and exit code 2."""
from __future__ import annotations

import json
from pathlib import Path

import core  # noqa: F401  (telemetry off)
from core.cli import ArgumentParser, extract_arguments, language_argument, load_folder, report, run
from core.disclosure import MIN_COUNT
from core.errors import UserInputError
from linkage_readiness import assess, catalogue
from linkage_readiness.summary import summary


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise UserInputError("bad_argument", detail=f"'{text}' is not a positive whole number")
    return int(text)


def _parser() -> ArgumentParser:
    cat = catalogue()
    parser = ArgumentParser(prog="python -m linkage_readiness",
                            description="CBS linkage readiness of a registration extract (step 3).")
    extract_arguments(parser)
    parser.add_argument("--questions", "--outcomes", nargs="+", dest="outcomes", metavar="ID",
                        help=f"outcomes to study: {', '.join(cat['outcomes'])} (default: work_start)")
    parser.add_argument("--covariates", nargs="+", metavar="ID",
                        help=f"background characteristics: {', '.join(cat['covariates'])}")
    parser.add_argument("--maturity", metavar="FILE", help="maturity result (JSON) to prefill the checklist")
    parser.add_argument("--checklist", metavar="FILE",
                        help="saved checklist: a linkage result JSON or a list of {id, done, note}")
    parser.add_argument("--min-count", type=positive, default=MIN_COUNT,
                        help=f"smallest count shown (disclosure control, default {MIN_COUNT})")
    language_argument(parser)
    return parser


def read_json(path: str | None):
    if path is None:
        return None
    file = Path(path)
    if not file.is_file():
        raise UserInputError("file_not_found", path=path)
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise UserInputError("invalid_json", path=path, detail=str(error).splitlines()[0]) from None
    except RecursionError:
        raise UserInputError("invalid_json", path=path, detail="nested too deeply") from None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    saved = read_json(args.checklist)
    checklist = saved.get("checklist") if isinstance(saved, dict) else saved
    if checklist is not None and not (isinstance(checklist, list) and all(isinstance(i, dict) and "id" in i for i in checklist)):
        raise UserInputError("bad_argument", detail=f"'{args.checklist}' holds no checklist")
    maturity = read_json(args.maturity)
    if maturity is not None and not isinstance(maturity, dict):
        raise UserInputError("bad_argument", detail=f"'{args.maturity}' is not a maturity result")
    result = assess(load_folder(args).tables, outcomes=args.outcomes, covariates=args.covariates,
                    checklist=checklist, maturity=maturity, min_count=args.min_count, lang=args.lang)
    return report(summary(result, args.folder, args.lang), result, args)


if __name__ == "__main__":
    raise SystemExit(run(main))
