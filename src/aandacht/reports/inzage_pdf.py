"""The inzage export: everything the vault holds about one case, for an access request
(AVG art. 15). Internal work notes fall under the right of access too (Hof Den Haag
17 Sept 2019, brief d.4), so nothing is left out here: case data, every detail field,
the full timeline with earlier versions of corrected entries, follow-ups, meldcode and
route progress, recorded grounds and disclosures.

The AF must review the result for third-party data before handing it over; the PDF
says so at the top. The case label is printed in the body (the AF needs it to check
the right case) but never in the PDF metadata or the page header.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table, TableStyle

from aandacht.domain.case import (
    DETAIL_FIELDS,
    ENTRY_LABELS,
    FORM_LABELS,
    MINOR_LABELS,
    SECTION_LABELS,
    SOURCE_LABELS,
    SPECIAL_LABELS,
    STATUS_LABELS,
    SUBJECT_LABELS,
    Case,
    Entry,
    FieldSpec,
    FollowUp,
    Form,
)
from aandacht.reports.pdfbase import (
    FIELD_TABLE_STYLE,
    ACCENT,
    RULE,
    SHADE,
    build_pdf,
    para,
    spacer,
    styles,
    text,
)

TITLE = "Inzageverzoek (art. 15 AVG) — overzicht van verwerkte gegevens"
CONTENT_WIDTH = A4[0] - 36 * mm
NOT_RECORDED = "niet vastgelegd"
LONG_VALUE = 600  # characters; longer values leave the two-column table (rows cannot split)
SPECIAL_INK = "#8a4b00"  # amber-brown: special categories stand out, also in greyscale
IDENT_INK = "#1f3a60"
MUTED_INK = colors.HexColor("#3e4c59")
CHUNK = 2500  # characters per paragraph, so very long notes lay out quickly and split cleanly

STATE_LABELS = {
    "meldcode": "Meldcode: voortgang",
    "meldcode_status": "Meldcode: stand van zaken",
    "route_draft": "Routekaart: concept",
    "routekaart": "Routekaart",
    "route": "Routekaart",
}

DISCLOSURE_KEYS = {
    # The keys of a disclosure record (services.handover), in print order, with Dutch labels.
    "recipient_name": "Ontvanger",
    "recipient": "Ontvanger",
    "action": "Handeling",
    "sheet_number": "Bladnummer",
    "request_type": "Soort verzoek",
    "fields": "Verstrekte gegevens",
    "grounds": "Grondslag",
    "ground": "Grondslag",
    "decided_by": "Verstrekt door",
    "form_version": "Versie van het formulier",
    "pdf_sha256": "Controlegetal van de PDF (SHA-256)",
}
# Bookkeeping keys of a disclosure record that add nothing for the reader.
DISCLOSURE_SKIP = {"format", "case_id", "created_at"}
ACTION_LABELS = {"opgeslagen": "Opgeslagen als PDF", "afgedrukt": "Afgedrukt"}


def _date(value: dt.date | dt.datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.strftime("%d-%m-%Y")
        return value.strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value_text(v)}" for k, v in value.items())
    return str(value)


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested JSON as (path, text) rows, so structured data reads as a list."""
    if isinstance(value, dict):
        if not value:
            return [(prefix or "(leeg)", "")] if prefix else []
        rows: list[tuple[str, str]] = []
        for k, v in value.items():
            rows += _flatten(v, f"{prefix} › {k}" if prefix else str(k))
        return rows
    if isinstance(value, (list, tuple)) and any(isinstance(v, (dict, list)) for v in value):
        rows = []
        for i, v in enumerate(value, 1):
            rows += _flatten(v, f"{prefix} › {i}" if prefix else str(i))
        return rows
    return [(prefix or "waarde", _value_text(value))]


RECIPIENT_KEYS = ("recipients", "recipient", "contact", "contacts")


def _named(value: Any, names: Mapping[str, str]) -> Any:
    """Recipient ids inside structured data replaced by their readable names."""
    if isinstance(value, dict):
        return {k: (_ids_to_names(v, names) if k in RECIPIENT_KEYS else _named(v, names))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_named(v, names) for v in value]
    return value


