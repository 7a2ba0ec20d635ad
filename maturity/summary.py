"""A plain-text summary of a maturity result, for the command line; evidence notes masked."""
from __future__ import annotations

from core.texts import pick
from maturity.bank import QuestionBank, load_bank
from maturity.scoring import Evidence, MaturityResult
from maturity.texts import TEXTS, score_text


def summary(result: MaturityResult, lang: str, bank: QuestionBank | None = None) -> str:
    bank = bank or load_bank()
    municipality = f" - {result.municipality}" if result.municipality else ""
    lines = [TEXTS("summary_title", lang, municipality=municipality,
                   mode=TEXTS(f"mode_{result.mode}", lang), version=result.version),
             TEXTS("summary_respondents", lang, respondents=", ".join(
                 f"{r.name} ({pick(bank.roles[r.role], lang)})" if r.name else pick(bank.roles[r.role], lang)
                 for r in result.respondents)),
             ""]
    header = TEXTS("summary_header", lang).split("|")
    width = max(len(pick(d.name, lang)) for d in result.dimensions) + 2
    lines.append(header[0].ljust(width) + "".join(h.rjust(12) for h in header[1:]))
    for d in result.dimensions:
        cells = [score_text(d.median, lang), score_text(d.weakest, lang),
                 score_text(d.spread, lang) + ("!" if d.disagreement else " "), str(d.dont_know)]
        lines.append(pick(d.name, lang).ljust(width) + "".join(c.rjust(12) for c in cells))
    if any(d.disagreement for d in result.dimensions):
        lines.append(TEXTS("summary_disagreement", lang,
                           threshold=score_text(result.disagreement_threshold, lang)))
    lines += ["", f"{TEXTS('summary_gate', lang)}: {pick(result.gate.explanation, lang)}"]
    lines += [f"  - {f.title(lang)}: {f.message(lang)}" for f in result.findings]
    lines += ["", TEXTS("summary_recommendations", lang) + ":"]
    lines += [f"  - {pick(d.name, lang)}: {pick(d.recommendation, lang)}" for d in result.dimensions]
    notes = [e for d in result.dimensions for e in d.evidence]
    if notes:
        lines += ["", TEXTS("summary_evidence", lang) + ":"]
        lines += ["  - " + evidence_line(e, lang, bank) for e in notes]
    return "\n".join(lines)


def evidence_line(evidence: Evidence, lang: str, bank: QuestionBank) -> str:
    """One evidence note with its question, role and level (the note is masked in the result)."""
    level = TEXTS("dont_know", lang) if evidence.level is None else TEXTS("level_value", lang, level=evidence.level)
    return TEXTS("evidence_line", lang, question=pick(bank.question(evidence.question).short, lang),
                 role=pick(bank.roles[evidence.role], lang), level=level, note=evidence.note)
