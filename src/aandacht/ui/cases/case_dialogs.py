"""Small dialogs of the case view: a follow-up to add or complete, closing a case."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain import retention
from aandacht.domain.case import Case, FollowUp
from aandacht.domain.errors import AandachtError
from aandacht.services.cases import REVIEW_DAYS
from aandacht.ui.cases import common


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(dialog)
    dialog.ok_button = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dialog.save)
    buttons.rejected.connect(dialog.reject)
    return buttons


class FollowUpDialog(QDialog):
    """A new follow-up: a due date and what has to happen."""

    def __init__(self, services, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.followup: FollowUp | None = None
        self.setWindowTitle("Follow-up toevoegen")
        self.resize(480, 200)
        self.error = common.ErrorBanner(self)
        self.due_edit = common.make_date_edit(services.cases.today() + dt.timedelta(days=7), self)
        self.what_edit = QLineEdit(self)
        self.what_edit.setPlaceholderText("bijvoorbeeld: SHOP nabellen over opvangplek")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Uiterlijk op", self.due_edit)
        form.addRow("Wat", self.what_edit)
        lay = QVBoxLayout(self)
        lay.addWidget(self.error)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(_buttons(self, "Toevoegen"))

    def save(self) -> bool:
        fu = FollowUp(None, self.case_id, common.from_qdate(self.due_edit.date()),
                      self.what_edit.text())
        try:
            self.followup = self.services.cases.add_followup(fu)
        except AandachtError as err:
            self.error.show_message(str(err))
            return False
        self.accept()
        return True


class CompleteFollowUpDialog(QDialog):
    """Mark a follow-up done; the optional note becomes part of a timeline entry."""

    def __init__(self, services, followup: FollowUp, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.followup = followup
        self.setWindowTitle("Follow-up afronden")
        self.resize(500, 280)
        self.error = common.ErrorBanner(self)
        what = QLabel(f"<b>{common.multiline_html(followup.what)}</b><br>"
                      f"uiterlijk op {common.nl_date(followup.due_on)}", self)
        what.setWordWrap(True)
        self.done_edit = common.make_date_edit(services.cases.today(), self)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setPlaceholderText("wat is er gebeurd? (optioneel)")
        self.note_edit.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow("Afgerond op", self.done_edit)
        form.addRow("Toelichting", self.note_edit)
        hint = QLabel("De afronding komt als regel in de tijdlijn.", self)
        hint.setStyleSheet("color:#52606d;")
        lay = QVBoxLayout(self)
        lay.addWidget(self.error)
        lay.addWidget(what)
        lay.addLayout(form, 1)
        lay.addWidget(hint)
        lay.addWidget(_buttons(self, "Afronden"))

    def save(self) -> bool:
        try:
            self.services.cases.complete_followup(
                self.followup.id, self.note_edit.toPlainText(),
                common.from_qdate(self.done_edit.date()))
        except AandachtError as err:
            self.error.show_message(str(err))
            return False
        self.accept()
        return True


class CloseCaseDialog(QDialog):
    """Close a case with a reason from the retention policy; the deletion date follows from
    the reason and can be adjusted before saving."""

    def __init__(self, services, case: Case, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.case_obj = case
        self.closed: Case | None = None
        self._date_touched = False
        self.setWindowTitle("Casus afsluiten")
        self.resize(560, 380)
        self.error = common.ErrorBanner(self)
        try:
            self.policy = retention.Policy.load(services.settings)
        except AandachtError as err:  # a broken content file: say so, keep the dialog usable
            self.policy = None
            self.error.show_message(str(err))

        self.reason_combo = QComboBox(self)
        for reason in (self.policy.reasons.values() if self.policy else ()):
            self.reason_combo.addItem(reason.label, reason.id)
        self.basis_label = QLabel(self)
        self.basis_label.setWordWrap(True)
        self.basis_label.setStyleSheet("color:#52606d;")
        self.closed_edit = common.make_date_edit(services.cases.today(), self)
        self.delete_edit = common.make_date_edit(services.cases.today(), self)
        self.term_label = QLabel(self)
        self.term_label.setStyleSheet("color:#52606d;")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Reden", self.reason_combo)
        form.addRow("", self.basis_label)
        form.addRow("Afgesloten op", self.closed_edit)
        form.addRow("Verwijderen na", self.delete_edit)
        form.addRow("", self.term_label)
        explain = QLabel(
            f"De bewaartermijn volgt uit de reden (instelbaar per gemeente). {REVIEW_DAYS} dagen "
            "vóór de verwijderdatum verschijnt de casus op het Overzicht onder ‘Te verwijderen’. "
            "Er wordt niets vanzelf verwijderd: dat doe je daar zelf, na controle.", self)
        explain.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.error)
        lay.addLayout(form)
        lay.addWidget(explain)
        lay.addStretch(1)
        lay.addWidget(_buttons(self, "Afsluiten"))

        self.reason_combo.currentIndexChanged.connect(self._recompute)
        self.closed_edit.dateChanged.connect(self._recompute)
        self.delete_edit.dateChanged.connect(self._delete_date_edited)
        self._recompute()

    def reason_id(self) -> str:
        return self.reason_combo.currentData() or ""

    def _recompute(self, *_args) -> None:
        """Follow the policy unless the AF set the deletion date by hand."""
        rid = self.reason_id()
        if not self.policy or rid not in self.policy.reasons:
            return
        reason = self.policy.reasons[rid]
        self.basis_label.setText(reason.basis)
        closed = common.from_qdate(self.closed_edit.date())
        if not self._date_touched:
            blocked = self.delete_edit.blockSignals(True)
            self.delete_edit.setDate(common.to_qdate(self.policy.delete_after(rid, closed)))
            self.delete_edit.blockSignals(blocked)
        self._update_term()

    def _delete_date_edited(self, *_args) -> None:
        self._date_touched = True
        self._update_term()

    def _update_term(self) -> None:
        rid = self.reason_id()
        if not self.policy or rid not in self.policy.reasons:
            return
        closed = common.from_qdate(self.closed_edit.date())
        days = (common.from_qdate(self.delete_edit.date()) - closed).days
        standard = self.policy.reasons[rid].days
        text = f"{_term(days)} na afsluiten"
        if days != standard:
            text += f" (aangepast; standaard voor deze reden: {_term(standard)})"
        self.term_label.setText(text)

    def delete_after(self) -> dt.date:
        return common.from_qdate(self.delete_edit.date())

    def save(self) -> bool:
        if not self.policy:
            return False
        try:
            self.closed = self.services.cases.close_case(
                self.case_obj.id, self.reason_id(), common.from_qdate(self.closed_edit.date()),
                delete_after=self.delete_after(), policy=self.policy)
        except AandachtError as err:
            self.error.show_message(str(err))
            return False
        self.accept()
        return True


def _term(days: int) -> str:
    if days % 365 == 0 and days > 0:
        years = days // 365
        return "1 jaar" if years == 1 else f"{years} jaar"
    return "1 dag" if days == 1 else f"{days} dagen"
