"""`python -m design_feasibility DIR [--mapping FILE] [--reference ARM] [--json FILE]
[--extract-date YYYY-MM-DD] [--min-cluster 10] [--target-effect 0.1] [--disclosure-min 10]
[--policy-date YYYY-MM-DD] [--lang nl|en]`

The end of observation is the extract date (core.extract_date, as for every step):
`--extract-date`, else manifest.json in DIR, else inferred from the data; the JSON's
`settings` carry `extract_date` and `extract_date_basis`.

The arms are the values of referrals.department, merged by the mapping file's `arms:`; the
reference arm is `--reference`, else the mapping's `reference:`, else Prematching when
Rotterdam's departments are present, else the arm with the most clients (core.arms).

The JSON (`--json`): `findings` (every design's findings, ids `<design>.<finding>`), `verdict`
(the best design's), `designs` [{design, label, verdict, findings: [ids]}], `frame`,
`estimates` (the IV's with `inference` CR1/CR3 and the Anderson-Rubin ends `ar_low`/`ar_high`),
`subgroups`, `grey_area`, `caseworkers`, `balance` (per covariate), `outcome_line` (the
exclusion/monotonicity chart), `settings`, `notes`.

`python -m design_feasibility kit DIR --out KIT.zip [--mapping FILE]`: the researcher's kit
for CBS Remote Access (design_feasibility/kit)."""
from __future__ import annotations

import sys
from dataclasses import replace

import pandas as pd

import core  # noqa: F401  (telemetry off)
from core.cli import (ArgumentParser, arm_choice_of, extract_arguments, extract_date_argument, extract_date_of,
                      language_argument, load_folder, reference_argument, report, run)
from core.disclosure import cell_text
from core.errors import UserInputError
from design_feasibility.analysis import analyse
from core.findings import verdict_label
from core.texts import format_number, pick
from design_feasibility.config import TEXTS, Options
from design_feasibility.result import DesignResult


def _parser() -> ArgumentParser:
    parser = ArgumentParser(prog="python -m design_feasibility",
                            description="Natural-variation design feasibility (step 4).")
    extract_arguments(parser)
    extract_date_argument(parser)
    parser.add_argument("--min-cluster", type=int, default=None, help="clients a caseworker needs (default 10)")
    parser.add_argument("--target-effect", type=float, default=None,
                        help="effect to detect, as a proportion (default 0.10)")
    parser.add_argument("--disclosure-min", type=int, default=None, help="minimum cell count (default 10)")
    parser.add_argument("--policy-date", default=None, help="date of the policy or registration change")
    reference_argument(parser)
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


def _number(value, lang: str, spec: str = ".3f") -> str:
    return format_number(value, lang, spec)


def summary(result: DesignResult, lang: str) -> list[str]:
    """The readable summary of the command: per design its verdict and findings, then the
    diagnostics (findings judged against a threshold with a source), grey area and estimates."""
    t = lambda key, **values: TEXTS(key, lang, **values)  # noqa: E731
    dropped = ", ".join(f"{t('dropped.' + k)} {format_number(v, lang)}" for k, v in result.frame.dropped.items() if v) or "-"
    lines = [t("cli.title"), result.settings["extract_date_basis"].explanation(lang), t("cli.frame", analysed=result.frame.analysed, referred=result.frame.referred,
                                caseworkers=result.frame.caseworkers, dropped=dropped), "", t("cli.designs")]
    for design in result.designs:
        lines.append(f"  {pick(design.label, lang)}: {verdict_label('design', design.verdict, lang)}")
        for f in result.findings_of(design.design):
            if f.source is None:
                advice = f.advice(lang)
                lines.append(f"    - [{t('severity.' + f.severity)}] {f.message(lang)}" + (f" {advice}" if advice else ""))
    diagnostics = result.diagnostics()
    lines += ["", t("cli.diagnostics")] if diagnostics else []
    for f in diagnostics:
        lines.append(f"  [{t('severity.' + f.severity)}] {f.title(lang)}: {f.value_text(lang)} "
                         f"({_number(f.threshold, lang)}) - {f.message(lang)}")
    if result.grey_area:
        lines += ["", t("cli.grey_area")]
        for area in result.grey_area:
            cells = " / ".join(cell_text(v) for v in (area.certainly_yes, area.maybe, area.certainly_no))
            lines.append(f"  {area.department}: {cells}")
    if result.estimates:
        lines += ["", t("cli.estimates", reference=result.frame.reference)]
        for e in result.estimates:
            ar = f"; Anderson-Rubin {_number(e.ar_low, lang)} .. {_number(e.ar_high, lang)}" if e.method == "iv" else ""
            lines.append(f"  {t('method.' + e.method)} - {e.department}: {_number(e.estimate, lang)} "
                         f"({_number(e.ci_low, lang)} .. {_number(e.ci_high, lang)}, {e.inference}{ar})")
    lines += ["", pick(result.notes[0], lang)] if result.notes else []
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["kit"]:
        from design_feasibility.kit.command import main as kit_main   # only when asked
        return kit_main(argv[1:])
    args = _parser().parse_args(argv)
    options = _options(args)   # bad arguments end before the folder is read
    loaded = load_folder(args)
    result = analyse(loaded.tables, replace(options, arms=arm_choice_of(args, loaded.mapping),
                                            extract_date=extract_date_of(args, loaded.tables)))
    return report(summary(result, args.lang), result, args)


if __name__ == "__main__":
    sys.exit(run(main))
