"""Every modal question the main window asks, in one overridable place (tests replace these)."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


# Qt's own file dialog: the desktop's native one may add the file to its recent-files list.
QT_OWN_DIALOG = QFileDialog.Option.DontUseNativeDialog


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "Ja", no: str = "Nee") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes_button


def ask_save_path(parent: QWidget | None, title: str, default_name: str, filters: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, title, default_name, filters,
                                          options=QT_OWN_DIALOG)
    return path
