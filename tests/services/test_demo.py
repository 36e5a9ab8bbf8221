"""The demo data: varied, clearly fictitious, reproducible, made only through the services,
and filling every feature (meldcode, routekaart, grounds, handovers, sociale kaart)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import time

import pytest
from pypdf import PdfReader

from aandacht.domain import meldcode as mc
from aandacht.domain.case import DETAIL_FIELD_BY_KEY, EntryKind, Form, Minor, Status, Subject
from aandacht.domain.errors import ValidationError
from aandacht.domain.stats import NO_ROUTE
from aandacht.services import build_services
from aandacht.services.demo import fill_demo
from aandacht.store import create_vault
from aandacht.store.kdf import FAST_PARAMS

TODAY = dt.date(2026, 3, 14)
SENDER = {"af_naam": "A. Voorbeeld (demo)", "af_functie": "Aandachtsfunctionaris mensenhandel",
          "af_contact": "aandachtsfunctionaris@voorbeeld.invalid",
          "gemeente_naam": "Gemeente Voorbeeld (demo)"}


def _services(path):
    services = build_services(create_vault(path, "correct paard batterij nietje", FAST_PARAMS))
    for key, value in SENDER.items():  # what app.py sets before it fills the demo
        services.settings.set(key, value)
    return services


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="module")
def demo(demo_dir):
    services = _services(demo_dir / "vault.db")
    started = time.perf_counter()
    cases = fill_demo(services, today=TODAY, handover_dir=demo_dir / "overdrachten")
    services.fill_seconds = time.perf_counter() - started
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
        started = time.perf_counter()
        second = fill_demo(again, today=TODAY, handover_dir=tmp_path / "overdrachten")
        seconds = time.perf_counter() - started
        assert [(c.label, c.opened_on, c.status, c.details) for c in second] == [
            (c.label, c.opened_on, c.status, c.details) for c in cases]
        assert _snapshot(again) == _snapshot(services)
        assert sorted(p.name for p in (tmp_path / "overdrachten").iterdir()) == sorted(
            v.sheet_number + ".pdf" for v in services.handover.disclosures()
            if v.action != "Afgedrukt")
    finally:
        again.vault.close()
    # A trainer waits for this at every start of the demo.
    assert seconds < 5 and services.fill_seconds < 5


def _snapshot(services) -> list:
    """Everything the demo stored, except the PDF hashes (a PDF embeds its creation time)."""
    cs = services.cases
    out: list = []
    for summary in cs.list_cases():
        case = cs.get_case(summary.id)
        entries = [(e.kind, e.occurred_on, e.title, e.facts, e.interpretation, e.body,
                    {k: v for k, v in e.data.items() if k != "pdf_sha256"}, len(e.history))
                   for e in cs.timeline(case.id)]
        out.append((case.label, case.details, case.status, summary.meldcode_status, entries,
                    [(f.due_on, f.what, f.done_on) for f in cs.followups(case.id)],
                    cs.get_state(case.id, "meldcode"),
                    [(g.kind, g.recipient, g.motivation, dict(g.details), g.recorded_at)
                     for g in services.handover.grounds(case.id)]))
    for record in services.handover.log.all():
        content = json.loads(record.content)
        content.pop("pdf_sha256")
        out.append((record.seq, record.created_at, record.case_id, content))
    out.append(services.sociale_kaart.contacts())
    out.append(services.routekaart.stored_settings())
    return out


def test_without_a_handover_folder_no_handover_is_made(tmp_path):
    services = _services(tmp_path / "vault.db")
    try:
        fill_demo(services, today=TODAY)
        assert services.handover.log.all() == []
        assert not [e for s in services.cases.list_cases()
                    for e in services.cases.timeline(s.id) if e.kind == EntryKind.OVERDRACHT]
        # The rest of the feature demo is there all the same.
        assert sum(1 for s in services.cases.list_cases() if s.meldcode_status) >= 4
    finally:
        services.vault.close()


# --- the features -------------------------------------------------------------------------


def _by_label(services, cases) -> dict[str, int]:
    return {c.label: c.id for c in cases}


def _walks(services, cases) -> dict[str, mc.MeldcodeState]:
    return {c.label: services.meldcode.state(c.id) for c in cases
            if mc.is_started(services.meldcode.state(c.id))}


def test_case_list_shows_meldcode_status_lines(demo):
    services, cases = demo
    lines = {s.label: s.meldcode_status for s in services.cases.list_cases() if s.meldcode_status}
    assert len(lines) >= 4
    for label, line in lines.items():
        case_id = _by_label(services, cases)[label]
        # The list shows exactly the header line of the walk, without "Meldcode: ".
        assert "Meldcode: " + line == services.meldcode.status_line(case_id)
    assert any(line.startswith("stap 4") and "melden vereist" in line for line in lines.values())
    assert sum(line.startswith("afgerond") for line in lines.values()) >= 2


def test_meldcode_walks_in_different_states(demo):
    services, cases = demo
    content = services.meldcode.content
    walks = _walks(services, cases)
    assert len(walks) >= 5

    def state_of(predicate):
        found = [label for label, st in walks.items() if predicate(st)]
        assert found, "no demo walk in this state"
        return found[0], walks[found[0]]

    # Finished at A1: no suspicion, the walk closed without a melding.
    _, st = state_of(lambda st: mc.final_decision(content, st) == {"melden": "nee",
                                                                   "hulp": "nee"})
    result = mc.state_kader(content, st, recorded=True)
    assert [o.id for o in result.outcomes] == ["geen_vermoeden"]
    assert st.step("beslissen").recorded["traject"] == "afgesloten"

    # At step 4, not recorded yet, with A2 'ja': melden is required.
    _, st = state_of(lambda st: mc.next_step(content, st) == "wegen"
                     and mc.state_kader(content, st).melden == "verplicht")
    assert not st.step("wegen").completed and st.step("wegen").values["A2"]["criteria"]

    # Completed with a melding at Veilig Thuis: date and the VT reference recorded.
    label, st = state_of(lambda st: (mc.final_decision(content, st) or {}).get("melden") == "ja")
    decided = st.step("beslissen").recorded
    assert mc.next_step(content, st) is None
    assert decided["melding_datum"] and "VT-" in decided["vt_kenmerk"]
    case_id = _by_label(services, cases)[label]
    assert any(f.what.startswith("Monitoring: ") for f in services.cases.followups(case_id))

    # Step 3 skipped for safety, with the reason on the timeline.
    label, st = state_of(lambda st: st.step("gesprek").skipped)
    assert st.step("gesprek").skip_reason and st.step("wegen").completed
    titles = [e.title for e in services.cases.timeline(_by_label(services, cases)[label])]
    assert any("overgeslagen om veiligheidsredenen" in t for t in titles)

    # In progress after step 2: its agreements became follow-ups, due after today.
    label, st = state_of(lambda st: st.step("consultatie").completed
                         and not st.step("gesprek").completed
                         and st.step("consultatie").recorded.get("afspraken"))
    fus = [f for f in services.cases.followups(_by_label(services, cases)[label])
           if f.what.startswith("Afspraken: ")]
    assert len(fus) == len(st.step("consultatie").recorded["afspraken"])
    assert all(f.due_on > TODAY and f.done_on is None for f in fus)

    # Every recorded step is a MELDCODE line on the timeline, dated within the case.
    for label, st in walks.items():
        case = services.cases.get_case(_by_label(services, cases)[label])
        lines = [e for e in services.cases.timeline(case.id) if e.kind == EntryKind.MELDCODE]
        assert len(lines) == sum(s.completed for s in st.steps.values())
        assert all(case.opened_on <= e.occurred_on <= TODAY for e in lines)


def test_route_walks_recorded_with_recipients(demo):
    services, cases = demo
    by_id = {c.id: c for c in cases}
    routes = [e for c in cases for e in services.routekaart.recorded_walks(c.id)]
    assert len(routes) >= 5
    assert all(e.data["recipients"] for e in routes)
    recipients = [set(e.data["recipients"]) for e in routes]
    outcomes = [e.data["outcomes"] for e in routes]
    assert any("shop_zelf" in o for o in outcomes)  # adult wants help → SHOP
    assert any(r == {"oov"} for r in recipients)  # a location → OOV only
    assert any("vt_minderjarig" in o for o in outcomes)  # a minor → Veilig Thuis
    assert any(o[:1] == ["alarm_112"] and "shop_zelf" in o for o in outcomes)  # 112 first
    # 4b: SHOP only anonymously; the walk offers no SHOP outcome with personal data.
    tree = services.routekaart.tree()
    anonymous = [o for o in outcomes if "shop_anoniem" in o]
    assert anonymous
    for o in anonymous:
        shop = [tree.outcome(i) for i in o if tree.outcome(i).contact == "shop"]
        assert [s.personal_data for s in shop] == ["geen"]
    for e in routes:  # a victim walk on a victim case, a location walk on a location case
        case = by_id[e.case_id]
        subject = e.data["answers"][1]["answers"][0]
        assert subject == ("locatie" if case.subject == Subject.LOCATIE else subject)
        assert case.opened_on <= e.occurred_on <= TODAY


def test_jaaroverzicht_counts_the_routes(demo):
    services, _ = demo
    overview = services.reports.annual(services.reports.default_year())
    route = next(d for d in overview.dimensions if d.key == "route")
    counted = [r for r in route.rows if r.key != NO_ROUTE]
    assert counted and all(r.total > 0 for r in counted)


def test_grounds_recorded_on_victim_cases(demo):
    services, cases = demo
    grounds = [g for c in cases for g in services.handover.grounds(c.id)]
    by_id = {c.id: c for c in cases}
    vital = [g for g in grounds if g.kind == "vitaal_belang"]
    consent = [g for g in grounds if g.kind == "toestemming"]
    assert vital and consent
    assert {g.case_id for g in vital}.isdisjoint({g.case_id for g in consent})
    for g in vital + consent:
        assert g.active and by_id[g.case_id].subject == Subject.SLACHTOFFER
        titles = [e.title for e in services.cases.timeline(g.case_id)]
        assert any(t.startswith("Grondslag vastgelegd") for t in titles)
    agreed = consent[0].details
    assert agreed["fields"] and agreed["told_withdrawable"] is True
    assert agreed["obtained_on"] <= TODAY.isoformat()
    assert all(vital[0].details[k] for k in ("incapacity", "urgent_need", "no_lighter_route"))


def test_handovers_in_the_verstrekkingenlog(demo, demo_dir):
    services, cases = demo
    status = services.handover.verify_log()
    assert status.ok and status.count >= 3
    views = sorted(services.handover.disclosures(), key=lambda v: v.seq)
    assert {v.recipient for v in views} >= {"shop", "oov"}
    assert [v.created_at for v in views] == sorted(v.created_at for v in views)
    by_id = {c.id: c for c in cases}
    records = {r.seq: json.loads(r.content) for r in services.handover.log.all()}
    minimal = [v for v in views if v.recipient == "shop" and v.grounds == "Minimale overdracht"]
    grounded = [v for v in views if v.recipient == "shop" and "Vitaal belang" in v.grounds]
    oov = [v for v in views if v.recipient == "oov"]
    assert minimal and grounded and oov
    assert by_id[oov[0].case_id].subject == Subject.LOCATIE
    assert "Naam of alias" in grounded[0].fields and "Naam of alias" not in minimal[0].fields
    assert records[minimal[0].seq]["request_type"].startswith("Advies")
    printed = [v for v in views if v.action == "Afgedrukt"]
    assert printed and all("Uitdrukkelijke toestemming" in v.grounds for v in printed)
    for v in views:
        assert by_id[v.case_id].opened_on <= v.created_at.date() <= TODAY
    for v in views:  # each saved sheet is a real file; the log holds its hash
        if v.action == "Afgedrukt":
            continue
        pdf = (demo_dir / "overdrachten" / f"{v.sheet_number}.pdf").read_bytes()
        assert hashlib.sha256(pdf).hexdigest() == v.pdf_sha256
    # The grounded field really is on the saved SHOP sheet, with its value.
    sheet = (demo_dir / "overdrachten" / f"{grounded[0].sheet_number}.pdf").read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet)).pages)
    name = by_id[grounded[0].case_id].details["persoon.naam"]
    assert "Naam of alias" in text and name in text and "Vitaal belang" in text
    assert name.startswith("Testpersoon ")


def test_sociale_kaart_has_confirmed_numbers(demo):
    services, _ = demo
    kaart = services.sociale_kaart
    # Confirmed by the gemeente: verified now, and not already verified in the defaults.
    confirmed = [c for c in kaart.contacts() if c.verified and kaart.is_changed(c.id)]
    assert len(confirmed) >= 2
    assert all(c.phone for c in confirmed)


def test_only_fictitious_contact_details(demo):
    services, cases = demo
    texts = [json.dumps(c.details, ensure_ascii=False) for c in cases]
    texts += [e.text() for c in cases for e in services.cases.timeline(c.id)]
    texts += [c.email for c in services.sociale_kaart.contacts() if c.email]
    for address in (w for t in texts for w in t.split() if "@" in w):
        assert address.strip(".,;:()'\"").endswith("voorbeeld.invalid"), address
