"""Instellingen: gemeente and sender details, lock, retention, passphrase, backup."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.errors import AandachtError
from aandacht.domain.passphrase import strength
from aandacht.domain.retention import Policy
from aandacht.ui import dialogs
from aandacht.ui.unlock import busy

DEFAULT_LOCK_MINUTES = 10

SENDER_FIELDS = (
    ("gemeente_naam", "Gemeente"),
    ("af_naam", "Uw naam (afzender overdracht)"),
    ("af_functie", "Functie"),
    ("af_contact", "Werkcontact (telefoon of e-mail)"),
)


class PassphraseDialog(QDialog):
    def __init__(self, change, parent=None):
        super().__init__(parent)
        self._change = change
        self.setWindowTitle("Wachtwoordzin wijzigen")
        form = QFormLayout()
        self.old = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.new = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.strength = QLabel("—")
        form.addRow("Huidige wachtwoordzin", self.old)
        form.addRow("Nieuwe wachtwoordzin", self.new)
        form.addRow("Sterkte", self.strength)
        form.addRow("Herhaal nieuwe", self.confirm)
        self.message = QLabel(objectName="errorText", wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Wijzigen")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.new.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "De kluis wordt opnieuw versleuteld met een nieuwe sleutel. Als dit onderbroken wordt, "
            "blijft de oude wachtwoordzin werken.", wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _update(self, text: str) -> None:
        s = strength(text)
        self.strength.setText(f"{s.label} — {s.hint}" if text else "—")

    def submit(self) -> None:
        s = strength(self.new.text())
        if not s.acceptable:
            self.message.setText(f"De nieuwe wachtwoordzin is te zwak: {s.hint}")
            return
        if self.new.text() != self.confirm.text():
            self.message.setText("De twee nieuwe wachtwoordzinnen zijn niet gelijk.")
            return
        try:
            busy(lambda: self._change(self.old.text(), self.new.text()))
        except AandachtError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


def ask_passphrase_change(parent, change) -> bool:
    """Overridable in tests."""
    return PassphraseDialog(change, parent).exec() == QDialog.DialogCode.Accepted


class SettingsPage(QWidget):
    settings_changed = Signal()

    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.services = services
        outer = QVBoxLayout(self)
        title = QLabel("Instellingen", objectName="pageTitle")
        outer.addWidget(title)
        scroll = QScrollArea(widgetResizable=True)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)

        sender = QGroupBox("Gemeente en afzender (komt op overdrachtsformulieren)")
        sform = QFormLayout(sender)
        self.sender_edits: dict[str, QLineEdit] = {}
        for key, label in SENDER_FIELDS:
            edit = QLineEdit()
            self.sender_edits[key] = edit
            sform.addRow(label, edit)
        layout.addWidget(sender)

        lock = QGroupBox("Vergrendelen")
        lform = QFormLayout(lock)
        self.lock_minutes = QSpinBox(minimum=1, maximum=60, suffix=" min")
        self.lock_minutes.setMaximumWidth(140)
        self.lock_on_minimise = QCheckBox("Ook vergrendelen bij minimaliseren")
        lform.addRow("Vergrendelen na inactiviteit", self.lock_minutes)
        lform.addRow("", self.lock_on_minimise)
        lform.addRow("", QLabel("Met Ctrl+L vergrendelt u direct.", objectName="hint"))
        layout.addWidget(lock)

        retention = QGroupBox("Bewaartermijnen na afsluiten (vast te stellen door records manager en FG)")
        rform = QFormLayout(retention)
        self.retention_spins: dict[str, QSpinBox] = {}
        for reason in Policy.defaults().reasons.values():
            spin = QSpinBox(minimum=1, maximum=365 * 30, suffix=" dagen")
            spin.setToolTip(reason.basis)
            spin.setMaximumWidth(140)
            self.retention_spins[reason.id] = spin
            rform.addRow(reason.label, spin)
        layout.addWidget(retention)

        vault_box = QGroupBox("Kluis")
        vrow = QHBoxLayout(vault_box)
        self.change_button = QPushButton("Wachtwoordzin wijzigen…")
        self.backup_button = QPushButton("Reservekopie maken…")
        vrow.addWidget(self.change_button)
        vrow.addWidget(self.backup_button)
        vrow.addStretch(1)
        layout.addWidget(vault_box)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton("Opslaan")
        self.save_button.setDefault(True)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)

        self.save_button.clicked.connect(self.save)
        self.change_button.clicked.connect(self.change_passphrase)
        self.backup_button.clicked.connect(lambda: make_backup(self, self.services))
        self.refresh()

    def refresh(self) -> None:
        s = self.services.settings
        for key, edit in self.sender_edits.items():
            edit.setText(s.get(key, "") or "")
        self.lock_minutes.setValue(int(s.get("lock_minutes", DEFAULT_LOCK_MINUTES)))
        self.lock_on_minimise.setChecked(bool(s.get("lock_on_minimise", False)))
        policy = Policy.load(s)
        for rid, spin in self.retention_spins.items():
            spin.setValue(policy.reasons[rid].days)

    def clear(self) -> None:
        for edit in self.sender_edits.values():
            edit.clear()

    def save(self) -> None:
        s = self.services.settings
        try:
            for key, edit in self.sender_edits.items():
                s.set(key, edit.text().strip())
            s.set("lock_minutes", self.lock_minutes.value())
            s.set("lock_on_minimise", self.lock_on_minimise.isChecked())
            s.set("retention_days", {rid: spin.value() for rid, spin in self.retention_spins.items()})
        except AandachtError as exc:
            dialogs.warn(self, "Niet opgeslagen", str(exc))
            return
        self.settings_changed.emit()
        dialogs.inform(self, "Opgeslagen", "De instellingen zijn opgeslagen.")

    def change_passphrase(self) -> None:
        if ask_passphrase_change(self, self.services.vault.change_passphrase):
            dialogs.inform(self, "Wachtwoordzin gewijzigd",
                           "De kluis is opnieuw versleuteld. Gebruik voortaan de nieuwe "
                           "wachtwoordzin. Oude reservekopieën openen nog met de oude.")


def make_backup(parent, services) -> None:
    name = f"aandacht-reservekopie-{dt.date.today().isoformat()}.aandacht"
    path = dialogs.ask_save_path(parent, "Reservekopie opslaan", name,
                                 "Aandacht-reservekopie (*.aandacht)")
    if not path:
        return
    try:
        busy(lambda: services.vault.backup(path))
    except AandachtError as exc:
        dialogs.warn(parent, "Reservekopie niet gemaakt", str(exc))
        return
    dialogs.inform(parent, "Reservekopie gemaakt",
                   f"De reservekopie staat in {path}. Hij is versleuteld en opent met uw huidige "
                   "wachtwoordzin. Bewaar hem op een veilige plek.")
