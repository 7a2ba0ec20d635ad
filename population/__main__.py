"""`python -m population DIR [--mapping FILE] [--json FILE] [--min-work-months 1|3]
[--types K] [--extract-date YYYY-MM-DD] [--reference ARM] [--target-effect 0.1] [--lang nl|en]`

The follow-up ends at the extract date (core.extract_date, as for every step: `--extract-date`,
else manifest.json in DIR, else inferred from the data); the arms of the subgroup feasibility
are the data's own, merged and with the reference as in the design step (core.arms)."""
from __future__ import annotations

import sys
from dataclasses import replace

import core  # noqa: F401  (telemetry off)
from core.cli import (ArgumentParser, arm_choice_of, extract_arguments, extract_date_argument, extract_date_of,
                      language_argument, load_folder, reference_argument, report, run)
from core.errors import UserInputError
from population.analysis import PopulationResult, analyse
from population.config import TEXTS, Options, settings
from population.fmt import characteristic_label, count, level_label, notable, pct, ratio, subgroup_name


def _parser() -> ArgumentParser:
    parser = ArgumentParser(prog="python -m population", description="Population profile: what works for whom.")
    extract_arguments(parser)
    parser.add_argument("--min-work-months", type=int, default=None, choices=settings()["min_work_choices"],
                        help="outcome: paid work lasting at least this many months (default 3)")
    parser.add_argument("--types", type=int, default=None, help="number of client types (default: silhouette)")
    extract_date_argument(parser)
    reference_argument(parser)
    parser.add_argument("--target-effect", type=float, default=None, help="effect to detect (default 0.10)")
    language_argument(parser)
    return parser


def _options(args) -> Options:
    if args.types is not None and not 2 <= args.types <= 12:
        raise UserInputError("bad_argument", detail="--types must be between 2 and 12")
    if args.target_effect is not None and not 0 < args.target_effect < 1:
        raise UserInputError("bad_argument", detail="--target-effect must be between 0 and 1")
    return Options(min_work_months=args.min_work_months, n_types=args.types, target_effect=args.target_effect)


def summary(result: PopulationResult, lang: str) -> list[str]:
    t = lambda key, **v: TEXTS(key, lang, **v)  # noqa: E731
    s = result.settings
    thr = s["disclosure_min"]
    lines = [t("cli.title"), result.settings["extract_date_basis"].explanation(lang), t("cli.clients", n=result.n_clients, date=s["extract_date"], months=s["min_work_months"]),
             "", t("cli.profile")]
    for block in result.profile:
        cells = "; ".join(f"{level_label(block['characteristic'], r['level'], lang)} {count(r['n'], lang, thr)} "
                          f"({pct(r['share'], lang)})" for r in block["levels"])
        lines.append(f"  {characteristic_label(block['characteristic'], lang)}: {cells}")
    if result.survival:
        lines += ["", t("cli.curves")]
        overall = result.survival["all"]
        if overall:
            lines.append("  " + " / ".join(pct(v, lang) for v in overall["started_at"].values()))
        for column, groups in result.survival["by_characteristic"].items():
            for g in groups:
                shares = " / ".join(pct(v, lang) for v in g["curve"]["started_at"].values()) if g["curve"] else count(None, lang, thr)
                lines.append(f"  {characteristic_label(column, lang)} - {level_label(column, g['level'], lang)}: {shares}")
        lines += ["", t("cli.cox")]
        for row in result.cox["multivariate"]["rows"]:
            lines.append(f"  {characteristic_label(row['characteristic'], lang)} - {level_label(row['characteristic'], row['level'], lang)}"
                         f" ({t('reference')}: {level_label(row['characteristic'], row['reference'], lang)}): "
                         f"{ratio(row['hr'], lang)} ({ratio(row['low'], lang)}-{ratio(row['high'], lang)})")
    if result.types and result.types["k"]:
        lines += ["", t("cli.types")]
        for item in result.types["types"]:
            lines.append("  " + t("cli.type", number=item["type"], size=count(item["size"], lang, thr),
                                  share=item["share"], notable=notable(item, lang)))
    feas = result.feasibility
    lines += ["", t("cli.feasibility", reference=feas["reference_arm"])]
    for row in feas["rows"]:
        if row.get("needs"):
            lines.append(f"  {subgroup_name(row, lang)}: {t('needs_cbs')}")
            continue
        arms = ", ".join(f"{a} {count(n, lang, thr)}" for a, n in row["arms"].items())
        mdes = ", ".join(f"{a} {pct(m, lang)}" for a, m in row["mde"].items())
        lines.append(f"  {subgroup_name(row, lang)}: {arms}; MDE {mdes} - {t('feasible' if row['feasible'] else 'not_feasible')}")
    lines += ["", t("cli.findings")]
    lines += [f"  [{f.severity}] {f.message(lang)}" for f in result.findings]
    return lines


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    options = _options(args)
    loaded = load_folder(args)
    result = analyse(loaded.tables, replace(options, extract_date=extract_date_of(args, loaded.tables),
                                            arms=arm_choice_of(args, loaded.mapping)))
    return report(summary(result, args.lang), result, args)


if __name__ == "__main__":
    sys.exit(run(main))
