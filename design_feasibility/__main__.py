"""`python -m design_feasibility DIR [--mapping FILE] [--json FILE] [--min-cluster 10]
[--target-effect 0.1] [--disclosure-min 10] [--policy-date YYYY-MM-DD] [--lang nl|en]`"""
from __future__ import annotations

import sys

import pandas as pd

import core  # noqa: F401  (telemetry off)
from core.cli import ArgumentParser, extract_arguments, language_argument, run, write_json
from core.errors import UserInputError
from design_feasibility.analysis import analyse
from design_feasibility.config import TEXTS, Options, number
from design_feasibility.result import DesignResult


def _parser() -> ArgumentParser:
    parser = ArgumentParser(prog="python -m design_feasibility",
                            description="Natural-variation design feasibility (step 4).")
    extract_arguments(parser)
    parser.add_argument("--min-cluster", type=int, default=None, help="clients a caseworker needs (default 10)")
    parser.add_argument("--target-effect", type=float, default=None,
                        help="effect to detect, as a proportion (default 0.10)")
    parser.add_argument("--disclosure-min", type=int, default=None, help="minimum cell count (default 10)")
    parser.add_argument("--policy-date", default=None, help="date of the policy or registration change")
    language_argument(parser)
    return parser


def _options(args) -> Options:
    if args.min_cluster is not None and args.min_cluster < 2:
        raise UserInputError("design_bad_argument", detail="--min-cluster must be at least 2")
    if args.target_effect is not None and not 0 < args.target_effect < 1:
        raise UserInputError("design_bad_argument", detail="--target-effect must be between 0 and 1")
    if args.disclosure_min is not None and args.disclosure_min < 1:
        raise UserInputError("design_bad_argument", detail="--disclosure-min must be at least 1")
    if args.policy_date is not None and pd.isna(pd.to_datetime(args.policy_date, errors="coerce")):
        raise UserInputError("design_bad_argument", detail=f"--policy-date '{args.policy_date}' is not a date")
    return Options(min_cluster=args.min_cluster, target_effect=args.target_effect,
                   disclosure_min=args.disclosure_min, policy_date=args.policy_date)


def summary(result: DesignResult, lang: str) -> list[str]:
    """The readable summary of the command."""
    t = lambda key, **values: TEXTS(key, lang, **values)  # noqa: E731
    dropped = ", ".join(f"{k} {v}" for k, v in result.frame.dropped.items() if v) or "-"
    lines = [t("cli.title"), t("cli.frame", analysed=result.frame.analysed, referred=result.frame.referred,
                                caseworkers=result.frame.caseworkers, dropped=dropped), "", t("cli.designs")]
    for design in result.designs:
        lines.append(f"  {t('design.' + design.design)}: {t('verdict.' + design.verdict)}")
        lines += [f"    - {reason[lang]}" for reason in design.reasons]
        lines += [f"    {t('cli.missing')}: {item[lang]}" for item in design.missing]
    lines += ["", t("cli.diagnostics")]
    for d in result.diagnostics:
        digits = 0 if d.value is not None and float(d.value).is_integer() else 3
        lines.append(f"  [{t('verdict.' + d.verdict)}] {d.label[lang]}: {number(d.value, digits)[lang]} "
                     f"({number(d.threshold, 3 if digits else 0)[lang]}) - {d.explanation[lang]}")
    lines += ["", t("cli.grey_area")]
    for area in result.grey_area:
        cells = " / ".join("<" + str(result.settings["disclosure_min"]) if v is None else str(v)
                           for v in (area.certainly_yes, area.maybe, area.certainly_no))
        lines.append(f"  {area.department}: {cells}")
    if result.estimates:
        lines += ["", t("cli.estimates")]
        for e in result.estimates:
            lines.append(f"  {t('method.' + e.method)} - {e.department}: {number(e.estimate, 3)[lang]} "
                         f"({number(e.ci_low, 3)[lang]} .. {number(e.ci_high, 3)[lang]})")
    lines += ["", result.notes[0][lang]] if result.notes else []
    return lines


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    options = _options(args)
    from quality_checks import load_extract, load_mapping
    mapping = load_mapping(args.mapping) if args.mapping else None
    extract = load_extract(args.folder, mapping=mapping)
    result = analyse(extract.tables, options)
    print("\n".join(summary(result, args.lang)))
    if args.json:
        write_json(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
