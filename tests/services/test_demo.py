"""The demo data: varied, clearly fictitious, reproducible, and only through CaseService."""

from __future__ import annotations

import datetime as dt

import pytest

from aandacht.domain.case import DETAIL_FIELD_BY_KEY, EntryKind, Form, Minor, Status, Subject
from aandacht.domain.errors import ValidationError
from aandacht.services import build_services
from aandacht.services.demo import fill_demo
from aandacht.store import create_vault
from aandacht.store.kdf import FAST_PARAMS

TODAY = dt.date(2026, 3, 14)


def _services(path):
    return build_services(create_vault(path, "correct paard batterij nietje", FAST_PARAMS))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    services = _services(tmp_path_factory.mktemp("demo") / "vault.db")
    cases = fill_demo(services, today=TODAY)
    yield services, cases
    services.vault.close()


def test_variety(demo):
    services, cases = demo
    assert 35 <= len(cases) <= 45
    assert {c.status for c in cases} == set(Status)
    assert set().union(*(c.forms for c in cases)) == set(Form)
    assert {c.subject for c in cases} == set(Subject)
    assert {c.minor for c in cases} == set(Minor)
    assert all(c.label.startswith("Casus ") for c in cases)
    assert len({c.label for c in cases}) == len(cases)
    assert all(c.opened_on <= TODAY for c in cases)


def test_linked_pairs_are_mutual_victim_and_location(demo):
    _, cases = demo
    by_id = {c.id: c for c in cases}
    linked = [c for c in cases if c.linked_case_id is not None]
    assert len(linked) >= 6
    for c in linked:
        other = by_id[c.linked_case_id]
        assert other.linked_case_id == c.id
        assert {c.subject, other.subject} == {Subject.SLACHTOFFER, Subject.LOCATIE}
        # Victim data never sits in the location half (brief b, note 1).
        location = c if c.subject == Subject.LOCATIE else other
        assert not any(k.startswith("persoon.") for k in location.details)


def test_only_fictitious_people(demo):
    _, cases = demo
    names = [c.details["persoon.naam"] for c in cases if "persoon.naam" in c.details]
    assert names and all(n.startswith("Testpersoon ") for n in names)
    for c in cases:
        assert set(c.details) <= set(DETAIL_FIELD_BY_KEY)
        for key in ("persoon.telefoon", "object.kvk", "object.kenteken", "object.adres"):
            if key in c.details:
                assert "fictief" in c.details[key]


def test_timeline_content(demo):
    services, cases = demo
    entries = [e for c in cases for e in services.cases.timeline(c.id)]
    kinds = {e.kind for e in entries}
    assert {EntryKind.SIGNAAL, EntryKind.CONSULTATIE, EntryKind.GESPREK, EntryKind.BESLUIT,
            EntryKind.NOTITIE, EntryKind.FOLLOWUP, EntryKind.STATUS} <= kinds
    signals = [e for e in entries if e.kind == EntryKind.SIGNAAL]
    assert all(e.facts and e.interpretation for e in signals)
    consults = [e for e in entries if e.kind == EntryKind.CONSULTATIE]
    assert {True, False} == {e.data["anonymous"] for e in consults}
    assert all(e.data["with"] and e.data["advice"] in e.body for e in consults)
    corrected = [e for e in entries if e.history]
    assert len(corrected) >= 2 and max(len(e.history) for e in corrected) >= 2
    assert all(e.occurred_on <= TODAY for e in entries)
    # The "doorgezet" status lines carry the day it happened, not all the same day.
    forwarded = {e.occurred_on for e in entries
                 if e.kind == EntryKind.STATUS and e.data.get("status") == "doorgezet"}
    assert len(forwarded) > 1


def test_victim_cases_hold_no_oov_steps(demo):
    services, cases = demo
    for c in cases:
        titles = {e.title for e in services.cases.timeline(c.id)}
        if c.subject == Subject.SLACHTOFFER:
            assert "Signaal overdragen aan OOV" not in titles
            assert "Consultatie Collega (OOV)" not in titles
        else:
            assert not any(t.startswith("Gesprek") for t in titles)
        if c.minor != Minor.JA:
            assert "Melden bij Veilig Thuis" not in titles


def test_followups_and_review_window(demo):
    services, cases = demo
    cs = services.cases
    fus = [f for c in cases for f in cs.followups(c.id)]
    open_fus = [f for f in fus if f.done_on is None]
    assert any(f.due_on < TODAY for f in open_fus), "no overdue follow-up"
    assert any(TODAY <= f.due_on <= TODAY + dt.timedelta(days=7) for f in open_fus)
    assert any(f.due_on > TODAY + dt.timedelta(days=7) for f in open_fus)
    assert any(f.done_on is not None for f in fus)
    closed = [c for c in cases if c.status == Status.AFGESLOTEN]
    review = [c for c in closed if c.delete_after <= TODAY + dt.timedelta(days=30)]
    assert len(review) >= 2
    assert any(c.delete_after < TODAY for c in review)
    assert any(c.delete_after >= TODAY for c in review)
    assert len(closed) > len(review)  # other closed cases are not due yet


def test_reproducible_and_refuses_a_filled_vault(demo, tmp_path):
    services, cases = demo
    with pytest.raises(ValidationError, match="lege kluis"):
        fill_demo(services, today=TODAY)
    again = _services(tmp_path / "again.db")
    try:
        second = fill_demo(again, today=TODAY)
        assert [(c.label, c.opened_on, c.status, c.details) for c in second] == [
            (c.label, c.opened_on, c.status, c.details) for c in cases]
    finally:
        again.vault.close()
