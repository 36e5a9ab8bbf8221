"""Use case: make a minimal-data handover sheet, record grounds, log every disclosure.

Flow: `prepare` builds the sheet in memory (selection checked against the form and the
case's recorded grounds) → the AF looks at it → `save` or `record_printed`. Only then is
the disclosure logged, and the log record, the timeline entry and the file (or the print)
succeed or fail together: no partial log record, no PDF left behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aandacht.domain.case import Entry, EntryKind
from aandacht.domain.errors import AandachtError, NotAllowed, ValidationError
from aandacht.domain.handover import (
    DisclosureRecord,
    FieldState,
    Ground,
    HandoverForm,
    HandoverSheet,
    Sender,
    SheetSelection,
    assemble_sheet,
    check_ground_for_form,
    default_selection,
    field_states,
    load_forms,
    new_sheet_number,
    recheck_selection,
    select_fields,
    validate_sheet_inputs,
    verify_chain,
)
from aandacht.reports.handover_pdf import LogLine, build_disclosure_log_pdf, build_handover_pdf
from aandacht.store.disclosures import DisclosureFilter, DisclosureStore
from aandacht.store.grounds import GroundStore

ACTIONS = {"opgeslagen": "Opgeslagen als PDF", "afgedrukt": "Afgedrukt"}
SENDER_KEYS = (("af_naam", "uw naam"), ("af_functie", "uw functie"),
               ("af_contact", "uw werkcontact"), ("gemeente_naam", "de naam van de gemeente"))
CONTENT_FORMAT = 1


@dataclass(frozen=True)
class PreparedSheet:
    """A sheet built in memory and not yet given out. Unpacks as (selection, pdf)."""

    case_id: int
    form_id: str
    selection: SheetSelection
    sheet: HandoverSheet
    inputs: Mapping[str, str]
    pdf: bytes = field(repr=False)
    pdf_sha256: str = ""

    def __iter__(self) -> Iterator[Any]:
        yield self.selection
        yield self.pdf

    @property
    def number(self) -> str:
        return self.sheet.number


@dataclass(frozen=True)
class DisclosureView:
    """One log record as the Verstrekkingen page and the export show it."""

    seq: int
    created_at: dt.datetime
    case_id: int | None
    recipient: str
    recipient_name: str
    action: str
    sheet_number: str
    fields: tuple[str, ...]  # labels
    grounds: str  # printable: "Minimale overdracht" or "Vitaal belang (besloten door ...)"
    decided_by: str
    pdf_sha256: str
    tombstoned: bool = False
    tombstone: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ChainStatus:
    ok: bool
    count: int
    first_broken: int | None
    message: str


class HandoverService:
    def __init__(self, vault, cases, settings, forms: Mapping[str, HandoverForm] | None = None,
                 now: Callable[[], dt.datetime] | None = None,
                 gemeente_setting: Callable[[str], Any] | None = None):
        self.vault = vault
        # Looks up a gemeente setting by name (the routekaart settings: defaults from
        # routekaart.toml, the gemeente's own choices from the vault). None: all off.
        self._gemeente_setting = gemeente_setting or (lambda name: None)
        self.cases = cases
        self.settings = settings
        self.grounds_store = GroundStore(vault)
        self.log = DisclosureStore(vault)
        self._forms = dict(forms) if forms is not None else None
        self._now = now or (lambda: dt.datetime.now().replace(microsecond=0))

    # --- forms ----------------------------------------------------------------------
    @property
    def forms(self) -> dict[str, HandoverForm]:
        if self._forms is None:
            self._forms = load_forms()
        return self._forms

    def form(self, form_id: str) -> HandoverForm:
        try:
            return self.forms[form_id]
        except KeyError:
            raise ValidationError(f"Er is geen overdrachtsformulier voor '{form_id}'.") from None

    def now(self) -> dt.datetime:
        return self._now()

    def today(self) -> dt.date:
        return self.now().date()

    # --- grounds ----------------------------------------------------------------------
    def record_ground(self, case_id: int, form_id: str, kind: str, motivation: str,
                      decided_by: str, details: Mapping[str, Any] | None = None) -> Ground:
        """Record a decision that unlocks fields for this case and recipient.

        The decision also goes on the case's timeline, in the same transaction.
        """
        form = self.form(form_id)
        self.cases.get_case(case_id)
        if kind in self.disabled_grounds(form_id):
            raise NotAllowed(
                f"De gemeente heeft de grondslag '{kind}' voor {form.short} niet aangezet "
                f"(instelling '{form.ground_settings[kind]}' van de routekaart). Gebruik deze "
                "grondslag pas na bevestiging door de FG.")
        ground = Ground(kind=kind, recipient=form.id, decided_by=decided_by,
                        motivation=motivation, recorded_at=self.now(), details=details or {},
                        case_id=case_id)
        check_ground_for_form(ground, form)
        with self.vault.transaction():
            stored = self.grounds_store.insert(case_id, ground)
            self.cases.add_entry(Entry(
                None, case_id, EntryKind.BESLUIT, self.today(),
                title=f"Grondslag vastgelegd: {stored.label.lower()} ({form.short})",
                body=f"{stored.motivation}\nBesloten door {stored.decided_by}.",
                data={"ground_id": stored.id, "ground_kind": stored.kind,
                      "recipient": form.id}))
        return stored

    def withdraw_ground(self, ground_id: int) -> Ground:
        with self.vault.transaction():
            ground = self.grounds_store.withdraw(ground_id, self.now())
            self.cases.add_entry(Entry(
                None, ground.case_id, EntryKind.BESLUIT, self.today(),
                title=f"Grondslag ingetrokken: {ground.label.lower()}",
                data={"ground_id": ground.id, "ground_kind": ground.kind,
                      "recipient": ground.recipient}))
        return ground

    def disabled_grounds(self, form_id: str) -> set[str]:
        """Grounds this form offers only when a gemeente setting is on, and it is off."""
        form = self.form(form_id)
        return {kind for kind, name in form.ground_settings.items()
                if not self._gemeente_setting(name)}

    def grounds(self, case_id: int, form_id: str | None = None,
                active_only: bool = False) -> list[Ground]:
        out = self.grounds_store.for_case(case_id)
        if form_id is not None:
            out = [g for g in out if g.recipient == form_id]
        if active_only:
            out = [g for g in out if g.active]
        return out

    def _usable_grounds(self, case_id: int, form_id: str) -> list[Ground]:
        # A ground recorded while a setting was on stops unlocking once it is switched off.
        disabled = self.disabled_grounds(form_id)
        return [g for g in self.grounds(case_id, form_id) if g.kind not in disabled]

    def field_states(self, case_id: int, form_id: str) -> list[FieldState]:
        return field_states(self.form(form_id), self._usable_grounds(case_id, form_id),
                            self.disabled_grounds(form_id))

    def default_selection(self, form_id: str) -> set[str]:
        return default_selection(self.form(form_id))

    # --- sheet inputs -------------------------------------------------------------------
    def default_inputs(self, case_id: int, form_id: str) -> dict[str, str]:
        """What the dialog starts with: the first request type and the prefills."""
        form = self.form(form_id)
        out: dict[str, str] = {}
        if form.request_types:
            out["request_type"] = form.request_types[0].id
        for spec in form.inputs:
            out[spec.id] = self._prefill(case_id, spec.prefill) if spec.prefill else ""
        return out

    def _prefill(self, case_id: int, what: str) -> str:
        if what == "signalen":
            return self._signal_lines(case_id)
        if what == "laatste_signaal":
            day = self._last_signal_on(case_id)
            return day.isoformat() if day else ""
        return ""

    def _meldcode_signal_codes(self, case_id: int) -> tuple[list[str], dt.date | None]:
        """Codes from every `signals` field of the meldcode walk (recorded, else draft)."""
        raw = self.cases.get_state(case_id, "meldcode")
        if not raw:
            return [], None
        try:
            from aandacht.domain.meldcode import MeldcodeState, default_meldcode

            content = default_meldcode()
            state = MeldcodeState.from_dict(raw, content)
        except AandachtError:
            return [], None  # a prefill is a convenience; a damaged walk shows elsewhere
        codes: list[str] = []
        latest: dt.date | None = None
        for step in content.steps:
            st = state.step(step.id)
            values = st.recorded if st.recorded is not None else st.values
            for f in step.fields:
                if f.type == "signals":
                    codes += [c for c in values.get(f.id) or [] if c not in codes]
                    if values.get(f.id) and st.recorded_on:
                        with contextlib.suppress(ValueError):
                            day = dt.datetime.fromisoformat(st.recorded_on).date()
                            latest = max(latest, day) if latest else day
        return codes, latest

    def _signal_lines(self, case_id: int) -> str:
        codes, _ = self._meldcode_signal_codes(case_id)
        if not codes:
            return ""
        from aandacht.domain.signals import load_signalen

        signalen = load_signalen()
        return "\n".join(f"{c} {signalen.label(c)}" for c in codes)

    def _last_signal_on(self, case_id: int) -> dt.date | None:
        days = [e.occurred_on for e in self.cases.timeline(case_id)
                if e.kind == EntryKind.SIGNAAL]
        _, meldcode_day = self._meldcode_signal_codes(case_id)
        if meldcode_day:
            days.append(meldcode_day)
        return max(days) if days else None

    # --- the sheet --------------------------------------------------------------------
    def sender(self) -> tuple[Sender, str]:
        missing = [what for key, what in SENDER_KEYS
                   if not str(self.settings.get(key, "") or "").strip()]
        if missing:
            raise ValidationError(
                "Vul eerst bij Instellingen " + ", ".join(missing) + " in; die komen als "
                "afzender op het overdrachtsblad.", "settings")
        s = self.settings
        return (Sender(str(s.get("af_naam")).strip(), str(s.get("af_functie")).strip(),
                       str(s.get("af_contact")).strip()), str(s.get("gemeente_naam")).strip())

    def new_number(self, form_id: str) -> str:
        return new_sheet_number(self.form(form_id))

    def prepare(self, case_id: int, form_id: str, requested: Iterable[str],
                sheet_inputs: Mapping[str, Any], number: str | None = None) -> PreparedSheet:
        """Build the sheet in memory; nothing is logged or written."""
        form = self.form(form_id)
        case = self.cases.get_case(case_id)
        sender, gemeente = self.sender()
        usable = [g for g in self._usable_grounds(case_id, form_id) if g.active]
        selection = select_fields(form, usable, requested)
        inputs = validate_sheet_inputs(form, sheet_inputs)
        sheet = assemble_sheet(form, case, selection, inputs, number=number or
                               new_sheet_number(form), created_on=self.today(),
                               gemeente=gemeente, sender=sender)
        pdf = build_handover_pdf(sheet)
        return PreparedSheet(case_id, form.id, selection, sheet, inputs, pdf,
                             hashlib.sha256(pdf).hexdigest())

    # --- giving it out ------------------------------------------------------------------
    def save(self, prepared: PreparedSheet, path: str | os.PathLike) -> DisclosureRecord:
        """Write the PDF atomically to `path` and log the disclosure, all or nothing."""
        self._recheck(prepared)
        target = _pdf_target(path)
        tmp = _write_temp(target, prepared.pdf)
        replaced = False
        try:
            with self.vault.transaction():
                record = self._log(prepared, "opgeslagen")
                try:
                    os.replace(tmp, target)
                except OSError as exc:
                    raise _write_error(exc, target) from None
                replaced = True
                _fsync_dir(target.parent)
        except BaseException:
            _remove(tmp)
            if replaced:
                _remove(target)
            raise
        return record

    def save_bytes(self, data: bytes, path: str | os.PathLike) -> Path:
        """Write an export (the case's log as PDF) atomically to a path the AF chose."""
        target = _pdf_target(path)
        tmp = _write_temp(target, data)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            _remove(tmp)
            raise _write_error(exc, target) from None
        _fsync_dir(target.parent)
        return target

    def record_printed(self, prepared: PreparedSheet,
                       print_fn: Callable[[bytes], None] | None = None) -> DisclosureRecord:
        """Log a printed sheet. With `print_fn`, printing runs inside the log transaction:
        a printer failure leaves no record, and a log failure prints nothing."""
        self._recheck(prepared)
        with self.vault.transaction():
            record = self._log(prepared, "afgedrukt")
            if print_fn is not None:
                print_fn(prepared.pdf)
        return record

    def _recheck(self, prepared: PreparedSheet) -> None:
        form = self.form(prepared.form_id)
        recheck_selection(form, prepared.selection)
        if hashlib.sha256(prepared.pdf).hexdigest() != prepared.pdf_sha256:
            raise NotAllowed("Het blad is na het opstellen gewijzigd; stel het opnieuw op.")
        current = {g.id: g for g in self._usable_grounds(prepared.case_id, form.id)}
        for g in prepared.selection.grounds:
            now = current.get(g.id)
            if now is None or not now.active:
                raise NotAllowed(f"De grondslag '{g.label.lower()}' is intussen ingetrokken. "
                                 "Stel het blad opnieuw op.")
        self.cases.get_case(prepared.case_id)

    def _log(self, prepared: PreparedSheet, action: str) -> DisclosureRecord:
        form = self.form(prepared.form_id)
        sel = prepared.selection
        labels = {f.id: f.label for f in form.fields}
        created = self.now().isoformat()
        content = {
            "format": CONTENT_FORMAT,
            "created_at": created,
            "case_id": prepared.case_id,
            "recipient": form.id,
            "recipient_name": form.name,
            "form_version": form.version,
            "action": action,
            "sheet_number": prepared.sheet.number,
            "request_type": prepared.sheet.request_type,
            "fields": [{"id": f, "label": labels[f]} for f in sel.fields],
            "grounds": [{
                "id": g.id, "kind": g.kind, "label": g.label, "motivation": g.motivation,
                "decided_by": g.decided_by, "recorded_at": g.recorded_at.isoformat(),
                "fields": [f for f in sel.fields if sel.unlocked_by.get(f) == g],
            } for g in sel.grounds],
            "decided_by": prepared.sheet.sender.name,
            "pdf_sha256": prepared.pdf_sha256,
        }
        record = self.log.append(content, created, prepared.case_id)
        ground_text = ("; ".join(f"{g.label} (besloten door {g.decided_by})" for g in sel.grounds)
                       or "minimale overdracht, geen aanvullende grondslag")
        self.cases.add_entry(Entry(
            None, prepared.case_id, EntryKind.OVERDRACHT, self.today(),
            title=f"Overdracht aan {form.short}: {ACTIONS[action].lower()}",
            body=(f"Bladnummer {prepared.sheet.number}.\n"
                  f"Verstrekte gegevens: {', '.join(labels[f] for f in sel.fields)}.\n"
                  f"Grondslag: {ground_text}."),
            data={"disclosure_seq": record.seq, "sheet_number": prepared.sheet.number,
                  "recipient": form.id, "action": action, "fields": list(sel.fields),
                  "pdf_sha256": prepared.pdf_sha256}))
        return record

    # --- the log ----------------------------------------------------------------------
    def disclosures(self, recipient: str | None = None, since: dt.date | None = None,
                    until: dt.date | None = None, case_id: int | None = None
                    ) -> list[DisclosureView]:
        if since and until and since > until:
            raise ValidationError("De begindatum ligt na de einddatum.")
        records = self.log.find(DisclosureFilter(recipient, since, until, case_id))
        return [self._view(r) for r in records]

    def _view(self, rec: DisclosureRecord) -> DisclosureView:
        created = dt.datetime.fromisoformat(rec.created_at)
        if rec.content is None:
            stone = json.loads(rec.tombstone or "{}")
            recipient = str(stone.get("ontvanger") or "")
            name = self.forms[recipient].short if recipient in self.forms else recipient
            return DisclosureView(rec.seq, created, None, recipient, name or "onbekend",
                                  "Verwijderd (bewaartermijn)", "", (), "", "", "", True, stone)
        data = json.loads(rec.content)
        grounds = "; ".join(f"{g['label']}: {g['motivation']} (besloten door {g['decided_by']})"
                            for g in data.get("grounds", [])) or "Minimale overdracht"
        return DisclosureView(
            rec.seq, created, rec.case_id, data.get("recipient", ""),
            data.get("recipient_name", ""), ACTIONS.get(data.get("action"), data.get("action", "")),
            data.get("sheet_number", ""), tuple(f["label"] for f in data.get("fields", [])),
            grounds, data.get("decided_by", ""), data.get("pdf_sha256", ""))

    def verify_log(self) -> ChainStatus:
        records = self.log.all()
        broken = verify_chain(records)
        head = self.log.head()
        if broken is None:
            last = records[-1] if records else None
            if head is None and last is not None:
                broken = last.seq
            elif head is not None and last is None:
                broken = 1
            elif head is not None and last is not None:
                if head.get("seq") != last.seq or head.get("record_hash") != last.record_hash:
                    broken = (last.seq + 1 if isinstance(head.get("seq"), int)
                              and head["seq"] > last.seq else last.seq)
        if broken is None:
            return ChainStatus(True, len(records), None,
                               f"Het verstrekkingenlog is in orde: {len(records)} "
                               f"verstrekking{'en' if len(records) != 1 else ''}, "
                               "de hashketen is onbeschadigd.")
        return ChainStatus(False, len(records), broken,
                           f"Het verstrekkingenlog is gewijzigd of beschadigd: de keten breekt bij "
                           f"verstrekking nr. {broken}. Meld dit aan de functionaris "
                           "gegevensbescherming; verander verder niets.")

    def export_case_log_pdf(self, case_id: int) -> bytes:
        """All disclosures of one case, oldest first (inzageverzoek, FG)."""
        case = self.cases.get_case(case_id)
        views = sorted(self.disclosures(case_id=case_id), key=lambda v: v.seq)
        lines = [LogLine(v.seq, v.created_at.strftime("%d-%m-%Y %H:%M"),
                         v.recipient_name or v.recipient, v.action, v.sheet_number,
                         ", ".join(v.fields), v.grounds, v.decided_by, v.pdf_sha256)
                 for v in views]
        return build_disclosure_log_pdf(
            gemeente=str(self.settings.get("gemeente_naam", "") or ""), case_label=case.label,
            made_by=str(self.settings.get("af_naam", "") or ""), lines=lines,
            chain_ok=self.verify_log().ok, created_on=self.today())

    def tombstone_case(self, case_id: int, reason: str) -> int:
        """For the retention feature: call inside the deletion transaction."""
        return self.log.tombstone_case(case_id, reason, self.today())


# --- file writing -------------------------------------------------------------------------


def _write_error(exc: OSError, target: Path) -> ValidationError:
    folder = target.parent
    if exc.errno == errno.ENOSPC:
        msg = f"De schijf is vol: het blad kon niet worden opgeslagen in {folder}."
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        msg = f"Aandacht mag niet schrijven in {folder}. Kies een andere map."
    elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
        msg = f"De map {folder} bestaat niet. Kies een bestaande map."
    elif exc.errno == errno.ENAMETOOLONG:
        msg = "De bestandsnaam is te lang. Kies een kortere naam."
    else:
        msg = f"Het blad kon niet worden opgeslagen in {folder}."
    return ValidationError(msg + " Er is niets opgeslagen en niets vastgelegd.", "path")


def _pdf_target(path: str | os.PathLike) -> Path:
    target = Path(path).expanduser()
    if target.is_dir() or not target.name:
        raise ValidationError(f"{target} is een map; kies een bestandsnaam.", "path")
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    if target.is_dir():
        raise ValidationError(f"{target} is een map; kies een bestandsnaam.", "path")
    return target


def _write_temp(target: Path, data: bytes) -> Path:
    """Write next to the target under a hidden name; the caller renames it into place."""
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.deel")
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        _remove(tmp)
        raise _write_error(exc, target) from None
    return tmp


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - directories cannot be fsynced on Windows
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


__all__ = ["HandoverService", "PreparedSheet", "DisclosureView", "ChainStatus", "ACTIONS"]
