"""`aandacht --demo`: the demo vault built as app.py builds it, shown in a real MainWindow.

Every navigation page and every tab of the demo's feature cases must build without an error,
and the throwaway folder must be gone once the demo ends (also when filling fails).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from aandacht import app as app_module
from aandacht.store.kdf import FAST_PARAMS
from aandacht.ui import dialogs
from aandacht.ui.cases import common
from aandacht.ui.main_window import PAGES, MainWindow, TitlePage
from aandacht.ui.routekaart import hooks

FEATURE_CASES = ("Casus Zilverreiger", "Casus Ransuil", "Casus Roodborst", "Casus Nachtegaal",
                 "Casus Gierzwaluw", "Casus Grutto", "Casus Kievit", "Casus Huismus",
                 "Casus Pimpelmees", "Casus Ooievaar")


@pytest.fixture
def shown(monkeypatch):
    """Every message the UI would show in a box; the demo must not raise a single one."""
    seen: list[str] = []
    for module, name in ((dialogs, "inform"), (dialogs, "warn"), (common, "show_error"),
                         (hooks, "show_error"), (hooks, "inform")):
        monkeypatch.setattr(module, name, lambda *a, _n=name: seen.append(f"{_n}: {a[1:]}"))
    return seen


@pytest.fixture
def demo():
    made = app_module._start_demo(FAST_PARAMS)
    yield made
    made.close()


def test_demo_window_shows_every_page_and_tab(qtbot, demo, shown):
    assert (demo.folder / "demo.vault").exists()
    window = app_module._demo_window(demo.session)
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window, MainWindow) and window.demo
    assert "DEMO" in window.windowTitle()
    badge = window.statusBar().findChild(QLabel, "demoBadge")
    assert badge is not None and "DEMO" in badge.text() and "fictieve" in badge.text()

    for spec in PAGES:
        window.show_page(spec.key)
        page = window.pages[spec.key]
        assert not isinstance(page, TitlePage), f"{spec.title} is not in this build"
        assert window.stack.currentWidget() is page
        page.refresh()

    labels = {label: case_id for case_id, label in demo.services.cases.labels()}
    for label in FEATURE_CASES:
        window.open_case(labels[label])
        view = window.case_view.case_widget
        for index in range(view.tabs.count()):
            view.tabs.setCurrentIndex(index)
            QApplication.processEvents()
            assert view.tabs.currentIndex() == index
        # The meldcode and routekaart tabs build their widget on first visit.
        assert len(view._feature_widgets) == 2
        window.close_case_and_show_list()
    assert shown == []

    # The lock screen tells the trainer the demo passphrase, and that passphrase unlocks.
    window.lock()
    assert window.locked and not window.pages
    assert app_module.DEMO_PASSPHRASE in window.unlock_panel.info.text()
    window.unlock_panel.passphrase.setText(app_module.DEMO_PASSPHRASE)
    window.unlock_panel.submit()
    qtbot.waitUntil(lambda: not window.locked)
    assert window.pages  # the page the trainer was on is rebuilt
    window.close()
    assert not demo.session.unlocked
    demo.close()
    assert not demo.folder.exists()


def test_every_page_shows_the_demo_on_first_visit(qtbot, demo, shown):
    window = app_module._demo_window(demo.session)
    qtbot.addWidget(window)
    window.show()
    filled = {
        "overzicht": lambda p: p.findChildren(QLabel) and demo.services.cases.due_followups(),
        "casussen": lambda p: p.model.rowCount() == len(demo.services.cases.labels()),
        "verstrekkingen": lambda p: len(p.model.rows) >= 3,
        "sociale_kaart": lambda p: p.model.rowCount() > 0,
        "jaaroverzicht": lambda p: p.year.count() > 0 and p.overview is not None,
    }
    empty = []
    for key, check in filled.items():
        window.show_page(key)  # first visit: no refresh() by hand
        if not check(window.pages[key]):
            empty.append(key)
    window.close()
    assert empty == []


class _ExecOnce:
    """Stands in for QApplication in `_run_demo`: checks what runs, then closes the window."""

    def __init__(self):
        self.seen: dict = {}

    def exec(self) -> int:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        assert len(windows) == 1
        window = windows[0]
        self.seen["title"] = window.windowTitle()
        self.seen["folder"] = Path(window.session.vault_path).parent
        self.seen["existed"] = self.seen["folder"].exists()
        self.seen["sheets"] = sorted(p.name for p in (self.seen["folder"] / "overdrachten")
                                     .iterdir())
        window.close()
        window.deleteLater()
        return 0


def test_run_demo_removes_its_folder_on_exit(qtbot):
    fake = _ExecOnce()
    assert app_module._run_demo(fake, params=FAST_PARAMS) == 0
    assert "DEMO" in fake.seen["title"] and fake.seen["existed"]
    assert len(fake.seen["sheets"]) >= 3  # the demo's handover sheets lived in the folder…
    assert not fake.seen["folder"].exists()  # …and went with it


def test_a_failing_fill_leaves_no_folder(monkeypatch):
    made: list[Path] = []
    real = tempfile.mkdtemp

    def mkdtemp(*a, **kw):
        made.append(Path(real(*a, **kw)))
        return str(made[-1])

    def broken(services, handover_dir=None):
        raise RuntimeError("vulling mislukt")

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    monkeypatch.setattr(app_module, "_fill_demo", broken)
    with pytest.raises(RuntimeError):
        app_module._start_demo(FAST_PARAMS)
    assert made and not made[0].exists()
