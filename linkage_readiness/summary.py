"""The readable summary of a LinkageResult (command line); no identifiers, counts controlled."""
from __future__ import annotations

from core.findings import severity_label, verdict_label
from core.texts import pick
from linkage_readiness import checklist as checklist_module
from linkage_readiness.microdata import catalogue
from linkage_readiness.resources import TEXTS, data, percent


def _cell(value) -> str:
    return "-" if value is None else str(value)


def summary(result, folder: str, lang: str) -> list[str]:
    rate = result.predicted_link_rate
    lines = [TEXTS("title", lang, folder=folder, verdict=verdict_label("linkage", result.verdict, lang)),
             TEXTS("link_rate", lang, value=pick(percent(rate.value), lang), low=pick(percent(rate.low), lang),
                   high=pick(percent(rate.high), lang), route=pick(data("link_rate")["main_routes"][rate.route], lang)),
             "  " + pick(rate.basis, lang)]
    if result.reasons:
        lines.append(TEXTS("reasons", lang))
        lines += [TEXTS("reason_line", lang, message=r.message(lang)) for r in result.reasons]
    if result.data_findings:
        lines.append(TEXTS("findings", lang))
        lines += [TEXTS("finding_line", lang, severity=severity_label(f.severity, lang), title=f.title(lang),
                        message=f.message(lang))
                  for f in result.data_findings]
    if result.at_risk:
        lines.append(TEXTS("at_risk", lang, min_count=result.min_count))
        lines += [TEXTS("at_risk_line", lang, label=pick(row["label"], lang),
                        **{k: _cell(row[k]) for k in ("address_pc6", "address_pc4", "none", "total")})
                  for row in result.at_risk]
    plan = result.microdata_plan
    lines.append(TEXTS("plan", lang, outcomes=", ".join(plan.outcomes), covariates=", ".join(plan.covariates),
                       start=plan.period["start"] or "?", end=plan.period["end"] or "?"))
    lines += [TEXTS("plan_line", lang, file=f.id, coverage=f.status_text[lang],
                    permission=TEXTS("permission_yes" if f.permission else "permission_no", lang))
              for f in plan.files]
    lines.append(TEXTS("verify", lang, note=pick(catalogue()["verify_note"], lang)))
    lines.append(TEXTS("checklist", lang, done=sum(i.done for i in result.checklist), total=len(result.checklist)))
    lines += [TEXTS("checklist_line", lang, mark="x" if i.done else " ", title=checklist_module.title(i.id, lang))
              for i in result.checklist]
    return lines
