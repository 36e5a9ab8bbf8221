"""The jaaroverzicht as PDF (for the college) and as CSV (for a spreadsheet).

Both hold only counts per category and quarter: no case label, no free text, no
date finer than a quarter. With `suppress=True` counts of 1 to 4 read "<5" (see
`aandacht.domain.stats`), for figures that leave the gemeente.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Table, TableStyle

from aandacht.domain.stats import (
    MASK,
    PERIOD_NOTE,
    QUARTER_LABELS,
    SMALL_CELL,
    SUPPRESSION_NOTE,
    TOTAL_LABEL,
    AnnualOverview,
    CountRow,
    Dimension,
)
from aandacht.reports.pdfbase import (
    ACCENT,
    FONT,
    FONT_BOLD,
    INK,
    RULE,
    SHADE,
    build_pdf,
    markup,
    para,
    spacer,
    styles,
    text,
)

CONTENT_WIDTH = A4[0] - 36 * mm
LABEL_WIDTH = 70 * mm


def _count_table(rows: list[CountRow], suppress: bool, total: CountRow | None = None) -> Table:
    s = styles()
    num_head = ParagraphStyle("num_head", parent=s["label"], alignment=TA_RIGHT)
    head = [para("Categorie", "label")] + [
        Paragraph(text(q).replace(" ", "<br/>", 1), num_head) for q in QUARTER_LABELS
    ] + [Paragraph(text(TOTAL_LABEL), num_head)]
    data = [head]
    for r in rows:
        data.append([para(r.label)] + r.cells(suppress))
    if total is not None:
        data.append([markup(f"<b>{text(total.label)}</b>", "body")] + total.cells(suppress))
    n_cols = len(QUARTER_LABELS) + 1
    num_w = (CONTENT_WIDTH - LABEL_WIDTH) / n_cols
    table = Table(data, colWidths=[LABEL_WIDTH] + [num_w] * n_cols, hAlign="LEFT",
                  repeatRows=1)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("FONT", (1, 1), (-1, -1), FONT, s["body"].fontSize),
        ("TEXTCOLOR", (1, 1), (-1, -1), INK),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("FONT", (-1, 1), (-1, -1), FONT_BOLD, s["body"].fontSize),
        ("LINEBEFORE", (-1, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (1, 0), (-1, -1), 6),
    ]
    if total is not None:
        style += [("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
                  ("FONT", (1, -1), (-1, -1), FONT_BOLD, s["body"].fontSize)]
    table.setStyle(TableStyle(style))
    return table


def _dimension_block(dim: Dimension, suppress: bool) -> list:
    parts = [markup(text(dim.title), "h2")]
    if dim.rows:
        parts.append(_count_table(list(dim.rows), suppress))
    else:
        parts.append(para("Geen casussen in dit jaar.", "small"))
    if dim.note:
        parts += [spacer(1.2), para(dim.note, "small")]
    return [CondPageBreak(45 * mm), KeepTogether(parts)]


def _explanation_box(suppress: bool) -> Table:
    lines = [PERIOD_NOTE]
    if suppress:
        lines.append(SUPPRESSION_NOTE)
    else:
        lines.append(
            f"Dit overzicht toont de exacte aantallen en is bedoeld voor gebruik binnen de "
            f"gemeente. Maak voor gebruik daarbuiten een versie waarin aantallen van 1 tot en met "
            f"{SMALL_CELL - 1} als '{MASK}' staan.")
    lines.append("Het overzicht bevat alleen aantallen per categorie: geen casusnamen, geen "
                 "notities en geen datums fijner dan een kwartaal.")
    box = Table([[[para(x) for x in lines]]], colWidths=[CONTENT_WIDTH])
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("LINEBEFORE", (0, 0), (0, -1), 2.5, ACCENT),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return box


def build_annual_pdf(overview: AnnualOverview, gemeente: str, year: int, suppress: bool,
                     invariant: bool = False, *, generated_on: dt.date | None = None) -> bytes:
    if overview.year != year:
        raise ValueError("overview and year differ")
    generated_on = generated_on or dt.date.today()
    gemeente = (gemeente or "").strip() or "Gemeente (naam niet ingesteld)"
    use = "voor gebruik buiten de gemeente (kleine aantallen afgeschermd)" if suppress else \
        "voor intern gebruik (exacte aantallen)"
    story = [
        para(f"Jaaroverzicht mensenhandel {year}", "h1"),
        para(f"{gemeente} · aandachtsfunctionaris mensenhandel", "body"),
        para(f"Gemaakt op {generated_on.strftime('%d-%m-%Y')}, {use}.", "small"),
        spacer(4),
        _explanation_box(suppress),
        markup("Nieuwe casussen", "h2"),
        _count_table([], suppress, total=overview.cases),
    ]
    if overview.empty:
        story += [spacer(2), para(f"In {year} zijn geen casussen geopend.", "body")]
    for dim in overview.dimensions:
        story += _dimension_block(dim, suppress)
    footer = f"Jaaroverzicht {year} · {'extern (<5 afgeschermd)' if suppress else 'intern'}"
    return build_pdf(story, header_left=f"{gemeente} · Jaaroverzicht mensenhandel",
                     header_right="Alleen aantallen" if suppress else "Intern",
                     footer_left=f"{footer} · gemaakt op {generated_on.strftime('%d-%m-%Y')}",
                     invariant=invariant)


CSV_HEADER = ["onderdeel", "categorie", "K1", "K2", "K3", "K4", "jaar", "toelichting"]


def annual_csv(overview: AnnualOverview, suppress: bool) -> str:
    """Semicolon-separated (Dutch Excel), no BOM; one line per category, quarters as columns."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(CSV_HEADER)
    w.writerow(["Nieuwe casussen", "Alle casussen", *overview.cases.cells(suppress),
                PERIOD_NOTE + (" " + SUPPRESSION_NOTE if suppress else "")])
    for dim in overview.dimensions:
        for r in dim.rows:
            w.writerow([dim.title, r.label, *r.cells(suppress), dim.note])
    return buf.getvalue()


__all__ = ["build_annual_pdf", "annual_csv", "CSV_HEADER"]
