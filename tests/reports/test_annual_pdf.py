"""The jaaroverzicht PDF and CSV: content read back, suppression, no case text."""

import csv
import datetime as dt
import io
import json

import pdfplumber
import pytest
from pypdf import PdfReader

from aandacht.domain.stats import MASK, compute_overview
from aandacht.reports.annual_pdf import CSV_HEADER, annual_csv, build_annual_pdf

CANARY = "KANARIE-3190"


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


@pytest.fixture
def overview():
    rows = (
        [("2025-01-15", "seksueel,arbeid", "slachtoffer", "collega", "ja",
          json.dumps(["shop", "oov"]), f"Casus {CANARY}", f"notitie {CANARY}")] * 2
        + [("2025-05-02", "arbeid", "locatie", "extern", "nee", json.dumps(["oov"]))] * 6
        + [("2025-11-20", "crimineel", "slachtoffer", "inwoner", "onbekend", None)]
    )
    return compute_overview(rows, 2025, {"shop": "SHOP zorgcoördinatie mensenhandel",
                                         "oov": "Gemeente: OOV"})


def test_pdf_holds_tables_explanations_and_date(overview):
    data = build_annual_pdf(overview, "Gemeente Voorbeeldrijk", 2025, suppress=False,
                            generated_on=dt.date(2026, 1, 12))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Jaaroverzicht mensenhandel 2025" in text
    assert "Gemeente Voorbeeldrijk" in text
    assert "Gemaakt op 12-01-2026" in text
    for title in ("Vorm van uitbuiting", "Waar gaat het signaal over", "Bron van het signaal",
                  "Minderjarig", "Routekaart: ontvangers"):
        assert title in text
    assert "SHOP zorgcoördinatie mensenhandel" in text
    assert "telt bij elke vorm mee" in text
    assert "Heel jaar" in text and "K1" in text and "K4" in text
    # Exact internal version: the row for arbeidsuitbuiting reads 2 6 0 0 8.
    assert "Arbeidsuitbuiting 2 6 0 0 8" in text
    assert MASK not in text.replace(f"als '{MASK}'", "")


def test_suppressed_pdf_masks_small_cells_and_explains(overview):
    text = pdf_text(build_annual_pdf(overview, "Gemeente Voorbeeldrijk", 2025, suppress=True))
    assert "Arbeidsuitbuiting <5 6 0 0 8" in text
    assert "Seksuele uitbuiting <5 0 0 0 <5" in text
    assert "Criminele uitbuiting 0 0 0 <5 <5" in text
    assert "1 tot en met 4" in text and "Een 0 blijft 0" in text


@pytest.mark.parametrize("suppress", [True, False])
def test_no_label_or_note_text_in_pdf_or_metadata(overview, suppress):
    data = build_annual_pdf(overview, "Gemeente Voorbeeldrijk", 2025, suppress=suppress)
    assert CANARY.encode() not in data
    assert CANARY not in pdf_text(data)
    meta = PdfReader(io.BytesIO(data)).metadata or {}
    assert all(CANARY not in str(v) for v in meta.values())


def test_pdf_for_an_empty_year_and_without_gemeente():
    ov = compute_overview([], 2024)
    text = pdf_text(build_annual_pdf(ov, "", 2024, suppress=True))
    assert "In 2024 zijn geen casussen geopend." in text
    assert "Gemeente (naam niet ingesteld)" in text


def test_pdf_is_byte_identical_in_invariant_mode(overview):
    kw = dict(invariant=True, generated_on=dt.date(2026, 1, 12))
    a = build_annual_pdf(overview, "Gemeente Voorbeeldrijk", 2025, True, **kw)
    b = build_annual_pdf(overview, "Gemeente Voorbeeldrijk", 2025, True, **kw)
    assert a == b


def test_year_must_match_the_overview(overview):
    with pytest.raises(ValueError):
        build_annual_pdf(overview, "Gemeente Voorbeeldrijk", 2024, True)


def test_csv_is_semicolon_separated_without_bom(overview):
    out = annual_csv(overview, suppress=False)
    assert not out.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(out), delimiter=";"))
    assert lines[0] == CSV_HEADER
    assert lines[1][:7] == ["Nieuwe casussen", "Alle casussen", "2", "6", "0", "1", "9"]
    arbeid = next(line for line in lines if line[1] == "Arbeidsuitbuiting")
    assert arbeid[2:7] == ["2", "6", "0", "0", "8"]
    assert "telt bij elke vorm mee" in arbeid[7]
    assert all(len(line) == len(CSV_HEADER) for line in lines)
    # One line per category of every dimension, plus header and total.
    expected = 2 + sum(len(d.rows) for d in overview.dimensions)
    assert len(lines) == expected


def test_csv_suppressed_and_canary_free(overview):
    out = annual_csv(overview, suppress=True)
    assert CANARY not in out
    lines = list(csv.reader(io.StringIO(out), delimiter=";"))
    seks = next(line for line in lines if line[1] == "Seksuele uitbuiting")
    assert seks[2:7] == [MASK, "0", "0", "0", MASK]
    for line in lines[1:]:
        assert not any(c in {"1", "2", "3", "4"} for c in line[2:7])
