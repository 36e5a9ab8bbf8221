"""The main window: left navigation, pages, the lock screen and the idle lock.

Locking tears every page down (after each page saved its drafts in `clear()`) and
closes the vault; unlocking builds fresh pages on the reopened vault and returns to
where the AF was. No page survives a lock, so no widget can keep case text.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from aandacht import __version__
from aandacht.domain.passphrase import UnlockThrottle
from aandacht.services.session import Session
from aandacht.ui import dialogs

DEFAULT_LOCK_MINUTES = 10
from aandacht.ui.unlock import UnlockPanel


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    target: str  # "module:Class"; the class is built as Class(services, parent)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overzicht", "Overzicht", "aandacht.ui.overview_page:OverviewPage"),
    PageSpec("casussen", "Casussen", "aandacht.ui.cases.case_list_page:CaseListPage"),
    PageSpec("routekaart", "Routekaart", "aandacht.ui.routekaart:RoutekaartPage"),
    PageSpec("signalen", "Signalenlijst", "aandacht.ui.signalen_page:SignalenPage"),
    PageSpec("sociale_kaart", "Sociale kaart", "aandacht.ui.sociale_kaart_page:SocialeKaartPage"),
    PageSpec("verstrekkingen", "Verstrekkingen",
             "aandacht.ui.handover.disclosures_page:VerstrekkingenPage"),
    PageSpec("jaaroverzicht", "Jaaroverzicht", "aandacht.ui.annual_page:JaaroverzichtPage"),
    PageSpec("instellingen", "Instellingen", "aandacht.ui.settings_page:SettingsPage"),
)

_USER_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin,
}


class TitlePage(QWidget):
    """A page whose feature is not in this build: its title and nothing pretending more."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title, objectName="pageTitle"))
        layout.addStretch(1)

    def clear(self) -> None:
        pass

    def refresh(self) -> None:
        pass


def build_page(spec: PageSpec, services, parent) -> QWidget:
    module_name, cls_name = spec.target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return TitlePage(spec.title, parent)
        raise
    return getattr(module, cls_name)(services, parent)


class _IdleWatcher(QObject):
    def __init__(self, on_activity: Callable[[], None]):
        super().__init__()
        self._on_activity = on_activity

    def eventFilter(self, obj, event):  # noqa: N802 (Qt naming)
        if event.type() in _USER_ACTIVITY:
            self._on_activity()
        return False


