"""HandoverService on a real SQLCipher vault: grounds, sheets, files, the disclosure log."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re

import pytest
from pypdf import PdfReader

from aandacht.domain.case import Case, EntryKind, Form, Minor, Status
from aandacht.domain.errors import NotAllowed, ValidationError
from aandacht.domain.handover import default_selection
from aandacht.services.handover import HandoverService
from aandacht.store.disclosures import HEAD_KEY
from tests.store.vault_helpers import assert_dutch, tmpfs

VITAAL = {"incapacity": "Verward na een incident, niet aanspreekbaar.",
          "urgent_need": "Medische zorg en een veilige plek, vandaag.",
          "no_lighter_route": "Anoniem advies geeft vandaag geen opvang."}
MOTIVATION = "Persoon kan niet beslissen en heeft vandaag opvang nodig."


@pytest.fixture
def svc(vault, case_service):
    s = vault.settings
    s.set("gemeente_naam", "Midden-Delfland")
    s.set("af_naam", "Testpersoon Marloes Voorbeeld")
    s.set("af_functie", "Aandachtsfunctionaris mensenhandel")
    s.set("af_contact", "06-12345678")
    # These tests exercise the consent route; the gemeente switched it on.
    return HandoverService(vault, case_service, s,
                           gemeente_setting=lambda name: name == "shop_toestemming_route")


@pytest.fixture
def case_id(case_service):
    case = case_service.create_case(Case(
        None, "Casus Zilverreiger", dt.date(2025, 3, 4), forms=frozenset({Form.SEKSUEEL}),
        minor=Minor.NEE, details={
            "persoon.naam": "Testpersoon Aïcha Voorbeeld",
            "persoon.gezondheid": "Kanarie-gezondheid",
            "situatie.sector": "Thuisprostitutie",
            "situatie.hulpwens": "ja",
            "object.adres": "Voorbeeldweg 12",
        }))
    return case.id


def prepare(svc, case_id, form_id="shop", requested=None, **inputs):
    requested = svc.default_selection(form_id) if requested is None else requested
    base = svc.default_inputs(case_id, form_id)
    base.update(inputs)
    return svc.prepare(case_id, form_id, requested, base)


def disclosure_count(vault) -> int:
    return vault.execute("SELECT count(*) FROM disclosures").fetchone()[0]


def handover_entries(case_service, case_id):
    return [e for e in case_service.timeline(case_id) if e.kind == EntryKind.OVERDRACHT]


def test_save_writes_the_file_one_record_and_one_timeline_entry(svc, vault, case_service,
                                                                case_id, tmp_path):
    prepared = prepare(svc, case_id)
    selection, pdf = prepared  # unpacks as (selection, pdf_bytes)
    assert set(selection.fields) == default_selection(svc.form("shop"))
    out = tmp_path / "uit"
    out.mkdir()
    record = svc.save(prepared, out / "overdracht")  # ".pdf" is added
    assert (out / "overdracht.pdf").read_bytes() == pdf
    assert [p.name for p in out.iterdir()] == ["overdracht.pdf"]  # no temp file left
    assert disclosure_count(vault) == 1
    content = json.loads(record.content)
    assert content["recipient"] == "shop" and content["action"] == "opgeslagen"
    assert content["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    assert content["sheet_number"] == prepared.number
    assert {f["id"] for f in content["fields"]} == set(selection.fields)
    assert content["grounds"] == [] and content["decided_by"] == "Testpersoon Marloes Voorbeeld"
    entries = handover_entries(case_service, case_id)
    assert len(entries) == 1
    assert entries[0].data["disclosure_seq"] == record.seq
    assert prepared.number in entries[0].body
    # The log and the timeline carry labels, never the values of the fields.
    assert "Thuisprostitutie" not in record.content + entries[0].body
    assert svc.verify_log().ok


def test_prepare_logs_nothing_and_writes_nothing(svc, vault, case_id, tmp_path):
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    prepare(svc, case_id)
    assert disclosure_count(vault) == 0
    after = sorted(str(p) for p in tmp_path.rglob("*"))
    assert [p for p in after if p not in before and "vault" not in p] == []


def test_missing_sender_settings_are_a_dutch_error(svc, vault, case_id):
    vault.settings.set("af_contact", "")
    with pytest.raises(ValidationError) as err:
        prepare(svc, case_id)
    assert "werkcontact" in str(err.value)
    assert_dutch(str(err.value))


def test_unwritable_path_leaves_no_file_and_no_record(svc, vault, case_service, case_id,
                                                      tmp_path):
    prepared = prepare(svc, case_id)
    blocker = tmp_path / "geen_map.txt"
    blocker.write_text("x")
    for bad in (tmp_path / "bestaat_niet" / "blad.pdf", blocker / "blad.pdf"):
        with pytest.raises(ValidationError) as err:
            svc.save(prepared, bad)
        assert_dutch(str(err.value))
    folder = tmp_path / "map"
    folder.mkdir()
    with pytest.raises(ValidationError):
        svc.save(prepared, folder)  # a folder, not a file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geen_map.txt", "home", "map"]
    assert list(folder.iterdir()) == []
    assert disclosure_count(vault) == 0
    assert handover_entries(case_service, case_id) == []


@pytest.mark.parametrize("readonly", [False, True], ids=["schijf-vol", "alleen-lezen"])
def test_full_or_readonly_disk_leaves_no_file_and_no_record(svc, vault, case_id, tmp_path,
                                                            readonly):
    prepared = prepare(svc, case_id)
    try:
        with tmpfs(tmp_path / "usb", size="8k", readonly=readonly) as mnt:
            with pytest.raises(ValidationError) as err:
                svc.save(prepared, mnt / "blad.pdf")
            assert os.listdir(mnt) == []
    except PermissionError as exc:
        pytest.skip(str(exc))
    msg = str(err.value)
    assert_dutch(msg)
    assert ("vol" in msg) if not readonly else ("schrijven" in msg)
    assert disclosure_count(vault) == 0


def test_a_failing_log_write_removes_the_written_file(svc, vault, case_service, case_id,
                                                     tmp_path, monkeypatch):
    prepared = prepare(svc, case_id)

    def boom(entry):
        raise ValidationError("Opslaan in de kluis mislukte.")

    monkeypatch.setattr(case_service, "add_entry", boom)
    with pytest.raises(ValidationError):
        svc.save(prepared, tmp_path / "blad.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]
    assert disclosure_count(vault) == 0
    assert vault.settings.get(HEAD_KEY) is None


def test_printing_is_logged_only_when_the_printer_succeeds(svc, vault, case_service, case_id):
    prepared = prepare(svc, case_id)

    def broken_printer(pdf: bytes) -> None:
        raise ValidationError("De printer reageert niet.")

    with pytest.raises(ValidationError):
        svc.record_printed(prepared, broken_printer)
    assert disclosure_count(vault) == 0
    assert handover_entries(case_service, case_id) == []
    printed: list[bytes] = []
    record = svc.record_printed(prepared, printed.append)
    assert printed == [prepared.pdf]
    assert json.loads(record.content)["action"] == "afgedrukt"
    assert len(handover_entries(case_service, case_id)) == 1


def test_identifying_fields_stay_locked_until_a_ground_is_recorded(svc, vault, case_service,
                                                                   case_id, tmp_path):
    with pytest.raises(NotAllowed):
        prepare(svc, case_id, requested=svc.default_selection("shop") | {"naam"})
    with pytest.raises(NotAllowed):  # never, whatever is recorded
        prepare(svc, case_id, requested={"vormen", "eigen_strafrechtelijk"})
    with pytest.raises(ValidationError) as err:
        svc.record_ground(case_id, "shop", "vitaal_belang", "   ", "Testpersoon AF", VITAAL)
    assert "motivering" in str(err.value).lower()
    ground = svc.record_ground(case_id, "shop", "vitaal_belang", MOTIVATION,
                               "Testpersoon Marloes Voorbeeld", VITAAL)
    assert ground.id and ground.recipient == "shop"
    states = {s.rule.id: s for s in svc.field_states(case_id, "shop")}
    assert states["naam"].status == "unlocked"
    assert states["geboortedatum"].status == "locked"
    assert states["eigen_strafrechtelijk"].status == "never"
    assert [g.id for g in svc.grounds(case_id, "shop")] == [ground.id]
    assert svc.grounds(case_id, "oov") == []
    with pytest.raises(ValidationError) as err:  # advice/sparring stays anonymous
        prepare(svc, case_id, requested={"vormen", "naam"})
    assert "Verzoek tot zorgcoördinatie" in str(err.value)
    prepared = prepare(svc, case_id, requested=svc.default_selection("shop") | {"naam",
                                                                                "gezondheid"},
                       request_type="zorgcoordinatie")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(prepared.pdf)).pages)
    assert "Testpersoon Aïcha Voorbeeld" in text and "Kanarie-gezondheid" in text
    assert "Voorbeeldweg 12" not in text  # object data never goes to SHOP
    record = svc.save(prepared, tmp_path / "blad.pdf")
    content = json.loads(record.content)
    assert content["grounds"][0]["kind"] == "vitaal_belang"
    assert content["grounds"][0]["motivation"] == MOTIVATION
    assert set(content["grounds"][0]["fields"]) == {"naam", "gezondheid"}
    besluit = [e for e in case_service.timeline(case_id) if e.kind == EntryKind.BESLUIT]
    assert besluit and besluit[0].data["ground_id"] == ground.id


def test_withdrawn_ground_blocks_a_sheet_prepared_before(svc, vault, case_id, tmp_path):
    ground = svc.record_ground(case_id, "shop", "vitaal_belang", MOTIVATION, "AF Voorbeeld",
                               VITAAL)
    prepared = prepare(svc, case_id, requested={"vormen", "naam"},
                       request_type="zorgcoordinatie")
    svc.withdraw_ground(ground.id)
    with pytest.raises(NotAllowed):
        svc.save(prepared, tmp_path / "blad.pdf")
    assert disclosure_count(vault) == 0
    with pytest.raises(NotAllowed):
        prepare(svc, case_id, requested={"vormen", "naam"})


def test_a_tampered_prepared_sheet_is_refused(svc, vault, case_id, tmp_path):
    import dataclasses

    prepared = prepare(svc, case_id)
    forged = dataclasses.replace(prepared, pdf=prepared.pdf + b"%extra")
    with pytest.raises(NotAllowed):
        svc.save(forged, tmp_path / "blad.pdf")
    crafted = dataclasses.replace(prepared, selection=dataclasses.replace(
        prepared.selection, fields=prepared.selection.fields + ("bsn",)))
    with pytest.raises(NotAllowed):
        svc.save(crafted, tmp_path / "blad.pdf")
    assert disclosure_count(vault) == 0


def test_consent_for_another_recipient_or_a_never_field_is_refused(svc, case_id):
    with pytest.raises(NotAllowed):
        svc.record_ground(case_id, "oov", "toestemming", MOTIVATION, "AF Voorbeeld", {
            "obtained_on": "2025-01-02", "obtained_by": "AF", "told_withdrawable": True,
            "fields": ["gezondheid"]})
    consent = svc.record_ground(case_id, "shop", "toestemming", MOTIVATION, "AF Voorbeeld", {
        "obtained_on": "2025-01-02", "obtained_by": "AF", "told_withdrawable": True,
        "fields": ["naam"]})
    assert consent.details["fields"] == ["naam"]
    states = {s.rule.id: s.status for s in svc.field_states(case_id, "oov")}
    assert states["naam"] == "locked"


def _tamper(vault, sql, params=()):
    vault.conn.execute(sql, params)


def _three_disclosures(svc, case_id, tmp_path):
    for i in range(3):
        svc.save(prepare(svc, case_id, form_id="oov" if i == 1 else "shop"),
                 tmp_path / f"blad{i}.pdf")


@pytest.mark.parametrize("seq", [1, 2, 3])
def test_tampering_in_the_store_is_found_at_the_first_broken_link(svc, vault, case_id,
                                                                 tmp_path, seq):
    _three_disclosures(svc, case_id, tmp_path)
    assert svc.verify_log().ok
    _tamper(vault, "UPDATE disclosures SET content = replace(content, 'shop', 'oov') "
                   "WHERE seq = ?", (seq,))
    _tamper(vault, "UPDATE disclosures SET content = replace(content, '\"oov\"', '\"shop\"') "
                   "WHERE seq = ? AND content NOT LIKE '%shop%'", (seq,))
    status = svc.verify_log()
    assert not status.ok and status.first_broken == seq
    assert f"nr. {seq}" in status.message


def test_deleting_a_record_or_cutting_the_end_is_found(svc, vault, case_id, tmp_path):
    _three_disclosures(svc, case_id, tmp_path)
    _tamper(vault, "DELETE FROM disclosures WHERE seq = 3")
    status = svc.verify_log()
    assert status.first_broken == 3
    _tamper(vault, "DELETE FROM disclosures WHERE seq = 2")
    assert svc.verify_log().first_broken == 2


def test_tombstone_keeps_the_chain_valid_and_drops_the_content(svc, vault, case_service,
                                                               case_id, tmp_path):
    other = case_service.create_case(Case(None, "Casus Tureluur", dt.date(2025, 5, 1)))
    _three_disclosures(svc, case_id, tmp_path)
    svc.save(prepare(svc, other.id), tmp_path / "ander.pdf")
    assert svc.tombstone_case(case_id, "bewaartermijn verstreken") == 3
    status = svc.verify_log()
    assert status.ok and status.count == 4
    rows = vault.execute("SELECT seq, content, case_id, tombstone FROM disclosures "
                         "ORDER BY seq").fetchall()
    for seq, content, cid, stone in rows[:3]:
        assert content is None and cid is None
        stone = json.loads(stone)
        assert set(stone) == {"verstrekt_op", "ontvanger", "verwijderd_op", "reden"}
        assert "Zilverreiger" not in json.dumps(stone)
    assert rows[3][1] is not None
    views = svc.disclosures()
    assert [v.tombstoned for v in views] == [False, True, True, True]
    assert svc.disclosures(case_id=case_id) == []  # an id reused later shows nothing old
    assert {v.recipient for v in svc.disclosures(recipient="oov")} == {"oov"}


def test_listing_filters_by_recipient_period_and_case(svc, case_service, case_id, tmp_path):
    other = case_service.create_case(Case(None, "Casus Tureluur", dt.date(2025, 5, 1)))
    _three_disclosures(svc, case_id, tmp_path)
    svc.save(prepare(svc, other.id), tmp_path / "ander.pdf")
    everything = svc.disclosures()
    assert [v.seq for v in everything] == [4, 3, 2, 1]
    assert [v.seq for v in svc.disclosures(recipient="oov")] == [2]
    assert [v.seq for v in svc.disclosures(case_id=other.id)] == [4]
    today = dt.date.today()
    assert len(svc.disclosures(since=today, until=today)) == 4
    assert svc.disclosures(until=today - dt.timedelta(days=1)) == []
    with pytest.raises(ValidationError):
        svc.disclosures(since=today, until=today - dt.timedelta(days=1))
    v = everything[-1]
    assert v.action == "Opgeslagen als PDF" and v.grounds == "Minimale overdracht"
    assert "Vermoedelijke vorm(en) van uitbuiting" in v.fields


def test_export_case_log_pdf(svc, case_service, case_id, tmp_path):
    svc.record_ground(case_id, "shop", "vitaal_belang", MOTIVATION, "AF Voorbeeld", VITAAL)
    svc.save(prepare(svc, case_id, requested={"vormen", "naam"},
                     request_type="zorgcoordinatie"), tmp_path / "a.pdf")
    svc.save(prepare(svc, case_id, form_id="oov"), tmp_path / "b.pdf")
    pdf = svc.export_case_log_pdf(case_id)
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in reader.pages))
    assert "Casus Zilverreiger" in text and "Nr. 1" in text and "Nr. 2" in text
    assert "Vitaal belang" in text and "hashketen is onbeschadigd" in text
    assert "Testpersoon Aïcha" not in text  # labels of fields, never their values
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    assert "Zilverreiger" not in meta


def test_prefill_takes_signal_codes_from_the_meldcode_walk(svc, case_service, case_id):
    from aandacht.domain.meldcode import default_meldcode, new_state

    content = default_meldcode()
    state = new_state(content)
    step = next(s for s in content.steps if any(f.type == "signals" for f in s.fields))
    fid = next(f.id for f in step.fields if f.type == "signals")
    state.step(step.id).recorded = {fid: ["ALG-03"]}
    state.step(step.id).recorded_on = "2025-11-14T10:00"
    case_service.set_state(case_id, "meldcode", state.to_dict())
    inputs = svc.default_inputs(case_id, "shop")
    assert inputs["request_type"] == "advies"
    assert inputs["signalen"].startswith("ALG-03 ")
    assert inputs["laatste_signaal"] == "2025-11-14"
    assert svc.default_inputs(case_id, "oov")["signalen"] == ""


def test_closed_or_deleted_cases(svc, case_service, case_id, tmp_path):
    svc.save(prepare(svc, case_id), tmp_path / "a.pdf")
    case = case_service.get_case(case_id)
    assert case.status == Status.OPEN
    vault = svc.vault
    vault.conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
    with pytest.raises(ValidationError):
        prepare(svc, case_id)
    assert svc.verify_log().ok


CONSENT = {"obtained_on": "2025-01-02", "obtained_by": "AF", "told_withdrawable": True,
           "fields": ["naam"]}


def test_consent_to_shop_needs_the_gemeente_setting(svc, vault, case_service, case_id):
    setting = {"shop_toestemming_route": False}
    svc = HandoverService(vault, case_service, vault.settings, gemeente_setting=setting.get)
    states = {s.rule.id: s for s in svc.field_states(case_id, "shop")}
    assert "niet aangezet" in states["geboortedatum"].note  # only consent could open it
    assert "vitaal belang" in states["naam"].note  # consent is off, vital interest is not
    with pytest.raises(NotAllowed) as err:
        svc.record_ground(case_id, "shop", "toestemming", MOTIVATION, "AF Voorbeeld", CONSENT)
    assert "shop_toestemming_route" in str(err.value)
    setting["shop_toestemming_route"] = True
    svc.record_ground(case_id, "shop", "toestemming", MOTIVATION, "AF Voorbeeld", CONSENT)
    states = {s.rule.id: s.status for s in svc.field_states(case_id, "shop")}
    assert states["naam"] != "locked"
    # Switching the route off again takes effect at once: the recorded consent unlocks nothing.
    setting["shop_toestemming_route"] = False
    states = {s.rule.id: s.status for s in svc.field_states(case_id, "shop")}
    assert states["naam"] == "locked"
    with pytest.raises(NotAllowed):
        svc.prepare(case_id, "shop", {"naam"}, svc.default_inputs(case_id, "shop"))


def test_build_services_reads_the_consent_setting_from_the_routekaart(services, case_id):
    hs = services.handover
    assert "toestemming" in hs.disabled_grounds("shop")  # off by default (brief [UNC])
    services.routekaart.set_settings({"shop_toestemming_route": True})
    assert "toestemming" not in hs.disabled_grounds("shop")
