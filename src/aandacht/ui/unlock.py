"""First-start welcome (create the vault) and the unlock panel (start-up and lock screen)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.errors import AandachtError
from aandacht.domain.passphrase import UnlockThrottle, strength
from aandacht.ui.forms import load_form

# Colours per strength score: red → green, readable on white.
_STRENGTH_COLOURS = ("#b42318", "#b54708", "#a16207", "#15803d", "#166534")


def busy(func: Callable):
    """Run `func` with a wait cursor; the KDF takes about a second by design."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QApplication.processEvents()
    try:
        return func()
    finally:
        QApplication.restoreOverrideCursor()


class UnlockPanel(QWidget):
    """Passphrase entry with the growing delay after repeated failures.

    `try_unlock(passphrase)` is supplied by the owner; it raises an AandachtError with a
    Dutch message on failure. `unlocked` fires after success.
    """

    unlocked = Signal()

    def __init__(self, try_unlock: Callable[[str], None], throttle: UnlockThrottle,
                 hint: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._try_unlock = try_unlock
        self._throttle = throttle
        form = load_form("unlock_panel", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(form)
        self.title: QLabel = form.findChild(QLabel, "title")
        self.title.setObjectName("pageTitle")
        self.info: QLabel = form.findChild(QLabel, "info")
        self.passphrase: QLineEdit = form.findChild(QLineEdit, "passphrase")
        self.message: QLabel = form.findChild(QLabel, "message")
        self.message.setObjectName("errorText")
        self.button: QPushButton = form.findChild(QPushButton, "unlockButton")
        if hint:
            self.info.setText(self.info.text() + "\n" + hint)
        self.button.clicked.connect(self.submit)
        self.passphrase.returnPressed.connect(self.submit)
        self._countdown = QTimer(self)
        self._countdown.setInterval(500)
        self._countdown.timeout.connect(self._tick)
        self._tick()

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def focus(self) -> None:
        self.passphrase.setFocus()

    def submit(self) -> None:
        if self._throttle.wait_left(time.monotonic()) > 0:
            return
        phrase = self.passphrase.text()
        if not phrase:
            self.message.setText("Vul uw wachtwoordzin in.")
            return
        try:
            busy(lambda: self._try_unlock(phrase))
        except AandachtError as exc:
            delay = self._throttle.failed(time.monotonic())
            self.passphrase.selectAll()
            self.message.setText(str(exc))
            if delay:
                self._countdown.start()
                self._tick()
            return
        self._throttle.succeeded()
        self.passphrase.clear()
        self.message.clear()
        self.unlocked.emit()

    def _tick(self) -> None:
        left = self._throttle.wait_left(time.monotonic())
        blocked = left > 0
        self.button.setEnabled(not blocked)
        self.passphrase.setEnabled(not blocked)
        if blocked:
            self.button.setText(f"Wacht {int(left) + 1} s")
        else:
            self.button.setText("Ontgrendelen")
            self._countdown.stop()
            self.passphrase.setFocus()


class UnlockDialog(QDialog):
    def __init__(self, try_unlock: Callable[[str], None], throttle: UnlockThrottle,
                 hint: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Aandacht — ontgrendelen")
        self.panel = UnlockPanel(try_unlock, throttle, hint, self)
        self.panel.set_title("Aandacht ontgrendelen")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.panel)
        self.panel.unlocked.connect(self.accept)
        self.resize(460, 240)


class WelcomeDialog(QDialog):
    """First start: explain, choose a passphrase (with strength and confirmation), gemeente.

    `create(gemeente, passphrase)` and `restore(path, passphrase)` are supplied by app.py;
    they raise AandachtError with a Dutch message on failure.
    """

    def __init__(self, create: Callable[[str, str], None],
                 restore: Callable[[str, str], None], parent: QWidget | None = None):
        super().__init__(parent)
        self._create = create
        self._restore = restore
        self.setWindowTitle("Aandacht — eerste start")
        form = load_form("welcome_panel", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(form)
        form.findChild(QLabel, "title").setObjectName("pageTitle")
        self.gemeente: QLineEdit = form.findChild(QLineEdit, "gemeente")
        self.passphrase: QLineEdit = form.findChild(QLineEdit, "passphrase")
        self.confirm: QLineEdit = form.findChild(QLineEdit, "confirm")
        self.strength_bar: QProgressBar = form.findChild(QProgressBar, "strengthBar")
        self.strength_label: QLabel = form.findChild(QLabel, "strengthLabel")
        self.strength_hint: QLabel = form.findChild(QLabel, "strengthHint")
        self.message: QLabel = form.findChild(QLabel, "message")
        self.message.setObjectName("errorText")
        self.create_button: QPushButton = form.findChild(QPushButton, "createButton")
        self.restore_button: QPushButton = form.findChild(QPushButton, "restoreButton")
        from PySide6.QtWidgets import QCheckBox

        show = form.findChild(QCheckBox, "showPassphrase")
        show.toggled.connect(self._toggle_visible)
        self.passphrase.textChanged.connect(self._update_strength)
        self.confirm.textChanged.connect(lambda _: self.message.clear())
        self.create_button.clicked.connect(self.submit)
        self.restore_button.clicked.connect(self.restore_backup)
        self._update_strength("")
        self.resize(600, 560)

    def _toggle_visible(self, on: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirm.setEchoMode(mode)

    def _update_strength(self, text: str) -> None:
        s = strength(text)
        self.strength_bar.setValue(s.score if text else 0)
        colour = _STRENGTH_COLOURS[s.score]
        self.strength_bar.setStyleSheet(
            f"QProgressBar::chunk {{ background: {colour}; border-radius: 3px; }}")
        self.strength_label.setText(s.label if text else "—")
        self.strength_hint.setText(s.hint)

    def submit(self) -> None:
        gemeente = self.gemeente.text().strip()
        phrase = self.passphrase.text()
        if not gemeente:
            self.message.setText("Vul de naam van uw gemeente in; die komt op de overdrachten.")
            self.gemeente.setFocus()
            return
        s = strength(phrase)
        if not s.acceptable:
            self.message.setText(f"De wachtwoordzin is nog te zwak: {s.hint}")
            self.passphrase.setFocus()
            return
        if phrase != self.confirm.text():
            self.message.setText("De twee wachtwoordzinnen zijn niet gelijk. Typ ze opnieuw.")
            self.confirm.setFocus()
            return
        try:
            self.message.setText("De kluis wordt aangemaakt en beveiligd; dit duurt enkele seconden…")
            busy(lambda: self._create(gemeente, phrase))
        except AandachtError as exc:
            self.message.setText(str(exc))
            return
        self.accept()

    def restore_backup(self) -> None:
        path = ask_backup_file(self)
        if not path:
            return
        phrase = self.passphrase.text()
        if not phrase:
            self.message.setText("Vul eerst de wachtwoordzin van de reservekopie in en kies dan "
                                 "opnieuw 'Reservekopie terugzetten…'.")
            self.passphrase.setFocus()
            return
        try:
            busy(lambda: self._restore(path, phrase))
        except AandachtError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


def ask_backup_file(parent: QWidget) -> str:
    """Overridable in tests: which backup file to restore."""
    path, _ = QFileDialog.getOpenFileName(parent, "Reservekopie kiezen", "",
                                          "Aandacht-reservekopie (*.aandacht);;Alle bestanden (*)",
                                          options=QFileDialog.Option.DontUseNativeDialog)
    return path
