"""The handover PDF, read back with pypdf and pdfplumber: canaries prove what goes out."""

from __future__ import annotations

import datetime as dt
import io
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from aandacht.domain.case import DETAIL_FIELDS, Case, Form, Minor, SourceType
from aandacht.domain.handover import (
    NEEDS_GROUND,
    Ground,
    Sender,
    allowed_fields,
    assemble_sheet,
    default_selection,
    load_forms,
    new_sheet_number,
    select_fields,
)
from aandacht.reports.handover_pdf import LogLine, build_disclosure_log_pdf, build_handover_pdf

FORMS = load_forms()
TODAY = dt.date(2025, 11, 20)
NOW = dt.datetime(2025, 11, 20, 9, 15)
LABEL = "Casus Zilverreiger Qzlabelkanarie"
DEPARTMENT = "Qzafdelingkanarie"
# Fixed width, so no canary is a substring of another.
CANARY = {spec.key: f"Qz{i:02d}kanarie" for i, spec in enumerate(DETAIL_FIELDS)}
SENDER = Sender("Testpersoon Marloes Voorbeeld", "Aandachtsfunctionaris mensenhandel",
                "06-12345678")
INPUTS = {
    "shop": {"request_type": "zorgcoordinatie", "signalen": "SU-03 Geen eigen papieren",
             "laatste_signaal": "2025-11-14"},
    "oov": {"request_type": "weging", "signalen": "Busjes op vreemde tijden",
            "waarnemingen": "14-11-2025: zes personen om 02:00 opgehaald."},
}
MOTIVATION = "Verward na een incident; dringend opvang nodig en niet zelf te beslissen."


def canary_case() -> Case:
    return Case(42, LABEL, dt.date(2025, 3, 4), forms=frozenset({Form.SEKSUEEL}),
                minor=Minor.JA, source_type=SourceType.EXTERN, source_department=DEPARTMENT,
                details=dict(CANARY))


def ground(kind: str, recipient: str) -> Ground:
    details = {
        "vitaal_belang": {"incapacity": "Verward na een incident.",
                          "urgent_need": "Opvang en medische zorg vandaag.",
                          "no_lighter_route": "Anoniem advies geeft geen opvang."},
        "privacytoets_ondermijning": {"task": "Bibob-toets",
                                      "necessity": "Zonder identiteit kan de toets niet."},
    }[kind]
    return Ground(kind, recipient, "Testpersoon Marloes Voorbeeld", MOTIVATION, NOW, details)


def render(form_id: str, grounds=(), requested=None, invariant=True) -> tuple[bytes, set[str]]:
    form = FORMS[form_id]
    requested = allowed_fields(form, grounds) if requested is None else requested
    sel = select_fields(form, grounds, requested)
    sheet = assemble_sheet(form, canary_case(), sel, INPUTS[form_id], number="SH-TEST-0001",
                           created_on=TODAY, gemeente="Midden-Delfland", sender=SENDER)
    return build_handover_pdf(sheet, invariant=invariant), set(sel.fields)


def texts(pdf: bytes) -> list[str]:
    """The text as pypdf and as pdfplumber see it, whitespace removed (wrapping-proof)."""
    reader = PdfReader(io.BytesIO(pdf))
    a = "".join(page.extract_text() or "" for page in reader.pages)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        b = "".join(page.extract_text() or "" for page in doc.pages)
    return [re.sub(r"\s+", "", a), re.sub(r"\s+", "", b)]


def expected_canaries(form_id: str, fields: set[str]) -> set[str]:
    form = FORMS[form_id]
    return {CANARY[f.source] for f in form.fields if f.id in fields and f.source in CANARY}


def present(pdf: bytes) -> list[set[str]]:
    return [{c for c in CANARY.values() if c in t} for t in texts(pdf)]


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_default_sheet_carries_exactly_the_allowed_canaries(form_id):
    pdf, fields = render(form_id)
    assert fields == default_selection(FORMS[form_id])
    expected = expected_canaries(form_id, fields)
    for seen in present(pdf):
        assert seen == expected
    # Location and business data may be identifying (OOV), but never the victim or specials.
    sensitive = {CANARY[s.key] for s in DETAIL_FIELDS
                 if s.special or (s.identifying and s.key.startswith("persoon."))}
    assert not (expected & sensitive)
    for t in texts(pdf):
        assert "Qzlabelkanarie" not in t


def test_default_shop_sheet_has_no_person_data_at_all():
    pdf, _ = render("shop")
    identifying = {CANARY[s.key] for s in DETAIL_FIELDS if s.identifying or s.special}
    for seen in present(pdf):
        assert not (seen & identifying)


