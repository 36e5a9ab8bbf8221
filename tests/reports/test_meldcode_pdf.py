"""The meldcode-verslag PDF, parsed back: every step, the decisions, facts apart from
interpretations, and no case label in the metadata."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pdfplumber
import pytest
from pypdf import PdfReader

from aandacht.domain import meldcode as mc
from aandacht.domain.case import Case, Form, Minor
from aandacht.domain.signals import load_signalen
from aandacht.reports.meldcode_pdf import build_meldcode_report

NOW = dt.datetime(2024, 5, 6, 10, 30)
LABEL = "Casus Zilverreiger"
CONTENT = mc.load_meldcode()
SIGNALEN = load_signalen()

FACT = "Werkgever bewaart de paspoorten van vier werknemers."
INTERP = "Vermoedelijk schuld bij de ronselaar."
STEP1 = {
    "rol": "eigen", "datum": "2024-04-02", "tijd": "14:00", "waarnemer": "Wmo-consulent",
    "signalen": ["ALG-03", "ARB-04"], "kwetsbaar": ["KWB-01"],
    "waarnemingen": [
        {"soort": "interpretatie", "tekst": INTERP, "bron": "derde", "derde": "buurtwerker"},
        {"soort": "feit", "tekst": FACT, "bron": "eigen"},
    ],
    "contra": "Werknemer zegt zelf vrij te kunnen vertrekken.",
    "minderjarig": "nee", "kinderen": "nee",
}
STEP2 = {"consultaties": [{"datum": "2024-04-03", "met": "veilig_thuis", "anoniem": True,
                           "advies": "Zorgen delen met de zorgcoördinator."}],
         "afspraken": [{"wat": "Contact met SHOP", "wie": "AF", "datum": "2024-06-01"}]}
STEP3 = {"datum": "2024-04-05", "deelnemers": "AF", "tolk": False, "reactie": "Wil nadenken."}


def _a(value, reasoning, criteria=()):
    return {"answer": value, "reasoning": reasoning, "criteria": list(criteria)}


def melden_walk(skip_gesprek: bool = False) -> mc.MeldcodeState:
    s = mc.new_state(CONTENT)
    mc.complete_step(CONTENT, s, "signalen", STEP1, now=NOW)
    mc.complete_step(CONTENT, s, "consultatie", STEP2, now=NOW)
    if skip_gesprek:
        mc.skip_step(CONTENT, s, "gesprek", "Uitbuiter beheert de telefoon.", now=NOW)
    else:
        mc.complete_step(CONTENT, s, "gesprek", STEP3, now=NOW)
    mc.complete_step(CONTENT, s, "wegen", {
        "weging": "Meerdere signalen.", "vt_advies": True,
        "A1": _a("ja", "Combinatie van signalen ALG-03 en ARB-04."),
        "A2": _a("ja", "Geweld door coördinator gemeld.", ["geweld", "structureel"]),
    }, now=NOW)
    mc.complete_step(CONTENT, s, "beslissen", {
        "melden": "ja", "hulp": "nee", "onderbouwing": "Structurele onveiligheid.",
        "traject": "loopt", "melding_datum": "2024-05-06", "wat_gemeld": "Signalen stap 1.",
        "vt_kenmerk": "VT-2024-0042", "vooraf_ingelicht": "nee_onveilig",
        "vooraf_hoe": "Uitbuiter leest mee.",
    }, now=NOW)
    return s


def case() -> Case:
    return Case(7, LABEL, dt.date(2024, 4, 1), forms=frozenset({Form.ARBEID}), minor=Minor.NEE)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() for p in reader.pages)


def flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


@pytest.fixture(scope="module")
def report() -> bytes:
    s = melden_walk()
    # A revision after the decision, with a note.
    mc.complete_step(CONTENT, s, "signalen", dict(STEP1, tijd="16:00"),
                     now=NOW + dt.timedelta(days=1), note="Tijdstip gecorrigeerd.")
    return build_meldcode_report(case(), s, CONTENT, "Midden-Delfland", invariant=True,
                                 signalen=SIGNALEN, made_on=dt.date(2024, 5, 8))


def test_steps_decisions_and_signals_present(report):
    t = flat(pdf_text(report))
    assert t.count("Meldcode-verslag") >= 2  # title and page header
    assert "Gemeente Midden-Delfland" in t
    for step in CONTENT.steps:
        assert f"Stap {step.number} — {step.title}" in t
    for code in ("ALG-03", "ARB-04", "KWB-01"):
        assert code in t
    assert "Werkgever of uitzendbureau houdt het paspoort of identiteitsbewijs in." in t
    assert "Afwegingsvraag 1." in t and "Afwegingsvraag 2." in t
    assert "Combinatie van signalen ALG-03 en ARB-04." in t
    assert "Acuut: lichamelijk of seksueel geweld" in t
    assert "Melden bij Veilig Thuis is vereist: acute of structurele onveiligheid" in t
    assert "Ja, melden bij Veilig Thuis" in t
    assert "VT-2024-0042" in t and "06-05-2024" in t
    assert "Afwegingsvraag 3 en verder zijn (nog) niet beantwoord" in t
    assert "Contact met SHOP" in t


def test_says_own_dossier_not_handover(report):
    t = flat(pdf_text(report))
    assert "Voor het eigen dossier — geen overdracht" in t
    assert "Het is geen overdracht" in t
    assert "Eigen dossier — geen overdracht" in t  # footer on every page


def test_facts_kept_apart_from_interpretations(report):
    t = flat(pdf_text(report))
    feiten = t.index("Feiten (gezien of gehoord)")
    interp = t.index("Interpretaties en vermoedens")
    assert feiten < t.index(FACT) < interp < t.index(INTERP)


def test_revision_notes(report):
    t = flat(pdf_text(report))
    assert "Wijzigingen in deze stap" in t
    assert "gewijzigd na het besluit" in t
    assert "Tijdstip gecorrigeerd." in t
    assert "was “14:00”, werd “16:00”" in t
    assert "besluit opnieuw bekijken" in t


def test_label_in_body_but_not_in_metadata(report):
    assert LABEL in flat(pdf_text(report))
    reader = PdfReader(io.BytesIO(report))
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    assert "Zilverreiger" not in meta
    assert b"Zilverreiger" not in report.split(b"stream")[0]  # not in an uncompressed header


def test_invariant_output_is_byte_identical():
    s = melden_walk()
    a = build_meldcode_report(case(), s, CONTENT, "Delft", invariant=True, signalen=SIGNALEN,
                              made_on=dt.date(2024, 5, 8))
    b = build_meldcode_report(case(), s.to_dict(), CONTENT, "Delft", invariant=True,
                              signalen=SIGNALEN, made_on=dt.date(2024, 5, 8))
    assert a == b and a.startswith(b"%PDF")


def test_skipped_step_shows_reason():
    s = melden_walk(skip_gesprek=True)
    t = flat(pdf_text(build_meldcode_report(case(), s, CONTENT, "Delft", signalen=SIGNALEN)))
    assert "Overslaan om veiligheidsredenen" in t
    assert "Reden: Uitbuiter beheert de telefoon." in t
    assert "Reactie en uitleg van de persoon" not in t


def test_unstarted_walk():
    t = flat(pdf_text(build_meldcode_report(case(), mc.new_state(CONTENT), CONTENT, "",
                                            signalen=SIGNALEN)))
    assert t.count("Deze stap is nog niet vastgelegd.") == 5
    assert "nog niet gestart" in t
    assert "Gemeente · Meldcode-verslag" in t


def test_long_text_splits_over_pages():
    s = mc.new_state(CONTENT)
    long_fact = " ".join(f"Regel {n} van een lange waarneming." for n in range(400))
    rows = [{"soort": "feit", "tekst": long_fact, "bron": "eigen"}]
    mc.complete_step(CONTENT, s, "signalen", dict(STEP1, waarnemingen=rows,
                                                  contra=long_fact), now=NOW)
    mc.complete_step(CONTENT, s, "signalen", dict(STEP1, waarnemingen=rows,
                                                  contra=long_fact + " Aangevuld."), now=NOW)
    mc.complete_step(CONTENT, s, "consultatie", STEP2, now=NOW)
    mc.skip_step(CONTENT, s, "gesprek", long_fact, now=NOW)
    mc.complete_step(CONTENT, s, "wegen", {"weging": "x", "vt_advies": False,
                                           "A1": _a("nee", long_fact)}, now=NOW)
    data = build_meldcode_report(case(), s, CONTENT, "Delft", signalen=SIGNALEN)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) > 10
        words = flat(" ".join(p.extract_text() or "" for p in pdf.pages))
    assert words.count("Regel 399 van een lange waarneming.") == 6
    assert "Aangevuld." in words


def test_tables_stay_inside_the_page(report):
    with pdfplumber.open(io.BytesIO(report)) as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                assert ch["x1"] <= page.width - 15, (ch["text"], ch["x1"])


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_renders_to_png(report, tmp_path):
    pdf = tmp_path / "verslag.pdf"
    pdf.write_bytes(report)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(report)).pages)
    assert all(p.stat().st_size > 5000 for p in pages)
