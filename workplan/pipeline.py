"""Assemble an assessment from the steps' results, running the steps that are missing.

Each step's package is imported only when it is needed. A step that cannot run on this
extract (its input is unusable, its package is not installed, or it fails) is recorded as
not run with the reason - a finding `step.not_run` whose message is rendered in the reader's
language - and the plan, the PDF and the page go on with the other steps."""
from __future__ import annotations

import logging
from pathlib import Path

from core.errors import UserInputError
from core.findings import make
from core.jsonio import to_plain

from workplan.assessment import EXTRAS, STEPS, Assessment, slim, today
from workplan.content import say
from workplan.facts import extract_facts


def _maturity(tables, context):
    from maturity import score
    return score(context["answers"])


def _quality(tables, context):
    from quality_checks.profile import profile_extract
    return profile_extract(tables, extract_date=context.get("extract_date"))


def _linkage(tables, context):
    from linkage_readiness import assess
    return assess(tables, maturity=context.get("maturity"))


def _design(tables, context):
    from design_feasibility import Options, analyse
    return analyse(tables, Options(extract_date=context.get("extract_date"), arms=context["arms"]))


def _population(tables, context):
    from population import Options, analyse
    return analyse(tables, Options(extract_date=context.get("extract_date"), arms=context["arms"]))


RUNNERS = {"maturity": _maturity, "quality": _quality, "linkage": _linkage, "design": _design,
           "population": _population}
LOG = logging.getLogger(__name__)


def not_run(reason: dict, advice: dict | None = None) -> dict:
    """The finding that says a step was not run, and why (texts {nl, en})."""
    return to_plain(make("step.not_run", reason=reason, advice=advice or ""))


def _attempt(step: str, runner, *args):
    """(result, None) when the step ran, else (None, the not-run finding)."""
    try:
        return runner(*args), None
    except UserInputError as error:
        return None, not_run(error.to_dict()["message"])
    except ModuleNotFoundError as missing:
        return None, not_run(say("not_run_no_package", package=missing.name))
    except Exception as error:   # a fault of ours: the other steps and the plan go on; logged
        LOG.error("step %s failed: %s", step, type(error).__name__)   # by type: a message may quote cells
        return None, not_run(say("not_run_failed"))


def _with_evidence(record: dict | None) -> dict | None:
    """The data dialogue's record with the evidence sentence the workplan shows."""
    if not record:
        return None
    from dialogue import evidence
    return {**record, "evidence": evidence(record)}


def build_assessment(tables: dict | None, *, municipality: str, answers=None,
                     results: dict | None = None, participants: list[dict] | None = None,
                     date: str | None = None, run_missing: bool = True,
                     extract_date=None, arms=None, dialogue: dict | None = None) -> Assessment:
    """An assessment from whatever is at hand.

    `results`: step -> result (dataclass or its JSON dict) already computed, e.g. by the app's
    pages; `answers`: the maturity answer sheet (scored when no maturity result is given);
    `dialogue`: what a data dialogue with clients concluded (dialogue.session_record);
    missing steps are run on `tables` when `run_missing` (`extract_date`: the day the extract
    was drawn, a date or a `core.extract_date.ExtractDate`, the same for every step: quality,
    population and design; default: inferred from the data; `arms`: the `core.arms.ArmChoice` of
    design and population, e.g. the mapping file's; default: the data's own arms)."""
    from core.arms import ArmChoice
    from core.extract_date import resolve_extract_date
    results = {k: v for k, v in (results or {}).items() if v is not None}
    skipped = {}
    for step, runner in RUNNERS.items():
        if step in results:
            continue
        if step == "maturity" and answers is None:
            skipped[step] = not_run(say("not_run_no_answers"))
        elif step != "maturity" and (tables is None or not run_missing):
            skipped[step] = not_run(say("not_run_reason"))
        else:
            if tables is not None:     # decided once, for every step that runs
                extract_date = resolve_extract_date(tables, extract_date)
            context = dict(results, answers=answers, extract_date=extract_date, arms=arms or ArmChoice())
            result, reason = _attempt(step, runner, tables, context)
            results[step] = result
            if reason is not None:
                skipped[step] = reason
    answers_plain = to_plain(answers) if answers is not None else None
    if participants is None:
        participants = [{"name": r.get("name", ""), "role": r.get("role", "")}
                        for r in (answers_plain or {}).get("respondents", [])]
    results = {step: result for step, result in results.items() if result is not None}
    return Assessment(
        municipality=municipality, date=date or today(), participants=participants,
        maturity_answers=answers_plain,
        **{step: slim(step, to_plain(results[step])) if step in results else None
           for step in STEPS + EXTRAS},
        dialogue=_with_evidence(dialogue),
        extract_facts=extract_facts(tables) if tables is not None else None,
        not_run=skipped)


def build_assessment_from_extract(folder: str | Path, answers_file: str | Path | None = None, *,
                                  municipality: str | None = None, mapping: str | Path | None = None,
                                  participants: list[dict] | None = None,
                                  extract_date: str | None = None) -> Assessment:
    """Load an extract folder and a maturity answers file, run every step, assemble; every step
    uses the same extract date (`extract_date`, else the folder's manifest, else inferred)."""
    from core.arms import ArmChoice
    from core.extract_date import resolve_extract_date
    from quality_checks import load_extract, load_mapping
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
    dated = resolve_extract_date(loaded.tables, extract_date, folder)   # one date for every step
    arms = ArmChoice.of(loaded.mapping.arms, loaded.mapping.reference, "mapping")   # as the quality step's
    return build_assessment(loaded.tables, municipality=name, answers=answers, extract_date=dated, arms=arms,
                            results={"quality": profile_loaded(loaded, extract_date=dated)}, participants=participants)
