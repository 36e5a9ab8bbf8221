"""Overzicht: due follow-ups, running cases, and the retention review with deletion."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from aandacht.domain.case import Case, Entry, EntryKind, FollowUp, Status, Subject
from aandacht.ui.cases import common
from aandacht.ui.overview_page import OverviewPage

TODAY = dt.date.today()


def _case(cs, label, days_ago=30, **kw) -> Case:
    return cs.create_case(Case(None, label, TODAY - dt.timedelta(days=days_ago), **kw))


@pytest.fixture
def confirms(monkeypatch):
    answers: list[bool] = []
    texts: list[str] = []

    def confirm(parent, title, text, yes="Ja", no="Nee"):
        texts.append(text)
        return answers.pop(0)

    monkeypatch.setattr(common, "confirm", confirm)
    monkeypatch.setattr(common, "show_error", lambda *a, **k: pytest.fail(f"error shown: {a}"))
    yield answers, texts
    assert not answers


def _rows(tree) -> list[list[str]]:
    return [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
            for i in range(tree.topLevelItemCount())]


def test_empty_vault_explains_itself(qtbot, services):
    page = OverviewPage(services)
    qtbot.addWidget(page)
    page.refresh()
    assert page.followup_tree.isHidden() and not page.followups_empty.isHidden()
    assert "Geen follow-ups" in page.followups_empty.text()
    assert page.open_count.text() == "0"
    assert "Nieuwe casus" in page.recent_empty.text() and page.recent_tree.isHidden()
    assert page.review_tree.isHidden() and not page.review_empty.isHidden()
    assert not page.delete_button.isEnabled()


def test_due_followups_overdue_marked_and_running_cases(qtbot, services, confirms):
    cs = services.cases
    a = _case(cs, "Casus Zilverreiger")
    b = _case(cs, "Casus Bosuil", subject=Subject.LOCATIE)
    c = _case(cs, "Casus Grutto", days_ago=300)
    cs.set_status(b.id, Status.DOORGEZET)
    cs.close_case(c.id, "zonder_actie", TODAY - dt.timedelta(days=3))
    cs.add_followup(FollowUp(None, a.id, TODAY - dt.timedelta(days=4), "Melder terugbellen"))
    cs.add_followup(FollowUp(None, b.id, TODAY + dt.timedelta(days=6), "OOV nabellen"))
    cs.add_followup(FollowUp(None, a.id, TODAY + dt.timedelta(days=8), "Te ver weg"))
    done = cs.add_followup(FollowUp(None, a.id, TODAY - dt.timedelta(days=9), "Al gedaan"))
    cs.complete_followup(done.id)
    cs.add_entry(Entry(None, a.id, EntryKind.NOTITIE, TODAY, body="Vandaag nog actief."))

    page = OverviewPage(services)
    qtbot.addWidget(page)
    page.refresh()
    rows = _rows(page.followup_tree)
    assert [r[1:3] for r in rows] == [["Casus Zilverreiger", "Melder terugbellen"],
                                      ["Casus Bosuil", "OOV nabellen"]]
    assert rows[0][3] == "TE LAAT · 4 dagen" and rows[1][3] == "over 6 dagen"
    overdue = page.followup_tree.topLevelItem(0)
    assert overdue.foreground(3).color().name() == "#b3261e" and overdue.font(3).bold()
    assert not page.followup_tree.topLevelItem(1).font(3).bold()

    assert page.open_count.text() == "2"
    assert page.open_breakdown.text() == "lopende casussen: 1 open, 1 doorgezet"
    recent = _rows(page.recent_tree)
    assert sorted(r[0] for r in recent) == ["Casus Bosuil", "Casus Zilverreiger"]
    assert all(r[2] == TODAY.strftime("%d-%m-%Y") for r in recent)
    assert page.review_tree.isHidden()  # a case closed three days ago is not due yet

    with qtbot.waitSignal(page.open_case) as blocker:
        page.followup_tree.itemDoubleClicked.emit(page.followup_tree.topLevelItem(1), 0)
    assert blocker.args == [b.id]

    page.clear()
    assert page.followup_tree.topLevelItemCount() == 0
    assert page.recent_tree.topLevelItemCount() == 0 and page.open_count.text() == ""


def test_long_followup_list_is_capped_and_counted(qtbot, services):
    from aandacht.ui.overview_page import DUE_LIMIT

    cs = services.cases
    case = _case(cs, "Casus Spreeuw", days_ago=200)
    for i in range(DUE_LIMIT + 5):
        cs.add_followup(FollowUp(None, case.id, TODAY - dt.timedelta(days=100 - i), f"Taak {i}"))
    page = OverviewPage(services)
    qtbot.addWidget(page)
    page.refresh()
    assert page.followup_tree.topLevelItemCount() == DUE_LIMIT
    assert page.followup_tree.topLevelItem(0).text(2) == "Taak 0"  # oldest first
    assert not page.followups_more.isHidden()
    assert page.followups_more.text().startswith("En nog 5 follow-up(s)")


def test_review_and_delete(qtbot, services, confirms, vault):
    answers, texts = confirms
    cs = services.cases
    soon = _case(cs, "Casus Kraanvogel", days_ago=420)
    cs.add_entry(Entry(None, soon.id, EntryKind.NOTITIE, TODAY - dt.timedelta(days=400),
                       body="Geheime inhoud die weg moet."))
    e = cs.add_entry(Entry(None, soon.id, EntryKind.NOTITIE, TODAY - dt.timedelta(days=399),
                           body="Eerste tekst."))
    cs.correct_entry(e.id, body="Tweede tekst.")
    cs.add_followup(FollowUp(None, soon.id, TODAY - dt.timedelta(days=380), "Nabellen"))
    cs.close_case(soon.id, "zonder_actie", TODAY - dt.timedelta(days=350))  # deletes in 15 days
    passed = _case(cs, "Casus Tureluur", days_ago=500)
    cs.close_case(passed.id, "zonder_actie", TODAY - dt.timedelta(days=370))
    later = _case(cs, "Casus Wulp", days_ago=100)
    cs.close_case(later.id, "doorverwezen", TODAY - dt.timedelta(days=10))
    partner = _case(cs, "Casus Kievit", subject=Subject.LOCATIE, linked_case_id=soon.id)

    page = OverviewPage(services)
    qtbot.addWidget(page)
    page.refresh()
    rows = _rows(page.review_tree)
    assert [r[0] for r in rows] == ["Casus Tureluur", "Casus Kraanvogel"]
    assert rows[0][2] == "Afgesloten zonder actie"
    assert rows[0][4] == "termijn verstreken (5 dagen)" and rows[1][4] == "over 15 dagen"
    assert page.review_tree.topLevelItem(0).font(4).bold()

    assert page.select_review_case(soon.id)
    assert page.delete_button.isEnabled()
    answers.append(False)
    page.delete_button.click()
    assert cs.get_case(soon.id).label == "Casus Kraanvogel"  # cancelled: nothing happened
    text = texts[-1]
    assert "definitief verwijderd" in text and "Casus Kraanvogel" in text
    assert "4 regel(s)" in text and "1 eerdere versie(s)" in text and "1 follow-up(s)" in text
    assert "grafsteen zonder inhoud" in text and f"casusnummer {soon.id}" in text
    assert "verstrekkingenlog" in text and "grafstenen" in text
    assert "gekoppelde casus blijft bestaan" in text

    answers.append(True)
    with qtbot.waitSignal(page.case_deleted) as blocker:
        page.delete_button.click()
    assert blocker.args == [soon.id]
    assert not cs.store.exists(soon.id)
    assert [r[0] for r in _rows(page.review_tree)] == ["Casus Tureluur"]
    stones = cs.tombstones()
    assert len(stones) == 1 and stones[0][0] == soon.id and stones[0][4] == "zonder_actie"
    assert cs.search("Geheime") == []
    assert cs.get_case(partner.id).linked_case_id is None

    with qtbot.waitSignal(page.open_case) as blocker:
        page.select_review_case(passed.id)
        page.open_button.click()
    assert blocker.args == [passed.id]
    assert page.review_tree.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole) == passed.id