def test_vitaal_belang_unlocks_exactly_its_fields_on_shop():
    g = ground("vitaal_belang", "shop")
    pdf, fields = render("shop", [g])
    unlocked = {f.id for f in FORMS["shop"].by_rule(NEEDS_GROUND) if "vitaal_belang" in f.grounds}
    assert fields == default_selection(FORMS["shop"]) | unlocked
    expected = expected_canaries("shop", fields)
    assert CANARY["persoon.naam"] in expected
    assert CANARY["persoon.geboortedatum"] not in expected  # consent only
    for seen in present(pdf):
        assert seen == expected
    for t in texts(pdf):
        assert "Vitaalbelang" in t
        assert re.sub(r"\s+", "", MOTIVATION) in t
        assert "art.6lid1subd" in t


def test_oov_default_has_no_victim_data_and_privacytoets_opens_only_the_suspect():
    oov = FORMS["oov"]
    pdf, _ = render("oov")
    victim = {CANARY[s.key] for s in DETAIL_FIELDS if s.key.startswith("persoon.")}
    for seen in present(pdf):
        assert not (seen & victim)
    g = ground("privacytoets_ondermijning", "oov")
    pdf, fields = render("oov", [g])
    assert fields - default_selection(oov) == {"verdachte_naam", "verdachte_geboortedatum",
                                               "verdachte_rol"}
    for seen in present(pdf):
        assert seen == expected_canaries("oov", fields)
        assert not (seen & victim)


def test_oov_with_vitaal_belang_never_shows_health_sex_life_or_residence_status():
    g = ground("vitaal_belang", "oov")
    pdf, fields = render("oov", [g])
    for seen in present(pdf):
        assert CANARY["persoon.naam"] in seen
        for key in ("persoon.gezondheid", "persoon.seksueel_leven", "persoon.verblijfsstatus"):
            assert CANARY[key] not in seen


def test_metadata_and_raw_bytes_say_nothing_about_the_case():
    pdf, _ = render("shop", [ground("vitaal_belang", "shop")], invariant=False)
    reader = PdfReader(io.BytesIO(pdf))
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    for secret in ["Zilverreiger", "kanarie", "Marloes", "SH-TEST"]:
        assert secret not in meta
    assert b"Zilverreiger" not in pdf and b"kanarie" not in pdf  # compressed or absent


def test_sheet_has_the_parts_of_a_municipal_form():
    pdf, _ = render("shop")
    reader = PdfReader(io.BytesIO(pdf))
    n = len(reader.pages)
    flat = texts(pdf)[0]
    for part in ["GemeenteMidden-Delfland", "VERTROUWELIJK", "SH-TEST-0001", "20-11-2025",
                 "TestpersoonMarloesVoorbeeld", "Aandachtsfunctionarismensenhandel",
                 "06-12345678", "SHOP,zorgcoördinator", "Doel", "Verzoektotzorgcoördinatie",
                 "Minimaleoverdracht", "Ontvangendoor", "Handtekening", f"pagina1van{n}"]:
        assert part in flat, part
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_invariant_output_is_byte_identical():
    a, _ = render("oov", invariant=True)
    b, _ = render("oov", invariant=True)
    assert a == b


def test_awkward_text_is_printed_safely():
    form = FORMS["oov"]
    case = canary_case()
    case.details["object.bedrijfsnaam"] = "<b>Ëxplöit & Co</b> Кафе مطعم"
    sel = select_fields(form, [], {"bedrijfsnaam"})
    sheet = assemble_sheet(form, case, sel, INPUTS["oov"], number=new_sheet_number(form),
                           created_on=TODAY, gemeente="Midden-Delfland", sender=SENDER)
    flat = texts(build_handover_pdf(sheet, invariant=True))[1]
    assert "<b>Ëxplöit&Co</b>Кафе" in flat


def test_disclosure_log_pdf_lists_lines_and_chain_state():
    line = LogLine(3, "20-11-2025 10:00", "SHOP", "Opgeslagen als PDF", "SH-AAAA-BBBB",
                   "Vorm(en), Sector", "Vitaal belang: motivering", "Testpersoon AF",
                   "ab" * 32)
    pdf = build_disclosure_log_pdf(gemeente="Midden-Delfland", case_label="Casus Zilverreiger",
                                   made_by="Testpersoon AF", lines=[line], chain_ok=False,
                                   created_on=TODAY, invariant=True)
    flat = texts(pdf)[0]
    assert "SH-AAAA-BBBB" in flat and "Nr.3" in flat and "LETOP" in flat
    meta = " ".join(str(v) for v in (PdfReader(io.BytesIO(pdf)).metadata or {}).values())
    assert "Zilverreiger" not in meta
