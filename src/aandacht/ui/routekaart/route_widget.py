"""Walking the routekaart: questions, the answers so far, the recipients at the end, and
the map of the whole tree with the walk's path.

`RouteWidget(services, case_id, parent)` is used inside a case (the walk is kept as a
draft per case and recorded as a timeline entry) and, with `case_id=None`, on the
Routekaart navigation page (a walk without a case; "Bewaar als casus…" afterwards).
All rules come from the domain walk; this widget only shows what it names.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain.errors import AandachtError
from aandacht.domain.routekaart import RouteWalk
from aandacht.services.routekaart import RoutekaartService
from aandacht.services.sociale_kaart import SocialeKaartService
from aandacht.ui.cases.common import nl_date
from aandacht.ui.routekaart import hooks
from aandacht.ui.routekaart.cards import OutcomeCard
from aandacht.ui.routekaart.map_view import RouteMapView
from aandacht.ui.routekaart.question_page import QuestionPage

RECONSTRUCTION_NOTE = ("Deze routekaart is een reconstructie volgens de domeinbrief. Controleer "
                       "haar tegen de regionale signalenroutekaart (RSIV) voordat u erop "
                       "vertrouwt.")


def route_service(services) -> RoutekaartService:
    return services.routekaart or RoutekaartService(services.cases, services.settings)


def kaart_service(services) -> SocialeKaartService:
    return services.sociale_kaart or SocialeKaartService(services.settings)


class RouteWidget(QWidget):
    handover_requested = Signal(int, str)  # case id, "shop" | "oov"
    open_case = Signal(int)
    recorded = Signal(int)  # the timeline entry's id
    walk_changed = Signal()

    def __init__(self, services, case_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.routes = route_service(services)
        self.kaart = kaart_service(services)
        self.walk: RouteWalk = self.routes.new_walk()
        self._recorded_entry_id: int | None = None
        self._preselect: tuple[str, ...] = ()

        self.note = QLabel(RECONSTRUCTION_NOTE, objectName="routeNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("QLabel { background:#fff1c2; color:#5c4300; border:1px solid "
                                "#e8cf7a; border-radius:4px; padding:5px 8px; }")

        self.tabs = QTabWidget(objectName="routeTabs")
        self.tabs.addTab(self._build_route_tab(), "Vragen")
        self.tabs.addTab(self._build_map_tab(), "Kaart")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)

        if case_id is not None:
            self.walk = self.routes.load_draft(case_id) or self.routes.new_walk()
        self._show()

    # --- building ------------------------------------------------------------------------
    def _build_route_tab(self) -> QWidget:
        tab = QWidget()
        row = QHBoxLayout(tab)
        row.setContentsMargins(8, 8, 8, 8)

        side = QVBoxLayout()
        side.addWidget(QLabel("Uw antwoorden", objectName="sectionTitle"))
        self.breadcrumb = QListWidget(objectName="breadcrumb")
        self.breadcrumb.setWordWrap(True)
        self.breadcrumb.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.breadcrumb.setToolTip("Klik op een antwoord om die vraag opnieuw te beantwoorden.")
        self.breadcrumb.itemClicked.connect(self._crumb_clicked)
        self.breadcrumb.setStyleSheet("QListWidget { border:1px solid #ddd8d0; } "
                                      "QListWidget::item { padding:5px 4px; }")
        side.addWidget(self.breadcrumb, 1)
        self.restart_button = QPushButton("Opnieuw beginnen", objectName="routeRestart")
        self.restart_button.clicked.connect(self._restart)
        side.addWidget(self.restart_button)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setFixedWidth(290)
        row.addWidget(side_box)

        self.stack = QStackedWidget()
        self.question = QuestionPage()
        self.question.answered.connect(self._answered)
        self.question.back_requested.connect(self._back)
        self.stack.addWidget(self.question)
        self.end_page = self._build_end_page()
        self.stack.addWidget(self.end_page)
        row.addWidget(self.stack, 1)
        return tab

    def _build_end_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.end_title = QLabel(objectName="routeEndTitle")
        self.end_title.setStyleSheet("QLabel { font-size: 14pt; font-weight: bold; "
                                     "color:#1f2933; }")
        layout.addWidget(self.end_title)
        self.end_summary = QLabel(objectName="routeSummary")
        self.end_summary.setWordWrap(True)
        self.end_summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.end_summary)
        self.end_hint = QLabel(objectName="hint")
        self.end_hint.setWordWrap(True)
        layout.addWidget(self.end_hint)

        self.cards_box = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_box)
        self.cards_layout.setContentsMargins(0, 4, 8, 4)
        self.cards_layout.setSpacing(10)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.cards_box)
        scroll.viewport().setAutoFillBackground(False)
        self.cards_box.setAutoFillBackground(False)
        layout.addWidget(scroll, 1)

        buttons = QHBoxLayout()
        self.change_button = QPushButton("← Antwoord wijzigen", objectName="routeChange")
        self.change_button.clicked.connect(self._back)
        buttons.addWidget(self.change_button)
        buttons.addStretch(1)
        self.status_label = QLabel(objectName="hint", wordWrap=True)
        buttons.addWidget(self.status_label)
        if self.case_id is not None:
            self.record_button = QPushButton("Vastleggen in de tijdlijn", objectName="routeRecord")
            self.record_button.clicked.connect(self.record)
        else:
            self.record_button = QPushButton("Bewaar als casus…", objectName="routeSaveCase")
            self.record_button.clicked.connect(self.save_as_case)
        self.record_button.setDefault(True)
        buttons.addWidget(self.record_button)
        layout.addLayout(buttons)
        self.cards: list[OutcomeCard] = []
        return page

    def _build_map_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.highlight_check = QCheckBox("Gekozen pad markeren", objectName="mapHighlight")
        self.highlight_check.setChecked(True)
        self.highlight_check.toggled.connect(lambda on: self.map.set_highlight(on))
        bar.addWidget(self.highlight_check)
        bar.addStretch(1)
        fit = QPushButton("Passend maken")
        fit.clicked.connect(lambda: self.map.fit())
        bar.addWidget(fit)
        png = QPushButton("Opslaan als PNG…", objectName="mapPng")
        png.clicked.connect(lambda: self._export_map("png"))
        bar.addWidget(png)
        pdf = QPushButton("Opslaan als PDF…", objectName="mapPdf")
        pdf.clicked.connect(lambda: self._export_map("pdf"))
        bar.addWidget(pdf)
        layout.addLayout(bar)
        self.map = RouteMapView(self.walk.tree)
        layout.addWidget(self.map, 1)
        return tab

    # --- showing -------------------------------------------------------------------------
    def _show(self) -> None:
        self.note.setVisible(self.walk.tree.source.get("status") == "reconstructie")
        self._fill_breadcrumb()
        node = self.walk.current
        if node is None:
            self._fill_end()
            self.stack.setCurrentWidget(self.end_page)
        else:
            self.question.show_node(node, self.walk.tree.answers(node.id),
                                    number=len(self.walk.steps) + 1,
                                    can_go_back=not self.walk.at_start,
                                    preselect=self._preselect)
            self.stack.setCurrentWidget(self.question)
        self._preselect = ()
        self.restart_button.setEnabled(not self.walk.at_start)
        self.map.set_tree(self.walk.tree)
        self.map.set_walk(self.walk)

    def _fill_breadcrumb(self) -> None:
        self.breadcrumb.clear()
        for i, (node, answers) in enumerate(self.walk.breadcrumb, 1):
            text = f"{i}. {node.short}\n    {' + '.join(a.label for a in answers)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, i - 1)
            item.setToolTip(node.question)
            self.breadcrumb.addItem(item)
        if not self.walk.finished:
            item = QListWidgetItem(f"{len(self.walk.steps) + 1}. {self.walk.current.short}\n"
                                   "    (nu aan de beurt)")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.breadcrumb.addItem(item)

    def _fill_end(self) -> None:
        self.cards = []
        while self.cards_layout.count():
            item = self.cards_layout.takeAt(0)
            old = item.widget()
            if old is not None:
                old.hide()
                old.setParent(None)
                old.deleteLater()
        outcomes = self.walk.result()
        n = len(outcomes)
        self.end_title.setText("Ontvanger" if n == 1 else f"{n} ontvangers")
        self.end_summary.setText(" &nbsp;→&nbsp; ".join(
            f"<b style='color:#7a1f3d'>{i}.</b> {html.escape(o.short)}"
            for i, o in enumerate(outcomes, 1)))
        self.end_hint.setText("Deze ontvangers horen bij uw antwoorden. Per ontvanger: wie, "
                              "waarom, hoe bereikbaar, wat gedeeld mag worden en op welke grond. "
                              "Deel niets dat onder ‘Nooit’ staat.")
        for o in outcomes:
            card = OutcomeCard(o, self.kaart.find(o.contact))
            card.handover_clicked.connect(self._handover)
            self.cards.append(card)
            self.cards_layout.addWidget(card)
        if self.walk.tree.closing:
            items = "".join(f"<li>{html.escape(t)}</li>" for t in self.walk.tree.closing)
            closing = QLabel(f"<b>Altijd aan het eind</b><ul style='margin:0 0 0 -20px'>"
                             f"{items}</ul>", objectName="routeClosing")
            closing.setWordWrap(True)
            self.cards_layout.addWidget(closing)
        self.cards_layout.addStretch(1)
        self._update_status()

    def _update_status(self) -> None:
        if self.case_id is None:
            self.status_label.setText("Route zonder casus: bewaar hem als casus om hem vast te "
                                      "leggen.")
            self.record_button.setEnabled(True)
            return
        done = self._recorded_entry_id is not None
        self.status_label.setText("Vastgelegd in de tijdlijn." if done else "")
        self.record_button.setEnabled(not done)
        if not done:
            earlier = self.routes.recorded_walks(self.case_id)
            if earlier:
                self.status_label.setText(
                    f"Eerder vastgelegd op {nl_date(earlier[0].occurred_on)}.")

    # --- moves ---------------------------------------------------------------------------
    def _changed(self) -> None:
        self._recorded_entry_id = None
        if self.case_id is not None:
            try:
                self.routes.save_draft(self.case_id, self.walk)
            except AandachtError as err:
                hooks.show_error(self, err)
        self._show()
        self.walk_changed.emit()

    def _answered(self, ids: tuple) -> None:
        try:
            self.walk.answer(ids)
        except AandachtError as err:
            hooks.show_error(self, err)
            return
        self._changed()

    def _back(self) -> None:
        step = self.walk.back()
        if step is None:
            return
        self._preselect = step.answer_ids
        self._changed()

    def go_back_to(self, index: int) -> None:
        """Return to the question at breadcrumb position `index` (0-based)."""
        step = None
        while len(self.walk.steps) > index:
            step = self.walk.back()
        if step is not None:
            self._preselect = step.answer_ids
            self._changed()

    def _crumb_clicked(self, item: QListWidgetItem) -> None:
        index = item.data(Qt.ItemDataRole.UserRole)
        if index is not None:
            self.go_back_to(int(index))

    def _restart(self) -> None:
        if self.walk.at_start:
            return
        if not hooks.confirm(self, "Opnieuw beginnen",
                             "Alle antwoorden van deze route wissen en opnieuw beginnen?"):
            return
        self.walk.restart()
        self._changed()

    # --- actions -------------------------------------------------------------------------
    def record(self) -> int | None:
        """Put the finished walk on the case's timeline; returns the entry id."""
        if self.case_id is None:
            return None
        try:
            entry = self.routes.record(self.case_id, self.walk)
        except AandachtError as err:
            hooks.show_error(self, err)
            return None
        self._recorded_entry_id = entry.id
        self._update_status()
        self.recorded.emit(entry.id)
        return entry.id

    def save_as_case(self) -> int | None:
        """Walk without a case → a new case with this walk on its timeline."""
        label = hooks.ask_text(self, "Bewaar als casus",
                               "Label van de nieuwe casus (een pseudoniem, geen naam):")
        if label is None:
            return None
        try:
            case, _entry = self.routes.save_as_new_case(self.walk, label)
        except AandachtError as err:
            hooks.show_error(self, err)
            return None
        # The walk now lives in the case; the page starts empty again.
        self.walk = self.routes.new_walk()
        self._changed()
        self.open_case.emit(case.id)
        return case.id

    def _handover(self, form: str) -> None:
        if self.case_id is None:
            if not hooks.confirm(self, "Overdracht maken",
                                 "Voor een overdracht is een casus nodig. Deze route eerst "
                                 "bewaren als casus?", yes="Bewaar als casus…", no="Annuleren"):
                return
            case_id = self.save_as_case()
            if case_id is None:
                return
            self.handover_requested.emit(case_id, form)
            return
        if self._recorded_entry_id is None and self.record() is None:
            return  # the route is recorded first, so the handover rests on it
        self.handover_requested.emit(self.case_id, form)

    def _export_map(self, kind: str) -> None:
        if kind == "png":
            path = hooks.ask_save_path(self, "Kaart opslaan als PNG", "routekaart.png",
                                       "PNG-afbeelding (*.png)")
        else:
            path = hooks.ask_save_path(self, "Kaart opslaan als PDF", "routekaart.pdf",
                                       "PDF-bestand (*.pdf)")
        if not path:
            return
        try:
            data = self.map.png_bytes() if kind == "png" else self.map.pdf_bytes()
            with open(path, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            hooks.show_error(self, f"De kaart kon niet worden opgeslagen ({exc.strerror}).")

    # --- page protocol -----------------------------------------------------------------
    def clear(self) -> None:
        """On lock: keep the case's draft in the vault, then drop every answer."""
        if self.case_id is not None and self.walk.steps and self._recorded_entry_id is None:
            try:
                self.routes.save_draft(self.case_id, self.walk)
            except AandachtError:
                pass  # the vault may already be closing; the last answer was saved already
        self.walk = self.routes.new_walk()
        self._recorded_entry_id = None
        self._preselect = ()
        self._show()

    def refresh(self) -> None:
        """After unlock or a settings change: the current settings, the case's draft."""
        if self.case_id is not None and self.walk.at_start:
            self.walk = self.routes.load_draft(self.case_id) or self.routes.new_walk()
        else:
            try:
                self.walk = self.routes.walk_from(self.walk.to_dict())
            except AandachtError:
                self.walk = self.routes.new_walk()
        self._show()
