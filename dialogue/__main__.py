"""`python -m dialogue --out CARDS.pdf [--persons N] [--seed S] [--lang nl|en]`"""
from __future__ import annotations

import sys
from pathlib import Path

import core  # noqa: F401  (telemetry off)
from core.cli import ArgumentParser, language_argument, run, write_file
from core.errors import UserInputError


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="python -m dialogue", description="Card set for a data dialogue with clients.")
    parser.add_argument("--out", required=True, help="PDF file to write")
    parser.add_argument("--persons", type=int, default=12, help="number of fictional persons (default 12)")
    parser.add_argument("--seed", type=int, default=2018, help="random seed (default 2018)")
    language_argument(parser)
    args = parser.parse_args(argv)
    if not 2 <= args.persons <= 60:
        raise UserInputError("bad_argument", detail="--persons must be between 2 and 60")
    from dialogue.pdf import build_pdf
    data = build_pdf(args.persons, args.seed, args.lang)
    write_file(args.out, lambda path: Path(path).write_bytes(data))
    print(f"{args.out}: {args.persons} x 10 cards")
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
