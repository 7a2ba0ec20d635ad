"""Assemble an assessment from the steps' results, running the steps that are missing.

Each step's package is imported only when it is needed; a step whose package is not
installed (or that cannot run on this extract) is recorded as "not run" with the reason, and
the PDF says so."""
from __future__ import annotations

from pathlib import Path

from core.errors import UserInputError
from core.jsonio import to_plain

from workplan.assessment import STEPS, Assessment, slim, today
from workplan.content import say
from workplan.facts import extract_facts


def _maturity(answers):
    from maturity import score
    return score(answers)


def _quality(tables, context):
    from quality_checks.profile import profile_extract
    return profile_extract(tables, extract_date=context.get("extract_date"))


def _linkage(tables, context):
    from linkage_readiness import assess
    return assess(tables, maturity=context.get("maturity"))


def _design(tables, context):
    from design_feasibility import analyse
    return analyse(tables)


RUNNERS = {"quality": _quality, "linkage": _linkage, "design": _design}


def build_assessment(tables: dict | None, *, municipality: str, answers=None,
                     results: dict | None = None, participants: list[dict] | None = None,
                     date: str | None = None, run_missing: bool = True,
                     extract_date: str | None = None) -> Assessment:
    """An assessment from whatever is at hand.

    `results`: step -> result (dataclass or its JSON dict) already computed, e.g. by the app's
    pages; `answers`: the maturity answer sheet (scored when no maturity result is given);
    missing steps are run on `tables` when `run_missing` (`extract_date` is the day the
    extract was drawn, used by the quality checks; default today)."""
    results = {k: v for k, v in (results or {}).items() if v is not None}
    not_run = {}
    if "maturity" not in results:
        if answers is not None:
            results["maturity"] = _maturity(answers)
        else:
            not_run["maturity"] = say("not_run_no_answers")
    for step, runner in RUNNERS.items():
        if step in results:
            continue
        if tables is None or not run_missing:
            not_run[step] = say("not_run_reason")
            continue
        try:
            results[step] = runner(tables, dict(results, extract_date=extract_date))
        except ModuleNotFoundError as missing:
            not_run[step] = say("not_run_no_package", package=missing.name)
    answers_plain = to_plain(answers) if answers is not None else None
    if participants is None:
        participants = [{"name": r.get("name", ""), "role": r.get("role", "")}
                        for r in (answers_plain or {}).get("respondents", [])]
    return Assessment(
        municipality=municipality, date=date or today(), participants=participants,
        maturity_answers=answers_plain,
        **{step: slim(step, to_plain(results[step])) if step in results else None
           for step in STEPS},
        extract_facts=extract_facts(tables) if tables is not None else None,
        not_run=not_run)


def build_assessment_from_extract(folder: str | Path, answers_file: str | Path | None = None, *,
                                  municipality: str | None = None, mapping: str | Path | None = None,
                                  participants: list[dict] | None = None) -> Assessment:
    """Load an extract folder and a maturity answers file, run every step, assemble."""
    from quality_checks import load_extract, load_mapping
    from quality_checks.extract_date import default_extract_date
    from quality_checks.profile import profile_loaded
    folder = Path(folder)
    if not folder.is_dir():
        raise UserInputError("not_a_folder", path=folder)
    answers = None
    if answers_file is not None:
        from maturity import load as load_answers
        answers = load_answers(answers_file)
    loaded = load_extract(folder, load_mapping(mapping) if mapping else None)
    name = municipality or (answers.municipality if answers is not None else "") or folder.name
    return build_assessment(loaded.tables, municipality=name, answers=answers,
                            results={"quality": profile_loaded(loaded, extract_date=default_extract_date(folder))}, participants=participants)
