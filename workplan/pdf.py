"""The workplan as a PDF (reportlab platypus): cover, contents, summary, one section per step,
register, phased plan with Gantt chart, conditions, annex on the design and glossary.

Tables of counts pass the disclosure threshold (core.disclosure via `count_text`); no
identifier or example value of a finding is ever printed. DejaVu Sans is used when the system
has it (Debian's fonts-dejavu-core), otherwise reportlab's built-in Helvetica."""
from __future__ import annotations

import threading
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Frame, Image, KeepTogether, ListFlowable,
                                ListItem, NextPageTemplate, PageBreak, PageTemplate, Paragraph,
                                Spacer, Table, TableStyle)
from reportlab.platypus.tableofcontents import TableOfContents

from core import DEFAULT_LANGUAGE
from core.findings import Finding, severity_label, sort_findings, verdict_label, verdict_light
from core.locales import format_date, format_month
from core.texts import pick
from linkage_readiness.microdata import need_labels

from workplan import charts
from workplan.assessment import STEPS, Assessment
from workplan.pdf_inference import design_checks
from workplan.content import LABELS, content, count_text, is_small, number_text, percent_text, setting
from core.errors import UserInputError
from workplan.report import Report, build_report, fill, not_run_text
from workplan.rules import Evidence, checklist_name, design_findings, design_name, reference_of, role_name

SECTIONS = ("summary", "maturity", "quality", "population", "linkage", "design", "register", "workplan",
            "conditions", "annex", "glossary")

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
INK, ACCENT, MUTED, RULE, ZEBRA = (colors.HexColor(c) for c in
                                   ("#1A1A1A", "#1F3A5F", "#555555", "#C8CDD4", "#F2F4F7"))
LIGHT_FILL = {"green": "#B7E1C1", "amber": "#FFD89B", "red": "#F6B3A8", "grey": "#DDDDDD"}
PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
TEXT_W = PAGE_W - 2 * MARGIN


_FONT_LOCK = threading.Lock()   # two PDFs built at once in one server register fonts once


def fonts() -> tuple[str, str, str]:
    """(regular, bold, name for charts): DejaVu Sans when installed, else Helvetica."""
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        with _FONT_LOCK:
            if "DejaVuSans-Bold" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
                pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold", "DejaVu Sans"
    return "Helvetica", "Helvetica-Bold", "Helvetica"


def check_sections(sections) -> list[str]:
    """The chosen sections (default: all); an unknown name is a user error."""
    for name in sections or ():
        if name not in SECTIONS:
            raise UserInputError("unknown_section", name=name, choices=", ".join(SECTIONS))
    return list(sections or SECTIONS)


def build_pdf(assessment: Assessment, lang: str = DEFAULT_LANGUAGE,
              sections: list[str] | tuple[str, ...] | None = None) -> bytes:
    """The PDF of one assessment, in `lang`, with the chosen sections (default: all)."""
    sections = check_sections(sections)
    writer = _Writer(assessment, build_report(assessment), lang)
    story = writer.cover() + writer.contents()
    for number, name in enumerate([s for s in SECTIONS if s in sections], start=1):
        story += writer.sections[name](number)
    buffer = BytesIO()
    _Document(buffer, writer).multiBuild(story)
    return buffer.getvalue()


def _n(columns) -> int | str:
    """Columns are reported as a list of names or as a number."""
    return len(columns) if isinstance(columns, list) else (columns if columns is not None else "-")


