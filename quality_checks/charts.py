"""Altair charts of a QualityReport (the page only shows them)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.texts import pick
from quality_checks.report import QualityReport

LABELS = {
    "month": {"nl": "Maand", "en": "Month"}, "rows": {"nl": "Interventies", "en": "Interventions"},
    "code": {"nl": "Code", "en": "Code"}, "period": {"nl": "Kwartaal", "en": "Quarter"},
    "column": {"nl": "Kolom", "en": "Column"}, "missing_share": {"nl": "Ontbreekt", "en": "Missing"},
    "count": {"nl": "Aantal", "en": "Count"}, "id": {"nl": "Controle", "en": "Check"},
    "boundary": {"nl": "Nieuwe codering", "en": "New coding"},
    "policy": {"nl": "Beleidsdatum", "en": "Policy date"}, "marker": {"nl": "Markering", "en": "Marker"},
    "table": {"nl": "Tabel", "en": "Table"}, "severity": {"nl": "Ernst", "en": "Severity"},
}


def _t(key: str, lang: str) -> str:
    return pick(LABELS[key], lang)


def code_usage_chart(report: QualityReport, lang: str) -> alt.LayerChart | None:
    """Interventions per month and code, era boundaries and policy dates as vertical rules."""
    usage = pd.DataFrame(report.drift.usage)
    if usage.empty:
        return None
    usage["month"] = pd.to_datetime(usage["month"])
    bars = alt.Chart(usage.dropna(subset=["rows"])).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title=_t("month", lang)),
        y=alt.Y("sum(rows):Q", title=_t("rows", lang)),
        color=alt.Color("code:N", title=_t("code", lang)),
        tooltip=["code", alt.Tooltip("yearmonth(month):T"), "rows"])
    marks = [{"date": b.month + "-01", "marker": _t("boundary", lang)} for b in report.drift.boundaries]
    marks += [{"date": d, "marker": _t("policy", lang)} for d in report.policy_dates]
    if not marks:
        return bars
    rules = alt.Chart(pd.DataFrame(marks).assign(date=lambda f: pd.to_datetime(f["date"]))).mark_rule(
        strokeWidth=2, strokeDash=[6, 3]).encode(
        x="date:T", stroke=alt.Stroke("marker:N", title=_t("marker", lang),
                                      scale=alt.Scale(range=["#d62728", "#333333"])),
        tooltip=["marker", alt.Tooltip("date:T")])
    return alt.layer(bars, rules).resolve_scale(color="independent")


def missingness_chart(report: QualityReport, lang: str) -> alt.Chart | None:
    shares = pd.DataFrame(report.missingness)
    if shares.empty:
        return None
    shares["column"] = shares["table"] + "." + shares["column"]
    return alt.Chart(shares).mark_rect().encode(
        x=alt.X("period:O", title=_t("period", lang)),
        y=alt.Y("column:N", title=_t("column", lang)),
        color=alt.Color("missing_share:Q", title=_t("missing_share", lang),
                        scale=alt.Scale(scheme="orangered", domain=[0, 1]), legend=alt.Legend(format="%")),
        tooltip=["column", "period", alt.Tooltip("missing_share:Q", format=".1%"), "rows"])


def date_checks_chart(report: QualityReport, lang: str) -> alt.Chart | None:
    rows = [{"id": f.id, "table": f.table, "count": f.count, "severity": f.severity}
            for f in report.findings if f.id.startswith("date.")]
    if not rows:
        return None
    return alt.Chart(pd.DataFrame(rows)).mark_bar().encode(
        x=alt.X("count:Q", title=_t("count", lang)),
        y=alt.Y("id:N", title=_t("id", lang), sort="-x"),
        color=alt.Color("table:N", title=_t("table", lang)),
        tooltip=[alt.Tooltip(f"{name}:{kind}", title=_t(name, lang))
                 for name, kind in (("id", "N"), ("table", "N"), ("count", "Q"), ("severity", "N"))])
