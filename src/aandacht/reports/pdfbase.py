"""Shared PDF plumbing: embedded fonts, styles, the A4 page frame, metadata hygiene.

Every PDF is built in memory and returned as bytes; only the caller writes it, and
only to a path the AF chose. The document metadata never names a case: title,
author and subject are fixed, generic strings.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from aandacht.content import resource_root

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#7a1f3d")  # the app's wine red, also used in the UI
RULE = colors.HexColor("#cbd2d9")
SHADE = colors.HexColor("#f5f7fa")


@cache
def register_fonts() -> None:
    """Embed DejaVu Sans: full Latin incl. Dutch diacritics, Greek, Cyrillic, basic Arabic."""
    fonts = resource_root() / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=13, textColor=INK,
                          alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "label": ParagraphStyle("label", parent=base, fontName=FONT_BOLD, fontSize=8.5,
                                leading=11, textColor=MUTED),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20,
                             textColor=INK, spaceAfter=2 * mm),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=15,
                             textColor=ACCENT, spaceBefore=4 * mm, spaceAfter=1.5 * mm),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13,
                             spaceBefore=2 * mm, spaceAfter=1 * mm),
        "banner": ParagraphStyle("banner", parent=base, fontName=FONT_BOLD, fontSize=9,
                                 textColor=colors.white),
    }


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value: object) -> str:
    """Escape user text for a Paragraph; keep line breaks; drop control characters."""
    s = _CONTROL.sub("", "" if value is None else str(value))
    return escape(s).replace("\n", "<br/>")


def para(value: object, style: str = "body") -> Paragraph:
    return Paragraph(text(value), styles()[style])


def markup(value: str, style: str = "body") -> Paragraph:
    """A paragraph from trusted, already-escaped markup (our own strings)."""
    return Paragraph(value, styles()[style])


# The ruled label/value look shared by every sheet and report.
FIELD_TABLE_STYLE = TableStyle([
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ("LEFTPADDING", (0, 0), (-1, -1), 2),
])
CONTENT_WIDTH = A4[0] - 36 * mm


def field_table(rows: Sequence[tuple[str, object]], label_width: float = 55 * mm,
                width: float = CONTENT_WIDTH, empty: str = "niet bekend") -> Table:
    """Two-column label/value table, the backbone of every sheet."""
    data = [[para(label, "label"), para(value if value not in (None, "") else empty)]
            for label, value in rows]
    table = Table(data, colWidths=[label_width, width - label_width], hAlign="LEFT")
    table.setStyle(FIELD_TABLE_STYLE)
    return table


def grid_table(header: Sequence[str], rows: Sequence[Sequence[object]],
               col_widths: Sequence[float] | None = None) -> Table:
    data = [[para(h, "label") for h in header]]
    data += [[para(c) for c in row] for row in rows]
    table = Table(data, colWidths=col_widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def spacer(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


def build_pdf(
    story: list[Flowable],
    *,
    header_left: str,
    header_right: str = "Vertrouwelijk",
    footer_left: str = "",
    invariant: bool = False,
    extra_page: Callable | None = None,
) -> bytes:
    """Lay out `story` on A4 with a header band and 'pagina X van Y' in the footer.

    `header_left` and `footer_left` are generic strings (gemeente, document kind,
    sheet number), never a case label. `invariant=True` gives byte-identical output
    for tests.
    """
    register_fonts()
    buf = io.BytesIO()

    class _Doc(SimpleDocTemplate):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self._page_total = 0

    def _frame(canvas, doc):
        canvas.saveState()
        w, h = A4
        canvas.setFillColor(ACCENT)
        canvas.rect(0, h - 14 * mm, w, 14 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT_BOLD, 9.5)
        canvas.drawString(18 * mm, h - 9 * mm, header_left)
        canvas.drawRightString(w - 18 * mm, h - 9 * mm, header_right.upper())
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 7.5)
        canvas.drawString(18 * mm, 10 * mm, footer_left)
        total = getattr(doc, "_page_total", 0)
        page = canvas.getPageNumber()
        canvas.drawRightString(w - 18 * mm, 10 * mm,
                               f"pagina {page} van {total}" if total else f"pagina {page}")
        if extra_page:
            extra_page(canvas, doc)
        canvas.restoreState()

    def _make(target, total: int) -> _Doc:
        doc = _Doc(
            target, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
            topMargin=22 * mm, bottomMargin=18 * mm,
            title="Document", author="", subject="", creator="", producer="",
            keywords="", invariant=1 if invariant else 0, pageCompression=1,
        )
        doc._page_total = total
        return doc

    # Two passes: the first counts pages so the footer can say "van Y".
    counter = _make(io.BytesIO(), 0)
    counter.build(_clone(story), onFirstPage=_frame, onLaterPages=_frame)
    total = counter.page
    doc = _make(buf, total)
    doc.build(_clone(story), onFirstPage=_frame, onLaterPages=_frame)
    return buf.getvalue()


def _clone(story: list[Flowable]) -> list[Flowable]:
    # Platypus flowables keep layout state after a build; rebuilding from deep copies
    # keeps the second pass identical to the first.
    import copy

    return [copy.deepcopy(f) for f in story]