class _Document(BaseDocTemplate):
    def __init__(self, buffer, writer: "_Writer"):
        self.writer = writer
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN + 4 * mm, bottomMargin=MARGIN,
                         title=writer.t("doc_title") + " - " + writer.a.municipality,
                         author=writer.t("doc_author"), subject=writer.t("doc_subtitle"),
                         lang=writer.lang, creator="workplan")
        frame = Frame(MARGIN, MARGIN, TEXT_W, PAGE_H - 2 * MARGIN - 4 * mm, id="body")
        self.addPageTemplates([PageTemplate("cover", [frame], onPage=self._cover_page),
                               PageTemplate("body", [frame], onPage=self._body_page)])

    def afterFlowable(self, flowable):
        """Chapters go into the contents; chapters and their sections into the PDF outline."""
        level = {"Heading1": 0, "Heading2": 1}.get(getattr(flowable, "style", None) and flowable.style.name)
        if level is not None:
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=True)
            if level == 0:
                self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))

    def _cover_page(self, canvas, doc):
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, PAGE_H - 80 * mm, PAGE_W, 80 * mm, stroke=0, fill=1)
        canvas.restoreState()

    def _body_page(self, canvas, doc):
        w = self.writer
        canvas.saveState()
        canvas.setFont(w.regular, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, PAGE_H - MARGIN + 2 * mm, f"{w.t('doc_title')} - {w.a.municipality}")
        canvas.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN + 2 * mm, format_date(w.a.date, w.lang))
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, PAGE_H - MARGIN, PAGE_W - MARGIN, PAGE_H - MARGIN)
        canvas.drawRightString(PAGE_W - MARGIN, MARGIN - 8 * mm, w.t("page", n=doc.page))
        canvas.restoreState()


