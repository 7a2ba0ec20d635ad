"""Population: profile, start-work curves, hazard ratios, client types, subgroup feasibility.

Everything is computed by `population.analyse`; this page draws it. Settings are kept in
`st.session_state["population_settings"]`, the result in `["population_result"]`."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

import core  # noqa: F401  (telemetry off first)
from app_pages.common import active_tables, chosen as chosen_for, lang, mapping_arms, page_texts, severity_name
from core import jsonio
from population import Options, analyse
from population.config import TEXTS, settings as package_settings
from population.fmt import characteristic_label, count, level_label, notable, pct, ratio, subgroup_name

tr = page_texts("population")
language = lang()
THRESHOLD = package_settings()["disclosure_min"]

st.title(tr("title"))
st.write(tr("intro", threshold=THRESHOLD))
tables, source = active_tables()
st.caption(tr("source_demo") if source == "demo" else tr("source_upload", source=source))

chosen = st.session_state.setdefault("population_settings", {"min_work": 3, "n_types": 0})
with st.expander(tr("settings"), expanded=False):
    left, right = st.columns(2)
    choices = package_settings()["min_work_choices"]
    chosen["min_work"] = left.radio(tr("min_work"), choices, index=choices.index(chosen["min_work"]),
                                    horizontal=True, help=tr("min_work_help"), key="population_min_work_w")
    chosen["n_types"] = int(right.number_input(tr("n_types"), min_value=0, max_value=12, step=1,
                                               value=int(chosen["n_types"]), key="population_n_types_w"))
options = Options(min_work_months=chosen["min_work"], n_types=chosen["n_types"] or None,
                  extract_date=chosen_for("extract_date", source), arms=chosen_for("arms", source, mapping_arms()))
key = (source, tuple((n, len(t)) for n, t in tables.items()), options.min_work_months, options.n_types,
       options.extract_date, options.arms)
if st.session_state.get("population_key") != key:
    with st.spinner(tr("computing")):
        st.session_state["population_result"] = analyse(tables, options)
    st.session_state["population_key"] = key
result = st.session_state["population_result"]
st.caption(result.settings["extract_date_basis"].explanation(language))
st.info(next(f for f in result.findings if f.id == "population.correlation_not_effect").message(language))

st.subheader(tr("profile"))
rows = []
for block in result.profile:
    for r in block["levels"]:
        rows.append({tr("characteristic"): characteristic_label(block["characteristic"], language),
                     tr("group"): level_label(block["characteristic"], r["level"], language),
                     "N": count(r["n"], language, THRESHOLD), "%": pct(r["share"], language)})
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

if result.survival:
    st.subheader(tr("curves"))
    st.caption(tr("curves_explained", threshold=THRESHOLD))
    names = {c: characteristic_label(c, language) for c in result.survival["by_characteristic"]}
    column = st.selectbox(tr("characteristic"), list(names), format_func=names.get,
                          index=list(names).index(st.session_state.get("population_curve", list(names)[0])),
                          key="population_curve_w")
    st.session_state["population_curve"] = column
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
        band = alt.Chart(frame).mark_area(opacity=0.18).encode(x=x, y="low:Q", y2="high:Q", color="group:N")
        line = alt.Chart(frame).mark_line(interpolate="step-after").encode(
            x=x, y=alt.Y("share:Q", title=tr("share_started"), axis=alt.Axis(format="%")),
            color=alt.Color("group:N", title=tr("group")))
        st.altair_chart(band + line, width="stretch")
        st.caption(tr("at_risk"))
        st.dataframe(pd.DataFrame(at_risk), hide_index=True, width="stretch")

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
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
else:
    st.warning(tr("no_outcomes"))

if result.types:
    st.subheader(tr("types"))
    finding = next((f for f in result.findings if f.id in ("population.types", "population.no_types")), None)
    if finding:
        st.write(finding.message(language))
    st.dataframe(pd.DataFrame([{"#": t["type"], "N": count(t["size"], language, THRESHOLD),
                                "%": pct(t["share"], language, 0), "": notable(t, language)}
                               for t in result.types["types"]]), hide_index=True, width="stretch")
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
st.dataframe(pd.DataFrame(rows).fillna(""), hide_index=True, width="stretch")

st.subheader(tr("findings"))
for f in result.findings:
    st.markdown(f"- **{severity_name(f.severity) if f.severity != 'ok' else 'ok'}**: {f.message(language)} {f.advice(language)}")
st.download_button(tr("download"), jsonio.dumps(result), file_name="population.json", mime="application/json")
