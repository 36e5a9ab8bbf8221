"""The Sociale kaart page with a real vault: edit, confirm, add, remove, export, import."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from aandacht.services.sociale_kaart import SocialeKaartService
from aandacht.ui.routekaart import hooks
from aandacht.ui.sociale_kaart_page import (
    COL_STATUS,
    ContactDialog,
    ImportPreviewDialog,
    SocialeKaartPage,
)


@pytest.fixture
def svc(services):
    services.sociale_kaart = SocialeKaartService(services.settings)
    return services


@pytest.fixture
def shown(monkeypatch):
    seen = {"errors": [], "info": []}
    monkeypatch.setattr(hooks, "show_error",
                        lambda parent, err, *a: seen["errors"].append(str(err)))
    monkeypatch.setattr(hooks, "inform", lambda parent, title, text: seen["info"].append(text))
    monkeypatch.setattr(hooks, "confirm", lambda *a, **k: True)
    return seen


@pytest.fixture
def page(qtbot, svc, shown):
    p = SocialeKaartPage(svc)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    return p


def status_of(page, contact_id) -> str:
    row = [c.id for c in page.model.rows].index(contact_id)
    return page.model.data(page.model.index(row, COL_STATUS))


def test_table_shows_unconfirmed_numbers(page):
    assert page.model.rowCount() == len(page.service.contacts())
    assert status_of(page, "shop") == "nummer nog niet bevestigd"
    assert status_of(page, "noodnummer_112") == "bevestigd"
    assert status_of(page, "oov") == "nummer nog niet ingevuld"
    page.select("shop")
    assert "070-361 47 47" in page.detail.text()
    assert page.confirm_button.isEnabled()
    assert not page.remove_button.isEnabled()  # SHOP is on the routekaart


def test_confirm_number(qtbot, page, svc):
    page.select("shop")
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    assert status_of(page, "shop") == "bevestigd"
    assert svc.sociale_kaart.get("shop").verified
    assert page.selected_id() == "shop" and not page.confirm_button.isEnabled()
    assert page.reset_button.isEnabled()
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    assert status_of(page, "shop") == "nummer nog niet bevestigd"


def test_edit_refuses_a_bad_number_and_keeps_the_input(qtbot, page, svc, monkeypatch):
    def run(dialog):
        assert isinstance(dialog, ContactDialog)
        dialog.edits["hours"].setText("ma–vr 9.00–17.00")
        dialog.edits["phone"].setText("bel de receptie")
        dialog.save()
        assert dialog.result() != dialog.DialogCode.Accepted
        assert "telefoonnummer" in dialog.banner.text()
        assert dialog.edits["hours"].text() == "ma–vr 9.00–17.00"  # nothing typed is lost
        dialog.edits["phone"].setText("070-123 45 67")
        dialog.verified.setChecked(True)
        dialog.save()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(hooks, "run_dialog", run)
    page.select("nla")
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    nla = svc.sociale_kaart.get("nla")
    assert nla.phone == "070-123 45 67" and nla.verified and nla.hours == "ma–vr 9.00–17.00"
    assert status_of(page, "nla") == "bevestigd"


def test_typing_a_new_number_unticks_confirmed(qtbot, svc):
    svc.sociale_kaart.confirm_phone("shop")
    dialog = ContactDialog(svc.sociale_kaart, svc.sociale_kaart.get("shop"))
    qtbot.addWidget(dialog)
    assert dialog.verified.isChecked()
    qtbot.keyClicks(dialog.edits["phone"], "8")
    assert not dialog.verified.isChecked()


def test_add_and_remove_own_contact(qtbot, page, svc, monkeypatch):
    def run(dialog):
        dialog.edits["name"].setText("Opvang De Haven (fictief)")
        dialog.edits["phone"].setText("010-765 43 21")
        dialog.save()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(hooks, "run_dialog", run)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.selected_id() == "opvang_de_haven_fictief"
    assert page.remove_button.isEnabled()
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert svc.sociale_kaart.find("opvang_de_haven_fictief") is None
    assert "opvang_de_haven_fictief" not in [c.id for c in page.model.rows]


def test_export_then_import_with_diff_shown_first(qtbot, page, svc, shown, monkeypatch,
                                                  tmp_path):
    target = tmp_path / "kaart.json"
    monkeypatch.setattr(hooks, "ask_save_path", lambda *a, **k: str(target))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert shown["info"] and "geen casusgegevens" in shown["info"][0]
    doc = json.loads(target.read_text("utf-8"))
    doc["contacts"] = [dict(c, hours="24/7") if c["id"] == "comensha" else c
                       for c in doc["contacts"] if c["id"] != "perspektief"]
    other = tmp_path / "van_buurgemeente.json"
    other.write_text(json.dumps(doc), "utf-8")
    monkeypatch.setattr(hooks, "ask_open_path", lambda *a, **k: str(other))

    previews = []

    def cancel(dialog):
        assert isinstance(dialog, ImportPreviewDialog)
        previews.append([dialog.lines.item(i).text() for i in range(dialog.lines.count())])
        return False

    monkeypatch.setattr(hooks, "run_dialog", cancel)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert "Gewijzigd: CoMensha (bereikbaarheid)" in previews[0]
    assert "Verwijderd: Perspektief" in previews[0]
    assert any("‘—’ → ‘24/7’" in line for line in previews[0])
    assert svc.sociale_kaart.get("comensha").hours == ""  # cancelled: nothing applied

    monkeypatch.setattr(hooks, "run_dialog", lambda dialog: True)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert svc.sociale_kaart.get("comensha").hours == "24/7"
    assert "perspektief" not in [c.id for c in page.model.rows]
    assert shown["errors"] == []


def test_bad_import_file_is_refused_with_a_message(qtbot, page, svc, shown, monkeypatch,
                                                   tmp_path):
    bad = tmp_path / "kaart.json"
    bad.write_text(json.dumps({"format": "aandacht-sociale-kaart", "version": 7,
                               "contacts": []}), "utf-8")
    monkeypatch.setattr(hooks, "ask_open_path", lambda *a, **k: str(bad))
    monkeypatch.setattr(hooks, "run_dialog",
                        lambda dialog: pytest.fail("no preview for a refused file"))
    before = svc.sociale_kaart.contacts()
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert shown["errors"] and "versie 7" in shown["errors"][0]
    assert svc.sociale_kaart.contacts() == before


def test_clear_drops_the_rows(page):
    page.clear()
    assert page.model.rowCount() == 0
    page.refresh()
    assert page.model.rowCount() > 0
