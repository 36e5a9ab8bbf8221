"""The handover sheet (overdrachtsformulier) and the disclosure-log export as PDF bytes.

Both are built in memory; only the service writes them, and only to a path the AF
chose. The PDF metadata is the fixed generic set from pdfbase: nothing about the case.
The sheet prints exactly the rows of a `HandoverSheet` (already filtered by the form's
rules); this module decides layout, never content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Table, TableStyle

from aandacht.domain.handover import HandoverSheet, format_date
from aandacht.reports.pdfbase import (
    ACCENT,
    FONT,
    INK,
    MUTED,
    RULE,
    SHADE,
    build_pdf,
    field_table,
    markup,
    para,
    spacer,
    text,
)

CONTENT_WIDTH = A4[0] - 36 * mm


def gemeente_title(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return "Gemeente"
    return name if name.lower().startswith("gemeente") else f"Gemeente {name}"


def _meta_table(sheet: HandoverSheet) -> Table:
    s = sheet.sender
    lw = 30 * mm
    vw = CONTENT_WIDTH / 2 - lw
    rows = [
        [para("Bladnummer", "label"), markup(f"<b>{text(sheet.number)}</b>"),
         para("Datum", "label"), para(format_date(sheet.created_on))],
        [para("Van", "label"), para(f"{gemeente_title(sheet.gemeente)}, "
                                    "aandachtsfunctionaris mensenhandel"), "", ""],
        [para("Afzender", "label"),
         para(" · ".join(x for x in (s.name, s.function) if x)), "", ""],
        [para("Werkcontact", "label"), para(s.contact), "", ""],
        [para("Aan", "label"), markup(f"<b>{text(sheet.recipient)}</b>"), "", ""],
        [para("Doel", "label"), para(sheet.purpose), "", ""],
    ]
    table = Table(rows, colWidths=[lw, vw, lw, vw], hAlign="LEFT")
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
    ]
    style += [("SPAN", (1, i), (3, i)) for i in range(1, len(rows))]
    table.setStyle(TableStyle(style))
    return table


def _basis_block(sheet: HandoverSheet) -> list[Flowable]:
    out: list[Flowable] = [markup("Grondslag voor deze verstrekking", "h2")]
    rows: list[list[Flowable]] = [[
        para("Minimale overdracht", "label"),
        para(sheet.default_basis),
    ]]
    if not sheet.grounds:
        rows.append([para("Aanvullende grondslag", "label"),
                     para("Geen. Er staan geen gegevens op dit blad die een vastgelegde "
                          "grondslag nodig hebben.")])
    for g in sheet.grounds:
        body = [
            markup(f"<b>{text(g.label)}</b>. {text(g.legal)}"),
            markup(f"<font color='#52606d'>Motivering (samenvatting):</font> {text(g.motivation)}"),
            markup(f"<font color='#52606d'>Besloten door</font> {text(g.decided_by)} "
                   f"<font color='#52606d'>op</font> {format_date(g.recorded_on)}"),
            markup(f"<font color='#52606d'>Geldt voor:</font> {text(', '.join(g.fields))}"),
        ]
        rows.append([para("Aanvullende grondslag", "label"), body])
    table = Table(rows, colWidths=[38 * mm, CONTENT_WIDTH - 38 * mm], hAlign="LEFT")
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBEFORE", (0, 0), (0, -1), 2.2, ACCENT),
        ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ]
    table.setStyle(TableStyle(style))
    out.append(table)
    return out


def _sections(sheet: HandoverSheet) -> list[Flowable]:
    out: list[Flowable] = []
    current: str | None = None
    rows: list[tuple[str, str]] = []
    title = ""

    def flush() -> None:
        if rows:
            # Keep a heading with at least its first rows; a long section may still split.
            out.append(CondPageBreak(30 * mm))
            out.append(markup(text(title), "h2"))
            out.append(field_table(list(rows), label_width=62 * mm))

    for row in sheet.rows:
        if row.section_id != current:
            flush()
            rows = []
            current, title = row.section_id, row.section
        rows.append((row.label, row.value))
    flush()
    return out


class _Lines(Flowable):
    """A signature area: a caption and ruled lines to write on."""

    def __init__(self, width: float, captions: Sequence[str], prefilled: Sequence[str] = ()):
        super().__init__()
        self.width = width
        self.captions = list(captions)
        self.prefilled = list(prefilled) + [""] * (len(captions) - len(prefilled))
        # The last line is for a signature and gets more room than name and date.
        self.heights = [10 * mm] * (len(captions) - 1) + [16 * mm]
        self.height = sum(self.heights)

    def wrap(self, avail_w, avail_h):
        return self.width, self.height

    def draw(self):
        c = self.canv
        top = self.height
        for caption, value, h in zip(self.captions, self.prefilled, self.heights):
            top -= h
            y = top + 2 * mm
            c.setFont(FONT, 7.5)
            c.setFillColor(MUTED)
            c.drawString(0, y + h - 4.8 * mm, caption)
            c.setStrokeColor(RULE if not value else colors.white)
            c.setLineWidth(0.6)
            c.line(0, y, self.width - 4 * mm, y)
            if value:
                c.setFillColor(INK)
                c.setFont(FONT, 9)
                c.drawString(0, y + 1 * mm, value)
                c.setStrokeColor(RULE)
                c.line(0, y - 0.6 * mm, self.width - 4 * mm, y - 0.6 * mm)


def _signature_block(sheet: HandoverSheet) -> Flowable:
    half = CONTENT_WIDTH / 2
    sender = _Lines(half - 6 * mm, ["Naam", "Datum", "Handtekening"],
                    [sheet.sender.name, format_date(sheet.created_on)])
    receipt = _Lines(half - 6 * mm, ["Ontvangen door (naam)", "Datum", "Handtekening"])
    table = Table(
        [[markup("<b>Verzonden door</b>"), markup("<b>Ontvangstbevestiging</b>")],
         [para("Aandachtsfunctionaris mensenhandel", "small"),
          para(f"Graag ondertekend terug naar de afzender, met bladnummer {sheet.number}.",
               "small")],
         [sender, receipt]],
        colWidths=[half, half], hAlign="LEFT",
    )
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (0, -1), 0.6, RULE),
        ("BOX", (1, 0), (1, -1), 0.6, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, 0), 4),
        ("TOPPADDING", (0, 2), (-1, 2), 4),
        ("BOTTOMPADDING", (0, 2), (-1, 2), 4),
    ]))
    return table


def _handling_block(sheet: HandoverSheet) -> Table:
    table = Table([[para(sheet.handling, "small")]], colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, ACCENT),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def build_handover_pdf(sheet: HandoverSheet, invariant: bool = False) -> bytes:
    """A4, Dutch, one sheet; page numbers by pdfbase; metadata generic."""
    story: list[Flowable] = [
        markup(text(sheet.title), "h1"),
        para("Overdrachtsformulier mensenhandel. Dit blad bevat alleen de gegevens hieronder; "
             "de rest van het dossier blijft bij de gemeente.", "small"),
        spacer(3),
        _meta_table(sheet),
    ]
    story += _basis_block(sheet)
    story += _sections(sheet)
    story += [
        spacer(5),
        KeepTogether([_handling_block(sheet), spacer(4), _signature_block(sheet)]),
    ]
    return build_pdf(
        story,
        header_left=f"{gemeente_title(sheet.gemeente)} · Overdracht {sheet.recipient_short}",
        footer_left=f"Bladnummer {sheet.number} · formulier {sheet.recipient_short} "
                    f"versie {sheet.form_version}",
        invariant=invariant,
    )


# --- the disclosure log (for an inzageverzoek or the FG) -------------------------------


@dataclass(frozen=True)
class LogLine:
    seq: int
    when: str  # dd-mm-yyyy hh:mm
    recipient: str
    action: str
    sheet_number: str
    fields: str
    ground: str
    decided_by: str
    pdf_sha256: str


def build_disclosure_log_pdf(*, gemeente: str, case_label: str, made_by: str,
                             lines: Sequence[LogLine], chain_ok: bool, created_on: dt.date,
                             invariant: bool = False) -> bytes:
    """Every logged disclosure of one case, oldest first."""
    story: list[Flowable] = [
        markup("Verstrekkingen van één casus", "h1"),
        para("Overzicht uit het verstrekkingenlog van de aandachtsfunctionaris mensenhandel: "
             "wanneer welke gegevens aan wie zijn verstrekt, op welke grondslag en door wie "
             "besloten. Voor een inzageverzoek (art. 15 AVG) of de functionaris "
             "gegevensbescherming.", "small"),
        spacer(3),
        field_table([
            ("Gemeente", gemeente_title(gemeente)),
            ("Casus (intern label)", case_label),
            ("Opgesteld door", made_by),
            ("Datum", format_date(created_on)),
            ("Aantal verstrekkingen", str(len(lines))),
            ("Controle van het log", "In orde: de hashketen is onbeschadigd." if chain_ok
             else "LET OP: de hashketen is verbroken; het log is mogelijk gewijzigd."),
        ], label_width=50 * mm),
        markup("Verstrekkingen", "h2"),
    ]
    if not lines:
        story.append(para("Voor deze casus zijn geen verstrekkingen vastgelegd."))
    for ln in lines:
        story.append(KeepTogether([
            markup(f"Nr. {ln.seq} · {text(ln.when)} · {text(ln.recipient)}", "h3"),
            field_table([
                ("Handeling", ln.action),
                ("Bladnummer", ln.sheet_number),
                ("Verstrekte gegevens", ln.fields),
                ("Grondslag", ln.ground),
                ("Besloten door", ln.decided_by),
                ("SHA-256 van het blad", ln.pdf_sha256),
            ], label_width=45 * mm),
        ]))
    return build_pdf(story, header_left=f"{gemeente_title(gemeente)} · Verstrekkingenlog",
                     footer_left="Verstrekkingenlog (uittreksel per casus)", invariant=invariant)


