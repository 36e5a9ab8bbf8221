"""The meldcode walk as plain data: content validation, step validation, the afwegingskader."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aandacht.content import content_path
from aandacht.domain import meldcode as mc
from aandacht.domain.errors import ContentError, NotAllowed, ValidationError
from aandacht.domain.signals import load_signalen

NOW = dt.datetime(2024, 5, 6, 10, 30)
TODAY = NOW.date()


@pytest.fixture(scope="module")
def raw() -> dict:
    return tomllib.loads(content_path("meldcode.toml").read_text("utf-8"))


@pytest.fixture(scope="module")
def content(raw) -> mc.Meldcode:
    return mc.parse_meldcode(raw, "meldcode.toml")


@pytest.fixture(scope="module")
def signalen():
    return load_signalen()


CONTENT = mc.load_meldcode()

STEP1 = {
    "rol": "eigen", "datum": "2024-04-02", "tijd": "14:00", "waarnemer": "Wmo-consulent",
    "signalen": ["ALG-03", "ARB-04"], "kwetsbaar": ["KWB-01"],
    "waarnemingen": [
        {"soort": "feit", "tekst": "Werkgever bewaart de paspoorten van vier werknemers.",
         "bron": "eigen"},
        {"soort": "interpretatie", "tekst": "Mogelijk schuld bij de ronselaar.",
         "bron": "derde", "derde": "buurtwerker"},
    ],
    "contra": "Werknemer zegt zelf vrij te kunnen vertrekken.",
    "minderjarig": "nee", "kinderen": "nee",
}
STEP2 = {
    "consultaties": [{"datum": "2024-04-03", "met": "veilig_thuis", "functie": "adviseur",
                      "anoniem": True, "advies": "Zorgen delen met de zorgcoördinator."}],
    "coordinatie": "Aandachtsfunctionaris",
    "afspraken": [{"wat": "Contact met SHOP", "wie": "AF", "datum": "2024-06-01"}],
}
STEP3 = {"datum": "2024-04-05", "deelnemers": "AF en Wmo-consulent", "tolk": True,
         "tolk_herkomst": "Tolkendienst", "tolk_onafhankelijk": "ja",
         "reactie": "Wil eerst nadenken."}
STEP4 = {"weging": "Meerdere signalen van arbeidsuitbuiting.", "vt_advies": True}


def answer(value: str, criteria=()) -> dict:
    return {"answer": value, "reasoning": f"Toelichting bij {value}.", "criteria": list(criteria)}


STEP4_AN = {**STEP4, "A1": answer("ja"), "A2": answer("nee")}


def walk_to(content, steps: int, state=None) -> mc.MeldcodeState:
    state = state or mc.new_state(content)
    for sid, values in list(zip(("signalen", "consultatie", "gesprek", "wegen"),
                                (STEP1, STEP2, STEP3, STEP4_AN)))[:steps]:
        mc.complete_step(content, state, sid, values, now=NOW)
    return state


# --- every path through the afwegingskader, taken from the content file -------------


def kader_paths(content: mc.Meldcode) -> list[list[tuple[str, str]]]:
    """Every sequence of answers the content allows, incl. stopping where it is optional."""
    paths: list[list[tuple[str, str]]] = []

    def walk(q: mc.Question, prefix, optional: bool):
        if optional:
            paths.append(list(prefix))  # the AF may stop here
        for a in q.answers:
            here = prefix + [(q.id, a.value)]
            if a.next:
                walk(content.question(a.next), here, optional or a.next_optional)
            else:
                paths.append(here)

    walk(content.first_question, [], False)
    return paths


PATHS = kader_paths(CONTENT)


def _path_id(p):
    return "-".join(f"{q}{v}" for q, v in p)


def _criteria_for(content, qid, value):
    q = content.question(qid)
    a = q.answer(value)
    return [q.criteria[0].id] if a.requires_criteria else []


@pytest.mark.parametrize("path", PATHS, ids=[_path_id(p) for p in PATHS])
def test_every_kader_path_ends_in_a_consistent_decision(content, path):
    state = walk_to(content, 3)
    step4 = dict(STEP4)
    step5_answers = {}
    for qid, value in path:
        target = step4 if content.question(qid).step == "wegen" else step5_answers
        target[qid] = answer(value, _criteria_for(content, qid, value))
    mc.complete_step(content, state, "wegen", step4, now=NOW)
    result = mc.state_kader(content, state, override=("beslissen", step5_answers))
    outcomes = [content.outcome(content.question(q).answer(v).outcome)
                for q, v in path if content.question(q).answer(v).outcome]
    must_report = any(o.melden == "verplicht" for o in outcomes)

    assert result.decided
    assert (result.melden == "verplicht") == must_report
    options = {c.value for c in mc.decision_options(content, state, "melden", step5_answers)}
    assert ("nee" in options) == (not must_report)
    mc.save_draft(content, state, "beslissen", step5_answers)
    if must_report:
        assert mc.status_line(state, content) == "Meldcode: stap 5 — melden vereist"

    # A decision against the kader is refused with a message.
    hulp_opts = [c.value for c in mc.decision_options(content, state, "hulp", step5_answers)]
    base5 = {**step5_answers, "hulp": hulp_opts[0], "onderbouwing": "Zie afweging.",
             "traject": "afgesloten", "afsluiting": "Overgedragen.",
             "eigen_hulp": "Gesprekken bij de Wmo.", "vooraf_hoe": "Telefonisch."}
    if must_report:
        with pytest.raises(ValidationError) as err:
            mc.complete_step(content, state, "beslissen", {**base5, "melden": "nee"}, now=NOW)
        assert "Melden bij Veilig Thuis is vereist" in str(err.value)
        assert err.value.field == "melden"
    chosen = "ja" if must_report else "nee"
    extra = {"melding_datum": "2024-05-01", "wat_gemeld": "Signalen stap 1",
             "vooraf_ingelicht": "nee_onveilig"} if chosen == "ja" else {}
    rec = mc.complete_step(content, state, "beslissen", {**base5, "melden": chosen, **extra},
                           now=NOW)
    assert rec.first_time
    assert mc.next_step(content, state) is None
    line = mc.status_line(state, content)
    assert line.startswith("Meldcode: afgerond — ")
    assert ("gemeld bij Veilig Thuis" in line) == must_report


# Explicit expectations from brief a.3, independent of the enumeration above.
EXPECTED = [
    ([("A1", "nee")], "niet_nodig", "geen_vermoeden"),
    ([("A1", "ja"), ("A2", "ja")], "verplicht", "melden_onveilig"),
    ([("A1", "ja"), ("A2", "nee"), ("A3", "nee")], "verplicht", "melden_geen_hulp"),
    ([("A1", "ja"), ("A2", "nee"), ("A3", "ja"), ("A4", "nee")], "verplicht",
     "melden_niet_aanvaard"),
    ([("A1", "ja"), ("A2", "nee"), ("A3", "ja"), ("A4", "ja"), ("A5", "nee")], "verplicht",
     "melden_niet_duurzaam"),
    ([("A1", "ja"), ("A2", "nee"), ("A3", "ja"), ("A4", "ja"), ("A5", "ja")], "niet_nodig",
     "hulp_monitoren"),
]


@pytest.mark.parametrize("path,melden,final", EXPECTED, ids=[e[2] for e in EXPECTED])
def test_brief_outcomes(content, path, melden, final):
    result = mc.kader(content, {q: {"answer": v} for q, v in path})
    assert result.melden == melden
    assert result.final.id == final


def test_a2_yes_leaves_a3_to_a5_optional_but_melden_required(content):
    result = mc.kader(content, {"A1": {"answer": "ja"}, "A2": {"answer": "ja"}})
    assert result.pending.id == "A3" and not result.pending_required
    assert result.melden == "verplicht" and result.hulp == "open"
    both = mc.kader(content, {"A1": {"answer": "ja"}, "A2": {"answer": "ja"},
                              "A3": {"answer": "ja"}, "A4": {"answer": "ja"},
                              "A5": {"answer": "ja"}})
    assert both.melden == "verplicht" and both.hulp == "ja"  # melding plus help


def test_no_suspicion_closes_the_trajectory(content):
    state = walk_to(content, 3)
    mc.complete_step(content, state, "wegen", {**STEP4, "A1": answer("nee")}, now=NOW)
    assert [c.value for c in mc.decision_options(content, state, "traject")] == ["afgesloten"]
    with pytest.raises(ValidationError, match="Het traject moet worden afgesloten") as err:
        mc.complete_step(content, state, "beslissen", {
            "melden": "nee", "hulp": "nee", "onderbouwing": "x", "traject": "loopt"}, now=NOW)
    assert err.value.field == "traject"
    # With a suspicion the AF chooses freely.
    state = walk_to(content, 4)
    assert len(mc.decision_options(content, state, "traject")) == 2


def test_optional_questions_after_a2_yes(content):
    result = mc.kader(content, {"A1": {"answer": "ja"}, "A2": {"answer": "ja"},
                                "A3": {"answer": "ja"}})
    assert result.optional_ids == {"A3", "A4"}
    result = mc.kader(content, {"A1": {"answer": "ja"}, "A2": {"answer": "nee"}})
    assert result.optional_ids == frozenset()


def test_undecided_kader(content):
    result = mc.kader(content, {"A1": {"answer": "ja"}, "A2": {"answer": "nee"}})
    assert result.pending.id == "A3" and result.pending_required
    assert result.melden is None and result.hulp is None and not result.decided


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from(["A1", "A2", "A3", "A4", "A5"]),
                       st.sampled_from(["ja", "nee", "misschien", ""])))
def test_kader_never_offers_no_melding_when_required(answers):
    state = mc.new_state(CONTENT)
    by_step = {"wegen": {}, "beslissen": {}}
    for qid, value in answers.items():
        by_step[CONTENT.question(qid).step][qid] = {"answer": value, "reasoning": "x"}
    state.step("wegen").values = by_step["wegen"]
    result = mc.state_kader(CONTENT, state, override=("beslissen", by_step["beslissen"]))
    options = {c.value for c in mc.decision_options(CONTENT, state, "melden",
                                                    by_step["beslissen"])}
    if result.melden == "verplicht":
        assert options == {"ja"}
    else:
        assert options == {"ja", "nee"}
    # The path never revisits a question.
    ids = [q.id for q, _ in result.path]
    assert len(ids) == len(set(ids))


# --- step validation -----------------------------------------------------------------


def test_required_field_message_names_field_and_reason(content):
    state = mc.new_state(content)
    values = dict(STEP1, waarnemer="  ")
    with pytest.raises(ValidationError) as err:
        mc.complete_step(content, state, "signalen", values, now=NOW)
    assert err.value.field == "waarnemer"
    assert "'Wie nam het waar (functie of rol)'" in str(err.value)
    assert "verplicht voor het meldcode-dossier" in str(err.value)
    assert not state.step("signalen").completed  # nothing recorded on failure


def test_conditional_required_explains_the_condition(content):
    state = mc.new_state(content)
    values = dict(STEP1, rol="ondersteuning")
    with pytest.raises(ValidationError) as err:
        mc.complete_step(content, state, "signalen", values, now=NOW)
    assert err.value.field == "collega"
    assert "'Rol bij deze meldcode'" in str(err.value)
    assert "Ik ondersteun een meldcodeplichtige collega" in str(err.value)


def test_list_row_problems_name_row_and_column(content):
    state = mc.new_state(content)
    rows = copy.deepcopy(STEP1["waarnemingen"])
    rows[1]["derde"] = ""
    with pytest.raises(ValidationError) as err:
        mc.complete_step(content, state, "signalen", dict(STEP1, waarnemingen=rows), now=NOW)
    assert err.value.field == "waarnemingen.2.derde"
    assert str(err.value).startswith("Regel 2 bij 'Waarnemingen': Vul 'Welke derde")
    assert "'Bron'" in str(err.value) and "'Via een derde'" in str(err.value)


def test_empty_list_and_all_problems_listed(content):
    problems = mc.check_step(content, mc.new_state(content), "signalen",
                             dict(STEP1, waarnemingen=[], datum="", kinderen="ja"), today=TODAY)
    fields = [p.field for p in problems]
    assert fields == ["datum", "waarnemingen", "kindcheck"]
    assert "Voeg ten minste één regel toe bij 'Waarnemingen'" in problems[1].message


def test_dates(content):
    state = mc.new_state(content)
    with pytest.raises(ValidationError, match="ligt in de toekomst"):
        mc.complete_step(content, state, "signalen", dict(STEP1, datum="2030-01-01"), now=NOW)
    with pytest.raises(ValidationError, match="geen geldige datum"):
        mc.complete_step(content, state, "signalen", dict(STEP1, datum="2-4-2024"), now=NOW)
    with pytest.raises(ValidationError, match="vóór 2000"):
        mc.complete_step(content, state, "signalen", dict(STEP1, datum="1999-12-31"), now=NOW)
    # Deadlines of agreements may lie ahead.
    walk_to(content, 1, state)
    mc.complete_step(content, state, "consultatie", STEP2, now=NOW)
    assert state.step("consultatie").completed


def test_unknown_signal_code_refused_with_signalenlijst(content, signalen):
    problems = mc.check_step(content, mc.new_state(content), "signalen",
                             dict(STEP1, signalen=["ALG-03", "XYZ-99"]), today=TODAY,
                             signalen=signalen)
    assert [p.message for p in problems] == [
        "Onbekende code(s) bij 'Signalen uit de signalenlijst': XYZ-99."]


def test_bad_types_refused(content):
    state = mc.new_state(content)
    with pytest.raises(ValidationError, match="ongeldige waarde"):
        mc.save_draft(content, state, "signalen", {"waarnemingen": "geen lijst"})
    with pytest.raises(ValidationError, match="ja of nee"):
        walk_to(content, 1, state)
        mc.save_draft(content, state, "consultatie",
                      {"consultaties": [{"anoniem": "ja"}]})


def test_unknown_keys_dropped_from_values(content):
    cleaned = mc.clean_values(content, "signalen", {"datum": "2024-01-01", "bsn": "123"})
    assert cleaned == {"datum": "2024-01-01"}


# --- afwegingsvragen: reasoning, criteria, contradictions --------------------------------


def test_step4_needs_a1_then_a2(content):
    state = walk_to(content, 3)
    with pytest.raises(ValidationError) as err:
        mc.complete_step(content, state, "wegen", STEP4, now=NOW)
    assert err.value.field == "A1"
    assert "Beantwoord afwegingsvraag 1" in str(err.value)
    with pytest.raises(ValidationError, match="Beantwoord afwegingsvraag 2"):
        mc.complete_step(content, state, "wegen", {**STEP4, "A1": answer("ja")}, now=NOW)
    # A1 'nee' needs no A2.
    mc.complete_step(content, state, "wegen", {**STEP4, "A1": answer("nee")}, now=NOW)


def test_answer_without_reasoning_refused(content):
    state = walk_to(content, 3)
    with pytest.raises(ValidationError, match="toelichting op uw antwoord") as err:
        mc.complete_step(content, state, "wegen",
                         {**STEP4, "A1": {"answer": "nee", "reasoning": " "}}, now=NOW)
    assert err.value.field == "A1"


def test_a2_no_with_acute_criterion_is_a_contradiction(content):
    state = walk_to(content, 3)
    values = {**STEP4, "A1": answer("ja"), "A2": answer("nee", ["disclosure"])}
    with pytest.raises(ValidationError) as err:
        mc.complete_step(content, state, "wegen", values, now=NOW)
    assert err.value.field == "A2"
    assert "spreekt elkaar tegen" in str(err.value)
    assert "spontane onthulling" in str(err.value)


def test_a2_yes_needs_a_criterion(content):
    state = walk_to(content, 3)
    with pytest.raises(ValidationError, match="om welke vorm van onveiligheid"):
        mc.complete_step(content, state, "wegen",
                         {**STEP4, "A1": answer("ja"), "A2": answer("ja")}, now=NOW)


def test_step5_cannot_say_no_melding_after_a2_yes(content):
    state = walk_to(content, 3)
    mc.complete_step(content, state, "wegen", {**STEP4, "A1": answer("ja"),
                                               "A2": answer("ja", ["structureel"])}, now=NOW)
    assert mc.status_line(state, content) == "Meldcode: stap 5 — melden vereist"
    assert [c.value for c in mc.decision_options(content, state, "melden")] == ["ja"]
    with pytest.raises(ValidationError) as err:
        mc.complete_step(content, state, "beslissen", {
            "melden": "nee", "hulp": "nee", "onderbouwing": "x", "traject": "loopt"}, now=NOW)
    assert "acute of structurele onveiligheid" in str(err.value)
    assert "'Nee, geen melding' kan hier niet worden gekozen" in str(err.value)


def test_status_line_during_step4_shows_melden_vereist(content):
    state = walk_to(content, 3)
    mc.save_draft(content, state, "wegen", {"A1": answer("ja"), "A2": answer("ja", ["geweld"])})
    assert mc.status_line(state, content) == "Meldcode: stap 4 — melden vereist"


def test_help_decision_must_match_a3_no(content):
    state = walk_to(content, 3)
    mc.complete_step(content, state, "wegen", {**STEP4, "A1": answer("ja"),
                                               "A2": answer("nee")}, now=NOW)
    values = {"A3": answer("nee"), "melden": "ja", "hulp": "ja", "onderbouwing": "x",
              "traject": "loopt", "melding_datum": "2024-05-02", "wat_gemeld": "x",
              "vooraf_ingelicht": "ja", "vooraf_hoe": "x", "eigen_hulp": "x"}
    assert [c.value for c in mc.decision_options(content, state, "hulp", values)] == ["nee"]
    with pytest.raises(ValidationError, match="besluit over hulp past niet") as err:
        mc.complete_step(content, state, "beslissen", values, now=NOW)
    assert err.value.field == "hulp"


def test_optional_a3_after_a2_yes_is_checked_when_given(content):
    state = walk_to(content, 3)
    mc.complete_step(content, state, "wegen", {**STEP4, "A1": answer("ja"),
                                               "A2": answer("ja", ["dagen"])}, now=NOW)
    base = {"melden": "ja", "hulp": "nee", "onderbouwing": "x", "traject": "loopt",
            "melding_datum": "2024-05-02", "wat_gemeld": "x", "vooraf_ingelicht": "ja",
            "vooraf_hoe": "x"}
    with pytest.raises(ValidationError, match="toelichting"):
        mc.complete_step(content, state, "beslissen",
                         {**base, "A3": {"answer": "ja", "reasoning": ""}}, now=NOW)
    mc.complete_step(content, state, "beslissen", base, now=NOW)
    assert mc.status_line(state, content) == "Meldcode: afgerond — gemeld bij Veilig Thuis"


def test_visible_questions_follow_the_answers(content):
    state = walk_to(content, 3)
    assert [q.id for q in mc.visible_questions(content, state, "wegen", {})] == ["A1"]
    vals = {"A1": answer("ja")}
    assert [q.id for q in mc.visible_questions(content, state, "wegen", vals)] == ["A1", "A2"]
    mc.complete_step(content, state, "wegen", {**STEP4, "A1": answer("ja"),
                                               "A2": answer("nee")}, now=NOW)
    assert [q.id for q in mc.visible_questions(content, state, "beslissen", {})] == ["A3"]
    vals = {"A3": answer("ja"), "A4": answer("nee"), "A5": answer("ja")}
    assert [q.id for q in mc.visible_questions(content, state, "beslissen", vals)] == \
        ["A3", "A4"]


# --- the minors hint ------------------------------------------------------------------


def test_minor_sexual_exploitation_hint(content, signalen):
    state = mc.new_state(content)
    minor_sek = mc.WalkContext(minor="ja", forms=frozenset({"seksueel"}))
    hints = mc.hints_for(content, state, "A2", minor_sek)
    assert len(hints) == 1 and "geen dwang nodig" in hints[0]
    assert mc.hints_for(content, state, "A1", minor_sek) == []
    assert mc.hints_for(content, state, "A2", mc.WalkContext("nee", frozenset({"seksueel"}))) \
        == []
    # The step-1 answer on minority overrides the case field; a SEK signal counts as form.
    arbeid = mc.WalkContext("onbekend", frozenset({"arbeid"}))
    state.step("signalen").values = {"minderjarig": "ja", "signalen": ["SEK-13"]}
    assert mc.hints_for(content, state, "A2", arbeid, signalen)
    assert mc.hints_for(content, state, "A2", arbeid) == []  # without the list: form only
    state.step("signalen").values = {"minderjarig": "nee", "signalen": ["SEK-13"]}
    assert mc.hints_for(content, state, "A2", minor_sek, signalen) == []


def test_initial_values_take_minor_from_case(content):
    assert mc.initial_values(content, "signalen", mc.WalkContext("ja")) == {"minderjarig": "ja"}
    assert mc.initial_values(content, "gesprek", mc.WalkContext("ja")) == {}


# --- skip, revise, review, navigation ------------------------------------------------


def test_step3_skipped_for_safety_needs_reason(content):
    state = walk_to(content, 2)
    with pytest.raises(ValidationError) as err:
        mc.skip_step(content, state, "gesprek", "   ", now=NOW)
    assert err.value.field == "skip_reason"
    assert "Reden om het gesprek over te slaan" in str(err.value)
    with pytest.raises(NotAllowed):
        mc.skip_step(content, state, "consultatie", "gevaar", now=NOW)
    rec = mc.skip_step(content, state, "gesprek", "Uitbuiter leest de telefoon mee.", now=NOW)
    assert rec.skipped and state.step("gesprek").skipped
    assert mc.step_status(content, state, "gesprek") == "overgeslagen"
    assert state.current == "wegen"
    # Later the conversation does take place: a revision, no longer skipped.
    rec = mc.complete_step(content, state, "gesprek", STEP3, now=NOW)
    assert not state.step("gesprek").skipped
    assert rec.revision["changes"][0]["field"] == "skip"
    assert rec.revision["changes"][0]["old"] == "Ja: Uitbuiter leest de telefoon mee."


def test_navigation_is_sequential(content):
    state = mc.new_state(content)
    assert mc.allowed_steps(content, state) == ("signalen",)
    with pytest.raises(NotAllowed, match="Stap 3 \\(Gesprek met de betrokkene\\) kan pas"):
        mc.go_to(content, state, "gesprek")
    with pytest.raises(NotAllowed):
        mc.save_draft(content, state, "wegen", {"weging": "x"})
    with pytest.raises(NotAllowed):
        mc.complete_step(content, state, "consultatie", STEP2, now=NOW)
    walk_to(content, 2, state)
    assert mc.allowed_steps(content, state) == ("signalen", "consultatie", "gesprek")
    assert mc.next_step(content, state) == "gesprek"
    assert mc.following_step(content, "gesprek") == "wegen"
    assert mc.previous_step(content, "signalen") is None
    mc.go_to(content, state, "signalen")
    assert state.current == "signalen"
    assert mc.step_status(content, state, "wegen") == "nog niet aan de beurt"


def test_revision_after_decision_marks_review(content):
    state = walk_to(content, 3)
    mc.complete_step(content, state, "wegen", {**STEP4, "A1": answer("nee")}, now=NOW)
    mc.complete_step(content, state, "beslissen", {
        "melden": "nee", "hulp": "nee", "onderbouwing": "Geen vermoeden.",
        "traject": "afgesloten", "afsluiting": "Besproken met collega."}, now=NOW)
    assert mc.status_line(state, content) == \
        "Meldcode: afgerond — afgesloten, geen melding"
    # Re-recording unchanged values is no revision.
    assert mc.complete_step(content, state, "signalen", STEP1, now=NOW).revision is None
    assert state.review is None

    later = NOW + dt.timedelta(days=2)
    changed = dict(STEP1, contra="", signalen=["ALG-03", "ARB-04", "ARB-08"])
    mc.save_draft(content, state, "signalen", changed)
    assert mc.step_status(content, state, "signalen") == "gewijzigd, nog niet vastgelegd"
    rec = mc.complete_step(content, state, "signalen", changed, now=later,
                           note="Nieuwe informatie van de woningcorporatie.")
    rev = rec.revision
    assert rev["after_decision"] and rev["on"] == "2024-05-08T10:30"
    assert rev["note"] == "Nieuwe informatie van de woningcorporatie."
    assert {c["field"] for c in rev["changes"]} == {"signalen", "contra"}
    assert state.review == {"step": "signalen", "on": "2024-05-08T10:30"}
    assert mc.status_line(state, content) == \
        "Meldcode: besluit opnieuw bekijken (stap 1 is gewijzigd)"
    assert mc.next_step(content, state) == "beslissen"
    assert mc.step_status(content, state, "beslissen") == "opnieuw bekijken"
    assert state.step("signalen").revisions == [rev]

    # Re-recording the decision clears the review.
    mc.complete_step(content, state, "beslissen", None, now=later)
    assert state.review is None
    assert mc.status_line(state, content).startswith("Meldcode: afgerond")


def test_unrecorded_change_in_earlier_step_blocks_later_recording(content):
    state = walk_to(content, 4)
    mc.save_draft(content, state, "wegen", {**STEP4_AN, "A2": answer("ja", ["geweld"])})
    mc.go_to(content, state, "beslissen")
    with pytest.raises(ValidationError, match="Stap 4 \\(Wegen\\) is gewijzigd maar nog niet "
                                              "opnieuw vastgelegd"):
        mc.complete_step(content, state, "beslissen", {
            "melden": "ja", "hulp": "nee", "onderbouwing": "x", "traject": "loopt",
            "melding_datum": "2024-05-01", "wat_gemeld": "x", "vooraf_ingelicht": "ja",
            "vooraf_hoe": "x", "A3": answer("nee")}, now=NOW)
    # Setting the draft back to what was recorded removes the block.
    mc.save_draft(content, state, "wegen", STEP4_AN)
    assert not state.step("wegen").dirty


def test_revision_before_decision_does_not_mark_review(content):
    state = walk_to(content, 2)
    rec = mc.complete_step(content, state, "signalen", dict(STEP1, tijd="15:00"), now=NOW)
    assert rec.revision["changes"] == [
        {"field": "tijd", "label": "Tijdstip (als bekend)", "old": "14:00", "new": "15:00"}]
    assert not rec.revision["after_decision"] and state.review is None


def test_answer_change_shows_in_revision(content):
    state = walk_to(content, 3)
    mc.complete_step(content, state, "wegen", {**STEP4, "A1": answer("nee")}, now=NOW)
    rec = mc.complete_step(content, state, "wegen", {**STEP4, "A1": answer("ja"),
                                                     "A2": answer("nee")}, now=NOW)
    labels = {c["label"]: c for c in rec.revision["changes"]}
    assert labels["Afwegingsvraag 1"]["old"] == "Nee, geen vermoeden — Toelichting bij nee."
    assert labels["Afwegingsvraag 2"]["old"] == ""


# --- state as data ----------------------------------------------------------------------


def test_state_round_trips_through_json(content):
    state = walk_to(content, 4)
    mc.save_draft(content, state, "beslissen", {"onderbouwing": "half af"})
    data = json.loads(json.dumps(state.to_dict()))
    back = mc.MeldcodeState.from_dict(data, content)
    assert back.to_dict() == state.to_dict()
    assert back.step("beslissen").values == {"onderbouwing": "half af"}
    assert data["steps"]["signalen"]["completed"] is True


@pytest.mark.parametrize("data", [
    None, {}, {"format": 99}, {"format": 1, "steps": {"signalen": {"values": "x"}}},
    {"format": 1, "steps": {"signalen": "kapot"}},
    {"format": 1, "steps": {"signalen": {"revisions": "x"}}},
])
def test_damaged_state_refused(content, data):
    with pytest.raises(ValidationError, match="beschadigd"):
        mc.MeldcodeState.from_dict(data, content)


def test_status_line_not_started_and_in_progress(content):
    assert mc.status_line(None, content) == "Meldcode: nog niet gestart"
    state = mc.new_state(content)
    assert mc.status_line(state, content) == "Meldcode: nog niet gestart"
    mc.save_draft(content, state, "signalen", {"datum": "2024-01-01"})
    assert mc.status_line(state, content) == "Meldcode: stap 1 — signalen in kaart brengen"
    assert mc.status_line(state) == "Meldcode: stap 1 — signalen in kaart brengen"


def test_hulp_geen_melding_status(content):
    state = walk_to(content, 3)
    mc.complete_step(content, state, "wegen", {**STEP4, "A1": answer("ja"),
                                               "A2": answer("nee")}, now=NOW)
    five = {"A3": answer("ja"), "A4": answer("ja"), "A5": answer("ja")}
    mc.save_draft(content, state, "beslissen", five)
    assert mc.status_line(state, content) == "Meldcode: stap 5 — hulp, geen melding"
    mc.complete_step(content, state, "beslissen", {
        **five, "melden": "nee", "hulp": "ja", "onderbouwing": "x", "eigen_hulp": "Wmo",
        "traject": "loopt", "monitoring": [{"wat": "Huisbezoek", "datum": "2024-07-01"}]},
        now=NOW)
    assert mc.status_line(state, content) == "Meldcode: afgerond — hulp, geen melding"
    assert mc.decision_summary(content, state) == "hulp, geen melding"


def test_observations_and_followups(content):
    facts, interp = mc.observations_text(content, "signalen", STEP1)
    assert facts == ("Werkgever bewaart de paspoorten van vier werknemers. "
                     "(bron: Eigen waarneming)")
    assert interp == "Mogelijk schuld bij de ronselaar. (bron: Via een derde, buurtwerker)"
    specs = mc.followups_from(content, "consultatie", STEP2)
    assert [(s.due_on, s.what) for s in specs] == [
        (dt.date(2024, 6, 1), "Afspraken: Contact met SHOP (eigenaar: AF)")]
    assert mc.followups_from(content, "signalen", STEP1) == []


def test_display_values(content):
    step = content.step("consultatie")
    text = mc.display_value(step.field("consultaties"), STEP2["consultaties"])
    assert text == ("1. Datum: 03-04-2024; Met wie: Veilig Thuis; Functie of organisatie: "
                    "adviseur; Anoniem (zonder naam): Ja; Advies: Zorgen delen met de "
                    "zorgcoördinator.")


# --- content mutations --------------------------------------------------------------


def _step(d, sid):
    return next(s for s in d["steps"] if s["id"] == sid)


def _q(d, qid):
    return next(q for q in d["questions"] if q["id"] == qid)


def _field(d, sid, fid):
    return next(f for f in _step(d, sid)["fields"] if f["id"] == fid)


MUTATIONS = [
    ("version", lambda d: d.pop("version"), "'version' (een geheel getal) ontbreekt"),
    ("source", lambda d: d.pop("source"), "de tabel [source]"),
    ("source-key", lambda d: d["source"].update(auteur="x"),
     "onbekende sleutel(s) auteur in [source]"),
    ("top-key", lambda d: d.update(stappen=[]), "onbekende sleutel(s) stappen in het bestand"),
    ("step-key", lambda d: _step(d, "gesprek").update(kleur="rood"),
     "onbekende sleutel(s) kleur in stap 'gesprek'"),
    ("step-dup", lambda d: d["steps"][1].update(id="signalen"),
     "stap-id 'signalen' komt twee keer voor"),
    ("step-number", lambda d: _step(d, "wegen").update(number=7),
     "stap 'wegen' heeft nummer 7, verwacht 4"),
    ("step-title", lambda d: _step(d, "wegen").pop("title"), "'title' ontbreekt in stap 'wegen'"),
    ("field-type", lambda d: _field(d, "gesprek", "deelnemers").update(type="getal"),
     "onbekend veldtype 'getal' bij veld 'deelnemers' van stap 'gesprek'"),
    ("field-key", lambda d: _field(d, "gesprek", "deelnemers").update(verplicht=True),
     "onbekende sleutel(s) verplicht in veld 'deelnemers' van stap 'gesprek'"),
    ("field-missing-label", lambda d: _field(d, "gesprek", "reactie").pop("label"),
     "'label' ontbreekt in veld 'reactie' van stap 'gesprek'"),
    ("field-dup", lambda d: _field(d, "gesprek", "reactie").update(id="datum"),
     "veld-id 'datum' komt twee keer voor (veld 'datum' van stap 'gesprek')"),
    ("when-unknown", lambda d: _field(d, "gesprek", "tolk_herkomst").update(
        when={"field": "vertaler", "equals": True}),
     "verwijst naar veld 'vertaler'"),
    ("when-value", lambda d: _field(d, "signalen", "collega").update(
        when={"field": "rol", "equals": "baas"}),
     "'when.equals' van veld 'collega' van stap 'signalen' is 'baas'"),
    ("choice-dup", lambda d: _field(d, "signalen", "kinderen")["choices"].append(
        {"value": "ja", "label": "Jawel"}),
     "keuze 'ja' komt twee keer voor bij veld 'kinderen' van stap 'signalen'"),
    ("item-key", lambda d: _field(d, "signalen", "waarnemingen")["items"][0].update(x=1),
     "onbekende sleutel(s) x in kolom 'soort' van lijst 'waarnemingen' van stap 'signalen'"),
    ("role-observations", lambda d: _field(d, "signalen", "waarnemingen")["items"].pop(0),
     "met rol 'observations' moet een kolom 'soort' hebben"),
    ("role-unknown", lambda d: _field(d, "gesprek", "reactie").update(role="baas"),
     "onbekende rol 'baas'"),
    ("role-melden-missing", lambda d: _field(d, "beslissen", "melden").pop("role"),
     "precies één veld met rol 'melden'"),
    ("role-melden-choices", lambda d: _field(d, "beslissen", "melden")["choices"].append(
        {"value": "later", "label": "Later"}), "precies de keuzes 'ja' en 'nee'"),
    ("role-traject", lambda d: _field(d, "beslissen", "traject").update(type="text") or
     _field(d, "beslissen", "traject").pop("choices"),
     "met rol 'traject' moet een keuzeveld met de keuze 'afgesloten' zijn"),
    ("outcome-afsluiten", lambda d: d["outcomes"][0].update(afsluiten="ja"),
     "'afsluiten' in uitkomst 'geen_vermoeden' moet true of false zijn"),
    ("future-on-text", lambda d: _field(d, "gesprek", "reactie").update(future=True),
     "'future' bij veld 'reactie' van stap 'gesprek' kan alleen bij een datumveld"),
    ("outcome-ref", lambda d: _q(d, "A3")["answers"][0].update(outcome="melden_misschien"),
     "antwoord 'nee' van afwegingsvraag A3 verwijst naar uitkomst 'melden_misschien'"),
    ("next-ref", lambda d: _q(d, "A3")["answers"][1].update(next="A9"),
     "antwoord 'ja' van afwegingsvraag A3 verwijst naar vraag 'A9', die niet bestaat"),
    ("cycle", lambda d: _q(d, "A4")["answers"][1].update(next="A3"),
     "antwoord 'ja' van afwegingsvraag A4 verwijst terug naar vraag 'A3'"),
    ("dead-end", lambda d: _q(d, "A4")["answers"][0].pop("outcome"),
     "antwoord 'nee' van afwegingsvraag A4 heeft geen 'next' en geen 'outcome'"),
    ("unreachable", lambda d: (_q(d, "A4")["answers"][1].pop("next"),
                               _q(d, "A4")["answers"][1].update(outcome="hulp_monitoren")),
     "afwegingsvraag A5 is onbereikbaar vanaf A1"),
    ("unused-outcome", lambda d: d["outcomes"].append(
        {"id": "extra", "label": "x", "short": "x", "melden": "verplicht", "hulp": "open",
         "reason": "x"}), "uitkomst extra wordt door geen antwoord gebruikt"),
    ("outcome-melden", lambda d: d["outcomes"][0].update(melden="misschien"),
     "'melden' van uitkomst 'geen_vermoeden' moet verplicht of niet_nodig zijn"),
    ("outcome-dup", lambda d: d["outcomes"].append(dict(d["outcomes"][0])),
     "uitkomst 'geen_vermoeden' komt twee keer voor"),
    ("question-dup", lambda d: d["questions"].append(dict(_q(d, "A5"), number=6)),
     "afwegingsvraag 'A5' komt twee keer voor"),
    ("question-step", lambda d: _q(d, "A1").update(step="praten"),
     "afwegingsvraag A1 hoort bij stap 'praten', die niet bestaat"),
    ("question-key", lambda d: _q(d, "A2").update(hint="x"),
     "onbekende sleutel(s) hint in afwegingsvraag 'A2'"),
    ("criteria-without", lambda d: _q(d, "A3")["answers"][0].update(requires_criteria=True),
     "antwoord 'nee' van afwegingsvraag A3 verwijst naar criteria"),
    ("answer-dup", lambda d: _q(d, "A3")["answers"].append(dict(_q(d, "A3")["answers"][0])),
     "antwoord 'nee' komt twee keer voor bij afwegingsvraag A3"),
    ("hint-when", lambda d: d["hints"][0].update(when="altijd"),
     "hint 'minderjarig_seksueel' heeft onbekende voorwaarde 'altijd'"),
    ("hint-question", lambda d: d["hints"][0].update(question="A7"),
     "hint 'minderjarig_seksueel' hoort bij vraag 'A7', die niet bestaat"),
    ("skip-key", lambda d: _step(d, "gesprek")["skip"].update(reden="x"),
     "onbekende sleutel(s) reden in [steps.skip] van stap 'gesprek'"),
]


@pytest.mark.parametrize("name,mutate,message", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_content_mutations_rejected(raw, name, mutate, message):
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(ContentError) as err:
        mc.parse_meldcode(data, "resources/content/meldcode.toml")
    assert str(err.value).startswith("resources/content/meldcode.toml: ")
    assert message in str(err.value)


def test_content_file_errors(tmp_path):
    bad = tmp_path / "meldcode.toml"
    bad.write_text("version = 1\n[source\n", "utf-8")
    with pytest.raises(ContentError, match="ongeldige TOML"):
        mc.load_meldcode(bad)
    with pytest.raises(ContentError, match="bestand niet gevonden"):
        mc.load_meldcode(tmp_path / "weg.toml")


def test_content_has_sources_and_all_steps(content):
    assert content.source["title"] and "Movisie" in content.source["reference"]
    assert [s.number for s in content.steps] == [1, 2, 3, 4, 5]
    assert [q.id for q in content.questions] == ["A1", "A2", "A3", "A4", "A5"]
    assert content.step("gesprek").skip is not None
    assert content.decision_step.id == "beslissen"
    a2 = content.question("A2")
    assert "disclosure" in a2.explanation and "herhaalt" in a2.explanation
    assert len(content.question("A3").subquestions) == 5
    assert len(content.question("A5").subquestions) == 5


def test_domain_modules_do_not_load_qt():
    code = ("import sys, aandacht.domain.meldcode, aandacht.domain.signals;"
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_skip_draft_survives_and_is_never_recorded(content):
    state = walk_to(content, 2)
    draft = {**STEP3, mc.SKIP_DRAFT: {"on": True, "reason": "Half getypt"}}
    mc.save_draft(content, state, "gesprek", draft)
    back = mc.MeldcodeState.from_dict(json.loads(json.dumps(state.to_dict())), content)
    assert mc.skip_draft(back.step("gesprek")) == {"on": True, "reason": "Half getypt"}
    with pytest.raises(ValidationError, match="ongeldige waarde"):
        mc.save_draft(content, state, "gesprek", {mc.SKIP_DRAFT: {"on": True, "reason": 3}})
    # Held after all: the draft key is dropped from what is recorded.
    mc.complete_step(content, state, "gesprek", draft, now=NOW)
    assert mc.SKIP_DRAFT not in state.step("gesprek").recorded
    assert mc.SKIP_DRAFT not in state.step("gesprek").values
    assert not state.step("gesprek").dirty
    # Skipped: the page shows the recorded reason; the typed fields stay as a draft.
    mc.skip_step(content, state, "gesprek", "Toch te gevaarlijk.", now=NOW)
    assert mc.skip_draft(state.step("gesprek")) == {"on": True, "reason": "Toch te gevaarlijk."}
    assert state.step("gesprek").values["reactie"] == STEP3["reactie"]
    assert state.step("gesprek").recorded == {}
    # A skip key on a step that cannot be skipped is ignored.
    assert mc.SKIP_DRAFT not in mc.clean_values(content, "wegen", {mc.SKIP_DRAFT: {"on": True}})


def test_note_draft_kept_until_recorded(content):
    state = walk_to(content, 1)
    mc.save_draft(content, state, "signalen", {**STEP1, "tijd": "15:00",
                                               mc.NOTE_DRAFT: "Tijd gecorrigeerd."})
    assert state.step("signalen").values[mc.NOTE_DRAFT] == "Tijd gecorrigeerd."
    assert state.step("signalen").dirty  # the changed time, not the note, makes it dirty
    rec = mc.complete_step(content, state, "signalen", None, now=NOW,
                           note="Tijd gecorrigeerd.")
    assert rec.revision["note"] == "Tijd gecorrigeerd."
    assert mc.NOTE_DRAFT not in state.step("signalen").values
    assert mc.NOTE_DRAFT not in state.step("signalen").recorded
