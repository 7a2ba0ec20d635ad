"""The design chapter's judge-design checks in the PDF: estimators and intervals per arm, the
exclusion/monotonicity chart with its finding, and what each check means and how it enters
the verdict (texts: design_feasibility/inference/texts.yaml)."""
from __future__ import annotations

from reportlab.platypus import KeepTogether

from core.findings import Finding
from design_feasibility import inference_findings as checks
from design_feasibility.charts import outcome_line_chart
from design_feasibility.config import caseworker_setting


def design_checks(writer, result: dict) -> list:
    """Flowables for `result` (the design step's JSON form); `writer`: the PDF writer."""
    lang, story = writer.lang, []
    text = lambda key, **values: checks.TEXTS(key, lang, **values)  # noqa: E731
    rows = checks.arm_table(result, lang)
    if rows:
        story.append(KeepTogether([writer.sub(text("table.title", reference=result["frame"]["reference"])), writer.table(
            list(rows[0]), [list(row.values()) for row in rows], [0.12, 0.13, 0.14, 0.14, 0.09, 0.12, 0.13, 0.13])]))
    if result.get("outcome_line"):
        test = [Finding.from_dict(f) for f in result["findings"] if f["id"].endswith(".exclusion_monotonicity")]
        story.append(KeepTogether([
            writer.sub(text("exclusion_monotonicity.label")),
            writer.image(outcome_line_chart(result["outcome_line"], lang)),
            writer.p(text("exclusion_monotonicity.chart", minimum=result["settings"]["disclosure_min"]), "small")]
            + [writer.p(f.message(lang)) for f in test]))
    if result.get("grey_area"):     # the caseworker design was estimated
        story.append(writer.sub(text("explained.title")))
        for item in checks.explanations(caseworker_setting("diagnostics"), lang):
            story.append(KeepTogether([writer.p(item["label"], "h3"), writer.p(item["explain"]),
                                       writer.p(f"{text('explained.verdict')}: {item['verdict']}", "small")]))
    return story
