"""The population section for the workplan PDF: `report_section(result, lang, styles)` gives
reportlab flowables (heading, the correlation note, profile, share started per group, hazard
ratios, client types and subgroup feasibility). Every count passed the disclosure rule in
`analyse`; hidden counts print as '<10'."""
from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from population.analysis import correlation_note
from population.config import TEXTS
from population.fmt import characteristic_label, count, level_label, notable, pct, ratio, subgroup_name

RULE, ZEBRA, ACCENT = colors.HexColor("#C8CDD4"), colors.HexColor("#F2F4F7"), colors.HexColor("#1F3A5F")


def _styles(styles: dict | None) -> dict:
    if styles:
        return styles
    try:
        from dialogue.pdf import fonts
        font = fonts()
        regular, bold = font["sans"], font["bold"]
    except Exception:  # pragma: no cover
        regular, bold = "Helvetica", "Helvetica-Bold"
    base = dict(fontName=regular, fontSize=9.5, leading=13.5)
    return {"h2": ParagraphStyle("p_h2", **(base | dict(fontName=bold, fontSize=12, leading=16)), spaceBefore=8, spaceAfter=4),
            "h3": ParagraphStyle("p_h3", **(base | dict(fontName=bold, fontSize=10)), spaceBefore=6, spaceAfter=2),
            "body": ParagraphStyle("p_body", **base, spaceAfter=4),
            "cell": ParagraphStyle("p_cell", **(base | dict(fontSize=8.5, leading=11))),
            "head": ParagraphStyle("p_head", **(base | dict(fontName=bold, fontSize=8.5, leading=11,
                                                             textColor=colors.white)))}


def _table(rows: list[list[str]], s: dict, widths) -> Table:
    data = [[Paragraph(escape(str(c)), s["head"] if i == 0 else s["cell"]) for c in row] for i, row in enumerate(rows)]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), ACCENT),   # the heading row: light text on dark
                               ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA])]))
    return table


def report_section(result, lang: str = "nl", styles: dict | None = None) -> list:
    s = _styles(styles)
    t = lambda key, **v: TEXTS(key, lang, **v)  # noqa: E731
    thr = result.settings["disclosure_min"]
    story = [Paragraph(escape(t("report.title")), s["h2"]),
             Paragraph(escape(t("report.intro", threshold=thr)), s["body"]),
             Paragraph(f"<b>{escape(correlation_note(lang))}</b>", s["body"])]
    head = [t("col.characteristic"), t("col.level"), t("col.n"), t("col.share")]
    if result.survival:
        head.append(t("col.started") + " 6/12/24/36")
    rows = [head]
    curves = (result.survival or {}).get("by_characteristic", {})
    for block in result.profile:
        column = block["characteristic"]
        by_level = {g["level"]: g["curve"] for g in curves.get(column, [])}
        for i, r in enumerate(block["levels"]):
            row = [characteristic_label(column, lang) if i == 0 else "", level_label(column, r["level"], lang),
                   count(r["n"], lang, thr), pct(r["share"], lang)]
            if result.survival:
                curve = by_level.get(r["level"])
                row.append(" / ".join(pct(v, lang, 0) for v in curve["started_at"].values()) if curve else "-")
            rows.append(row)
    story += [Paragraph(escape(t("report.profile")), s["h3"]),
              _table(rows, s, [35 * mm, 45 * mm, 20 * mm, 20 * mm] + ([45 * mm] if result.survival else []))]
    if result.cox and result.cox["multivariate"]["rows"]:
        rows = [[t("col.characteristic"), t("col.level"), t("col.hr")]]
        for r in result.cox["multivariate"]["rows"]:
            rows.append([characteristic_label(r["characteristic"], lang),
                         f"{level_label(r['characteristic'], r['level'], lang)} ({t('reference')}: "
                         f"{level_label(r['characteristic'], r['reference'], lang)})",
                         f"{ratio(r['hr'], lang)} ({ratio(r['low'], lang)}-{ratio(r['high'], lang)})"])
        story += [Paragraph(escape(t("report.cox")), s["h3"]), _table(rows, s, [35 * mm, 85 * mm, 45 * mm])]
    if result.types and result.types.get("k"):
        rows = [[t("col.type"), t("col.n"), t("col.stands_out")]]
        for item in result.types["types"]:
            rows.append([str(item["type"]), count(item["size"], lang, thr), notable(item, lang)])
        story += [Paragraph(escape(t("report.types")), s["h3"]), _table(rows, s, [15 * mm, 20 * mm, 130 * mm])]
    feas = result.feasibility
    rows = [[t("col.subgroup")] + [a for a in [feas["reference_arm"]] + feas["arms"]]
            + [t("col.mde", arm=a) for a in feas["arms"]] + [t("col.verdict")]]
    for r in feas["rows"]:
        if r.get("needs"):
            rows.append([subgroup_name(r, lang)] + [""] * (1 + 2 * len(feas["arms"])) + [t("needs_cbs")])
            continue
        rows.append([subgroup_name(r, lang)] + [count(n, lang, thr) for n in r["arms"].values()]
                    + [pct(m, lang) for m in r["mde"].values()] + [t("feasible" if r["feasible"] else "not_feasible")])
    widths = [45 * mm] + [19 * mm] * (1 + len(feas["arms"])) + [20 * mm] * len(feas["arms"]) + [28 * mm]
    story += [Paragraph(escape(t("report.feasibility")), s["h3"]), _table(rows, s, widths), Spacer(1, 4)]
    story += [Paragraph(escape(f.message(lang)), s["body"]) for f in result.findings
              if f.id.startswith("population.subgroups")]
    return story
