"""The signalenlijst: stable codes, lists per form, search, and a strict parser."""

from __future__ import annotations

import copy
import re
import tomllib

import pytest

from aandacht.content import content_path
from aandacht.domain.errors import ContentError
from aandacht.domain.signals import load_signalen, parse_signalen


@pytest.fixture(scope="module")
def raw() -> dict:
    return tomllib.loads(content_path("signalen.toml").read_text("utf-8"))


@pytest.fixture(scope="module")
def sig(raw):
    return parse_signalen(raw, "signalen.toml")


def test_forms_and_counts_follow_the_brief(sig):
    assert [f.id for f in sig.forms] == ["algemeen", "seksueel", "arbeid", "crimineel"]
    assert [len(f.indicators) for f in sig.forms] == [12, 14, 14, 12]
    assert [g.code for g in sig.groups] == [f"KWB-0{i}" for i in range(1, 7)]
    assert sig.source["title"] and "Arbeidsinspectie" in sig.source["reference"]
    assert "Eén signaal bewijst niets" in sig.caution


def test_codes_are_stable_and_numbered_in_order(sig):
    for form in sig.forms:
        codes = [i.code for i in form.indicators]
        assert codes == [f"{form.prefix}-{n:02d}" for n in range(1, len(codes) + 1)]
        assert all(re.fullmatch(r"[A-Z]{3}-\d{2}", c) for c in codes)


def test_lookup_and_labels(sig):
    assert sig.indicator("SEK-03").form_id == "seksueel"
    assert "verborgen plekken" in sig.label("SEK-03")
    assert sig.label("KWB-03").startswith("Mensen met een lichte verstandelijke beperking")
    assert sig.label("XYZ-01") == "(code niet in de huidige signalenlijst)"
    assert sig.indicator("XYZ-01") is None
    assert [i.code for i in sig.forms[1].indicators if i.minors] == ["SEK-13", "SEK-14"]


@pytest.mark.parametrize("case_forms,expected", [
    ({"arbeid"}, ["algemeen", "arbeid"]),
    ({"seksueel", "crimineel"}, ["algemeen", "seksueel", "crimineel"]),
    ({"onbekend"}, ["algemeen", "seksueel", "arbeid", "crimineel"]),
    ({"orgaanhandel"}, ["algemeen", "seksueel", "arbeid", "crimineel"]),
    ({"orgaanhandel", "arbeid"}, ["algemeen", "arbeid"]),
])
def test_forms_for_case(sig, case_forms, expected):
    assert [f.id for f in sig.forms_for(case_forms)] == expected


def test_search_is_accent_and_case_insensitive(sig):
    assert [i.code for i in sig.search("GEINTIMIDEERD")] == ["ARB-10"]
    assert [i.code for i in sig.search("sek-03")] == ["SEK-03"]
    both = [i.code for i in sig.search("paspoort")]
    assert both == ["ALG-03", "ARB-04"]
    assert [i.code for i in sig.search("paspoort werkgever")] == ["ARB-04"]
    # The form label is searchable, and a search can be limited to some forms.
    assert len(sig.search("criminele uitbuiting")) == 12
    assert [i.code for i in sig.search("paspoort", sig.forms_for({"seksueel"}))] == ["ALG-03"]
    assert len(sig.search("")) == 52


def test_loader_default_path():
    assert load_signalen().version == 1


def _form(d, fid):
    return next(f for f in d["forms"] if f["id"] == fid)


MUTATIONS = [
    ("version", lambda d: d.pop("version"), "'version' (een geheel getal) ontbreekt"),
    ("source", lambda d: d.pop("source"), "de tabel [source]"),
    ("top-key", lambda d: d.update(lijst=1), "onbekende sleutel(s) lijst in het bestand"),
    ("form-key", lambda d: _form(d, "arbeid").update(kleur="x"),
     "onbekende sleutel(s) kleur in [[forms]] nr. 3"),
    ("dup-code", lambda d: _form(d, "arbeid")["indicators"][1].update(code="ARB-01"),
     "code 'ARB-01' komt twee keer voor"),
    ("dup-group", lambda d: d["groups"][1].update(code="KWB-01"),
     "code 'KWB-01' komt twee keer voor"),
    ("wrong-prefix", lambda d: _form(d, "arbeid")["indicators"][0].update(code="SEK-99"),
     "code 'SEK-99' in signaal nr. 1 van [[forms]] 'arbeid' begint niet met 'ARB-'"),
    ("bad-code", lambda d: _form(d, "arbeid")["indicators"][0].update(code="ARB-1"),
     "code 'ARB-1' in signaal nr. 1 van [[forms]] 'arbeid' heeft niet de vorm ABC-01"),
    ("missing-text", lambda d: _form(d, "crimineel")["indicators"][4].pop("text"),
     "'text' ontbreekt in signaal CRI-05"),
    ("indicator-key", lambda d: _form(d, "crimineel")["indicators"][4].update(bron="x"),
     "onbekende sleutel(s) bron in signaal nr. 5 van [[forms]] 'crimineel'"),
    ("dup-form", lambda d: _form(d, "crimineel").update(id="arbeid"),
     "de lijst-id 'arbeid' komt twee keer voor"),
    ("case-form", lambda d: _form(d, "crimineel").update(case_forms=["drugs"]),
     "onbekende vorm(en) drugs in 'case_forms' van [[forms]] 'crimineel'"),
    ("no-general", lambda d: _form(d, "algemeen").update(case_forms=["onbekend"]),
     "er is geen algemene lijst"),
    ("empty-form", lambda d: _form(d, "arbeid").update(indicators=[]),
     "[[forms]] 'arbeid' heeft geen signalen"),
    ("minors-type", lambda d: _form(d, "seksueel")["indicators"][12].update(minors="ja"),
     "'minors' bij SEK-13 moet true of false zijn"),
    ("group-prefix", lambda d: d["groups"][0].update(code="GRP-01"),
     "code 'GRP-01' in [[groups]] nr. 1 begint niet met 'KWB-'"),
    ("form-prefix", lambda d: _form(d, "arbeid").update(prefix="KWB"),
     "'prefix' in [[forms]] 'arbeid' moet drie hoofdletters zijn"),
]


@pytest.mark.parametrize("name,mutate,message", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutations_rejected(raw, name, mutate, message):
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(ContentError) as err:
        parse_signalen(data, "resources/content/signalen.toml")
    assert str(err.value).startswith("resources/content/signalen.toml: ")
    assert message in str(err.value)
