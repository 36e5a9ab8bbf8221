"""Jaaroverzicht page and the inzage export action, driven with real widgets."""

import datetime as dt

import pytest
from PySide6.QtGui import QColor

from aandacht.domain.case import Case, Entry, EntryKind, Form, Minor, Subject
from aandacht.domain.stats import MASK
from aandacht.services.reports import INZAGE_TITLE
from aandacht.ui import annual_page, inzage
from aandacht.ui.annual_page import QUARTER_COLOURS, JaaroverzichtPage


def seed(cs):
    ids = []
    for i in range(6):
        c = cs.create_case(Case(None, f"Casus Merel {i}", dt.date(2025, 4, 1 + i),
                                forms=frozenset({Form.ARBEID}), subject=Subject.LOCATIE))
        cs.add_entry(Entry(None, c.id, EntryKind.ROUTE, c.opened_on, title="Route",
                           data={"recipients": ["oov"]}))
        ids.append(c.id)
    c = cs.create_case(Case(None, "Casus Zilverreiger", dt.date(2025, 1, 9),
                            forms=frozenset({Form.SEKSUEEL, Form.ARBEID}), minor=Minor.JA))
    ids.append(c.id)
    return ids


class Calls:
    def __init__(self):
        self.errors, self.infos = [], []


@pytest.fixture
def calls(monkeypatch):
    c = Calls()
    for mod in (annual_page, inzage):
        monkeypatch.setattr(mod, "show_error", lambda parent, text: c.errors.append(text))
        monkeypatch.setattr(mod, "show_info", lambda parent, text: c.infos.append(text))
    return c


@pytest.fixture
def page(qtbot, services):
    seed(services.cases)
    p = JaaroverzichtPage(services)
    qtbot.addWidget(p)
    p.resize(1100, 900)
    p.refresh()
    return p


def model_rows(model):
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_page_shows_counts_for_the_seeded_year(page):
    assert page.selected_year() == 2025
    assert model_rows(page.summary.model) == [["Nieuwe casussen", "1", "6", "0", "0", "7"]]
    forms = {r[0]: r[1:] for r in model_rows(page.cards["forms"].model)}
    assert forms["Arbeidsuitbuiting"] == ["1", "6", "0", "0", "7"]
    assert forms["Seksuele uitbuiting"] == ["1", "0", "0", "0", "1"]
    route = {r[0]: r[1:] for r in model_rows(page.cards["route"].model)}
    assert any("OOV" in name and counts[-1] == "6" for name, counts in route.items())
    assert "telt bij elke vorm mee" in page.cards["forms"].note.text()
    assert "7" in page.headline.text()


def test_external_checkbox_masks_small_cells_everywhere(page):
    page.external.setChecked(True)
    forms = {r[0]: r[1:] for r in model_rows(page.cards["forms"].model)}
    assert forms["Arbeidsuitbuiting"] == [MASK, "6", "0", "0", "7"]
    assert forms["Seksuele uitbuiting"] == [MASK, "0", "0", "0", MASK]
    assert "extern" in page.mode.text()
    assert MASK in page.cards["forms"].chart.toolTip()
    page.external.setChecked(False)
    forms = {r[0]: r[1:] for r in model_rows(page.cards["forms"].model)}
    assert forms["Seksuele uitbuiting"] == ["1", "0", "0", "0", "1"]


def test_year_picker_switches_the_figures(page, services):
    services.cases.create_case(Case(None, "Casus Vorig", dt.date(2024, 8, 1)))
    page.refresh()
    assert page.selected_year() == 2025  # the chosen year is kept on refresh
    page.set_year(2024)
    assert model_rows(page.summary.model) == [["Nieuwe casussen", "0", "0", "1", "0", "1"]]
    assert page.year.findData(dt.date.today().year) >= 0


def test_chart_draws_quarter_colours(page):
    chart = page.cards["forms"].chart
    image = chart.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2)}
    assert QColor(QUARTER_COLOURS[0]).name() in colours
    assert QColor(QUARTER_COLOURS[1]).name() in colours


@pytest.mark.parametrize("kind", ["pdf", "csv"])
def test_export_writes_the_chosen_file(page, calls, monkeypatch, tmp_path, kind):
    asked = {}

    def ask(parent, title, default_name, filters):
        asked["default"] = default_name
        return str(tmp_path / "cijfers")  # no suffix typed: the page adds it

    monkeypatch.setattr(annual_page, "ask_save_path", ask)
    page.external.setChecked(True)
    written = page.export_pdf() if kind == "pdf" else page.export_csv()
    assert written == tmp_path / f"cijfers.{kind}"
    assert asked["default"] == f"jaaroverzicht-mensenhandel-2025-extern.{kind}"
    data = written.read_bytes()
    if kind == "pdf":
        assert data.startswith(b"%PDF")
    else:
        assert data.decode("utf-8").startswith("onderdeel;categorie;K1")
        assert MASK in data.decode("utf-8")
    assert b"Zilverreiger" not in data and b"Merel" not in data
    assert calls.errors == [] and len(calls.infos) == 1
    assert "opgeslagen" in calls.infos[0]


