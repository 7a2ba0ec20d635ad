"""Population: profile, start-work curves, hazard ratios, client types, subgroup feasibility.

Everything is computed by `population.analyse`; this page draws it, in two steps: a quick
result without the models first (profile, curves), then the full one (hazard ratios, client
types) from it, so the first part shows while the models are fitted. Settings are kept in
`st.session_state["population_settings"]`, the result in `["population_result"]`."""
from __future__ import annotations

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

import core  # noqa: F401  (telemetry off first)
from app_pages.common import (active_tables, chosen as chosen_for, computed, extract_date_for, kept_in, lang, mapping_arms, page_state,
                              page_texts, severity_name, show_chart, show_table)
from core import jsonio
from population import Options
from population.config import TEXTS, settings as package_settings
from population.fmt import characteristic_label, count, level_label, notable, pct, ratio, subgroup_name

tr = page_texts("population")
language = lang()
THRESHOLD = package_settings()["disclosure_min"]

st.title(tr("title"))
st.write(tr("intro", threshold=THRESHOLD))
tables, source = active_tables()
st.caption(tr("source_demo") if source == "demo" else tr("source_upload", source=source))

SETTINGS = "population_settings"     # what the user chose on this page (see common.kept_in)
with st.expander(tr("settings"), expanded=False):
    left, right = st.columns(2)
    kept_in(SETTINGS, "min_work", left.radio, "population_min_work_w", 3, label=tr("min_work"),
            options=package_settings()["min_work_choices"], horizontal=True, help=tr("min_work_help"))
    kept_in(SETTINGS, "n_types", right.number_input, "population_n_types_w", 0, label=tr("n_types"),
            min_value=0, max_value=12, step=1)
chosen = page_state(SETTINGS, dict)
options = Options(min_work_months=chosen["min_work"], n_types=int(chosen["n_types"]) or None,
                  extract_date=extract_date_for(source), arms=chosen_for("arms", source, mapping_arms()))
with st.spinner(tr("computing")):     # without the models: drawn while they are fitted below
    result = computed("population", tables, replace(options, with_cox=False, with_types=False))
st.caption(result.settings["extract_date_basis"].explanation(language))
st.info(next(f for f in result.findings if f.id == "population.correlation_not_effect").message(language))

st.subheader(tr("profile"))
rows = []
for block in result.profile:
    for r in block["levels"]:
        rows.append({tr("characteristic"): characteristic_label(block["characteristic"], language),
                     tr("group"): level_label(block["characteristic"], r["level"], language),
                     "N": count(r["n"], language, THRESHOLD), "%": pct(r["share"], language)})
show_table(rows)

if result.survival:
    st.subheader(tr("curves"))
    st.caption(tr("curves_explained", threshold=THRESHOLD))
    names = {c: characteristic_label(c, language) for c in result.survival["by_characteristic"]}
    if chosen.get("curve") not in names:      # another extract: its first characteristic
        chosen.pop("curve", None)
    column = kept_in(SETTINGS, "curve", st.selectbox, "population_curve_w", list(names)[0],
                     label=tr("characteristic"), options=list(names), format_func=names.get)
    points, at_risk = [], []
    for g in result.survival["by_characteristic"][column]:
        if not g["curve"]:
            continue
        label = level_label(column, g["level"], language)
        points += [{**p, "group": label} for p in g["curve"]["points"]]
        at_risk.append({tr("group"): label, **{f"{m}": count(v, language, THRESHOLD)
                                               for m, v in g["curve"]["at_risk"].items()},
                        **{f"% {m}": pct(v, language) for m, v in g["curve"]["started_at"].items()}})
    frame = pd.DataFrame(points)
    if len(frame):
        x = alt.X("month:Q", title=tr("month"), scale=alt.Scale(domain=[0, result.settings["follow_up_months"]]))
        groups = alt.Scale(scheme="tableau10")     # one clearly different colour per group
        band = alt.Chart(frame).mark_area(opacity=0.18).encode(x=x, y="low:Q", y2="high:Q",
                                                               color=alt.Color("group:N", scale=groups))
        line = alt.Chart(frame).mark_line(interpolate="step-after").encode(
            x=x, y=alt.Y("share:Q", title=tr("share_started"), axis=alt.Axis(format="%")),
            color=alt.Color("group:N", title=tr("group"), scale=groups))
        show_chart(band + line)
        st.caption(tr("at_risk"))
        show_table(at_risk)
else:
    st.warning(tr("no_outcomes"))

with st.spinner(tr("computing_models")):
    result = st.session_state["population_result"] = computed("population", tables, options, _quick=result)
if result.cox:
    st.subheader(tr("hazard"))
    st.caption(tr("hazard_explained"))
    multi = {(r["characteristic"], r["level"]): r for r in result.cox["multivariate"]["rows"]}
    rows = []
    for c, model in result.cox["univariate"].items():
        for r in model["rows"]:
            m = multi.get((c, r["level"]))
            rows.append({tr("characteristic"): characteristic_label(c, language),
                         tr("group"): f"{level_label(c, r['level'], language)} / {level_label(c, r['reference'], language)}",
                         tr("univariate"): f"{ratio(r['hr'], language)} ({ratio(r['low'], language)}-{ratio(r['high'], language)})",
                         tr("multivariate"): f"{ratio(m['hr'], language)} ({ratio(m['low'], language)}-{ratio(m['high'], language)})" if m else "-"})
    show_table(rows)

if result.types:
    st.subheader(tr("types"))
    finding = next((f for f in result.findings if f.id in ("population.types", "population.no_types")), None)
    if finding:
        st.write(finding.message(language))
    show_table([{"#": t["type"], "N": count(t["size"], language, THRESHOLD),
                 "%": pct(t["share"], language, 0), "": notable(t, language)} for t in result.types["types"]])
    st.caption(tr("silhouette") + ": " + ", ".join(f"{k}: {ratio(v, language)}" for k, v in result.types["silhouette"].items()))

st.subheader(tr("feasibility"))
feas = result.feasibility
st.caption(tr("feasibility_explained", arms=", ".join(feas["arms"]), reference=feas["reference_arm"],
              target=feas["target_effect"]))
rows = []
for r in feas["rows"]:
    row = {tr("group"): subgroup_name(r, language)}
    if r.get("needs"):
        row["✓"] = TEXTS("needs_cbs", language)
    else:
        row |= {a: count(n, language, THRESHOLD) for a, n in r["arms"].items()}
        row |= {f"MDE {a}": pct(m, language) for a, m in r["mde"].items()}
        row["✓"] = "✅" if r["feasible"] else "❌"
    rows.append(row)
show_table(rows)

st.subheader(tr("findings"))
for f in result.findings:
    st.markdown(f"- **{severity_name(f.severity) if f.severity != 'ok' else 'ok'}**: {f.message(language)} {f.advice(language)}")
st.download_button(tr("download"), jsonio.dumps(result), file_name="population.json", mime="application/json")
