"""Altair charts of a QualityReport (the page only shows them).

The coding-era chart gives each of the most used codes its own colour (at most
`MAX_CODES`, a categorical scheme with that many colours; the rest is drawn as one
"other"), puts its legends under the plot so no entry is cut off, and draws detected coding
changes red and policy dates grey, as the page's caption says. Tables are named in the
reader's language (or by the user's own file), checks by their titles, not their ids."""
from __future__ import annotations

import altair as alt
import pandas as pd

from core.findings import severity_label
from core.canonical import table_name
from core.texts import pick
from quality_checks.report import QualityReport

MAX_CODES = 19           # tableau20 has 20 colours: 19 codes and "other"
CODE_SCHEME = "tableau20"
CHANGE_COLOUR, POLICY_COLOUR = "#D62728", "#7F7F7F"

LABELS = {
    "month": {"nl": "Maand", "en": "Month"}, "rows": {"nl": "Interventies", "en": "Interventions"},
    "code": {"nl": "Code", "en": "Code"}, "period": {"nl": "Kwartaal", "en": "Quarter"},
    "column": {"nl": "Kolom", "en": "Column"}, "missing_share": {"nl": "Ontbreekt", "en": "Missing"},
    "count": {"nl": "Aantal", "en": "Count"}, "id": {"nl": "Controle", "en": "Check"},
    "boundary": {"nl": "Gevonden overgang", "en": "Detected change"},     # as the page caption says
    "policy": {"nl": "Beleidsdatum", "en": "Policy date"}, "marker": {"nl": "Markering", "en": "Marker"},
    "table": {"nl": "Tabel", "en": "Table"}, "severity": {"nl": "Ernst", "en": "Severity"},
    "other": {"nl": "overig", "en": "other"},
}


def _t(key: str, lang: str) -> str:
    return pick(LABELS[key], lang)


def _top_codes(usage: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """`usage` with codes beyond the `MAX_CODES` most used ones merged into "other", and the
    codes in legend order (most used first, "other" last)."""
    totals = usage.groupby("code")["rows"].sum().sort_values(ascending=False, kind="stable")
    kept = list(totals.index[:MAX_CODES]) if len(totals) > MAX_CODES + 1 else list(totals.index)
    if len(kept) == len(totals):
        return usage, kept
    other = _t("other", lang)
    usage = usage.assign(code=usage["code"].where(usage["code"].isin(kept), other))
    return usage.groupby(["month", "code"], as_index=False)["rows"].sum(), [*kept, other]


def code_usage_chart(report: QualityReport, lang: str) -> alt.LayerChart | None:
    """Interventions per month and code, detected coding changes (red) and policy dates
    (grey) as vertical rules."""
    usage = pd.DataFrame(report.drift.usage)
    if usage.empty:
        return None
    usage["month"] = pd.to_datetime(usage["month"])
    usage, codes = _top_codes(usage.dropna(subset=["rows"]), lang)
    palette = alt.Scale(scheme=CODE_SCHEME, domain=codes)
    legend = alt.Legend(orient="bottom", columns=10, symbolLimit=0, labelLimit=120)
    bars = alt.Chart(usage).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title=_t("month", lang)),
        y=alt.Y("sum(rows):Q", title=_t("rows", lang)),
        color=alt.Color("code:N", title=_t("code", lang), scale=palette, sort=codes, legend=legend),
        tooltip=[alt.Tooltip("code:N", title=_t("code", lang)),
                 alt.Tooltip("yearmonth(month):T", title=_t("month", lang)),
                 alt.Tooltip("rows:Q", title=_t("rows", lang), format=",d")],
    ).properties(height=460)      # the legends under the plot take part of it
    marks = [{"date": b.month + "-01", "marker": _t("boundary", lang)} for b in report.drift.boundaries]
    marks += [{"date": d, "marker": _t("policy", lang)} for d in report.policy_dates]
    if not marks:
        return bars
    rules = alt.Chart(pd.DataFrame(marks).assign(date=lambda f: pd.to_datetime(f["date"]))).mark_rule(
        strokeWidth=2, strokeDash=[6, 3]).encode(
        x="date:T", stroke=alt.Stroke("marker:N", title=_t("marker", lang), legend=alt.Legend(orient="bottom"),
                                      scale=alt.Scale(domain=[_t("boundary", lang), _t("policy", lang)],
                                                      range=[CHANGE_COLOUR, POLICY_COLOUR])),
        tooltip=[alt.Tooltip("marker:N", title=_t("marker", lang)), alt.Tooltip("date:T", title=_t("month", lang))])
    return alt.layer(bars, rules).resolve_scale(color="independent")


def _table(report: QualityReport, table: str, lang: str) -> str:
    """The user's own file name of `table`, else its name in `lang`."""
    return report.source_names().get(table) or table_name(table, lang)


def missingness_chart(report: QualityReport, lang: str) -> alt.Chart | None:
    shares = pd.DataFrame(report.missingness)
    if shares.empty:
        return None
    names = report.source_names()
    shares["column"] = [f"{_table(report, t, lang)}: {names.get((t, c), c)}"
                        for t, c in zip(shares["table"], shares["column"])]
    return alt.Chart(shares).mark_rect().encode(
        x=alt.X("period:O", title=_t("period", lang)),
        y=alt.Y("column:N", title=_t("column", lang), axis=alt.Axis(labelLimit=260)),
        color=alt.Color("missing_share:Q", title=_t("missing_share", lang),
                        scale=alt.Scale(scheme="orangered", domain=[0, 1]), legend=alt.Legend(format="%")),
        tooltip=[alt.Tooltip("column:N", title=_t("column", lang)), alt.Tooltip("period:O", title=_t("period", lang)),
                 alt.Tooltip("missing_share:Q", title=_t("missing_share", lang), format=".1%"),
                 alt.Tooltip("rows:Q", title=_t("count", lang), format=",d")])


def date_checks_chart(report: QualityReport, lang: str) -> alt.Chart | None:
    rows = [{"id": f.title(lang), "table": _table(report, f.table, lang), "count": f.count,
             "severity": severity_label(f.severity, lang)}
            for f in report.findings if f.id.startswith("date.")]
    if not rows:
        return None
    return alt.Chart(pd.DataFrame(rows)).mark_bar().encode(
        x=alt.X("count:Q", title=_t("count", lang)),
        y=alt.Y("id:N", title=_t("id", lang), sort="-x", axis=alt.Axis(labelLimit=320)),
        color=alt.Color("table:N", title=_t("table", lang)),
        tooltip=[alt.Tooltip(f"{name}:{kind}", title=_t(name, lang))
                 for name, kind in (("id", "N"), ("table", "N"), ("count", "Q"), ("severity", "N"))])
