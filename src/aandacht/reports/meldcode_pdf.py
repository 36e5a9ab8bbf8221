"""The meldcode-verslag: the AF's own dossier record of a meldcode walk, as PDF bytes.

It documents what the meldcode asks to record (Movisie, dossiervorming): each step
with its fields, observed facts apart from interpretations, the signals with their
codes, every afwegingsvraag with answer and reasoning, the decisions and every later
change. It is not a handover: the first lines say so, and the header carries no
recipient. The case label may appear in the body (own dossier), never in the PDF
metadata, which pdfbase keeps generic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Table, TableStyle

from aandacht.domain import meldcode as mc
from aandacht.domain.case import FORM_LABELS, MINOR_LABELS, Case
from aandacht.reports.pdfbase import (
    ACCENT,
    RULE,
    SHADE,
    build_pdf,
    field_table,
    grid_table,
    markup,
    para,
    spacer,
    text,
)

CONTENT_WIDTH = A4[0] - 36 * mm
LONG = 400  # characters; longer values go below their label, so a page can split them
DOSSIER_NOTE = (
    "Dit verslag is bestemd voor het eigen dossier van de aandachtsfunctionaris "
    "(dossiervorming meldcode). Het is geen overdracht: geef het niet aan andere "
    "organisaties. Gegevens delen gaat via een overdrachtsformulier, met vastgelegde "
    "grondslag en registratie in het verstrekkingenlog."
)


def format_moment(value: str | None) -> str:
    if not value:
        return ""
    try:
        return dt.datetime.fromisoformat(value).strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return value


def _gemeente(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return "Gemeente"
    return name if name.lower().startswith("gemeente") else f"Gemeente {name}"


def _boxed(flowables: list[Flowable], color=ACCENT, shade: bool = False) -> Table:
    table = Table([[flowables]], colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    style = [
        ("LINEBEFORE", (0, 0), (0, -1), 2.2, color),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    if shade:
        style.append(("BACKGROUND", (0, 0), (-1, -1), SHADE))
    table.setStyle(TableStyle(style))
    return table


def _block(flowables: list[Flowable], long: bool, color=ACCENT, shade: bool = False
           ) -> list[Flowable]:
    """A boxed block, or, when it holds long text, plain flowables: a one-cell table
    cannot split over pages, a paragraph can."""
    if long:
        return [*flowables, spacer(1.5)]
    return [_boxed(flowables, color=color, shade=shade)]


def _kv_table(rows: Sequence[tuple[str, str]], width: float) -> Table:
    """pdfbase.field_table, narrowed to fit inside a box."""
    return field_table(rows, width=width, empty="niet ingevuld")


def _rows_block(rows: Sequence[tuple[str, str]], boxed: bool = False) -> list[Flowable]:
    """Short values in a label/value table; long ones as label + paragraph (can split)."""
    out: list[Flowable] = []
    short: list[tuple[str, str]] = []

    def flush() -> None:
        if short:
            out.append(_kv_table(list(short), CONTENT_WIDTH - 16 * mm) if boxed
                       else field_table(list(short), label_width=62 * mm))
            short.clear()

    for label, value in rows:
        if len(value) > LONG:
            flush()
            out.append(spacer(1.5))
            out.append(para(label, "label"))
            out.append(para(value))
        else:
            short.append((label, value))
    flush()
    return out


def _list_rows(f: mc.Field, rows: list[Mapping[str, Any]]) -> list[Flowable]:
    """One numbered block per row: the short columns on one line, long text below."""
    out: list[Flowable] = []
    if not rows:
        return [para("Geen regels vastgelegd.", "small")]
    for n, row in enumerate(rows, 1):
        head, body = [], []
        for item in f.items:
            if not item.relevant(row):
                continue
            value = mc.display_scalar(item, row.get(item.id))
            if not value:
                continue
            if item.type == "longtext":
                body.append(markup(f"<font color='#52606d'>{text(item.label)}:</font> "
                                   f"{text(value)}"))
            else:
                head.append(f"<font color='#52606d'>{text(item.label)}:</font> {text(value)}")
        block: list[Flowable] = [markup(f"<b>{n}.</b> " + " · ".join(head))]
        block += body
        long = sum(len(str(v)) for v in row.values()) > LONG
        out += _block(block, long, color=RULE)
    return out


def _observations(f: mc.Field, rows: list[Mapping[str, Any]]) -> list[Flowable]:
    """Facts and interpretations in two separate lists (meldcode: keep them apart)."""
    out: list[Flowable] = []
    for kind, title in (("feit", "Feiten (gezien of gehoord)"),
                        ("interpretatie", "Interpretaties en vermoedens")):
        chosen = [r for r in rows if r.get("soort") == kind]
        out.append(markup(text(title), "h3"))
        if not chosen:
            out.append(para("Geen.", "small"))
            continue
        data = []
        for r in chosen:
            source = mc.display_scalar(f.item("bron"), r.get("bron")) if any(
                i.id == "bron" for i in f.items) else ""
            if r.get("bron") == "derde" and r.get("derde"):
                source += f": {r.get('derde')}"
            data.append((str(r.get("tekst") or ""), source))
        if any(len(t) > LONG for t, _ in data):
            for n, (t, s) in enumerate(data, 1):
                out += _block([markup(f"<b>{n}.</b> <font color='#52606d'>Bron: "
                                      f"{text(s)}</font>"), para(t)], True)
        else:
            out.append(grid_table(["Waarneming", "Bron"], data,
                                  col_widths=[CONTENT_WIDTH - 50 * mm, 50 * mm]))
    return out


def _codes(f: mc.Field, codes: list[str], signalen: Any) -> list[Flowable]:
    if not codes:
        return [para(f"{f.label}: geen gekozen.", "small")]
    rows = []
    for code in codes:
        form = ""
        if f.type == "signals":
            ind = signalen.indicator(code)
            form = signalen.form(ind.form_id).label if ind else ""
        rows.append((code, signalen.label(code), form) if f.type == "signals"
                    else (code, signalen.label(code)))
    if f.type == "signals":
        return [grid_table(["Code", "Signaal", "Lijst"], rows,
                           col_widths=[18 * mm, CONTENT_WIDTH - 58 * mm, 40 * mm])]
    return [grid_table(["Code", "Kwetsbare groep"], rows,
                       col_widths=[18 * mm, CONTENT_WIDTH - 18 * mm])]


def _step_fields(step: mc.Step, values: Mapping[str, Any], signalen: Any,
                 skip: Sequence[str] = ()) -> list[Flowable]:
    out: list[Flowable] = []
    scalars: list[tuple[str, str]] = []

    def flush() -> None:
        if scalars:
            out.extend(_rows_block(scalars))
            scalars.clear()

    for f in step.fields:
        if not f.relevant(values) or f.id in skip:
            continue
        value = values.get(f.id)
        if f.type == "list":
            flush()
            out.append(markup(text(f.label), "h3"))
            if f.role == "observations":
                out.extend(_observations(f, value or []))
            else:
                out.extend(_list_rows(f, value or []))
        elif f.type in ("signals", "groups"):
            flush()
            out.append(markup(text(f.label), "h3"))
            out.extend(_codes(f, value or [], signalen))
        else:
            scalars.append((f.label, mc.display_scalar(f, value) or "niet ingevuld"))
    flush()
    return out


def _question_block(q: mc.Question, a: mc.Answer, given: Mapping[str, Any]) -> list[Flowable]:
    rows = [("Antwoord", a.label)]
    ticked = [q.criterion(c).label for c in given.get("criteria") or [] if q.criterion(c)]
    if ticked:
        rows.append(("Aangevinkt", "\n".join(ticked)))
    rows.append(("Toelichting", str(given.get("reasoning") or "")))
    inner: list[Flowable] = [markup(f"<b>Afwegingsvraag {q.number}.</b> {text(q.text)}")]
    long = len(str(given.get("reasoning") or "")) > LONG
    inner += _rows_block(rows, boxed=not long)
    return [*_block(inner, long, shade=True), spacer(2)]


def _revisions(step: mc.Step, st: mc.StepState) -> list[Flowable]:
    if not st.revisions:
        return []
    out: list[Flowable] = [markup("Wijzigingen in deze stap", "h3")]
    for rev in st.revisions:
        head = f"<b>{text(format_moment(rev.get('on')))}</b>"
        if rev.get("after_decision"):
            head += " — <font color='#7a1f3d'>gewijzigd na het besluit</font>"
        block: list[Flowable] = [markup(head)]
        if rev.get("note"):
            block.append(markup(f"<font color='#52606d'>Reden:</font> {text(rev['note'])}"))
        size = len(str(rev.get("note") or ""))
        for ch in rev.get("changes") or []:
            size += len(str(ch.get("old") or "")) + len(str(ch.get("new") or ""))
            old, new = text(ch.get("old") or "(leeg)"), text(ch.get("new") or "(leeg)")
            block.append(markup(
                f"<font color='#52606d'>{text(ch.get('label'))}:</font> "
                f"was “{old}”, werd “{new}”"))
        out += _block(block, size > LONG, color=RULE)
    return out


def _decision_block(content: mc.Meldcode, state: mc.MeldcodeState) -> list[Flowable]:
    result = mc.state_kader(content, state, recorded=True)
    decided = mc.final_decision(content, state)
    step = content.decision_step
    rows = []
    if result.outcomes:
        rows.append(("Uitkomst afwegingskader",
                     "\n".join(o.label for o in result.outcomes)))
    if decided:
        for role in ("melden", "hulp"):
            f = content.role_field(role)[1]  # type: ignore[index]
            rows.append((f.label, f.choice_label(decided[role])))
        found = content.role_field("traject")
        if found is not None and found[0].id == step.id:
            traject = found[1]
            rows.append((traject.label, traject.choice_label(
                (state.step(step.id).recorded or {}).get(traject.id))))
    if not rows:
        return []
    table = _kv_table(rows, CONTENT_WIDTH - 16 * mm)
    return [_boxed([markup("<b>Besluiten</b>"), table], shade=True), spacer(2)]


def _decision_fields(content: mc.Meldcode) -> tuple[str, ...]:
    """Fields the Besluiten box already shows (not repeated below it)."""
    step = content.decision_step
    return tuple(found[1].id for r in ("melden", "hulp", "traject")
                 if (found := content.role_field(r)) is not None and found[0].id == step.id)


def build_meldcode_report(case: Case, state: mc.MeldcodeState | Mapping[str, Any],
                          content: mc.Meldcode | None = None, gemeente: str = "",
                          invariant: bool = False, *, signalen: Any = None,
                          made_on: dt.date | None = None) -> bytes:
    """The meldcode-verslag as PDF bytes (nothing is written to disk here)."""
    content = content or mc.default_meldcode()
    if signalen is None:
        from aandacht.domain.signals import load_signalen

        signalen = load_signalen()
    if not isinstance(state, mc.MeldcodeState):
        state = mc.MeldcodeState.from_dict(state, content)
    made_on = made_on or dt.date.today()

    story: list[Flowable] = [
        markup("Meldcode-verslag", "h1"),
        _boxed([markup("<b>Voor het eigen dossier — geen overdracht</b>"), para(DOSSIER_NOTE)]),
        spacer(3),
        field_table([
            ("Casus (label)", case.label),
            ("Geopend op", case.opened_on.strftime("%d-%m-%Y")),
            ("Vorm(en) van uitbuiting", ", ".join(FORM_LABELS[f] for f in sorted(case.forms))),
            ("Minderjarig (casus)", MINOR_LABELS[case.minor]),
            ("Stand van de meldcode", mc.status_line(state, content).removeprefix("Meldcode: ")),
            ("Verslag gemaakt op", made_on.strftime("%d-%m-%Y")),
        ], label_width=62 * mm),
    ]
    if state.review:
        story += [spacer(2), _boxed([markup(
            "<b>Let op:</b> na het besluit is een eerdere stap gewijzigd. Het besluit in stap "
            f"{content.decision_step.number} moet opnieuw worden bekeken.")])]

    kader = mc.state_kader(content, state, recorded=True)
    on_path = {q.id: (q, a) for q, a in kader.path}
    for step in content.steps:
        st = state.step(step.id)
        story.append(CondPageBreak(40 * mm))
        story.append(markup(f"Stap {step.number} — {text(step.title)}", "h2"))
        if not st.completed:
            story.append(para("Deze stap is nog niet vastgelegd.", "small"))
            continue
        status = f"Vastgelegd op {format_moment(st.recorded_on)}"
        if st.dirty:
            status += " (daarna gewijzigd maar nog niet opnieuw vastgelegd; hier staat de " \
                      "vastgelegde versie)"
        story.append(para(status, "small"))
        if st.skipped:
            label = step.skip.label if step.skip else "Overgeslagen"
            story += _block([
                markup(f"<b>{text(label)}</b>"),
                markup(f"<font color='#52606d'>Reden:</font> {text(st.skip_reason)}"),
            ], len(st.skip_reason) > LONG)
        else:
            rec = st.recorded or {}
            is_decision = step.id == content.decision_step.id
            questions = [on_path[q.id] for q in content.step_questions(step.id) if q.id in on_path]
            blocks: list[Flowable] = []
            if questions:
                blocks.append(markup("Afwegingsvragen", "h3"))
                for q, a in questions:
                    qb = _question_block(q, a, rec.get(q.id) or {})
                    blocks += qb if len(str((rec.get(q.id) or {}).get("reasoning") or "")) > LONG \
                        else [KeepTogether(qb)]
            if is_decision and kader.pending is not None and not kader.pending_required \
                    and kader.pending.step == step.id:
                blocks.append(para(
                    f"Afwegingsvraag {kader.pending.number} en verder zijn (nog) niet "
                    "beantwoord; bij acute of structurele onveiligheid gebeurt dat samen met "
                    "Veilig Thuis.", "small"))
            if is_decision:
                # Questions, then the decisions they lead to, then the details of the melding.
                story += blocks
                story += _decision_block(content, state)
                story += _step_fields(step, rec, signalen, skip=_decision_fields(content))
            else:
                story += _step_fields(step, rec, signalen)
                story += blocks
        story += _revisions(step, st)

    src = content.source
    story += [spacer(6), para(
        f"Gebaseerd op: {src.get('title', '')} (inhoud versie {content.version}). "
        f"Bronnen: {src.get('reference', '')}.", "small")]
    return build_pdf(
        story, header_left=f"{_gemeente(gemeente)} · Meldcode-verslag",
        header_right="Vertrouwelijk", footer_left="Eigen dossier — geen overdracht",
        invariant=invariant,
    )
