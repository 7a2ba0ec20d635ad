"""`python -m workplan`: the workplan PDF from a saved assessment or straight from an extract.

    python -m workplan --assessment FILE [--out PDF] [--sections summary,register,...]
    python -m workplan --extract DIR [--answers FILE] [--mapping FILE] [--municipality NAME]
                       [--extract-date YYYY-MM-DD] [--out PDF] [--save-assessment FILE]
    python -m workplan compare A.json B.json

Every form takes `--lang nl|en` and `--json FILE` (the workplan or the comparison as JSON).
Unusable input ends with one plain line on stderr and exit code 2."""
from __future__ import annotations

import sys
from pathlib import Path

import core  # noqa: F401  (telemetry off first)
from core.cli import ArgumentParser, extract_date_argument, language_argument, run, write_file, write_json

from workplan.assessment import load
from workplan.compare import compare, render
from workplan.content import LABELS
from workplan.pdf import SECTIONS, build_pdf, check_sections
from workplan.report import build_report


def _compare(argv: list[str]) -> int:
    parser = ArgumentParser(prog="python -m workplan compare",
                                     description="Compare two saved assessments: what improved, what still blocks.")
    parser.add_argument("before", help="first assessment (JSON)")
    parser.add_argument("after", help="second assessment (JSON)")
    parser.add_argument("--json", metavar="FILE", help="also write the comparison as JSON")
    language_argument(parser)
    args = parser.parse_args(argv)
    comparison = compare(load(args.before), load(args.after))
    print("\n".join(render(comparison, args.lang)))
    if args.json:
        write_json(comparison, args.json)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["compare"]:
        return _compare(argv[1:])
    parser = ArgumentParser(
        prog="python -m workplan",
        description="Build the workplan PDF from a saved assessment or from an extract folder "
                    "and a maturity answers file. Use 'python -m workplan compare A B' to compare.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--assessment", metavar="FILE", help="a saved assessment (JSON)")
    source.add_argument("--extract", metavar="DIR", help="an extract folder: runs every step")
    parser.add_argument("--answers", metavar="FILE", help="maturity answers file (with --extract)")
    parser.add_argument("--mapping", metavar="FILE", help="column mapping file (with --extract)")
    parser.add_argument("--municipality", help="name of the municipality (with --extract)")
    extract_date_argument(parser)
    parser.add_argument("--save-assessment", metavar="FILE", help="also save the assessment (JSON)")
    parser.add_argument("--out", metavar="PDF", help="write the workplan PDF here")
    parser.add_argument("--sections", help=f"comma-separated choice of: {','.join(SECTIONS)}")
    parser.add_argument("--json", metavar="FILE", help="also write the workplan (lights, tasks, conditions) as JSON")
    language_argument(parser)
    args = parser.parse_args(argv)
    if args.assessment:
        assessment = load(args.assessment)
    else:
        from workplan.pipeline import build_assessment_from_extract
        assessment = build_assessment_from_extract(args.extract, args.answers, municipality=args.municipality,
                                                   mapping=args.mapping, extract_date=args.extract_date)
    sections = check_sections([s.strip() for s in args.sections.split(",") if s.strip()]
                              if args.sections else None)
    report = build_report(assessment)
    print(summary(report, args.lang))
    if args.save_assessment:
        assessment.save(args.save_assessment)
        print(LABELS("cli_assessment_written", args.lang, path=args.save_assessment))
    if args.out:
        pdf = build_pdf(assessment, args.lang, sections)
        write_file(args.out, lambda path: Path(path).write_bytes(pdf))
        print(LABELS("cli_pdf_written", args.lang, path=args.out))
    if args.json:
        write_json(report, args.json)
    return 0


def summary(report, lang: str) -> str:
    t = lambda key, **values: LABELS(key, lang, **values)
    lines = [t("cli_summary", municipality=report.municipality, date=report.date, weeks=report.total_weeks)]
    lines += [f"  {t('step_' + l.step)}: {t('light_' + l.light)} - {l.headline.get(lang, '')}" for l in report.lights]
    lines += [t("cli_actions")] + [f"  {i}. {a.text[lang]}" for i, a in enumerate(report.actions, start=1)]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(run(main))
