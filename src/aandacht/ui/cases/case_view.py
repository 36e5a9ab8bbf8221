"""One case: header, and tabs Overzicht · Tijdlijn · Meldcode · Routekaart · Overdracht.

All vault access goes through `services.cases`. The meldcode, routekaart and handover parts
are other modules; they are imported when their tab is first shown.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain import retention
from aandacht.domain.case import (
    DETAIL_FIELDS,
    ENTRY_LABELS,
    MANUAL_KINDS,
    MINOR_LABELS,
    SECTION_LABELS,
    SOURCE_LABELS,
    SPECIAL_LABELS,
    STATUS_LABELS,
    SUBJECT_LABELS,
    Case,
    Entry,
    EntryKind,
    FollowUp,
    Status,
    Subject,
)
from aandacht.domain.errors import AandachtError
from aandacht.ui.cases import common
from aandacht.ui.cases.case_dialogs import CloseCaseDialog, CompleteFollowUpDialog, FollowUpDialog
from aandacht.ui.cases.case_form import CaseFormDialog
from aandacht.ui.cases.case_table_model import forms_long
from aandacht.ui.cases.entry_dialog import (
    CORRECTABLE_KINDS,
    EntryDialog,
    HistoryDialog,
    entry_html,
    entry_summary,
)

TAB_OVERZICHT, TAB_TIJDLIJN, TAB_MELDCODE, TAB_ROUTEKAART, TAB_OVERDRACHT = range(5)

STATUS_TAG = {Status.OPEN: "ok", Status.DOORGEZET: "identifying", Status.AFGESLOTEN: "muted"}
OVERDUE = QColor("#b3261e")
DONE = QColor("#777777")


def _import_meldcode():
    from aandacht.ui.meldcode import MeldcodeWidget

    return MeldcodeWidget


def _import_route():
    from aandacht.ui.routekaart import RouteWidget

    return RouteWidget


def _import_handover():
    from aandacht.ui.handover.dialog import HandoverDialog

    return HandoverDialog


# The feature tabs build their widget on first visit.
FEATURE_TABS = {TAB_MELDCODE: _import_meldcode, TAB_ROUTEKAART: _import_route}


def _muted(text: str, parent: QWidget | None = None) -> QLabel:
    return common.hint(text, parent)


def _roomy(tree: QTreeWidget) -> None:
    """A little air between rows: dense lists of dates are hard to read."""
    tree.setStyleSheet(common.LIST_STYLE)


class CaseView(QWidget):
    """`CaseView(services, case_id, parent=None)`.

    Signals: `open_case(int)` when the AF follows the link to the linked case;
    `case_changed(int)` after anything in this case was saved (lists may refresh).
    """

    open_case = Signal(int)
    case_changed = Signal(int)

    def __init__(self, services, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.case: Case | None = None
        self.entries: list[Entry] = []
        self.followups: list[FollowUp] = []
        self._feature_widgets: dict[int, QWidget] = {}

        self._build_header()
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_overview_tab(), "Overzicht")
        self.tabs.addTab(self._build_timeline_tab(), "Tijdlijn")
        for index, title in ((TAB_MELDCODE, "Meldcode"), (TAB_ROUTEKAART, "Routekaart")):
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.tabs.insertTab(index, holder, title)
        self.tabs.addTab(self._build_handover_tab(), "Overdracht")
        self.tabs.currentChanged.connect(self._tab_changed)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(self.header)
        lay.addWidget(self.tabs, 1)
        self.refresh()

    # ======================================================================== building
    def _build_header(self) -> None:
        self.header = QFrame(self)
        self.header.setObjectName("case_header")
        self.header.setStyleSheet("#case_header { background:#f4f6f8; border:1px solid #dde2e7;"
                                  " border-radius:6px; }")
        self.title_label = QLabel(self.header)
        # A style sheet, not setFont: the app's style sheet sets every widget's font size.
        self.title_label.setStyleSheet("font-size:15pt; font-weight:bold;")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_tag = common.tag("", "ok", self.header)
        self.facts_label = QLabel(self.header)
        self.facts_label.setWordWrap(True)
        self.meldcode_label = QLabel(self.header)
        self.meldcode_label.setTextFormat(Qt.TextFormat.PlainText)
        self.meldcode_label.setWordWrap(True)
        self.link_label = QLabel(self.header)
        self.link_label.setTextFormat(Qt.TextFormat.RichText)
        self.link_label.linkActivated.connect(self._follow_link)
        top = QHBoxLayout()
        top.addWidget(self.title_label)
        top.addWidget(self.status_tag, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        lay = QVBoxLayout(self.header)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.setSpacing(3)
        lay.addLayout(top)
        lay.addWidget(self.facts_label)
        lay.addWidget(self.meldcode_label)
        lay.addWidget(self.link_label)

    def _build_overview_tab(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        # -- case data
        data_box = QGroupBox("Casusgegevens", page)
        self.data_form = QFormLayout()
        self.data_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.data_labels: dict[str, QLabel] = {}
        for key, title in (("label", "Label"), ("opened_on", "Geopend op"),
                           ("subject", "Onderwerp"), ("forms", "Vormen"),
                           ("minor", "Minderjarig"), ("source", "Bron van het signaal"),
                           ("linked", "Gekoppelde casus"), ("status", "Status")):
            value = QLabel(data_box)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.data_labels[key] = value
            self.data_form.addRow(title, value)
        self.data_labels["label"].setTextFormat(Qt.TextFormat.PlainText)
        self.data_labels["linked"].setTextFormat(Qt.TextFormat.RichText)
        self.data_labels["linked"].setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.data_labels["linked"].linkActivated.connect(self._follow_link)
        self.edit_button = QPushButton("Gegevens bewerken…", data_box)
        self.edit_button.clicked.connect(self.edit_case)
        v = QVBoxLayout(data_box)
        v.addLayout(self.data_form)
        v.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignLeft)

        details_box = QGroupBox("Optionele gegevens", page)
        self.details_browser = QTextBrowser(details_box)
        self.details_browser.setOpenLinks(False)
        self.details_browser.setFrameShape(QFrame.Shape.NoFrame)
        dv = QVBoxLayout(details_box)
        dv.addWidget(self.details_browser)

        # -- follow-ups
        fu_box = QGroupBox("Follow-ups", page)
        self.followup_tree = QTreeWidget(fu_box)
        self.followup_tree.setHeaderLabels(["Uiterlijk", "Wat", "Stand"])
        self.followup_tree.setRootIsDecorated(False)
        self.followup_tree.setAlternatingRowColors(True)
        self.followup_tree.setUniformRowHeights(True)
        _roomy(self.followup_tree)
        hdr = self.followup_tree.header()
        hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hdr.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        hdr.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        hdr.setStretchLastSection(False)
        self.followup_tree.itemSelectionChanged.connect(self._update_buttons)
        self.followup_tree.itemDoubleClicked.connect(lambda *_: self.complete_followup())
        self.followups_empty = _muted("Geen follow-ups. Zet er een op de agenda als er iets "
                                      "moet gebeuren (nabellen, terugkoppelen, controleren).",
                                      fu_box)
        self.add_followup_button = QPushButton("Follow-up toevoegen…", fu_box)
        self.add_followup_button.clicked.connect(self.add_followup)
        self.complete_followup_button = QPushButton("Afronden…", fu_box)
        self.complete_followup_button.clicked.connect(self.complete_followup)
        fv = QVBoxLayout(fu_box)
        fv.addWidget(self.followup_tree, 1)
        fv.addWidget(self.followups_empty)
        row = QHBoxLayout()
        row.addWidget(self.add_followup_button)
        row.addWidget(self.complete_followup_button)
        row.addStretch(1)
        fv.addLayout(row)

        # -- status
        status_box = QGroupBox("Status", page)
        self.status_text = _muted("", status_box)
        self.forward_button = QPushButton("Doorgezet", status_box)
        self.forward_button.setToolTip("Het signaal is doorgezet naar een partner; de casus loopt "
                                       "nog (bijvoorbeeld voor follow-ups).")
        self.forward_button.clicked.connect(self.mark_forwarded)
        self.close_button = QPushButton("Casus afsluiten…", status_box)
        self.close_button.clicked.connect(self.close_case)
        self.reopen_button = QPushButton("Heropenen", status_box)
        self.reopen_button.clicked.connect(self.reopen)
        sv = QVBoxLayout(status_box)
        sv.addWidget(self.status_text)
        srow = QHBoxLayout()
        for b in (self.forward_button, self.close_button, self.reopen_button):
            srow.addWidget(b)
        srow.addStretch(1)
        sv.addLayout(srow)

        grid.addWidget(data_box, 0, 0)
        grid.addWidget(details_box, 1, 0)
        grid.addWidget(fu_box, 0, 1, 1, 1)
        grid.addWidget(status_box, 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.setRowStretch(1, 1)
        return page

    def _build_timeline_tab(self) -> QWidget:
        page = QWidget()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Toevoegen:", page))
        self.add_entry_buttons: dict[EntryKind, QPushButton] = {}
        for kind in MANUAL_KINDS:
            b = QPushButton(ENTRY_LABELS[kind] + "…", page)
            b.clicked.connect(lambda _c=False, k=kind: self.add_entry(k))
            self.add_entry_buttons[kind] = b
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(QLabel("Toon:", page))
        self.kind_filter = QComboBox(page)
        self.kind_filter.addItem("alle soorten", None)
        for kind, label in ENTRY_LABELS.items():
            self.kind_filter.addItem(label, kind.value)
        self.kind_filter.currentIndexChanged.connect(lambda _i: self._fill_timeline())
        bar.addWidget(self.kind_filter)

        self.timeline_tree = QTreeWidget(page)
        self.timeline_tree.setHeaderLabels(["Datum", "Soort", "Omschrijving", ""])
        self.timeline_tree.setRootIsDecorated(False)
        self.timeline_tree.setUniformRowHeights(True)
        self.timeline_tree.setAlternatingRowColors(True)
        _roomy(self.timeline_tree)
        th = self.timeline_tree.header()
        th.setStretchLastSection(False)
        th.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        th.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        th.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        th.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.timeline_tree.currentItemChanged.connect(lambda *_: self._show_entry())
        self.timeline_tree.itemDoubleClicked.connect(lambda *_: self.correct_entry())

        self.entry_browser = QTextBrowser(page)
        self.entry_browser.setOpenLinks(False)
        self.entry_browser.anchorClicked.connect(lambda _url: self.show_history())
        self.correct_button = QPushButton("Corrigeren…", page)
        self.correct_button.clicked.connect(self.correct_entry)
        self.history_button = QPushButton("Eerdere versies…", page)
        self.history_button.clicked.connect(self.show_history)
        right = QWidget(page)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.entry_browser, 1)
        brow = QHBoxLayout()
        brow.addWidget(self.correct_button)
        brow.addWidget(self.history_button)
        brow.addStretch(1)
        rv.addLayout(brow)

        self.timeline_empty = _muted("Nog geen regels. Leg een signaal, gesprek, consultatie, "
                                     "besluit of notitie vast met de knoppen hierboven.", page)
        left = QWidget(page)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.timeline_tree, 1)
        lv.addWidget(self.timeline_empty)

        split = QSplitter(Qt.Orientation.Horizontal, page)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(page)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        return page

    def _build_handover_tab(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "Een overdracht is een overdrachtsformulier met zo min mogelijk gegevens, als PDF of "
            "op papier. Wat er op mag, bepalen de regels per ontvanger en de grondslagen die je "
            "voor deze casus vastlegt. Elke verstrekking komt in het verstrekkingenlog.", page)
        intro.setWordWrap(True)
        self.shop_button = QPushButton("Overdracht SHOP…", page)
        self.shop_button.setToolTip("Zorgcoördinatie voor slachtoffers (SHOP)")
        self.shop_button.clicked.connect(lambda: self.open_handover("shop"))
        self.oov_button = QPushButton("Overdracht OOV…", page)
        self.oov_button.setToolTip("Intern, route Van signaal tot aanpak (OOV)")
        self.oov_button.clicked.connect(lambda: self.open_handover("oov"))
        self.handover_note = _muted("", page)
        buttons = QHBoxLayout()
        buttons.addWidget(self.shop_button)
        buttons.addWidget(self.oov_button)
        buttons.addStretch(1)
        self.handover_tree = QTreeWidget(page)
        self.handover_tree.setHeaderLabels(["Datum", "Overdracht"])
        self.handover_tree.setRootIsDecorated(False)
        _roomy(self.handover_tree)
        self.handover_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.handover_empty = _muted("Voor deze casus is nog niets overgedragen.", page)
        lay = QVBoxLayout(page)
        lay.addWidget(intro)
        lay.addSpacing(6)
        lay.addLayout(buttons)
        lay.addWidget(self.handover_note)
        lay.addSpacing(12)
        lay.addWidget(QLabel("<b>Eerdere overdrachten van deze casus</b>", page))
        lay.addWidget(self.handover_tree, 1)
        lay.addWidget(self.handover_empty)
        self.handover_stretch = QWidget(page)
        lay.addWidget(self.handover_stretch, 1)
        return page

    # ======================================================================== loading
    def refresh(self) -> None:
        """(Re)load the case from the vault into every widget, the feature tabs included."""
        if not self._reload():
            return
        current = self.tabs.currentIndex()
        if current in FEATURE_TABS:
            self._ensure_feature(current)
        for w in self._feature_widgets.values():
            if hasattr(w, "refresh"):
                w.refresh()

    def _reload(self) -> bool:
        """Reload this view's own parts (header, overview, timeline, handovers)."""
        try:
            self.case = self.services.cases.get_case(self.case_id)
            self.entries = self.services.cases.timeline(self.case_id)
            self.followups = self.services.cases.followups(self.case_id)
            meldcode = self.services.cases.get_state(self.case_id, "meldcode_status") or {}
            linked = (self.services.cases.get_case(self.case.linked_case_id)
                      if self.case.linked_case_id is not None else None)
        except AandachtError as err:
            self.clear()
            self.title_label.setText("Casus niet beschikbaar")
            self.facts_label.setText(str(err))
            return False
        self.setEnabled(True)
        self._fill_header(meldcode.get("line", ""), linked)
        self._fill_overview(linked)
        self._fill_timeline()
        self._fill_handovers()
        self._update_buttons()
        return True

    def clear(self) -> None:
        """Drop every piece of case data from widgets and models (called on lock)."""
        self.case = None
        self.entries = []
        self.followups = []
        for label in (self.title_label, self.facts_label, self.meldcode_label, self.link_label,
                      self.status_text, self.handover_note):
            label.clear()
        self.status_tag.hide()
        for label in self.data_labels.values():
            label.clear()
        self.details_browser.clear()
        self.followup_tree.clear()
        self.timeline_tree.clear()
        self.entry_browser.clear()
        self.handover_tree.clear()
        for widget in self._feature_widgets.values():
            if hasattr(widget, "clear"):
                widget.clear()
        self._feature_widgets.clear()
        for index in FEATURE_TABS:
            _empty(self.tabs.widget(index).layout())
        self.setEnabled(False)

    def _fill_header(self, meldcode_line: str, linked: Case | None) -> None:
        c = self.case
        self.title_label.setText(c.label)
        self.status_tag.setText(STATUS_LABELS[c.status])
        self.status_tag.setStyleSheet(common.tag("", STATUS_TAG[c.status]).styleSheet())
        self.status_tag.show()
        self.facts_label.setText(
            f"{html.escape(SUBJECT_LABELS[c.subject])} · {html.escape(forms_long(c.forms))} · "
            f"minderjarig: {MINOR_LABELS[c.minor].lower()} · geopend {common.nl_date(c.opened_on)}")
        self.meldcode_label.setText(f"Meldcode: {meldcode_line}" if meldcode_line else "")
        self.meldcode_label.setVisible(bool(meldcode_line))
        if linked is not None:
            self.link_label.setText(
                f"Gekoppeld aan: <a href='case:{linked.id}'>{html.escape(linked.label)}</a> "
                "<span style='color:#52606d'>("
                f"{html.escape(SUBJECT_LABELS[linked.subject].lower())})</span>")
        else:
            self.link_label.setText("")
        self.link_label.setVisible(linked is not None)

    def _fill_overview(self, linked: Case | None) -> None:
        c = self.case
        d = self.data_labels
        d["label"].setText(c.label)
        d["opened_on"].setText(common.nl_date(c.opened_on))
        d["subject"].setText(SUBJECT_LABELS[c.subject])
        d["forms"].setText(forms_long(c.forms))
        d["minor"].setText(MINOR_LABELS[c.minor])
        source = SOURCE_LABELS[c.source_type]
        if c.source_department:
            source += f" — {c.source_department}"
        d["source"].setText(html.escape(source))
        d["linked"].setText(
            f"<a href='case:{linked.id}'>{html.escape(linked.label)}</a>" if linked else "geen")
        if c.status == Status.AFGESLOTEN:
            d["status"].setText(f"Afgesloten op {common.nl_date(c.closed_on)} "
                                f"({self._reason_label(c.close_reason)}); te verwijderen na "
                                f"{common.nl_date(c.delete_after)}")
        else:
            d["status"].setText(STATUS_LABELS[c.status])
        self.details_browser.setHtml(self._details_html(c))
        self._fill_followups()
        self._fill_status()

    def _reason_label(self, reason_id: str | None) -> str:
        try:
            reasons = retention.Policy.load(self.services.settings).reasons
        except AandachtError:
            reasons = {}
        return reasons[reason_id].label if reason_id in reasons else (reason_id or "")

    @staticmethod
    def _details_html(c: Case) -> str:
        out = []
        for section, title in SECTION_LABELS.items():
            rows = []
            for spec in DETAIL_FIELDS:
                if not spec.key.startswith(section + "."):
                    continue
                value = c.detail(spec.key)
                if not value.strip():
                    continue
                if spec.kind == "choice":
                    value = dict(spec.choices).get(value, value)
                elif spec.kind == "date":
                    try:
                        value = common.nl_date(dt.date.fromisoformat(value))
                    except ValueError:
                        pass
                tags = ("<br>" + common.tag_html(SPECIAL_LABELS[spec.special])
                        if spec.special else "")
                shown = value if len(value) <= 2000 else value[:2000] + "…"
                rows.append(f"<tr><td width='38%' style='padding:1px 10px 1px 0; color:#444;' "
                            f"valign='top'>{html.escape(spec.label)}{tags}</td>"
                            f"<td style='padding:1px 0;' valign='top'>"
                            f"{common.multiline_html(shown)}</td></tr>")
            if rows:
                out.append(f"<tr><td colspan='2' style='padding:8px 0 2px 0;'>"
                           f"<b>{html.escape(title)}</b></td></tr>" + "".join(rows))
        if not out:
            return ("<p style='color:#52606d;'>Nog geen optionele gegevens vastgelegd. Vul alleen "
                    "in wat nodig is, via ‘Gegevens bewerken…’.</p>")
        return f"<table width='100%' cellspacing='0'>{''.join(out)}</table>"

    def _fill_followups(self) -> None:
        self.followup_tree.clear()
        today = self.services.cases.today()
        for fu in self.followups:
            if fu.done_on is not None:
                state = f"afgerond {common.nl_date(fu.done_on)}"
            elif fu.due_on < today:
                days = (today - fu.due_on).days
                state = f"te laat ({days} {'dag' if days == 1 else 'dagen'})"
            elif fu.due_on == today:
                state = "vandaag"
            else:
                state = "open"
            item = QTreeWidgetItem([common.nl_date(fu.due_on), fu.what.split("\n", 1)[0], state])
            item.setData(0, Qt.ItemDataRole.UserRole, fu.id)
            item.setToolTip(1, fu.what[:2000])
            if fu.done_on is not None:
                for col in range(3):
                    item.setForeground(col, QBrush(DONE))
            elif fu.due_on < today:
                item.setForeground(2, QBrush(OVERDUE))
                bold = QFont(item.font(2))
                bold.setBold(True)
                item.setFont(2, bold)
            self.followup_tree.addTopLevelItem(item)
        has = bool(self.followups)
        self.followup_tree.setVisible(has)
        self.followups_empty.setVisible(not has)

    def _fill_status(self) -> None:
        c = self.case
        if c.status == Status.OPEN:
            text = "Deze casus is open."
        elif c.status == Status.DOORGEZET:
            text = ("Doorgezet naar een partner. Sluit de casus af als er voor jou niets meer "
                    "te doen is.")
        else:
            text = (f"Afgesloten op {common.nl_date(c.closed_on)}. Wordt ter verwijdering "
                    f"voorgelegd rond {common.nl_date(c.delete_after)}. Heropenen laat de "
                    "verwijderdatum vervallen.")
        self.status_text.setText(text)

    def _fill_timeline(self) -> None:
        if not hasattr(self, "timeline_tree"):
            return
        wanted = self.kind_filter.currentData()
        current = self.selected_entry()
        keep = current.id if current else None
        self.timeline_tree.clear()
        select = None
        items = []
        for e in self.entries:
            if wanted and e.kind.value != wanted:
                continue
            item = QTreeWidgetItem([common.nl_date(e.occurred_on), ENTRY_LABELS[e.kind],
                                    entry_summary(e), "gecorrigeerd" if e.history else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, e.id)
            if e.history:
                item.setForeground(3, QBrush(QColor("#8a5a00")))
                item.setToolTip(3, f"{len(e.history)} eerdere versie(s) bewaard")
            if e.kind not in MANUAL_KINDS:
                item.setForeground(1, QBrush(QColor("#555555")))
            items.append(item)
            if e.id == keep:
                select = item
        self.timeline_tree.addTopLevelItems(items)
        if select is None and items:
            select = items[0]
        if select is not None:
            self.timeline_tree.setCurrentItem(select)
        has = bool(self.entries)
        self.timeline_tree.setVisible(has)
        self.timeline_empty.setVisible(not has)
        self._show_entry()

    def _fill_handovers(self) -> None:
        self.handover_tree.clear()
        done = [e for e in self.entries if e.kind == EntryKind.OVERDRACHT]
        for e in done:
            self.handover_tree.addTopLevelItem(
                QTreeWidgetItem([common.nl_date(e.occurred_on), entry_summary(e, 200)]))
        self.handover_tree.setVisible(bool(done))
        self.handover_empty.setVisible(not done)
        self.handover_stretch.setVisible(not done)
        if self.case.subject == Subject.SLACHTOFFER:
            self.handover_note.setText(
                "Dit is een slachtoffercasus. Voor OOV gaat het om de locatie, het bedrijf of de "
                "vermoedelijke dader: maak de OOV-overdracht bij voorkeur vanuit de gekoppelde "
                "locatiecasus; gezondheids-, seksuele en verblijfsgegevens van het slachtoffer "
                "gaan nooit naar OOV.")
        else:
            self.handover_note.setText(
                "Dit is een casus over een locatie, bedrijf of vermoedelijke dader. Slachtoffer"
                "gegevens horen in de gekoppelde slachtoffercasus, niet hier.")

    # ======================================================================== selection
    def selected_entry(self) -> Entry | None:
        item = self.timeline_tree.currentItem() if hasattr(self, "timeline_tree") else None
        if item is None:
            return None
        eid = item.data(0, Qt.ItemDataRole.UserRole)
        return next((e for e in self.entries if e.id == eid), None)

    def selected_followup(self) -> FollowUp | None:
        item = self.followup_tree.currentItem()
        if item is None or not item.isSelected():
            return None
        fid = item.data(0, Qt.ItemDataRole.UserRole)
        return next((f for f in self.followups if f.id == fid), None)

    def select_entry(self, entry_id: int) -> None:
        for i in range(self.timeline_tree.topLevelItemCount()):
            item = self.timeline_tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == entry_id:
                self.timeline_tree.setCurrentItem(item)
                return

    def select_followup(self, fu_id: int) -> None:
        for i in range(self.followup_tree.topLevelItemCount()):
            item = self.followup_tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == fu_id:
                self.followup_tree.setCurrentItem(item)
                item.setSelected(True)
                return

    def _show_entry(self) -> None:
        e = self.selected_entry()
        if e is None:
            self.entry_browser.setHtml("<p style='color:#52606d;'>Kies een regel om hem hier te "
                                       "lezen.</p>" if self.entries else "")
        else:
            self.entry_browser.setHtml(entry_html(e))
        self._update_buttons()

    def _update_buttons(self) -> None:
        c = self.case
        e = self.selected_entry() if c else None
        self.correct_button.setEnabled(e is not None and e.kind in CORRECTABLE_KINDS)
        self.correct_button.setToolTip(
            "" if e is None or e.kind in CORRECTABLE_KINDS else
            "Deze regel is door de app zelf vastgelegd en kan hier niet worden gecorrigeerd.")
        self.history_button.setEnabled(e is not None and bool(e.history))
        fu = self.selected_followup() if c else None
        self.complete_followup_button.setEnabled(fu is not None and fu.done_on is None)
        # Only the actions that apply are shown: a disabled "Heropenen" on an open case
        # only raises the question why.
        status = c.status if c is not None else None
        self.forward_button.setVisible(status == Status.OPEN)
        self.close_button.setVisible(status in (Status.OPEN, Status.DOORGEZET))
        self.reopen_button.setVisible(status in (Status.DOORGEZET, Status.AFGESLOTEN))
        self.reopen_button.setText("Heropenen" if status == Status.AFGESLOTEN
                                   else "Terug naar open")
        self.reopen_button.setToolTip(
            "De casus wordt weer open; de verwijderdatum vervalt."
            if status == Status.AFGESLOTEN else "De casus is toch nog niet doorgezet.")

    # ======================================================================== actions
    def _changed(self) -> None:
        if self.case is None or not self.services.vault.is_open:
            return  # locked while a dialog was open: the view is cleared and about to go
        self._reload()
        self.case_changed.emit(self.case_id)

    def _follow_link(self, href: str) -> None:
        if href.startswith("case:"):
            self.open_case.emit(int(href[5:]))

    def edit_case(self) -> None:
        if self.case is None:
            return
        if common.run_dialog(CaseFormDialog(self.services, self.case, self)):
            self._changed()

    def add_entry(self, kind: EntryKind) -> None:
        if self.case is None:
            return
        dlg = EntryDialog(self.services, self.case_id, kind, parent=self)
        if common.run_dialog(dlg):
            self.kind_filter.setCurrentIndex(0)
            self._changed()
            if dlg.entry is not None:
                self.select_entry(dlg.entry.id)

    def correct_entry(self) -> None:
        e = self.selected_entry()
        if e is None or e.kind not in CORRECTABLE_KINDS:
            return
        if common.run_dialog(EntryDialog(self.services, self.case_id, e.kind, e, self)):
            self._changed()
            self.select_entry(e.id)

    def show_history(self) -> None:
        e = self.selected_entry()
        if e is not None and e.history:
            common.run_dialog(HistoryDialog(e, self))

    def add_followup(self) -> None:
        if self.case is not None and common.run_dialog(
                FollowUpDialog(self.services, self.case_id, self)):
            self._changed()

    def complete_followup(self) -> None:
        fu = self.selected_followup()
        if fu is None or fu.done_on is not None:
            return
        if common.run_dialog(CompleteFollowUpDialog(self.services, fu, self)):
            self._changed()

    def mark_forwarded(self) -> None:
        self._set_status(Status.DOORGEZET)

    def reopen(self) -> None:
        c = self.case
        if c is None:
            return
        if c.status == Status.AFGESLOTEN and not common.confirm(
                self, "Casus heropenen",
                f"De casus wordt weer open. De verwijderdatum ({common.nl_date(c.delete_after)}) "
                "vervalt; bij opnieuw afsluiten wordt een nieuwe datum bepaald.",
                yes="Heropenen", no="Annuleren"):
            return
        self._set_status(Status.OPEN)

    def _set_status(self, status: Status) -> None:
        try:
            self.services.cases.set_status(self.case_id, status)
        except AandachtError as err:
            common.show_error(self, err)
            return
        self._changed()

    def close_case(self) -> None:
        c = self.case
        if c is None or c.status == Status.AFGESLOTEN:
            return
        open_fus = [f for f in self.followups if f.done_on is None]
        if open_fus:
            listed = "\n".join(f"• {common.nl_date(f.due_on)}: {f.what.split(chr(10), 1)[0][:80]}"
                               for f in open_fus[:5])
            more = f"\n… en nog {len(open_fus) - 5}" if len(open_fus) > 5 else ""
            if not common.confirm(
                    self, "Open follow-ups",
                    f"Deze casus heeft nog {len(open_fus)} open follow-up(s):\n{listed}{more}\n\n"
                    "Toch afsluiten? De follow-ups blijven dan open staan tot je ze afrondt of "
                    "de casus verwijderd wordt.", yes="Toch afsluiten", no="Terug"):
                return
        if common.run_dialog(CloseCaseDialog(self.services, c, self)):
            self._changed()

    def open_handover(self, form_id: str) -> None:
        if self.case is None:
            return
        common.run_dialog(_import_handover()(self.services, self.case_id, form_id, self))
        # A handover writes a timeline line and a disclosure, saved or cancelled: reload.
        self._changed()

    # ======================================================================== feature tabs
    def _tab_changed(self, index: int) -> None:
        if index in FEATURE_TABS and self.case is not None:
            self._ensure_feature(index)
        if index in (TAB_OVERZICHT, TAB_TIJDLIJN, TAB_OVERDRACHT):
            # A feature tab may have written a timeline line or a new meldcode status line.
            if self.case is not None and self._feature_widgets:
                self._reload()

    def _ensure_feature(self, index: int) -> None:
        if index in self._feature_widgets:
            return
        holder = self.tabs.widget(index)
        widget_class = FEATURE_TABS[index]()
        _empty(holder.layout())
        widget = widget_class(self.services, self.case_id, holder)
        holder.layout().addWidget(widget)
        self._feature_widgets[index] = widget
        requested = getattr(widget, "handover_requested", None)
        if requested is not None:  # the routekaart's "Overdracht maken…" on a SHOP/OOV card
            requested.connect(lambda _case_id, form_id: self.open_handover(form_id))
        for signal_name in ("changed", "state_changed", "case_changed"):
            signal = getattr(widget, signal_name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(lambda *_a: self.case_changed.emit(self.case_id))
                break


def _empty(layout) -> None:
    """Remove and delete everything a feature tab holds (its widget, or the note)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
