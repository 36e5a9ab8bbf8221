"""MeldcodeService on a real SQLCipher vault: state per case, timeline entries,
follow-ups from agreements, status line for the case list, and the verslag."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from pypdf import PdfReader

from aandacht.domain.case import Case, EntryKind, Form, Minor
from aandacht.domain.errors import AandachtError, NotAllowed, ValidationError
from aandacht.services.cases import CaseService
from aandacht.services.meldcode import STATE_KEY, STATUS_KEY, MeldcodeService

TODAY = dt.date(2024, 5, 6)
NOW = dt.datetime(2024, 5, 6, 10, 30)

STEP1 = {
    "rol": "eigen", "datum": "2024-04-02", "waarnemer": "Wmo-consulent",
    "signalen": ["ALG-03", "ARB-04"],
    "waarnemingen": [
        {"soort": "feit", "tekst": "Paspoort ligt bij de werkgever.", "bron": "eigen"},
        {"soort": "interpretatie", "tekst": "Lijkt afhankelijk van de werkgever.",
         "bron": "derde", "derde": "wijkagent"},
    ],
    "minderjarig": "nee", "kinderen": "nee",
}
STEP2 = {
    "consultaties": [{"datum": "2024-04-03", "met": "veilig_thuis", "anoniem": True,
                      "advies": "Bespreek met de zorgcoördinator."}],
    "afspraken": [{"wat": "SHOP bellen", "wie": "AF", "datum": "2024-05-20"},
                  {"wat": "Navragen bij wijkagent", "wie": "Wmo-consulent",
                   "datum": "2024-05-27"}],
}
STEP3 = {"datum": "2024-04-05", "deelnemers": "AF", "tolk": False, "reactie": "Ontkent."}


def a(value, reasoning="Onderbouwd.", criteria=()):
    return {"answer": value, "reasoning": reasoning, "criteria": list(criteria)}


@pytest.fixture
def cases(vault):
    return CaseService(vault, today=lambda: TODAY)


@pytest.fixture
def svc(cases):
    return MeldcodeService(cases, now=lambda: NOW)


@pytest.fixture
def case(cases):
    return cases.create_case(Case(None, "Casus Zilverreiger", dt.date(2024, 4, 1),
                                  forms=frozenset({Form.ARBEID}), minor=Minor.NEE))


def meldcode_entries(cases, case_id):
    return [e for e in cases.timeline(case_id) if e.kind == EntryKind.MELDCODE]


def test_fresh_state_and_status(svc, case, cases):
    assert svc.status_line(case.id) == "Meldcode: nog niet gestart"
    assert cases.get_state(case.id, STATE_KEY) is None
    assert svc.start_values(case.id, "signalen") == {"minderjarig": "nee"}


def test_draft_saved_and_shown_in_case_list(svc, case, cases):
    svc.save_draft(case.id, "signalen", {"waarnemer": "Wmo-consulent"})
    assert cases.get_state(case.id, STATE_KEY)["steps"]["signalen"]["values"] == {
        "waarnemer": "Wmo-consulent"}
    assert cases.get_state(case.id, STATUS_KEY) == {
        "line": "stap 1 — signalen in kaart brengen"}
    row = next(r for r in cases.list_cases() if r.id == case.id)
    assert row.meldcode_status == "stap 1 — signalen in kaart brengen"
    # A new service instance (after a lock) sees the same draft.
    again = MeldcodeService(cases)
    assert again.start_values(case.id, "signalen") == {"waarnemer": "Wmo-consulent"}


def test_refused_step_keeps_the_draft(svc, case, cases):
    with pytest.raises(ValidationError) as err:
        svc.complete_step(case.id, "signalen", dict(STEP1, datum=""))
    assert err.value.field == "datum"
    stored = svc.state(case.id).step("signalen")
    assert stored.values["waarnemer"] == "Wmo-consulent" and not stored.completed
    assert meldcode_entries(cases, case.id) == []


def test_step1_entry_splits_facts_and_interpretations(svc, case, cases):
    svc.complete_step(case.id, "signalen", STEP1)
    [entry] = meldcode_entries(cases, case.id)
    assert entry.title == "Meldcode stap 1: Signalen in kaart brengen"
    assert entry.occurred_on == TODAY
    assert entry.facts == "Paspoort ligt bij de werkgever. (bron: Eigen waarneming)"
    assert entry.interpretation == ("Lijkt afhankelijk van de werkgever. "
                                    "(bron: Via een derde, wijkagent)")
    assert entry.data["step"] == "signalen" and entry.data["values"]["signalen"] == [
        "ALG-03", "ARB-04"]
    assert "ARB-04 — Werkgever of uitzendbureau houdt het paspoort" in entry.body
    assert "Paspoort ligt bij" not in entry.body  # observations only in facts/interpretation
    assert svc.state(case.id).step("signalen").entry_id == entry.id


def test_agreements_become_followups_once(svc, case, cases):
    svc.complete_step(case.id, "signalen", STEP1)
    svc.complete_step(case.id, "consultatie", STEP2)
    fus = cases.followups(case.id)
    assert sorted((f.due_on, f.what) for f in fus) == [
        (dt.date(2024, 5, 20), "Afspraken: SHOP bellen (eigenaar: AF)"),
        (dt.date(2024, 5, 27), "Afspraken: Navragen bij wijkagent (eigenaar: Wmo-consulent)"),
    ]
    # A revision adding one agreement adds exactly one follow-up.
    more = dict(STEP2, afspraken=STEP2["afspraken"] + [
        {"wat": "Terugkoppeling aan collega", "wie": "AF", "datum": "2024-06-03"}])
    svc.complete_step(case.id, "consultatie", more)
    assert len(cases.followups(case.id)) == 3
    entries = meldcode_entries(cases, case.id)
    assert entries[0].title == "Meldcode stap 2 herzien: Collegiale consultatie en advies"
    assert "Afspraken: was" in entries[0].body
    assert entries[0].data["revision"]["changes"][0]["field"] == "afspraken"
    assert "Met wie: Veilig Thuis" in entries[1].body


def test_full_walk_to_melding_and_revision_after_decision(svc, case, cases):
    svc.complete_step(case.id, "signalen", STEP1)
    svc.complete_step(case.id, "consultatie", STEP2)
    svc.skip_step(case.id, "gesprek", "De werkgever is steeds aanwezig.")
    svc.complete_step(case.id, "wegen", {"weging": "Ernstig.", "vt_advies": True,
                                         "A1": a("ja"), "A2": a("ja", criteria=["geweld"])})
    assert svc.status_line(case.id) == "Meldcode: stap 5 — melden vereist"
    with pytest.raises(ValidationError, match="Melden bij Veilig Thuis is vereist"):
        svc.complete_step(case.id, "beslissen", {"melden": "nee", "hulp": "nee",
                                                 "onderbouwing": "x", "traject": "loopt"})
    svc.complete_step(case.id, "beslissen", {
        "melden": "ja", "hulp": "nee", "onderbouwing": "Geweld.", "traject": "loopt",
        "melding_datum": "2024-05-06", "wat_gemeld": "Signalen.", "vt_kenmerk": "VT-1",
        "vooraf_ingelicht": "nee_onveilig", "vooraf_hoe": "Werkgever leest mee.",
        "monitoring": [{"wat": "Navragen bij VT", "datum": "2024-06-10"}]})
    assert svc.status_line(case.id) == "Meldcode: afgerond — gemeld bij Veilig Thuis"
    entries = meldcode_entries(cases, case.id)
    titles = [e.title for e in entries]
    assert titles[0] == "Meldcode stap 5: Beslissen: melden en/of hulp — gemeld bij Veilig Thuis"
    assert "Meldcode stap 3: Gesprek met de betrokkene — overgeslagen om veiligheidsredenen" \
        in titles
    assert entries[0].data["decision"] == {"melden": "ja", "hulp": "nee"}
    assert entries[0].data["outcomes"] == ["melden_onveilig"]
    wegen = next(e for e in entries if e.data.get("step") == "wegen")
    assert "Afwegingsvraag 2: Ja, acute en/of structurele onveiligheid. Toelichting: " \
           "Onderbouwd." in wegen.body
    assert any(f.what == "Monitoring: Navragen bij VT" for f in cases.followups(case.id))

    svc.complete_step(case.id, "signalen", dict(STEP1, signalen=["ALG-03"]),
                      note="ARB-04 bleek onjuist.")
    assert svc.status_line(case.id) == \
        "Meldcode: besluit opnieuw bekijken (stap 1 is gewijzigd)"
    rev = meldcode_entries(cases, case.id)[0]
    assert rev.title == "Meldcode stap 1 herzien: Signalen in kaart brengen"
    assert rev.body.startswith("Gewijzigd na het besluit: het besluit moet opnieuw worden "
                               "bekeken.\nReden van de wijziging: ARB-04 bleek onjuist.")
    assert rev.data["revision"]["after_decision"] is True
    assert cases.get_state(case.id, STATUS_KEY)["line"].startswith("besluit opnieuw bekijken")


def test_navigation_refused_through_service(svc, case):
    with pytest.raises(NotAllowed):
        svc.go_to(case.id, "wegen")
    with pytest.raises(NotAllowed):
        svc.save_draft(case.id, "beslissen", {"onderbouwing": "x"})


def test_damaged_state_is_reported(svc, case, cases):
    cases.set_state(case.id, STATE_KEY, {"format": 1, "steps": {"signalen": "kapot"}})
    with pytest.raises(ValidationError, match="beschadigd"):
        svc.state(case.id)


def test_minor_hint_from_case(svc, cases):
    c = cases.create_case(Case(None, "Casus Kievit", dt.date(2024, 4, 1),
                               forms=frozenset({Form.SEKSUEEL}), minor=Minor.JA))
    assert svc.hints(c.id, "A2") and "geen dwang nodig" in svc.hints(c.id, "A2")[0]
    assert [f.id for f in svc.signal_forms(c.id)] == ["algemeen", "seksueel"]


def test_report_pdf_and_save(svc, case, cases, tmp_path):
    svc.complete_step(case.id, "signalen", STEP1)
    data = svc.report_pdf(case.id, "Midden-Delfland")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Casus Zilverreiger" in text and "Paspoort ligt bij de werkgever." in text
    target = svc.save_report(case.id, "Midden-Delfland", tmp_path / "verslag.pdf")
    assert target.read_bytes().startswith(b"%PDF")
    assert meldcode_entries(cases, case.id)[0].title == \
        "Meldcode-verslag opgeslagen (PDF, eigen dossier)"
    assert str(tmp_path) not in meldcode_entries(cases, case.id)[0].body


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_save_report_unwritable_leaves_nothing(svc, case, tmp_path, cases):
    locked = tmp_path / "alleen-lezen"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(AandachtError, match="kon niet worden opgeslagen"):
            svc.save_report(case.id, "Delft", locked / "verslag.pdf")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)
    assert meldcode_entries(cases, case.id) == []


def test_save_report_missing_folder(svc, case, tmp_path):
    with pytest.raises(AandachtError, match="bestaat niet"):
        svc.save_report(case.id, "Delft", tmp_path / "weg" / "verslag.pdf")


def test_save_report_full_disk_leaves_nothing(svc, case, tmp_path, cases, monkeypatch):
    import errno

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / "export"
    out.mkdir()
    monkeypatch.setattr(os, "fsync", full)  # the disk fills up while the PDF is written
    with pytest.raises(AandachtError, match="de schijf is vol"):
        svc.save_report(case.id, "Delft", out / "verslag.pdf")
    monkeypatch.undo()
    assert list(out.iterdir()) == []
    assert meldcode_entries(cases, case.id) == []
