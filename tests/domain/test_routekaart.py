"""The routekaart content and its walk, without Qt.

Every path of the shipped content is walked and its outcome is checked against rules
written here from the brief (b), independently of the content file, so a wrong
`adds` in the TOML fails a test.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import tomllib

import pytest

from aandacht.content import content_path
from aandacht.domain.errors import ContentError, ValidationError
from aandacht.domain.routekaart import (
    RouteWalk,
    Step,
    iter_text,
    load_routekaart,
    parse_routekaart,
)
from aandacht.domain.sociale_kaart import load_sociale_kaart

PATH = "routekaart.toml"
BOOL_SETTINGS = ("shop_toestemming_route", "shop_jeugd_advies")
SHOP_OUTCOMES = {"shop_zelf", "shop_toestemming", "shop_anoniem", "shop_vitaal"}


@pytest.fixture(scope="module")
def raw() -> dict:
    return tomllib.loads(content_path("routekaart.toml").read_text("utf-8"))


@pytest.fixture(scope="module")
def contacts() -> tuple[str, ...]:
    return load_sociale_kaart().ids


@pytest.fixture(scope="module")
def tree(raw, contacts):
    return parse_routekaart(raw, PATH, contacts)


def walk(tree, *answers):
    w = tree.walk()
    for a in answers:
        w.answer(a)
    return w


# --- the shipped content ----------------------------------------------------------


def test_default_loader_reads_the_shipped_files():
    t = load_routekaart()
    assert t.start == "q0_acuut"
    assert t.source["status"] == "reconstructie"
    assert "RSIV" in t.source["reference"]
    assert set(t.specs) >= {"shop_toestemming_route", "oov_grondslag_artikel", "art162_sv_check"}
    assert t.settings["shop_toestemming_route"] is False  # S1 names only vital interest


def test_every_recipient_is_on_the_sociale_kaart(tree, contacts):
    assert tree.recipients <= set(contacts)


def expected_outcomes(steps: tuple[Step, ...], settings: dict) -> set[str]:
    """The recipients brief (b) asks for, derived from the answers alone."""
    a = {s.node_id: set(s.answer_ids) for s in steps}
    out: set[str] = set()
    if a["q0_acuut"] == {"ja"}:
        out.add("alarm_112")
    subject = a["q1_onderwerp"]
    if subject == {"anonieme_tip"}:
        return out | {"meld_misdaad_anoniem"}
    if subject & {"locatie", "beide"}:
        out.add("oov")
    if subject == {"locatie"}:
        return out
    if a["q2_minderjarig"] == {"ja"}:
        out.add("vt_minderjarig")
        if settings["shop_jeugd_advies"]:
            out.add("shop_jeugd_advies")
        if a["q2b_amv"] == {"ja"}:
            out.add("nidos")
        forms = a["q5_vorm_minderjarig"]
        adult = False
    else:
        if a["q3_afhankelijkheid"] == {"ja"}:
            out.add("vt_afhankelijkheid")
        wish = a["q4_hulpwens"]
        if wish == {"wil_hulp"}:
            out |= {"shop_zelf", "comensha_registratie"}
            if settings["shop_toestemming_route"]:
                out.add("shop_toestemming")
            if a["q4a_verblijf"] == {"geen_verblijf"}:
                out.add("politie_b83")
        elif wish == {"kan_niet_beslissen"}:
            out |= {"shop_vitaal", "comensha_helpdesk"}
        else:  # wil_geen_hulp or onbekend
            out |= {"shop_anoniem", "comensha_helpdesk"}
        forms = a["q5_vorm_volwassen"]
        adult = True
    if forms & {"seksueel", "crimineel"}:
        out.add("politie_avim")
    if "arbeid" in forms:
        out.add("nla")
        if adult:
            out.add("fairwork")
    if "orgaanhandel" in forms:
        out.add("politie_orgaanhandel")
    if forms & {"seksueel", "arbeid"} and "oov" not in out:
        out.add("oov_locatie")
    return out


@pytest.mark.parametrize("combo", list(itertools.product((False, True), repeat=2)),
                         ids=lambda c: "-".join("aan" if v else "uit" for v in c))
def test_every_path_of_the_content_file(tree, contacts, combo):
    settings = dict(zip(BOOL_SETTINGS, combo, strict=True))
    t = tree.with_settings(settings)
    paths = t.all_paths()
    assert len(paths) > 500  # all subsets of the forms question included
    seen_outcomes: set[str] = set()
    for p in paths:
        w = RouteWalk(t, p.steps)
        assert w.finished, p.describe()
        assert w.outcome_ids == p.outcome_ids, p.describe()
        assert set(p.outcome_ids) == expected_outcomes(p.steps, settings), p.describe()
        assert p.outcome_ids, p.describe()
        if "alarm_112" in p.outcome_ids:
            assert p.outcome_ids[0] == "alarm_112", "112 comes first, before anything else"
        for o in w.outcomes:
            assert o.contact in contacts
            # handover form fits the recipient: SHOP sheet for SHOP, OOV sheet for OOV
            assert o.handover == {"shop": "shop", "oov": "oov"}.get(o.contact), o.id
            for text in iter_text(o):
                assert "{" not in text and "}" not in text, (o.id, text)
        # never more than one SHOP privacy gate outcome besides the consent route
        gates = set(p.outcome_ids) & {"shop_zelf", "shop_anoniem", "shop_vitaal"}
        assert len(gates) <= 1, p.describe()
        # round trip through JSON
        again = RouteWalk.from_dict(t, json.loads(json.dumps(w.to_dict())))
        assert again.steps == w.steps
        seen_outcomes |= set(p.outcome_ids)
    expected_reachable = set(t.outcome_ids) - {
        o for o, key in (("shop_toestemming", "shop_toestemming_route"),
                         ("shop_jeugd_advies", "shop_jeugd_advies")) if not settings[key]}
    assert seen_outcomes == expected_reachable


# --- named walks ---------------------------------------------------------------------


def test_adult_wants_help_goes_to_shop(tree):
    w = walk(tree, "nee", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf", ["onbekend"])
    assert w.finished
    assert w.outcome_ids == ("shop_zelf", "comensha_registratie")
    shop = w.outcomes[0]
    assert shop.contact == "shop" and shop.handover == "shop"
    assert "zelf contact" in shop.why
    assert shop.personal_data == "geen"


def test_adult_wants_help_with_consent_route_switched_on(tree):
    t = tree.with_settings({"shop_toestemming_route": True})
    w = walk(t, "nee", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf", ["seksueel"])
    assert w.outcome_ids[:3] == ("shop_zelf", "shop_toestemming", "comensha_registratie")
    consent = t.outcome("shop_toestemming")
    assert "9(2)(a)" in consent.ground
    assert consent.personal_data == "voorwaardelijk"


def test_location_only_goes_to_oov(tree):
    w = walk(tree, "nee", "locatie")
    assert w.finished
    assert w.outcome_ids == ("oov",)
    oov = w.outcomes[0]
    assert oov.handover == "oov"
    # the FG's article from the settings is printed in the ground
    assert tree.settings["oov_grondslag_artikel"] in oov.ground
    assert any("verblijfsstatus" in n.lower() for n in oov.never)
    assert any("BSN" in n for n in oov.never)


def test_acute_then_shop(tree):
    w = walk(tree, "ja", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf", ["onbekend"])
    assert w.outcome_ids[0] == "alarm_112"
    assert w.recipients[:2] == ("noodnummer_112", "shop")
    # the 112 outcome carries the art. 162 Sv reminder from the settings
    assert tree.settings["art162_sv_check"] in w.outcomes[0].notes


def test_minor_goes_to_veilig_thuis(tree):
    w = walk(tree, "nee", "slachtoffer", "ja", "nee", ["seksueel"])
    assert w.finished
    assert w.outcome_ids[0] == "vt_minderjarig"
    assert "veilig_thuis" in w.recipients
    assert not set(w.outcome_ids) & SHOP_OUTCOMES  # adult SHOP route does not apply
    assert "5.2.6 Wmo" in w.outcomes[0].ground


def test_unaccompanied_minor_adds_nidos(tree):
    w = walk(tree, "nee", "slachtoffer", "ja", "ja", ["onbekend"])
    assert "nidos" in w.outcome_ids


def test_shop_jeugd_is_a_setting(tree):
    on = walk(tree, "nee", "slachtoffer", "ja", "nee", ["onbekend"])
    off = walk(tree.with_settings({"shop_jeugd_advies": False}),
               "nee", "slachtoffer", "ja", "nee", ["onbekend"])
    assert "shop_jeugd_advies" in on.outcome_ids
    assert off.outcome_ids == ("vt_minderjarig",)


def test_4b_does_not_want_help_only_anonymous_sparring(tree):
    for settings in ({}, {"shop_toestemming_route": True}):
        t = tree.with_settings(settings)
        w = walk(t, "nee", "slachtoffer", "nee", "nee", "wil_geen_hulp", ["arbeid"])
        shop = [o for o in w.outcomes if o.contact == "shop"]
        assert [o.id for o in shop] == ["shop_anoniem"]
        assert shop[0].personal_data == "geen"
        assert not shop[0].conditional  # nothing unlocks personal data on this route
        assert any("Naam" in n for n in shop[0].never)
        assert "comensha_registratie" not in w.outcome_ids  # no registration without consent
        assert "comensha_helpdesk" in w.outcome_ids


def test_4c_vital_interest(tree):
    w = walk(tree, "nee", "slachtoffer", "nee", "nee", "kan_niet_beslissen", ["onbekend"])
    shop = w.outcomes[0]
    assert shop.id == "shop_vitaal"
    assert "6(1)(d)" in shop.ground and "9(2)(c)" in shop.ground


def test_household_relation_adds_veilig_thuis_and_continues(tree):
    w = walk(tree, "nee", "slachtoffer", "nee", "ja")
    assert w.current.id == "q4_hulpwens"
    assert w.outcome_ids == ("vt_afhankelijkheid",)


def test_both_victim_and_location_splits_to_oov_without_duplicate(tree):
    w = walk(tree, "nee", "beide", "nee", "nee", "wil_hulp", "geen_verblijf",
             ["seksueel", "arbeid"])
    ids = w.outcome_ids
    assert ids.count("oov") == 1 and "oov_locatie" not in ids
    assert {"politie_b83", "politie_avim", "nla", "fairwork"} <= set(ids)


def test_several_forms_at_once(tree):
    w = walk(tree, "nee", "slachtoffer", "nee", "nee", "wil_geen_hulp",
             ["crimineel", "orgaanhandel"])
    assert {"politie_avim", "politie_orgaanhandel"} <= set(w.outcome_ids)


def test_anonymous_citizen_tip(tree):
    w = walk(tree, "nee", "anonieme_tip")
    assert w.outcome_ids == ("meld_misdaad_anoniem",)


# --- the walk itself ---------------------------------------------------------------------


def test_back_stack_and_breadcrumb(tree):
    w = tree.walk()
    assert w.at_start and w.back() is None  # going back past the start is a clean no-op
    assert w.current.id == "q0_acuut"
    w.answer("ja")
    w.answer("slachtoffer")
    crumbs = [(n.id, tuple(a.id for a in answers)) for n, answers in w.breadcrumb]
    assert crumbs == [("q0_acuut", ("ja",)), ("q1_onderwerp", ("slachtoffer",))]
    assert w.visited == ("q0_acuut", "q1_onderwerp", "q2_minderjarig")
    undone = w.back()
    assert undone == Step("q1_onderwerp", ("slachtoffer",))
    assert w.current.id == "q1_onderwerp"
    w.answer("locatie")  # back changes the answer
    assert w.finished and w.outcome_ids == ("alarm_112", "oov")
    w.back()
    w.back()
    assert w.outcome_ids == ()
    assert w.back() is None and w.at_start


def test_answer_validation(tree):
    w = tree.walk()
    with pytest.raises(ValidationError, match="geen antwoord"):
        w.answer("misschien")
    with pytest.raises(ValidationError, match="maar één antwoord"):
        w.answer(["ja", "nee"])
    with pytest.raises(ValidationError, match="Kies een antwoord"):
        w.answer([])
    w = walk(tree, "nee", "slachtoffer", "nee", "nee", "wil_geen_hulp")
    with pytest.raises(ValidationError, match="niet samen"):
        w.answer(["seksueel", "onbekend"])
    w.answer(["arbeid", "seksueel"])
    assert w.steps[-1].answer_ids == ("seksueel", "arbeid")  # file order
    with pytest.raises(ValidationError, match="al afgerond"):
        w.answer("ja")
    assert w.result()
    w.back()
    with pytest.raises(ValidationError, match="nog niet af"):
        w.result()


def test_inactive_answer_or_outcome_cannot_be_used(raw, contacts):
    data = copy.deepcopy(raw)
    node = next(n for n in data["nodes"] if n["id"] == "q1_onderwerp")
    node["answers"][3]["when"] = "shop_jeugd_advies"  # the anonymous tip, only when on
    t = parse_routekaart(data, PATH, contacts, {"shop_jeugd_advies": False})
    assert "anonieme_tip" not in [a.id for a in t.answers("q1_onderwerp")]
    with pytest.raises(ValidationError):
        walk(t, "nee", "anonieme_tip")


def test_from_dict_refuses_stale_or_broken_data(tree):
    w = walk(tree, "nee", "slachtoffer")
    data = w.to_dict()
    assert data["format"] == "aandacht-routewalk" and data["finished"] is False
    restored = RouteWalk.from_dict(tree, data)
    assert restored.current.id == "q2_minderjarig"
    stale = copy.deepcopy(data)
    stale["steps"][1]["answers"] = ["verdwenen"]
    with pytest.raises(ValidationError, match="past niet"):
        RouteWalk.from_dict(tree, stale)
    skipped = copy.deepcopy(data)
    del skipped["steps"][0]
    with pytest.raises(ValidationError, match="past niet"):
        RouteWalk.from_dict(tree, skipped)
    for broken in (None, [], {"format": "x"}, {"format": "aandacht-routewalk", "steps": "x"},
                   {"format": "aandacht-routewalk", "steps": [{"node": 1, "answers": []}]}):
        with pytest.raises(ValidationError, match="onleesbaar"):
            RouteWalk.from_dict(tree, broken)


def test_settings_are_checked(tree):
    with pytest.raises(ValidationError, match="Onbekende instelling"):
        tree.with_settings({"bestaat_niet": True})
    with pytest.raises(ValidationError, match="aan of uit"):
        tree.with_settings({"shop_toestemming_route": "ja"})
    with pytest.raises(ValidationError, match="niet leeg"):
        tree.with_settings({"oov_grondslag_artikel": "  "})
    t = tree.with_settings({"oov_grondslag_artikel": "art. 33 UAVG (bevestigd door de FG)"})
    assert "art. 33 UAVG (bevestigd door de FG)" in t.outcome("oov").ground


# --- mutated content is rejected precisely -----------------------------------------------


def mutate(raw, fn):
    data = copy.deepcopy(raw)
    fn(data)
    return data


def node(data, node_id):
    return next(n for n in data["nodes"] if n["id"] == node_id)


def answer(data, node_id, answer_id):
    return next(a for a in node(data, node_id)["answers"] if a["id"] == answer_id)


def rejected(raw, contacts, fn) -> str:
    with pytest.raises(ContentError) as info:
        parse_routekaart(mutate(raw, fn), PATH, contacts)
    msg = str(info.value)
    assert msg.startswith(f"{PATH}: ")  # the file is named
    return msg


def test_rejects_dangling_next(raw, contacts):
    msg = rejected(raw, contacts,
                   lambda d: answer(d, "q3_afhankelijkheid", "ja").update(next="q9_weg"))
    assert "vraag 'q3_afhankelijkheid', antwoord 'ja'" in msg and "'q9_weg'" in msg


def test_rejects_dangling_outcome(raw, contacts):
    msg = rejected(raw, contacts,
                   lambda d: answer(d, "q0_acuut", "ja").update(adds=["alarm_113"]))
    assert "vraag 'q0_acuut', antwoord 'ja'" in msg and "'alarm_113'" in msg


def test_rejects_cycle(raw, contacts):
    msg = rejected(raw, contacts,
                   lambda d: answer(d, "q3_afhankelijkheid", "nee").update(next="q1_onderwerp"))
    assert "kring" in msg
    assert "q1_onderwerp → q2_minderjarig → q3_afhankelijkheid → q1_onderwerp" in msg
    assert "vraag 'q3_afhankelijkheid', antwoord 'nee'" in msg


def test_rejects_missing_outcome(raw, contacts):
    def fn(d):
        answer(d, "q1_onderwerp", "locatie")["adds"] = []
    msg = rejected(raw, contacts, fn)
    assert "eindigt zonder ontvanger" in msg
    assert "q0_acuut (nee) → q1_onderwerp (locatie)" in msg
    assert "vraag 'q1_onderwerp', antwoord 'locatie'" in msg


def test_rejects_path_without_outcome_under_a_setting(raw, contacts):
    def fn(d):
        answer(d, "q2_minderjarig", "ja")["adds"] = ["shop_jeugd_advies"]
        d["outcomes"].pop("vt_minderjarig")
    msg = rejected(raw, contacts, fn)
    assert "eindigt zonder ontvanger" in msg and "shop_jeugd_advies uit" in msg


def test_rejects_unknown_recipient(raw, contacts):
    msg = rejected(raw, contacts, lambda d: d["outcomes"]["nla"].update(contact="inspectie_x"))
    assert "uitkomst 'nla'" in msg and "'inspectie_x'" in msg and "sociale kaart" in msg


def test_rejects_unknown_keys(raw, contacts):
    assert "onbekende sleutel(s) nxt in vraag 'q0_acuut', antwoord 'nee'" in rejected(
        raw, contacts, lambda d: answer(d, "q0_acuut", "nee").update(nxt="q1_onderwerp"))
    assert "in vraag 'q2b_amv'" in rejected(
        raw, contacts, lambda d: node(d, "q2b_amv").update(hulp="x"))
    assert "in uitkomst 'oov'" in rejected(
        raw, contacts, lambda d: d["outcomes"]["oov"].update(grond="x"))
    assert "in het bestand" in rejected(raw, contacts, lambda d: d.update(begin="q0_acuut"))
    assert "instelling 'art162_sv_check'" in rejected(
        raw, contacts, lambda d: d["settings"]["art162_sv_check"].update(standaard="x"))


def test_rejects_unreachable_node(raw, contacts):
    def fn(d):
        extra = copy.deepcopy(node(d, "q3_afhankelijkheid"))
        extra["id"] = "q3_los"
        d["nodes"].append(extra)
    msg = rejected(raw, contacts, fn)
    assert "vraag 'q3_los'" in msg and "nooit te bereiken" in msg


def test_rejects_other_content_errors(raw, contacts):
    cases = [
        (lambda d: d["nodes"].append(copy.deepcopy(d["nodes"][0])),
         "vraag 'q0_acuut' staat er meer dan eens in"),
        (lambda d: answer(d, "q5_vorm_volwassen", "arbeid").update(next="q4a_verblijf"),
         "vraag 'q5_vorm_volwassen' is een meerkeuzevraag"),
        (lambda d: d["outcomes"]["oov"].update(ground="{onbekend_artikel}"),
         "uitkomst 'oov': '{onbekend_artikel}'"),
        (lambda d: d["outcomes"]["shop_toestemming"].update(when="shop_route_x"),
         "uitkomst 'shop_toestemming': 'when' noemt de onbekende instelling 'shop_route_x'"),
        (lambda d: d["outcomes"]["shop_toestemming"].update(when="oov_grondslag_artikel"),
         "geen aan/uit-instelling"),
        (lambda d: d["outcomes"]["nla"].update(handover="nla"), "uitkomst 'nla': 'handover'"),
        (lambda d: d["outcomes"]["nla"].update(personal_data="soms"),
         "uitkomst 'nla': 'personal_data'"),
        (lambda d: d["outcomes"]["nla"].update(never=[]), "uitkomst 'nla': 'never'"),
        (lambda d: d["outcomes"]["oov"].update(covered_by=["oov_locatie"]),
         "uitkomst 'oov' dekt via 'covered_by' zichzelf af"),
        (lambda d: d["outcomes"].update(extra=copy.deepcopy(d["outcomes"]["nla"])),
         "uitkomst 'extra' wordt door geen enkel antwoord gebruikt"),
        (lambda d: d.update(start="q7"), "'start' verwijst naar de onbekende vraag 'q7'"),
        (lambda d: answer(d, "q0_acuut", "ja").update(exclusive=True),
         "vraag 'q0_acuut', antwoord 'ja': 'exclusive' kan alleen"),
        (lambda d: d.pop("source"), "[source]"),
        (lambda d: node(d, "q1_onderwerp").update(question=""),
         "vraag 'q1_onderwerp': 'question' ontbreekt"),
    ]
    for fn, expected in cases:
        assert expected in rejected(raw, contacts, fn)


def test_no_answer_left_under_a_setting_is_rejected(raw, contacts):
    def fn(d):
        for a in node(d, "q4a_verblijf")["answers"]:
            a["when"] = "shop_toestemming_route"
    msg = rejected(raw, contacts, fn)
    assert "vraag 'q4a_verblijf' heeft geen enkel antwoord over" in msg


def test_broken_toml_file_names_the_file(tmp_path, contacts):
    bad = tmp_path / "routekaart.toml"
    bad.write_text("version = 1\n[source\n", "utf-8")
    with pytest.raises(ContentError, match=re.escape(str(bad))):
        load_routekaart(bad, contact_ids=contacts)


def test_case_hints_prefill_a_new_case(tree):
    from aandacht.domain.case import Form, Minor, Subject

    w = walk(tree, "nee", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf",
             ["seksueel", "arbeid"])
    assert w.case_hints() == {"subject": Subject.SLACHTOFFER, "minor": Minor.NEE,
                              "forms": frozenset({Form.SEKSUEEL, Form.ARBEID})}
    assert walk(tree, "ja", "locatie").case_hints() == {"subject": Subject.LOCATIE}


def test_rejects_unknown_case_hint(raw, contacts):
    msg = rejected(raw, contacts,
                   lambda d: answer(d, "q2_minderjarig", "ja").update(case={"minor": "soms"}))
    assert "vraag 'q2_minderjarig', antwoord 'ja': 'case' bevat een onbekende waarde" in msg