class _Writer:
    """Turns an assessment and its report into flowables, one method per section."""

    def __init__(self, assessment: Assessment, report: Report, lang: str):
        self.a, self.r, self.lang = assessment, report, lang
        self.regular, self.bold, self.chart_font = fonts()
        self.evidence = Evidence(assessment)
        self.sections = {"summary": self.summary, "maturity": self.maturity, "quality": self.quality,
                         "population": self.population, "linkage": self.linkage, "design": self.design, "register": self.register,
                         "workplan": self.workplan, "conditions": self.conditions, "annex": self.annex,
                         "glossary": self.glossary}
        base = dict(fontName=self.regular, fontSize=9.5, leading=13.5, textColor=INK, alignment=TA_LEFT)
        self.s = {
            "body": ParagraphStyle("body", spaceAfter=5, **base),
            "small": ParagraphStyle("small", **(base | dict(fontSize=8.5, leading=11.5))),
            "cell": ParagraphStyle("cell", **(base | dict(fontSize=8.5, leading=11))),
            "head": ParagraphStyle("head", **(base | dict(fontName=self.bold, fontSize=8.5, leading=11,
                                                           textColor=colors.white))),
            "h1": ParagraphStyle("Heading1", **(base | dict(fontName=self.bold, fontSize=17, leading=22,
                                                             textColor=ACCENT)), spaceAfter=8),
            "h2": ParagraphStyle("Heading2", **(base | dict(fontName=self.bold, fontSize=12, leading=16,
                                                             textColor=ACCENT)), spaceBefore=8, spaceAfter=4,
                                 keepWithNext=1),
            "h3": ParagraphStyle("h3", **(base | dict(fontName=self.bold, fontSize=10)), spaceBefore=4, spaceAfter=2),
            "title": ParagraphStyle("title", **(base | dict(fontName=self.bold, fontSize=26, leading=32,
                                                             textColor=colors.white))),
            "title_dark": ParagraphStyle("title_dark", **(base | dict(fontName=self.bold, fontSize=17, leading=22,
                                                                       textColor=ACCENT)), spaceAfter=10),
            "subtitle": ParagraphStyle("subtitle", **(base | dict(fontSize=13, leading=18,
                                                                   textColor=colors.white))),
        }

    # helpers ---------------------------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        return LABELS(key, self.lang, **values)

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), self.s[style])

    def pick(self, entry) -> str:
        return pick(entry, self.lang) if entry else ""

    def heading(self, number: int, key: str) -> Paragraph:
        return Paragraph(escape(f"{number}  {self.t(key)}"), self.s["h1"])

    def sub(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.s["h2"])

    def bullets(self, texts: list[str], style: str = "body") -> ListFlowable:
        return ListFlowable([ListItem(self.p(t, style), leftIndent=12) for t in texts],
                            bulletType="bullet", start="\u2022", leftIndent=12, bulletFontName=self.regular)

    def table(self, header: list[str], rows: list[list], widths: list[float],
              fills: dict[tuple[int, int], str] | None = None) -> Table:
        cells = [[Paragraph(escape(h), self.s["head"]) for h in header]] + [
            [c if not isinstance(c, str) else self.p(c, "cell") for c in row] for row in rows]
        table = Table(cells, colWidths=[w * TEXT_W for w in widths], repeatRows=1, hAlign="LEFT")
        style = [("BACKGROUND", (0, 0), (-1, 0), ACCENT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                 ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
        style += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(cells), 2)]
        style += [("BACKGROUND", (col, row + 1), (col, row + 1), colors.HexColor(fill))
                  for (row, col), fill in (fills or {}).items()]
        table.setStyle(TableStyle(style))
        return table

    def image(self, chart, max_width: float = TEXT_W) -> Image:
        data = charts.png(chart, self.chart_font, self.lang)
        w, h = ImageReader(BytesIO(data)).getSize()
        width = min(max_width, w * 0.36)
        return Image(BytesIO(data), width=width, height=h * width / w)

    def step_section(self, n: int, step: str, body) -> list:
        """A step's chapter: its body, or why the step was not run."""
        result = self.a.result(step)
        if result is None:
            reason = not_run_text(self.a, step)
            return [self.heading(n, f"sec_{step}"), self.p(self.pick(reason)), PageBreak()]
        return [self.heading(n, f"sec_{step}")] + self.extract_date(result) + body(result) + [PageBreak()]

    def extract_date(self, result: dict) -> list:
        """The extract date the step used and how it was decided (core.extract_date), for the
        steps that read dates (quality, population, design): the same date in every step."""
        basis = result.get("extract_date_basis") or (result.get("settings") or {}).get("extract_date_basis")
        return [self.p(self.pick(basis["explanation"]), "small")] if basis else []

    # cover and contents ---------------------------------------------------------------------
    def cover(self) -> list:
        people = [f"{p.get('name') or '-'} ({role_name(p['role'], self.lang)})" for p in self.a.participants]
        run = ", ".join(self.t(f"step_{s}") for s in self.r.steps_run) or "-"
        not_run = [s for s in STEPS if s not in self.r.steps_run]
        story = [Spacer(1, 12 * mm), self.p(self.t("doc_title"), "title"), Spacer(1, 4 * mm),
                 self.p(self.t("doc_subtitle"), "subtitle"), Spacer(1, 34 * mm),
                 self.p(self.a.municipality, "title_dark"),
                 self.p(self.t("cover_date", date=self.a.date)),
                 self.p(self.t("cover_steps_run", steps=run))]
        if not_run:
            story.append(self.p(self.t("cover_steps_not_run",
                                       steps=", ".join(self.t(f"step_{s}") for s in not_run))))
        story += [Spacer(1, 6 * mm), self.p(self.t("cover_participants"), "h3")]
        story += [self.bullets(people)] if people else [self.p(self.t("cover_no_participants"))]
        story += [Spacer(1, 10 * mm), self.p(self.t("cover_note"), "small"),
                  NextPageTemplate("body"), PageBreak()]
        return story

    def contents(self) -> list:
        toc = TableOfContents()
        toc.levelStyles = [ParagraphStyle("toc1", fontName=self.regular, fontSize=11, leading=20)]
        return [Paragraph(escape(self.t("toc")), self.s["title_dark"]), toc, PageBreak()]

    # sections -------------------------------------------------------------------------------
    def summary(self, n: int) -> list:
        story = [self.heading(n, "sec_summary"), self.p(self.t("summary_intro", weeks=self.r.total_weeks))]
        rows, fills = [], {}
        for i, light in enumerate(self.r.lights):
            rows.append([self.t(f"step_{light.step}"), self.t(f"light_{light.light}"), self.pick(light.headline)])
            fills[(i, 1)] = LIGHT_FILL[light.light]
        story += [self.sub(self.t("sub_lights")), self.table(
            [self.t("col_step"), self.t("col_light"), self.t("col_headline")], rows, [0.25, 0.25, 0.5], fills)]
        rows, fills = [], {}
        for i, gate in enumerate(self.r.gates):
            rows.append([self.pick(gate.title), self.t(gate.status), " ".join(self.pick(e) for e in gate.evidence)])
            fills[(i, 1)] = LIGHT_FILL[{True: "green", False: "red", None: "grey"}[gate.go]]
        story += [self.sub(self.t("sub_gates")), self.table(
            [self.t("col_item"), self.t("col_go"), self.t("col_evidence")], rows, [0.35, 0.12, 0.53], fills)]
        phase_names = {p.id: p.name for p in self.r.phases}
        story += [self.sub(self.t("sub_actions")), ListFlowable(
            [ListItem(self.p(f"{self.pick(task.text)} ({self.pick(phase_names[task.phase])})"), leftIndent=14)
             for task in self.r.actions], bulletType="1", leftIndent=14, bulletFontName=self.regular, bulletFontSize=9.5)
            if self.r.actions else self.p(self.t("no_actions"))]
        return story + [PageBreak()]

    def maturity(self, n: int) -> list:
        return self.step_section(n, "maturity", self._maturity)

    def _maturity(self, result: dict) -> list:
        story = []
        go = result["verdict"] == "go"
        story.append(self.p(self.t("maturity_go") if go else self.t("maturity_nogo")))
        if any(d.get("median") is not None for d in result["dimensions"]):
            story.append(self.image(charts.maturity(result, self.lang, setting("maturity_weak_below"))))
        rows = [[self.pick(d["name"]), number_text(d.get("median"), self.lang, 1),
                 number_text(d.get("weakest"), self.lang, 1),
                 self.t("word_yes") if d.get("disagreement") else self.t("word_no"), self.pick(d.get("recommendation"))]
                for d in result["dimensions"]]
        story += [self.sub(self.t("sub_dimensions")), self.table(
            [self.t("col_dimension"), self.t("col_median"), self.t("col_weakest"), self.t("col_disagreement"),
             self.t("col_recommendation")], rows, [0.2, 0.1, 0.12, 0.14, 0.44])]
        blocking = [f for f in result["findings"] if f["severity"] == "error"]
        if blocking:
            story += [self.sub(self.t("sub_blocking")), self.bullets(
                [f"{Finding.from_dict(f).title(self.lang)}: {self.message(f)}" for f in blocking])]
        return story

    def message(self, finding: dict) -> str:
        return Finding.from_dict(finding).message(self.lang)

    def findings_table(self, findings: list[dict]) -> list:
        findings = [f for f in findings if f["severity"] != "ok"]
        if not findings:
            return [self.p(self.t("no_findings"))]
        rows, fills = [], {}
        for i, f in enumerate(sort_findings([Finding.from_dict(f) for f in findings])):
            where = ".".join(x for x in (f.table, f.column) if x)
            small = is_small(f.count) or f.is_withheld("count")
            share = percent_text(f.share, self.lang) if f.share is not None and not small else "-"
            rows.append([severity_label(f.severity, self.lang),
                         Paragraph(f"{escape(f.title(self.lang))}<br/><font color='#555555'>{escape(where)}</font>",
                                   self.s["cell"]),
                         count_text(f.count, self.lang) if f.count is not None or small else "-", share,
                         self.t("message_withheld") if small else f.message(self.lang)])
            fills[(i, 0)] = LIGHT_FILL[{"error": "red", "warning": "amber"}.get(f.severity, "grey")]
        return [self.table([self.t("col_severity"), self.t("col_finding"), self.t("col_count"),
                            self.t("col_share"), self.t("col_message")], rows,
                           [0.17, 0.28, 0.1, 0.11, 0.34], fills),
                self.p(self.t("counts_note"), "small")]

    def quality(self, n: int) -> list:
        return self.step_section(n, "quality", self._quality)

    def _quality(self, result: dict) -> list:
        story = []
        story.append(self.p(self.t("quality_intro",
                                   errors=result["summary"].get("error", 0),
                                   warnings=result["summary"].get("warning", 0))))
        tables = result.get("tables") or {}
        if tables:
            story += [self.sub(self.t("sub_tables")), self.table(
                [self.t("col_table"), self.t("col_rows"), self.t("col_columns")],
                [[name, count_text(t.get("rows"), self.lang), str(_n(t.get("columns")))] for name, t in tables.items()],
                [0.4, 0.3, 0.3])]
        story += [self.sub(self.t("sub_findings"))]
        if any(f["severity"] in charts.SEVERITY_COLOURS for f in result["findings"]):
            story.append(self.image(charts.findings(result["findings"], self.lang)))
        story += self.findings_table(result["findings"])
        eras = result.get("eras") or []
        if eras:
            story += [self.sub(self.t("sub_eras")), self.table(
                [self.t("col_from"), self.t("col_to"), self.t("col_appearing"), self.t("col_disappearing")],
                [[format_month(e.get("start"), self.lang), format_month(e.get("end"), self.lang),
                  ", ".join(e.get("codes_appearing") or []) or "-",
                  ", ".join(e.get("codes_disappearing") or []) or "-"] for e in eras], [0.18, 0.18, 0.32, 0.32])]
        return story

    def population(self, n: int) -> list:
        return self.step_section(n, "population", self._population)

    def _population(self, result: dict) -> list:
        from population import PopulationResult, report_section
        styles = {name: self.s[name] for name in ("h2", "h3", "body", "cell", "head")}
        return report_section(PopulationResult.from_dict(result), self.lang, styles)[1:]   # our own heading

    def linkage(self, n: int) -> list:
        return self.step_section(n, "linkage", self._linkage)

    def _linkage(self, result: dict) -> list:
        story = []
        story.append(self.p(self.t("linkage_verdict", verdict=verdict_label("linkage", result["verdict"], self.lang))))
        rate = result.get("predicted_link_rate") or {}
        if rate.get("value") is not None:
            story += [self.image(charts.link_rate(result, self.lang, setting("good_link_rate"))),
                      self.p(self.pick(rate.get("basis")), "small")]
        verdict_ids = set(result.get("reasons", []))
        reasons = [self.message(f) for f in result["findings"] if f["id"] in verdict_ids]
        if reasons:
            story += [self.sub(self.t("sub_reasons")), self.bullets(reasons)]
        data = [f for f in result["findings"] if f["id"] not in verdict_ids]
        story += [self.sub(self.t("sub_key_findings"))] + self.findings_table(data)
        files = (result.get("microdata_plan") or {}).get("files") or []
        if files:
            story += [self.sub(self.t("sub_microdata")), self.table(
                [self.t("col_file"), self.t("col_needed_for"), self.t("col_permission"), self.t("col_status")],
                [[f["id"], ", ".join(need_labels(self.lang).get(n, n) for n in f.get("needed_for", [])), self.t("word_yes") if f.get("permission") else self.t("word_no"),
                  self.pick(f.get("status_text")) or f.get("status", "")] for f in files],
                [0.27, 0.26, 0.16, 0.31]),
                self.p(self.t("microdata_note"), "small")]
        items = result.get("checklist") or []
        if items:
            rows, fills = [], {}
            for i, item in enumerate(items):
                rows.append([checklist_name(item["id"], self.lang),
                             self.t("done") if item.get("done") else self.t("open")])
                fills[(i, 1)] = LIGHT_FILL["green" if item.get("done") else "amber"]
            story += [self.sub(self.t("sub_checklist")),
                      self.table([self.t("col_item"), self.t("col_state")], rows, [0.75, 0.25], fills)]
        return story

    def design(self, n: int) -> list:
        return self.step_section(n, "design", self._design)

    def _design(self, result: dict) -> list:
        story = []
        frame = result.get("frame") or {}
        if frame:
            story.append(self.p(self.t("design_frame", clients=count_text(frame.get("analysed"), self.lang),
                                       caseworkers=count_text(frame.get("caseworkers"), self.lang))))
        rows, fills = [], {}
        for i, d in enumerate(result["designs"]):
            reasons = [" ".join(filter(None, (self.message(f), Finding.from_dict(f).advice(self.lang)
                                               if f["severity"] == "error" else "")))
                       for f in design_findings(result, d["design"]) if f["severity"] != "ok"]
            rows.append([design_name(d["design"], self.lang), verdict_label("design", d["verdict"], self.lang),
                         " ".join(reasons)])
            fills[(i, 1)] = LIGHT_FILL[verdict_light("design", d["verdict"])]
        story += [self.sub(self.t("sub_designs")), self.table(
            [self.t("col_design"), self.t("col_verdict"), self.t("col_reasons")], rows, [0.3, 0.17, 0.53], fills)]
        rows, fills = [], {}
        diagnostics = [Finding.from_dict(f) for f in result["findings"] if f.get("source")]  # as on the page
        for i, d in enumerate(diagnostics):
            rows.append([d.title(self.lang), d.value_text(self.lang),
                         number_text(d.threshold, self.lang), severity_label(d.severity, self.lang),
                         d.message(self.lang)])
            fills[(i, 3)] = LIGHT_FILL[{"ok": "green", "warning": "amber"}.get(d.severity, "red")]
        story += [self.sub(self.t("sub_diagnostics")), self.table(
            [self.t("col_diagnostic"), self.t("col_value"), self.t("col_norm"), self.t("col_verdict"),
             self.t("col_explanation")], rows, [0.22, 0.11, 0.11, 0.13, 0.43], fills),
                  self.p(self.t("counts_note"), "small")]
        if result.get("estimates"):
            story.append(KeepTogether([self.sub(self.t("sub_estimates")), self.p(self.t("estimates_intro", reference=reference_of(result))),
                                       self.image(charts.estimates(result, self.lang))]))
        if result.get("grey_area"):
            story.append(KeepTogether([self.sub(self.t("sub_grey_area")), self.p(self.t("grey_intro")),
                                       self.image(charts.grey_area(result, self.lang))]))
        return story + design_checks(self, result)

    def register(self, n: int) -> list:
        story = [self.heading(n, "sec_register"), self.p(self.t("register_intro"))]
        headings = content("register")["headings"]
        for key, title in headings.items():
            texts = [self.pick(e.text) for e in self.r.register if e.heading == key]
            story += [self.sub(self.pick(title)), self.bullets(texts) if texts else self.p(self.t("none"))]
        return story + [PageBreak()]

    def workplan(self, n: int) -> list:
        story = [self.heading(n, "sec_workplan"), self.p(self.t("workplan_intro", weeks=self.r.total_weeks)),
                 self.image(charts.gantt(self.r, self.lang)), self.p(self.t("gantt_note"), "small")]
        names = {p.id: self.pick(p.name) for p in self.r.phases}
        for i, phase in enumerate(self.r.phases, start=1):
            facts = [self.t("phase_weeks", start=phase.start_week, end=phase.end_week, weeks=phase.weeks),
                     self.t("phase_roles", roles=", ".join(role_name(r, self.lang) for r in phase.roles))]
            if phase.depends_on:
                facts.append(self.t("phase_after", phases=", ".join(names[d] for d in phase.depends_on)))
            tasks = [(self.t("priority_mark") + " " if t.priority == 1 else "") + self.pick(t.text) for t in phase.tasks]
            story.append(KeepTogether([self.sub(f"{i}. {names[phase.id]}"), self.p(" | ".join(facts), "small"),
                                       self.bullets(tasks)]))
        return story + [PageBreak()]

    def conditions(self, n: int) -> list:
        story = [self.heading(n, "sec_conditions"), self.p(self.t("conditions_intro"))]
        groups = content("conditions")["groups"]
        for group, title in groups.items():
            rows, fills = [], {}
            for i, c in enumerate([c for c in self.r.conditions if c.group == group]):
                status = self.t("status_met") if c.met else self.t("status_todo")
                evidence = " ".join(self.pick(e) for e in c.evidence)
                if not c.met:
                    evidence += " " + self.t("todo_prefix") + " " + self.pick(c.todo)
                rows.append([Paragraph(f"<b>{escape(self.pick(c.title))}</b><br/><font color='#555555'>{escape(self.pick(c.why))}</font>",
                                       self.s["cell"]), status, evidence])
                fills[(i, 1)] = LIGHT_FILL["green" if c.met else ("amber" if c.decided else "grey")]
            story += [self.sub(self.pick(title)), self.table(
                [self.t("col_condition"), self.t("col_state"), self.t("col_evidence")], rows, [0.38, 0.1, 0.52], fills)]
        return story + [PageBreak()]

    def annex(self, n: int) -> list:
        annex = content("annex")
        story = [Paragraph(escape(f"{n}  {self.pick(annex['title'])}"), self.s["h1"])]
        for paragraph in annex["paragraphs"]:
            outcome = self.evidence.evaluate(paragraph["when"])
            if outcome.value:
                story += [self.sub(self.pick(paragraph["heading"])),
                          self.p(fill(paragraph["text"], self.evidence, outcome)[self.lang])]
        return story + [PageBreak()]

    def glossary(self, n: int) -> list:
        terms = sorted(content("glossary")["terms"], key=lambda e: self.pick(e["term"]).lower())
        rows = [[Paragraph(f"<b>{escape(self.pick(e['term']))}</b>", self.s["cell"]), self.pick(e["text"])]
                for e in terms]
        return [self.heading(n, "sec_glossary"), self.table([self.t("col_term"), self.t("col_meaning")], rows, [0.3, 0.7])]
