"""The meldcode tab of a case: a step list beside the current step's page.

Navigation follows the domain (`allowed_steps`, `state.current`): the widget only
shows what the domain names. The draft is saved through the service on every page
change, before a report is made, and in `clear()` (called on lock), so nothing typed
is lost when the vault locks mid-step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from aandacht.domain import meldcode as mc
from aandacht.domain.errors import AandachtError
from aandacht.ui import dialogs
from aandacht.ui.meldcode.editors import EditorContext
from aandacht.ui.meldcode.page import StepPage

GEMEENTE_KEY = "gemeente_naam"  # same key as services.reports / Instellingen
REPORT_NAME = "meldcode-verslag.pdf"  # generic: a file name never carries the case label


# --- modal hooks (tests replace these; never exec() a dialog in a test) --------------------
def show_error(parent: QWidget | None, err: Exception | str) -> None:
    dialogs.warn(parent, "Meldcode", str(err))


def inform(parent: QWidget | None, text: str) -> None:
    dialogs.inform(parent, "Meldcode", text)


def ask_save_path(parent: QWidget | None, default_name: str) -> str:
    return dialogs.ask_save_path(parent, "Meldcode-verslag opslaan", default_name,
                                 "PDF-bestanden (*.pdf)")


class MeldcodeWidget(QWidget):
    """`MeldcodeWidget(services, case_id, parent=None)`; `clear()` on lock, `refresh()` after."""

    status_changed = Signal(str)  # the header line changed
    state_changed = Signal()  # a step was recorded: timeline, follow-ups and status changed

    def __init__(self, services, case_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("meldcodeWidget")
        self.services = services
        self.case_id = case_id
        svc = getattr(services, "meldcode", None)
        if svc is None:
            from aandacht.services.meldcode import MeldcodeService

            svc = MeldcodeService(services.cases)
        self.svc = svc
        self.content: mc.Meldcode = svc.content
        self.state: mc.MeldcodeState | None = None
        self.page: StepPage | None = None
        self._ctx: EditorContext | None = None

        self.status = QLabel(self)
        self.status.setObjectName("meldcodeStatus")
        self.status.setStyleSheet("font-weight: bold; font-size: 11pt; color: #7a1f3d;")
        self.report_button = QPushButton("Meldcode-verslag (PDF)…", self)
        self.report_button.setObjectName("reportButton")
        self.report_button.setToolTip("Verslag van de doorlopen stappen voor het eigen dossier "
                                      "(geen overdracht)")
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.report_button)

        self.steps = QListWidget(self)
        self.steps.setObjectName("meldcodeSteps")
        self.steps.setFixedWidth(250)
        self.steps.setWordWrap(True)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setStyleSheet(
            "QListWidget { background:#f3f1ee; border:1px solid #ddd8d0; border-radius:4px; }"
            "QListWidget::item { padding:8px 8px; border-bottom:1px solid #e6e1da; }"
            "QListWidget::item:selected { background:#ffffff; color:#7a1f3d; "
            "border-left:3px solid #7a1f3d; }"
            "QListWidget::item:disabled { color:#9aa5b1; }")
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.back_button = QPushButton("← Vorige stap", self)
        self.back_button.setObjectName("backStep")
        self.save_button = QPushButton("Concept opslaan", self)
        self.save_button.setObjectName("saveDraft")
        self.next_button = QPushButton("Vastleggen en verder →", self)
        self.next_button.setObjectName("recordStep")
        self.next_button.setDefault(True)
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.save_button)
        nav.addWidget(self.next_button)
        right = QVBoxLayout()
        right.addWidget(self.scroll, 1)
        right.addLayout(nav)
        main = QHBoxLayout()
        main.addWidget(self.steps)
        main.addLayout(right, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(main, 1)

        self.steps.itemClicked.connect(self._step_clicked)
        self.back_button.clicked.connect(self.previous)
        self.save_button.clicked.connect(self._save_clicked)
        self.next_button.clicked.connect(self.record)
        self.report_button.clicked.connect(self.save_report)
        self._load()

    # --- loading and showing ------------------------------------------------------------
    def _load(self) -> None:
        try:
            self.state = self.svc.state(self.case_id)
            self._ctx = EditorContext(self.svc.signalen, self.svc.signal_forms(self.case_id))
        except AandachtError as exc:
            self.state = None
            self._set_enabled(False)
            self.status.setText("Meldcode: niet beschikbaar")
            show_error(self, exc)
            return
        self._set_enabled(True)
        self._show(self.state.current)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.back_button, self.save_button, self.next_button, self.report_button,
                  self.steps):
            w.setEnabled(on)

    def _show(self, step_id: str) -> None:
        assert self.state is not None and self._ctx is not None
        step = self.content.step(step_id)
        values = self.svc.start_values(self.case_id, step_id, self.state)
        page = StepPage(self.content, step, self.state, values, self._ctx,
                        hints=lambda qid: self.svc.hints(self.case_id, qid, self.state))
        page.changed.connect(self._page_changed)
        self.scroll.setWidget(page)  # the previous page is deleted by the scroll area
        self.page = page
        self._update_chrome()
        self.scroll.verticalScrollBar().setValue(0)

    def _update_chrome(self) -> None:
        if self.state is None:
            return
        allowed = mc.allowed_steps(self.content, self.state)
        self.steps.blockSignals(True)
        self.steps.clear()
        for s in self.content.steps:
            status = mc.step_status(self.content, self.state, s.id)
            mark = {"vastgelegd": "✓", "overgeslagen": "↷", "opnieuw bekijken": "!",
                    "gewijzigd, nog niet vastgelegd": "✎"}.get(status, "")
            item = QListWidgetItem(f"{s.number}. {s.title}\n{mark + ' ' if mark else ''}{status}")
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            if s.id not in allowed:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.steps.addItem(item)
            if self.page is not None and s.id == self.page.step.id:
                item.setSelected(True)
                self.steps.setCurrentItem(item)
        self.steps.blockSignals(False)
        line = mc.status_line(self.state, self.content)
        if line != self.status.text():
            self.status.setText(line)
            self.status_changed.emit(line)
        if self.page is not None:
            step = self.page.step
            self.back_button.setEnabled(mc.previous_step(self.content, step.id) is not None)
            self._update_next_text()

    def _update_next_text(self) -> None:
        if self.page is None:
            return
        if self.page.skip_requested():
            text = "Overslaan en verder →"
        elif self.page.step.id == self.content.decision_step.id:
            text = "Besluit vastleggen"
        else:
            text = "Vastleggen en verder →"
        if self.next_button.text() != text:
            self.next_button.setText(text)

    def _page_changed(self) -> None:
        """An answer or choice changed: show its consequence in the header at once."""
        if self.page is None or self.state is None:
            return
        self._update_next_text()
        live = mc.MeldcodeState.from_dict(self.state.to_dict(), self.content)
        try:
            live.step(self.page.step.id).values = mc.clean_values(
                self.content, self.page.step.id, self.page.values())
        except AandachtError:
            return  # e.g. an over-long text: the header waits for the next save
        line = mc.status_line(live, self.content)
        if line != self.status.text():
            self.status.setText(line)

    # --- navigation -------------------------------------------------------------------------
    def save_draft(self) -> bool:
        """Keep what is on the page; True when it was saved (or there was nothing to save)."""
        if self.page is None or self.state is None:
            return True
        try:
            self.state = self.svc.save_draft(self.case_id, self.page.step.id, self.page.values())
        except AandachtError as exc:
            show_error(self, exc)
            return False
        self.page.set_state(self.state)
        self._update_chrome()
        return True

    def _save_clicked(self) -> None:
        self.save_draft()

    def _step_clicked(self, item: QListWidgetItem) -> None:
        self.go_to(item.data(Qt.ItemDataRole.UserRole))

    def go_to(self, step_id: str) -> None:
        if self.state is None or (self.page is not None and self.page.step.id == step_id):
            return
        if not self.save_draft():
            return
        try:
            self.state = self.svc.go_to(self.case_id, step_id)
        except AandachtError as exc:
            show_error(self, exc)
            self._update_chrome()
            return
        self._show(step_id)

    def previous(self) -> None:
        if self.page is not None:
            prev = mc.previous_step(self.content, self.page.step.id)
            if prev is not None:
                self.go_to(prev)

    def record(self) -> None:
        """Record the step (or skip it for safety) and go to the step the domain names."""
        page = self.page
        if page is None or self.state is None:
            return
        page.clear_problems()
        step = page.step
        try:
            if page.skip_requested():
                self.svc.save_draft(self.case_id, step.id, page.values())
                self.state = self.svc.skip_step(self.case_id, step.id, page.skip_reason_text(),
                                                note=page.revision_text())
            else:
                self.state = self.svc.complete_step(self.case_id, step.id, page.values(),
                                                    note=page.revision_text())
        except mc.StepIncomplete as exc:
            self._reload_state()
            first = page.show_problems(exc.problems)
            if first is not None:
                self.scroll.ensureWidgetVisible(first, 40, 60)
            else:
                self.scroll.ensureWidgetVisible(page.banner)
            show_error(self, exc)
            return
        except AandachtError as exc:
            self._reload_state()
            show_error(self, exc)
            return
        self._show(self.state.current)
        self.state_changed.emit()

    def _reload_state(self) -> None:
        try:
            self.state = self.svc.state(self.case_id)
        except AandachtError:
            return
        if self.page is not None:
            self.page.set_state(self.state)
        self._update_chrome()

    # --- the verslag ------------------------------------------------------------------------
    def save_report(self) -> None:
        if not self.save_draft():
            return
        path = ask_save_path(self, REPORT_NAME)
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        gemeente = str(self.services.settings.get(GEMEENTE_KEY, "") or "")
        try:
            target = self.svc.save_report(self.case_id, gemeente, path)
        except AandachtError as exc:
            show_error(self, exc)
            return
        inform(self, f"Het meldcode-verslag is opgeslagen als '{Path(target).name}'. Het is "
                     "bestemd voor het eigen dossier en is geen overdracht.")

    # --- lock ------------------------------------------------------------------------------
    def clear(self) -> None:
        """Save the draft (the vault is still open), then drop every piece of case data."""
        if self.page is not None and self.state is not None:
            try:
                self.svc.save_draft(self.case_id, self.page.step.id, self.page.values())
            except AandachtError:
                pass  # locking must go on; the last saved draft stays in the vault
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.page = None
        self.state = None
        self._ctx = None
        self.steps.clear()
        self.status.setText("")
        self._set_enabled(False)

    def refresh(self) -> None:
        if self.page is not None:
            self.save_draft()
        self._load()