def _ids_to_names(value: Any, names: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [names.get(v, v) if isinstance(v, str) else v for v in value]
    return value


def _chunks(value: str) -> list[str]:
    out: list[str] = []
    for block in value.split("\n\n"):
        while len(block) > CHUNK:
            cut = block.rfind(" ", 0, CHUNK)
            cut = cut if cut > CHUNK // 2 else CHUNK
            out.append(block[:cut])
            block = block[cut:].lstrip(" ")
        out.append(block)
    return out


def _long_text(value: str, style: str = "body") -> list[Flowable]:
    return [para(c, style) for c in _chunks(value)]


def _kv_table(rows: Sequence[tuple[str, str]], label_width: float) -> Table:
    st = styles()
    data = []
    for label, value in rows:
        value_cell = (para(value) if value.strip()
                      else Paragraph(f"<i>{NOT_RECORDED}</i>", st["small"]))
        data.append([Paragraph(label, st["label"]), value_cell])
    table = Table(data, colWidths=[label_width, CONTENT_WIDTH - label_width], hAlign="LEFT")
    table.setStyle(FIELD_TABLE_STYLE)
    return table


def _kv(rows: Sequence[tuple[str, str]], label_width: float = 62 * mm,
        markup_labels: bool = False) -> list[Flowable]:
    """Label/value rows; short ones in a table, long ones as paragraphs that may split.

    Labels are escaped unless `markup_labels` (our own markup, e.g. special-category tags).
    """
    out: list[Flowable] = []
    pending: list[tuple[str, str]] = []

    def flush() -> None:
        if pending:
            out.append(_kv_table(list(pending), label_width))
            pending.clear()

    for label, value in rows:
        label = label if markup_labels else text(label)
        value = "" if value is None else str(value)
        if len(value) > LONG_VALUE or value.count("\n") > 10:
            flush()
            out += [spacer(1.5), Paragraph(label, styles()["label"]), *_long_text(value),
                    spacer(1.5)]
        else:
            pending.append((label, value))
    flush()
    return out


def _h2(title: str) -> list[Flowable]:
    return [CondPageBreak(30 * mm), para(title, "h2")]


def _field_label(spec: FieldSpec) -> str:
    """The field's label (markup) with its special category and 'identificerend' under it."""
    out = text(spec.label)
    marks = []
    if spec.special is not None:
        marks.append(f'<font color="{SPECIAL_INK}">■ {text(SPECIAL_LABELS[spec.special])}'
                     "</font>")
    if spec.identifying:
        marks.append(f'<font color="{IDENT_INK}">identificerend gegeven</font>')
    if marks:
        out += '<br/><font size="7.5">' + " · ".join(marks) + "</font>"
    return out


def _field_value(spec: FieldSpec, raw: str) -> str:
    raw = raw or ""
    if not raw.strip():
        return ""
    if spec.kind == "choice":
        return dict(spec.choices).get(raw.strip(), raw)
    if spec.kind == "date":
        return _date(raw.strip())
    return raw


def _case_section(case: Case, close_reason_label: str | None) -> list[Flowable]:
    forms = ", ".join(FORM_LABELS[f] for f in Form if f in case.forms)
    rows = [
        ("Casuslabel (pseudoniem)", case.label),
        ("Casusnummer in Aandacht", str(case.id) if case.id is not None else ""),
        ("Geopend op", _date(case.opened_on)),
        ("Status", STATUS_LABELS.get(case.status, str(case.status))),
        ("Waar gaat het signaal over", SUBJECT_LABELS.get(case.subject, str(case.subject))),
        ("Vorm(en) van uitbuiting", forms),
        ("Minderjarig", MINOR_LABELS.get(case.minor, str(case.minor))),
        ("Bron van het signaal", SOURCE_LABELS.get(case.source_type, str(case.source_type))),
        ("Afdeling of organisatie van de bron", case.source_department),
        ("Gekoppelde casus", f"casusnummer {case.linked_case_id}"
         if case.linked_case_id is not None else ""),
        ("Reden van afsluiten", close_reason_label or case.close_reason or ""),
        ("Afgesloten op", _date(case.closed_on)),
        ("Te verwijderen na (bewaartermijn)", _date(case.delete_after)),
    ]
    return _h2("1. Casusgegevens") + _kv(rows)


def _details_section(case: Case) -> list[Flowable]:
    out = _h2("2. Detailgegevens")
    out.append(para("Alle detailvelden van de casus, ook de lege. Onder de naam van een veld "
                    "staat of het een bijzonder of strafrechtelijk gegeven is (■) en of het de "
                    "persoon kan identificeren.", "small"))
    extra = set(case.details) - {f.key for f in DETAIL_FIELDS}
    for section, title in SECTION_LABELS.items():
        specs = [f for f in DETAIL_FIELDS if f.key.startswith(section + ".")]
        out += [para(title, "h3")]
        out += _kv([(_field_label(s), _field_value(s, case.detail(s.key))) for s in specs],
                   markup_labels=True)
    if extra:
        # Values under keys this version does not know are still data the vault holds.
        out += [para("Overige velden", "h3")]
        out += _kv([(k, str(case.details[k])) for k in sorted(extra)])
    return out


def _history_style() -> ParagraphStyle:
    return ParagraphStyle("history", parent=styles()["body"], leftIndent=8 * mm,
                          textColor=MUTED_INK)


def _entry_block(entry: Entry, number: int, names: Mapping[str, str]) -> list[Flowable]:
    s = styles()
    kind = ENTRY_LABELS.get(entry.kind, str(entry.kind))
    head = f"{number}. {_date(entry.occurred_on)} · {kind}"
    if entry.title:
        head += f" · {entry.title}"
    parts: list[Flowable] = [Paragraph(text(head), s["h3"])]
    meta = f"Vastgelegd op {_date(entry.created_at)}" if entry.created_at else ""
    if entry.history:
        meta += (" · " if meta else "") + (
            f"later gecorrigeerd; {len(entry.history)} eerdere versie(s) staan hieronder")
    if meta:
        parts.append(para(meta, "small"))
    out: list[Flowable] = [KeepTogether(parts)]
    rows = []
    if entry.facts:
        rows.append(("Feiten (gezien, gehoord)", entry.facts))
    if entry.interpretation:
        rows.append(("Interpretatie", entry.interpretation))
    if entry.body:
        rows.append(("Tekst", entry.body))
    out += _kv(rows)
    if entry.data:
        out += [para("Vastgelegde gegevens bij deze regel", "label")]
        out += _kv(_flatten(_named(entry.data, names)))
    for i, old in enumerate(entry.history, 1):
        hs = _history_style()
        out.append(spacer(1))
        out.append(Paragraph(
            f"<b>Eerdere versie {i}</b> (vervangen op {text(_date(old.saved_at))}): datum "
            f"{text(_date(old.occurred_on))}"
            + (f", titel '{text(old.title)}'" if old.title else ""), hs))
        for label, value in (("Feiten", old.facts), ("Interpretatie", old.interpretation),
                             ("Tekst", old.body)):
            if value:
                out.append(Paragraph(f"<i>{text(label)}:</i>", hs))
                out += [Paragraph(text(c), hs) for c in _chunks(value)]
    out.append(spacer(2))
    return out


def _timeline_section(timeline: Sequence[Entry], names: Mapping[str, str]) -> list[Flowable]:
    out = _h2("3. Tijdlijn")
    if not timeline:
        return out + [para("Geen tijdlijnregels.", "small")]
    out.append(para("Alle regels van oud naar nieuw. Is een regel gecorrigeerd, dan staan de "
                    "eerdere versies eronder: niets wordt stil overschreven.", "small"))
    ordered = sorted(timeline, key=lambda e: (e.occurred_on, e.id or 0))
    for n, entry in enumerate(ordered, 1):
        out += _entry_block(entry, n, names)
    return out


def _followup_section(followups: Sequence[FollowUp]) -> list[Flowable]:
    out = _h2("4. Follow-ups")
    if not followups:
        return out + [para("Geen follow-ups.", "small")]
    rows = []
    for fu in followups:
        state = f"Afgerond op {_date(fu.done_on)}." if fu.done_on else "Nog open."
        rows.append((f"Uiterlijk {_date(fu.due_on)}", f"{fu.what}\n{state}"))
    return out + _kv(rows)


def _states_section(states: Mapping[str, Any], names: Mapping[str, str]) -> list[Flowable]:
    out = _h2("5. Meldcode en routekaart")
    if not states:
        return out + [para("Geen opgeslagen voortgang van meldcode of routekaart.", "small")]
    out.append(para("De opgeslagen voortgang bij deze casus, zoals de kluis die bewaart.",
                    "small"))
    for key in sorted(states):
        out.append(para(STATE_LABELS.get(key, key), "h3"))
        value = _named(states[key], names)
        rows = _flatten(value) if isinstance(value, (dict, list)) else [("waarde", str(value))]
        out += _kv(rows) if rows else [para("(leeg)", "small")]
    return out


def _ground_label(kind: str) -> str:
    try:
        from aandacht.domain.handover import GROUND_KINDS
    except ImportError:  # pragma: no cover - the handover module ships with the app
        return kind
    spec = GROUND_KINDS.get(kind)
    return spec.label if spec else kind


def _ground_detail_labels(kind: str) -> dict[str, str]:
    try:
        from aandacht.domain.handover import GROUND_KINDS
    except ImportError:  # pragma: no cover
        return {}
    spec = GROUND_KINDS.get(kind)
    return {d.key: d.label for d in spec.details} if spec else {}


def _ground_names(value: Any) -> Any:
    if isinstance(value, str):
        return _ground_label(value)
    if isinstance(value, list):
        return [_ground_label(v) if isinstance(v, str) else v for v in value]
    return value


def _grounds_section(grounds: Sequence[Any], names: Mapping[str, str]) -> list[Flowable]:
    out = _h2("6. Vastgelegde grondslagen")
    if not grounds:
        return out + [para("Geen grondslagen vastgelegd.", "small")]
    for n, g in enumerate(grounds, 1):
        kind = str(getattr(g, "kind", ""))
        out.append(para(f"{n}. {_ground_label(kind)}", "h3"))
        rows = [("Vastgelegd op", _date(getattr(g, "recorded_at", None))),
                ("Besloten door", str(getattr(g, "decided_by", "") or "")),
                ("Motivering", str(getattr(g, "motivation", "") or ""))]
        recipient = getattr(g, "recipient", None)
        if recipient:
            rows.insert(0, ("Ontvanger", names.get(str(recipient), str(recipient))))
        withdrawn = getattr(g, "withdrawn_at", None)
        rows.append(("Ingetrokken op", _date(withdrawn) if withdrawn else "niet ingetrokken"))
        details = getattr(g, "details", None)
        labels = _ground_detail_labels(kind)
        if isinstance(details, Mapping):
            rows += [(labels.get(k, k), _value_text(_ids_to_names(v, names) if k in RECIPIENT_KEYS
                                                    else v))
                     for k, v in details.items()]
        elif details:
            rows.append(("Details", _value_text(details)))
        out += _kv(rows)
    return out


def _disclosure_content(record: Any) -> Any:
    content = getattr(record, "content", None)
    if isinstance(content, str):
        try:
            return json.loads(content)
        except ValueError:
            return content
    return content


def _disclosure_value(key: str, value: Any) -> str:
    if key == "action" and isinstance(value, str):
        return ACTION_LABELS.get(value, value)
    if key == "fields" and isinstance(value, list):
        return ", ".join(str(v.get("label") or v.get("id", "")) if isinstance(v, Mapping)
                         else str(v) for v in value)
    if key in ("grounds", "ground"):
        items = value if isinstance(value, list) else [value]
        if not items:
            return "Minimale overdracht: geen aanvullende grondslag nodig"
        lines = []
        for g in items:
            if isinstance(g, Mapping):
                label = g.get("label") or _ground_label(str(g.get("kind", "")))
                line = str(label)
                if g.get("motivation"):
                    line += f": {g['motivation']}"
                extra = []
                if g.get("decided_by"):
                    extra.append(f"besloten door {g['decided_by']}")
                if g.get("recorded_at"):
                    extra.append(f"vastgelegd op {_date(g['recorded_at'])}")
                if extra:
                    line += f" ({', '.join(extra)})"
                lines.append(line)
            else:
                lines.append(_ground_label(str(g)))
        return "\n".join(lines)
    return _value_text(value)


def _disclosures_section(disclosures: Sequence[Any], names: Mapping[str, str]
                         ) -> list[Flowable]:
    out = _h2("7. Verstrekkingen aan anderen")
    if not disclosures:
        return out + [para("Er zijn uit deze casus geen gegevens aan anderen verstrekt.",
                           "small")]
    out.append(para("Elke keer dat gegevens uit deze casus aan een andere organisatie zijn "
                    "gegeven: wanneer, aan wie, welke gegevens en op welke grondslag.", "small"))
    for n, rec in enumerate(disclosures, 1):
        out.append(para(f"Verstrekking {n}", "h3"))
        content = _named(_disclosure_content(rec), names)
        rows = [("Vastgelegd op", _date(getattr(rec, "created_at", None)))]
        if content is None:
            rows.append(("Inhoud", "verwijderd op "
                         + (_date(getattr(rec, "tombstoned_on", None)) or "onbekende datum")))
        elif isinstance(content, Mapping):
            seen = set()
            for key, label in DISCLOSURE_KEYS.items():
                if key in content and label not in seen:
                    seen.add(label)
                    rows.append((label, _disclosure_value(key, content[key])))
            for key, value in content.items():
                if key not in DISCLOSURE_KEYS and key not in DISCLOSURE_SKIP:
                    rows += [(p, v) for p, v in _flatten(value, str(key))]
        else:
            rows.append(("Inhoud", _value_text(content)))
        out += _kv(rows)
    return out


def build_inzage_pdf(case: Case, timeline: Sequence[Entry], followups: Sequence[FollowUp],
                     states: Mapping[str, Any], disclosures: Sequence[Any], gemeente: str,
                     invariant: bool = False, *, grounds: Sequence[Any] = (),
                     generated_on: dt.date | None = None,
                     recipient_names: Mapping[str, str] | None = None,
                     close_reason_label: str | None = None) -> bytes:
    """The access-request overview of one case as PDF bytes.

    `grounds` are the recorded legal grounds of the case; `recipient_names` turns recipient
    ids into names; `close_reason_label` is the readable close reason (retention policy).
    """
    generated_on = generated_on or dt.date.today()
    names = dict(recipient_names or {})
    header_org = (gemeente or "").strip() or "Aandacht"
    gemeente = (gemeente or "").strip() or "de gemeente"
    intro = (
        f"Dit overzicht is gemaakt op {generated_on.strftime('%d-%m-%Y')} naar aanleiding van "
        f"een verzoek om inzage (artikel 15 AVG). Het bevat alles wat de "
        f"aandachtsfunctionaris mensenhandel van {gemeente} in het versleutelde logboek over "
        "deze casus heeft vastgelegd: de casusgegevens, alle detailvelden, de volledige tijdlijn "
        "met eerdere versies van gecorrigeerde regels, follow-ups, de voortgang van meldcode en "
        "routekaart, vastgelegde grondslagen en verstrekkingen aan andere organisaties. Ook "
        "interne werkaantekeningen vallen onder het recht op inzage."
    )
    warning = [
        "<b>Let op vóór u dit overzicht verstrekt.</b>",
        "Dit is een werkversie voor de aandachtsfunctionaris. Controleer elke pagina op "
        "gegevens over anderen dan de verzoeker (bijvoorbeeld familieleden, een vermoedelijke "
        "dader of een melder) en op informatie die in vertrouwen of onder beroepsgeheim is "
        "gedeeld. Lak die weg voordat u het overzicht afgeeft, en overleg bij twijfel met de "
        "functionaris gegevensbescherming (FG).",
    ]
    s = styles()
    story: list[Flowable] = [
        para(TITLE, "h1"),
        para(f"{header_org} · aandachtsfunctionaris mensenhandel · casus '{case.label}'", "body"),
        spacer(3),
        para(intro),
        spacer(3),
        _notice_markup(warning, s),
    ]
    story += _case_section(case, close_reason_label)
    story += _details_section(case)
    story += _timeline_section(timeline, names)
    story += _followup_section(followups)
    story += _states_section(states, names)
    story += _grounds_section(grounds, names)
    story += _disclosures_section(disclosures, names)
    story += [spacer(6), para("Einde van het overzicht.", "small")]
    return build_pdf(story, header_left=f"{header_org} · Inzageverzoek (art. 15 AVG)",
                     header_right="Vertrouwelijk",
                     footer_left=f"Inzageoverzicht, gemaakt op "
                                 f"{generated_on.strftime('%d-%m-%Y')} · vóór verstrekking "
                                 "controleren op gegevens van derden",
                     invariant=invariant)


def _notice_markup(lines: Sequence[str], s) -> Table:
    # The first line is our own trusted markup (bold), the rest plain text.
    flow = [Paragraph(lines[0], s["body"])] + [para(x) for x in lines[1:]]
    box = Table([[flow]], colWidths=[CONTENT_WIDTH])
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
        ("BOX", (0, 0), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return box


__all__ = ["TITLE", "build_inzage_pdf"]
