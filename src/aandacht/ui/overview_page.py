"""Overzicht: what needs attention today.

Follow-ups due within a week (overdue ones marked), the running cases and the most recently
active of them, and the retention review list ("Te verwijderen") with physical deletion.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain import retention
from aandacht.domain.case import STATUS_LABELS, Case, Status
from aandacht.domain.errors import AandachtError
from aandacht.services.cases import REVIEW_DAYS
from aandacht.store.cases import CaseFilter
from aandacht.ui.cases import common

DUE_DAYS = 7
DUE_LIMIT = 30  # a longer list is not read; the rest is counted below it
RECENT_COUNT = 8
OVERDUE = QColor("#b3261e")


def _tree(headers: list[str], stretch: int) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setStyleSheet(common.LIST_STYLE)
    hdr = tree.header()
    hdr.setStretchLastSection(False)
    for col in range(len(headers)):
        hdr.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == stretch
                                 else QHeaderView.ResizeMode.ResizeToContents)
    return tree


def _fit(tree: QTreeWidget, max_rows: int) -> None:
    """Size a list to its rows (up to `max_rows`, then it scrolls): short lists should not
    leave half the page as empty white space."""
    n = min(max(tree.topLevelItemCount(), 1), max_rows)
    row = tree.sizeHintForRow(0) if tree.topLevelItemCount() else tree.fontMetrics().height() + 8
    tree.setFixedHeight(tree.header().sizeHint().height() + n * row + 2 * tree.frameWidth() + 2)


def _empty_label(text: str) -> QLabel:
    label = common.hint(text)
    label.setStyleSheet("color:#52606d; padding:6px 2px;")
    return label


def _days(n: int) -> str:
    return "1 dag" if n == 1 else f"{n} dagen"


class OverviewPage(QWidget):
    """`OverviewPage(services, parent=None)`; emits `open_case(case_id)`."""

    open_case = Signal(int)
    case_deleted = Signal(int)

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self._review: list[Case] = []

        self.title = common.page_title("Overzicht", self)
        self.date_label = common.hint("", self)

        # --- follow-ups
        fu_box = QGroupBox(f"Follow-ups: over tijd en de komende {DUE_DAYS} dagen", self)
        self.followup_tree = _tree(["Uiterlijk", "Casus", "Wat", "Stand"], 2)
        self.followup_tree.itemDoubleClicked.connect(self._open_item)
        self.followups_empty = _empty_label(
            f"Geen follow-ups die over tijd zijn of de komende {DUE_DAYS} dagen aflopen.")
        self.followups_more = common.hint("", fu_box)
        v = QVBoxLayout(fu_box)
        v.addWidget(self.followup_tree)
        v.addWidget(self.followups_empty)
        v.addWidget(self.followups_more)

        # --- running cases
        cases_box = QGroupBox("Lopende casussen", self)
        self.open_count = QLabel(cases_box)
        self.open_count.setStyleSheet("font-size:20pt; font-weight:bold;")
        self.open_breakdown = common.hint("", cases_box)
        # Three columns: this box shares the row with the follow-ups and must not clip.
        self.recent_tree = _tree(["Casus", "Status", "Laatste activiteit"], 0)
        self.recent_tree.itemDoubleClicked.connect(self._open_item)
        self.recent_empty = _empty_label("Er lopen geen casussen. Een nieuw signaal leg je vast "
                                         "onder Casussen → ‘Nieuwe casus…’.")
        v = QVBoxLayout(cases_box)
        row = QHBoxLayout()
        row.addWidget(self.open_count)
        row.addWidget(self.open_breakdown, 1, Qt.AlignmentFlag.AlignBottom)
        v.addLayout(row)
        v.addWidget(QLabel("Laatst actief:", cases_box))
        v.addWidget(self.recent_tree)
        v.addWidget(self.recent_empty)

        # --- review list
        review_box = QGroupBox("Te verwijderen", self)
        intro = _empty_label(
            f"Afgesloten casussen waarvan de bewaartermijn binnen {REVIEW_DAYS} dagen afloopt of "
            "al verstreken is. Kies een casus, controleer hem en verwijder hem dan definitief; "
            "niets wordt vanzelf verwijderd.")
        self.review_tree = _tree(["Casus", "Afgesloten", "Reden", "Verwijderen na", "Stand"], 2)
        self.review_tree.itemDoubleClicked.connect(self._open_item)
        self.review_tree.itemSelectionChanged.connect(self._update_buttons)
        self.review_empty = _empty_label("Er zijn nu geen casussen om te verwijderen.")
        self.delete_button = QPushButton("Verwijderen…", review_box)
        self.delete_button.clicked.connect(self.delete_selected)
        self.open_button = QPushButton("Casus bekijken", review_box)
        self.open_button.clicked.connect(self._open_selected_review)
        v = QVBoxLayout(review_box)
        v.addWidget(intro)
        v.addWidget(self.review_tree)
        v.addWidget(self.review_empty)
        brow = QHBoxLayout()
        brow.addWidget(self.open_button)
        brow.addWidget(self.delete_button)
        brow.addStretch(1)
        v.addLayout(brow)

        grid = QGridLayout()
        grid.addWidget(fu_box, 0, 0)
        grid.addWidget(cases_box, 0, 1)
        grid.addWidget(review_box, 1, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setAlignment(fu_box, Qt.AlignmentFlag.AlignTop)
        grid.setAlignment(cases_box, Qt.AlignmentFlag.AlignTop)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.date_label)
        lay.addLayout(grid)
        lay.addStretch(1)
        self._update_buttons()

    # --- page protocol -------------------------------------------------------------------
    def refresh(self) -> None:
        cs = self.services.cases
        today = cs.today()
        try:
            due = cs.due_followups(DUE_DAYS)
            running = cs.list_cases(CaseFilter(statuses=frozenset({Status.OPEN,
                                                                   Status.DOORGEZET})))
            self._review = cs.review_list()
            try:
                policy = retention.Policy.load(self.services.settings)
            except AandachtError:
                policy = None
        except AandachtError as err:
            common.show_error(self, err)
            return
        locale = QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands)
        self.date_label.setText(locale.toString(common.to_qdate(today), "dddd d MMMM yyyy")
                                + " · dubbelklik op een regel om de casus te openen")
        self._fill_followups(due, today)
        self._fill_running(running)
        self._fill_review(today, policy)
        self._update_buttons()

    def clear(self) -> None:
        self._review = []
        for tree in (self.followup_tree, self.recent_tree, self.review_tree):
            tree.clear()
        self.open_count.clear()
        self.open_breakdown.clear()
        self.followups_more.clear()
        self._update_buttons()

    # --- filling ---------------------------------------------------------------------------
    def _fill_followups(self, due, today: dt.date) -> None:
        self.followup_tree.clear()
        bold = QFont(self.followup_tree.font())
        bold.setBold(True)
        for d in due[:DUE_LIMIT]:
            fu = d.followup
            late = (today - fu.due_on).days
            if late > 0:
                state = f"TE LAAT · {_days(late)}"
            elif late == 0:
                state = "vandaag"
            else:
                state = f"over {_days(-late)}"
            item = QTreeWidgetItem([common.nl_date(fu.due_on), d.case_label,
                                    fu.what.split("\n", 1)[0], state])
            item.setData(0, Qt.ItemDataRole.UserRole, fu.case_id)
            item.setToolTip(2, fu.what[:2000])
            if late > 0:
                for col in (0, 3):
                    item.setForeground(col, QBrush(OVERDUE))
                    item.setFont(col, bold)
            self.followup_tree.addTopLevelItem(item)
        _fit(self.followup_tree, 12)
        self.followup_tree.setVisible(bool(due))
        self.followups_empty.setVisible(not due)
        rest = len(due) - DUE_LIMIT
        self.followups_more.setText(
            f"En nog {rest} follow-up(s) die hier niet passen; ze staan bij de casussen zelf "
            "(kolom ‘Open follow-ups’ onder Casussen)." if rest > 0 else "")
        self.followups_more.setVisible(rest > 0)

    def _fill_running(self, running) -> None:
        n_open = sum(1 for r in running if r.status == Status.OPEN)
        n_fwd = len(running) - n_open
        self.open_count.setText(str(len(running)))
        self.open_breakdown.setText(
            f"{'lopende casus' if len(running) == 1 else 'lopende casussen'}: "
            f"{n_open} open, {n_fwd} doorgezet")
        recent = sorted(running, key=lambda r: (r.last_activity or r.opened_on, r.id),
                        reverse=True)[:RECENT_COUNT]
        self.recent_tree.clear()
        for r in recent:
            item = QTreeWidgetItem([r.label, STATUS_LABELS[r.status],
                                    common.nl_date(r.last_activity)])
            item.setData(0, Qt.ItemDataRole.UserRole, r.id)
            self.recent_tree.addTopLevelItem(item)
        _fit(self.recent_tree, RECENT_COUNT)
        self.recent_tree.setVisible(bool(recent))
        self.recent_empty.setVisible(not recent)

    def _fill_review(self, today: dt.date, policy) -> None:
        self.review_tree.clear()
        bold = QFont(self.review_tree.font())
        bold.setBold(True)
        for c in self._review:
            reason = (policy.reasons[c.close_reason].label
                      if policy and c.close_reason in policy.reasons else (c.close_reason or ""))
            left = (c.delete_after - today).days
            state = (f"termijn verstreken ({_days(-left)})" if left < 0 else
                     "vandaag" if left == 0 else f"over {_days(left)}")
            item = QTreeWidgetItem([c.label, common.nl_date(c.closed_on), reason,
                                    common.nl_date(c.delete_after), state])
            item.setData(0, Qt.ItemDataRole.UserRole, c.id)
            item.setToolTip(2, reason)
            if left <= 0:
                item.setForeground(4, QBrush(OVERDUE))
                item.setFont(4, bold)
            self.review_tree.addTopLevelItem(item)
        _fit(self.review_tree, 8)
        self.review_tree.setVisible(bool(self._review))
        self.review_empty.setVisible(not self._review)

    # --- actions -----------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        has = self.selected_review_case() is not None
        self.delete_button.setEnabled(has)
        self.open_button.setEnabled(has)

    def _open_item(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        case_id = item.data(0, Qt.ItemDataRole.UserRole)
        if case_id is not None:
            self.open_case.emit(int(case_id))

    def selected_review_case(self) -> Case | None:
        items = self.review_tree.selectedItems()
        if not items:
            return None
        cid = items[0].data(0, Qt.ItemDataRole.UserRole)
        return next((c for c in self._review if c.id == cid), None)

    def select_review_case(self, case_id: int) -> bool:
        for i in range(self.review_tree.topLevelItemCount()):
            item = self.review_tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == case_id:
                self.review_tree.setCurrentItem(item)
                item.setSelected(True)
                return True
        return False

    def _open_selected_review(self) -> None:
        c = self.selected_review_case()
        if c is not None:
            self.open_case.emit(c.id)

    def deletion_text(self, case: Case) -> str:
        """Exactly what goes and what stays, in the AF's words."""
        try:
            entries = self.services.cases.timeline(case.id)
            followups = self.services.cases.followups(case.id)
        except AandachtError:
            entries, followups = [], []
        versions = sum(len(e.history) for e in entries)
        handovers = sum(1 for e in entries if e.kind.value == "overdracht")
        gone = [
            f"• de casusgegevens en alle optionele gegevens (persoon, locatie, situatie) van "
            f"‘{case.label}’",
            f"• de tijdlijn: {len(entries)} regel(s)"
            + (f" en {versions} eerdere versie(s) van gecorrigeerde regels" if versions else ""),
            f"• {len(followups)} follow-up(s)",
            "• de voortgang van meldcode en routekaart en vastgelegde grondslagen",
            "• de zoekindex van deze casus",
        ]
        kept = [
            f"• een grafsteen zonder inhoud: casusnummer {case.id}, geopend "
            f"{common.nl_date(case.opened_on)}, afgesloten {common.nl_date(case.closed_on)}, "
            "de datum van verwijderen (vandaag) en de reden van afsluiten; geen label, geen tekst",
            "• in het verstrekkingenlog worden de verstrekkingen van deze casus"
            + (f" ({handovers} overdracht(en) in de tijdlijn)" if handovers else "")
            + " teruggebracht tot grafstenen: datum en controlegetallen blijven, zodat de keten "
              "controleerbaar blijft; ontvanger, velden en inhoud verdwijnen",
        ]
        linked = ""
        if case.linked_case_id is not None:
            linked = ("\n\nDe gekoppelde casus blijft bestaan; alleen de koppeling verdwijnt.")
        return ("Dit wordt definitief verwijderd en kan niet ongedaan worden gemaakt:\n"
                + "\n".join(gone) + "\n\nWat blijft:\n" + "\n".join(kept) + linked)

    def delete_selected(self) -> None:
        c = self.selected_review_case()
        if c is None:
            return
        if not common.confirm(self, "Casus definitief verwijderen", self.deletion_text(c),
                              yes="Definitief verwijderen", no="Annuleren"):
            return
        try:
            self.services.cases.delete_case(c.id)
        except AandachtError as err:
            common.show_error(self, err)
            return
        self.case_deleted.emit(c.id)
        self.refresh()
