"""ReportService on a real SQLCipher vault: jaaroverzicht, inzage export, safe writing."""

import csv
import datetime as dt
import errno
import io
import os

import pdfplumber
import pytest

from aandacht.domain.case import Case, Entry, EntryKind, FollowUp, Form, Minor, SourceType, Subject
from aandacht.domain.errors import ValidationError
from aandacht.domain.handover import Ground
from aandacht.domain.sociale_kaart import load_sociale_kaart
from aandacht.domain.stats import MASK, NO_ROUTE
from aandacht.services import reports as reports_module
from aandacht.store.disclosures import DisclosureStore
from aandacht.store.grounds import GroundStore
from aandacht.services.reports import (
    INZAGE_TITLE,
    ExportError,
    ReportService,
    write_export,
)

CANARY = "KANARIE-5521"


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


@pytest.fixture
def reports(vault, case_service):
    vault.settings.set("gemeente_naam", "Gemeente Voorbeeldrijk")
    return ReportService(vault, case_service, vault.settings)


def add_case(cs, label, opened_on, forms=(Form.ONBEKEND,), recipients=None, **kw):
    case = cs.create_case(Case(None, label, opened_on, forms=frozenset(forms), **kw))
    cs.add_entry(Entry(None, case.id, EntryKind.NOTITIE, opened_on, title=f"{CANARY} titel",
                       body=f"Notitie {CANARY} over Testpersoon Aïcha Voorbeeld"))
    for recs in recipients or ():
        cs.add_entry(Entry(None, case.id, EntryKind.ROUTE, opened_on, title="Route",
                           data={"recipients": list(recs)}))
    return case


@pytest.fixture
def seeded(case_service):
    cs = case_service
    add_case(cs, f"Casus Zilverreiger {CANARY}", dt.date(2025, 1, 10),
             forms=(Form.SEKSUEEL, Form.ARBEID), recipients=[["shop", "oov"], ["shop"]],
             minor=Minor.JA, source_type=SourceType.EXTERN,
             details={"persoon.naam": f"Testpersoon {CANARY}"})
    for i in range(5):
        add_case(cs, f"Casus Merel {i}", dt.date(2025, 5, 1 + i), forms=(Form.ARBEID,),
                 subject=Subject.LOCATIE, recipients=[["oov"]])
    add_case(cs, "Casus Ekster", dt.date(2025, 11, 30), forms=(Form.CRIMINEEL,))
    add_case(cs, "Casus Vorig jaar", dt.date(2024, 12, 31))
    return cs


def test_annual_counts_from_the_vault(reports, seeded):
    ov = reports.annual(2025)
    assert ov.cases.quarters == (1, 5, 0, 1)
    forms = {r.key: r.quarters for r in ov.dimension("forms").rows}
    assert forms["arbeid"] == (1, 5, 0, 0)
    assert forms["seksueel"] == (1, 0, 0, 0)
    route = {r.key: r for r in ov.dimension("route").rows}
    assert route["shop"].quarters == (1, 0, 0, 0)  # two route walks, one case
    assert route["oov"].quarters == (1, 5, 0, 0)
    assert route[NO_ROUTE].quarters == (0, 0, 0, 1)
    assert route["shop"].label == load_sociale_kaart().get("shop").name
    minors = {r.key: r.quarters for r in ov.dimension("minor").rows}
    assert minors["ja"] == (1, 0, 0, 0)
    assert reports.annual(2024).cases.total == 1


def test_years_and_default_year(reports, seeded):
    this_year = dt.date.today().year
    assert reports.years()[0] == this_year
    assert {2024, 2025} <= set(reports.years())
    assert reports.default_year() == 2025


def test_default_year_without_cases_is_this_year(reports):
    assert reports.default_year() == dt.date.today().year
    assert reports.years() == [dt.date.today().year]


@pytest.mark.parametrize("year", [1999, dt.date.today().year + 1, "abc", None])
def test_impossible_years_are_refused_in_dutch(reports, year):
    with pytest.raises(ValidationError, match="Kies een jaar"):
        reports.annual(year)


@pytest.mark.parametrize("suppress", [True, False])
def test_annual_exports_hold_no_case_text(reports, seeded, suppress):
    pdf = reports.annual_pdf(2025, suppress)
    text = pdf_text(pdf)
    assert "Gemeente Voorbeeldrijk" in text
    for needle in (CANARY, "Zilverreiger", "Merel", "Aïcha"):
        assert needle not in text
        assert needle.encode() not in pdf
    out = reports.annual_csv(2025, suppress)
    for needle in (CANARY, "Zilverreiger", "Merel", "Aïcha"):
        assert needle not in out
    lines = list(csv.reader(io.StringIO(out), delimiter=";"))
    total = lines[1]
    assert total[2:7] == ([MASK, "5", "0", MASK, "7"] if suppress else ["1", "5", "0", "1", "7"])


