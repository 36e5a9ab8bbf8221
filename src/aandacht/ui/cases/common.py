"""Small shared pieces of the case screens: the modal hooks tests replace, date widgets,
tags for special categories, and the inline error banner.

Every modal goes through `run_dialog`, `confirm` or `show_error` in this module, so a test
monkeypatches them instead of blocking in `exec()`.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QWidget,
)

from aandacht.domain.case import SPECIAL_LABELS, Special

# The widest range a date widget accepts; the domain, not the widget, refuses a date in the
# future or before 2000, so the AF gets its sentence instead of a silently clamped date.
WIDGET_MIN = dt.date(1900, 1, 1)
WIDGET_MAX = dt.date(2100, 12, 31)
DATE_FORMAT = "dd-MM-yyyy"

TAG_STYLES = {
    "special": "background:#f9e8ee; color:#7a1f3d; border:1px solid #ecc7d4;",
    "identifying": "background:#e8eef7; color:#1f3a60; border:1px solid #b9c8de;",
    "warning": "background:#fde2e1; color:#8a1c12; border:1px solid #f1b4ae;",
    "muted": "background:#eeeeee; color:#444444; border:1px solid #cccccc;",
    "ok": "background:#e3f1e5; color:#1d5a2a; border:1px solid #a9d3b1;",
}


# Lists: a little air between rows, and the house selection colour (aandacht.qss gives it
# to table views only).
LIST_STYLE = ("QTreeView { selection-background-color:#f3dbe4; selection-color:#1f2933; }"
              "QTreeView::item { padding: 3px 2px; }")


# --- modal hooks (monkeypatched in tests) ------------------------------------------------
def run_dialog(dialog: QDialog) -> bool:
    """Show a dialog modally; True when the AF confirmed it (the dialog saved itself)."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "Ja",
            no: str = "Nee") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def show_error(parent: QWidget | None, err: Exception | str,
               title: str = "Dat lukte niet") -> None:
    QMessageBox.warning(parent, title, str(err))


# --- dates ---------------------------------------------------------------------------------
def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def nl_date(value: dt.date | None, empty: str = "—") -> str:
    return value.strftime("%d-%m-%Y") if value else empty


def make_date_edit(value: dt.date, parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setDateRange(to_qdate(WIDGET_MIN), to_qdate(WIDGET_MAX))
    edit.setDate(to_qdate(value))
    edit.setMinimumWidth(120)
    # A date does not need the whole row: a stretched date field reads like a text field.
    edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return edit


class OptionalDateEdit(QWidget):
    """A date that may be absent: a check box turns the date on or off.

    A plain QDateEdit cannot be empty; a sentinel date would open its calendar in 1900.
    """

    changed = Signal()

    def __init__(self, text: str, value: dt.date | None = None, default: dt.date | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.check = QCheckBox(text, self)
        self.edit = make_date_edit(value or default or dt.date.today(), self)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.check)
        lay.addWidget(self.edit)
        lay.addStretch(1)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(lambda _on: self.changed.emit())
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())

    def value(self) -> dt.date | None:
        return from_qdate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: dt.date | None) -> None:
        blocked = self.blockSignals(True)
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(to_qdate(value))
        self.blockSignals(blocked)
        self.changed.emit()


# --- tags and banners -------------------------------------------------------------------
def tag(text: str, kind: str = "special", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    # "specialTag" is the house style's name for a special-category marker (aandacht.qss).
    label.setObjectName("specialTag" if kind == "special" else f"tag_{kind}")
    label.setStyleSheet(
        f"QLabel {{ {TAG_STYLES[kind]} border-radius:3px; padding:0px 5px; font-size:8pt; }}")
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return label


def special_tag(special: Special, parent: QWidget | None = None) -> QLabel:
    return tag(SPECIAL_LABELS[special], "special", parent)


def tag_html(text: str, kind: str = "special") -> str:
    """The same tag inside rich text (QTextBrowser / rich QLabel)."""
    colors = {
        "special": ("#f9e8ee", "#7a1f3d"),
        "identifying": ("#e8eef7", "#1f3a60"),
        "warning": ("#fde2e1", "#8a1c12"),
        "muted": ("#eeeeee", "#444444"),
        "ok": ("#e3f1e5", "#1d5a2a"),
    }[kind]
    return (f'<span style="background-color:{colors[0]}; color:{colors[1]}; font-size:small;">'
            f"&nbsp;{html.escape(text)}&nbsp;</span>")


class ErrorBanner(QLabel):
    """An inline message above a form: the AF reads why, and nothing typed is lost."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("error_banner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet("QLabel { background:#fde2e1; color:#7a1a10; border:1px solid #f1b4ae;"
                           " border-radius:4px; padding:6px 8px; }")
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.show()

    def clear_message(self) -> None:
        self.setText("")
        self.hide()


def hint(text: str, parent: QWidget | None = None) -> QLabel:
    """A quiet explanatory sentence (house style `hint`)."""
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    label.setStyleSheet("color:#52606d;")
    return label


def page_title(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("pageTitle")
    label.setStyleSheet("font-size:16pt; font-weight:bold;")
    return label


def multiline_html(text: str) -> str:
    """Escape user text for rich text, keeping its line breaks and its direction per line."""
    return "<br>".join(html.escape(line) for line in text.split("\n"))
