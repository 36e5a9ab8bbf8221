"""The app shell: first start, unlock, wrong passphrases, lock by timeout and shortcut,
passphrase change, backup, one instance per vault."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from aandacht.services.session import Session
from aandacht.store import VaultInUse, open_vault
from aandacht.store.kdf import FAST_PARAMS
from aandacht.ui import dialogs
from aandacht.ui.main_window import PAGES, MainWindow
from aandacht.ui.settings_page import PassphraseDialog
from aandacht.ui.unlock import WelcomeDialog

PHRASE = "groene reiger boven de polder"


@pytest.fixture
def session(app_paths):
    s = Session(app_paths.vault, params=FAST_PARAMS)
    yield s
    s.close()


@pytest.fixture
def created(session):
    session.create(PHRASE, "Gemeente Voorbeeld")
    return session


@pytest.fixture
def window(qtbot, created):
    w = MainWindow(created)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture(autouse=True)
def quiet_dialogs(monkeypatch):
    shown = []
    monkeypatch.setattr(dialogs, "inform", lambda *a: shown.append(("inform",) + a[1:]))
    monkeypatch.setattr(dialogs, "warn", lambda *a: shown.append(("warn",) + a[1:]))
    return shown


def test_first_start_validates_then_creates_vault(qtbot, session):
    dlg = WelcomeDialog(lambda g, p: session.create(p, g), lambda path, p: None)
    qtbot.addWidget(dlg)
    dlg.passphrase.setText(PHRASE)
    dlg.confirm.setText(PHRASE)
    dlg.submit()
    assert "gemeente" in dlg.message.text().lower()
    dlg.gemeente.setText("Gemeente Voorbeeld")
    dlg.passphrase.setText("kort")
    dlg.submit()
    assert "te zwak" in dlg.message.text()
    assert dlg.strength_label.text() in ("Zeer zwak", "Zwak")
    dlg.passphrase.setText(PHRASE)
    dlg.confirm.setText(PHRASE + "x")
    dlg.submit()
    assert "niet gelijk" in dlg.message.text()
    assert not session.exists
    dlg.confirm.setText(PHRASE)
    dlg.submit()
    assert dlg.result() == dlg.DialogCode.Accepted
    assert session.exists and session.unlocked
    assert session.services.settings.get("gemeente_naam") == "Gemeente Voorbeeld"


def test_unlock_with_wrong_then_right_passphrase(qtbot, created):
    created.lock()
    w = MainWindow(created)
    qtbot.addWidget(w)
    assert w.locked and w.stack.currentWidget() is w.lock_screen
    before = created.vault_path.read_bytes()
    w.unlock_panel.passphrase.setText("verkeerde wachtwoordzin")
    w.unlock_panel.submit()
    assert "klopt niet" in w.unlock_panel.message.text()
    assert w.locked
    assert created.vault_path.read_bytes() == before
    w.unlock_panel.passphrase.setText(PHRASE)
    w.unlock_panel.submit()
    assert not w.locked
    assert w.stack.currentWidget() is w.pages["overzicht"]
    for spec in PAGES:  # every page builds on a real vault
        w.show_page(spec.key)
        assert w.stack.currentWidget() is w.pages[spec.key]
    assert w.status_vault.text() == "Kluis: ontgrendeld"


def test_growing_delay_after_five_wrong_passphrases(qtbot, created):
    created.lock()
    w = MainWindow(created)
    qtbot.addWidget(w)
    for _ in range(4):
        w.unlock_panel.passphrase.setText("fout fout fout")
        w.unlock_panel.submit()
        assert w.unlock_panel.button.isEnabled()
    w.unlock_panel.passphrase.setText("fout fout fout")
    w.unlock_panel.submit()
    assert not w.unlock_panel.button.isEnabled()
    assert w.unlock_panel.button.text().startswith("Wacht")
    # A try during the delay is ignored, even with the right passphrase.
    w.unlock_panel.passphrase.setText(PHRASE)
    w.unlock_panel.submit()
    assert w.locked


def _texts(root: QWidget) -> str:
    parts = []
    for widget in [root] + root.findChildren(QWidget):
        if isinstance(widget, (QLabel, QLineEdit)):
            parts.append(widget.text())
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            parts.append(widget.toPlainText())
    return "\n".join(parts)


def test_lock_by_idle_timeout_clears_everything(qtbot, window):
    window.session.services.settings.set("af_naam", "KANARIE-AF-NAAM")
    window.show_page("instellingen")
    window.pages["instellingen"].refresh()
    assert "KANARIE-AF-NAAM" in _texts(window)
    window.set_idle_timeout_ms(150)
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert window.session.vault is None
    assert window.pages == {}
    qtbot.wait(10)  # let deleteLater run
    assert "KANARIE-AF-NAAM" not in _texts(window)


def test_activity_postpones_idle_lock(qtbot, window):
    window.set_idle_timeout_ms(400)
    for _ in range(6):
        qtbot.wait(120)
        qtbot.mouseMove(window.nav)
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=3000)


def test_lock_by_shortcut_and_unlock_restores_page(qtbot, window):
    window.show_page("instellingen")
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    window.unlock_panel.passphrase.setText(PHRASE)
    window.unlock_panel.submit()
    assert not window.locked
    assert window.stack.currentWidget() is window.pages["instellingen"]


def test_lock_menu_item(window):
    assert window.lock_action.shortcut().toString() == "Ctrl+L"
    window.lock_action.trigger()
    assert window.locked


def test_passphrase_change(qtbot, window):
    vault = window.session.vault
    dlg = PassphraseDialog(vault.change_passphrase, window)
    qtbot.addWidget(dlg)
    new = "nieuwe lange zin met woorden"
    dlg.old.setText("niet de oude")
    dlg.new.setText(new)
    dlg.confirm.setText(new)
    dlg.submit()
    assert "klopt niet" in dlg.message.text()
    dlg.old.setText(PHRASE)
    dlg.submit()
    assert dlg.result() == dlg.DialogCode.Accepted
    window.lock()
    window.unlock_panel.passphrase.setText(PHRASE)
    window.unlock_panel.submit()
    assert window.locked
    window.unlock_panel.passphrase.setText(new)
    window.unlock_panel.submit()
    assert not window.locked


def test_backup_from_menu(qtbot, window, tmp_path, monkeypatch, quiet_dialogs):
    target = tmp_path / "kopie.aandacht"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(target))
    window.backup_action.trigger()
    assert quiet_dialogs[-1][0] == "inform"
    from aandacht.store.vault import NoLock

    copy = open_vault(target, PHRASE, lock=NoLock())
    assert copy.settings.get("gemeente_naam") == "Gemeente Voorbeeld"
    copy.close()


def test_backup_onto_vault_itself_is_refused(window, monkeypatch, quiet_dialogs):
    before = window.session.vault_path.stat().st_size
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(window.session.vault_path))
    window.backup_action.trigger()
    kind, title, text = quiet_dialogs[-1]
    assert kind == "warn" and "kluis zelf" in text
    assert window.session.vault_path.stat().st_size == before


def test_second_instance_is_refused(created, app_paths):
    other = Session(app_paths.vault, params=FAST_PARAMS)
    with pytest.raises(VaultInUse) as err:
        other.claim()
    assert "al geopend" in str(err.value)


def test_qt_buttons_are_dutch(qapp):
    from PySide6.QtWidgets import QDialogButtonBox

    from aandacht.app import install_translations

    install_translations(qapp)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Annuleren"


def test_relinking_a_case_keeps_links_mutual(services):
    import datetime as dt

    from aandacht.domain.case import Case, Subject

    cs = services.cases
    a = cs.create_case(Case(None, "Casus Reiger", dt.date(2026, 1, 5)))
    b = cs.create_case(Case(None, "Casus Pand Noord", dt.date(2026, 1, 5), subject=Subject.LOCATIE,
                            linked_case_id=a.id))
    c = cs.create_case(Case(None, "Casus Pand Zuid", dt.date(2026, 1, 6), subject=Subject.LOCATIE))
    assert cs.get_case(a.id).linked_case_id == b.id
    a = cs.get_case(a.id)
    a.linked_case_id = c.id
    cs.update_case(a)
    assert cs.get_case(b.id).linked_case_id is None
    assert cs.get_case(c.id).linked_case_id == a.id


def test_qt_calls_and_emits_do_not_exhaust_singletons(qapp):
    # PySide6 6.12 on CPython 3.11 drops a reference to None per void call and to True per
    # emit; without the guard in aandacht.ui this loop aborts the interpreter.
    import sys

    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        ping = Signal(bool)

    e = Emitter()
    for _ in range(20_000):
        e.setObjectName("x")
        e.ping.emit(True)
    # Pinned (3.11) or immortal (3.12+): the counts are far out of a session's reach.
    assert sys.getrefcount(None) > 2**30
    assert sys.getrefcount(True) > 2**30


def test_lock_closes_open_dialogs(qtbot, window):
    from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

    dlg = QDialog(window)
    QVBoxLayout(dlg).addWidget(QLabel("KANARIE-IN-DIALOOG"))
    dlg.open()  # window-modal, like the entry and handover dialogs
    qtbot.waitExposed(dlg)
    assert dlg.isVisible()
    window.set_idle_timeout_ms(100)
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert not dlg.isVisible()
    assert dlg.result() == QDialog.DialogCode.Rejected


def test_uncaught_errors_get_a_dutch_sentence_not_a_traceback():
    from aandacht.app import UNEXPECTED, error_message
    from aandacht.store import VaultError

    assert error_message(VaultError("De kluis is vergrendeld.")) == "De kluis is vergrendeld."
    secret = KeyError("Casus Kanarie: details")
    assert error_message(secret) == UNEXPECTED and "Kanarie" not in error_message(secret)
