"""Altair charts that explain caseworker preferences, the grey area and the exclusion/monotonicity
test in plain language."""
from __future__ import annotations

import altair as alt
import pandas as pd

from core import jsonio
from design_feasibility.config import TEXTS
from design_feasibility.inference_findings import TEXTS as INFERENCE_TEXTS
from design_feasibility.result import DesignResult

CLASS_COLOURS = {"certainly_yes": "#f7f7f7", "maybe": "#9e9e9e", "certainly_no": "#252525", "hidden": "#d9d9f0"}


def preference_chart(result: DesignResult, lang: str) -> alt.Chart:
    """Each caseworker (anonymous): preference for the first treated arm (Rotterdam: Matching)
    vs the share of clients sent to it."""
    arm = result.caseworkers[0].arm if result.caseworkers else ""
    t = lambda key: TEXTS(key, lang, arm=arm)  # noqa: E731
    data = pd.DataFrame([vars(p) for p in result.caseworkers])
    if data.empty:
        data = pd.DataFrame(columns=["rank", "clients", "arm", "share", "preference"])
    return alt.Chart(data, title=t("chart.preference_title")).mark_circle(opacity=0.7).encode(
        x=alt.X("preference:Q", title=t("chart.preference_x"), axis=alt.Axis(format="+.0%")),
        y=alt.Y("share:Q", title=t("chart.preference_y"), axis=alt.Axis(format=".0%")),
        size=alt.Size("clients:Q", title=t("chart.clients")),
        tooltip=[alt.Tooltip("rank:Q", title=t("chart.caseworker")),
                 alt.Tooltip("clients:Q", title=t("chart.clients")),
                 alt.Tooltip("share:Q", title=t("chart.preference_y"), format=".1%"),
                 alt.Tooltip("preference:Q", title=t("chart.preference_x"), format="+.1%")],
    ).properties(height=320)


def grey_area_chart(grey_area: list, lang: str) -> alt.Chart:
    """Per department: share of all referred clients certainly / maybe / certainly not referred
    (Table B4.1). `grey_area`: the result's GreyArea items or their JSON form. Parts hidden by
    disclosure control (small cells and their complementary cells) are drawn together as one
    hidden part, so a bar never suggests that the visible part is everything."""
    t = lambda key: TEXTS(key, lang)  # noqa: E731
    rows = []
    for area in jsonio.to_plain(grey_area):
        counts = {name: area[name] for name in CLASS_COLOURS
                  if name != "hidden" and isinstance(area[name], int)}   # marks: hidden
        counts["hidden"] = area["clients"] - sum(counts.values())
        rows += [{"department": area["department"], "label": t(f"chart.{name}"),
                  "share": counts[name] / area["clients"], "order": i}
                 for i, name in enumerate(CLASS_COLOURS) if counts.get(name) and area["clients"]]
    labels = [t(f"chart.{name}") for name in CLASS_COLOURS]
    return alt.Chart(pd.DataFrame(rows), title=t("chart.grey_title")).mark_bar(stroke="#555").encode(
        y=alt.Y("department:N", title=None, sort=list(dict.fromkeys(row["department"] for row in rows))),
        x=alt.X("share:Q", title=t("chart.grey_x"), axis=alt.Axis(format=".0%"), stack="normalize"),
        color=alt.Color("label:N", title=None, sort=labels,
                        scale=alt.Scale(domain=labels, range=list(CLASS_COLOURS.values())),
                        legend=alt.Legend(orient="bottom", columns=2, symbolStrokeColor="#555", labelLimit=300)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("department:N", title=t("chart.department")), alt.Tooltip("label:N", title=" "),
                 alt.Tooltip("share:Q", title=t("chart.grey_x"), format=".1%")],
    ).properties(height=alt.Step(36))   # a band per department (a fixed height collapsed in the browser)


def outcome_line_chart(points: list, lang: str) -> alt.FacetChart:
    """The exclusion/monotonicity test drawn (Frandsen, Lefgren & Leslie 2023): per arm, each
    caseworker (at least the disclosure minimum of clients) as a dot - share of clients sent
    to the arm against their mean outcome net of the other arms - and the fitted straight line.
    `points`: the result's OutcomePoint items or their JSON form."""
    t = lambda key: INFERENCE_TEXTS(key, lang)  # noqa: E731
    data = pd.DataFrame(jsonio.to_plain(points),
                        columns=["department", "clients", "propensity", "mean_outcome", "line"])
    x = alt.X("propensity:Q", title=t("chart.x"), axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=False))
    dots = alt.Chart().mark_circle(opacity=0.6, color="#0072B2").encode(
        x=x, y=alt.Y("mean_outcome:Q", title=t("chart.y"), axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=False)),
        size=alt.Size("clients:Q", title=t("chart.clients"), legend=None),
        tooltip=[alt.Tooltip("clients:Q", title=t("chart.clients")),
                 alt.Tooltip("propensity:Q", title=t("chart.x"), format=".1%"),
                 alt.Tooltip("mean_outcome:Q", title=t("chart.y"), format=".1%")])
    line = alt.Chart().mark_line(color="#D55E00", strokeWidth=2).encode(x=x, y="line:Q")
    return alt.layer(dots, line, data=data).properties(width=260, height=220).facet(
        column=alt.Column("department:N", title=None, sort=list(dict.fromkeys(data["department"]))),
        title=t("chart.title")).resolve_scale(x="independent")
