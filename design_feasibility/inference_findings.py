"""The judge-design inference checks (design_feasibility.inference) as findings of the
caseworker design, and their plain-language explanations.

Per arm of the IV (whatever arms the analysis yields): the Montiel Olea-Pflueger effective F,
the Anderson-Rubin set, UJIVE against the two-step IV; once: the exclusion/monotonicity test
on caseworker means. Bounds and sources: thresholds.yaml (`diagnostics`); sentences:
findings.yaml (`diag.<check>.<level>`); explanations: inference/texts.yaml.
"""
from __future__ import annotations

import math
from pathlib import Path

from core.texts import Percent, Texts, format_number
from design_feasibility.design_findings import DesignFindings
from design_feasibility.inference.iv import FEW_CLUSTERS, MAX_PROJECTION_ARMS
from design_feasibility.inference.pipeline import InferenceReport
from design_feasibility.result import BalanceLine, OutcomePoint

TEXTS = Texts(Path(__file__).with_name("inference") / "texts.yaml")
CHECKS = ("joint_balance", "iv_interval", "effective_f", "anderson_rubin", "jive", "exclusion_monotonicity")


def strength(found: DesignFindings, bounds: dict, report: InferenceReport, sw_f: dict[str, float]) -> None:
    """Effective F per arm: pass above the YAML bound (MOP at K_eff = 1), warn above the
    critical value at the arm's own K_eff, fail below it. `sw_f`: conditional F per arm."""
    for e in report.effective_f:
        level = "pass" if e.f_eff >= bounds["pass"] else "warn" if e.f_eff >= e.critical_value else "fail"
        found.diagnostic("effective_f", e.f_eff, bounds, department=e.arm, level=level, f_eff=e.f_eff,
                         critical=e.critical_value, k_eff=e.k_eff, sw_f=sw_f.get(e.arm))


def anderson_rubin(found: DesignFindings, bounds: dict, report: InferenceReport) -> None:
    """AR set per arm against the primary interval: unbounded or empty fails, wider than
    `pass` times the primary interval warns."""
    for arm in report.iv.arms:
        if arm.ar is None and len(report.iv.arms) > MAX_PROJECTION_ARMS:   # grid too large
            found.diagnostic("anderson_rubin", None, bounds, department=arm.arm, level="not_computed",
                             key="diag.anderson_rubin.too_many_arms", arms=len(report.iv.arms),
                             maximum=MAX_PROJECTION_ARMS)
            continue
        if arm.ar is None:        # too few caseworkers for the test
            found.diagnostic("anderson_rubin", None, bounds, department=arm.arm, level="fail",
                             key="diag.anderson_rubin.too_few", caseworkers=report.iv.clusters)
            continue
        ends = arm.ar.intervals
        low, high = (ends[0][0], ends[-1][1]) if ends else (math.nan, math.nan)
        bounded = arm.ar.bounded and not arm.ar.empty and math.isfinite(low) and math.isfinite(high)
        ratio = (high - low) / (arm.ci[1] - arm.ci[0]) if bounded else None
        level = "fail" if ratio is None else "pass" if ratio <= bounds["pass"] else "warn"
        found.diagnostic("anderson_rubin", ratio, bounds, department=arm.arm, level=level, ratio=ratio,
                         ci_low=low if bounded else None, ci_high=high if bounded else None,
                         method=arm.primary_method)


def ujive(found: DesignFindings, bounds: dict, report: InferenceReport) -> None:
    """UJIVE per arm: its distance from the two-step IV in the IV's primary standard errors."""
    if report.ujive is None:
        return
    for arm in report.iv.arms:
        other = report.ujive.arm(arm.arm)
        ratio = abs(other.estimate - arm.estimate) / arm.se
        found.diagnostic("ujive", ratio, bounds, department=arm.arm, ratio=ratio, estimate=other.estimate,
                         iv=arm.estimate, se=other.se)


def exclusion_monotonicity(found: DesignFindings, bounds: dict, report: InferenceReport) -> None:
    test = report.exclusion_monotonicity
    if test is not None and test.df > 0:
        found.diagnostic("exclusion_monotonicity", test.p, bounds, p=test.p, j=test.j, df=test.df,
                         caseworkers=test.caseworkers, slope_within_bounds=test.slope_within_bounds)


