"""`python -m maturity ANSWERS.json [--json OUT] [--lang nl|en]`: score a saved answers file."""
from __future__ import annotations

import core  # noqa: F401  (telemetry off first)
from core.cli import ArgumentParser, language_argument, run, write_json
from maturity.answers import load
from maturity.scoring import score
from maturity.summary import summary


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(
        prog="python -m maturity",
        description="Score a data-maturity answers file: per dimension median and weakest link, "
                    "go/no-go gate on critical items, next steps.")
    parser.add_argument("answers", help="answers file (JSON), e.g. maturity/examples/demo_quick_scan.json")
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON to FILE")
    language_argument(parser)
    args = parser.parse_args(argv)
    result = score(load(args.answers))
    print(summary(result, args.lang))
    if args.json:
        write_json(result, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
