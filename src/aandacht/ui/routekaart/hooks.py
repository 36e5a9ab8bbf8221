"""Every modal the routekaart and sociale-kaart screens open, in one overridable place.

Tests monkeypatch these functions instead of blocking in `exec()`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


# Qt's own file dialog: the desktop's native one may add the file to its recent-files list.
QT_OWN_DIALOG = QFileDialog.Option.DontUseNativeDialog


def show_error(parent: QWidget | None, err: Exception | str,
               title: str = "Dat lukte niet") -> None:
    QMessageBox.warning(parent, title, str(err))


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "Ja",
            no: str = "Nee") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def ask_save_path(parent: QWidget | None, title: str, default_name: str, filters: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, default_name, filters,
                                          options=QT_OWN_DIALOG)
    return path


def ask_open_path(parent: QWidget | None, title: str, filters: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters, options=QT_OWN_DIALOG)
    return path


def run_dialog(dialog: QDialog) -> bool:
    """Show a dialog modally; True when the AF confirmed it (the dialog saved itself)."""
    return dialog.exec() == QDialog.DialogCode.Accepted