def test_inzage_pdf_holds_everything_and_does_not_log(reports, seeded, vault):
    case_id = next(c.id for c in seeded.list_cases() if c.label.startswith("Casus Zilverreiger"))
    entry = seeded.add_entry(Entry(None, case_id, EntryKind.GESPREK, dt.date(2025, 1, 12),
                                   title="Gesprek", facts="Eerste lezing van de feiten"))
    seeded.correct_entry(entry.id, facts="Verbeterde lezing van de feiten")
    seeded.add_followup(FollowUp(None, case_id, dt.date(2025, 2, 1), "Terugbellen"))
    seeded.set_state(case_id, "meldcode", {"stap": 2})
    ground = GroundStore(vault).insert(case_id, Ground(
        kind="vitaal_belang", recipient="shop", decided_by="AF Voorbeeld",
        motivation="De persoon kan nu niet zelf beslissen en heeft dringend opvang nodig.",
        recorded_at=dt.datetime(2025, 1, 15, 9, 0),
        details={"incapacity": "Ernstige verwarring", "urgent_need": "Opvang vannacht",
                 "no_lighter_route": "Geen familie bereikbaar"}))
    DisclosureStore(vault).append(
        {"format": 1, "recipient": "shop", "recipient_name": "SHOP",
         "fields": [{"id": "naam", "label": "Naam of alias"}],
         "grounds": [{"id": ground.id, "kind": ground.kind, "label": ground.label,
                      "motivation": ground.motivation, "decided_by": ground.decided_by,
                      "recorded_at": ground.recorded_at.isoformat(), "fields": ["naam"]}],
         "action": "opgeslagen", "sheet_number": "SH-TEST-0001"},
        "2025-01-15T10:00:00", case_id)
    before = len(seeded.timeline(case_id))
    text = pdf_text(reports.inzage_pdf(case_id))
    assert "Inzageverzoek (art. 15 AVG)" in text
    assert "Zilverreiger" in text
    assert "Verbeterde lezing van de feiten" in text
    assert "Eerste lezing van de feiten" in text  # the correction history
    assert f"Testpersoon {CANARY}" in text
    assert "Terugbellen" in text and "stap" in text
    assert "Verstrekking 1" in text and "Vitaal belang" in text
    assert "Ernstige verwarring" in text and "Opvang vannacht" in text  # the ground's record
    assert "Naam of alias" in text and "SH-TEST-0001" in text
    assert "SHOP zorgcoördinatie" in text
    assert len(seeded.timeline(case_id)) == before  # building is not exporting


def test_record_inzage_export_adds_a_timeline_entry(reports, seeded):
    case_id = seeded.list_cases()[0].id
    entry = reports.record_inzage_export(case_id)
    assert entry.id is not None
    latest = [e for e in seeded.timeline(case_id) if e.title == INZAGE_TITLE]
    assert len(latest) == 1
    assert latest[0].kind == EntryKind.NOTITIE
    assert latest[0].data == {"export": "inzage"}
    assert latest[0].occurred_on == dt.date.today()


def test_inzage_for_a_missing_case_is_a_dutch_error(reports):
    with pytest.raises(ValidationError, match="bestaat niet"):
        reports.inzage_pdf(999)
    with pytest.raises(ValidationError, match="bestaat niet"):
        reports.record_inzage_export(999)


def test_closing_reason_is_shown_by_its_label(reports, case_service):
    from aandacht.domain import retention

    policy = retention.Policy.load(case_service.vault.settings)
    reason_id, reason = next(iter(policy.reasons.items()))
    case = case_service.create_case(Case(None, "Casus Reiger", dt.date(2025, 3, 3)))
    case_service.close_case(case.id, reason_id, closed_on=dt.date(2025, 4, 1))
    assert reason.label in pdf_text(reports.inzage_pdf(case.id))


def test_names_fall_back_to_ids_when_content_cannot_load(reports, seeded, monkeypatch):
    monkeypatch.setattr(reports_module, "recipient_names", lambda: {})
    fresh = ReportService(reports.vault, reports.cases, reports.settings)
    labels = {r.key: r.label for r in fresh.annual(2025).dimension("route").rows}
    assert labels["shop"] == "shop"


# --- writing ------------------------------------------------------------------------------
def test_write_export_writes_and_replaces(tmp_path):
    target = tmp_path / "overzicht.pdf"
    write_export(target, b"%PDF-1 eerste")
    write_export(target, b"%PDF-1 tweede")
    assert target.read_bytes() == b"%PDF-1 tweede"
    assert os.listdir(tmp_path) == ["overzicht.pdf"]
    write_export(tmp_path / "cijfers.csv", "a;b\r\n")
    assert (tmp_path / "cijfers.csv").read_bytes() == b"a;b\r\n"


def test_failed_write_leaves_no_partial_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "overzicht.pdf"
    target.write_bytes(b"oud")

    def full_disk(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(reports_module.os, "replace", full_disk)
    with pytest.raises(ExportError, match="de schijf is vol") as info:
        write_export(target, b"nieuw")
    assert "geen (half) bestand" in str(info.value)
    assert target.read_bytes() == b"oud"
    assert os.listdir(tmp_path) == ["overzicht.pdf"]


def test_write_into_a_missing_folder_or_onto_a_folder_is_refused(tmp_path):
    with pytest.raises(ExportError, match="bestaat niet"):
        write_export(tmp_path / "weg" / "x.pdf", b"x")
    (tmp_path / "map.pdf").mkdir()
    with pytest.raises(ExportError, match="is een map"):
        write_export(tmp_path / "map.pdf", b"x")