class MainWindow(QMainWindow):
    def __init__(self, session: Session, demo: bool = False, demo_hint: str = ""):
        super().__init__()
        self.session = session
        self.demo = demo
        self.throttle = UnlockThrottle()
        self.pages: dict[str, QWidget] = {}
        self.case_view: QWidget | None = None
        self._open_case_id: int | None = None
        self._current_key = "overzicht"

        self.setWindowTitle("Aandacht — DEMO" if demo else "Aandacht")
        self.resize(1280, 800)

        root = QWidget()
        self.setCentralWidget(root)
        row = QHBoxLayout(root)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = QListWidget(objectName="navigation")
        self.nav.setFixedWidth(200)
        for spec in PAGES:
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._nav_changed)
        row.addWidget(self.nav)
        self.stack = QStackedWidget()
        row.addWidget(self.stack, 1)

        # The lock screen lives in the stack; it is the only page while locked.
        self.lock_screen = QWidget(objectName="lockScreen")
        lock_layout = QVBoxLayout(self.lock_screen)
        lock_layout.addStretch(1)
        holder = QHBoxLayout()
        holder.addStretch(1)
        self.unlock_panel = UnlockPanel(self._try_unlock, self.throttle, demo_hint)
        self.unlock_panel.setFixedWidth(440)
        holder.addWidget(self.unlock_panel)
        holder.addStretch(1)
        lock_layout.addLayout(holder)
        lock_layout.addStretch(2)
        self.unlock_panel.unlocked.connect(self._after_unlock)
        self.stack.addWidget(self.lock_screen)

        self._build_menus()
        self.status_vault = QLabel()
        self.statusBar().addPermanentWidget(self.status_vault)
        if demo:
            self.statusBar().addWidget(QLabel("DEMO — fictieve gegevens; de kluis wordt bij "
                                              "afsluiten verwijderd", objectName="demoBadge"))

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.lock)
        self._idle_ms = DEFAULT_LOCK_MINUTES * 60_000
        self._watcher = _IdleWatcher(self._user_active)
        QApplication.instance().installEventFilter(self._watcher)

        if session.unlocked:
            self._after_unlock()
        else:
            self._show_locked()

    # --- menus ---------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Bestand")
        self.lock_action = QAction("&Vergrendelen", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        self.backup_action = QAction("&Reservekopie maken…", self)
        self.backup_action.triggered.connect(self._backup)
        quit_action = QAction("&Afsluiten", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&Over Aandacht", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _backup(self) -> None:
        from aandacht.ui.settings_page import make_backup

        if self.session.services is not None:
            make_backup(self, self.session.services)

    def _about(self) -> None:
        dialogs.inform(self, "Over Aandacht",
                       f"Aandacht {__version__}\n\nOffline werkinstrument voor de "
                       "aandachtsfunctionaris mensenhandel: meldcode, routekaart, versleuteld "
                       "logboek en minimale overdrachten. Aandacht maakt nooit verbinding met "
                       "internet.")

    # --- pages ---------------------------------------------------------------------
    # Pages are built on first visit, not at unlock: unlocking costs the KDF plus the one
    # page the AF returns to, whatever the number of pages.
    def page(self, key: str) -> QWidget:
        page = self.pages.get(key)
        if page is None:
            spec = next(s for s in PAGES if s.key == key)
            page = build_page(spec, self.session.services, self.stack)
            self.pages[key] = page
            self.stack.addWidget(page)
            if hasattr(page, "open_case"):
                page.open_case.connect(self.open_case)
            if hasattr(page, "settings_changed"):
                page.settings_changed.connect(self._apply_settings)
        return page

    def _preload(self) -> None:
        """Import the page modules while the AF types the passphrase (no data is touched)."""
        for spec in PAGES:
            try:
                importlib.import_module(spec.target.split(":")[0])
            except ImportError:
                pass
        importlib.import_module("aandacht.services.meldcode")
        importlib.import_module("aandacht.services.reports")

    def _nav_changed(self, row: int) -> None:
        if row < 0 or not self.session.unlocked:
            return
        key = PAGES[row].key
        self._current_key = key
        if key == "casussen" and self.case_view is not None:
            self.stack.setCurrentWidget(self.case_view)
            return
        page = self.page(key)
        if hasattr(page, "refresh"):
            page.refresh()
        self.stack.setCurrentWidget(page)

    def show_page(self, key: str) -> None:
        row = next(i for i, spec in enumerate(PAGES) if spec.key == key)
        if self.nav.currentRow() == row:
            self._nav_changed(row)
        else:
            self.nav.setCurrentRow(row)

    def open_case(self, case_id: int) -> None:
        from aandacht.ui.cases.case_view import CaseView

        self.close_case()
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        back = QPushButton("← Terug naar de casussen", objectName="backButton")
        back.clicked.connect(self.close_case_and_show_list)
        layout.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        view = CaseView(self.session.services, case_id, container)
        layout.addWidget(view, 1)
        container.case_widget = view  # type: ignore[attr-defined]
        if hasattr(view, "open_case"):
            view.open_case.connect(self.open_case)
        self.case_view = container
        self._open_case_id = case_id
        self.stack.addWidget(container)
        self._current_key = "casussen"
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(next(i for i, s in enumerate(PAGES) if s.key == "casussen"))
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(container)

    def close_case(self) -> None:
        if self.case_view is not None:
            view = getattr(self.case_view, "case_widget", None)
            if view is not None and hasattr(view, "clear"):
                view.clear()
            self.stack.removeWidget(self.case_view)
            self.case_view.deleteLater()
            self.case_view = None
        self._open_case_id = None

    def close_case_and_show_list(self) -> None:
        self.close_case()
        self.show_page("casussen")

    # --- lock / unlock ------------------------------------------------------------------
    def _try_unlock(self, passphrase: str) -> None:
        self.session.unlock(passphrase)

    def _after_unlock(self) -> None:
        self._apply_settings()
        self.nav.setEnabled(True)
        self.nav.show()
        self.lock_action.setEnabled(True)
        self.backup_action.setEnabled(True)
        self.status_vault.setText("Kluis: ontgrendeld")
        reopen = self._open_case_id
        self.show_page(self._current_key)
        if reopen is not None:
            self.open_case(reopen)
        self.idle_timer.start(self._idle_ms)

    def _apply_settings(self) -> None:
        settings = self.session.services.settings
        minutes = float(settings.get("lock_minutes", DEFAULT_LOCK_MINUTES))
        self.set_idle_timeout_ms(int(minutes * 60_000))
        self._lock_on_minimise = bool(settings.get("lock_on_minimise", False))

    def set_idle_timeout_ms(self, ms: int) -> None:
        self._idle_ms = max(50, ms)
        if self.session.unlocked:
            self.idle_timer.start(self._idle_ms)

    def _user_active(self) -> None:
        if self.session.unlocked and self.idle_timer.isActive():
            self.idle_timer.start(self._idle_ms)

    def lock(self) -> None:
        if not self.session.unlocked:
            return
        self.idle_timer.stop()
        self._close_dialogs()
        reopen = self._open_case_id
        self.close_case()
        self._open_case_id = reopen
        for page in self.pages.values():
            if hasattr(page, "clear"):
                page.clear()  # pages save drafts here, while the vault is still open
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self.session.lock()
        self._show_locked()

    def _close_dialogs(self) -> None:
        """A dialog open at lock time (an entry being typed, a handover preview, a message)
        must not stay on screen over the lock: it gets the chance to save a draft (`clear()`),
        then it is rejected, which also ends a modal dialog's own event loop."""
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                if hasattr(widget, "clear"):
                    widget.clear()
                widget.reject()

    def _show_locked(self) -> None:
        self.nav.setEnabled(False)
        self.nav.hide()
        self.lock_action.setEnabled(False)
        self.backup_action.setEnabled(False)
        self.status_vault.setText("Kluis: vergrendeld")
        self.stack.setCurrentWidget(self.lock_screen)
        self.unlock_panel.focus()
        QTimer.singleShot(300, self._preload)

    @property
    def locked(self) -> bool:
        return not self.session.unlocked

    # --- window events -----------------------------------------------------------------
    def changeEvent(self, event) -> None:  # noqa: N802
        if (event.type() == QEvent.Type.WindowStateChange and self.isMinimized()
                and getattr(self, "_lock_on_minimise", False)):
            self.lock()
        super().changeEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.idle_timer.stop()
        self.lock()
        QApplication.instance().removeEventFilter(self._watcher)
        self.session.close()
        super().closeEvent(event)
