"""Handover forms, grounds, field selection and the disclosure hash chain (no Qt)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aandacht.domain.case import DETAIL_FIELDS, Case, Form, Minor
from aandacht.domain.errors import ContentError, NotAllowed, ValidationError
from aandacht.domain.handover import (
    ALLOWED,
    GENESIS_HASH,
    GROUND_KINDS,
    NEEDS_GROUND,
    NEVER,
    NOT_KNOWN,
    SHEET_ALPHABET,
    DisclosureRecord,
    Ground,
    SheetSelection,
    allowed_fields,
    build_sheet_values,
    chain_record,
    check_ground_for_form,
    content_hash,
    default_selection,
    handover_dir,
    load_form,
    load_forms,
    new_sheet_number,
    record_hash,
    select_fields,
    validate_sheet_inputs,
    verify_chain,
)

FORMS = load_forms()
NOW = dt.datetime(2025, 11, 20, 10, 30)

DETAILS = {
    "toestemming": {"obtained_on": "2025-11-19", "obtained_by": "Testpersoon AF Voorbeeld",
                    "told_withdrawable": True},
    "vitaal_belang": {"incapacity": "Verward na een incident, niet aanspreekbaar.",
                      "urgent_need": "Medische zorg en een veilige plek, vandaag.",
                      "no_lighter_route": "Anoniem advies geeft vandaag geen opvang."},
    "privacytoets_ondermijning": {"task": "Bibob-toets exploitatievergunning",
                                  "necessity": "Zonder identiteit kan de toets niet."},
    "verenigbaarheidstoets": {"original_purpose": "Hulpverlening", "new_purpose": "Sluiting pand",
                              "assessment": "Nauw verband; sluiting raakt de persoon direct."},
}


def make_ground(kind: str, recipient: str, fields=(), **changes) -> Ground:
    details = dict(DETAILS[kind])
    if kind == "toestemming":
        details["fields"] = list(fields)
    values = dict(kind=kind, recipient=recipient, decided_by="Testpersoon AF Voorbeeld",
                  motivation="De persoon heeft dringend hulp nodig en kan niet zelf beslissen.",
                  recorded_at=NOW, details=details)
    values.update(changes)
    return Ground(**values)


def consentable(form) -> list[str]:
    return [f.id for f in form.fields if "toestemming" in f.grounds]


def ground_for(form, kind: str) -> Ground:
    return make_ground(kind, form.id, consentable(form) if kind == "toestemming" else ())


# --- the shipped forms ---------------------------------------------------------------


def test_loader_finds_every_form_file():
    files = sorted(handover_dir().glob("*.toml"))
    assert {load_form(f).id for f in files} == set(FORMS) >= {"shop", "oov"}


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_every_detail_field_is_decided_exactly_once(form_id):
    form = FORMS[form_id]
    sources = [f.source for f in form.fields]
    for spec in DETAIL_FIELDS:
        assert sources.count(spec.key) == 1, spec.key


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_special_categories_never_allowed_by_default(form_id):
    form = FORMS[form_id]
    specials = {f.key for f in DETAIL_FIELDS if f.special is not None}
    for rule in form.fields:
        if rule.source in specials:
            assert rule.rule != ALLOWED, rule.id


def _rule_for(form, source):
    return next(f for f in form.fields if f.source == source)


def test_shop_never_fields_per_brief_e1():
    shop = FORMS["shop"]
    for source in ("persoon.strafrechtelijk", "object.verdachte_naam",
                   "object.verdachte_geboortedatum", "object.verdachte_rol",
                   "persoon.seksueel_leven"):
        assert _rule_for(shop, source).rule == NEVER, source
    labels = {f.label for f in shop.by_rule(NEVER)}
    assert "BSN" in labels
    assert all(f.reason for f in shop.by_rule(NEVER))


def test_oov_never_fields_per_brief_e2():
    oov = FORMS["oov"]
    for source in ("persoon.gezondheid", "persoon.seksueel_leven", "persoon.verblijfsstatus"):
        assert _rule_for(oov, source).rule == NEVER, source
    assert "BSN" in {f.label for f in oov.by_rule(NEVER)}
    for source in ("object.verdachte_naam", "object.verdachte_geboortedatum"):
        assert _rule_for(oov, source).grounds == ("privacytoets_ondermijning",)


def test_minimal_sheets_carry_no_identifying_victim_data():
    shop = FORMS["shop"]
    identifying = {f.key for f in DETAIL_FIELDS if f.identifying}
    for rule in shop.by_rule(ALLOWED):
        assert rule.source not in identifying, rule.id
    oov = FORMS["oov"]
    for rule in oov.by_rule(ALLOWED):
        assert not rule.source.startswith("persoon."), rule.id


# --- inclusion per field, per ground, exactly as the files say ---------------------------

SCENARIOS = ["geen"] + list(GROUND_KINDS) + ["alle"]
CASES = [(fid, f.id, sc) for fid, form in sorted(FORMS.items()) for f in form.fields
         for sc in SCENARIOS]


def _grounds(form, scenario):
    if scenario == "geen":
        return []
    kinds = list(GROUND_KINDS) if scenario == "alle" else [scenario]
    return [ground_for(form, k) for k in kinds]


@pytest.mark.parametrize(("form_id", "field_id", "scenario"), CASES)
def test_field_inclusion_matches_the_form_file(form_id, field_id, scenario):
    form = FORMS[form_id]
    rule = form.field(field_id)
    grounds = _grounds(form, scenario)
    kinds = {g.kind for g in grounds}
    expected = rule.rule == ALLOWED or (rule.rule == NEEDS_GROUND
                                        and bool(kinds & set(rule.grounds)))
    assert (field_id in allowed_fields(form, grounds)) is expected
    if expected:
        sel = select_fields(form, grounds, {field_id})
        assert sel.fields == (field_id,)
        if rule.rule == NEEDS_GROUND:
            assert sel.unlocked_by[field_id].kind in rule.grounds
    else:
        with pytest.raises(NotAllowed):
            select_fields(form, grounds, {field_id})
    assert (field_id in default_selection(form)) is (rule.rule == ALLOWED)


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_grounds_for_another_recipient_or_withdrawn_unlock_nothing(form_id):
    form = FORMS[form_id]
    other = "oov" if form_id == "shop" else "shop"
    foreign = [make_ground(k, other, consentable(form)) for k in GROUND_KINDS]
    withdrawn = [dataclasses.replace(ground_for(form, k), withdrawn_at=NOW) for k in GROUND_KINDS]
    assert allowed_fields(form, foreign) == default_selection(form)
    assert allowed_fields(form, withdrawn) == default_selection(form)


def test_consent_covers_only_the_fields_agreed_to():
    shop = FORMS["shop"]
    consent = make_ground("toestemming", "shop", ["naam"])
    assert allowed_fields(shop, [consent]) == default_selection(shop) | {"naam"}
    with pytest.raises(NotAllowed):
        select_fields(shop, [consent], {"naam", "telefoon"})


def test_consent_for_a_never_field_is_refused_and_still_unlocks_nothing():
    oov = FORMS["oov"]
    consent = make_ground("toestemming", "oov", ["gezondheid"])
    with pytest.raises(NotAllowed):
        check_ground_for_form(consent, oov)
    with pytest.raises(NotAllowed):
        select_fields(oov, [consent], {"gezondheid"})


def test_ground_kind_that_opens_nothing_on_this_form_is_refused():
    with pytest.raises(ValidationError):
        check_ground_for_form(make_ground("privacytoets_ondermijning", "shop"), FORMS["shop"])


def test_unknown_requested_field_is_refused():
    with pytest.raises(NotAllowed):
        select_fields(FORMS["shop"], [], {"bsn_nummer"})


def test_empty_selection_is_refused():
    with pytest.raises(ValidationError):
        select_fields(FORMS["shop"], [], set())


# --- property: a `never` field never reaches a sheet ------------------------------------

ALL_FIELD_IDS = sorted({f.id for form in FORMS.values() for f in form.fields})


@st.composite
def grounds_strategy(draw):
    out = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(sorted(GROUND_KINDS)))
        recipient = draw(st.sampled_from(sorted(FORMS) + ["politie"]))
        fields = draw(st.lists(st.sampled_from(ALL_FIELD_IDS), min_size=1, max_size=12))
        g = make_ground(kind, recipient, fields)
        if draw(st.booleans()) and draw(st.booleans()):
            g = dataclasses.replace(g, withdrawn_at=NOW)
        out.append(g)
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form_id=st.sampled_from(sorted(FORMS)), grounds=grounds_strategy(),
       requested=st.sets(st.sampled_from(ALL_FIELD_IDS), max_size=30))
def test_no_combination_puts_a_never_field_on_a_sheet(form_id, grounds, requested):
    form = FORMS[form_id]
    never = {f.id for f in form.by_rule(NEVER)}
    assert not (allowed_fields(form, grounds) & never)
    try:
        sel = select_fields(form, grounds, requested)
    except (NotAllowed, ValidationError):
        return
    assert not (set(sel.fields) & never)
    for fid in sel.fields:
        rule = form.field(fid)
        if rule.rule == NEEDS_GROUND:
            g = sel.unlocked_by[fid]
            assert g.active and g.recipient == form.id and g.kind in rule.grounds


def test_a_hand_made_selection_with_a_never_field_is_refused_when_built():
    shop = FORMS["shop"]
    crafted = SheetSelection("shop", shop.version, ("vormen", "eigen_strafrechtelijk"), {}, ())
    case = Case(1, "Casus Zilverreiger", dt.date(2025, 1, 1))
    with pytest.raises(NotAllowed):
        build_sheet_values(shop, case, crafted, {"request_type": "advies"})
    sneaky = SheetSelection("shop", shop.version, ("vormen", "naam"), {}, ())
    with pytest.raises(NotAllowed):
        build_sheet_values(shop, case, sneaky, {"request_type": "advies"})


# --- grounds ----------------------------------------------------------------------------


@pytest.mark.parametrize("motivation", ["", "   ", "\n\t", "ok", "zie boven"])
def test_ground_without_real_motivation_is_refused(motivation):
    with pytest.raises(ValidationError) as err:
        make_ground("vitaal_belang", "shop", motivation=motivation)
    assert err.value.field == "motivation"
    assert "motivering" in str(err.value).lower()


@pytest.mark.parametrize("kind", sorted(GROUND_KINDS))
def test_each_required_detail_is_enforced(kind):
    for spec in GROUND_KINDS[kind].details:
        if not spec.required:
            continue
        details = dict(DETAILS[kind])
        if kind == "toestemming":
            details["fields"] = ["naam"]
        details.pop(spec.key, None)
        with pytest.raises(ValidationError):
            Ground(kind, "shop", "AF", "Motivering van voldoende lengte.", NOW, details)


def test_consent_requires_being_told_it_can_be_withdrawn():
    with pytest.raises(ValidationError) as err:
        make_ground("toestemming", "shop", ["naam"],
                    details={**DETAILS["toestemming"], "fields": ["naam"],
                             "told_withdrawable": False})
    assert "ingetrokken" in str(err.value)


def test_unknown_ground_kind_and_unknown_details_are_refused():
    with pytest.raises(ValidationError):
        Ground("gerechtvaardigd_belang", "shop", "AF", "Motivering van voldoende lengte.", NOW)
    with pytest.raises(ValidationError):
        Ground("vitaal_belang", "shop", "AF", "Motivering van voldoende lengte.", NOW,
               {**DETAILS["vitaal_belang"], "bsn": "123"})


def test_consent_date_in_the_future_is_refused():
    with pytest.raises(ValidationError):
        make_ground("toestemming", "shop", ["naam"],
                    details={**DETAILS["toestemming"], "fields": ["naam"],
                             "obtained_on": "2030-01-01"})


# --- sheet values -------------------------------------------------------------------------


def _case(**details) -> Case:
    return Case(7, "Casus Zilverreiger", dt.date(2025, 3, 4),
                forms=frozenset({Form.ARBEID, Form.SEKSUEEL}), minor=Minor.NEE, details=details)


def test_missing_values_read_niet_bekend_and_choices_their_label():
    shop = FORMS["shop"]
    sel = select_fields(shop, [], default_selection(shop))
    rows = build_sheet_values(shop, _case(**{"situatie.acuut_gevaar": "ja"}), sel,
                              {"request_type": "advies"}, today=dt.date(2025, 11, 20))
    by_id = {r.field_id: r for r in rows}
    assert by_id["acuut_gevaar"].value == "Ja"
    assert by_id["sector"].value == NOT_KNOWN
    assert by_id["soort_verzoek"].value == "Advies / sparring (anoniem)"
    assert by_id["vormen"].value == "Seksuele uitbuiting, Arbeidsuitbuiting"
    assert by_id["leeftijd"].value == "volwassen (leeftijd onbekend)"
    assert [r.field_id for r in rows] == list(sel.fields)


def test_an_anonymous_request_type_refuses_grounded_fields():
    shop = FORMS["shop"]
    assert shop.request_type("advies").minimal_only
    g = ground_for(shop, "vitaal_belang")
    sel = select_fields(shop, [g], {"vormen", "naam"})
    with pytest.raises(ValidationError) as err:
        build_sheet_values(shop, _case(), sel, {"request_type": "advies"})
    assert err.value.field == "request_type"
    rows = build_sheet_values(shop, _case(), sel, {"request_type": "zorgcoordinatie"})
    assert [r.field_id for r in rows] == ["vormen", "naam"]
    minimal = select_fields(shop, [g], {"vormen"})
    assert build_sheet_values(shop, _case(), minimal, {"request_type": "advies"})


def test_age_band_is_derived_not_the_date_of_birth():
    shop = FORMS["shop"]
    sel = select_fields(shop, [], {"leeftijd"})
    rows = build_sheet_values(shop, _case(**{"persoon.geboortedatum": "2004-06-01"}), sel,
                              {"request_type": "advies"}, today=dt.date(2025, 11, 20))
    assert rows[0].value == "18–23"
    assert "2004" not in rows[0].value


def test_sheet_inputs_are_validated():
    shop = FORMS["shop"]
    with pytest.raises(ValidationError):
        validate_sheet_inputs(shop, {})
    with pytest.raises(ValidationError):
        validate_sheet_inputs(shop, {"request_type": "onbekend_verzoek"})
    with pytest.raises(ValidationError):
        validate_sheet_inputs(shop, {"request_type": "advies", "bsn": "1"})
    with pytest.raises(ValidationError):
        validate_sheet_inputs(shop, {"request_type": "advies", "laatste_signaal": "gisteren"})
    ok = validate_sheet_inputs(shop, {"request_type": "advies", "signalen": "SU-03\x00 "})
    assert ok["signalen"] == "SU-03"


def test_sheet_numbers_are_random_and_unlinked():
    shop = FORMS["shop"]
    numbers = {new_sheet_number(shop) for _ in range(200)}
    assert len(numbers) == 200
    pattern = re.compile(rf"^SH-[{SHEET_ALPHABET}]{{4}}-[{SHEET_ALPHABET}]{{4}}$")
    assert all(pattern.match(n) for n in numbers)


# --- mutated form files --------------------------------------------------------------------


def _mutate(tmp_path: Path, name: str, old: str, new: str, count: int = 1) -> Path:
    src = (handover_dir() / name).read_text(encoding="utf-8")
    assert old in src, old
    target = tmp_path / name
    target.write_text(src.replace(old, new, count), encoding="utf-8")
    return target


MUTATIONS = [
    ("shop.toml", 'grounds = ["toestemming", "vitaal_belang"]',
     'grounds = ["toestemming", "gerechtvaardigd_belang"]'),
    ("shop.toml", 'source = "persoon.naam"', 'source = "persoon.bsn"'),
    ("shop.toml", 'source = "persoon.naam"', 'source = "case.bsn"'),
    ("shop.toml", 'source = "sheet.signalen"', 'source = "sheet.onbekend"'),
    ("oov.toml", 'source = "persoon.gezondheid"\nrule = "never"',
     'source = "persoon.gezondheid"\nrule = "allowed"'),
    ("shop.toml", 'source = "persoon.strafrechtelijk"\nrule = "never"',
     'source = "persoon.strafrechtelijk"\nrule = "allowed"'),
    ("shop.toml", 'rule = "needs_ground"', 'rule = "misschien"'),
    ("shop.toml", 'source = "persoon.naam"\nrule = "needs_ground"\n'
     'grounds = ["toestemming", "vitaal_belang"]\n',
     'source = "persoon.naam"\nrule = "needs_ground"\n'),
    ("shop.toml", 'source = "persoon.seksueel_leven"\nrule = "never"\nreason =',
     'source = "persoon.seksueel_leven"\nrule = "never"\nnote ='),
    ("shop.toml", 'reason = "Gedetailleerde seksuele voorgeschiedenis of verhaal gaat verder dan '
     'nodig (brief e.1)."\n', ""),
    ("shop.toml", 'reason = "Identificerend: alleen met toestemming van de persoon of bij vitaal '
     'belang."\n', ""),
    ("shop.toml", 'source = "persoon.seksueel_leven"', 'source = "persoon.naam"'),
    ("shop.toml", 'id = "telefoon"', 'id = "naam"'),
    ("shop.toml", 'source = "situatie.sector"\nrule = "allowed"',
     'source = "situatie.sector"\nrule = "allowed"\ngrounds = ["toestemming"]'),
    ("shop.toml", 'source = "none"\nrule = "never"', 'source = "none"\nrule = "allowed"'),
    ("shop.toml", 'source = "case.label"\nrule = "never"',
     'source = "case.label"\nrule = "allowed"'),
    ("oov.toml", "[grounds.verenigbaarheidstoets]", "[grounds.gerechtvaardigd_belang]"),
    ("oov.toml", '[grounds.privacytoets_ondermijning]\nlegal = "',
     '[grounds.privacytoets_ondermijning]\nlegel = "'),
    ("shop.toml", "version = 1", "version = \"een\""),
    ("shop.toml", '[source]\ntitle = "', '[source]\nname = "'),
    ("shop.toml", 'number_prefix = "SH"', 'number_prefix = "sh-1"'),
    ("shop.toml", 'prefill = "signalen"', 'prefill = "dossier"'),
    ("shop.toml", 'id = "laatste_signaal"\nlabel = "Datum laatste signaal"\nkind = "date"',
     'id = "laatste_signaal"\nlabel = "Datum laatste signaal"\nkind = "foto"'),
    ("shop.toml", "[recipient]", "[recipient]\nbsn_verplicht = true"),
    ("shop.toml", "minimal_only = true", 'minimal_only = "ja"'),
    ("shop.toml", 'label = "Naam of alias"', 'label = ""'),
]


@pytest.mark.parametrize(("name", "old", "new"), MUTATIONS,
                         ids=[f"{n}:{i}" for i, (n, _, _) in enumerate(MUTATIONS)])
def test_mutated_form_files_are_rejected(tmp_path, name, old, new):
    path = _mutate(tmp_path, name, old, new)
    with pytest.raises(ContentError) as err:
        load_form(path)
    assert str(path) in str(err.value)


def test_a_form_missing_a_detail_field_is_rejected(tmp_path):
    src = (handover_dir() / "oov.toml").read_text(encoding="utf-8")
    block = re.search(r'\[\[sections\.fields\]\]\nid = "kenteken"\n(?:[^\[]*\n)', src).group(0)
    (tmp_path / "oov.toml").write_text(src.replace(block, ""), encoding="utf-8")
    with pytest.raises(ContentError, match="object.kenteken"):
        load_form(tmp_path / "oov.toml")


def test_broken_toml_and_duplicate_recipients_are_rejected(tmp_path):
    (tmp_path / "kapot.toml").write_text("version = [", encoding="utf-8")
    with pytest.raises(ContentError):
        load_forms(tmp_path)
    (tmp_path / "kapot.toml").unlink()
    shutil.copy(handover_dir() / "shop.toml", tmp_path / "shop.toml")
    shutil.copy(handover_dir() / "shop.toml", tmp_path / "shop_kopie.toml")
    with pytest.raises(ContentError, match="shop"):
        load_forms(tmp_path)


def test_a_new_recipient_is_just_a_new_file(tmp_path):
    src = (handover_dir() / "shop.toml").read_text(encoding="utf-8")
    src = src.replace('id = "shop"', 'id = "shop_jeugd"').replace('short = "SHOP"',
                                                                   'short = "SHOP Jeugd"')
    shutil.copy(handover_dir() / "shop.toml", tmp_path / "shop.toml")
    (tmp_path / "shop_jeugd.toml").write_text(src, encoding="utf-8")
    assert set(load_forms(tmp_path)) == {"shop", "shop_jeugd"}


def test_empty_form_folder_is_an_error(tmp_path):
    with pytest.raises(ContentError):
        load_forms(tmp_path)


# --- the hash chain -----------------------------------------------------------------------


def _chain(n: int = 6) -> list[DisclosureRecord]:
    records: list[DisclosureRecord] = []
    prev = None
    for i in range(n):
        content = {"recipient": "shop" if i % 2 else "oov", "fields": ["vormen", "sector"],
                   "sheet_number": f"SH-AAAA-{i:04d}", "note": "Zilverreiger ë"}
        prev = chain_record(prev, content, f"2025-11-{i + 1:02d}T10:00:00", 10 + i)
        records.append(prev)
    return records


def test_an_untouched_chain_verifies_and_links_to_genesis():
    chain = _chain()
    assert verify_chain(chain) is None
    assert verify_chain([]) is None
    assert chain[0].prev_hash == GENESIS_HASH
    assert chain[0].record_hash == record_hash(GENESIS_HASH, chain[0].content_hash, 1)
    assert chain[0].content_hash == content_hash(chain[0].content)


@pytest.mark.parametrize("target", range(6))
@pytest.mark.parametrize("what", ["content", "content_hash", "prev_hash", "record_hash", "seq"])
def test_tampering_with_any_record_is_found_at_that_record(target, what):
    chain = _chain()
    rec = chain[target]
    if what == "content":
        changed = dataclasses.replace(rec, content=rec.content.replace("vormen", "naam"))
    elif what == "seq":
        changed = dataclasses.replace(rec, seq=rec.seq + 10)
    else:
        value = getattr(rec, what)
        changed = dataclasses.replace(rec, **{what: ("f" if value[0] != "f" else "e") + value[1:]})
    chain[target] = changed
    assert verify_chain(chain) == target + 1


def test_rewriting_content_with_fresh_hashes_breaks_the_next_link():
    chain = _chain()
    forged = chain_record(chain[1], {"recipient": "shop", "fields": []}, "2025-11-03", 12)
    chain[2] = forged
    assert verify_chain(chain) == 4


def test_deleting_or_reordering_records_is_found():
    chain = _chain()
    assert verify_chain(chain[:2] + chain[3:]) == 3
    assert verify_chain([chain[1], chain[0]] + chain[2:]) == 1


def test_tombstoned_records_still_verify_but_bare_removal_does_not():
    chain = _chain()
    chain[2] = dataclasses.replace(chain[2], content=None, case_id=None,
                                   tombstoned_on="2026-01-01",
                                   tombstone='{"reden":"bewaartermijn"}')
    assert verify_chain(chain) is None
    chain[3] = dataclasses.replace(chain[3], content=None)
    assert verify_chain(chain) == 4
