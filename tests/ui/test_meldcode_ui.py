"""The meldcode tab and the signalenlijst page, driven with qtbot on a real vault.

Modals go through the widget module's hooks (show_error, inform, ask_save_path),
replaced here; no dialog is ever exec()'d.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from aandacht.domain.case import Case, EntryKind, Form, Minor
from aandacht.services.meldcode import MeldcodeService
from aandacht.ui.meldcode import MeldcodeWidget
from aandacht.ui.meldcode import widget as mw
from aandacht.ui.meldcode.editors import (
    BoolCombo,
    ChoiceCombo,
    DateLine,
    ListEditor,
    LongText,
    SignalPicker,
    TextLine,
)
from aandacht.ui.signalen_page import SignalenPage

TODAY = dt.date.today()


def nl(d: dt.date) -> str:
    return d.strftime("%d-%m-%Y")


@pytest.fixture
def dialogs(monkeypatch):
    seen = {"errors": [], "info": [], "paths": []}
    monkeypatch.setattr(mw, "show_error", lambda parent, err: seen["errors"].append(str(err)))
    monkeypatch.setattr(mw, "inform", lambda parent, text: seen["info"].append(text))
    return seen


def new_case(services, label="Casus Zilverreiger", forms=(Form.ARBEID,), minor=Minor.NEE):
    return services.cases.create_case(Case(None, label, TODAY - dt.timedelta(days=30),
                                           forms=frozenset(forms), minor=minor))


@pytest.fixture
def case(services):
    return new_case(services)


def make(qtbot, services, case_id) -> MeldcodeWidget:
    w = MeldcodeWidget(services, case_id)
    qtbot.addWidget(w)
    w.resize(1100, 900)
    w.show()
    return w


def fill(qtbot, editor, value) -> None:
    """Put a value in an editor the way the AF would."""
    if isinstance(editor, TextLine):
        editor.clear()
        if value.isascii():
            qtbot.keyClicks(editor, value)
        else:  # QTest can only type ASCII
            editor.setText(value)
    elif isinstance(editor, DateLine):
        editor.clear()
        qtbot.keyClicks(editor, nl(value))
    elif isinstance(editor, LongText):
        editor.setPlainText(value)
    elif isinstance(editor, ChoiceCombo):
        i = editor.findData(value)
        assert i > 0, (value, editor.offered())
        editor.setCurrentIndex(i)
    elif isinstance(editor, BoolCombo):
        editor.setCurrentIndex(1 if value else 2)
    elif isinstance(editor, SignalPicker):
        for code in value:
            qtbot.mouseClick(editor.boxes[code], Qt.MouseButton.LeftButton)
    elif isinstance(editor, ListEditor):
        for row_values in value:
            qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
            row = editor.rows[-1]
            for fid, v in row_values.items():
                fill(qtbot, row.form.editors[fid], v)
    else:
        raise TypeError(type(editor))


def fill_page(qtbot, w, values: dict) -> None:
    for fid, value in values.items():
        fill(qtbot, w.page.form.editors[fid], value)


def answer(qtbot, w, qid, value, reasoning, criteria=()):
    box = w.page.questions[qid]
    assert box.isVisible(), f"{qid} not shown"
    for c in criteria:
        box.criteria[c].click()  # a full-width check box: a click at its centre misses
    qtbot.mouseClick(box.answers[value], Qt.MouseButton.LeftButton)
    box.reasoning.setPlainText(reasoning)


def record(qtbot, w) -> None:
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)


STEP1 = {
    "rol": "eigen", "datum": TODAY - dt.timedelta(days=10), "waarnemer": "Wmo-consulent",
    "signalen": ["ALG-03", "ARB-04"],
    "waarnemingen": [{"soort": "feit", "tekst": "Paspoort ligt bij de werkgever.",
                      "bron": "eigen"}],
    "kinderen": "nee",
}
STEP2 = {
    "consultaties": [{"datum": TODAY - dt.timedelta(days=8), "met": "veilig_thuis",
                      "anoniem": True, "advies": "Bespreek met SHOP."}],
    "afspraken": [{"wat": "SHOP bellen", "wie": "AF", "datum": TODAY + dt.timedelta(days=7)}],
}
STEP3 = {"datum": TODAY - dt.timedelta(days=5), "deelnemers": "AF en consulent",
         "tolk": False, "reactie": "Wil nadenken."}
STEP4 = {"weging": "Meerdere signalen van arbeidsuitbuiting.", "vt_advies": True}


def walk_to_step4(qtbot, w):
    assert w.page.step.id == "signalen"
    assert w.page.form.editors["minderjarig"].value() == "nee"  # taken from the case
    fill_page(qtbot, w, STEP1)
    record(qtbot, w)
    assert w.page.step.id == "consultatie"
    fill_page(qtbot, w, STEP2)
    record(qtbot, w)
    assert w.page.step.id == "gesprek"
    fill_page(qtbot, w, STEP3)
    record(qtbot, w)
    assert w.page.step.id == "wegen"
    fill_page(qtbot, w, STEP4)


def test_full_walk_to_melden(qtbot, services, case, dialogs):
    w = make(qtbot, services, case.id)
    assert w.status.text() == "Meldcode: nog niet gestart"
    walk_to_step4(qtbot, w)
    assert not w.page.questions["A2"].isVisible()
    answer(qtbot, w, "A1", "ja", "Combinatie van signalen.")
    answer(qtbot, w, "A2", "ja", "Coördinator slaat werknemers.", ["geweld", "structureel"])
    assert "Melden bij Veilig Thuis is vereist" in w.page.outcome.text()
    # The header shows the consequence at once, before the step is recorded.
    assert w.status.text() == "Meldcode: stap 4 — melden vereist"
    with qtbot.waitSignal(w.status_changed) as sig:
        record(qtbot, w)
    assert sig.args == ["Meldcode: stap 5 — melden vereist"]
    assert w.status.text() == "Meldcode: stap 5 — melden vereist"

    page = w.page
    assert page.step.id == "beslissen"
    assert page.form.editors["melden"].offered() == ["ja"]  # 'geen melding' is not offered
    assert "Melden bij Veilig Thuis is vereist" in page.decision_note.text()
    assert [q for q, b in page.questions.items() if b.isVisible()] == ["A3"]
    assert page.questions["A3"].title() == \
        "Afwegingsvraag 3 — samen met Veilig Thuis, mag later"
    fill_page(qtbot, w, {
        "melden": "ja", "hulp": "nee", "onderbouwing": "Structurele onveiligheid.",
        "melding_datum": TODAY, "wat_gemeld": "De signalen uit stap 1.",
        "vt_kenmerk": "VT-0042", "vooraf_ingelicht": "nee_onveilig",
        "vooraf_hoe": "Werkgever leest mee.", "traject": "loopt",
    })
    assert w.next_button.text() == "Besluit vastleggen"
    with qtbot.waitSignal(w.state_changed):
        record(qtbot, w)
    assert dialogs["errors"] == []
    assert w.status.text() == "Meldcode: afgerond — gemeld bij Veilig Thuis"
    entries = [e for e in services.cases.timeline(case.id) if e.kind == EntryKind.MELDCODE]
    assert len(entries) == 5
    assert entries[0].title.endswith("gemeld bij Veilig Thuis")
    assert [f.what for f in services.cases.followups(case.id)] == [
        "Afspraken: SHOP bellen (eigenaar: AF)"]
    statuses = [w.steps.item(i).text().split("\n")[1] for i in range(w.steps.count())]
    assert statuses == ["✓ vastgelegd"] * 5


def test_walk_to_hulp_geen_melding(qtbot, services, case, dialogs):
    w = make(qtbot, services, case.id)
    walk_to_step4(qtbot, w)
    answer(qtbot, w, "A1", "ja", "Signalen.")
    answer(qtbot, w, "A2", "nee", "Geen geweld, niet structureel.")
    record(qtbot, w)
    page = w.page
    assert page.questions["A3"].title() == "Afwegingsvraag 3"  # required here
    answer(qtbot, w, "A3", "ja", "Wmo-begeleiding kan veilig.")
    answer(qtbot, w, "A4", "ja", "Werknemer werkt mee.")
    answer(qtbot, w, "A5", "ja", "Verwacht binnen drie maanden.")
    assert "Hulp bieden of organiseren" in page.outcome.text()
    assert page.form.editors["melden"].offered() == ["ja", "nee"]
    assert page.form.editors["hulp"].offered() == ["ja"]
    # Melding fields appear only when melden = ja.
    assert not page.form.editors["melding_datum"].isVisible()
    fill_page(qtbot, w, {"melden": "nee", "hulp": "ja", "onderbouwing": "Hulp volstaat.",
                         "eigen_hulp": "Begeleiding door de Wmo-consulent.",
                         "traject": "loopt",
                         "monitoring": [{"wat": "Huisbezoek", "datum":
                                         TODAY + dt.timedelta(days=30)}]})
    record(qtbot, w)
    assert dialogs["errors"] == []
    assert w.status.text() == "Meldcode: afgerond — hulp, geen melding"
    assert any(f.what == "Monitoring: Huisbezoek" for f in services.cases.followups(case.id))


def test_closed_at_a1(qtbot, services, case, dialogs):
    w = make(qtbot, services, case.id)
    walk_to_step4(qtbot, w)
    answer(qtbot, w, "A1", "nee", "Uitleg werkgever klopt; paspoort in kluis op verzoek.")
    assert not w.page.questions["A2"].isVisible()
    assert "Geen vermoeden" in w.page.outcome.text()
    record(qtbot, w)
    page = w.page
    assert page.step.id == "beslissen"
    assert not any(b.isVisible() for b in page.questions.values())
    assert "Geen vermoeden" in page.outcome.text()
    assert page.form.editors["traject"].offered() == ["afgesloten"]
    assert "Het traject wordt afgesloten" in page.decision_note.text()
    fill_page(qtbot, w, {"melden": "nee", "hulp": "nee", "onderbouwing": "Geen vermoeden.",
                         "traject": "afgesloten", "afsluiting": "Besproken en afgesloten."})
    record(qtbot, w)
    assert dialogs["errors"] == []
    assert w.status.text() == "Meldcode: afgerond — afgesloten, geen melding"


def test_step3_skipped_for_safety(qtbot, services, case, dialogs):
    w = make(qtbot, services, case.id)
    fill_page(qtbot, w, STEP1)
    record(qtbot, w)
    fill_page(qtbot, w, STEP2)
    record(qtbot, w)
    page = w.page
    assert page.step.id == "gesprek"
    page.skip_check.click()
    assert not page.body.isVisible() and page.skip_reason.isVisible()
    assert w.next_button.text() == "Overslaan en verder →"
    record(qtbot, w)  # no reason yet
    assert dialogs["errors"] == [
        "Vul 'Reden om het gesprek over te slaan' in; wie een stap overslaat om "
        "veiligheidsredenen, legt vast waarom."]
    assert "border: 1px solid #b42318" in page.skip_reason.styleSheet()
    assert page.banner.isVisible()
    page.skip_reason.setPlainText("De werkgever is bij elk contact aanwezig.")
    record(qtbot, w)
    assert w.page.step.id == "wegen"
    assert w.steps.item(2).text().endswith("overgeslagen")
    state = services.cases.get_state(case.id, "meldcode")
    assert state["steps"]["gesprek"]["skipped"] is True
    assert state["steps"]["gesprek"]["skip_reason"] == "De werkgever is bij elk contact aanwezig."


def test_resume_after_clear_loses_nothing(qtbot, services, case, dialogs):
    w = make(qtbot, services, case.id)
    fill_page(qtbot, w, STEP1)
    record(qtbot, w)
    # Half-way through step 2: one consultation row partly filled, one agreement typed.
    fill_page(qtbot, w, {"consultaties": [{"met": "zorgcoordinator",
                                           "advies": "Eerst anoniem sparren."}],
                         "coordinatie": "AF"})
    w.clear()  # the vault locks now
    assert w.page is None and w.state is None and w.steps.count() == 0
    assert w.status.text() == "" and w.scroll.widget() is None
    w2 = make(qtbot, services, case.id)  # unlocked, case reopened
    page = w2.page
    assert page.step.id == "consultatie"
    rows = page.form.editors["consultaties"].rows
    assert len(rows) == 1
    assert rows[0].form.values()["met"] == "zorgcoordinator"
    assert rows[0].form.values()["advies"] == "Eerst anoniem sparren."
    assert page.form.editors["coordinatie"].value() == "AF"
    # The skip reason of step 3 also survives a lock before it was recorded.
    fill_page(qtbot, w2, {"consultaties": []})
    rows[0].form.editors["datum"].setText(nl(TODAY))
    rows[0].form.editors["anoniem"].set_value(True)
    record(qtbot, w2)
    assert w2.page.step.id == "gesprek"
    w2.page.skip_check.click()
    w2.page.skip_reason.setPlainText("Half getypte reden")
    w2.clear()
    w3 = make(qtbot, services, case.id)
    assert w3.page.skip_requested() and w3.page.skip_reason_text() == "Half getypte reden"
    assert dialogs["errors"] == []


def test_required_field_skipped_shows_which_field(qtbot, services, case, dialogs):
    w = make(qtbot, services, case.id)
    values = dict(STEP1)
    values.pop("waarnemer")
    fill_page(qtbot, w, values)
    record(qtbot, w)
    assert dialogs["errors"] == [
        "Vul 'Wie nam het waar (functie of rol)' in; dit gegeven is verplicht voor het "
        "meldcode-dossier."]
    page = w.page
    assert page.step.id == "signalen"  # stayed on the page
    assert page.banner.text() == dialogs["errors"][0]
    assert "#b42318" in page.form.editors["waarnemer"].styleSheet()
    # Nothing typed is lost: the page and the stored draft keep the other fields.
    assert page.form.editors["signalen"].value() == ["ALG-03", "ARB-04"]
    draft = services.cases.get_state(case.id, "meldcode")["steps"]["signalen"]["values"]
    assert draft["waarnemingen"][0]["tekst"] == "Paspoort ligt bij de werkgever."
    # A row problem points at the row's field.
    fill(qtbot, page.form.editors["waarnemer"], "Wmo-consulent")
    row = page.form.editors["waarnemingen"].rows[0]
    fill(qtbot, row.form.editors["bron"], "derde")
    assert row.form.editors["derde"].isVisible()
    record(qtbot, w)
    assert dialogs["errors"][-1].startswith("Regel 1 bij 'Waarnemingen': Vul 'Welke derde")
    assert "#b42318" in row.form.editors["derde"].styleSheet()
    assert "#b42318" not in page.form.editors["waarnemer"].styleSheet()


def test_a2_contradiction_refused(qtbot, services, case, dialogs):
    w = make(qtbot, services, case.id)
    walk_to_step4(qtbot, w)
    answer(qtbot, w, "A1", "ja", "Signalen.")
    answer(qtbot, w, "A2", "nee", "Geen acuut gevaar.", ["disclosure"])
    record(qtbot, w)
    assert w.page.step.id == "wegen"
    assert "spreekt elkaar tegen" in dialogs["errors"][-1]
    assert "#b42318" in w.page.questions["A2"].styleSheet()


def test_minor_sexual_exploitation_hint_at_a2(qtbot, services, dialogs):
    c = new_case(services, "Casus Kievit", forms=(Form.SEKSUEEL,), minor=Minor.JA)
    svc = MeldcodeService(services.cases)
    for sid, values in (("signalen", {
            "rol": "eigen", "datum": (TODAY - dt.timedelta(days=3)).isoformat(),
            "waarnemer": "Leerplichtambtenaar", "minderjarig": "ja", "kinderen": "nee",
            "waarnemingen": [{"soort": "feit", "tekst": "Opgehaald bij school.",
                              "bron": "eigen"}]}),
            ("consultatie", {"consultaties": [{"datum": TODAY.isoformat(), "met": "collega",
                                               "anoniem": True, "advies": "Melden."}]})):
        svc.complete_step(c.id, sid, values)
    svc.skip_step(c.id, "gesprek", "Oudere 'vriend' is steeds aanwezig.")
    w = make(qtbot, services, c.id)
    assert w.page.step.id == "wegen"
    labels = w.page.questions["A2"].findChildren(type(w.status))
    assert any("geen dwang nodig" in lbl.text() for lbl in labels)
    assert not any("geen dwang nodig" in lbl.text()
                   for lbl in w.page.questions["A1"].findChildren(type(w.status)))


def test_navigation_saves_draft_and_blocks_jumping_ahead(qtbot, services, case, dialogs):
    w = make(qtbot, services, case.id)
    assert not (w.steps.item(1).flags() & Qt.ItemFlag.ItemIsEnabled)
    fill_page(qtbot, w, STEP1)
    record(qtbot, w)
    fill_page(qtbot, w, {"coordinatie": "Zorgcoördinator"})
    w.go_to("signalen")  # as a click on step 1 in the list
    assert w.page.step.id == "signalen"
    assert services.cases.get_state(case.id, "meldcode")["steps"]["consultatie"]["values"][
        "coordinatie"] == "Zorgcoördinator"
    assert w.steps.item(1).text().endswith("concept")
    w.go_to("wegen")  # not yet allowed
    assert w.page.step.id == "signalen"
    assert "kan pas worden geopend" in dialogs["errors"][-1]
    # Revising step 1 asks for a reason (optional) and records a revision; a lock
    # before recording keeps both the change and the reason.
    fill(qtbot, w.page.form.editors["waarnemer"], "Wijkagent")
    w.page.revision_note.setText("Waarnemer verkeerd genoteerd.")
    w.clear()
    w = make(qtbot, services, case.id)
    assert w.page.step.id == "signalen"
    assert w.page.revision_note.text() == "Waarnemer verkeerd genoteerd."
    assert w.page.form.editors["waarnemer"].value() == "Wijkagent"
    assert w.steps.item(0).text().endswith("gewijzigd, nog niet vastgelegd")
    record(qtbot, w)
    rev = [e for e in services.cases.timeline(case.id) if e.kind == EntryKind.MELDCODE][0]
    assert rev.title == "Meldcode stap 1 herzien: Signalen in kaart brengen"
    assert "Reden van de wijziging: Waarnemer verkeerd genoteerd." in rev.body
    assert w.page.step.id == "consultatie"
    assert w.page.form.editors["coordinatie"].value() == "Zorgcoördinator"


def test_visiting_a_recorded_step_changes_nothing(qtbot, services, case, dialogs):
    w = make(qtbot, services, case.id)
    fill_page(qtbot, w, STEP1)
    record(qtbot, w)
    fill_page(qtbot, w, STEP2)
    record(qtbot, w)
    for step in ("signalen", "consultatie", "gesprek", "signalen", "consultatie"):
        w.go_to(step)
    assert [w.steps.item(i).text().split("\n")[1] for i in range(3)] == [
        "✓ vastgelegd", "✓ vastgelegd", "te doen"]
    assert not services.cases.timeline(case.id)[0].title.endswith("herzien")


def test_report_saved_to_chosen_path(qtbot, services, case, dialogs, monkeypatch, tmp_path):
    services.settings.set("gemeente_naam", "Midden-Delfland")
    w = make(qtbot, services, case.id)
    fill_page(qtbot, w, STEP1)
    record(qtbot, w)
    target = tmp_path / "verslag"
    monkeypatch.setattr(mw, "ask_save_path", lambda parent, name: (
        dialogs["paths"].append(name) or str(target)))
    qtbot.mouseClick(w.report_button, Qt.MouseButton.LeftButton)
    assert dialogs["paths"] == ["meldcode-verslag.pdf"]  # no case label in the file name
    saved = tmp_path / "verslag.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert "verslag.pdf" in dialogs["info"][0] and "eigen dossier" in dialogs["info"][0]


def test_report_write_error_shown_and_no_file(qtbot, services, case, dialogs, monkeypatch,
                                              tmp_path):
    w = make(qtbot, services, case.id)
    monkeypatch.setattr(mw, "ask_save_path",
                        lambda parent, name: str(tmp_path / "bestaat-niet" / "v.pdf"))
    qtbot.mouseClick(w.report_button, Qt.MouseButton.LeftButton)
    assert "bestaat niet" in dialogs["errors"][0]
    assert not (tmp_path / "bestaat-niet").exists()
    # Cancelled dialog: nothing happens.
    monkeypatch.setattr(mw, "ask_save_path", lambda parent, name: "")
    qtbot.mouseClick(w.report_button, Qt.MouseButton.LeftButton)
    assert len(dialogs["errors"]) == 1 and dialogs["info"] == []


def test_signal_picker_search_and_case_forms(qtbot, services, case, dialogs):
    w = make(qtbot, services, case.id)
    picker = w.page.form.editors["signalen"]
    assert set(picker.boxes) == {f"ALG-{n:02d}" for n in range(1, 13)} | {
        f"ARB-{n:02d}" for n in range(1, 15)}  # general + the case's form
    qtbot.keyClicks(picker.search, "paspoort")
    assert picker.visible_codes() == ["ALG-03", "ARB-04"]
    picker.search.clear()
    assert len(picker.visible_codes()) == 26


def test_signalen_page(qtbot, services):
    page = SignalenPage(services)
    qtbot.addWidget(page)
    page.resize(900, 700)
    page.show()
    assert len(page.visible_codes()) == 52
    assert page.count.text() == "52 signalen"
    qtbot.keyClicks(page.search, "geintimideerd")
    assert page.visible_codes() == ["ARB-10"]
    page.search.clear()
    qtbot.keyClicks(page.search, "sek-1")
    assert page.visible_codes() == ["SEK-10", "SEK-11", "SEK-12", "SEK-13", "SEK-14"]
    page.search.clear()
    page.form_filter.setCurrentIndex(page.form_filter.findData("crimineel"))
    assert page.visible_codes() == [f"CRI-{n:02d}" for n in range(1, 13)]
    assert page.count.text() == "12 van 52 signalen"
    assert "KWB-03" in page.findChild(type(page.count), "groups").text()
    page.clear()
    assert page.search.text() == "" and len(page.visible_codes()) == 52
