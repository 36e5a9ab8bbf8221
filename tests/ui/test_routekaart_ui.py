"""The routekaart screens driven like the AF does: real widgets, a real vault."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PySide6.QtCore import Qt

from aandacht.domain.case import Case, EntryKind, Form, Subject
from aandacht.services.routekaart import RoutekaartService
from aandacht.services.sociale_kaart import SocialeKaartService
from aandacht.ui.routekaart import RoutekaartPage, RouteSettingsDialog, RouteWidget, hooks
from aandacht.ui.routekaart.cards import OutcomeCard

ADULT_WANTS_HELP = ("nee", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf", ("onbekend",))


@pytest.fixture
def svc(services):
    services.routekaart = RoutekaartService(services.cases, services.settings)
    services.sociale_kaart = SocialeKaartService(services.settings)
    return services


@pytest.fixture
def case(svc):
    return svc.cases.create_case(Case(None, "Casus Zilverreiger", dt.date.today()))


@pytest.fixture
def errors(monkeypatch):
    shown = []
    monkeypatch.setattr(hooks, "show_error", lambda parent, err, *a: shown.append(str(err)))
    return shown


def make_widget(qtbot, svc, case_id):
    w = RouteWidget(svc, case_id)
    qtbot.addWidget(w)
    w.resize(1100, 800)
    w.show()
    return w


def walk(qtbot, widget, *answers):
    """Tick the answer(s) of each question and press Verder, as the AF does."""
    for answer in answers:
        ids = (answer,) if isinstance(answer, str) else answer
        for i in ids:
            widget.question.button(i).click()
        assert widget.question.next_button.isEnabled()
        qtbot.mouseClick(widget.question.next_button, Qt.MouseButton.LeftButton)


def shown_outcomes(widget) -> list[str]:
    assert widget.stack.currentWidget() is widget.end_page
    return [c.outcome.id for c in widget.cards]


def card(widget, outcome_id) -> OutcomeCard:
    return next(c for c in widget.cards if c.outcome.id == outcome_id)


# --- named walks inside a case --------------------------------------------------------------


def test_adult_wants_help_goes_to_shop_and_is_recorded(qtbot, svc, case, errors):
    w = make_widget(qtbot, svc, case.id)
    walk(qtbot, w, *ADULT_WANTS_HELP)
    assert shown_outcomes(w) == ["shop_zelf", "comensha_registratie"]
    shop = card(w, "shop_zelf")
    text = shop.text()
    assert "SHOP zorgcoördinatie mensenhandel" in text
    assert "070-361 47 47" in text and "nummer nog niet bevestigd" in text
    assert "Geen persoonsgegevens" in shop.personal_tag.text()
    assert "BSN" in text  # the 'never' list is on the card
    assert shop.handover_button is not None
    assert card(w, "comensha_registratie").handover_button is None
    assert w.end_summary.text().count("→") == 1
    with qtbot.waitSignal(w.recorded) as rec:
        qtbot.mouseClick(w.record_button, Qt.MouseButton.LeftButton)
    entries = [e for e in svc.cases.timeline(case.id) if e.kind == EntryKind.ROUTE]
    assert len(entries) == 1 and entries[0].id == rec.args[0]
    assert entries[0].data["recipients"] == ["shop", "comensha"]
    assert not w.record_button.isEnabled()
    assert "Vastgelegd" in w.status_label.text()
    # the handover button asks the handover feature for the SHOP sheet of this case
    with qtbot.waitSignal(w.handover_requested) as sig:
        qtbot.mouseClick(shop.handover_button, Qt.MouseButton.LeftButton)
    assert sig.args == [case.id, "shop"]
    assert len([e for e in svc.cases.timeline(case.id) if e.kind == EntryKind.ROUTE]) == 1
    assert errors == []


def test_location_only_goes_to_oov(qtbot, svc, case):
    w = make_widget(qtbot, svc, case.id)
    walk(qtbot, w, "nee", "locatie")
    assert shown_outcomes(w) == ["oov"]
    oov = card(w, "oov")
    assert "nummer nog niet ingevuld" in oov.text()
    assert "De verblijfsstatus van het slachtoffer." in oov.text()
    # a handover before recording records the route first, so the sheet rests on it
    with qtbot.waitSignal(w.handover_requested) as sig:
        qtbot.mouseClick(oov.handover_button, Qt.MouseButton.LeftButton)
    assert sig.args == [case.id, "oov"]
    entries = [e for e in svc.cases.timeline(case.id) if e.kind == EntryKind.ROUTE]
    assert [e.data["recipients"] for e in entries] == [["oov"]]


def test_acute_then_shop(qtbot, svc, case):
    w = make_widget(qtbot, svc, case.id)
    walk(qtbot, w, "ja", *ADULT_WANTS_HELP[1:])
    assert shown_outcomes(w)[:2] == ["alarm_112", "shop_zelf"]
    first = w.cards[0]
    assert "112" in first.text() and "nummer nog niet bevestigd" not in first.text()
    assert "art. 162" in first.text()  # the gemeente's reminder setting


def test_minor_goes_to_veilig_thuis(qtbot, svc, case):
    w = make_widget(qtbot, svc, case.id)
    walk(qtbot, w, "nee", "slachtoffer", "ja", "nee", ("seksueel",))
    ids = shown_outcomes(w)
    assert ids[0] == "vt_minderjarig"
    vt = card(w, "vt_minderjarig")
    assert "0800-2000" in vt.text() and "5.2.6 Wmo" in vt.text()
    assert vt.handover_button is None
    assert not any(i.startswith("shop_") and i != "shop_jeugd_advies" for i in ids)


def test_4b_sends_no_personal_data_to_shop(qtbot, svc, case):
    w = make_widget(qtbot, svc, case.id)
    walk(qtbot, w, "nee", "slachtoffer", "nee", "nee", "wil_geen_hulp", ("arbeid",))
    shop_cards = [c for c in w.cards if c.outcome.contact == "shop"]
    assert [c.outcome.id for c in shop_cards] == ["shop_anoniem"]
    text = shop_cards[0].text()
    assert "Geen persoonsgegevens" in shop_cards[0].personal_tag.text()
    assert "Alleen met een vastgelegde grondslag" not in text
    assert "Anoniem sparren met SHOP mag wel" in text
    w.record()
    entry = [e for e in svc.cases.timeline(case.id) if e.kind == EntryKind.ROUTE][0]
    assert "Persoonsgegevens: Geen persoonsgegevens" in entry.body


def test_ui_shows_what_the_domain_says_on_sampled_paths(qtbot, svc, case):
    # The UI is tested against the domain, not against duplicated rules.
    tree = svc.routekaart.tree()
    paths = tree.all_paths()
    w = make_widget(qtbot, svc, case.id)
    for p in paths[:: max(1, len(paths) // 12)]:
        w.walk.restart()
        w._changed()
        walk(qtbot, w, *[s.answer_ids for s in p.steps])
        assert shown_outcomes(w) == list(p.outcome_ids), p.describe()


# --- back, breadcrumb, draft ------------------------------------------------------------------


def test_back_and_breadcrumb_change_the_answer(qtbot, svc, case):
    w = make_widget(qtbot, svc, case.id)
    walk(qtbot, w, "nee", "slachtoffer", "nee")
    assert w.breadcrumb.count() == 4  # three answers and the current question
    assert "Minderjarig?" in w.breadcrumb.item(2).text()
    qtbot.mouseClick(w.question.back_button, Qt.MouseButton.LeftButton)
    assert w.walk.current.id == "q2_minderjarig"
    assert w.question.button("nee").isChecked()  # the earlier answer is preselected
    w.question.button("ja").click()
    qtbot.mouseClick(w.question.next_button, Qt.MouseButton.LeftButton)
    assert w.walk.current.id == "q2b_amv"
    # clicking the first breadcrumb goes back to that question
    w._crumb_clicked(w.breadcrumb.item(0))
    assert w.walk.at_start and w.question.button("nee").isChecked()
    assert not w.question.back_button.isEnabled()
    walk(qtbot, w, "nee", "locatie")
    qtbot.mouseClick(w.change_button, Qt.MouseButton.LeftButton)
    assert w.stack.currentWidget() is w.question and w.question.button("locatie").isChecked()


def test_exclusive_answer_clears_the_others(qtbot, svc, case):
    w = make_widget(qtbot, svc, case.id)
    walk(qtbot, w, "nee", "slachtoffer", "nee", "nee", "wil_geen_hulp")
    w.question.button("arbeid").click()
    w.question.button("seksueel").click()
    assert w.question.selected() == ("seksueel", "arbeid")
    w.question.button("onbekend").click()
    assert w.question.selected() == ("onbekend",)
    w.question.button("crimineel").click()
    assert w.question.selected() == ("crimineel",)


def test_draft_is_kept_per_case_and_cleared_on_lock(qtbot, svc, case):
    w = make_widget(qtbot, svc, case.id)
    walk(qtbot, w, "nee", "slachtoffer", "nee")
    w.clear()  # the main window calls this on lock
    assert w.walk.at_start and w.breadcrumb.count() == 1
    w.refresh()  # after unlock
    assert w.walk.current.id == "q3_afhankelijkheid"
    again = make_widget(qtbot, svc, case.id)
    assert again.walk.current.id == "q3_afhankelijkheid"
    assert again.breadcrumb.count() == 4


def test_restart_asks_first(qtbot, svc, case, monkeypatch):
    answers = iter([False, True])
    monkeypatch.setattr(hooks, "confirm", lambda *a, **k: next(answers))
    w = make_widget(qtbot, svc, case.id)
    walk(qtbot, w, "nee", "slachtoffer")
    qtbot.mouseClick(w.restart_button, Qt.MouseButton.LeftButton)
    assert len(w.walk.steps) == 2
    qtbot.mouseClick(w.restart_button, Qt.MouseButton.LeftButton)
    assert w.walk.at_start and svc.routekaart.load_draft(case.id) is None


# --- without a case ----------------------------------------------------------------------------


def test_walk_without_case_saved_as_new_case(qtbot, svc, monkeypatch, errors):
    labels = iter(["   ", "Casus Kievit"])
    monkeypatch.setattr(hooks, "ask_text", lambda *a, **k: next(labels))
    page = RoutekaartPage(svc)
    qtbot.addWidget(page)
    w = page.route
    walk(qtbot, w, "nee", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf", ("arbeid",))
    assert w.record_button.text() == "Bewaar als casus…"
    # an empty label is refused with the case's own message; the walk is kept
    qtbot.mouseClick(w.record_button, Qt.MouseButton.LeftButton)
    assert errors and "label" in errors[0]
    assert w.walk.finished
    with qtbot.waitSignal(page.open_case) as sig:
        qtbot.mouseClick(w.record_button, Qt.MouseButton.LeftButton)
    case = svc.cases.get_case(sig.args[0])
    assert case.label == "Casus Kievit"
    assert case.subject == Subject.SLACHTOFFER and case.forms == frozenset({Form.ARBEID})
    entries = [e for e in svc.cases.timeline(case.id) if e.kind == EntryKind.ROUTE]
    assert entries[0].data["recipients"][:2] == ["shop", "comensha"]
    assert w.walk.at_start  # the page holds no case data afterwards


def test_handover_without_case_saves_a_case_first(qtbot, svc, monkeypatch):
    monkeypatch.setattr(hooks, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(hooks, "ask_text", lambda *a, **k: "Casus Pand Reigerstraat")
    page = RoutekaartPage(svc)
    qtbot.addWidget(page)
    walk(qtbot, page.route, "nee", "locatie")
    button = card(page.route, "oov").handover_button
    emitted = []
    page.open_case.connect(lambda cid: emitted.append(("open_case", cid)))
    page.handover_requested.connect(lambda cid, form: emitted.append(("handover", cid, form)))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(emitted) == 2
    opened = emitted[0][1]
    assert emitted == [("open_case", opened), ("handover", opened, "oov")]
    assert svc.cases.get_case(opened).subject == Subject.LOCATIE


def test_settings_dialog_switches_the_consent_route(qtbot, svc, monkeypatch):
    seen = {}

    def run(dialog):
        seen["dialog"] = dialog
        assert isinstance(dialog, RouteSettingsDialog)
        dialog.inputs["oov_grondslag_artikel"].setPlainText("")
        dialog.save()  # refused: the banner says why, the dialog stays open
        assert dialog.banner.isVisibleTo(dialog) and "niet leeg" in dialog.banner.text()
        dialog.inputs["oov_grondslag_artikel"].setPlainText("art. 33 UAVG (FG, testdatum)")
        dialog.inputs["shop_toestemming_route"].setChecked(True)
        dialog.save()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(hooks, "run_dialog", run)
    page = RoutekaartPage(svc)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.settings_button, Qt.MouseButton.LeftButton)
    assert svc.routekaart.setting_values()["shop_toestemming_route"] is True
    walk(qtbot, page.route, *ADULT_WANTS_HELP)
    assert "shop_toestemming" in shown_outcomes(page.route)
    walk_oov = RouteWidget(svc, None)
    qtbot.addWidget(walk_oov)
    walk(qtbot, walk_oov, "nee", "locatie")
    assert "art. 33 UAVG (FG, testdatum)" in card(walk_oov, "oov").text()


# --- the map ------------------------------------------------------------------------------------


def test_map_highlights_the_path_and_exports(qtbot, svc, case, monkeypatch, tmp_path):
    import pypdf

    w = make_widget(qtbot, svc, case.id)
    walk(qtbot, w, "ja", "slachtoffer", "nee", "nee", "wil_geen_hulp", ("seksueel",))
    m = w.map
    assert m.highlighted_nodes() == w.walk.visited
    filled = {item.data(0) for item in m.scene().items()
              if isinstance(item.data(0), str) and item.data(0).startswith("chip:")
              and item.brush().color().name() == "#7a1f3d"}
    assert filled == {f"chip:{o}" for o in w.walk.outcome_ids}
    assert "chip:oov_locatie" in filled
    on_edges = [i for i in m.scene().items() if i.data(0) == "edge:on"]
    assert len(on_edges) == len(w.walk.steps) - 1  # every step but the last leads on
    w.highlight_check.setChecked(False)
    assert m.highlighted_nodes() == ()
    assert not [i for i in m.scene().items() if i.data(0) == "edge:on"]
    w.highlight_check.setChecked(True)

    targets = iter([str(tmp_path / "kaart.png"), str(tmp_path / "kaart.pdf")])
    monkeypatch.setattr(hooks, "ask_save_path", lambda *a, **k: next(targets))
    qtbot.mouseClick(w.tabs.widget(1).findChild(type(w.record_button), "mapPng"),
                     Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.tabs.widget(1).findChild(type(w.record_button), "mapPdf"),
                     Qt.MouseButton.LeftButton)
    png = (tmp_path / "kaart.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    reader = pypdf.PdfReader(io.BytesIO((tmp_path / "kaart.pdf").read_bytes()))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Routekaart mensenhandel" in text and "Minderjarig?" in text


def test_every_node_is_drawn(qtbot, svc):
    w = RouteWidget(svc, None)
    qtbot.addWidget(w)
    boxes = {i.data(0) for i in w.map.scene().items() if i.data(0) in w.walk.tree.nodes}
    assert boxes == set(w.walk.tree.nodes)
    chips = {i.data(0) for i in w.map.scene().items()
             if isinstance(i.data(0), str) and i.data(0).startswith("chip:")}
    assert chips == {f"chip:{o}" for o in w.walk.tree.outcome_ids}


def test_no_traceback_on_a_broken_record(qtbot, svc, case, errors):
    w = make_widget(qtbot, svc, case.id)
    walk(qtbot, w, "nee", "locatie")
    w.case_id = case.id + 10_000  # a case that does not exist (e.g. deleted meanwhile)
    assert w.record() is None
    assert len(errors) == 1 and errors[0]  # a Dutch sentence in a message box
    assert w.record_button.isEnabled()  # nothing was recorded; the AF can try again
