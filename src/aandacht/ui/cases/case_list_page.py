"""Casussen: every case in one table, with full-text search and filters.

One query per change (search text after a short pause, or a filter), one model reset with
its rows: fast at 10,000 cases. The store turns whatever is typed into a safe FTS query.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.case import FORM_LABELS, SUBJECT_LABELS, Form, Status, Subject
from aandacht.domain.errors import AandachtError
from aandacht.store.cases import CaseFilter
from aandacht.ui.cases import common
from aandacht.ui.cases.case_form import CaseFormDialog
from aandacht.ui.cases.case_table_model import (
    COL_FOLLOWUPS,
    COL_FORMS,
    COL_LABEL,
    COL_LAST_ACTIVITY,
    COL_MELDCODE,
    COL_MINOR,
    COL_OPENED,
    COL_STATUS,
    COL_SUBJECT,
    CaseSortProxy,
    CaseTableModel,
)

SEARCH_DELAY_MS = 250

# (label, statuses) for the status filter; "lopend" is what an AF usually wants to see.
STATUS_CHOICES = (
    ("Alle statussen", frozenset()),
    ("Lopend (open of doorgezet)", frozenset({Status.OPEN, Status.DOORGEZET})),
    ("Open", frozenset({Status.OPEN})),
    ("Doorgezet", frozenset({Status.DOORGEZET})),
    ("Afgesloten", frozenset({Status.AFGESLOTEN})),
)

COLUMN_WIDTHS = {
    COL_LABEL: 170,
    COL_OPENED: 90,
    COL_STATUS: 90,
    COL_SUBJECT: 110,
    COL_FORMS: 140,
    COL_MINOR: 75,
    COL_LAST_ACTIVITY: 105,
    COL_FOLLOWUPS: 60,
}


class CaseTable(QTableView):
    """Enter opens the current case; double-click does too (not `activated`, whose trigger
    differs per platform and could open a case twice)."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class CaseListPage(QWidget):
    """`CaseListPage(services, parent=None)`; emits `open_case(case_id)`."""

    open_case = Signal(int)

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services

        title = common.page_title("Casussen", self)
        self.new_button = QPushButton("Nieuwe casus…", self)
        self.new_button.clicked.connect(self.new_case)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.new_button)

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Zoeken in labels en tijdlijn (alle woorden moeten "
                                            "voorkomen)…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(lambda _t: self.search_timer.start())
        self.search_edit.returnPressed.connect(self.reload)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)

        self.status_combo = QComboBox(self)
        for label, statuses in STATUS_CHOICES:
            self.status_combo.addItem(label, statuses)
        self.form_combo = QComboBox(self)
        self.form_combo.addItem("Alle vormen", None)
        for f in Form:
            self.form_combo.addItem(FORM_LABELS[f], f.value)
        self.subject_combo = QComboBox(self)
        self.subject_combo.addItem("Alle onderwerpen", None)
        for s in Subject:
            self.subject_combo.addItem(SUBJECT_LABELS[s], s.value)
        today = services.cases.today()
        self.from_edit = common.OptionalDateEdit("Geopend vanaf", None,
                                                 default=today.replace(month=1, day=1), parent=self)
        self.to_edit = common.OptionalDateEdit("t/m", None, default=today, parent=self)
        self.reset_button = QPushButton("Filters wissen", self)
        self.reset_button.clicked.connect(self.reset_filters)
        for combo in (self.status_combo, self.form_combo, self.subject_combo):
            # Long item texts must not widen the window past a laptop screen.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.from_edit.changed.connect(self.reload)
        self.to_edit.changed.connect(self.reload)

        # Two short rows rather than one long one: the page must fit a 1280 px laptop screen.
        filters = QVBoxLayout()
        first, second = QHBoxLayout(), QHBoxLayout()
        first.addWidget(self.status_combo)
        first.addWidget(self.form_combo)
        first.addWidget(self.subject_combo)
        first.addStretch(1)
        second.addWidget(self.from_edit)
        second.addWidget(self.to_edit)
        second.addStretch(1)
        second.addWidget(self.reset_button)
        filters.addLayout(first)
        filters.addLayout(second)

        self.model = CaseTableModel(parent=self)
        self.proxy = CaseSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = CaseTable(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        hdr = self.table.horizontalHeader()
        hdr.setHighlightSections(False)
        hdr.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(col, width)
        hdr.setSectionResizeMode(COL_MELDCODE, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(COL_OPENED, Qt.SortOrder.DescendingOrder)
        self._columns_fitted = False
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_requested.connect(self._open_index)

        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("hint")
        self.empty_label.setStyleSheet("color:#52606d; font-size:11pt; padding:40px;")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.count_label = common.hint("", self)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.search_edit)
        lay.addLayout(filters)
        lay.addWidget(self.stack, 1)
        lay.addWidget(self.count_label)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._columns_fitted:
            self._fit_columns()

    def _fit_columns(self) -> None:
        """Never narrower than the header text: the style sheet's bold, padded headers are
        wider than the defaults (and "Laatst actief" must stay readable)."""
        self._columns_fitted = True
        hdr = self.table.horizontalHeader()
        for col, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(col, max(width, hdr.sectionSizeHint(col) + 6))

    # --- page protocol -----------------------------------------------------------------
    def refresh(self) -> None:
        self.reload()

    def clear(self) -> None:
        """Drop all case data: rows, and the search text (it may hold a word from a note)."""
        self.search_timer.stop()
        blocked = self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(blocked)
        self.model.clear()
        self.count_label.clear()
        self.empty_label.clear()

    # --- querying ------------------------------------------------------------------------
    def current_filter(self) -> CaseFilter:
        form = self.form_combo.currentData()
        subject = self.subject_combo.currentData()
        return CaseFilter(
            statuses=self.status_combo.currentData() or frozenset(),
            form=Form(form) if form else None,
            subject=Subject(subject) if subject else None,
            opened_from=self.from_edit.value(),
            opened_to=self.to_edit.value(),
            query=self.search_edit.text(),
        )

    def reload(self) -> None:
        self.search_timer.stop()
        flt = self.current_filter()
        try:
            rows = self.services.cases.list_cases(flt)
        except AandachtError as err:
            common.show_error(self, err)
            return
        selected = self.selected_case_id()
        self.model.set_rows(rows)
        self._show_state(len(rows), flt)
        if selected is not None:
            self.select_case(selected)

    def _show_state(self, n: int, flt: CaseFilter) -> None:
        filtered = bool(flt.query.strip() or flt.statuses or flt.form or flt.subject
                        or flt.opened_from or flt.opened_to)
        if n:
            self.stack.setCurrentWidget(self.table)
            self.count_label.setText("1 casus" if n == 1 else f"{n} casussen")
        elif filtered:
            self.stack.setCurrentWidget(self.empty_label)
            self.empty_label.setText(
                "Geen casussen gevonden met deze zoekwoorden en filters.\n"
                "Probeer minder of andere woorden, of klik op ‘Filters wissen’.")
            self.count_label.setText("0 casussen")
        else:
            self.stack.setCurrentWidget(self.empty_label)
            self.empty_label.setText(
                "Er staan nog geen casussen in het logboek.\n"
                "Klik op ‘Nieuwe casus…’ om een signaal vast te leggen onder een pseudoniem.")
            self.count_label.setText("")
        self.reset_button.setEnabled(filtered)

    def reset_filters(self) -> None:
        for w in (self.status_combo, self.form_combo, self.subject_combo, self.search_edit,
                  self.from_edit, self.to_edit):
            w.blockSignals(True)
        self.status_combo.setCurrentIndex(0)
        self.form_combo.setCurrentIndex(0)
        self.subject_combo.setCurrentIndex(0)
        self.search_edit.clear()
        self.from_edit.set_value(None)
        self.to_edit.set_value(None)
        for w in (self.status_combo, self.form_combo, self.subject_combo, self.search_edit,
                  self.from_edit, self.to_edit):
            w.blockSignals(False)
        self.reload()

    # --- selection and opening ---------------------------------------------------------
    def selected_case_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.proxy.case_id(index.row()) if index.isValid() else None

    def select_case(self, case_id: int) -> bool:
        row = self.model.row_of(case_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, COL_LABEL))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _open_index(self, index: QModelIndex) -> None:
        case_id = self.proxy.case_id(index.row())
        if case_id is not None:
            self.open_case.emit(case_id)

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def new_case(self) -> None:
        dlg = CaseFormDialog(self.services, None, self)
        if common.run_dialog(dlg) and dlg.case is not None:
            self.reload()
            self.select_case(dlg.case.id)
            self.open_case.emit(dlg.case.id)
