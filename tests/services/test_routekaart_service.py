"""RoutekaartService and SocialeKaartService on a real SQLCipher vault."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from aandacht.domain.case import Case, EntryKind, Form, Minor, Subject
from aandacht.domain.errors import ContentError, NotAllowed, ValidationError
from aandacht.domain.sociale_kaart import MAX_IMPORT_BYTES, Contact
from aandacht.services.routekaart import DRAFT_KEY, SETTINGS_KEY, RoutekaartService
from aandacht.services.sociale_kaart import SocialeKaartService

ADULT_WANTS_HELP = ("nee", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf", ["seksueel"])


@pytest.fixture
def routes(case_service, vault):
    return RoutekaartService(case_service, vault.settings)


@pytest.fixture
def kaart(vault):
    return SocialeKaartService(vault.settings)


@pytest.fixture
def case(case_service):
    return case_service.create_case(Case(None, "Casus Zilverreiger", dt.date.today()))


def walked(routes, *answers):
    w = routes.new_walk()
    for a in answers:
        w.answer(a)
    return w


# --- routekaart ----------------------------------------------------------------------------


def test_settings_default_store_and_apply(routes, vault):
    assert routes.setting_values()["shop_toestemming_route"] is False
    assert {s.key for s in routes.setting_specs()} >= {
        "shop_toestemming_route", "oov_grondslag_artikel", "art162_sv_check"}
    w = walked(routes, *ADULT_WANTS_HELP)
    assert "shop_toestemming" not in w.outcome_ids
    routes.set_settings({"shop_toestemming_route": True,
                         "oov_grondslag_artikel": "art. 33 UAVG (FG, 1 maart)"})
    assert vault.settings.get(SETTINGS_KEY) == {
        "shop_toestemming_route": True, "oov_grondslag_artikel": "art. 33 UAVG (FG, 1 maart)"}
    w = walked(routes, *ADULT_WANTS_HELP)
    assert "shop_toestemming" in w.outcome_ids
    assert "art. 33 UAVG (FG, 1 maart)" in routes.tree().outcome("oov").ground
    with pytest.raises(ValidationError, match="aan of uit"):
        routes.set_settings({"shop_toestemming_route": "ja"})
    assert vault.settings.get(SETTINGS_KEY)["shop_toestemming_route"] is True  # unchanged
    routes.reset_setting("shop_toestemming_route")
    assert routes.setting_values()["shop_toestemming_route"] is False


def test_bad_stored_settings_fall_back_to_defaults(routes, vault):
    vault.settings.set(SETTINGS_KEY, {"shop_toestemming_route": "kapot", "verdwenen": 1})
    assert routes.stored_settings() == {"shop_toestemming_route": "kapot"}
    assert routes.tree().settings["shop_toestemming_route"] is False


def test_record_a_finished_walk_in_a_case(routes, case_service, case):
    w = walked(routes, "ja", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf", ["onbekend"])
    entry = routes.record(case.id, w)
    assert entry.kind == EntryKind.ROUTE
    assert entry.data["recipients"] == ["noodnummer_112", "shop", "comensha"]
    assert entry.data["outcomes"] == ["alarm_112", "shop_zelf", "comensha_registratie"]
    assert [a["answers"] for a in entry.data["answers"]][:2] == [["ja"], ["slachtoffer"]]
    assert entry.data["settings"]["shop_toestemming_route"] is False
    json.dumps(entry.data)  # JSON-able
    assert entry.title == ("Routekaart: Alarmnummer 112, SHOP zorgcoördinatie mensenhandel, "
                           "CoMensha")
    assert "Acuut gevaar? Ja, er is acuut gevaar" in entry.body
    assert "Grondslag: AVG art. 6(1)(d)" in entry.body
    assert "Overdrachtsformulier: SHOP" in entry.body
    stored = [e for e in case_service.timeline(case.id) if e.kind == EntryKind.ROUTE]
    assert len(stored) == 1 and stored[0].data == entry.data
    # the stored walk can be rebuilt from the entry
    again = routes.walk_from(stored[0].data["walk"])
    assert again.outcome_ids == w.outcome_ids


def test_record_refuses_an_unfinished_walk(routes, case_service, case):
    w = walked(routes, "nee", "slachtoffer")
    with pytest.raises(ValidationError, match="nog niet af"):
        routes.record(case.id, w)
    assert routes.recorded_walks(case.id) == []


def test_draft_per_case(routes, case_service, case):
    assert routes.load_draft(case.id) is None
    w = walked(routes, "nee", "slachtoffer", "ja")
    routes.save_draft(case.id, w)
    draft = routes.load_draft(case.id)
    assert draft.steps == w.steps and draft.current.id == "q2b_amv"
    draft.answer("nee")
    draft.answer(["seksueel"])
    routes.record(case.id, draft)
    assert routes.load_draft(case.id) is None  # recording drops the draft
    case_service.set_state(case.id, DRAFT_KEY, {"format": "aandacht-routewalk",
                                                "steps": [{"node": "weg", "answers": []}]})
    assert routes.load_draft(case.id) is None  # a stale draft does not block the page


def test_save_walk_without_case_as_new_case(routes, case_service):
    w = walked(routes, "nee", "slachtoffer", "nee", "nee", "wil_geen_hulp", ["arbeid", "seksueel"])
    case, entry = routes.save_as_new_case(w, "Casus Kievit")
    assert case.id is not None
    stored = case_service.get_case(case.id)
    assert stored.label == "Casus Kievit"
    assert stored.subject == Subject.SLACHTOFFER
    assert stored.minor == Minor.NEE
    assert stored.forms == frozenset({Form.ARBEID, Form.SEKSUEEL})
    assert entry.case_id == case.id
    assert "shop" in entry.data["recipients"]
    with pytest.raises(ValidationError):
        routes.save_as_new_case(w, "  ")  # the case's own validation applies


def test_location_walk_saved_as_location_case(routes, case_service):
    w = walked(routes, "nee", "locatie")
    case, entry = routes.save_as_new_case(w, "Casus Pand Reigerstraat")
    assert case_service.get_case(case.id).subject == Subject.LOCATIE
    assert entry.data["recipients"] == ["oov"]


# --- sociale kaart (service) ----------------------------------------------------------------


def test_kaart_edit_confirm_add_remove(kaart, vault):
    shop = kaart.get("shop")
    assert not shop.verified and not kaart.is_changed("shop")
    kaart.confirm_phone("shop")
    assert kaart.get("shop").verified and kaart.is_changed("shop")
    assert vault.settings.get("sociale_kaart")["contacts"] == {"shop": {"verified": True}}
    kaart.edit("shop", phone="070-111 22 33")  # a new number is unconfirmed again
    assert kaart.get("shop").phone == "070-111 22 33" and not kaart.get("shop").verified
    with pytest.raises(ValidationError) as info:
        kaart.edit("shop", phone="onbekend")
    assert info.value.field == "phone"
    with pytest.raises(ValidationError, match="nog geen telefoonnummer"):
        kaart.confirm_phone("oov")
    added = kaart.add("Opvang De Haven", phone="010-123 45 67", notes="Fictief testcontact")
    assert added.id == "opvang_de_haven" and kaart.get(added.id).name == "Opvang De Haven"
    kaart.remove(added.id)
    assert kaart.find(added.id) is None
    with pytest.raises(NotAllowed, match="staat in de routekaart"):
        kaart.remove("shop")
    kaart.remove("perspektief")  # not on the routekaart: may go
    assert kaart.find("perspektief") is None
    kaart.reset("perspektief")
    kaart.reset("shop")
    assert kaart.get("shop") == kaart.defaults[[c.id for c in kaart.defaults].index("shop")]


def test_kaart_export_and_import(kaart, vault, tmp_path):
    vault.settings.set("gemeente_naam", "Gemeente Voorbeeld")
    kaart.edit("nla", hours="ma–vr 9–17")
    path = kaart.export(tmp_path / "kaart.json", dt.date(2026, 3, 1))
    doc = json.loads(path.read_text("utf-8"))
    assert doc["gemeente"] == "Gemeente Voorbeeld" and doc["exported_on"] == "2026-03-01"
    assert not list(tmp_path.glob(".*.deel"))  # no part file left
    # another gemeente's kaart: one changed number, one added contact
    doc["contacts"] = [dict(c, phone="070-999 99 99") if c["id"] == "shop" else c
                       for c in doc["contacts"]]
    doc["contacts"].append(Contact("opvang_de_haven", "Opvang De Haven").to_dict())
    other = tmp_path / "ander.json"
    other.write_text(json.dumps(doc), "utf-8")
    before = vault.settings.get("sociale_kaart")
    plan = kaart.preview_import(other)
    assert vault.settings.get("sociale_kaart") == before  # preview stores nothing
    assert [c.id for c in plan.diff.added] == ["opvang_de_haven"]
    assert [ch.new.id for ch in plan.diff.changed] == ["shop"]
    kaart.apply_import(plan)
    assert kaart.get("shop").phone == "070-999 99 99"
    assert kaart.get("nla").hours == "ma–vr 9–17"
    assert kaart.find("opvang_de_haven") is not None


def test_kaart_import_refusals_leave_everything_unchanged(kaart, vault, tmp_path):
    kaart.edit("nla", hours="ma–vr 9–17")
    before = vault.settings.get("sociale_kaart")
    huge = tmp_path / "groot.json"
    huge.write_bytes(b" " * (MAX_IMPORT_BYTES + 10))
    other_version = tmp_path / "v2.json"
    doc = json.loads(kaart.export_bytes())
    doc["version"] = 2
    other_version.write_text(json.dumps(doc), "utf-8")
    broken = tmp_path / "kapot.json"
    broken.write_bytes(kaart.export_bytes()[:-40])
    for path, expected in ((huge, "te groot"), (other_version, "versie 2"),
                           (broken, "geen leesbare JSON"), (tmp_path / "weg.json", "niet gevonden"),
                           (tmp_path, "map")):
        with pytest.raises(ContentError, match=expected):
            kaart.preview_import(path)
    assert vault.settings.get("sociale_kaart") == before


def test_kaart_apply_refuses_a_stale_preview(kaart, tmp_path):
    path = kaart.export(tmp_path / "kaart.json")
    doc = json.loads(path.read_text("utf-8"))
    doc["contacts"][0]["notes"] = "nieuw"
    path.write_text(json.dumps(doc), "utf-8")
    plan = kaart.preview_import(path)
    kaart.edit("shop", hours="alleen ochtend")  # the kaart changes after the preview
    with pytest.raises(ValidationError, match="opnieuw"):
        kaart.apply_import(plan)
    assert kaart.get("shop").hours == "alleen ochtend"


def test_export_to_a_missing_folder_is_a_clear_error(kaart, tmp_path):
    with pytest.raises(ValidationError, match="bestaat niet"):
        kaart.export(tmp_path / "nergens" / "kaart.json")
