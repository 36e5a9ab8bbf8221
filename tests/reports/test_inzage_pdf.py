"""The inzage PDF (AVG art. 15): everything about one case, read back from the PDF."""

import datetime as dt
import io
import json
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from aandacht.domain.case import (
    Case,
    Entry,
    EntryKind,
    EntryVersion,
    FollowUp,
    Form,
    Minor,
    SourceType,
    Status,
    Subject,
)
from aandacht.reports.inzage_pdf import TITLE, build_inzage_pdf
from aandacht.store.reports import DisclosureRow, GroundRecord

LABEL = "Casus Zilverreiger"


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


def make_case(**kw) -> Case:
    base = dict(
        id=7, label=LABEL, opened_on=dt.date(2026, 2, 3), status=Status.AFGESLOTEN,
        subject=Subject.SLACHTOFFER, forms=frozenset({Form.ARBEID, Form.SEKSUEEL}),
        minor=Minor.NEE, source_type=SourceType.EXTERN, source_department="Wijkteam Noord",
        close_reason="doorverwezen", closed_on=dt.date(2026, 6, 1),
        delete_after=dt.date(2031, 6, 1),
        details={"persoon.naam": "Testpersoon Aïcha Voorbeeld",
                 "persoon.gezondheid": "Kanarie-gezondheid: astma",
                 "situatie.acuut_gevaar": "nee",
                 "object.verdachte_naam": "Testdader Voorbeeld"},
    )
    base.update(kw)
    return Case(**base)


def timeline():
    corrected = Entry(
        id=2, case_id=7, kind=EntryKind.GESPREK, occurred_on=dt.date(2026, 2, 5),
        title="Gesprek met wijkteam", facts="Busjes om 05:00 bij de kas",
        interpretation="Mogelijk arbeidsuitbuiting", created_at=dt.datetime(2026, 2, 5, 9, 30),
        history=[EntryVersion(saved_at=dt.datetime(2026, 2, 6, 10, 0),
                              occurred_on=dt.date(2026, 2, 4), title="Gesprek wijkteam",
                              facts="Busjes om 04:00 bij de schuur", interpretation="",
                              body="")])
    route = Entry(
        id=3, case_id=7, kind=EntryKind.ROUTE, occurred_on=dt.date(2026, 2, 7),
        title="Routekaart doorlopen", data={"recipients": ["shop", "oov"]},
        created_at=dt.datetime(2026, 2, 7, 11, 0))
    opened = Entry(id=1, case_id=7, kind=EntryKind.STATUS, occurred_on=dt.date(2026, 2, 3),
                   title="Casus geopend", created_at=dt.datetime(2026, 2, 3, 8, 0))
    return [route, corrected, opened]  # newest first, as CaseService.timeline returns


def build(**kw):
    args = dict(
        case=make_case(), timeline=timeline(),
        followups=[FollowUp(1, 7, dt.date(2026, 3, 1), "Terugbellen met SHOP",
                            done_on=dt.date(2026, 2, 28)),
                   FollowUp(2, 7, dt.date(2026, 7, 1), "Evalueren met OOV")],
        states={"meldcode": {"stap": 3, "antwoorden": {"vraag_1": "ja"}},
                "route_draft": {"steps": [{"node": "q0_acuut", "answers": ["nee"]}]}},
        disclosures=[DisclosureRow(
            seq=1, created_at="2026-02-08T14:05:00", case_id=7,
            content={"format": 1, "created_at": "2026-02-08T14:05:00", "case_id": 7,
                     "recipient": "shop", "recipient_name": "SHOP zorgcoördinatie",
                     "form_version": 1, "action": "opgeslagen", "sheet_number": "SH-ABCD-EFGH",
                     "request_type": "Verzoek tot zorgcoördinatie",
                     "fields": [{"id": "naam", "label": "Naam of alias"},
                                {"id": "telefoon", "label": "Veilig telefoonnummer"}],
                     "grounds": [{"id": 1, "kind": "vitaal_belang", "label": "Vitaal belang",
                                  "motivation": "Persoon kan nu niet zelf beslissen.",
                                  "decided_by": "AF Voorbeeld",
                                  "recorded_at": "2026-02-08T13:00:00", "fields": ["naam"]}],
                     "decided_by": "AF Voorbeeld", "pdf_sha256": "ab" * 32})],
        gemeente="Gemeente Voorbeeldrijk",
    )
    args.update(kw)
    extra = dict(generated_on=dt.date(2026, 11, 23),
                 recipient_names={"shop": "SHOP zorgcoördinatie mensenhandel"})
    for k in ("grounds", "invariant", "close_reason_label"):
        if k in args:
            extra[k] = args.pop(k)
    return build_inzage_pdf(args.pop("case"), args.pop("timeline"), args.pop("followups"),
                            args.pop("states"), args.pop("disclosures"), args.pop("gemeente"),
                            **extra)


def test_header_explanation_and_third_party_warning():
    text = pdf_text(build())
    assert TITLE in text
    assert "artikel 15 AVG" in text
    assert "Gemeente Voorbeeldrijk" in text
    assert "gegevens over anderen dan de verzoeker" in text
    assert "Lak die weg" in text
    assert "23-11-2026" in text


