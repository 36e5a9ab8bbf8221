"""A thin read-only table model over `list[CaseSummary]` (one query, one model reset)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtCore import QSortFilterProxyModel

from aandacht.domain.case import (
    FORM_LABELS,
    MINOR_LABELS,
    STATUS_LABELS,
    SUBJECT_LABELS,
    CaseSummary,
    Form,
    Status,
    Subject,
)

(
    COL_LABEL,
    COL_OPENED,
    COL_STATUS,
    COL_SUBJECT,
    COL_FORMS,
    COL_MINOR,
    COL_LAST_ACTIVITY,
    COL_FOLLOWUPS,
    COL_MELDCODE,
) = range(9)

HEADERS = (
    "Label",
    "Geopend",
    "Status",
    "Onderwerp",
    "Vormen",
    "<18",
    "Laatst actief",
    "Acties",
    "Meldcode",
)

HEADER_TIPS = {
    COL_MINOR: "Minderjarig (jonger dan 18)",
    COL_FOLLOWUPS: "Aantal follow-ups dat nog niet is afgerond",
    COL_LAST_ACTIVITY: "Datum van de laatste regel in de tijdlijn",
    COL_MELDCODE: "Waar je bent in de vijf stappen van de meldcode (— = niet gestart)",
}

# A sortable value per cell: dates as ordinals and counts as ints, so the proxy compares
# numbers (a text sort of "03-11-2025" would order by day first).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 2

# Short words for narrow columns; the tooltip carries the full wording.
SUBJECT_SHORT = {Subject.SLACHTOFFER: "Slachtoffer", Subject.LOCATIE: "Locatie / dader"}
FORM_SHORT = {
    Form.SEKSUEEL: "Seksueel",
    Form.ARBEID: "Arbeid",
    Form.CRIMINEEL: "Crimineel",
    Form.ORGAANHANDEL: "Orgaanhandel",
    Form.ONBEKEND: "Onbekend",
}
FORM_ORDER = {f: i for i, f in enumerate(Form)}
STATUS_ORDER = {Status.OPEN: 0, Status.DOORGEZET: 1, Status.AFGESLOTEN: 2}


def nl_date(value: dt.date | None, empty: str = "—") -> str:
    return value.strftime("%d-%m-%Y") if value else empty


def forms_short(forms) -> str:
    return ", ".join(FORM_SHORT[f] for f in sorted(forms, key=FORM_ORDER.__getitem__))


def forms_long(forms) -> str:
    return ", ".join(FORM_LABELS[f] for f in sorted(forms, key=FORM_ORDER.__getitem__))


class CaseTableModel(QAbstractTableModel):
    """Read-only; `set_rows()` replaces everything with one reset (cheap at 10,000 rows)."""

    def __init__(self, rows: list[CaseSummary] | None = None, parent=None):
        super().__init__(parent)
        self._rows: list[CaseSummary] = list(rows or [])
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # --- data in -------------------------------------------------------------------
    def set_rows(self, rows: list[CaseSummary]) -> None:
        rows = list(rows)
        if self._sort_column >= 0:
            self._sort_rows(rows)
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def summary(self, row: int) -> CaseSummary:
        return self._rows[row]

    def case_id(self, row: int) -> int:
        return self._rows[row].id

    def row_of(self, case_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == case_id:
                return i
        return -1

    # --- sorting ----------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort on the same keys SORT_ROLE exposes, with Python's sort (a few ms at 10,000
        rows; QSortFilterProxyModel's own sort calls data() ~300,000 times, ~0.7 s)."""
        self._sort_column, self._sort_order = column, order
        if column < 0 or not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._rows[i.row()].id if i.row() < len(self._rows) else None for i in persistent]
        self._sort_rows(self._rows)
        new_row = {r.id: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent,
            [self.index(new_row[cid], i.column()) if cid in new_row else QModelIndex()
             for i, cid in zip(persistent, ids)])
        self.layoutChanged.emit()

    def _sort_rows(self, rows: list[CaseSummary]) -> None:
        col = self._sort_column
        # Python's sort is stable, also with reverse=True: ties keep the query's order.
        rows.sort(key=lambda r: self._sort_key(r, col),
                  reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    # --- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return HEADER_TIPS.get(section)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == CASE_ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_SUBJECT:
                return SUBJECT_LABELS[r.subject]
            if col == COL_FORMS:
                return forms_long(r.forms)
            if col == COL_MELDCODE and r.meldcode_status:
                return r.meldcode_status
            if col == COL_LABEL:
                return r.label
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_FOLLOWUPS:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _display(r: CaseSummary, col: int):
        if col == COL_LABEL:
            return r.label
        if col == COL_OPENED:
            return nl_date(r.opened_on)
        if col == COL_STATUS:
            return STATUS_LABELS[r.status]
        if col == COL_SUBJECT:
            return SUBJECT_SHORT[r.subject]
        if col == COL_FORMS:
            return forms_short(r.forms)
        if col == COL_MINOR:
            return MINOR_LABELS[r.minor]
        if col == COL_LAST_ACTIVITY:
            return nl_date(r.last_activity)
        if col == COL_FOLLOWUPS:
            return str(r.open_followups) if r.open_followups else ""
        if col == COL_MELDCODE:
            return r.meldcode_status or "—"
        return None

    @staticmethod
    def _sort_key(r: CaseSummary, col: int):
        if col == COL_LABEL:
            return r.label.casefold()
        if col == COL_OPENED:
            return r.opened_on.toordinal()
        if col == COL_STATUS:
            return STATUS_ORDER[r.status]
        if col == COL_SUBJECT:
            return SUBJECT_SHORT[r.subject]
        if col == COL_FORMS:
            return forms_short(r.forms)
        if col == COL_MINOR:
            return MINOR_LABELS[r.minor]
        if col == COL_LAST_ACTIVITY:
            return r.last_activity.toordinal() if r.last_activity else 0
        if col == COL_FOLLOWUPS:
            return r.open_followups
        if col == COL_MELDCODE:
            return r.meldcode_status.casefold()
        return None


class CaseSortProxy(QSortFilterProxyModel):
    """The view's model: sorts on SORT_ROLE (dates as numbers, not as "dd-mm-jjjj" text).

    Filtering is done by the query, not here. Over a CaseTableModel, `sort()` hands the work
    to the source model's key sort: the same order the proxy's own sort would give on
    SORT_ROLE, but fast enough to redo on every search at 10,000 cases. Over any other
    source model the proxy sorts itself on SORT_ROLE.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        src = self.sourceModel()
        if isinstance(src, CaseTableModel):
            src.sort(column, order)
        else:
            super().sort(column, order)

    def case_id(self, proxy_row: int) -> int | None:
        if not 0 <= proxy_row < self.rowCount():
            return None
        return self.data(self.index(proxy_row, 0), CASE_ID_ROLE)
