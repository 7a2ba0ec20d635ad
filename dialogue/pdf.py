"""The printable card set (reportlab): the facilitator's guide, then one A4 page of ten cards
per fictional person, with cut marks. The characteristic on each card is printed in the colour
and font of its source; the card is yellow for a person who found work and green otherwise
(as in the report's game). DejaVu fonts are used when installed (Debian's fonts-dejavu-core),
otherwise reportlab's built-in fonts."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, ListFlowable, ListItem, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle)

from core.texts import pick
from dialogue.cards import TEXTS, cards_of, data, persons

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
PAGE_W, PAGE_H = A4
CARD_W, CARD_H = 85 * mm, 54 * mm
COLS, ROWS = 2, 5
YELLOW, GREEN = colors.HexColor("#FFF3B0"), colors.HexColor("#CDEBC5")

# font role -> (DejaVu file, built-in fallback)
FONT_FILES = {"sans": ("DejaVuSans.ttf", "Helvetica"), "bold": ("DejaVuSans-Bold.ttf", "Helvetica-Bold"),
              "serif": ("DejaVuSerif.ttf", "Times-Roman"), "serif_bold": ("DejaVuSerif-Bold.ttf", "Times-Bold"),
              "mono": ("DejaVuSansMono.ttf", "Courier"),
              "condensed": ("DejaVuSansCondensed-Oblique.ttf", "Helvetica-Oblique")}


def fonts() -> dict[str, str]:
    """Font name per role: a DejaVu face when installed, else a built-in font."""
    names = {}
    for role, (file, fallback) in FONT_FILES.items():
        path = DEJAVU / file
        name = "Dialogue-" + path.stem
        if path.is_file():
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            names[role] = name
        else:
            names[role] = fallback
    return names


class CardSheet(Flowable):
    """One page of cards of one person, drawn in page coordinates (the frame is the page)."""

    def __init__(self, person, number: int, lang: str, font: dict):
        super().__init__()
        self.person, self.number, self.lang, self.font = person, number, lang, font

    def wrap(self, available_width, available_height):
        return available_width, available_height

    def draw(self):
        c = self.canv
        conf = data()
        left = (PAGE_W - COLS * CARD_W) / 2
        bottom = (PAGE_H - ROWS * CARD_H) / 2
        outcome = TEXTS("card.found_work" if self.person.found_work else "card.no_work", self.lang)
        c.setFont(self.font["sans"], 7)
        c.setFillColor(colors.HexColor("#555555"))
        c.drawString(left, PAGE_H - bottom + 4 * mm, TEXTS("cards.title", self.lang, number=self.number, outcome=outcome))
        for i, card in enumerate(cards_of(self.person, self.lang)):
            col, row = i % COLS, i // COLS
            x, y = left + col * CARD_W, PAGE_H - bottom - (row + 1) * CARD_H
            self._card(c, x, y, card, conf["sources"][card["source"]])
        self._cut_marks(c, left, bottom)

    def _card(self, c, x, y, card, source):
        pad = 5 * mm
        c.setFillColor(YELLOW if self.person.found_work else GREEN)
        c.setStrokeColor(colors.HexColor("#BBBBBB"))
        c.setLineWidth(0.3)
        c.rect(x + 1.5 * mm, y + 1.5 * mm, CARD_W - 3 * mm, CARD_H - 3 * mm, fill=1, stroke=1)
        c.setFillColor(colors.black)
        c.setFont(self.font["bold"], 13)
        c.drawString(x + pad, y + CARD_H - pad - 9, self.person.name)
        c.setFont(self.font["sans"], 9)
        label = TEXTS("card.number", self.lang)
        c.drawRightString(x + CARD_W - pad - 18 * mm, y + CARD_H - pad - 8, label)
        c.rect(x + CARD_W - pad - 16 * mm, y + CARD_H - pad - 12, 16 * mm, 7 * mm, fill=0, stroke=1)
        c.setFillColor(colors.HexColor(source["colour"]))
        c.setFont(self.font[source["font"]], 11)
        c.drawString(x + pad, y + CARD_H / 2, card["label"])
        c.setFont(self.font[source["font"]], 20)
        c.drawString(x + pad, y + CARD_H / 2 - 9 * mm, card["value"])
        c.setFont(self.font[source["font"]], 6.5)
        c.drawString(x + pad, y + pad - 1 * mm, pick(source["label"], self.lang))

    @staticmethod
    def _cut_marks(c, left, bottom):
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.4)
        length, gap = 4 * mm, 1 * mm
        xs = [left + i * CARD_W for i in range(COLS + 1)]
        ys = [bottom + j * CARD_H for j in range(ROWS + 1)]
        for x in xs:   # marks above and below the grid
            c.line(x, bottom - gap, x, bottom - gap - length)
            c.line(x, PAGE_H - bottom + gap, x, PAGE_H - bottom + gap + length)
        for y in ys:   # marks left and right of the grid
            c.line(left - gap, y, left - gap - length, y)
            c.line(left + COLS * CARD_W + gap, y, left + COLS * CARD_W + gap + length, y)


def _guide(lang: str, n: int, font: dict) -> list:
    t = lambda key, **v: TEXTS(key, lang, **v)  # noqa: E731
    base = dict(fontName=font["sans"], fontSize=10, leading=14)
    body = ParagraphStyle("body", **base, spaceAfter=4)
    h1 = ParagraphStyle("h1", **(base | dict(fontName=font["bold"], fontSize=18, leading=24)), spaceAfter=8)
    h2 = ParagraphStyle("h2", **(base | dict(fontName=font["bold"], fontSize=12, leading=16)), spaceBefore=8, spaceAfter=4)
    conf = data()
    bullets = lambda items, kind="bullet": ListFlowable(  # noqa: E731
        [ListItem(Paragraph(escape(pick(i, lang)), body)) for i in items], bulletType=kind,
        **({"start": "\u2022"} if kind == "bullet" else {}), leftIndent=14, bulletFontName=font["sans"])
    story = [Paragraph(escape(t("guide.title")), h1), Paragraph(escape(t("guide.intro")), body),
             Paragraph(escape(t("guide.material", cards=len(conf["attributes"]), persons=n)), body),
             Paragraph(escape(t("guide.sources")), h2)]
    rows = []
    for source in conf["sources"].values():
        style = ParagraphStyle("src", **(base | dict(fontName=font[source["font"]],
                                                    textColor=colors.HexColor(source["colour"]))))
        rows.append([Paragraph(escape(pick(source["label"], lang)), style)])
    table = Table(rows, colWidths=[160 * mm])
    table.setStyle(TableStyle([("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 2)]))
    story += [table, Paragraph(escape(t("guide.steps")), h2), bullets(TEXTS.entries["steps"], "1"),
              Paragraph(escape(t("guide.questions")), h2)]
    for block in TEXTS.entries["questions"].values():
        story += [Paragraph(f"<b>{escape(pick(block['label'], lang))}</b>", body), bullets(block["items"])]
    story += [Paragraph(escape(t("guide.earlier")), h2), bullets(TEXTS.entries["earlier"]),
              Spacer(1, 6), Paragraph(escape(t("guide.record")), body)]
    return story


def build_pdf(n_persons: int = 12, seed: int = 2018, lang: str = "nl") -> bytes:
    """The guide and the cards of `n_persons` invented persons, as PDF bytes."""
    font = fonts()
    buffer = BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, title=TEXTS("title", lang), author="Evaluatiescan re-integratie")
    margin = 20 * mm
    doc.addPageTemplates([
        PageTemplate("guide", [Frame(margin, margin, PAGE_W - 2 * margin, PAGE_H - 2 * margin)]),
        PageTemplate("cards", [Frame(0, 0, PAGE_W, PAGE_H, leftPadding=0, rightPadding=0,
                                     topPadding=0, bottomPadding=0)])])
    story = _guide(lang, n_persons, font) + [NextPageTemplate("cards"), PageBreak()]
    for number, person in enumerate(persons(n_persons, seed), start=1):
        story.append(CardSheet(person, number, lang, font))
        if number < n_persons:
            story.append(PageBreak())
    doc.build(story)
    return buffer.getvalue()
