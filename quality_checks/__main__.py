"""`python -m quality_checks DIR [--mapping FILE] [--json FILE] [--extract-date YYYY-MM-DD]
[--policy-date YYYY-MM-DD ...] [--gx-validation FILE] [--lang nl|en]`: the data-quality profile
of an extract folder; --gx-validation also validates the exported Great Expectations suite on
the extract and writes the results (counts only) to FILE.

Without --extract-date the `extract_date` of a manifest.json in DIR is used (the demo writes
one), else the date is inferred from the registration (core.extract_date), never today. Unusable input ends with one plain line on stderr and exit code 2.
"""
from __future__ import annotations

from pathlib import Path

import core  # noqa: F401  (telemetry off)
from core.cli import (ArgumentParser, extract_arguments, extract_date_argument, extract_date_of, iso_date,
                      language_argument, run, write_json)
from core.texts import Texts
from quality_checks import load_extract, load_mapping
from quality_checks.expectations import validate
from core.findings import severity_label
from quality_checks.profile import DEFAULT_POLICY_DATES, profile_loaded

TEXTS = Texts(Path(__file__).with_name("cli_texts.yaml"))


def _parser() -> ArgumentParser:
    parser = ArgumentParser(prog="python -m quality_checks",
                            description="Data-quality profile of a registration extract (step 2).")
    extract_arguments(parser)
    extract_date_argument(parser)
    parser.add_argument("--policy-date", type=iso_date, action="append", dest="policy_dates",
                        help=f"known policy date, repeatable (default: {DEFAULT_POLICY_DATES[0]})")
    parser.add_argument("--gx-validation", metavar="FILE",
                        help="also validate the Great Expectations suite and write the results here")
    language_argument(parser)
    return parser


def summary(report, folder: str, lang: str) -> list[str]:
    lines = [TEXTS("title", lang, folder=folder, extract_date=report.extract_date),
             report.extract_date_basis.explanation(lang)]
    lines += [TEXTS("table_line", lang, table=name, rows=info["rows"]) for name, info in report.tables.items()]
    lines.append(TEXTS("totals", lang, **report.summary))
    for f in report.findings:
        where = f"{f.table}.{f.column}" if f.column else f.table
        lines.append(TEXTS("finding_line", lang, severity=severity_label(f.severity, lang), title=f.title(lang),
                           where=where, message=f.message(lang)))
    lines.append(TEXTS("eras", lang))
    for era in report.eras:
        change = TEXTS("era_change", lang, appearing=", ".join(era.codes_appearing) or "-",
                       disappearing=", ".join(era.codes_disappearing) or "-") \
            if era.codes_appearing or era.codes_disappearing else ""
        lines.append(TEXTS("era_line", lang, start=era.start, end=era.end, change=change))
    return lines


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    folder = Path(args.folder)
    mapping = load_mapping(args.mapping) if args.mapping else None
    loaded = load_extract(folder, mapping)
    report = profile_loaded(loaded,
                            extract_date=extract_date_of(args, loaded.tables),
                            policy_dates=args.policy_dates or DEFAULT_POLICY_DATES)
    print("\n".join(summary(report, str(folder), args.lang)))
    if mapping is None:
        print(TEXTS("mapping_suggested", args.lang))
    if args.json:
        write_json(report, args.json)
        print(TEXTS("json_written", args.lang, path=args.json))
    if args.gx_validation:
        write_json(validate(loaded.tables, report.extract_date), args.gx_validation)
        print(TEXTS("json_written", args.lang, path=args.gx_validation))
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