def test_case_data_and_every_detail_field_with_special_marks():
    text = pdf_text(build(close_reason_label="Doorverwezen naar partner"))
    assert LABEL in text
    assert "Wijkteam Noord" in text
    assert "Seksuele uitbuiting, Arbeidsuitbuiting" in text
    assert "Doorverwezen naar partner" in text
    assert "01-06-2031" in text  # deletion date
    assert "Testpersoon Aïcha Voorbeeld" in text
    assert "Kanarie-gezondheid: astma" in text
    assert "bijzonder persoonsgegeven: gezondheid" in text
    assert "strafrechtelijk gegeven" in text
    assert "Testdader Voorbeeld" in text
    # Every detail field is listed, also the empty ones.
    assert "Kenteken voertuig" in text and "niet vastgelegd" in text
    assert "Acuut gevaar Nee" in text  # choice values shown by their Dutch label


def test_full_timeline_with_correction_history_oldest_first():
    text = pdf_text(build())
    assert "Busjes om 05:00 bij de kas" in text
    assert "Mogelijk arbeidsuitbuiting" in text
    assert "Eerdere versie 1" in text
    assert "Busjes om 04:00 bij de schuur" in text  # the earlier wording is kept
    assert "vervangen op 06-02-2026" in text
    assert text.index("Casus geopend") < text.index("Gesprek met wijkteam") < text.index(
        "Routekaart doorlopen")
    assert "SHOP zorgcoördinatie mensenhandel" in text  # recipient id shown by name


def test_followups_states_grounds_and_disclosures():
    ground = GroundRecord(id=1, kind="vitaal_belang", recorded_at="2026-02-08T13:00:00",
                          decided_by="AF Voorbeeld", motivation="Persoon kan nu niet beslissen.",
                          recipient="shop", details={"urgent_need": "Opvang vannacht"},
                          withdrawn_at="2026-03-01T09:00:00")
    text = pdf_text(build(grounds=[ground]))
    assert "Uiterlijk 01-03-2026 Terugbellen met SHOP Afgerond op 28-02-2026." in text
    assert "Uiterlijk 01-07-2026 Evalueren met OOV Nog open." in text
    assert "Meldcode: voortgang" in text and "vraag_1" in text
    assert "q0_acuut" in text
    assert "Vitaal belang" in text and "Opvang vannacht" in text
    assert "Welke dringende hulp is nodig?" in text
    assert "Ontvanger SHOP zorgcoördinatie mensenhandel" in text  # ground recipient by name
    assert "Ingetrokken op 01-03-2026 09:00" in text
    assert "Verstrekking 1" in text
    assert "08-02-2026 14:05" in text
    assert "Ontvanger SHOP zorgcoördinatie" in text
    assert "Handeling Opgeslagen als PDF" in text
    assert "Naam of alias, Veilig telefoonnummer" in text
    assert "Vitaal belang: Persoon kan nu niet zelf beslissen. (besloten door AF Voorbeeld" in text
    assert "SH-ABCD-EFGH" in text
    assert not re.search(r"\bformat\b", text)  # bookkeeping keys stay out


def test_tombstoned_and_raw_json_disclosures_are_shown():
    recs = [DisclosureRow(1, "2026-02-08T14:05:00", 7, None, dt.date(2026, 9, 1)),
            type("Rec", (), {"seq": 2, "created_at": "2026-02-09T10:00:00",
                             "content": json.dumps({"recipient": "oov", "kanaal": "mail"})})()]
    text = pdf_text(build(disclosures=recs))
    assert "verwijderd op 01-09-2026" in text
    assert "Verstrekking 2" in text and "kanaal" in text and "mail" in text


def test_empty_sections_say_so():
    text = pdf_text(build(timeline=[], followups=[], states={}, disclosures=[]))
    assert "Geen tijdlijnregels." in text
    assert "Geen follow-ups." in text
    assert "geen gegevens aan anderen verstrekt" in text
    assert "Geen grondslagen vastgelegd." in text


def test_label_never_in_metadata_or_page_header():
    data = build()
    meta = PdfReader(io.BytesIO(data)).metadata or {}
    assert all("Zilverreiger" not in str(v) for v in meta.values())
    assert all(LABEL not in str(v) for v in meta.values())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            band = page.within_bbox((0, 0, page.width, 45)).extract_text() or ""
            assert "Zilverreiger" not in band


def test_very_long_notes_lay_out_over_pages():
    long = ("Regel met waarneming. " * 40 + "\n") * 400  # ~350 000 characters
    entry = Entry(id=9, case_id=7, kind=EntryKind.NOTITIE, occurred_on=dt.date(2026, 3, 1),
                  title="Lange notitie", body=long + "SLOT-KANARIE",
                  created_at=dt.datetime(2026, 3, 1, 9, 0))
    case = make_case(details={"persoon.gezondheid": "Lang " * 5000})
    data = build(case=case, timeline=[entry])
    assert len(PdfReader(io.BytesIO(data)).pages) > 20
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        last = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages[-3:])
    assert "SLOT-KANARIE" in last


@pytest.mark.parametrize("gemeente", ["", "Gemeente Voorbeeldrijk"])
def test_invariant_output_is_reproducible(gemeente):
    assert build(gemeente=gemeente, invariant=True) == build(gemeente=gemeente, invariant=True)
