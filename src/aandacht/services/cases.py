"""Use cases of the case log: cases, timeline, follow-ups, search, closing and retention."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from aandacht.domain import retention
from aandacht.domain.case import (
    MANUAL_KINDS,
    Case,
    CaseSummary,
    Entry,
    EntryKind,
    FollowUp,
    Status,
    validate_case,
    validate_date,
    validate_text,
)
from aandacht.domain.errors import ValidationError
from aandacht.store.cases import CaseFilter, CaseStore, DueFollowUp

REVIEW_DAYS = 30  # the review list shows cases this many days before their deletion date


class CaseService:
    def __init__(self, vault, today=None):
        self.vault = vault
        self.store = CaseStore(vault)
        self._today = today or dt.date.today  # injectable clock for tests and demos

    def today(self) -> dt.date:
        return self._today()

    # --- cases -------------------------------------------------------------------
    def create_case(self, case: Case) -> Case:
        validate_case(case, self.today())
        case.status = Status.OPEN
        case = self.store.insert(case)
        self.store.add_entry(Entry(None, case.id, EntryKind.STATUS, case.opened_on,
                                   title="Casus geopend"))
        return case

    def get_case(self, case_id: int) -> Case:
        return self.store.get(case_id)

    def update_case(self, case: Case) -> Case:
        validate_case(case, self.today())
        return self.store.update(case)

    def list_cases(self, flt: CaseFilter | None = None) -> list[CaseSummary]:
        return self.store.summaries(flt)

    def search(self, text: str) -> list[CaseSummary]:
        return self.store.summaries(CaseFilter(query=text))

    def labels(self) -> list[tuple[int, str]]:
        return self.store.labels()

    # --- timeline ---------------------------------------------------------------------
    def add_entry(self, entry: Entry) -> Entry:
        self._validate_entry(entry)
        return self.store.add_entry(entry)

    def _validate_entry(self, entry: Entry) -> None:
        validate_date(entry.occurred_on, "datum", self.today())
        for attr, label in (("title", "titel"), ("facts", "feiten"),
                            ("interpretation", "interpretatie"), ("body", "tekst")):
            setattr(entry, attr, validate_text(getattr(entry, attr), label))
        if entry.kind in MANUAL_KINDS and not entry.text().strip():
            raise ValidationError("Een lege tijdlijnregel wordt niet opgeslagen. Vul een tekst in.",
                                  "body")

    def correct_entry(self, entry_id: int, **changes) -> Entry:
        """A correction never overwrites silently: the earlier text stays in the history."""
        old = self.store.get_entry(entry_id)
        allowed = {"occurred_on", "title", "facts", "interpretation", "body", "data"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"Onbekend veld: {', '.join(sorted(unknown))}.")
        new = replace(old, **changes)
        self._validate_entry(new)
        if (new.occurred_on, new.title, new.facts, new.interpretation, new.body, new.data) == (
                old.occurred_on, old.title, old.facts, old.interpretation, old.body, old.data):
            return old
        return self.store.replace_entry(old, new)

    def timeline(self, case_id: int) -> list[Entry]:
        return self.store.timeline(case_id)

    # --- state -----------------------------------------------------------------------
    def get_state(self, case_id: int, key: str) -> dict | None:
        return self.store.get_state(case_id, key)

    def set_state(self, case_id: int, key: str, value: dict) -> None:
        self.store.set_state(case_id, key, value)

    # --- follow-ups ----------------------------------------------------------------------
    def add_followup(self, fu: FollowUp) -> FollowUp:
        fu.what = validate_text(fu.what, "wat te doen").strip()
        if not fu.what:
            raise ValidationError("Beschrijf wat er moet gebeuren.", "what")
        if fu.due_on < dt.date(2000, 1, 1):
            raise ValidationError("De vervaldatum ligt vóór 2000; controleer het jaar.", "due_on")
        return self.store.add_followup(fu)

    def complete_followup(self, fu_id: int, note: str = "", done_on: dt.date | None = None) -> Entry:
        fu = self.store.get_followup(fu_id)
        if fu.done_on is not None:
            raise ValidationError("Deze follow-up is al afgerond.")
        done_on = validate_date(done_on or self.today(), "afgerond op", self.today())
        entry = Entry(None, fu.case_id, EntryKind.FOLLOWUP, done_on, title=fu.what,
                      body=validate_text(note, "toelichting"),
                      data={"followup_id": fu.id, "due_on": fu.due_on.isoformat()})
        return self.store.complete_followup(fu, done_on, entry)

    def followups(self, case_id: int) -> list[FollowUp]:
        return self.store.followups(case_id)

    def due_followups(self, horizon_days: int = 7) -> list[DueFollowUp]:
        """Open follow-ups due within the horizon, overdue ones included (oldest first)."""
        return self.store.open_followups_until(self.today() + dt.timedelta(days=horizon_days))

    # --- closing and retention -------------------------------------------------------------
    def close_case(self, case_id: int, reason: str, closed_on: dt.date | None = None,
                   delete_after: dt.date | None = None, policy: retention.Policy | None = None
                   ) -> Case:
        case = self.get_case(case_id)
        if case.status == Status.AFGESLOTEN:
            raise ValidationError("Deze casus is al afgesloten.")
        policy = policy or retention.Policy.load(self.vault.settings)
        closed_on = validate_date(closed_on or self.today(), "afgesloten op", self.today())
        if reason not in policy.reasons:
            raise ValidationError("Kies een reden van afsluiten.", "close_reason")
        case.status = Status.AFGESLOTEN
        case.close_reason = reason
        case.closed_on = closed_on
        case.delete_after = delete_after or policy.delete_after(reason, closed_on)
        if case.delete_after <= closed_on:
            raise ValidationError("De verwijderdatum moet na de datum van afsluiten liggen.",
                                  "delete_after")
        with self.vault.transaction():
            self.store.update(case)
            self.store.add_entry(Entry(
                None, case.id, EntryKind.STATUS, closed_on, title="Casus afgesloten",
                body=f"Reden: {policy.reasons[reason].label}. "
                     f"Te verwijderen na {case.delete_after.strftime('%d-%m-%Y')}.",
                data={"status": "afgesloten", "reason": reason,
                      "delete_after": case.delete_after.isoformat()}))
        return case

    def set_status(self, case_id: int, status: Status) -> Case:
        """Open ↔ doorgezet, or reopen a closed case (clears its deletion date)."""
        case = self.get_case(case_id)
        if status == Status.AFGESLOTEN:
            raise ValidationError("Sluit een casus af via 'Casus afsluiten'.")
        if case.status == status:
            return case
        case.status = status
        case.close_reason = case.closed_on = case.delete_after = None
        with self.vault.transaction():
            self.store.update(case)
            self.store.add_entry(Entry(None, case.id, EntryKind.STATUS, self.today(),
                                       title=f"Status: {status.value}",
                                       data={"status": status.value}))
        return case

    def review_list(self) -> list[Case]:
        """Closed cases whose deletion date falls within the review window or has passed."""
        return self.store.due_for_deletion(self.today() + dt.timedelta(days=REVIEW_DAYS))

    def delete_case(self, case_id: int) -> None:
        case = self.get_case(case_id)
        if case.status != Status.AFGESLOTEN:
            raise ValidationError("Alleen een afgesloten casus kan worden verwijderd.")
        self.store.delete_physically(case, case.close_reason or "", self.today())

    def tombstones(self) -> list[tuple]:
        return self.store.tombstones()


# --- structured timeline entries ----------------------------------------------------------
def consultation_entry(case_id: int, occurred_on: dt.date, with_whom: str, anonymous: bool,
                       advice: str, agreements: str = "") -> Entry:
    """A consultation (meldcode step 2): structure in `data` for the screens, and the same
    facts as readable text in `body`, so search, a correction's history and an export all
    see the words. The case view and the demo both build consultations here."""
    with_whom = (with_whom or "").strip()
    data = {"with": with_whom, "anonymous": bool(anonymous), "advice": advice or "",
            "agreements": agreements or ""}
    lines = [f"Geconsulteerd: {with_whom or 'niet ingevuld'}"
             + (" (anoniem, zonder de persoon te noemen)" if anonymous else " (met naam)")]
    if advice:
        lines.append(f"Advies: {advice}")
    if agreements:
        lines.append(f"Afspraken: {agreements}")
    return Entry(None, case_id, EntryKind.CONSULTATIE, occurred_on,
                 title=f"Consultatie {with_whom}".strip(), body="\n".join(lines), data=data)
