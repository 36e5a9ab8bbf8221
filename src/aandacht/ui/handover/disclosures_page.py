"""Verstrekkingen: the disclosure log, filtered, verified, and exported per case.

Read-only by design: the log is append-only and nothing here changes it. The chain
check says "in orde" or names the first broken record; the export is the log of one
case as a PDF (for an inzageverzoek or the FG), written only where the AF chooses.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.errors import AandachtError, ValidationError
from aandacht.services.handover import DisclosureView
from aandacht.ui.handover import dialog as modal  # its ask_save_path/show_error are the hooks
from aandacht.ui.handover import handover_service
from aandacht.ui.handover.dialog import text_to_date

COL_SEQ, COL_WHEN, COL_RECIPIENT, COL_ACTION, COL_CASE, COL_SHEET, COL_FIELDS, COL_GROUND, \
    COL_BY = range(9)
HEADERS = ["Nr.", "Datum en tijd", "Ontvanger", "Handeling", "Casus", "Bladnummer",
           "Gegevens", "Grondslag", "Besloten door"]


class DisclosureTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[DisclosureView] = []
        self.labels: dict[int, str] = {}

    def set_rows(self, rows: list[DisclosureView], labels: dict[int, str]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.labels = dict(labels)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        v = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_SEQ:
                return str(v.seq)
            if col == COL_WHEN:
                return v.created_at.strftime("%d-%m-%Y %H:%M")
            if col == COL_RECIPIENT:
                return v.recipient_name if v.tombstoned else (v.recipient or "").upper()
            if col == COL_ACTION:
                return v.action
            if col == COL_CASE:
                if v.tombstoned:
                    return "(verwijderd)"
                return self.labels.get(v.case_id, f"casus {v.case_id}")
            if col == COL_SHEET:
                return v.sheet_number
            if col == COL_FIELDS:
                return "" if v.tombstoned else f"{len(v.fields)} gegevens"
            if col == COL_GROUND:
                return "" if v.tombstoned else v.grounds.split(":")[0]
            if col == COL_BY:
                return v.decided_by
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_FIELDS:
            return "\n".join(v.fields)
        if role == Qt.ItemDataRole.ForegroundRole and v.tombstoned:
            from PySide6.QtGui import QColor

            return QColor("#7b8794")
        if role == Qt.ItemDataRole.UserRole:
            return v
        return None


class VerstrekkingenPage(QWidget):
    open_case = Signal(int)

    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.services = services
        self.svc = handover_service(services)
        self.model = DisclosureTableModel(self)

        title = QLabel("Verstrekkingen", self)
        title.setObjectName("pageTitle")
        intro = QLabel(
            "Elke overdracht die is opgeslagen of afgedrukt, staat hier: wanneer, aan wie, "
            "welke gegevens, op welke grondslag en wie besliste. Het log kan niet worden "
            "gewijzigd; een hashketen laat zien of er toch iets in is veranderd.", self)
        intro.setObjectName("hint")
        intro.setWordWrap(True)

        self.recipient = QComboBox(self)
        self.recipient.addItem("Alle ontvangers", None)
        for form in self.svc.forms.values():
            self.recipient.addItem(form.short, form.id)
        self.since = QLineEdit(self)
        self.since.setPlaceholderText("van dd-mm-jjjj")
        self.until = QLineEdit(self)
        self.until.setPlaceholderText("tot en met dd-mm-jjjj")
        for edit in (self.since, self.until):
            edit.setMaximumWidth(150)
            edit.editingFinished.connect(self.reload)
        self.case = QComboBox(self)
        self.case.setMinimumWidth(200)
        self.recipient.currentIndexChanged.connect(self.reload)
        self.case.currentIndexChanged.connect(self.reload)
        reset = QPushButton("Filters wissen", self)
        reset.clicked.connect(self.reset_filters)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Ontvanger", self))
        filters.addWidget(self.recipient)
        filters.addWidget(QLabel("Periode", self))
        filters.addWidget(self.since)
        filters.addWidget(self.until)
        filters.addWidget(QLabel("Casus", self))
        filters.addWidget(self.case, 1)
        filters.addWidget(reset)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_GROUND, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.table.doubleClicked.connect(self._open_case)
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        self.chain_status = QLabel(self)
        self.chain_status.setWordWrap(True)
        self.chain_status.setObjectName("chain_status")
        self.verify_button = QPushButton("Log controleren", self)
        self.verify_button.clicked.connect(self.verify)
        self.export_button = QPushButton("Log van deze casus als PDF…", self)
        self.export_button.setToolTip("Voor een inzageverzoek of de functionaris "
                                      "gegevensbescherming. Kies eerst een casus.")
        self.export_button.clicked.connect(self.export_case)
        self.count = QLabel(self)
        self.count.setObjectName("hint")
        actions = QHBoxLayout()
        actions.addWidget(self.verify_button)
        actions.addWidget(self.chain_status, 1)
        actions.addWidget(self.count)
        actions.addWidget(self.export_button)

        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(intro)
        lay.addLayout(filters)
        lay.addWidget(self.error)
        lay.addWidget(split, 1)
        lay.addLayout(actions)
        self._labels: dict[int, str] = {}
        self.refresh()

    # ------------------------------------------------------------------ page protocol
    def refresh(self) -> None:
        current = self.case.currentData()
        blocked = self.case.blockSignals(True)
        self.case.clear()
        self.case.addItem("Alle casussen", None)
        try:
            self._labels = dict(self.services.cases.labels())
        except AandachtError as err:
            self._labels = {}
            self._show_error(str(err))
        for cid, label in self._labels.items():
            self.case.addItem(label, cid)
        idx = self.case.findData(current)
        self.case.setCurrentIndex(max(idx, 0))
        self.case.blockSignals(blocked)
        self.reload()

    def clear(self) -> None:
        """Called on lock: no label, no log line stays in a widget."""
        self.model.set_rows([], {})
        self._labels = {}
        blocked = self.case.blockSignals(True)
        self.case.clear()
        self.case.blockSignals(blocked)
        self.detail.clear()
        self.chain_status.clear()
        self.count.clear()
        self.since.clear()
        self.until.clear()

    # ------------------------------------------------------------------ filtering
    def reset_filters(self) -> None:
        for w in (self.recipient, self.case):
            blocked = w.blockSignals(True)
            w.setCurrentIndex(0)
            w.blockSignals(blocked)
        self.since.clear()
        self.until.clear()
        self.reload()

    def _date(self, edit: QLineEdit, what: str) -> dt.date | None:
        text = text_to_date(edit.text())
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"'{edit.text()}' bij {what} is geen datum (dd-mm-jjjj).") \
                from None

    def reload(self) -> None:
        try:
            rows = self.svc.disclosures(
                recipient=self.recipient.currentData(), since=self._date(self.since, "van"),
                until=self._date(self.until, "tot en met"), case_id=self.case.currentData())
        except AandachtError as err:
            self._show_error(str(err))
            return
        self.error.hide()
        self.model.set_rows(rows, self._labels)
        self.count.setText(f"{len(rows)} verstrekking{'' if len(rows) == 1 else 'en'}")
        self.detail.setHtml("<p style='color:#52606d'>Kies een regel om te zien welke "
                            "gegevens zijn verstrekt en op welke grondslag.</p>" if rows else
                            "<p style='color:#52606d'>Geen verstrekkingen met deze filters.</p>")
        self.export_button.setEnabled(self.case.currentData() is not None)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # ------------------------------------------------------------------ detail
    def selected(self) -> DisclosureView | None:
        idx = self.table.currentIndex()
        return self.model.rows[idx.row()] if idx.isValid() else None

    def _show_detail(self, *_args) -> None:
        v = self.selected()
        if v is None:
            return
        e = html.escape
        if v.tombstoned:
            stone = v.tombstone or {}
            self.detail.setHtml(
                f"<h3>Nr. {v.seq}: verwijderd</h3><p>De casus is verwijderd "
                f"({e(str(stone.get('reden', 'bewaartermijn')))}, "
                f"{e(str(stone.get('verwijderd_op', '')))}). De inhoud van deze verstrekking is "
                "gewist; de hash blijft in de keten, zodat het log controleerbaar blijft.</p>")
            return
        fields = "".join(f"<li>{e(f)}</li>" for f in v.fields)
        self.detail.setHtml(
            f"<h3>Nr. {v.seq}: {e(v.recipient_name)}</h3>"
            f"<p><b>{e(v.action)}</b> op {v.created_at:%d-%m-%Y} om {v.created_at:%H:%M}, "
            f"bladnummer {e(v.sheet_number)}, door {e(v.decided_by)}.</p>"
            f"<p><b>Grondslag:</b> {e(v.grounds)}</p>"
            f"<p><b>Verstrekte gegevens ({len(v.fields)}):</b></p><ul>{fields}</ul>"
            f"<p style='color:#52606d'>SHA-256 van het blad: {e(v.pdf_sha256)}</p>")

    def _open_case(self, index) -> None:
        v = self.model.rows[index.row()] if index.isValid() else None
        if v is not None and not v.tombstoned and v.case_id is not None:
            self.open_case.emit(v.case_id)

    # ------------------------------------------------------------------ actions
    def verify(self):
        status = self.svc.verify_log()
        color = "#1d5a2a" if status.ok else "#b42318"
        self.chain_status.setStyleSheet(f"QLabel {{ color:{color}; font-weight:bold; }}")
        self.chain_status.setText(status.message)
        if not status.ok and status.first_broken is not None:
            for row, v in enumerate(self.model.rows):
                if v.seq == status.first_broken:
                    self.table.selectRow(row)
        return status

    def export_case(self) -> None:
        case_id = self.case.currentData()
        if case_id is None:
            modal.show_error(self, "Kies eerst bij 'Casus' de casus waarvan u het log wilt "
                                   "exporteren.")
            return
        try:
            pdf = self.svc.export_case_log_pdf(case_id)
        except AandachtError as err:
            modal.show_error(self, err)
            return
        path = modal.ask_save_path(self, "Verstrekkingenlog van de casus opslaan",
                                   f"verstrekkingen_{dt.date.today():%Y%m%d}.pdf")
        if not path:
            return
        try:
            self.svc.save_bytes(pdf, path)
        except AandachtError as err:
            modal.show_error(self, err)
            return
        self.chain_status.setStyleSheet("")
        self.chain_status.setText(f"Het log van de casus is opgeslagen als {path}.")
