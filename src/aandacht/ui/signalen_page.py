"""Signalenlijst: browse and search the indicators of trafficking per form, with codes.

Usable without a case (a colleague phones with a question). The list is content
(resources/content/signalen.toml), so this page holds no case data at all.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.errors import AandachtError
from aandacht.domain.signals import Signalen, load_signalen

COL_CODE, COL_TEXT, COL_FORM = range(3)


class SignalenPage(QWidget):
    def __init__(self, services=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signalenPage")
        self.signalen: Signalen | None = None
        svc = getattr(services, "meldcode", None) if services is not None else None
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Signalenlijst", self, objectName="pageTitle"))
        self.error = QLabel(self, objectName="errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        try:
            self.signalen = svc.signalen if svc is not None else load_signalen()
        except AandachtError as exc:
            self.error.setText(f"De signalenlijst kan niet worden geladen: {exc}")
            self.error.show()
            lay.addStretch(1)
            return

        caution = QLabel(self.signalen.caution, self, objectName="hint")
        caution.setWordWrap(True)
        lay.addWidget(caution)

        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("signalSearch")
        self.search.setPlaceholderText("Zoek in alle signalen (woord of code, bijv. 'paspoort' "
                                       "of 'SEK-03')…")
        self.search.setClearButtonEnabled(True)
        self.form_filter = QComboBox(self)
        self.form_filter.setObjectName("formFilter")
        self.form_filter.addItem("Alle vormen", "")
        for f in self.signalen.forms:
            self.form_filter.addItem(f.label, f.id)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.form_filter)
        lay.addLayout(bar)

        self.count = QLabel(self, objectName="hint")
        lay.addWidget(self.count)

        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("signalTable")
        self.table.setHorizontalHeaderLabels(["Code", "Signaal", "Vorm"])
        self.table.verticalHeader().hide()
        # Rows follow their wrapped text at every width (52 rows: cheap enough).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_CODE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_FORM, QHeaderView.ResizeMode.ResizeToContents)
        for form in self.signalen.forms:
            for ind in form.indicators:
                r = self.table.rowCount()
                self.table.insertRow(r)
                text = ind.text + ("  (minderjarigen)" if ind.minors else "")
                for col, value in ((COL_CODE, ind.code), (COL_TEXT, text),
                                   (COL_FORM, form.label)):
                    item = QTableWidgetItem(value)
                    item.setData(Qt.ItemDataRole.UserRole, form.id)
                    item.setToolTip(ind.text)
                    self.table.setItem(r, col, item)
        lay.addWidget(self.table, 1)

        groups = QLabel("Kwetsbare groepen (geen signaal op zich, wel reden om alert te zijn): "
                        + "; ".join(f"{g.code} {g.label}" for g in self.signalen.groups), self)
        groups.setObjectName("groups")
        groups.setWordWrap(True)
        lay.addWidget(groups)
        src = self.signalen.source
        source = QLabel(f"Bron: {src.get('title', '')}. {src.get('reference', '')}.", self,
                        objectName="hint")
        source.setWordWrap(True)
        lay.addWidget(source)

        self.search.textChanged.connect(self._filter)
        self.form_filter.currentIndexChanged.connect(self._filter)
        self._filter()

    def _filter(self, *_args) -> None:
        if self.signalen is None:
            return
        form_id = self.form_filter.currentData()
        forms = [f for f in self.signalen.forms if not form_id or f.id == form_id]
        hits = {i.code for i in self.signalen.search(self.search.text(), forms)}
        shown = 0
        for r in range(self.table.rowCount()):
            hide = self.table.item(r, COL_CODE).text() not in hits
            if self.table.isRowHidden(r) != hide:
                self.table.setRowHidden(r, hide)
            shown += not hide
        total = sum(len(f.indicators) for f in self.signalen.forms)
        self.count.setText(f"{shown} van {total} signalen" if shown != total
                           else f"{total} signalen")

    def visible_codes(self) -> list[str]:
        return [self.table.item(r, COL_CODE).text() for r in range(self.table.rowCount())
                if not self.table.isRowHidden(r)]

    def clear(self) -> None:
        # No case data on this page; only the search is reset for the next user.
        if self.signalen is not None:
            self.search.clear()
            self.form_filter.setCurrentIndex(0)

    def refresh(self) -> None:
        if self.signalen is not None:
            self._filter()