def add_findings(found: DesignFindings, diagnostics: dict, report: InferenceReport, sw_f: dict[str, float]) -> None:
    """Every inference finding; `diagnostics`: the design's thresholds.yaml block."""
    strength(found, diagnostics["effective_f"], report, sw_f)
    if report.iv is not None:
        anderson_rubin(found, diagnostics["anderson_rubin"], report)
        ujive(found, diagnostics["ujive"], report)
        exclusion_monotonicity(found, diagnostics["exclusion_monotonicity"], report)


def balance_table(report: InferenceReport) -> list[BalanceLine]:
    return [BalanceLine(arm, row.covariate, row.coefficient, row.se, row.p)
            for arm, test in report.balance.items() for row in test.table]


def outcome_line(report: InferenceReport) -> list[OutcomePoint]:
    """The chart of the exclusion/monotonicity test (caseworkers with at least the disclosure
    minimum of clients only)."""
    test = report.exclusion_monotonicity
    return [OutcomePoint(**row) for row in test.by_arm()] if test is not None else []


def explanations(diagnostics: dict, lang: str) -> list[dict[str, str]]:
    """Label, explanation and how it enters the verdict, per check, with the bounds of
    `diagnostics` (the design's thresholds.yaml block) filled in."""
    values = {"pass": diagnostics["balance"]["pass"], "warn": diagnostics["balance"]["warn"],
              "threshold": FEW_CLUSTERS, "critical": diagnostics["effective_f"]["pass"],
              "tau": Percent(diagnostics["effective_f"]["tau"])}
    own = {"anderson_rubin": {"ratio": diagnostics["anderson_rubin"]["pass"]},
           "jive": {"ratio": diagnostics["ujive"]["pass"]},
           "exclusion_monotonicity": {"pass": diagnostics["exclusion_monotonicity"]["pass"]}}
    return [{part: TEXTS(f"{check}.{part}", lang, **{**values, **own.get(check, {})})
             for part in ("label", "explain", "verdict")} for check in CHECKS]


def interval_text(low: float | None, high: float | None, lang: str) -> str:
    """An interval of effects in percentage points; a missing (infinite) end reads as infinity."""
    ends = [format_number(100 * v, lang, "+.1f") if v is not None else sign for v, sign in ((low, "-∞"), (high, "+∞"))]
    return f"{ends[0]} .. {ends[1]}"


def _number(values: dict, name: str, lang: str) -> str:
    return format_number(values[name], lang, ",.1f") if values.get(name) is not None else "-"


def arm_table(result: dict, lang: str) -> list[dict[str, str]]:
    """Per IV arm the estimators and intervals side by side (labels of inference/texts.yaml):
    two-step IV with its primary interval and method, Anderson-Rubin set, UJIVE, effective
    F and conditional F. `result`: the design result in its JSON form."""
    params = {f["id"].split(".", 1)[1]: f.get("params", {}) for f in result["findings"]}
    rows = []
    for e in (e for e in result["estimates"] if e["method"] == "iv"):
        arm = e["department"]
        strength, ujive_ = params.get(f"effective_f.{arm}", {}), params.get(f"ujive.{arm}", {})
        rows.append({TEXTS("table.department", lang): arm,
                     TEXTS("table.iv", lang): format_number(100 * e["estimate"], lang, "+.1f"),
                     TEXTS("table.ci", lang, method=e["inference"]): interval_text(e["ci_low"], e["ci_high"], lang),
                     TEXTS("table.ar", lang): interval_text(e.get("ar_low"), e.get("ar_high"), lang),
                     TEXTS("table.ujive", lang): format_number(100 * ujive_["estimate"], lang, "+.1f")
                     if ujive_.get("estimate") is not None else "-",
                     TEXTS("table.f_eff", lang): _number(strength, "f_eff", lang),
                     TEXTS("table.critical", lang): _number(strength, "critical", lang),
                     TEXTS("table.sw_f", lang): _number(strength, "sw_f", lang)})
    return rows
