"""One meldcode step as a page: guidance, fields, afwegingsvragen and the decisions.

The page asks the domain which questions are on the path now, what the afwegingskader
concludes and which decisions are still open to choose; it only shows the answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from aandacht.domain import meldcode as mc
from aandacht.ui.meldcode.editors import (
    ChoiceCombo,
    EditorContext,
    FieldForm,
    ListEditor,
    LongText,
    Notify,
    QuestionBox,
    hint_label,
    mark_invalid,
    note_label,
    set_text,
    set_visible,
)


class StepPage(QWidget):
    def __init__(self, content: mc.Meldcode, step: mc.Step, state: mc.MeldcodeState,
                 values: dict[str, Any], ctx: EditorContext,
                 hints: Callable[[str], list[str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.changed = Notify()  # answers, choices and the skip box (not free text)
        self.setObjectName(f"page_{step.id}")
        self.content = content
        self.step = step
        self._state = state
        self._refreshing = False
        self._marked: list[QWidget] = []
        st = state.step(step.id)
        decision = step.id == content.decision_step.id

        lay = QVBoxLayout(self)
        lay.setSpacing(8)
        title = QLabel(f"Stap {step.number} — {step.title}", self)
        title.setObjectName("pageTitle")
        lay.addWidget(title)
        lay.addWidget(hint_label(self._status_text(st, decision), self))
        if step.purpose:
            purpose = QLabel(step.purpose, self)
            purpose.setWordWrap(True)
            purpose.setStyleSheet("font-weight: bold;")
            lay.addWidget(purpose)
        guidance = note_label(step.guidance, "info", self)
        guidance.setObjectName("guidance")
        lay.addWidget(guidance)

        self.banner = QLabel(self)
        self.banner.setObjectName("problems")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setStyleSheet("QLabel { background:#fde2e1; color:#7a1a10; border:1px solid "
                                  "#f1b4ae; border-radius:4px; padding:6px 8px; }")
        self.banner.hide()
        lay.addWidget(self.banner)

        # Step 3: skip for safety, with a required reason.
        self.skip_check: QCheckBox | None = None
        self.skip_reason: LongText | None = None
        if step.skip is not None:
            self.skip_check = QCheckBox(step.skip.label, self)
            self.skip_check.setObjectName("skip_check")
            self.skip_box = QWidget(self)
            sl = QVBoxLayout(self.skip_box)
            sl.setContentsMargins(22, 0, 0, 0)
            if step.skip.guidance:
                sl.addWidget(hint_label(step.skip.guidance, self.skip_box))
            sl.addWidget(QLabel(step.skip.reason_label + " *", self.skip_box))
            self.skip_reason = LongText(self.skip_box, lines=3)
            self.skip_reason.setObjectName("skip_reason")
            sl.addWidget(self.skip_reason)
            lay.addWidget(self.skip_check)
            lay.addWidget(self.skip_box)
            draft = mc.skip_draft(st)
            self.skip_check.setChecked(draft["on"])
            self.skip_reason.setPlainText(draft["reason"])
            self.skip_check.toggled.connect(self._on_change)

        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(8)
        self.form = FieldForm(step.fields, ctx, parent=self.body)
        self.questions: dict[str, QuestionBox] = {}
        qwidgets = []
        for q in content.step_questions(step.id):
            box = QuestionBox(q, self.body)
            box.set_hints(hints(q.id))
            box.set_value(values.get(q.id))
            box.changed.connect(self._on_change)
            self.questions[q.id] = box
            qwidgets.append(box)
        self.outcome = note_label("", "decision", self.body)
        self.outcome.setObjectName("outcome")
        self.outcome.hide()
        self.decision_note = note_label("", "decision", self.body)
        self.decision_note.setObjectName("decision_note")
        self.decision_note.hide()
        if decision:
            # Beslissen: first the questions, then what they lead to, then the decisions.
            for w in qwidgets:
                body.addWidget(w)
            body.addWidget(self.outcome)
            body.addWidget(self.decision_note)
            body.addWidget(self.form)
        else:
            body.addWidget(self.form)
            for w in qwidgets:
                body.addWidget(w)
            body.addWidget(self.outcome)
            self.decision_note.hide()
        lay.addWidget(self.body)

        self.revision_note: QLineEdit | None = None
        if st.completed:
            lay.addWidget(QLabel("Reden van de wijziging (als u iets aanpast)", self))
            self.revision_note = QLineEdit(self)
            self.revision_note.setObjectName("revision_note")
            self.revision_note.setPlaceholderText("Bijvoorbeeld: nieuwe informatie van …")
            self.revision_note.setText(str(values.get(mc.NOTE_DRAFT) or ""))
            lay.addWidget(self.revision_note)
        lay.addStretch(1)

        self.form.set_values(values)
        self.form.changed.connect(self._on_change)
        self._refresh()

    @staticmethod
    def _status_text(st: mc.StepState, decision: bool) -> str:
        if st.completed and st.skipped:
            return "Overgeslagen om veiligheidsredenen op " + _moment(st.recorded_on) + "."
        if st.completed:
            return ("Vastgelegd op " + _moment(st.recorded_on) + ". Pas aan en leg opnieuw vast "
                    "om een wijziging te registreren; de eerdere versie blijft bewaard.")
        return "Nog niet vastgelegd. Wat u invult, wordt als concept bewaard."

    # --- values ------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        out = self.form.values()
        for qid, box in self.questions.items():
            out[qid] = box.value()
        if self.skip_check is not None and self.skip_reason is not None:
            out[mc.SKIP_DRAFT] = {"on": self.skip_check.isChecked(),
                                  "reason": self.skip_reason.toPlainText()}
        if self.revision_note is not None and self.revision_note.text():
            out[mc.NOTE_DRAFT] = self.revision_note.text()
        return out

    def skip_requested(self) -> bool:
        return self.skip_check is not None and self.skip_check.isChecked()

    def skip_reason_text(self) -> str:
        return self.skip_reason.toPlainText() if self.skip_reason is not None else ""

    def revision_text(self) -> str:
        return self.revision_note.text() if self.revision_note is not None else ""

    def set_state(self, state: mc.MeldcodeState) -> None:
        self._state = state
        self._refresh()

    # --- what the domain says now ---------------------------------------------------------
    def _on_change(self, *_args) -> None:
        if self._refreshing:
            return
        self._refresh()
        self.changed()

    def _refresh(self) -> None:
        self._refreshing = True
        try:
            skipping = self.skip_requested()
            if self.skip_check is not None:
                set_visible(self.skip_box, skipping)
                set_visible(self.body, not skipping)
            values = self.values()
            visible = {q.id for q in mc.visible_questions(self.content, self._state,
                                                          self.step.id, values)}
            optional = mc.state_kader(self.content, self._state,
                                      override=(self.step.id, values)).optional_ids
            for qid, box in self.questions.items():
                set_visible(box, qid in visible)
                box.set_optional(qid in optional)
            if self.questions:
                self._show_outcome(values)
            if self.step.id == self.content.decision_step.id:
                self._limit_decisions(values)
        finally:
            self._refreshing = False

    def _show_outcome(self, values: dict[str, Any]) -> None:
        result = mc.state_kader(self.content, self._state, override=(self.step.id, values))
        lines = []
        for o in result.outcomes:
            lines.append(f"Uitkomst afwegingskader: {o.label}.")
        final = result.final
        if final is not None and final.explanation and (result.pending is None or
                                                        not result.pending_required):
            lines.append(final.explanation)
        set_text(self.outcome, "\n".join(lines))
        set_visible(self.outcome, bool(lines))

    def _limit_decisions(self, values: dict[str, Any]) -> None:
        result = mc.state_kader(self.content, self._state, override=(self.step.id, values))
        notes = []
        for role in ("melden", "hulp", "traject"):
            found = self.content.role_field(role)
            if found is None:
                continue
            editor = self.form.editors.get(found[1].id)
            if not isinstance(editor, ChoiceCombo):
                continue
            options = mc.decision_options(self.content, self._state, role, values)
            editor.set_choices(options)
            if len(options) == 1 and role == "melden" and result.binding is not None:
                notes.append(f"Melden bij Veilig Thuis is vereist: {result.binding.reason}. "
                             "'Geen melding' kan daarom niet worden gekozen.")
            elif len(options) == 1 and role == "hulp" and result.final is not None:
                notes.append(f"Het besluit over hulp volgt uit het afwegingskader: "
                             f"{result.final.reason}.")
            elif len(options) == 1 and role == "traject" and result.final is not None:
                notes.append(f"Het traject wordt afgesloten: {result.final.reason}. Leg vast "
                             "hoe.")
        set_text(self.decision_note, "\n".join(notes))
        set_visible(self.decision_note, bool(notes))

    # --- problems -----------------------------------------------------------------------
    def widget_for(self, field: str) -> QWidget | None:
        if field == "skip_reason":
            return self.skip_reason
        if field in self.questions:
            return self.questions[field]
        parts = field.split(".")
        if len(parts) == 3:
            editor = self.form.editors.get(parts[0])
            if isinstance(editor, ListEditor):
                # Empty rows are not counted in the value, so map the n-th counted row.
                rows = [r for r in editor.rows if not r.form.is_empty()]
                n = int(parts[1]) - 1
                if 0 <= n < len(rows):
                    return rows[n].form.editors.get(parts[2])
            return editor
        return self.form.editors.get(field)

    def show_problems(self, problems: Sequence[mc.Problem]) -> QWidget | None:
        self.clear_problems()
        if len(problems) == 1:
            self.banner.setText(problems[0].message)
        else:
            self.banner.setText("Deze stap is nog niet compleet:\n"
                                + "\n".join(f"• {p.message}" for p in problems))
        self.banner.show()
        first = None
        for p in problems:
            w = self.widget_for(p.field)
            if w is not None:
                mark_invalid(w, True)
                self._marked.append(w)
                first = first or w
        if first is not None:
            first.setFocus()
        return first

    def clear_problems(self) -> None:
        for w in self._marked:
            mark_invalid(w, False)
        self._marked = []
        self.banner.hide()
        self.banner.setText("")


def _moment(value: str | None) -> str:
    try:
        return dt.datetime.fromisoformat(value or "").strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return value or "onbekende datum"