def test_export_cancelled_writes_nothing(page, calls, monkeypatch, tmp_path):
    monkeypatch.setattr(annual_page, "ask_save_path", lambda *a: "")
    assert page.export_pdf() is None
    assert calls.errors == [] and calls.infos == []


def test_export_write_error_is_a_dutch_message_and_no_file(page, calls, monkeypatch, tmp_path):
    target = tmp_path / "bestaat-niet" / "jaar.pdf"
    monkeypatch.setattr(annual_page, "ask_save_path", lambda *a: str(target))
    assert page.export_pdf() is None
    assert len(calls.errors) == 1 and "bestaat niet" in calls.errors[0]
    assert not target.parent.exists()
    assert calls.infos == []


def test_clear_drops_all_figures(page):
    page.clear()
    assert page.overview is None
    assert page.summary.model.rowCount() == 0
    assert all(card.model.rowCount() == 0 for card in page.cards.values())
    assert all(card.chart.rows() == [] for card in page.cards.values())
    assert page.year.count() == 0
    page.refresh()
    assert page.summary.model.rowCount() == 1


# --- inzage export ------------------------------------------------------------------------
def test_inzage_export_writes_and_logs(qtbot, services, calls, monkeypatch, tmp_path):
    case_id = seed(services.cases)[-1]
    asked = {}

    def ask(parent, title, default_name, filters):
        asked["default"] = default_name
        return str(tmp_path / "inzage.pdf")

    monkeypatch.setattr(inzage, "ask_save_path", ask)
    written = inzage.export_inzage(services, case_id, None)
    assert written == tmp_path / "inzage.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert "Zilverreiger" not in asked["default"]  # file names never carry the label
    assert str(case_id) in asked["default"]
    logged = [e for e in services.cases.timeline(case_id) if e.title == INZAGE_TITLE]
    assert len(logged) == 1 and logged[0].data == {"export": "inzage"}
    assert calls.errors == [] and "derden" in calls.infos[0]


def test_inzage_export_not_logged_when_cancelled_or_failed(services, calls, monkeypatch,
                                                           tmp_path):
    case_id = seed(services.cases)[-1]
    monkeypatch.setattr(inzage, "ask_save_path", lambda *a: "")
    assert inzage.export_inzage(services, case_id, None) is None
    monkeypatch.setattr(inzage, "ask_save_path", lambda *a: str(tmp_path / "weg" / "x.pdf"))
    assert inzage.export_inzage(services, case_id, None) is None
    assert len(calls.errors) == 1 and "bestaat niet" in calls.errors[0]
    assert not (tmp_path / "weg").exists()
    assert not [e for e in services.cases.timeline(case_id) if e.title == INZAGE_TITLE]


def test_inzage_export_for_a_missing_case_shows_the_error(services, calls, monkeypatch):
    monkeypatch.setattr(inzage, "ask_save_path",
                        lambda *a: pytest.fail("no path is asked for a missing case"))
    assert inzage.export_inzage(services, 4242, None) is None
    assert "bestaat niet" in calls.errors[0]


# --- chart pieces ----------------------------------------------------------------------------
def test_bar_segments_never_show_more_than_the_table():
    from aandacht.domain.stats import CountRow
    from aandacht.ui.annual_page import bar_segments

    row = CountRow("arbeid", "Arbeidsuitbuiting", (1, 6, 0, 2))
    exact = bar_segments(row, suppress=False)
    assert [(s.units, s.text) for s in exact] == [(1, "1"), (6, "6"), (2, "2")]
    masked = bar_segments(row, suppress=True)
    assert [(s.units, s.hatched) for s in masked] == [(6, False), (3, True)]
    assert masked[1].text == "K1 K4"  # which quarters are hidden, not how many
    assert sum(s.units for s in masked) == row.total  # the total is printed anyway
    small = bar_segments(CountRow("x", "x", (1, 0, 1, 0)), suppress=True)
    assert [(s.units, s.text, s.hatched) for s in small] == [(4, MASK, True)]
    assert bar_segments(CountRow("x", "x", (0, 0, 0, 0)), suppress=True) == []


def test_legend_explains_hatching_only_when_suppressing(page):
    assert not any("Gearceerd" in i for i in page.legend.items())
    page.external.setChecked(True)
    assert any("Gearceerd" in i for i in page.legend.items())
