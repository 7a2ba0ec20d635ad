"""The workplan's charts (Altair), rendered to PNG with vl-convert for the PDF.

Colours are the colour-blind-safe Okabe-Ito palette; every chart also carries its values as
labels or axis text, so nothing is told by colour alone. Counts of people pass the disclosure
threshold before they are drawn."""
from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert as vlc

from core.findings import severity_label
from core.locales import localised
from design_feasibility.charts import grey_area_chart
from workplan.content import LABELS
from workplan.report import Report
from workplan.rules import reference_of

BLUE, ORANGE, GREEN, VERMILION, GREY, SKY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#999999", "#56B4E9"
SEVERITY_COLOURS = {"error": VERMILION, "warning": ORANGE, "info": SKY}


def png(chart: alt.TopLevelMixin, font: str, lang: str, scale: float = 2.0) -> bytes:
    """The chart as a PNG for the PDF, numbers and dates written in `lang`."""
    spec = chart.configure(font=font).configure_view(stroke=None).configure_axis(
        labelFontSize=11, titleFontSize=11).configure_legend(labelFontSize=11, titleFontSize=11)
    return vlc.vegalite_to_png(localised(spec, lang).to_dict(), scale=scale)


def maturity(result: dict, lang: str, weak_below: float) -> alt.Chart:
    rows = pd.DataFrame([{"dimension": d["name"].get(lang, d["id"]), "median": d["median"],
                          "weak": d["median"] < weak_below}
                         for d in result["dimensions"] if d.get("median") is not None])
    base = alt.Chart(rows).encode(y=alt.Y("dimension:N", sort=None, title=None))
    bars = base.mark_bar(height=16).encode(
        x=alt.X("median:Q", scale=alt.Scale(domain=[0, 5]), title=LABELS("chart_median_level", lang)),
        color=alt.condition("datum.weak", alt.value(ORANGE), alt.value(BLUE)))
    labels = base.mark_text(align="left", dx=4).encode(
        x="median:Q", text=alt.Text("median:Q", format=".1f"))
    rule = alt.Chart(pd.DataFrame({"x": [weak_below]})).mark_rule(strokeDash=[4, 3], color=GREY).encode(x="x:Q")
    return (bars + labels + rule).properties(width=380, height=26 * len(rows))


def findings(items: list[dict], lang: str) -> alt.Chart:
    """How many kinds of findings each table has, by severity (kinds, not people)."""
    rows = pd.DataFrame([{"table": f.get("table") or "-", "label": severity_label(f["severity"], lang)}
                         for f in items if f["severity"] in SEVERITY_COLOURS])
    return alt.Chart(rows).mark_bar(height=14).encode(
        y=alt.Y("table:N", title=None),
        x=alt.X("count():Q", title=LABELS("chart_n_findings", lang), axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("label:N", title=None, scale=alt.Scale(
            domain=[severity_label(s, lang) for s in SEVERITY_COLOURS],
            range=list(SEVERITY_COLOURS.values())), legend=alt.Legend(orient="right")),
    ).properties(width=300, height=22 * rows["table"].nunique())


def link_rate(result: dict, lang: str, good: float) -> alt.Chart:
    rate = result["predicted_link_rate"]
    row = pd.DataFrame([{"what": LABELS("chart_predicted", lang), "value": rate["value"],
                         "low": rate.get("low", rate["value"]), "high": rate.get("high", rate["value"])}])
    low = min(0.7, rate.get("low") or rate["value"])
    scale = alt.Scale(domain=[low, 1.0])
    axis = alt.Axis(format="%")
    interval = alt.Chart(row).mark_rule(strokeWidth=3, color=BLUE).encode(
        x=alt.X("low:Q", scale=scale, axis=axis, title=LABELS("chart_link_rate", lang)), x2="high:Q",
        y=alt.Y("what:N", title=None))
    point = alt.Chart(row).mark_point(filled=True, size=120, color=BLUE).encode(x="value:Q", y="what:N")
    text = alt.Chart(row).mark_text(dy=-14).encode(x="value:Q", y="what:N",
                                                    text=alt.Text("value:Q", format=".1%"))
    norm = alt.Chart(pd.DataFrame({"x": [good]})).mark_rule(strokeDash=[4, 3], color=VERMILION).encode(x="x:Q")
    return (interval + point + text + norm).properties(width=380, height=60)


def estimates(result: dict, lang: str) -> alt.Chart:
    method_names = {m: LABELS(f"method_{m}", lang) for m in ("raw", "ols", "iv")}
    rows = pd.DataFrame([{"method": method_names.get(e["method"], e["method"]),
                          "department": e["department"], "estimate": e["estimate"],
                          "low": e["ci_low"], "high": e["ci_high"]} for e in result["estimates"]])
    order = list(method_names.values())
    y = alt.Y("method:N", sort=order, title=None)
    colour = alt.Color("method:N", sort=order, title=None, legend=None,
                       scale=alt.Scale(domain=order, range=[GREY, SKY, BLUE]))
    bars = alt.Chart().mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", title=LABELS("chart_effect", lang, reference=reference_of(result)), axis=alt.Axis(format="+%")), x2="high:Q",
        y=y, color=colour)
    points = alt.Chart().mark_point(filled=True, size=70).encode(x="estimate:Q", y=y, color=colour)
    labels = alt.Chart().mark_text(align="left", dx=8, dy=-8).encode(
        x="estimate:Q", y=y, text=alt.Text("estimate:Q", format="+.0%"))
    zero = alt.Chart().mark_rule(color="#444444").encode(x=alt.datum(0))
    return alt.layer(zero, bars, points, labels, data=rows).properties(width=360, height=70).facet(
        row=alt.Row("department:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")))


def grey_area(result: dict, lang: str) -> alt.Chart:
    """The design step's grey-area chart, sized for the page."""
    return grey_area_chart(result["grey_area"], lang).properties(width=380, height=90)


def gantt(report: Report, lang: str) -> alt.Chart:
    rows = pd.DataFrame([{"phase": f"{i}. {p.name[lang]}", "start": p.start_week, "end": p.end_week,
                          "urgent": any(t.priority == 1 for t in p.tasks)}
                         for i, p in enumerate(report.phases, start=1)])
    order = list(rows["phase"])
    base = alt.Chart(rows).encode(y=alt.Y("phase:N", sort=order, title=None, axis=alt.Axis(labelLimit=330)))
    bars = base.mark_bar(height=14, cornerRadius=2).encode(
        x=alt.X("start:Q", title=LABELS("chart_weeks", lang)), x2="end:Q",
        color=alt.condition("datum.urgent", alt.value(VERMILION), alt.value(BLUE)))
    text = base.mark_text(align="left", dx=3, fontSize=10).encode(
        x="end:Q", text=alt.Text("end:Q"))
    return (bars + text).properties(width=260, height=22 * len(rows))

