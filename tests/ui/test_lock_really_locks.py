"""Het bewijs (4): after a lock, no widget, model or dialog anywhere holds case text.

A real MainWindow on a real vault (FAST_PARAMS). A case is filled with canaries through
the services; the window visits every page and every tab of the case view, the SHOP
handover dialog is open (shown non-modally, the way the AF leaves it on screen) with a
ground dialog on top holding typed, unsaved text. Then Ctrl+L. After the deferred
deletes ran, every QObject the application can still reach is read: widget texts, html,
tooltips, window titles, combo items, tab texts, actions, dynamic properties, PDF
documents and buffers in memory, graphics scenes, and every item model's data for all
rows, columns and roles (and headers). Not one canary may be found. The same walk,
before the lock, must find them (the walk is not blind).

On the Python side, no str object with case text is still reachable after the lock and a
collection (counted through the collector's referents). Freed memory is not overwritten,
though: that limit is documented in docs/security.md, not tested away.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QBuffer,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGraphicsScene,
    QGraphicsView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStatusBar,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from aandacht.domain.case import DETAIL_FIELDS, Case, Entry, EntryKind, FollowUp, Form
from aandacht.services.session import Session
from aandacht.store.kdf import FAST_PARAMS
from aandacht.ui import dialogs
from aandacht.ui.cases import common
from aandacht.ui.cases.case_view import TAB_MELDCODE, CaseView
from aandacht.ui.handover import dialog as handover_dialog
from aandacht.ui.main_window import PAGES, MainWindow
from tests.e2e.canaries import Canaries

PHRASE = "kanarie op slot in de kooi"
TODAY = dt.date.today()
ROLES = sorted(set(range(32)) | set(range(Qt.ItemDataRole.UserRole,
                                              Qt.ItemDataRole.UserRole + 32)))
VITAAL_KEYS = ("incapacity", "urgent_need", "no_lighter_route")


# --- the walk ----------------------------------------------------------------------------------


def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, list | tuple | set | frozenset | dict):
        return repr(value)
    return repr(value) if not isinstance(value, int | float | bool) else ""


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # QAbstractListModel keeps columnCount private: one column
        return 1


def _model_texts(model: QAbstractItemModel, stats: dict) -> Iterator[str]:
    stats["models"] += 1
    for orientation in (Qt.Orientation.Horizontal, Qt.Orientation.Vertical):
        count = _columns(model, QModelIndex()) if orientation == Qt.Orientation.Horizontal \
            else model.rowCount(QModelIndex())
        for section in range(min(count, 500)):
            for role in ROLES:
                yield _s(model.headerData(section, orientation, role))
    flat = isinstance(model, QAbstractTableModel | QAbstractListModel)
    todo = [QModelIndex()]
    while todo:
        parent = todo.pop()
        for row in range(model.rowCount(parent)):
            for col in range(max(_columns(model, parent), 1)):
                index = model.index(row, col, parent)
                if not index.isValid():
                    continue
                stats["cells"] += 1
                for role, value in (model.itemData(index) or {}).items():
                    yield _s(value)
                for role in ROLES:
                    yield _s(model.data(index, role))
                if col == 0 and not flat and model.rowCount(index) > 0:
                    todo.append(index)


def _texts(obj: QObject, stats: dict) -> Iterator[str]:
    yield obj.objectName()
    for name in obj.dynamicPropertyNames():
        try:
            yield _s(obj.property(bytes(name).decode()))
        except RuntimeError:  # Qt-internal property types Python cannot convert (no text)
            yield ""
    if isinstance(obj, QWidget):
        stats["widgets"] += 1
        yield obj.windowTitle()
        yield obj.windowIconText()
        yield obj.toolTip()
        yield obj.statusTip()
        yield obj.whatsThis()
        yield obj.accessibleName()
        yield obj.accessibleDescription()
    if isinstance(obj, QLabel):
        yield obj.text()
    if isinstance(obj, QLineEdit):
        yield obj.text()
        yield obj.placeholderText()
        yield obj.displayText()
    if isinstance(obj, QTextEdit):
        yield obj.toPlainText()
        yield obj.toHtml()
        yield obj.placeholderText()
    if isinstance(obj, QPlainTextEdit):
        yield obj.toPlainText()
        yield obj.placeholderText()
    if isinstance(obj, QTextDocument):
        yield obj.toPlainText()
        yield obj.toHtml()
    if isinstance(obj, QAbstractButton):
        yield obj.text()
    if isinstance(obj, QGroupBox):
        yield obj.title()
    if isinstance(obj, QComboBox):
        yield obj.currentText()
        for i in range(obj.count()):
            yield obj.itemText(i)
            for role in ROLES:
                yield _s(obj.itemData(i, role))
    if isinstance(obj, QTabWidget):
        for i in range(obj.count()):
            yield obj.tabText(i)
            yield obj.tabToolTip(i)
    if isinstance(obj, QTabBar):
        for i in range(obj.count()):
            yield obj.tabText(i)
            yield obj.tabToolTip(i)
    if isinstance(obj, QStatusBar):
        yield obj.currentMessage()
    if isinstance(obj, QAction):
        yield obj.text()
        yield obj.toolTip()
        yield obj.statusTip()
        yield obj.whatsThis()
        yield obj.iconText()
    if isinstance(obj, QAbstractItemView) and obj.model() is not None:
        yield from _model_texts(obj.model(), stats)
    if isinstance(obj, QAbstractItemModel):
        yield from _model_texts(obj, stats)
    if isinstance(obj, QGraphicsView) and obj.scene() is not None:
        yield from _scene_texts(obj.scene())
    if isinstance(obj, QGraphicsScene):
        yield from _scene_texts(obj)
    if isinstance(obj, QPdfDocument):
        stats["pdf_documents"] += 1
        for page in range(obj.pageCount()):
            stats["pdf_pages"] += 1
            yield obj.getAllText(page).text()
    if isinstance(obj, QBuffer):
        data = bytes(obj.data())
        if data.startswith(b"%PDF"):
            stats["pdf_buffers"] += 1
            yield f"<een PDF van {len(data)} bytes in een QBuffer>"
        yield data.decode("utf-8", "replace")


def _scene_texts(scene: QGraphicsScene) -> Iterator[str]:
    for item in scene.items():
        yield item.toolTip()
        for attr in ("toPlainText", "text", "toHtml"):
            fn = getattr(item, attr, None)
            if callable(fn):
                yield _s(fn())


def _roots(window: QWidget) -> list[QObject]:
    roots: list[QObject] = [window, QApplication.instance()]
    roots += QApplication.topLevelWidgets()
    roots += QApplication.allWidgets()
    # Parentless QObjects (models, documents) that only Python still holds.
    roots += [o for o in gc.get_objects() if isinstance(o, QObject)]
    return roots


def walk(window: QWidget, needles: dict[str, str]) -> tuple[dict[str, list[str]], dict]:
    """{canary name: [where it was found]} over every reachable QObject, plus counts."""
    stats = dict.fromkeys(("objects", "widgets", "models", "cells", "texts", "chars",
                           "pdf_documents", "pdf_pages", "pdf_buffers", "deleted"), 0)
    seen: set[int] = set()
    found: dict[str, list[str]] = {}
    todo = _roots(window)
    while todo:
        obj = todo.pop()
        if not shiboken6.isValid(obj):  # the C++ object is gone: nothing left to hold text
            stats["deleted"] += 1
            continue
        try:
            key = shiboken6.getCppPointer(obj)[0]  # id() of a dropped wrapper gets reused
            if key in seen:
                continue
            seen.add(key)
            children = obj.findChildren(QObject)
            where = f"{type(obj).__name__}({obj.objectName()!r})"
            texts = list(_texts(obj, stats))
        except RuntimeError:  # deleted between the check and the reading
            stats["deleted"] += 1
            continue
        stats["objects"] += 1
        todo += children
        for text in texts:
            if not text:
                continue
            stats["texts"] += 1
            stats["chars"] += len(text)
            low = text.lower()
            if "een pdf van" in low and "qbuffer" in low:
                found.setdefault("<pdf in buffer>", []).append(where)
            for needle, name in needles.items():
                if needle in low:
                    found.setdefault(name, []).append(where)
    return found, stats


def python_strings_with(run: str, own: set[int]) -> int:
    """How many live Python str objects still contain a canary (the test's own excluded).

    str objects are not tracked by the collector; they are found as referents of the
    containers (dicts, lists, tuples, instance attributes, frames) that are."""
    gc.collect()
    hits: set[int] = set()
    for holder in gc.get_objects():
        for ref in gc.get_referents(holder):
            if type(ref) is str and run in ref and id(ref) not in own:
                hits.add(id(ref))
    return len(hits)


# --- the case -------------------------------------------------------------------------------------


def _fill(services, c: Canaries) -> tuple[int, int]:
    cs = services.cases
    details = {}
    for spec in DETAIL_FIELDS:
        if spec.kind == "choice":
            details[spec.key] = "ja"
        elif spec.kind == "date":
            details[spec.key] = "1990-04-17"
        else:
            details[spec.key] = f"{c(spec.key)} tekst"
    case = cs.create_case(Case(None, c("case.label"), TODAY - dt.timedelta(days=20),
                               forms=frozenset({Form.SEKSUEEL}),
                               source_department=c("case.source_department"), details=details))
    for kind in (EntryKind.NOTITIE, EntryKind.SIGNAAL, EntryKind.GESPREK, EntryKind.BESLUIT,
                 EntryKind.CONSULTATIE):
        cs.add_entry(Entry(None, case.id, kind, TODAY, title=c(f"{kind}.title"),
                           facts=c(f"{kind}.facts"), interpretation=c(f"{kind}.interpretation"),
                           body=c(f"{kind}.body")))
    note = next(e for e in cs.timeline(case.id) if e.kind == EntryKind.NOTITIE)
    cs.correct_entry(note.id, body=c("correctie.body"))
    cs.add_followup(FollowUp(None, case.id, TODAY + dt.timedelta(days=3), c("followup.what")))
    services.meldcode.complete_step(case.id, "signalen", {
        "rol": "eigen", "datum": (TODAY - dt.timedelta(days=10)).isoformat(),
        "waarnemer": c("meldcode.waarnemer"), "signalen": ["ALG-03"],
        "waarnemingen": [{"soort": "feit", "tekst": c("meldcode.feit"), "bron": "eigen"}],
        "minderjarig": "nee", "kinderen": "nee"})
    services.meldcode.save_draft(case.id, "consultatie", {"coordinatie": c("meldcode.coordinatie")})
    walk_ = services.routekaart.new_walk()
    for answer in ("nee", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf", ["seksueel"]):
        walk_.answer(answer)
    services.routekaart.record(case.id, walk_)
    services.handover.record_ground(case.id, "shop", "vitaal_belang", c("ground.motivation"),
                                    c("ground.decided_by"),
                                    {k: c(f"ground.{k}") for k in VITAAL_KEYS})
    ho = services.handover
    inputs = ho.default_inputs(case.id, "shop")
    inputs.update(request_type="zorgcoordinatie", signalen=c("sheet.signalen"))
    prepared = ho.prepare(case.id, "shop", ho.default_selection("shop") | {"naam"}, inputs)
    ho.record_printed(prepared)  # logged without a printer: the Verstrekkingen page shows it
    return case.id, note.id


@pytest.fixture
def session(app_paths):
    s = Session(app_paths.vault, params=FAST_PARAMS)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def quiet_dialogs(monkeypatch):
    shown = []
    monkeypatch.setattr(dialogs, "inform", lambda *a, **k: shown.append(a))
    monkeypatch.setattr(dialogs, "warn", lambda *a, **k: shown.append(a))
    return shown


def test_lock_leaves_no_case_text_in_any_widget_or_model(qtbot, session, monkeypatch):
    t0 = time.perf_counter()
    c = Canaries()
    services = session.create(PHRASE, c("gemeente"))
    for key in ("af_naam", "af_functie", "af_contact"):
        services.settings.set(key, c(key))
    services.sociale_kaart.add(c("contact.name"), notes=c("contact.notes"))
    case_id, note_id = _fill(services, c)
    del services

    # Dialogs open non-modally, as they stand on screen while the AF works.
    opened: list = []

    def show_instead(dlg) -> bool:
        dlg.show()
        opened.append(dlg)
        return False

    monkeypatch.setattr(common, "run_dialog", show_instead)
    monkeypatch.setattr(handover_dialog, "run_modal", show_instead)

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    for spec in PAGES:
        window.show_page(spec.key)
        assert window.stack.currentWidget() is window.pages[spec.key]
    window.open_case(case_id)
    view: CaseView = window.case_view.case_widget
    for i in range(view.tabs.count()):
        view.tabs.setCurrentIndex(i)
        qtbot.wait(20)
        if view.tabs.tabText(i) == "Tijdlijn":
            view.select_entry(note_id)  # the entry pane shows the text and its history
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "Overzicht", "Tijdlijn", "Meldcode", "Routekaart", "Overdracht"]
    meldcode = view._feature_widgets[TAB_MELDCODE]
    typed_draft = meldcode.findChild(QLineEdit, "field_coordinatie")
    typed_draft.setText(c("typed.meldcode"))  # typed, not saved: the lock must keep it
    view.open_handover("shop")
    handover = next(d for d in opened if isinstance(d, handover_dialog.HandoverDialog))
    assert handover.isVisible() and handover.prepared is not None
    handover.record_ground()  # the ground dialog on top, with typed and unsaved text
    ground = next(d for d in opened if isinstance(d, handover_dialog.GroundDialog))
    ground.motivation.setPlainText(c("typed.motivation"))
    ground.detail_widgets[ground.kind]["incapacity"].setPlainText(c("typed.incapacity"))
    handover.input_widgets["signalen"].setPlainText(c("typed.signalen"))
    handover.update_preview()  # the sheet in the preview now carries the typed text

    needles = {v.lower(): n for n, v in c.by_name.items()}
    needles[c.run] = "<run id>"
    before, stats_before = walk(window, needles)
    # The walk sees each kind of holder: labels, html, item models, tooltips, line edits,
    # typed text in an open dialog, the sheet in a PDF document held in memory.
    must_see = {
        "case.label": "QLabel", "persoon.gezondheid": "QTextBrowser",
        "notitie.title": "Model", "correctie.body": "QTextBrowser", "followup.what": "Model",
        "ground.motivation": "", "af_naam": "QLineEdit", "contact.name": "Model",
        "typed.motivation": "QPlainTextEdit", "typed.incapacity": "QPlainTextEdit",
        "typed.signalen": "QPdfDocument", "typed.meldcode": "field_coordinatie",
        "<pdf in buffer>": "QBuffer",
    }
    for name, holder in must_see.items():
        assert name in before, f"the walk did not see {name}: it would be blind to it"
        assert any(holder in where for where in before[name]), (name, before[name][:5])

    own = {id(v) for v in c.by_name.values()} | {id(c.run)} | {id(k) for k in needles}
    strings_before = python_strings_with(c.run, own)
    old_vault = session.vault
    del view, handover, ground, meldcode, typed_draft
    opened.clear()  # the test's own references to the dialogs
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    qtbot.wait(50)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(10)

    assert session.vault is None and session.services is None
    assert old_vault.conn is None
    assert window.pages == {} and window.case_view is None
    after, stats_after = walk(window, needles)
    assert after == {}, "\n".join(f"{n}: {w[:5]}" for n, w in after.items())
    lingering = python_strings_with(c.run, own)
    assert strings_before > 0, "the string count is blind"
    assert lingering == 0, f"{lingering} Python strings with case text still reachable"

    # Unlock: back to the same case, with its text.
    window.unlock_panel.passphrase.setText(PHRASE)
    window.unlock_panel.submit()
    assert not window.locked
    assert window.case_view is not None and window.stack.currentWidget() is window.case_view
    restored: CaseView = window.case_view.case_widget
    assert restored.case_id == case_id and restored.case.label == c("case.label")
    assert c("case.label") in restored.title_label.text()
    again, _ = walk(window, needles)
    assert "case.label" in again and "notitie.title" in again
    assert window.unlock_panel.passphrase.text() == ""
    restored.tabs.setCurrentIndex(TAB_MELDCODE)
    field_again = restored._feature_widgets[TAB_MELDCODE].findChild(QLineEdit, "field_coordinatie")
    assert field_again.text() == c("typed.meldcode"), "the draft typed before the lock is lost"

    print(f"\n[vergrendelen] canaries={len(c.by_name)} "
          f"found_before={len(set(before) & set(c.by_name))} "
          f"found_after={len(after)} objects_before={stats_before['objects']} "
          f"objects_after={stats_after['objects']} widgets_after={stats_after['widgets']} "
          f"models_after={stats_after['models']} cells_after={stats_after['cells']} "
          f"texts_after={stats_after['texts']} chars_after={stats_after['chars']} "
          f"cells_before={stats_before['cells']} pdf_pages_before={stats_before['pdf_pages']} "
          f"python_strings_before={strings_before} python_strings_after_gc={lingering} total_s={time.perf_counter() - t0:.1f}")
