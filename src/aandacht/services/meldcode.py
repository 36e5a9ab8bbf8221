"""Use cases of the meldcode walk: keep the walk per case, record steps on the timeline,
turn agreements into follow-ups, and build the meldcode-verslag.

The walk lives in the case's state under "meldcode" and is saved on every page change,
so a lock mid-step loses nothing. Recording a step writes, in one transaction, the
timeline entry, the follow-ups and the new state: a failure leaves all three as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from aandacht.domain import meldcode as mc
from aandacht.domain.case import Entry, EntryKind, FollowUp
from aandacht.domain.signals import Signalen, SignalForm, load_signalen

STATE_KEY = "meldcode"
STATUS_KEY = "meldcode_status"  # {"line": …}: read by the case list (store.cases)
BODY_FIELD_MAX = 4000  # characters per field in the readable entry text; `data` keeps all


class MeldcodeService:
    def __init__(self, cases, content: mc.Meldcode | None = None,
                 signalen: Signalen | None = None,
                 now: Callable[[], dt.datetime] | None = None):
        self.cases = cases
        self.content = content or mc.load_meldcode()
        self.signalen = signalen or load_signalen()
        self._now = now or dt.datetime.now  # injectable clock for tests and demos

    # --- state -------------------------------------------------------------------------
    def state(self, case_id: int) -> mc.MeldcodeState:
        """The walk of a case (a fresh one when none was started)."""
        data = self.cases.get_state(case_id, STATE_KEY)
        if not data:
            return mc.new_state(self.content)
        return mc.MeldcodeState.from_dict(data, self.content)

    def context(self, case_id: int) -> mc.WalkContext:
        return mc.WalkContext.from_case(self.cases.get_case(case_id))

    def _save(self, case_id: int, state: mc.MeldcodeState) -> None:
        line = mc.status_line(state, self.content)
        self.cases.set_state(case_id, STATE_KEY, state.to_dict())
        self.cases.set_state(case_id, STATUS_KEY, {"line": line.removeprefix("Meldcode: ")})

    def status_line(self, case_id: int) -> str:
        return mc.status_line(self.state(case_id), self.content)

    def start_values(self, case_id: int, step_id: str,
                     state: mc.MeldcodeState | None = None) -> dict[str, Any]:
        """What a page shows: the draft, or the defaults from the case for a new step."""
        state = state or self.state(case_id)
        values = state.step(step_id).values
        if values:
            return dict(values)
        return mc.initial_values(self.content, step_id, self.context(case_id))

    # --- changing the walk ---------------------------------------------------------------
    def save_draft(self, case_id: int, step_id: str, values: Mapping[str, Any]
                   ) -> mc.MeldcodeState:
        state = self.state(case_id)
        mc.save_draft(self.content, state, step_id, values, now=self._now())
        self._save(case_id, state)
        return state

    def go_to(self, case_id: int, step_id: str) -> mc.MeldcodeState:
        state = self.state(case_id)
        mc.go_to(self.content, state, step_id)
        self._save(case_id, state)
        return state

    def complete_step(self, case_id: int, step_id: str, values: Mapping[str, Any],
                      note: str = "") -> mc.MeldcodeState:
        """Record a step. The draft is saved first, so a refusal loses nothing typed."""
        self.save_draft(case_id, step_id, values)
        state = self.state(case_id)
        now = self._now()
        with self.cases.vault.transaction():
            rec = mc.complete_step(self.content, state, step_id, values, now=now,
                                   today=self.cases.today(), note=note, signalen=self.signalen)
            self._after_recording(case_id, state, rec)
        return state

    def skip_step(self, case_id: int, step_id: str, reason: str, note: str = ""
                  ) -> mc.MeldcodeState:
        state = self.state(case_id)
        with self.cases.vault.transaction():
            rec = mc.skip_step(self.content, state, step_id, reason, now=self._now(), note=note)
            self._after_recording(case_id, state, rec)
        return state

    def _after_recording(self, case_id: int, state: mc.MeldcodeState,
                         rec: mc.Recording) -> None:
        if rec.first_time or rec.revision is not None:
            entry = self.cases.add_entry(self._entry(case_id, state, rec))
            state.step(rec.step.id).entry_id = entry.id
        if not rec.skipped:
            for spec in mc.followups_from(self.content, rec.step.id, rec.values):
                if spec.key in state.followups_made:
                    continue
                self.cases.add_followup(FollowUp(None, case_id, spec.due_on, spec.what))
                state.followups_made.append(spec.key)
        self._save(case_id, state)

    # --- timeline entries ----------------------------------------------------------------
    def _entry(self, case_id: int, state: mc.MeldcodeState, rec: mc.Recording) -> Entry:
        step = rec.step
        title = f"Meldcode stap {step.number}: {step.title}"
        if rec.revision is not None:
            title = f"Meldcode stap {step.number} herzien: {step.title}"
        if rec.skipped:
            title += " — overgeslagen om veiligheidsredenen"
        data: dict[str, Any] = {
            "step": step.id, "number": step.number, "values": rec.values,
            "skipped": rec.skipped, "content_version": self.content.version,
        }
        if rec.skipped:
            data["skip_reason"] = rec.skip_reason
        if rec.revision is not None:
            data["revision"] = rec.revision
        lines: list[str] = []
        if rec.revision is not None:
            lines += self._revision_lines(rec.revision)
        if rec.skipped:
            label = step.skip.reason_label if step.skip else "Reden"
            lines.append(f"{label}: {rec.skip_reason}")
        else:
            lines += self._value_lines(step, rec.values, state)
        if step.id == self.content.decision_step.id and not rec.skipped:
            result = mc.state_kader(self.content, state, recorded=True)
            data["outcomes"] = [o.id for o in result.outcomes]
            data["decision"] = mc.final_decision(self.content, state)
            summary = mc.decision_summary(self.content, state)
            title += f" — {summary}"
        facts, interpretation = ("", "")
        if not rec.skipped:
            facts, interpretation = mc.observations_text(self.content, step.id, rec.values)
        return Entry(
            id=None, case_id=case_id, kind=EntryKind.MELDCODE, occurred_on=self.cases.today(),
            title=title, facts=facts, interpretation=interpretation,
            body="\n".join(lines), data=data,
        )

    def _value_lines(self, step: mc.Step, values: Mapping[str, Any],
                     state: mc.MeldcodeState) -> list[str]:
        lines = []
        for f in step.fields:
            if not f.relevant(values) or f.role == "observations":
                continue  # observations go to the facts/interpretation fields
            shown = mc.display_value(f, values.get(f.id), self.signalen)
            if not shown:
                continue
            if len(shown) > BODY_FIELD_MAX:
                shown = shown[:BODY_FIELD_MAX] + " … (volledig in het meldcode-verslag)"
            sep = "\n" if "\n" in shown else " "
            lines.append(f"{f.label}:{sep}{shown}")
        result = mc.state_kader(self.content, state, recorded=True)
        for q, a in result.path:
            if q.step != step.id:
                continue
            given = values.get(q.id) or {}
            reasoning = str(given.get("reasoning") or "")[:BODY_FIELD_MAX]
            lines.append(f"Afwegingsvraag {q.number}: {a.label}. Toelichting: {reasoning}")
        return lines

    @staticmethod
    def _revision_lines(rev: Mapping[str, Any]) -> list[str]:
        lines = []
        if rev.get("after_decision"):
            lines.append("Gewijzigd na het besluit: het besluit moet opnieuw worden bekeken.")
        if rev.get("note"):
            lines.append(f"Reden van de wijziging: {rev['note']}")
        for ch in rev.get("changes") or []:
            old = str(ch.get("old") or "(leeg)")[:BODY_FIELD_MAX]
            new = str(ch.get("new") or "(leeg)")[:BODY_FIELD_MAX]
            lines.append(f"{ch.get('label')}: was “{old}”, werd “{new}”")
        if lines:
            lines.append("")
        return lines

    # --- what pages ask --------------------------------------------------------------------
    def signal_forms(self, case_id: int) -> tuple[SignalForm, ...]:
        """The signalenlijsten that fit the case's forms of exploitation."""
        return self.signalen.forms_for(self.context(case_id).forms)

    def hints(self, case_id: int, question_id: str,
              state: mc.MeldcodeState | None = None) -> list[str]:
        state = state or self.state(case_id)
        return mc.hints_for(self.content, state, question_id, self.context(case_id),
                            self.signalen)

    # --- the meldcode-verslag ----------------------------------------------------------------
    def report_pdf(self, case_id: int, gemeente: str, invariant: bool = False) -> bytes:
        from aandacht.reports.meldcode_pdf import build_meldcode_report

        case = self.cases.get_case(case_id)
        return build_meldcode_report(case, self.state(case_id), self.content, gemeente,
                                     invariant, signalen=self.signalen,
                                     made_on=self.cases.today())

    def save_report(self, case_id: int, gemeente: str, path: str | Path) -> Path:
        """Build the verslag in memory and write it to the chosen path, all or nothing."""
        from aandacht.services.reports import write_export

        target = write_export(path, self.report_pdf(case_id, gemeente))
        # A file with case content left the vault: note it (without the path) on the timeline.
        self.cases.add_entry(Entry(
            None, case_id, EntryKind.MELDCODE, self.cases.today(),
            title="Meldcode-verslag opgeslagen (PDF, eigen dossier)",
            body="Het meldcode-verslag is als PDF opgeslagen voor het eigen dossier.",
            data={"report": True}))
        return target

