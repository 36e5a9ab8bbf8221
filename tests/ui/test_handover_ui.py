"""The overdracht dialog and the Verstrekkingen page, driven with real widgets (qtbot)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from aandacht.domain.case import Case, Form, Minor
from aandacht.domain.handover import default_selection
from aandacht.ui.handover import dialog as hd
from aandacht.ui.handover.dialog import GroundDialog, HandoverDialog
from aandacht.ui.handover.disclosures_page import VerstrekkingenPage

MOTIVATION = "Persoon is verward en heeft vandaag een veilige plek nodig."


@pytest.fixture
def svcs(services):
    for key, value in (("gemeente_naam", "Midden-Delfland"),
                       ("af_naam", "Testpersoon Marloes Voorbeeld"),
                       ("af_functie", "Aandachtsfunctionaris mensenhandel"),
                       ("af_contact", "06-12345678")):
        services.settings.set(key, value)
    return services


@pytest.fixture
def case_id(svcs):
    return svcs.cases.create_case(Case(
        None, "Casus Zilverreiger", dt.date(2025, 3, 4), forms=frozenset({Form.ARBEID}),
        minor=Minor.NEE, details={"persoon.naam": "Testpersoon Aïcha Voorbeeld",
                                  "situatie.sector": "Land- en tuinbouw",
                                  "object.adres": "Voorbeeldweg 12"})).id


@pytest.fixture
def errors(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(hd, "show_error", lambda parent, err: shown.append(str(err)))
    return shown


@pytest.fixture
def dlg(qtbot, svcs, case_id, errors):
    d = HandoverDialog(svcs, case_id, "shop")
    qtbot.addWidget(d)
    return d


def pdf_text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def count(svcs) -> int:
    return svcs.vault.execute("SELECT count(*) FROM disclosures").fetchone()[0]


def test_dialog_opens_with_the_minimal_set(dlg):
    form = dlg.form
    ticked = {fid for fid, cb in dlg.checks.items() if cb.isChecked()}
    assert ticked == default_selection(form) == dlg.requested()
    for rule in form.fields:
        cb, note = dlg.checks[rule.id], dlg.notes[rule.id]
        if rule.rule == "allowed":
            assert cb.isEnabled()
        elif rule.rule == "needs_ground":
            assert not cb.isEnabled() and "Op slot" in note.text()
        else:
            assert not cb.isEnabled() and rule.reason in note.text()
            assert note.text().startswith("Nooit op dit blad")
    assert not dlg.save_button.isEnabled() and not dlg.print_button.isEnabled()
    assert "Zilverreiger" not in dlg.windowTitle()


def test_preview_renders_the_real_pdf_from_memory(dlg, qtbot, tmp_path):
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert dlg.prepared is not None
    qtbot.waitUntil(lambda: dlg.document.status() == QPdfDocument.Status.Ready)
    assert dlg.document.pageCount() >= 1
    assert dlg.view.document() is dlg.document
    assert not dlg.document.render(0, dlg.document.pagePointSize(0).toSize()).isNull()
    text = pdf_text(dlg.prepared.pdf)
    assert "Land- en tuinbouw" in text and "Testpersoon Aïcha" not in text
    assert dlg.prepared.number in dlg.preview_title.text()
    # Unticking a field rebuilds the preview without it.
    dlg.checks["sector"].setChecked(False)
    qtbot.waitUntil(lambda: "Land- en tuinbouw" not in pdf_text(dlg.prepared.pdf))
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written


def _fill_vitaal(d: GroundDialog, motivation: str) -> None:
    d.kind_combo.setCurrentIndex(d.kind_combo.findData("vitaal_belang"))
    w = d.detail_widgets["vitaal_belang"]
    w["incapacity"].setPlainText("Verward na een incident, niet aanspreekbaar.")
    w["urgent_need"].setPlainText("Opvang en medische zorg, vandaag.")
    w["no_lighter_route"].setPlainText("Anoniem advies geeft vandaag geen opvang.")
    d.motivation.setPlainText(motivation)


def test_recording_vitaal_belang_unlocks_its_fields(dlg, qtbot, monkeypatch):
    attempts = []

    def run(d: GroundDialog) -> bool:
        _fill_vitaal(d, "")
        assert not d.submit()  # refused: no motivation
        assert d.error.isVisibleTo(d) and "motivering" in d.error.text().lower()
        assert d.detail_widgets["vitaal_belang"]["incapacity"].toPlainText()  # nothing lost
        d.motivation.setPlainText(MOTIVATION)
        attempts.append(d.submit())
        return attempts[-1]

    monkeypatch.setattr(hd, "run_modal", run)
    assert not dlg.checks["naam"].isEnabled()
    assert dlg.request_combo.currentData() == "advies"
    dlg.record_ground()
    assert attempts == [True]
    # Advice/sparring stays anonymous: the request becomes a zorgcoördinatie request.
    assert dlg.request_combo.currentData() == "zorgcoordinatie"
    for fid in ("naam", "telefoon", "verblijfplaats", "gezondheid"):
        assert dlg.checks[fid].isEnabled() and dlg.checks[fid].isChecked()
        assert "vitaal belang" in dlg.notes[fid].text()
    assert not dlg.checks["geboortedatum"].isEnabled()  # consent only
    assert not dlg.checks["eigen_strafrechtelijk"].isEnabled()
    dlg.update_preview()
    assert not dlg.preview_error.isVisibleTo(dlg)
    text = pdf_text(dlg.prepared.pdf)
    assert "Testpersoon Aïcha Voorbeeld" in text and MOTIVATION[:30] in text
    dlg.request_combo.setCurrentIndex(dlg.request_combo.findData("advies"))
    dlg.update_preview()
    assert dlg.prepared is None and "alleen de minimale" in dlg.preview_error.text()
    assert "Vitaal belang" in dlg.grounds_list.itemAt(0).widget().findChildren(
        hd.QLabel)[0].text()


def test_withdrawing_the_ground_locks_the_fields_again(dlg, monkeypatch, svcs, case_id):
    ground = dlg.svc.record_ground(case_id, "shop", "vitaal_belang", MOTIVATION, "AF",
                                   {"incapacity": "x", "urgent_need": "y",
                                    "no_lighter_route": "z"})
    dlg.load_states()
    dlg.checks["naam"].setChecked(True)
    monkeypatch.setattr(hd, "confirm", lambda *a, **k: True)
    dlg.withdraw_ground(ground.id)
    assert not dlg.checks["naam"].isEnabled() and not dlg.checks["naam"].isChecked()
    assert "naam" not in dlg.requested()


def test_save_writes_the_file_and_logs_once(dlg, qtbot, monkeypatch, svcs, tmp_path, errors):
    target = tmp_path / "uit" / "blad.pdf"
    target.parent.mkdir()
    asked = []
    monkeypatch.setattr(hd, "ask_save_path",
                        lambda parent, title, name: asked.append(name) or str(target))
    dlg.save_pdf()  # not confirmed yet: nothing happens
    assert asked == [] and count(svcs) == 0
    dlg.confirm_box.setChecked(True)
    assert dlg.save_button.isEnabled()
    qtbot.mouseClick(dlg.save_button, hd.Qt.MouseButton.LeftButton)
    assert errors == []
    assert target.read_bytes() == dlg.prepared.pdf
    assert asked == [f"overdracht_shop_{dlg.prepared.number}.pdf"]
    assert count(svcs) == 1 and "nr. 1" in dlg.status.text()
    number = dlg.prepared.number
    dlg.checks["sector"].setChecked(False)  # a changed sheet is a new sheet
    assert not dlg.confirm_box.isChecked() and not dlg.save_button.isEnabled()
    dlg.update_preview()
    assert dlg.prepared.number != number


def test_save_failure_shows_dutch_message_and_logs_nothing(dlg, monkeypatch, svcs, tmp_path,
                                                          errors):
    monkeypatch.setattr(hd, "ask_save_path",
                        lambda *a: str(tmp_path / "bestaat_niet" / "blad.pdf"))
    dlg.confirm_box.setChecked(True)
    dlg.save_pdf()
    assert len(errors) == 1 and "bestaat niet" in errors[0]
    assert count(svcs) == 0 and "nog niets verstrekt" in dlg.status.text()


def test_print_renders_pages_and_logs(dlg, monkeypatch, svcs, tmp_path, errors):
    out = tmp_path / "printer.pdf"

    def to_file(parent, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    monkeypatch.setattr(hd, "ask_printer", to_file)
    dlg.confirm_box.setChecked(True)
    dlg.print_sheet()
    assert errors == []
    assert len(PdfReader(str(out)).pages) == dlg.document.pageCount()
    assert count(svcs) == 1
    row = svcs.vault.execute("SELECT content FROM disclosures").fetchone()[0]
    assert '"action":"afgedrukt"' in row


def test_failing_printer_shows_dutch_message_and_logs_nothing(dlg, monkeypatch, svcs, tmp_path,
                                                              errors):
    def broken(parent, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "geen_map" / "x.pdf"))
        return True

    monkeypatch.setattr(hd, "ask_printer", broken)
    dlg.confirm_box.setChecked(True)
    dlg.print_sheet()
    assert len(errors) == 1 and "printer" in errors[0]
    assert count(svcs) == 0


def test_missing_sender_settings_are_shown_not_thrown(qtbot, svcs, case_id, errors):
    svcs.settings.set("af_naam", "")
    d = HandoverDialog(svcs, case_id, "oov")
    qtbot.addWidget(d)
    assert d.prepared is None
    assert "Instellingen" in d.preview_error.text()
    assert not d.confirm_box.isEnabled() and not d.save_button.isEnabled()


def test_clear_drops_the_sheet(dlg):
    dlg.input_widgets["signalen"].setPlainText("ALG-03")
    dlg.clear()
    assert dlg.prepared is None
    assert dlg.input_widgets["signalen"].toPlainText() == ""
    assert dlg.document.status() != QPdfDocument.Status.Ready


# --- the Verstrekkingen page ----------------------------------------------------------------


def _give_out(svcs, case_id, tmp_path, form_id, name):
    svc = hd.handover_service(svcs)
    prepared = svc.prepare(case_id, form_id, svc.default_selection(form_id),
                           svc.default_inputs(case_id, form_id))
    return svc.save(prepared, tmp_path / name)


def test_page_lists_filters_verifies_and_exports(qtbot, svcs, case_id, tmp_path, monkeypatch,
                                                 errors):
    _give_out(svcs, case_id, tmp_path, "shop", "a.pdf")
    _give_out(svcs, case_id, tmp_path, "oov", "b.pdf")
    page = VerstrekkingenPage(svcs)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 2
    assert page.model.data(page.model.index(0, 4)) == "Casus Zilverreiger"
    page.recipient.setCurrentIndex(page.recipient.findData("oov"))
    assert page.model.rowCount() == 1 and page.model.rows[0].recipient == "oov"
    page.reset_filters()
    page.since.setText("01-01-2099")
    page.reload()
    assert page.model.rowCount() == 0
    page.since.setText("gisteren")
    page.reload()
    assert page.error.isVisibleTo(page) and "geen datum" in page.error.text()
    page.reset_filters()
    assert page.model.rowCount() == 2
    page.table.selectRow(1)
    assert "Vermoedelijke vorm(en) van uitbuiting" in page.detail.toPlainText()

    status = page.verify()
    assert status.ok and "in orde" in page.chain_status.text()
    svcs.vault.conn.execute("UPDATE disclosures SET content = replace(content, 'shop', 'oov') "
                            "WHERE seq = 1")
    status = page.verify()
    assert not status.ok and "nr. 1" in page.chain_status.text()
    assert page.selected().seq == 1

    with qtbot.waitSignal(page.open_case) as sig:
        page.table.doubleClicked.emit(page.model.index(0, 0))
    assert sig.args == [case_id]

    out = tmp_path / "log.pdf"
    monkeypatch.setattr(hd, "ask_save_path", lambda *a: str(out))
    page.export_case()
    assert errors and "Kies eerst" in errors[-1]  # no case chosen
    page.case.setCurrentIndex(page.case.findData(case_id))
    assert page.export_button.isEnabled()
    page.export_case()
    assert "Casus Zilverreiger" in pdf_text(out.read_bytes())
    assert "LET OP" in pdf_text(out.read_bytes())  # the tampering shows in the export too

    page.clear()
    assert page.model.rowCount() == 0 and page.case.count() == 0
    assert page.detail.toPlainText() == ""
    page.refresh()
    assert page.model.rowCount() == 2
